//! The 积分 tab's server functions through the real router.

mod common;

use app::ids::UserId;
use common::{PASSWORD, client, world};
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[sqlx::test(migrator = "MIGRATIONS")]
async fn signing_in_twice_a_day_gives_the_sign_in_point_once(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    c.sign_in("member", PASSWORD).await;
    c.sign_in("member", PASSWORD).await;
    let points = c.call("points_page", &[]).await;
    assert_eq!(points.status, StatusCode::OK, "{}", points.body);
    let v = points.json()["summary"].clone();
    assert_eq!(v["totals"], json!([1, 1, 1, 1, 1]));
    let sign_in = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "DailySignIn")
        .unwrap()
        .clone();
    assert_eq!(sign_in["earned"], 1);
    assert_eq!(sign_in["cap"], 1);
    let ledger = c.call("points_page", &[]).await.json()["ledger"].clone();
    assert_eq!(ledger["rows"].as_array().unwrap().len(), 1);
    assert_eq!(ledger["rows"][0]["source_kind"], "sign_in");
    assert_eq!(ledger["next"], json!(null));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn points_are_only_for_the_signed_in_member(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    assert_eq!(
        c.call("points_page", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        c.call("points_page", &[("before", "5")]).await.status,
        StatusCode::UNAUTHORIZED
    );
    let page = c.get("/points").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_ledger_pages_newest_first(pool: PgPool) {
    world(&pool).await;
    let user: UserId = sqlx::query_scalar("SELECT id FROM users WHERE username = 'member'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut tx = pool.begin().await.unwrap();
    for i in 0..25 {
        let key = format!("test:{i}");
        let source = i.to_string();
        let at = chrono::Utc::now() - chrono::Duration::days(30 - i);
        app::points::store::award(
            &mut tx,
            &app::points::store::NewAward {
                user_id: user,
                rule: app::points::model::RuleCode::ArticleRead,
                units: 1,
                source_kind: app::points::model::PointSource::StudyItem,
                source_id: &source,
                idempotency_key: &key,
                at,
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let mut c = client(&pool).await;
    c.sign_in("member", PASSWORD).await;
    let first = c.call("points_page", &[]).await.json()["ledger"].clone();
    let rows = first["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 20);
    assert_eq!(rows[0]["source_kind"], "sign_in");
    let next = first["next"].as_i64().expect("a next page");
    let second = c
        .call("points_page", &[("before", &next.to_string())])
        .await
        .json()["ledger"]
        .clone();
    assert_eq!(second["rows"].as_array().unwrap().len(), 6);
    assert_eq!(second["next"], json!(null));
    let bad = c.call("points_page", &[("before", "soon")]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn only_a_platform_admin_changes_rules_and_only_from_today_on(pool: PgPool) {
    world(&pool).await;
    let today = app::time::day_of(chrono::Utc::now());
    let tomorrow = (today + chrono::Days::new(1)).to_string();
    let yesterday = (today - chrono::Days::new(1)).to_string();

    let mut member = client(&pool).await;
    member.sign_in("member", PASSWORD).await;
    assert_eq!(
        member.call("point_rules", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let r = member
        .call(
            "add_rule_version",
            &[
                ("code", "article_read"),
                ("points", "2"),
                ("cap", "8"),
                ("from", &tomorrow),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let mut admin = client(&pool).await;
    admin.sign_in("admin", PASSWORD).await;
    let bad = admin
        .call(
            "add_rule_version",
            &[
                ("code", "article_read"),
                ("points", "0"),
                ("cap", "-3"),
                ("from", &yesterday),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.json(),
        json!({"Invalid": [
            {"field": "points", "msg": "PointsInvalid"},
            {"field": "cap", "msg": "CapInvalid"},
            {"field": "from", "msg": "RuleStartTooEarly"},
        ]})
    );
    let ok = admin
        .call(
            "add_rule_version",
            &[
                ("code", "article_read"),
                ("points", "2"),
                ("cap", "8"),
                ("from", &tomorrow),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let again = admin
        .call(
            "add_rule_version",
            &[
                ("code", "article_read"),
                ("points", "3"),
                ("cap", "9"),
                ("from", &tomorrow),
            ],
        )
        .await;
    assert_eq!(
        again.json(),
        json!({"Invalid": [{"field": "from", "msg": "RuleStartTooEarly"}]})
    );
    let unknown = admin
        .call(
            "add_rule_version",
            &[
                ("code", "free_lunch"),
                ("points", "3"),
                ("cap", ""),
                ("from", &tomorrow),
            ],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);

    let rules = admin.call("point_rules", &[]).await.json();
    let article: Vec<_> = rules
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["code"] == "ArticleRead")
        .collect();
    assert_eq!(article.len(), 2);
    assert_eq!(article[0]["version"], 2);
    assert_eq!(article[0]["points"], 2);
    assert_eq!(article[0]["effective_from"], json!(tomorrow));
    // Today the first version still applies.
    let now = member.call("points_page", &[]).await.json()["summary"].clone();
    let row = now["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "ArticleRead")
        .unwrap()
        .clone();
    assert_eq!(
        (row["points"].clone(), row["cap"].clone()),
        (json!(1), json!(6))
    );
}

/// Opening 积分 counts as the day's first sign-in (a session kept from yesterday signs in
/// no more), and the page that awards the point shows it at once: its totals and the ledger
/// are read after the award. Signed in while no sign-in rule was in force, the member's
/// first view of 积分 is the one that awards.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_points_page_that_awards_the_days_sign_in_point_shows_it(pool: PgPool) {
    world(&pool).await;
    let rule = async |when: &str| {
        sqlx::query(&format!(
            "UPDATE point_rules SET effective_from = now() {when} WHERE code = 'daily_sign_in'"
        ))
        .execute(&pool)
        .await
        .unwrap();
    };
    rule("+ interval '1 hour'").await;
    let mut c = client(&pool).await;
    assert_eq!(c.sign_in("member", PASSWORD).await.status, StatusCode::OK);
    let awarded = "SELECT count(*) FROM point_ledger WHERE source_kind = 'sign_in'";
    let count = async || -> i64 { sqlx::query_scalar(awarded).fetch_one(&pool).await.unwrap() };
    assert_eq!(count().await, 0, "no rule in force at sign-in");
    rule("- interval '1 minute'").await;
    let page = c.call("points_page", &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let v = page.json();
    assert_eq!(v["summary"]["totals"], json!([1, 1, 1, 1, 1]), "{v}");
    assert_eq!(v["ledger"]["rows"][0]["source_kind"], "sign_in", "{v}");
    assert_eq!(count().await, 1);
    // Once a day.
    c.call("points_page", &[]).await;
    assert_eq!(count().await, 1);
}
