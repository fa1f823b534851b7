//! Accounts through the real router: sign-up with invitation codes, sign-in, sessions,
//! rate limits and the same-origin rule.

mod common;

use app::ids::{OrgId, UserId};
use common::{Client, ORIGIN, PASSWORD, client, invitation, world};
use http::{Request, StatusCode, header};
use serde_json::json;
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

fn sign_up_fields<'a>(code: &'a str, phone: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("code", code),
        ("display_name", "赵新"),
        ("phone", phone),
        ("username", ""),
        ("password", "a-long-pass-2026"),
        ("password_confirm", "a-long-pass-2026"),
    ]
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

async fn used(pool: &PgPool, code: &str) -> i32 {
    sqlx::query_scalar("SELECT used FROM invitations WHERE code = $1")
        .bind(code)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn sign_up_with_a_good_code_joins_the_branch_and_signs_in(pool: PgPool) {
    let w = world(&pool).await;
    invitation(&pool, "ABCD2345", w.branch_a, 30, 10, 0).await;
    let mut c = client(&pool).await;

    let r = c
        .call("sign_up", &sign_up_fields("abcd-2345", "13811112222"))
        .await;

    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(used(&pool, "ABCD2345").await, 1);
    let user = c.current_user().await;
    assert_eq!(user["display_name"], "赵新");
    let branch: OrgId = sqlx::query_scalar(
        "SELECT m.org_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.phone = '13811112222' AND m.ended_at IS NULL",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(branch, w.branch_a);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn sign_up_with_an_expired_code_is_refused_and_writes_nothing(pool: PgPool) {
    let w = world(&pool).await;
    invitation(&pool, "EXPD2345", w.branch_a, -1, 10, 0).await;
    let mut c = client(&pool).await;
    let users = count(&pool, "SELECT count(*) FROM users").await;

    let r = c
        .call("sign_up", &sign_up_fields("EXPD2345", "13811112222"))
        .await;

    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json(),
        json!({"Invalid": [{"field": "code", "msg": "InvitationExpired"}]})
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM users").await, users);
    assert_eq!(used(&pool, "EXPD2345").await, 0);
    assert!(c.cookie.is_none());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn sign_up_with_a_used_up_code_is_refused(pool: PgPool) {
    let w = world(&pool).await;
    invitation(&pool, "USED2345", w.branch_a, 30, 2, 2).await;
    let mut c = client(&pool).await;
    let r = c
        .call("sign_up", &sign_up_fields("USED2345", "13811112222"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json(),
        json!({"Invalid": [{"field": "code", "msg": "InvitationUsedUp"}]})
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn sign_up_with_an_unknown_code_is_refused(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    let r = c
        .call("sign_up", &sign_up_fields("NNNE2345", "13811112222"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json(),
        json!({"Invalid": [{"field": "code", "msg": "InvitationUnknown"}]})
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn sign_up_with_a_taken_phone_keeps_the_code_unused(pool: PgPool) {
    let w = world(&pool).await;
    invitation(&pool, "ABCD2345", w.branch_a, 30, 10, 0).await;
    let mut c = client(&pool).await;
    let r = c
        .call("sign_up", &sign_up_fields("ABCD2345", "13900000002"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json(),
        json!({"Invalid": [{"field": "phone", "msg": "PhoneTaken"}]})
    );
    assert_eq!(used(&pool, "ABCD2345").await, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn sign_up_reports_every_bad_field_at_once(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    let r = c
        .call(
            "sign_up",
            &[
                ("code", ""),
                ("display_name", " "),
                ("phone", "12345"),
                ("username", "9x"),
                ("password", "password"),
                ("password_confirm", "password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json(),
        json!({"Invalid": [
            {"field": "code", "msg": "Required"},
            {"field": "display_name", "msg": "Required"},
            {"field": "phone", "msg": "PhoneInvalid"},
            {"field": "username", "msg": "UsernameInvalid"},
            {"field": "password", "msg": "PasswordTooCommon"},
        ]})
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_wrong_password_and_an_unknown_account_get_the_same_answer(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    let wrong_password = c.sign_in("member", "not-the-password").await;
    let unknown = c.sign_in("nobody-here", PASSWORD).await;
    let unknown_phone = c.sign_in("13700000000", PASSWORD).await;
    assert_eq!(wrong_password.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        wrong_password.json(),
        json!({"Invalid": [{"field": "", "msg": "BadCredentials"}]})
    );
    assert_eq!(unknown.body, wrong_password.body);
    assert_eq!(unknown_phone.body, wrong_password.body);
    assert!(c.cookie.is_none());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn sign_in_works_by_user_name_and_by_phone(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    assert_eq!(c.sign_in("Member", PASSWORD).await.status, StatusCode::OK);
    assert_eq!(c.current_user().await["display_name"], "member");
    let mut c = client(&pool).await;
    assert_eq!(
        c.sign_in("139 0000 0002", PASSWORD).await.status,
        StatusCode::OK
    );
    assert_eq!(c.current_user().await["display_name"], "member");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn too_many_sign_in_attempts_are_answered_429_with_a_wait(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    for _ in 0..5 {
        assert_eq!(
            c.sign_in("member", "wrong-password").await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    let r = c.sign_in("member", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&wait));
    assert_eq!(r.json()["RateLimited"]["retry_after_secs"], json!(wait));
    assert!(c.cookie.is_none(), "even the right password waits");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_session_id_changes_at_sign_in(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    assert_eq!(c.sign_in("member", PASSWORD).await.status, StatusCode::OK);
    let first = c.cookie.clone().expect("a session cookie");
    assert_eq!(
        c.sign_in("secretary", PASSWORD).await.status,
        StatusCode::OK
    );
    let second = c.cookie.clone().expect("a session cookie");
    assert_ne!(first, second);
    assert_eq!(c.current_user().await["display_name"], "secretary");
    // The id from before sign-in is worth nothing now.
    c.cookie = Some(first);
    assert_eq!(c.current_user().await, json!(null));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_session_cookie_is_http_only_and_same_site_lax(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    let r = c.sign_in("member", PASSWORD).await;
    let cookie = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("qnej_session="))
        .expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn sign_out_destroys_the_session(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    c.sign_in("member", PASSWORD).await;
    let before = c.cookie.clone();
    assert_eq!(c.call("sign_out", &[]).await.status, StatusCode::OK);
    c.cookie = before;
    assert_eq!(c.current_user().await, json!(null));
    assert_eq!(
        c.call("my_profile", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_tampered_session_cookie_counts_as_signed_out(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    c.cookie = Some("qnej_session=not-a-real-id%00'; DROP TABLE users".to_owned());
    assert_eq!(c.current_user().await, json!(null));
    let page = c.get("/me").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.headers[header::LOCATION], "/signin?next=/me");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_cross_origin_post_is_refused(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    let req = Request::post("/api/sign_in")
        .header(header::HOST, common::HOST)
        .header(header::ORIGIN, "https://evil.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    let r = c
        .send(req, format!("login=member&password={PASSWORD}&next="))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("跨站请求已被拒绝"));
    assert!(c.cookie.is_none());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_post_without_origin_or_referer_is_refused_but_a_same_site_referer_passes(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    let bare = Request::post("/api/sign_in")
        .header(header::HOST, common::HOST)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    assert_eq!(
        c.send(bare, String::new()).await.status,
        StatusCode::FORBIDDEN
    );
    let referred = Request::post("/api/sign_in")
        .header(header::HOST, common::HOST)
        .header(header::REFERER, format!("{ORIGIN}/signin"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    let r = c
        .send(referred, format!("login=member&password={PASSWORD}&next="))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_form_post_without_javascript_redirects_with_the_session_or_the_error(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    let form = |body: &str| {
        (
            Request::post("/api/sign_in")
                .header(header::HOST, common::HOST)
                .header(header::ORIGIN, ORIGIN)
                .header(header::REFERER, format!("{ORIGIN}/signin"))
                .header(header::ACCEPT, "text/html,application/xhtml+xml")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded"),
            body.to_owned(),
        )
    };
    let (req, body) = form("login=member&password=wrong-one&next=");
    let r = c.send(req, body).await;
    assert_eq!(r.status, StatusCode::FOUND);
    let back = r.headers[header::LOCATION].to_str().unwrap();
    assert!(
        back.starts_with(&format!("{ORIGIN}/signin?")) && back.contains("__err="),
        "{back}"
    );

    let (req, body) = form(&format!(
        "login=member&password={PASSWORD}&next=%2Fadmin%2Forgs"
    ));
    let r = c.send(req, body).await;
    assert_eq!(r.status, StatusCode::FOUND);
    assert_eq!(r.headers[header::LOCATION], "/admin/orgs");
    assert!(c.cookie.is_some());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_sign_in_may_only_send_the_browser_to_this_site(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    let r = c
        .call(
            "sign_in",
            &[
                ("login", "member"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(r.headers[header::LOCATION], "/me");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn changing_the_password_needs_the_current_one(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    c.sign_in("member", PASSWORD).await;
    let wrong = c
        .call(
            "change_password",
            &[
                ("current", "nope-nope"),
                ("password", "new-pass-2026!"),
                ("password_confirm", "new-pass-2026!"),
            ],
        )
        .await;
    assert_eq!(
        wrong.json(),
        json!({"Invalid": [{"field": "current", "msg": "WrongCurrentPassword"}]})
    );
    let ok = c
        .call(
            "change_password",
            &[
                ("current", PASSWORD),
                ("password", "new-pass-2026!"),
                ("password_confirm", "new-pass-2026!"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let mut fresh = client(&pool).await;
    assert_eq!(
        fresh.sign_in("member", PASSWORD).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        fresh.sign_in("member", "new-pass-2026!").await.status,
        StatusCode::OK
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_undecodable_request_is_a_400_not_a_500(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    c.sign_in("member", PASSWORD).await;
    let r = c.call("org_detail", &[("id", "not-a-number")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let r = c.call("sign_up", &[]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_language_switch_sets_the_cookie_and_the_account_preference(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    c.sign_in("member", PASSWORD).await;
    let r = c
        .call("set_locale", &[("locale", "en"), ("next", "/me")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .starts_with("lang=en")
    );
    let saved: String = sqlx::query_scalar("SELECT locale FROM users WHERE username = 'member'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(saved, "en");
    // The next sign-in, on any device, brings the language back.
    let mut other = client(&pool).await;
    let r = other.sign_in("member", PASSWORD).await;
    let cookies: Vec<_> = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(
        cookies.iter().any(|c| c.starts_with("lang=en")),
        "{cookies:?}"
    );
    assert_eq!(
        c.call("set_locale", &[("locale", "xx"), ("next", "/")])
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}

/// A client of its own server process (its own session copy) behind one trusted proxy,
/// coming from `ip`.
async fn from(pool: &PgPool, ip: &str, auth: Option<app::auth::session::AuthSettings>) -> Client {
    let mut s = common::settings();
    s.trust_proxy = 1;
    if let Some(a) = auth {
        s.auth = a;
    }
    let mut c = common::client_with(pool, s).await;
    c.forwarded_for = Some(ip.to_owned());
    c
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn someone_elses_wrong_guesses_do_not_lock_the_owner_out(pool: PgPool) {
    world(&pool).await;
    let mut attacker = from(&pool, "203.0.113.9", None).await;
    let mut refused = vec![];
    for _ in 0..10 {
        refused.push(attacker.sign_in("member", "guess-123456").await.status);
    }
    assert_eq!(
        refused,
        [
            [StatusCode::UNPROCESSABLE_ENTITY; 5],
            [StatusCode::TOO_MANY_REQUESTS; 5]
        ]
        .concat()
    );
    // The owner, from their own address, with the right password.
    let mut owner = from(&pool, "198.51.100.7", None).await;
    assert_eq!(
        owner.sign_in("member", PASSWORD).await.status,
        StatusCode::OK
    );
    assert_eq!(owner.current_user().await["display_name"], "member");
    // Only failures were counted, and only the attacker's address has them.
    assert_eq!(
        count(
            &pool,
            "SELECT coalesce(sum(hits), 0) FROM rate_limits WHERE key LIKE 'signin:fail:%' AND key LIKE '%198.51.100.7'"
        )
        .await,
        0
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_office_behind_one_address_signs_in_all_day(pool: PgPool) {
    world(&pool).await;
    let defaults = app::auth::session::AuthSettings::default();
    for i in 0..70 {
        let login = if i % 2 == 0 { "member" } else { "secretary" };
        let mut c = from(&pool, "192.0.2.50", Some(defaults.clone())).await;
        assert_eq!(
            c.sign_in(login, PASSWORD).await.status,
            StatusCode::OK,
            "sign-in {i}"
        );
    }
    assert_eq!(count(&pool, "SELECT count(*) FROM rate_limits").await, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_phone_number_and_a_user_name_count_as_one_account(pool: PgPool) {
    world(&pool).await;
    let mut c = from(&pool, "203.0.113.10", None).await;
    for login in ["member", "member", "member", "139 0000 0002", "13900000002"] {
        assert_eq!(
            c.sign_in(login, "guess-123456").await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    let r = c.sign_in("member", PASSWORD).await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "five guesses on one account"
    );
    assert!(c.cookie.is_none());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn guesses_spread_over_many_addresses_meet_a_growing_wait(pool: PgPool) {
    world(&pool).await;
    // 20 addresses, one guess each: the account's ceiling.
    for i in 0..20 {
        let mut c = from(&pool, &format!("203.0.113.{}", 100 + i), None).await;
        assert_eq!(
            c.sign_in("member", "guess-123456").await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    // An address that has guessed waits before its next guess, whatever it is.
    let mut again = from(&pool, "203.0.113.100", None).await;
    let r = again.sign_in("member", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    // The owner's address has not guessed: it gets in.
    let mut owner = from(&pool, "198.51.100.7", None).await;
    assert_eq!(
        owner.sign_in("member", PASSWORD).await.status,
        StatusCode::OK
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn changing_the_password_ends_the_accounts_other_sessions(pool: PgPool) {
    world(&pool).await;
    let (mut phone, mut laptop) = two_devices(&pool).await;
    assert_eq!(laptop.call("my_profile", &[]).await.status, StatusCode::OK);
    change_password(&mut phone).await;
    // The other session ends at once; the one that changed it goes on.
    assert_eq!(
        laptop.call("my_profile", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(laptop.current_user().await, json!(null));
    assert_eq!(phone.call("my_profile", &[]).await.status, StatusCode::OK);
    assert_eq!(
        count(
            &pool,
            "SELECT session_epoch::bigint FROM users WHERE username = 'member'"
        )
        .await,
        1
    );
    let mut again = client(&pool).await;
    assert_eq!(
        again.sign_in("member", PASSWORD).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        again
            .sign_in("member", "a-new-long-passphrase-9")
            .await
            .status,
        StatusCode::OK
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_sign_out_on_one_server_is_honoured_by_another_at_once(pool: PgPool) {
    world(&pool).await;
    // Two clients with routers of their own: two server processes, each keeping copies of
    // the sessions it has read.
    let mut one = client(&pool).await;
    let mut other = client(&pool).await;
    assert_eq!(one.sign_in("member", PASSWORD).await.status, StatusCode::OK);
    other.cookie = one.cookie.clone();
    assert_eq!(other.current_user().await["display_name"], "member");
    assert_eq!(other.call("my_profile", &[]).await.status, StatusCode::OK);
    assert_eq!(one.call("sign_out", &[]).await.status, StatusCode::OK);
    assert_eq!(
        other.call("my_profile", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(other.current_user().await, json!(null));
    assert_eq!(
        other
            .call(
                "member_board",
                &[("scope", ""), ("period", "week"), ("page", "1")]
            )
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(other.call("unread_notices", &[]).await.json(), json!(0));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn every_answer_forbids_the_powerful_browser_features_and_other_windows(pool: PgPool) {
    let mut c = client(&pool).await;
    for path in ["/signin", "/healthz"] {
        let r = c.get(path).await;
        let policy = r.headers["permissions-policy"].to_str().unwrap();
        assert!(
            policy.contains("camera=()") && policy.contains("geolocation=()"),
            "{policy}"
        );
        assert_eq!(r.headers["cross-origin-opener-policy"], "same-origin");
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn signed_out_pages_of_transfers_and_organization_life_go_to_sign_in_but_letter_checks_do_not(
    pool: PgPool,
) {
    world(&pool).await;
    let mut c = client(&pool).await;
    for path in ["/transfers/5", "/orglife"] {
        let page = c.get(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(
            page.headers[header::LOCATION],
            format!("/signin?next={path}").as_str()
        );
    }
    let verify = c.get("/transfers/verify").await;
    assert_ne!(
        verify.status,
        StatusCode::SEE_OTHER,
        "anyone may check a letter"
    );
}

/// Who is asking is read once per request and shared by every server function of it: what
/// changes after that read (a message arrives, the session ends elsewhere) is seen by the
/// next request, never by half of this one.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_request_reads_who_is_asking_once(pool: PgPool) {
    use app::auth::session::Asking;
    world(&pool).await;
    let member: UserId = sqlx::query_scalar("SELECT id FROM users WHERE username = 'member'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let claim = common::live_claim(&pool, member).await;
    let mut conn = pool.acquire().await.unwrap();
    let request = Asking::default();
    let first = request.viewer(&mut conn, &claim).await.unwrap().unwrap();
    assert_eq!((first.actor.user_id, first.unread), (member, 0));

    sqlx::query("INSERT INTO notifications (user_id, kind, title) VALUES ($1, 'test', '通知')")
        .bind(member)
        .execute(&pool)
        .await
        .unwrap();
    let same = request.viewer(&mut conn, &claim).await.unwrap().unwrap();
    assert_eq!(same.unread, 0, "the request keeps its first read");
    let next = Asking::default().viewer(&mut conn, &claim).await.unwrap();
    assert_eq!(
        next.map(|v| v.unread),
        Some(1),
        "the next request counts it"
    );

    sqlx::query("DELETE FROM tower_sessions.session WHERE id = $1")
        .bind(&claim.session_id)
        .execute(&pool)
        .await
        .unwrap();
    assert!(request.viewer(&mut conn, &claim).await.unwrap().is_some());
    assert!(
        Asking::default()
            .viewer(&mut conn, &claim)
            .await
            .unwrap()
            .is_none(),
        "the next request sees the session ended"
    );
}

/// The tab bar counts unread messages on every page but the messages list, which marks them
/// read as it opens.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_tab_bar_counts_unread_messages_except_on_the_list(pool: PgPool) {
    world(&pool).await;
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, title)
         SELECT id, 'test', '通知' FROM users WHERE username = 'member'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let mut c = client(&pool).await;
    assert_eq!(c.sign_in("member", PASSWORD).await.status, StatusCode::OK);
    let page = c.get("/study").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("class=\"tab-badge\""), "{}", page.body);
    let list = c.get("/me/notices").await;
    assert!(list.body.contains("通知"));
    assert!(!list.body.contains("class=\"tab-badge\""));
    let after = c.get("/study").await;
    assert!(
        !after.body.contains("class=\"tab-badge\""),
        "read on the list"
    );
}

/// 我的 reads the viewer in the same statement as its facts; the tab bar and the messages row
/// wait for that statement and show its unread count. A session ended elsewhere gets its
/// answer at once (nobody is left waiting for a viewer that never comes) and no facts.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_me_page_shares_its_viewer_with_the_tab_bar_and_ends_with_the_session(pool: PgPool) {
    world(&pool).await;
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, title)
         SELECT id, 'test', '通知' || n FROM users, generate_series(1, 3) n WHERE username = 'member'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let (mut phone, mut laptop) = two_devices(&pool).await;
    let page = laptop.get("/me").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("研发党支部"), "{}", page.body);
    assert!(page.body.contains("class=\"tab-badge\""), "{}", page.body);
    assert!(page.body.contains("class=\"badge\""), "{}", page.body);
    assert!(page.body.contains(">3<"), "{}", page.body);

    change_password(&mut phone).await;
    let page = tokio::time::timeout(std::time::Duration::from_secs(10), laptop.get("/me"))
        .await
        .expect("the page answers although its viewer never came");
    assert!(!page.body.contains("研发党支部"), "{}", page.body);
    assert!(!page.body.contains("tab-badge"), "{}", page.body);
    assert_eq!(
        laptop.call("my_profile", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
}

/// Changes the signed-in member's password from `PASSWORD` to a new one.
async fn change_password(c: &mut Client) {
    let r = c
        .call(
            "change_password",
            &[
                ("current", PASSWORD),
                ("password", "a-new-long-passphrase-9"),
                ("password_confirm", "a-new-long-passphrase-9"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

/// The member signed in on two devices.
async fn two_devices(pool: &PgPool) -> (Client, Client) {
    let mut devices = (client(pool).await, client(pool).await);
    for c in [&mut devices.0, &mut devices.1] {
        assert_eq!(c.sign_in("member", PASSWORD).await.status, StatusCode::OK);
    }
    devices
}

/// Routers built while another one serves pages (each test in these binaries builds its
/// own) leave that one's pages answering: listing the routes suppresses every resource's
/// loading across the process, so it happens once, before any router serves.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn pages_answer_while_other_routers_are_built(pool: PgPool) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    world(&pool).await;
    let mut c = client(&pool).await;
    c.sign_in("member", PASSWORD).await;

    let (done, built) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicUsize::new(0)),
    );
    let builder = std::thread::spawn({
        let (done, built, pool) = (done.clone(), built.clone(), pool.clone());
        move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            while !done.load(Ordering::Relaxed) {
                let options = leptos::prelude::LeptosOptions::builder()
                    .output_name("qnej")
                    .build();
                rt.block_on(async {
                    drop(server::router(pool.clone(), options, common::settings()));
                });
                built.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
    while built.load(Ordering::Relaxed) == 0 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    for i in 0..60 {
        let page = tokio::time::timeout(std::time::Duration::from_secs(15), c.get("/me")).await;
        let page = page.unwrap_or_else(|_| {
            done.store(true, Ordering::Relaxed);
            panic!("request {i} for /me did not answer")
        });
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("研发党支部"), "{}", page.body);
    }
    done.store(true, Ordering::Relaxed);
    builder.join().unwrap();
    assert!(
        built.load(Ordering::Relaxed) > 1,
        "routers were built meanwhile"
    );
}
