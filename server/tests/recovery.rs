//! Getting back into an account through the real router: a new password with a code by
//! text message (ending every other session), a reset code a branch secretary issues in
//! person (and who may issue one), signing in with a code, and the limits on sending and
//! guessing codes. The database is checked after each refusal.

mod common;

use common::{Client, PASSWORD, client, count, error_msg, signed_in, world};
use http::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

const MEMBER_PHONE: &str = "13900000002";
const NEW_PASSWORD: &str = "a-new-pass-2026";

/// A client of its own server process behind one trusted proxy, coming from `ip`.
async fn from(pool: &PgPool, ip: &str) -> Client {
    let mut s = common::settings();
    s.trust_proxy = 1;
    let mut c = common::client_with(pool, s).await;
    c.forwarded_for = Some(ip.to_owned());
    c
}

async fn send(c: &mut Client, phone: &str, purpose: &str) -> StatusCode {
    let r = c
        .call(
            "send_account_code",
            &[("phone", phone), ("purpose", purpose)],
        )
        .await;
    r.status
}

/// The SMS vendor's side: what it was given to send.
#[derive(Default)]
struct Received(std::sync::Mutex<Vec<(String, String)>>);

impl server::sms::SmsGateway for Received {
    fn send<'a>(
        &'a self,
        to: &'a str,
        body: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>> + Send + 'a>> {
        self.0
            .lock()
            .unwrap()
            .push((to.to_owned(), body.to_owned()));
        Box::pin(async { Ok(()) })
    }
}

/// The code of the last text message queued, as the gateway will be given it.
async fn last_code(pool: &PgPool) -> String {
    sqlx::query_scalar("SELECT secret FROM outbox ORDER BY id DESC LIMIT 1")
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn reset(c: &mut Client, login: &str, code: &str, password: &str) -> common::Reply {
    c.call(
        "reset_password",
        &[
            ("login", login),
            ("code", code),
            ("password", password),
            ("password_confirm", password),
        ],
    )
    .await
}

fn other_than(code: &str) -> &'static str {
    if code == "000000" { "111111" } else { "000000" }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_code_by_text_message_sets_a_new_password_once_and_ends_every_other_session(
    pool: PgPool,
) {
    world(&pool).await;
    let mut old = signed_in(&pool, "member").await;
    let mut c = client(&pool).await;
    let r = c
        .call(
            "send_account_code",
            &[("phone", MEMBER_PHONE), ("purpose", "reset")],
        )
        .await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "10"));
    // A number that names nobody gets the same answer, and no message.
    assert_eq!(send(&mut c, "13911112222", "reset").await, StatusCode::OK);
    assert_eq!(count(&pool, "SELECT count(*) FROM outbox").await, 1);
    let code = last_code(&pool).await;
    assert!(
        code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()),
        "{code}"
    );
    // Only a hash is kept, and the outbox page shows the message without the code.
    let q = format!("SELECT count(*) FROM account_codes WHERE code_hash LIKE '%{code}%'");
    assert_eq!(count(&pool, &q).await, 0);
    let mut conn = pool.acquire().await.unwrap();
    let listed = app::league::founding::store::outbox(&mut conn, 10)
        .await
        .unwrap();
    assert!(
        listed[0].body.contains("******") && !listed[0].body.contains(&code),
        "{}",
        listed[0].body
    );
    // The gateway gets the code in the text; once sent, the outbox forgets it.
    let vendor = Received::default();
    assert_eq!(server::sms::deliver(&pool, &vendor).await.unwrap(), 1);
    let sent = vendor.0.lock().unwrap().clone();
    assert_eq!(sent[0].0, MEMBER_PHONE);
    assert!(
        sent[0].1.contains(&code) && sent[0].1.contains("10 分钟"),
        "{}",
        sent[0].1
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM outbox WHERE secret IS NOT NULL"
        )
        .await,
        0
    );

    // A wrong code, then a weak password with the right one: nothing changes.
    let r = reset(&mut c, "member", other_than(&code), NEW_PASSWORD).await;
    assert_eq!(error_msg(&r.body), "CodeWrong", "{}", r.body);
    let r = reset(&mut c, "member", &code, "123").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM account_codes WHERE used_at IS NULL AND attempts = 1"
        )
        .await,
        1
    );
    assert_eq!(old.current_user().await["display_name"], "member");

    let r = reset(&mut c, " 13900000002 ", &code, NEW_PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(c.current_user().await["display_name"], "member");
    // The session signed in before is over; the old password no longer works.
    assert_eq!(old.current_user().await, Value::Null);
    let mut fresh = client(&pool).await;
    assert_eq!(
        fresh.sign_in("member", PASSWORD).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        fresh.sign_in("member", NEW_PASSWORD).await.status,
        StatusCode::OK
    );
    // The code was used: a replay is refused and changes nothing.
    let r = reset(
        &mut client(&pool).await,
        "member",
        &code,
        "another-pass-2026",
    )
    .await;
    assert_eq!(error_msg(&r.body), "CodeWrong", "{}", r.body);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM account_codes WHERE used_at IS NULL"
        )
        .await,
        0
    );
    assert_eq!(fresh.current_user().await["display_name"], "member");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn wrong_guesses_kill_a_code_and_count_as_failed_sign_ins(pool: PgPool) {
    world(&pool).await;
    let mut c = from(&pool, "203.0.113.9").await;
    assert_eq!(send(&mut c, MEMBER_PHONE, "reset").await, StatusCode::OK);
    let code = last_code(&pool).await;
    let mut answers = vec![];
    for _ in 0..6 {
        answers.push(
            reset(&mut c, "member", other_than(&code), NEW_PASSWORD)
                .await
                .status,
        );
    }
    assert_eq!(
        answers,
        [
            [StatusCode::UNPROCESSABLE_ENTITY; 5].as_slice(),
            &[StatusCode::TOO_MANY_REQUESTS]
        ]
        .concat()
    );
    // From another address the right code is dead after five wrong guesses.
    let mut owner = from(&pool, "198.51.100.7").await;
    let r = reset(&mut owner, "member", &code, NEW_PASSWORD).await;
    assert_eq!(error_msg(&r.body), "CodeWrong", "{}", r.body);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM account_codes WHERE attempts = 5 AND used_at IS NULL"
        )
        .await,
        1
    );
    assert_eq!(
        owner.sign_in("member", PASSWORD).await.status,
        StatusCode::OK
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn codes_are_sent_once_a_minute_and_a_few_times_per_number(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    let mut answers = vec![];
    for _ in 0..6 {
        answers.push(send(&mut c, MEMBER_PHONE, "reset").await);
    }
    assert_eq!(
        answers,
        [
            [StatusCode::OK; 5].as_slice(),
            &[StatusCode::TOO_MANY_REQUESTS]
        ]
        .concat()
    );
    // One message, one live code.
    assert_eq!(count(&pool, "SELECT count(*) FROM outbox").await, 1);
    assert_eq!(count(&pool, "SELECT count(*) FROM account_codes").await, 1);
    // Bad input names the field; an issued code is never sent.
    let r = c
        .call(
            "send_account_code",
            &[("phone", "12ab"), ("purpose", "sign_in")],
        )
        .await;
    assert_eq!(error_msg(&r.body), "PhoneInvalid", "{}", r.body);
    let r = c
        .call(
            "send_account_code",
            &[("phone", "13900000001"), ("purpose", "issued")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(count(&pool, "SELECT count(*) FROM outbox").await, 1);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_member_signs_in_with_a_code_by_text_message(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    // A reset code does not sign in.
    assert_eq!(send(&mut c, MEMBER_PHONE, "reset").await, StatusCode::OK);
    let reset_code = last_code(&pool).await;
    let r = c
        .call(
            "sign_in_with_code",
            &[
                ("number", MEMBER_PHONE),
                ("code", &reset_code),
                ("next", ""),
            ],
        )
        .await;
    assert_eq!(error_msg(&r.body), "CodeWrong", "{}", r.body);
    assert_eq!(send(&mut c, MEMBER_PHONE, "sign_in").await, StatusCode::OK);
    let code = last_code(&pool).await;
    let r = c
        .call(
            "sign_in_with_code",
            &[("number", MEMBER_PHONE), ("code", &code), ("next", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(c.current_user().await["display_name"], "member");
    // Signing in used every live code of the account, the reset code too.
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM account_codes WHERE used_at IS NULL"
        )
        .await,
        0
    );
    // The day's sign-in point was given.
    assert_eq!(
        count(&pool, "SELECT count(*) FROM point_ledger l JOIN users u ON u.id = l.user_id WHERE u.username = 'member'").await,
        1
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_secretary_issues_a_reset_code_to_a_member_of_the_branch_and_no_further(pool: PgPool) {
    let w = world(&pool).await;
    let member: i64 = count(&pool, "SELECT id FROM users WHERE username = 'member'").await;
    let secretary: i64 = count(&pool, "SELECT id FROM users WHERE username = 'secretary'").await;
    let (a, b, m, s) = (
        w.branch_a.0.to_string(),
        w.branch_b.0.to_string(),
        member.to_string(),
        secretary.to_string(),
    );
    // Signed out, a plain member, another branch's secretary: refused, nothing stored.
    let r = client(&pool)
        .await
        .call("issue_reset_code", &[("org", &a), ("member", &m)])
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let mut plain = signed_in(&pool, "member").await;
    let r = plain
        .call("issue_reset_code", &[("org", &a), ("member", &m)])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut other = signed_in(&pool, "secretary2").await;
    let r = other
        .call("issue_reset_code", &[("org", &a), ("member", &m)])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = other
        .call("issue_reset_code", &[("org", &b), ("member", &m)])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // An officer's account is not reachable with a secretary's code, not even their own.
    let mut sec = signed_in(&pool, "secretary").await;
    let r = sec
        .call("issue_reset_code", &[("org", &a), ("member", &s)])
        .await;
    assert_eq!(error_msg(&r.body), "ResetNotForOfficers", "{}", r.body);
    assert_eq!(count(&pool, "SELECT count(*) FROM account_codes").await, 0);

    let r = sec
        .call("issue_reset_code", &[("org", &a), ("member", &m)])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let issued = r.json();
    assert_eq!(
        (issued["name"].as_str(), issued["hours"].as_i64()),
        (Some("member"), Some(24))
    );
    let code = issued["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 8);
    assert_eq!(
        common::notifications(&pool, "member", "reset_code_issued").await,
        1
    );
    // A text-message code's shape is not taken for it; typed in lower case with a dash it is.
    let typed = format!("{}-{}", &code[..4], &code[4..]).to_lowercase();
    let r = reset(&mut client(&pool).await, "member", &typed, NEW_PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(plain.current_user().await, Value::Null);
    assert_eq!(
        client(&pool)
            .await
            .sign_in("member", NEW_PASSWORD)
            .await
            .status,
        StatusCode::OK
    );
    // A platform admin may issue one to an officer.
    let mut admin = signed_in(&pool, "admin").await;
    let r = admin
        .call("issue_reset_code", &[("org", &a), ("member", &s)])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn one_code_sent_twice_at_once_sets_one_password(pool: PgPool) {
    world(&pool).await;
    let mut c = client(&pool).await;
    assert_eq!(send(&mut c, MEMBER_PHONE, "reset").await, StatusCode::OK);
    let code = last_code(&pool).await;
    let (mut x, mut y) = (
        from(&pool, "198.51.100.1").await,
        from(&pool, "198.51.100.2").await,
    );
    let (rx, ry) = tokio::join!(
        reset(&mut x, "member", &code, "first-pass-2026"),
        reset(&mut y, "member", &code, "second-pass-2026")
    );
    let mut statuses = [rx.status, ry.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::UNPROCESSABLE_ENTITY],
        "{} {}",
        rx.body,
        ry.body
    );
    let winner = if rx.status == StatusCode::OK {
        "first-pass-2026"
    } else {
        "second-pass-2026"
    };
    let mut fresh = client(&pool).await;
    assert_eq!(fresh.sign_in("member", winner).await.status, StatusCode::OK);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM account_codes WHERE used_at IS NOT NULL"
        )
        .await,
        1
    );
}
