//! The committee's dashboard and its sheets through the real router: the figures of a
//! month against the one before, who may see them, bad input, formula-safe cells read back
//! from the files, and the row limit of a file.

mod common;

use app::ids::{OrgId, UserId};
use app::points::model::{PointSource, RuleCode};
use app::points::store::{NewAward, award};
use app::reports::model::ReportPeriod;
use common::{client, error_msg, signed_in, user_id, world};
use http::{StatusCode, header};
use serde_json::Value;
use sqlx::PgPool;

/// The daily quiz's points for `user` at `at`: they studied then.
async fn studied(pool: &PgPool, user: UserId, at: chrono::DateTime<chrono::Utc>, tag: &str) {
    let mut tx = pool.begin().await.unwrap();
    award(
        &mut tx,
        &NewAward {
            user_id: user,
            rule: RuleCode::DailyQuiz,
            units: 1,
            source_kind: PointSource::DailyQuiz,
            source_id: tag,
            idempotency_key: &format!("quiz:{tag}-{user}"),
            at,
        },
    )
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO study_time (user_id, day, secs) VALUES ($1, ($2 AT TIME ZONE 'Asia/Shanghai')::date, 1800)",
    )
    .bind(user)
    .bind(at)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

fn measure<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["measure"] == name)
        .unwrap_or_else(|| panic!("no {name} in {v}"))
}

/// Near enough for figures to one decimal.
fn about(v: &Value, expected: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - expected).abs() < 0.05)
}

#[sqlx::test(migrations = "./migrations")]
async fn a_committees_dashboard_shows_the_month_against_the_one_before(pool: PgPool) {
    let w = world(&pool).await;
    let now = chrono::Utc::now();
    let today = app::time::day_of(now);
    let this = ReportPeriod::month_of(today);
    let before =
        app::time::start_of(this.previous().start()).unwrap() + chrono::Duration::hours(12);
    let (member, secretary) = (
        user_id(&pool, "member").await,
        user_id(&pool, "secretary").await,
    );
    studied(&pool, member, now, "now").await;
    studied(&pool, member, before, "before").await;
    studied(&pool, secretary, before, "before").await;
    // The member paid this month's dues in cash.
    sqlx::query(
        "WITH p AS (
             INSERT INTO dues_payments (user_id, tree, org_id, first_month, months, amount, method, recorded_by, state)
             VALUES ($1, 'party', $2, $3, 1, 500, 'cash', $1, 'paid') RETURNING id
         )
         INSERT INTO dues_months (payment_id, user_id, tree, month, amount) SELECT id, $1, 'party', $3, 500 FROM p",
    )
    .bind(member)
    .bind(w.branch_a)
    .bind(this.start())
    .execute(&pool)
    .await
    .unwrap();

    let mut c = signed_in(&pool, "orgadmin").await;
    let r = c
        .call(
            "dashboard",
            &[("org", &w.committee.to_string()), ("period", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    assert_eq!(v["period"], this.to_string());
    assert_eq!(v["previous"], this.previous().to_string());
    assert_eq!(v["branches"], 2);
    assert_eq!(v["members"], 3);
    // One of three members studied this month, two the month before.
    let p = &measure(&v, "Participation")["compared"];
    assert!(about(&p["now"], 100.0 / 3.0), "{p}");
    assert!(about(&p["before"], 200.0 / 3.0), "{p}");
    let dues = &measure(&v, "DuesPaid")["compared"];
    assert!(about(&dues["now"], 100.0 / 3.0), "{dues}");
    assert!(about(&dues["before"], 0.0), "{dues}");
    assert_eq!(
        measure(&v, "DuesPaid")["link"],
        format!("/orglife/dues?org={}", w.committee)
    );
    let hours = &measure(&v, "StudyHours")["compared"];
    assert!(about(&hours["now"], 0.5 / 3.0), "{hours}");
    // A chart per measure; the participation chart has the weakest branch first.
    let charts = v["charts"].as_array().unwrap();
    assert_eq!(charts.len(), 6, "the measures with something to measure");
    let labels: Vec<&str> = charts[0]["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["Text"].as_str().unwrap())
        .collect();
    assert_eq!(labels, vec!["运营党支部", "研发党支部"]);

    // The page itself, with its figures and the sheets to download.
    let page = c.get(&format!("/dashboard?org={}", w.committee)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("数据看板"));
    assert!(page.body.contains("33.3%"), "the participation figure");
    assert!(page.body.contains("−33.3个百分点"), "the change");
    assert!(page.body.contains(&format!(
        "/dashboard/export.xlsx?org={}&amp;period={this}&amp;sheet=study",
        w.committee
    )));
}

#[sqlx::test(migrations = "./migrations")]
async fn only_the_organizations_admins_see_its_dashboard_and_sheets(pool: PgPool) {
    let w = world(&pool).await;
    // Another company's committee and its admin.
    let mut conn = pool.acquire().await.unwrap();
    let other: OrgId = sqlx::query_scalar(
        "INSERT INTO orgs (id, tree, kind, name, path) VALUES (900, 'party', 'committee', '乙公司党委', '900') RETURNING id",
    )
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    let hash: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE username = 'orgadmin'")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    let stranger = common::add_user(&mut conn, &hash, "otheradmin", "13900000099").await;
    app::orgs::store::grant_role(
        &mut conn,
        stranger,
        app::auth::model::Role::OrgAdmin,
        Some(other),
        None,
    )
    .await
    .unwrap();
    drop(conn);

    let org = w.committee.to_string();
    let sheet = format!("/dashboard/export.csv?org={org}&period=&sheet=roster");
    for who in ["otheradmin", "secretary", "member"] {
        let mut c = signed_in(&pool, who).await;
        let r = c.call("dashboard", &[("org", &org), ("period", "")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}: {}", r.body);
        let r = c.get(&sheet).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
        assert!(!r.body.contains("13900000002"), "{who} read the roster");
        let r = c.get(&sheet.replace("csv", "xlsx")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
    }
    // Their own committee only, as the first one they oversee.
    let mut c = signed_in(&pool, "otheradmin").await;
    let r = c.call("dashboard", &[("org", "0"), ("period", "")]).await;
    assert_eq!(r.json()["org_id"], 900);
    let r = client(&pool).await.get(&sheet).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // A secretary oversees nothing.
    let mut c = signed_in(&pool, "secretary").await;
    let r = c.call("dashboard", &[("org", "0"), ("period", "")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The branch's admin above, and the platform's.
    for who in ["orgadmin", "admin"] {
        let mut c = signed_in(&pool, who).await;
        let r = c.get(&sheet).await;
        assert_eq!(r.status, StatusCode::OK, "{who}");
        assert!(r.body.contains("13900000002"), "{who}");
    }
}

#[sqlx::test(migrations = "./migrations")]
async fn bad_periods_sheets_and_organizations_are_refused_with_a_message(pool: PgPool) {
    let w = world(&pool).await;
    let mut c = signed_in(&pool, "orgadmin").await;
    let org = w.committee.to_string();
    for period in ["2026-13", "2099-01", "last month", "2026"] {
        let r = c
            .call("dashboard", &[("org", &org), ("period", period)])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{period}");
        assert_eq!(error_msg(&r.body), "ReportPeriodUnknown", "{period}");
        let r = c
            .get(&format!(
                "/dashboard/export.csv?org={org}&period={}&sheet=roster",
                period.replace(' ', "%20")
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{period}");
    }
    for q in [
        format!("org={org}&period=&sheet=users"),
        "org=abc&period=&sheet=roster".to_owned(),
        "period=&sheet=roster".to_owned(),
    ] {
        let r = c.get(&format!("/dashboard/export.xlsx?{q}")).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{q}: {}",
            r.body
        );
        assert_eq!(error_msg(&r.body), "BadRequest", "{q}");
    }
    let r = c
        .get("/dashboard/export.csv?org=424242&period=&sheet=roster")
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The page says what was wrong, in the reader's words.
    let r = c.get(&format!("/dashboard?org={org}&period=2026-13")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("期间应为月份"), "{}", r.body);
}

#[sqlx::test(migrations = "./migrations")]
async fn sheets_read_back_with_their_figures_and_formula_cells_made_safe(pool: PgPool) {
    let w = world(&pool).await;
    let member = user_id(&pool, "member").await;
    studied(&pool, member, chrono::Utc::now(), "now").await;
    sqlx::query("UPDATE users SET display_name = '=HYPERLINK(\"http://e.vil\")' WHERE id = $1")
        .bind(member)
        .execute(&pool)
        .await
        .unwrap();
    let mut c = signed_in(&pool, "orgadmin").await;
    let q = |sheet: &str| format!("org={}&period=&sheet={sheet}", w.committee);
    // Compressed as a browser asks for it: the stream ends once, however it is read.
    for encoding in ["gzip", "br"] {
        let req = http::Request::get(format!("/dashboard/export.csv?{}", q("roster")))
            .header(header::HOST, common::HOST)
            .header(header::ACCEPT_ENCODING, encoding);
        let r = c.send(req, String::new()).await;
        assert_eq!(r.status, StatusCode::OK, "{encoding}");
        assert_eq!(r.headers[header::CONTENT_ENCODING], encoding);
        assert!(r.bytes.len() > 100, "{encoding}");
    }
    for ext in ["csv", "xlsx"] {
        let r = c
            .get(&format!("/dashboard/export.{ext}?{}", q("study")))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{ext}");
        assert!(
            r.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .starts_with("attachment; filename=\"study-"),
        );
        let rows = app::uploads::sheet::rows_of(&r.bytes, ext)
            .unwrap_or_else(|e| panic!("{ext}: {e:?}: {}", r.body));
        assert_eq!(rows[0][0], "姓名", "{ext}");
        assert_eq!(rows.len(), 4, "{ext}: a header and three members");
        // Written as text with a leading quote (the importer reads it back as it was).
        if ext == "csv" {
            assert!(
                r.body.contains("\"'=HYPERLINK(\"\"http://e.vil\"\")\""),
                "{}",
                r.body
            );
        }
        let evil = rows.iter().find(|r| r[0].contains("HYPERLINK")).unwrap();
        assert_eq!(evil[0], "=HYPERLINK(\"http://e.vil\")", "{ext}");
        assert_eq!(evil[1], "研发党支部");
        assert_eq!(evil[2], "0.5", "{ext}: half an hour");
        let r = c
            .get(&format!("/dashboard/export.{ext}?{}", q("branches")))
            .await;
        let rows = app::uploads::sheet::rows_of(&r.bytes, ext).unwrap();
        let a = rows.iter().find(|r| r[0] == "研发党支部").unwrap();
        assert_eq!(
            (a[1].as_str(), a[2].as_str(), a[3].as_str()),
            ("2", "1", "50"),
            "{ext}"
        );
    }
}

#[sqlx::test(migrations = "./migrations")]
async fn a_sheet_stops_at_its_row_limit_and_its_last_line_says_so(pool: PgPool) {
    use app::reports::model::MOST_ROWS;
    let w = world(&pool).await;
    // 50,001 more members in the second branch, written without the triggers that keep
    // the boards' counts (the roster reads none of them).
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("SET LOCAL session_replication_role = replica")
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query(
        "WITH u AS (
             INSERT INTO users (username, phone, display_name, password_hash)
             SELECT 'bulk' || i, '137' || lpad(i::text, 8, '0'), '成员' || i, 'x'
             FROM generate_series(1, $2) AS i RETURNING id
         )
         INSERT INTO memberships (user_id, org_id, tree, status, start_reason)
         SELECT id, $1, 'party', 'full', 'joined' FROM u",
    )
    .bind(w.branch_b)
    .bind(MOST_ROWS as i32 + 1)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut c = signed_in(&pool, "orgadmin").await;
    // A download read slowly holds no connection while its reader waits between pages.
    let roster = format!(
        "/dashboard/export.csv?org={}&period=&sheet=roster",
        w.committee
    );
    let mut body = c.open(&roster).await.into_body();
    for _ in 0..3 {
        let frame = http_body_util::BodyExt::frame(&mut body).await;
        assert!(frame.is_some_and(|f| f.is_ok()));
        // A connection goes back to the pool a moment after it is let go.
        let mut in_use = usize::MAX;
        for _ in 0..100 {
            in_use = pool.size() as usize - pool.num_idle();
            if in_use == 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert_eq!(in_use, 0, "a connection is held between pages");
    }
    drop(body);
    for ext in ["csv", "xlsx"] {
        let r = c
            .get(&format!(
                "/dashboard/export.{ext}?org={}&period=&sheet=roster",
                w.committee
            ))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{ext}");
        let rows = app::uploads::sheet::rows_of(&r.bytes, ext).unwrap();
        assert_eq!(rows.len(), 1 + MOST_ROWS + 1, "{ext}");
        assert!(
            rows.last().unwrap()[0].contains("仅导出前 50000 行"),
            "{ext}"
        );
        assert_eq!(rows[1][0], "secretary", "{ext}: the first member first");
    }
}

#[sqlx::test(migrations = "./migrations")]
async fn bulletins_are_made_once_when_a_period_ends_and_kept_as_made(pool: PgPool) {
    let w = world(&pool).await;
    let today = app::time::day_of(chrono::Utc::now());
    let last = ReportPeriod::month_of(today).previous();
    let mid_last = app::time::start_of(last.start()).unwrap() + chrono::Duration::days(3);
    let member = user_id(&pool, "member").await;
    studied(&pool, member, mid_last, "last").await;

    // Two servers' jobs at once: the month's and the quarter's bulletins, once each.
    let (a, b) = tokio::join!(
        server::jobs::bulletins(&pool),
        server::jobs::bulletins(&pool)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 2);
    assert_eq!(server::jobs::bulletins(&pool).await.unwrap(), 0);
    let kept: Vec<String> =
        sqlx::query_scalar("SELECT period FROM bulletins WHERE org_id = $1 ORDER BY period")
            .bind(w.committee)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(kept.len(), 2);
    assert!(kept.contains(&last.to_string()), "{kept:?}");

    // Kept as made: later study does not change it.
    let secretary = user_id(&pool, "secretary").await;
    studied(&pool, secretary, mid_last, "late").await;
    let mut c = signed_in(&pool, "orgadmin").await;
    let shelf = c.call("bulletins", &[("org", "0")]).await.json();
    assert_eq!(shelf["org_id"], w.committee.0);
    let id = shelf["bulletins"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b[1] == last.to_string())
        .unwrap()[0]
        .as_i64()
        .unwrap();
    let r = c.call("bulletin", &[("id", &id.to_string())]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    let participation = &v["measures"][0];
    assert_eq!(participation[0], "Participation");
    assert!(
        about(&participation[1]["now"], 100.0 / 3.0),
        "{participation}"
    );
    // Nothing was held last month: each branch's monthly items are listed as not held.
    let overdue: Vec<&str> = v["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["branch"].as_str().unwrap())
        .collect();
    assert_eq!(overdue.len(), 2, "{}", v["overdue"]);
    assert_eq!(v["best"][0]["name"], "研发党支部");
    assert_eq!(v["weakest"][0]["name"], "运营党支部");

    // The printable page, in the reader's words.
    let page = c.get(&format!("/dashboard/bulletins/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("月督查通报"), "{}", page.body);
    assert!(page.body.contains("未按期开展的组织生活"));

    // Another committee's admin, a branch secretary and a missing one.
    for who in ["secretary", "member"] {
        let mut c = signed_in(&pool, who).await;
        let r = c.call("bulletin", &[("id", &id.to_string())]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
    }
    let r = c.call("bulletin", &[("id", "999999")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = c.call("bulletin", &[("id", "abc")]).await;
    assert!(r.status.is_client_error(), "{}", r.status);
}
