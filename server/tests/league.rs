//! The enterprise ledger through the real router: the example imports whole, a bad sheet
//! changes nothing and names every bad row, and a second ledger merges by credit code.

mod common;

use common::{Client, PASSWORD, client, world};
use http::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

async fn signed_in(pool: &PgPool, login: &str) -> Client {
    let mut c = client(pool).await;
    assert_eq!(c.sign_in(login, PASSWORD).await.status, StatusCode::OK);
    c
}

async fn import(c: &mut Client, name: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
    let up = c.upload("sheet", name, bytes).await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
    let id = up.json()["id"].as_str().unwrap().to_owned();
    let r = c.call("import_ledger", &[("upload", &id)]).await;
    let json = serde_json::from_str(&r.body).unwrap_or(Value::Null);
    (r.status, json)
}

fn example() -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../public/examples/enterprise-ledger.csv"),
    )
    .unwrap()
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_ledger_imports_whole_or_not_at_all_and_merges_by_credit_code(pool: PgPool) {
    world(&pool).await;
    let mut admin = signed_in(&pool, "admin").await;
    let (status, r) = import(&mut admin, "ledger.csv", example().into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(
        (r["added"].as_u64(), r["updated"].as_u64()),
        (Some(8), Some(0))
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM enterprises").await, 8);

    // A broken second sheet changes nothing and names each bad row.
    let mut lines: Vec<String> = example().lines().map(str::to_owned).collect();
    lines[1] = lines[1].replace("180", "很多");
    lines[3] = lines[3].replacen(",9244", ",0000", 1);
    let (_, r) = import(&mut admin, "bad.csv", lines.join("\n").into_bytes()).await;
    let rows: Vec<u64> = r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["row"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, vec![2, 4]);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM enterprise_history").await,
        0
    );

    // The next ledger: one firm grew, one was deregistered, one is new, the rest unchanged.
    let mut lines: Vec<String> = example().lines().map(str::to_owned).collect();
    lines[2] = lines[2].replace(",64,40,3,2,", ",70,45,3,4,");
    lines[3] = lines[3].replace("存续", "注销");
    lines.push(
        lines[1]
            .replace("星海互动科技有限公司", "新来的科技有限公司")
            .replace("MA5N100014", "MA5N20001X"),
    );
    let new_code = app::orgs::model::CreditCode::with_check_char("91440300MA5N20001").unwrap();
    let last = lines.len() - 1;
    lines[last] = lines[last].replace("91440300MA5N20001X", new_code.as_str());
    let (status, r) = import(&mut admin, "ledger-2.csv", lines.join("\n").into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(
        (
            r["added"].as_u64(),
            r["updated"].as_u64(),
            r["retired"].as_u64(),
            r["unchanged"].as_u64()
        ),
        (Some(1), Some(2), Some(1), Some(6)),
        "{r}"
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM enterprises").await, 9);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM enterprises WHERE status = 'deregistered'"
        )
        .await,
        2,
        "retired, not deleted"
    );
    let before: i64 = sqlx::query_scalar(
        "SELECT (before ->> 'league_members')::bigint FROM enterprise_history h
         JOIN enterprises e ON e.id = h.enterprise_id WHERE e.name = '云帆数据服务有限公司'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(before, 2, "the old values are kept");

    let list = admin
        .call(
            "enterprise_ledger",
            &[
                ("q", ""),
                ("district", "南山区"),
                ("filter", "eligible"),
                ("page", "1"),
            ],
        )
        .await
        .json();
    let names: Vec<&str> = list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"星海互动科技有限公司"), "{names:?}");
    assert!(
        !names.contains(&"小岛游戏有限公司"),
        "deregistered firms are not eligible"
    );

    // 新来的科技 is not 星海互动科技: no duplicates yet. A third ledger adds 星海互动科技 again
    // under another code and a full-width name: it is listed as a probable duplicate.
    let dup = app::orgs::model::CreditCode::with_check_char("91440300MA5N30001").unwrap();
    let third = format!(
        "{}\n星海互动科技 有限公司,{},宝安区,新安街道,,1,1,0,0,存续\n",
        example().trim_end(),
        dup.as_str()
    );
    let (status, _) = import(&mut admin, "ledger-3.csv", third.into_bytes()).await;
    assert_eq!(status, StatusCode::OK);
    let list = admin
        .call(
            "enterprise_ledger",
            &[("q", ""), ("district", ""), ("filter", ""), ("page", "1")],
        )
        .await
        .json();
    let group = &list["duplicates"][0]["firms"];
    assert_eq!(group.as_array().unwrap().len(), 2, "{list}");
    assert_eq!(group[1][1], dup.as_str());

    let mut member = signed_in(&pool, "member").await;
    let r = member
        .call(
            "enterprise_ledger",
            &[("q", ""), ("district", ""), ("filter", ""), ("page", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = admin
        .call(
            "enterprise_ledger",
            &[("q", ""), ("district", ""), ("filter", "x"), ("page", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_filtered_ledger_exports_as_a_sheet_that_imports_again_unchanged(pool: PgPool) {
    world(&pool).await;
    let mut admin = signed_in(&pool, "admin").await;
    let (status, _) = import(&mut admin, "ledger.csv", example().into_bytes()).await;
    assert_eq!(status, StatusCode::OK);

    let all = admin.get("/admin/ledger/export.csv").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(
        all.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        all.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let lines: Vec<&str> = all.body.lines().collect();
    assert_eq!(
        lines[0],
        "\u{feff}企业名称,统一社会信用代码,区,街道,地址,职工人数,青年职工人数,党员人数,团员人数,经营状态"
    );
    assert_eq!(lines.len(), 9, "a header and the eight firms");
    // The same filters as the page: only the firms that could found an organization.
    let eligible = admin
        .get("/admin/ledger/export.csv?filter=eligible&q=&district=")
        .await;
    let n = eligible.body.lines().count() - 1;
    assert!(n > 0 && n < 8, "{}", eligible.body);
    assert!(
        !eligible.body.contains("注销"),
        "deregistered firms are not eligible"
    );

    // Imported again, nothing changes.
    let (status, r) = import(&mut admin, "again.csv", all.body.into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(
        (
            r["added"].as_u64(),
            r["updated"].as_u64(),
            r["unchanged"].as_u64()
        ),
        (Some(0), Some(0), Some(8))
    );

    // Only platform admins; signed out, the sign-in page first (as for every admin page).
    let mut orgadmin = signed_in(&pool, "orgadmin").await;
    assert_eq!(
        orgadmin.get("/admin/ledger/export.csv").await.status,
        StatusCode::FORBIDDEN
    );
    let mut anon = client(&pool).await;
    let r = anon.get("/admin/ledger/export.csv").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.headers["location"]
            .to_str()
            .unwrap()
            .starts_with("/signin")
    );
    assert!(!r.body.contains("统一社会信用代码"));
}

async fn ledger_names(c: &mut Client) -> (StatusCode, Vec<String>) {
    let r = c
        .call(
            "enterprise_ledger",
            &[("q", ""), ("district", ""), ("filter", ""), ("page", "1")],
        )
        .await;
    let names = serde_json::from_str::<Value>(&r.body)
        .ok()
        .and_then(|v| v["rows"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(|r| r["name"].as_str().unwrap_or_default().to_owned())
        .collect();
    (r.status, names)
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_company_admin_reads_only_their_own_firm_and_a_reviewer_only_their_area(pool: PgPool) {
    let w = world(&pool).await;
    let mut admin = signed_in(&pool, "admin").await;
    let (status, r) = import(&mut admin, "ledger.csv", example().into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let (_, all) = ledger_names(&mut admin).await;
    assert_eq!(all.len(), 8);
    // The world's company is 星海互动.
    sqlx::query("UPDATE orgs SET enterprise_id = (SELECT id FROM enterprises WHERE credit_code = '91440300MA5N100014') WHERE id = $1")
        .bind(w.committee)
        .execute(&pool)
        .await
        .unwrap();
    let mut company = signed_in(&pool, "orgadmin").await;
    let (status, names) = ledger_names(&mut company).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(names, ["星海互动科技有限公司"]);
    // A League committee reviewing 粤海街道 reads the firms of that street.
    let mut c = pool.acquire().await.unwrap();
    let street = app::orgs::store::create_org(
        &mut c,
        &app::orgs::store::NewOrg {
            tree: app::orgs::model::Tree::League,
            kind: app::orgs::model::OrgKind::Committee,
            name: "粤海街道团工委",
            parent: None,
            enterprise_id: None,
        },
    )
    .await
    .unwrap();
    app::league::founding::store::set_org_area(
        &mut c,
        street,
        Some(&app::league::ledger::model::Area {
            level: app::league::ledger::model::AreaLevel::Street,
            district: "南山区".into(),
            street: "粤海街道".into(),
        }),
    )
    .await
    .unwrap();
    let hash = app::auth::session::hash_password(PASSWORD.to_owned())
        .await
        .unwrap();
    let reviewer = common::add_user(&mut c, &hash, "streetrev", "13700000003").await;
    app::orgs::store::grant_role(
        &mut c,
        reviewer,
        app::auth::model::Role::OrgAdmin,
        Some(street),
        None,
    )
    .await
    .unwrap();
    let in_street: i64 = count(
        &pool,
        "SELECT count(*) FROM enterprises WHERE district = '南山区' AND street = '粤海街道' AND status <> 'merged'",
    )
    .await;
    let mut rev = signed_in(&pool, "streetrev").await;
    let (status, names) = ledger_names(&mut rev).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(names.len() as i64, in_street);
    assert!(names.len() < all.len());
    // A secretary or a member reads none of it.
    for login in ["secretary", "member"] {
        let mut c = signed_in(&pool, login).await;
        assert_eq!(ledger_names(&mut c).await.0, StatusCode::FORBIDDEN);
    }
}
