//! The organization tree through the real router: who may read and change what, and the
//! pages and headers around it.

mod common;

use common::{PASSWORD, client, world};
use http::{StatusCode, header};
use serde_json::json;
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_secretary_reads_the_own_roster_but_not_another_branchs(pool: PgPool) {
    let w = world(&pool).await;
    let mut c = client(&pool).await;
    c.sign_in("secretary", PASSWORD).await;

    let own = c
        .call("branch_roster", &[("id", &w.branch_a.to_string())])
        .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    let names: Vec<_> = own
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["display_name"].clone())
        .collect();
    assert_eq!(names, vec![json!("member"), json!("secretary")]);
    assert_eq!(own.json()[0]["phone"], "139****0002");

    let other = c
        .call("branch_roster", &[("id", &w.branch_b.to_string())])
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    assert_eq!(other.json(), json!("Forbidden"));
    let detail = c
        .call("org_detail", &[("id", &w.branch_b.to_string())])
        .await;
    assert_eq!(detail.status, StatusCode::FORBIDDEN);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_org_admin_reads_every_branch_below(pool: PgPool) {
    let w = world(&pool).await;
    let mut c = client(&pool).await;
    c.sign_in("orgadmin", PASSWORD).await;
    for id in [w.branch_a, w.branch_b] {
        assert_eq!(
            c.call("branch_roster", &[("id", &id.to_string())])
                .await
                .status,
            StatusCode::OK
        );
    }
    let tree = c.call("org_tree", &[("tree", "party")]).await.json();
    assert_eq!(tree["nodes"].as_array().unwrap().len(), 3);
    assert_eq!(tree["can_add_top"], json!(false));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn every_admin_only_server_function_refuses_a_member(pool: PgPool) {
    let w = world(&pool).await;
    let grant: i64 =
        sqlx::query_scalar("SELECT id FROM role_grants WHERE role = 'secretary' LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    let a = w.branch_a.to_string();
    let committee = w.committee.to_string();
    let grant = grant.to_string();
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("org_tree", vec![("tree", "party")]),
        ("org_detail", vec![("id", &a)]),
        ("branch_roster", vec![("id", &a)]),
        (
            "create_org",
            vec![
                ("tree", "party"),
                ("parent_id", &committee),
                ("kind", "branch"),
                ("name", "新支部"),
                ("credit_code", ""),
            ],
        ),
        (
            "create_org",
            vec![
                ("tree", "party"),
                ("parent_id", ""),
                ("kind", "committee"),
                ("name", "新党委"),
                ("credit_code", ""),
            ],
        ),
        ("rename_org", vec![("id", &a), ("name", "改名支部")]),
        ("move_org", vec![("id", &a), ("parent_id", &committee)]),
        (
            "issue_invitation",
            vec![
                ("org_id", &a),
                ("status", "full"),
                ("days", "30"),
                ("uses", "5"),
            ],
        ),
        (
            "assign_role",
            vec![("org_id", &a), ("login", "member"), ("role", "secretary")],
        ),
        ("revoke_role", vec![("grant_id", &grant)]),
    ];
    let mut c = client(&pool).await;
    c.sign_in("member", PASSWORD).await;
    for (name, fields) in &calls {
        let r = c.call(name, fields).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{name}: {}", r.body);
    }
    let mut anonymous = client(&pool).await;
    for (name, fields) in &calls {
        let r = anonymous.call(name, fields).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{name}: {}", r.body);
    }
    // Nothing changed.
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM orgs ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(names, vec!["甲公司党委", "研发党支部", "运营党支部"]);
    assert_eq!(
        common_count(&pool, "SELECT count(*) FROM invitations").await,
        0
    );
    assert_eq!(
        common_count(&pool, "SELECT count(*) FROM role_grants").await,
        4
    );
}

async fn common_count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_secretary_issues_invitations_only_for_the_own_branch(pool: PgPool) {
    let w = world(&pool).await;
    let mut c = client(&pool).await;
    c.sign_in("secretary", PASSWORD).await;
    let r = c
        .call(
            "issue_invitation",
            &[
                ("org_id", &w.branch_a.to_string()),
                ("status", "probationary"),
                ("days", "7"),
                ("uses", "3"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let code = r.json().as_str().unwrap().to_owned();
    assert_eq!(code.len(), 8);
    let other = c
        .call(
            "issue_invitation",
            &[
                ("org_id", &w.branch_b.to_string()),
                ("status", "full"),
                ("days", "7"),
                ("uses", "3"),
            ],
        )
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    let bad = c
        .call(
            "issue_invitation",
            &[
                ("org_id", &w.branch_a.to_string()),
                ("status", "full"),
                ("days", "0"),
                ("uses", "many"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.json(),
        json!({"Invalid": [{"field": "days", "msg": "InvitationValidity"}, {"field": "uses", "msg": "InvitationUses"}]})
    );
    let league_status = c
        .call(
            "issue_invitation",
            &[
                ("org_id", &w.branch_a.to_string()),
                ("status", "league_member"),
                ("days", "7"),
                ("uses", "3"),
            ],
        )
        .await;
    assert_eq!(
        league_status.json(),
        json!({"Invalid": [{"field": "status", "msg": "StatusNotInTree"}]})
    );

    // The new code works, and places its user with the status it names.
    let mut newcomer = client(&pool).await;
    let r = newcomer
        .call(
            "sign_up",
            &[
                ("code", &code),
                ("display_name", "新同志"),
                ("phone", "13612345678"),
                ("username", "xin"),
                ("password", "a-long-pass-2026"),
                ("password_confirm", "a-long-pass-2026"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let profile = newcomer.call("my_profile", &[]).await.json();
    assert_eq!(
        profile["memberships"][0]["org_id"],
        json!(w.branch_a),
        "{profile}"
    );
    assert_eq!(profile["memberships"][0]["status"], json!("Probationary"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_org_admin_adds_renames_and_moves_within_the_subtree(pool: PgPool) {
    let w = world(&pool).await;
    let mut c = client(&pool).await;
    c.sign_in("orgadmin", PASSWORD).await;
    let committee = w.committee.to_string();
    let r = c
        .call(
            "create_org",
            &[
                ("tree", "party"),
                ("parent_id", &committee),
                ("kind", "general_branch"),
                ("name", "技术党总支"),
                ("credit_code", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let general = r.json().as_i64().unwrap().to_string();

    let wrong_level = c
        .call(
            "create_org",
            &[
                ("tree", "party"),
                ("parent_id", &w.branch_a.to_string()),
                ("kind", "branch"),
                ("name", "小支部"),
                ("credit_code", ""),
            ],
        )
        .await;
    assert_eq!(
        wrong_level.json(),
        json!({"Invalid": [{"field": "kind", "msg": "KindNotAllowedHere"}]})
    );
    let bad_code = c
        .call(
            "create_org",
            &[
                ("tree", "party"),
                ("parent_id", &committee),
                ("kind", "branch"),
                ("name", "某支部"),
                ("credit_code", "91440300708461136U"),
            ],
        )
        .await;
    assert_eq!(
        bad_code.json(),
        json!({"Invalid": [{"field": "credit_code", "msg": "CreditCodeInvalid"}]})
    );

    let r = c
        .call(
            "move_org",
            &[("id", &w.branch_a.to_string()), ("parent_id", &general)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = c
        .call(
            "rename_org",
            &[
                ("id", &w.branch_a.to_string()),
                ("name", "  前端开发党支部 "),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let detail = c
        .call("org_detail", &[("id", &w.branch_a.to_string())])
        .await
        .json();
    assert_eq!(detail["org"]["name"], "前端开发党支部");
    assert_eq!(
        detail["ancestors"],
        json!([
            [w.committee, "甲公司党委"],
            [general.parse::<i64>().unwrap(), "技术党总支"]
        ])
    );

    let into_itself = c
        .call(
            "move_org",
            &[("id", &general), ("parent_id", &w.branch_a.to_string())],
        )
        .await;
    assert_eq!(into_itself.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn roles_are_given_by_admins_and_fit_the_level(pool: PgPool) {
    let w = world(&pool).await;
    let mut c = client(&pool).await;
    c.sign_in("orgadmin", PASSWORD).await;
    let b = w.branch_b.to_string();
    let r = c
        .call(
            "assign_role",
            &[
                ("org_id", &b),
                ("login", "13900000002"),
                ("role", "committee_member"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let again = c
        .call(
            "assign_role",
            &[
                ("org_id", &b),
                ("login", "member"),
                ("role", "committee_member"),
            ],
        )
        .await;
    assert_eq!(
        again.json(),
        json!({"Invalid": [{"field": "login", "msg": "RoleAlreadyHeld"}]})
    );
    let unknown = c
        .call(
            "assign_role",
            &[("org_id", &b), ("login", "ghost"), ("role", "secretary")],
        )
        .await;
    assert_eq!(
        unknown.json(),
        json!({"Invalid": [{"field": "login", "msg": "UserUnknown"}]})
    );
    let wrong = c
        .call(
            "assign_role",
            &[
                ("org_id", &w.committee.to_string()),
                ("login", "member"),
                ("role", "secretary"),
            ],
        )
        .await;
    assert_eq!(
        wrong.json(),
        json!({"Invalid": [{"field": "role", "msg": "RoleNotForKind"}]})
    );
    let platform = c
        .call(
            "assign_role",
            &[
                ("org_id", &b),
                ("login", "member"),
                ("role", "platform_admin"),
            ],
        )
        .await;
    assert_eq!(platform.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The new committee member now reads branch B's roster.
    let mut member = client(&pool).await;
    member.sign_in("member", PASSWORD).await;
    assert_eq!(
        member.call("branch_roster", &[("id", &b)]).await.status,
        StatusCode::OK
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_missing_organization_is_404(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    c.sign_in("admin", PASSWORD).await;
    let r = c.call("org_detail", &[("id", "999999")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let page = c.get("/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("页面不存在"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn pages_need_a_session_and_carry_security_headers(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    let r = c.get("/admin/orgs?tree=league").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers[header::LOCATION],
        "/signin?next=/admin/orgs%3Ftree%3Dleague"
    );

    let page = c.get("/signin").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<html lang=\"zh-CN\""),
        "{}",
        &page.body[..200.min(page.body.len())]
    );
    assert!(page.body.contains("登录青年e家"));
    let csp = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("'nonce-"),
        "{csp}"
    );
    assert_eq!(page.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(page.headers.contains_key("x-request-id"));

    c.sign_in("member", PASSWORD).await;
    let me = c.get("/me").await;
    assert_eq!(me.status, StatusCode::OK);
    let back = c.get("/signin").await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn english_is_chosen_from_accept_language_and_the_cookie(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    let req = http::Request::get("/signin")
        .header(header::HOST, common::HOST)
        .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9");
    let page = c.send(req, String::new()).await;
    assert!(page.body.contains("<html lang=\"en\""));
    assert!(page.body.contains("Sign in to Youth e-Home"));
    let req = http::Request::get("/signin")
        .header(header::HOST, common::HOST)
        .header(header::ACCEPT_LANGUAGE, "en-GB")
        .header(header::COOKIE, "lang=zh-CN");
    let page = c.send(req, String::new()).await;
    assert!(page.body.contains("登录青年e家"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_health_check_answers_when_the_database_does(pool: PgPool) {
    let mut c = client(&pool).await;
    let r = c.get("/healthz").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body, "ok\n");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_demo_data_loads_once(pool: PgPool) {
    server::migrate(&pool).await.unwrap();
    server::demo::load(&pool, &common::upload_dir())
        .await
        .unwrap();
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move { common_count(&pool, sql).await }
    };
    let users = count("SELECT count(*) FROM users").await;
    let orgs = count("SELECT count(*) FROM orgs").await;
    let members = count("SELECT count(*) FROM memberships").await;
    assert!(users >= 300, "{users}");
    server::demo::load(&pool, &common::upload_dir())
        .await
        .unwrap();
    assert_eq!(count("SELECT count(*) FROM users").await, users);
    assert_eq!(count("SELECT count(*) FROM orgs").await, orgs);
    assert_eq!(count("SELECT count(*) FROM memberships").await, members);
    // Every branch has a secretary.
    let without: i64 = count(
        "SELECT count(*) FROM orgs o WHERE o.kind IN ('branch', 'joint_branch')
         AND NOT EXISTS (SELECT 1 FROM role_grants g WHERE g.org_id = o.id AND g.role = 'secretary')",
    )
    .await;
    assert_eq!(without, 0);
    // The demo accounts sign in with the documented password.
    let mut c = client(&pool).await;
    assert_eq!(
        c.sign_in("secretary", server::demo::PASSWORD).await.status,
        StatusCode::OK
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_database_outage_answers_503_not_500(pool: PgPool) {
    let mut c = client(&pool).await;
    pool.close().await;
    let r = c.call("my_profile", &[]).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
    assert_eq!(r.json(), json!("Unavailable"));
    assert_eq!(
        c.get("/healthz").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
}

/// A form as the browser posts it without the page's script, from `page`.
fn plain_post(path: &str, page: &str) -> http::request::Builder {
    http::Request::post(path)
        .header(header::HOST, common::HOST)
        .header(header::ORIGIN, common::ORIGIN)
        .header(header::REFERER, format!("{}{page}", common::ORIGIN))
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
}

/// The `name=value` of the answer's cookie a reply sets, and the newest invitation code.
async fn answer_and_code(r: &common::Reply, pool: &PgPool) -> (String, String) {
    let set = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("qnej_answer="))
        .expect("the answer's cookie");
    assert!(set.contains("HttpOnly"), "{set}");
    let code = sqlx::query_scalar("SELECT code FROM invitations ORDER BY id DESC LIMIT 1")
        .fetch_one(pool)
        .await
        .unwrap();
    (set.split(';').next().unwrap().to_owned(), code)
}

/// A form posted without the page's script (a plain post, as every form outside an island
/// is) answers with a redirect back; its answer (here the new invitation code) reaches the
/// next page through a one-time cookie token, for that member only, and never sits in an
/// address.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_posted_forms_answer_reaches_the_next_page_once_and_only_for_its_member(pool: PgPool) {
    let w = world(&pool).await;
    let mut c = client(&pool).await;
    c.sign_in("secretary", PASSWORD).await;
    let page = format!("/admin/orgs/{}", w.branch_a);
    let fields = format!("org_id={}&status=full&days=30&uses=5", w.branch_a);
    let answers = async || -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM form_answers")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let get = |cookie: String| {
        http::Request::get(page.as_str())
            .header(header::HOST, common::HOST)
            .header(header::ACCEPT, "text/html")
            .header(header::COOKIE, cookie)
    };
    let shown = |body: &str, code: &str| {
        body.contains("alert ok") && body.contains(&format!("/signup?code={code}"))
    };

    let r = c
        .send(plain_post("/api/issue_invitation", &page), fields.clone())
        .await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
    let back = r.headers[header::LOCATION].to_str().unwrap().to_owned();
    // Leptos leaves an empty query where it took a previous refusal out.
    assert_eq!(
        back.trim_end_matches('?'),
        format!("{}{page}", common::ORIGIN)
    );
    let (answer, code) = answer_and_code(&r, &pool).await;
    assert!(!back.contains(&code));
    assert_eq!(answers().await, 1);

    // Another member holding the token sees nothing, and the token is spent.
    let mut other = client(&pool).await;
    other.sign_in("member", PASSWORD).await;
    let stolen = format!("{}; {answer}", other.cookie.clone().unwrap());
    let r = other.send(get(stolen), String::new()).await;
    assert!(!shown(&r.body, &code));
    assert_eq!(answers().await, 0);

    // Issued again: the member who posted sees the code on the page, once.
    let r = c
        .send(plain_post("/api/issue_invitation", &page), fields)
        .await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
    let (answer, code) = answer_and_code(&r, &pool).await;
    let own = format!("{}; {answer}", c.cookie.clone().unwrap());
    let r = c.send(get(own.clone()), String::new()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(shown(&r.body, &code), "the code is not on the page");
    let cleared = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.to_str().unwrap().starts_with("qnej_answer=;"));
    assert!(cleared, "the cookie is not cleared");
    let r = c.send(get(own), String::new()).await;
    assert!(!shown(&r.body, &code), "shown twice");
    assert_eq!(answers().await, 0);
}
