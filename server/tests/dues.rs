//! Dues through the real router and in the database: declaring a base once a year, paying
//! online and the branch's confirmation, the receipt, cash recorded by the dues officer,
//! corrections with a reason, reversals, who may see and do what, bad input that saves
//! nothing, and twenty payments of the same months at once.

mod common;

use app::auth::model::Role;
use app::ids::UserId;
use common::{Client, PASSWORD, World, client, count, error_msg, signed_in, world};
use http::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

async fn user(pool: &PgPool, username: &str) -> UserId {
    sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// This month in Asia/Shanghai, as the forms write it.
fn this_month() -> app::dues::model::Month {
    app::dues::flow::this_month(chrono::Utc::now())
}

/// The member's Party standing on their dues page.
async fn party_standing(c: &mut Client) -> Value {
    let r = c.call("my_dues", &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    v["trees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t[0]["tree"] == "Party")
        .map(|t| t[0].clone())
        .unwrap_or_else(|| panic!("no Party dues in {v}"))
}

async fn declare(c: &mut Client, category: &str, base: &str) -> (StatusCode, String) {
    let r = c
        .call(
            "declare_dues_base",
            &[
                ("tree", "party"),
                ("category", category),
                ("base", base),
                ("extra", ""),
            ],
        )
        .await;
    (r.status, r.body)
}

async fn pay(c: &mut Client, from: &str, months: &str) -> (StatusCode, String) {
    let r = c
        .call(
            "pay_dues",
            &[("tree", "party"), ("from", from), ("months", months)],
        )
        .await;
    (r.status, r.body)
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_member_declares_a_base_pays_three_months_and_the_branch_confirms_them(pool: PgPool) {
    let w: World = world(&pool).await;
    let now = this_month();
    let mut member = signed_in(&pool, "member").await;

    let s = party_standing(&mut member).await;
    assert_eq!(s["base"], Value::Null);
    assert_eq!(s["monthly"], Value::Null, "no amount before a base");
    assert_eq!(s["first_unpaid"], now.to_string());

    // 8,000 yuan a month is in the 1.5% bracket: 120 yuan a month.
    assert_eq!(
        declare(&mut member, "employed", "8000").await.0,
        StatusCode::OK
    );
    let (status, body) = declare(&mut member, "employed", "3000").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(error_msg(&body), "DuesBaseDeclared");
    let s = party_standing(&mut member).await;
    assert_eq!(s["monthly"], 12_000);
    assert_eq!(s["rate"], "1.5%");
    assert_eq!(s["due"], 12_000, "this month is due");

    let (status, body) = pay(&mut member, &now.to_string(), "3").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (state, amount, months): (String, i64, i32) =
        sqlx::query_as("SELECT state, amount, months FROM dues_payments")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((state.as_str(), amount, months), ("pending", 36_000, 3));
    // The months are held while the branch checks: nothing more is due.
    let s = party_standing(&mut member).await;
    assert_eq!(s["due_months"], 0);
    assert_eq!(s["paid_up_to"], now.plus(2).to_string());
    assert_eq!(
        common::notifications(&pool, "secretary", "dues_to_confirm").await,
        1
    );

    // The receipt waits for the confirmation.
    let id: i64 = sqlx::query_scalar("SELECT id FROM dues_payments")
        .fetch_one(&pool)
        .await
        .unwrap();
    let id_s = id.to_string();
    let r = member.call("dues_receipt", &[("payment", &id_s)]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let mut secretary = signed_in(&pool, "secretary").await;
    let r = secretary
        .call("branch_dues", &[("org", &w.branch_a.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    assert_eq!(v["payments"][0]["state"], "pending");
    let r = secretary
        .call(
            "settle_dues",
            &[("payment", &id_s), ("how", "confirm"), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Confirming twice changes nothing.
    let r = secretary
        .call(
            "settle_dues",
            &[("payment", &id_s), ("how", "confirm"), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(error_msg(&r.body), "DuesAlreadySettled");

    let r = member.call("dues_receipt", &[("payment", &id_s)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let receipt = r.json();
    let year = now.year();
    assert_eq!(receipt["receipt_no"], format!("DF{year}-{id:06}"));
    assert_eq!(receipt["amount"], 36_000);
    assert_eq!(receipt["first"], now.to_string());
    assert_eq!(receipt["last"], now.plus(2).to_string());

    // Someone else's receipt is not theirs to read: another branch's secretary.
    let mut other = signed_in(&pool, "secretary2").await;
    let r = other.call("dues_receipt", &[("payment", &id_s)]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn wrong_input_names_the_field_and_saves_nothing(pool: PgPool) {
    world(&pool).await;
    let now = this_month().to_string();
    let mut member = signed_in(&pool, "member").await;

    // Paying before any base: nothing prices the months.
    let (status, body) = pay(&mut member, &now, "1").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_msg(&body), "DuesNoBase");

    for (category, base, msg) in [
        ("", "8000", "Required"),
        ("employed", "abc", "MoneyInvalid"),
        ("employed", "-5", "MoneyInvalid"),
        ("employed", "12.345", "MoneyInvalid"),
        ("employed", "", "Required"),
        ("student", "5", "DuesFixedRange"),
        ("king", "8000", "Required"),
    ] {
        let (status, body) = declare(&mut member, category, base).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{category} {base}: {body}"
        );
        assert_eq!(error_msg(&body), msg, "{category} {base}");
    }
    assert_eq!(count(&pool, "SELECT count(*) FROM dues_bases").await, 0);

    assert_eq!(declare(&mut member, "student", "").await.0, StatusCode::OK);
    for (from, months, msg) in [
        (now.as_str(), "0", "DuesMonths"),
        (now.as_str(), "13", "DuesMonths"),
        (now.as_str(), "x", "DuesMonths"),
        ("2026/13", "1", "DuesMonths"),
    ] {
        let (status, body) = pay(&mut member, from, months).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{from} {months}: {body}"
        );
        assert_eq!(error_msg(&body), msg);
    }
    // A month that is not the first unpaid one (a stale page or a replay) is refused.
    let later = this_month().plus(1).to_string();
    let (status, body) = pay(&mut member, &later, "1").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(error_msg(&body), "DuesMonthPaid");
    // Twelve months ahead at most.
    assert_eq!(pay(&mut member, &now, "12").await.0, StatusCode::OK);
    let next = this_month().plus(12).to_string();
    let (status, body) = pay(&mut member, &next, "1").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_msg(&body), "DuesTooFarAhead");
    assert_eq!(count(&pool, "SELECT count(*) FROM dues_payments").await, 1);
    assert_eq!(
        count(&pool, "SELECT sum(amount)::bigint FROM dues_payments").await,
        12 * 20
    );

    // A tree the person does not pay in.
    let r = member
        .call(
            "declare_dues_base",
            &[
                ("tree", "league"),
                ("category", "student"),
                ("base", ""),
                ("extra", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(error_msg(&r.body), "DuesNotPayer");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn another_branchs_secretary_and_a_plain_member_can_neither_see_nor_record_dues(
    pool: PgPool,
) {
    let w = world(&pool).await;
    let member_id = user(&pool, "member").await.to_string();
    let branch_a = w.branch_a.to_string();
    let now = this_month().to_string();
    let mut member = signed_in(&pool, "member").await;
    assert_eq!(
        declare(&mut member, "employed", "8000").await.0,
        StatusCode::OK
    );
    assert_eq!(pay(&mut member, &now, "1").await.0, StatusCode::OK);
    let id: i64 = sqlx::query_scalar("SELECT id FROM dues_payments")
        .fetch_one(&pool)
        .await
        .unwrap();
    let id = id.to_string();

    for login in ["secretary2", "member"] {
        let mut c = signed_in(&pool, login).await;
        let r = c.call("branch_dues", &[("org", &branch_a)]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{login} sees the branch");
        let r = c
            .call(
                "record_dues",
                &[
                    ("org", &branch_a),
                    ("member", &member_id),
                    ("from", &this_month().plus(1).to_string()),
                    ("months", "1"),
                    ("method", "cash"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{login} records");
        let r = c
            .call(
                "set_dues_base",
                &[
                    ("org", &branch_a),
                    ("member", &member_id),
                    ("category", "employed"),
                    ("base", "100"),
                    ("extra", ""),
                    ("reason", "改低一点"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{login} corrects");
        let r = c
            .call(
                "settle_dues",
                &[("payment", &id), ("how", "confirm"), ("reason", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{login} confirms");
    }
    // Signed out: nothing at all.
    let mut anon = client(&pool).await;
    let r = anon.call("my_dues", &[]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    assert_eq!(count(&pool, "SELECT count(*) FROM dues_payments").await, 1);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM dues_payments WHERE state = 'pending'"
        )
        .await,
        1
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM dues_bases").await, 1);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_dues_officer_records_cash_corrects_a_base_with_a_reason_and_reverses_a_payment(
    pool: PgPool,
) {
    let w = world(&pool).await;
    let branch_a = w.branch_a.to_string();
    let member = user(&pool, "member").await;
    let member_s = member.to_string();
    let officer = {
        let mut c = pool.acquire().await.unwrap();
        let hash = app::auth::session::hash_password(PASSWORD.to_owned())
            .await
            .unwrap();
        let id = common::add_user(&mut c, &hash, "collector", "13900000009").await;
        app::orgs::store::grant_role(&mut c, id, Role::DuesOfficer, Some(w.branch_a), None)
            .await
            .unwrap();
        id
    };
    let mut c = signed_in(&pool, "collector").await;
    let now = this_month();
    let set_base = |base: &'static str, reason: &'static str| {
        [
            ("org", branch_a.clone()),
            ("member", member_s.clone()),
            ("category", "employed".to_owned()),
            ("base", base.to_owned()),
            ("extra", String::new()),
            ("reason", reason.to_owned()),
        ]
    };
    let call = async |c: &mut Client, name: &str, f: &[(&str, String)]| {
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        c.call(name, &f).await
    };

    // The officer sets the base (none yet: no reason needed).
    let r = call(&mut c, "set_dues_base", &set_base("4000", "")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // 4,000 yuan at 1%: 40 yuan; two months in cash, paid at once with a receipt.
    let record = [
        ("org", branch_a.clone()),
        ("member", member_s.clone()),
        ("from", now.to_string()),
        ("months", "2".to_owned()),
        ("method", "cash".to_owned()),
    ];
    let r = call(&mut c, "record_dues", &record).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The same form sent again finds its months taken.
    let r = call(&mut c, "record_dues", &record).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let (id, state, amount, receipt): (i64, String, i64, Option<String>) = sqlx::query_as(
        "SELECT id, state, amount, receipt_no FROM dues_payments WHERE recorded_by = $1",
    )
    .bind(officer)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((state.as_str(), amount), ("paid", 8_000));
    assert!(receipt.unwrap().starts_with("DF"));

    // A correction needs a reason; with one it replaces the base and keeps the old one.
    let r = call(&mut c, "set_dues_base", &set_base("9000", "")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(error_msg(&r.body), "DuesReasonRequired");
    let r = call(&mut c, "set_dues_base", &set_base("9000", "工资调整")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(count(&pool, "SELECT count(*) FROM dues_bases").await, 2);
    // The paid months keep what was paid; the next month costs 1.5% of 9,000.
    assert_eq!(
        count(
            &pool,
            "SELECT sum(amount)::bigint FROM dues_months WHERE live"
        )
        .await,
        8_000
    );
    let mut m = signed_in(&pool, "member").await;
    assert_eq!(party_standing(&mut m).await["monthly"], 13_500);
    assert_eq!(
        party_standing(&mut m).await["paid_up_to"],
        now.plus(1).to_string()
    );

    // A reversal says why, frees the months, and happens once.
    let id_s = id.to_string();
    let reverse = |reason: &str| {
        [
            ("payment", id_s.clone()),
            ("how", "reverse".to_owned()),
            ("reason", reason.to_owned()),
        ]
    };
    let r = call(&mut c, "settle_dues", &reverse("")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = call(&mut c, "settle_dues", &reverse("登记错了人")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = call(&mut c, "settle_dues", &reverse("再冲一次")).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM dues_months WHERE live").await,
        0
    );
    assert_eq!(
        party_standing(&mut m).await["paid_up_to"],
        now.plus(-1).to_string()
    );
    assert_eq!(
        common::notifications(&pool, "member", "dues_settled").await,
        1
    );
    // What was paid is kept as it was.
    let (state, amount): (String, i64) =
        sqlx::query_as("SELECT state, amount FROM dues_payments WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((state.as_str(), amount), ("reversed", 8_000));
    // The rows refuse to be rewritten or removed, even by hand.
    for sql in [
        "UPDATE dues_payments SET amount = 1",
        "UPDATE dues_payments SET state = 'paid'",
        "DELETE FROM dues_payments",
        "UPDATE dues_months SET live = true",
        "DELETE FROM dues_months",
        "UPDATE dues_bases SET base = 1",
        "DELETE FROM dues_bases",
    ] {
        assert!(sqlx::query(sql).execute(&pool).await.is_err(), "{sql}");
    }
    // A dues officer does not open the organization pages.
    let r = c.call("org_tree", &[]).await;
    assert_ne!(r.status, StatusCode::OK, "{}", r.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn twenty_payments_of_the_same_months_at_once_record_exactly_one(pool: PgPool) {
    world(&pool).await;
    let member = user(&pool, "member").await;
    let mut m = signed_in(&pool, "member").await;
    assert_eq!(declare(&mut m, "employed", "8000").await.0, StatusCode::OK);
    let actor = app::auth::model::Actor {
        user_id: member,
        grants: vec![],
    };
    let ask = app::dues::model::PayMonths {
        from: this_month(),
        months: 3,
    };
    let mut tasks = vec![];
    for _ in 0..20 {
        let (pool, actor) = (pool.clone(), actor.clone());
        tasks.push(tokio::spawn(async move {
            let mut tx = pool.begin().await.unwrap();
            let r = app::dues::flow::pay_online(
                &mut tx,
                &actor,
                app::orgs::model::Tree::Party,
                ask,
                false,
                chrono::Utc::now(),
            )
            .await;
            if r.is_ok() {
                tx.commit().await.unwrap();
            }
            r.map(|_| ())
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(()) => ok += 1,
            Err(e) => assert_eq!(
                e,
                app::error::AppError::Conflict(app::error::Msg::DuesMonthPaid)
            ),
        }
    }
    assert_eq!(ok, 1);
    assert_eq!(count(&pool, "SELECT count(*) FROM dues_payments").await, 1);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM dues_months WHERE live").await,
        3
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_new_rate_table_never_changes_a_month_before_it(pool: PgPool) {
    world(&pool).await;
    let mut m = signed_in(&pool, "member").await;
    assert_eq!(declare(&mut m, "employed", "8000").await.0, StatusCode::OK);
    // From next month, a flat 1%.
    sqlx::query(
        "INSERT INTO dues_rate_tables (tree, valid_from, rates) VALUES ('party', $1,
         '{\"employed\": [{\"up_to\": null, \"rate\": {\"share\": 100}}],
           \"retired\": [{\"up_to\": null, \"rate\": {\"share\": 100}}],
           \"fixed_min\": 20, \"fixed_max\": 100}')",
    )
    .bind(this_month().plus(1).first_day())
    .execute(&pool)
    .await
    .unwrap();
    let s = party_standing(&mut m).await;
    assert_eq!(
        s["monthly"], 12_000,
        "this month keeps the table in force now"
    );
    let now = this_month().to_string();
    assert_eq!(pay(&mut m, &now, "2").await.0, StatusCode::OK);
    let amounts: Vec<i64> = sqlx::query_scalar("SELECT amount FROM dues_months ORDER BY month")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(amounts, vec![12_000, 8_000]);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_me_page_shows_where_the_member_stands_from_the_books_opening(pool: PgPool) {
    world(&pool).await;
    let member = user(&pool, "member").await;
    let now = this_month();
    // The branch's paper book had the member paid up to three months ago.
    sqlx::query(
        "INSERT INTO dues_openings (user_id, tree, paid_up_to, source) VALUES ($1, 'party', $2, 'book')",
    )
    .bind(member)
    .bind(now.plus(-3).first_day())
    .execute(&pool)
    .await
    .unwrap();
    let mut m = signed_in(&pool, "member").await;
    assert_eq!(declare(&mut m, "employed", "8000").await.0, StatusCode::OK);
    let r = m.call("my_profile", &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let dues = &r.json()["dues"];
    assert_eq!(dues.as_array().unwrap().len(), 1, "{dues}");
    assert_eq!(dues[0]["tree"], "Party");
    assert_eq!(dues[0]["paid_up_to"], now.plus(-3).to_string());
    assert_eq!(dues[0]["behind"], 2);
    let s = party_standing(&mut m).await;
    assert_eq!(
        (s["due_months"].clone(), s["due"].clone()),
        (3.into(), 36_000.into())
    );
    assert_eq!(s["first_unpaid"], now.plus(-2).to_string());
    // Paying the three months clears it.
    assert_eq!(
        pay(&mut m, &now.plus(-2).to_string(), "3").await.0,
        StatusCode::OK
    );
    let r = m.call("my_profile", &[]).await;
    assert_eq!(r.json()["dues"][0]["behind"], 0);
    assert_eq!(r.json()["dues"][0]["paid_up_to"], now.to_string());
}

/// A payment provider's command in a file of its own: `answer` is its shell `echo` line.
fn provider(name: &str, answer: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::temp_dir().join(format!(
        "qnej-pay-{name}-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::write(&path, format!("#!/bin/sh\necho \"{answer}\"\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn rand_suffix() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
}

const SECRET: &[u8] = b"provider-shared-secret";

async fn with_provider(pool: &PgPool, command: Option<std::path::PathBuf>, login: &str) -> Client {
    let settings = server::Settings {
        payment_command: command,
        payment_webhook_secret: Some(app::dues::gateway::WebhookSecret(SECRET.to_vec())),
        ..common::settings()
    };
    let mut c = common::client_with(pool, settings).await;
    assert_eq!(c.sign_in(login, PASSWORD).await.status, StatusCode::OK);
    c
}

async fn payment_state(pool: &PgPool) -> (String, Option<String>, Option<String>) {
    sqlx::query_as("SELECT state, provider_ref, receipt_no FROM dues_payments")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn with_a_provider_an_online_payment_is_paid_at_once_or_freed_when_refused(pool: PgPool) {
    world(&pool).await;
    let now = this_month().to_string();
    // The command gets the payment's id, the amount in fen and the kind.
    let mut m = with_provider(&pool, Some(provider("paid", "paid T-$1-$2-$3")), "member").await;
    assert_eq!(declare(&mut m, "employed", "8000").await.0, StatusCode::OK);
    assert_eq!(pay(&mut m, &now, "3").await.0, StatusCode::OK);
    let id: i64 = sqlx::query_scalar("SELECT id FROM dues_payments")
        .fetch_one(&pool)
        .await
        .unwrap();
    let (state, reference, receipt) = payment_state(&pool).await;
    assert_eq!(state, "paid");
    assert_eq!(
        reference.as_deref(),
        Some(format!("T-{id}-36000-DF").as_str())
    );
    assert!(receipt.is_some());
    let r = m
        .call("dues_receipt", &[("payment", &id.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.json()["settled_by"],
        Value::Null,
        "confirmed by the provider"
    );
    // Nobody at the branch has anything to confirm.
    assert_eq!(
        common::notifications(&pool, "secretary", "dues_to_confirm").await,
        0
    );

    // A provider that refuses: the months are free again and the member is told.
    let mut other = with_provider(
        &pool,
        Some(provider("refused", "refused 余额不足")),
        "secretary",
    )
    .await;
    assert_eq!(
        declare(&mut other, "employed", "5000").await.0,
        StatusCode::OK
    );
    assert_eq!(pay(&mut other, &now, "1").await.0, StatusCode::OK);
    let (state, reason): (String, Option<String>) = sqlx::query_as(
        "SELECT p.state, p.reason FROM dues_payments p JOIN users u ON u.id = p.user_id
         WHERE u.username = 'secretary'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (state.as_str(), reason.as_deref()),
        ("declined", Some("余额不足"))
    );
    assert_eq!(party_standing(&mut other).await["due_months"], 1);
    assert_eq!(
        common::notifications(&pool, "secretary", "dues_settled").await,
        1
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_providers_notification_is_recorded_once_and_only_with_its_signature(pool: PgPool) {
    world(&pool).await;
    let now = this_month().to_string();
    let mut m = with_provider(&pool, Some(provider("waiting", "waiting W-$1")), "member").await;
    assert_eq!(declare(&mut m, "employed", "8000").await.0, StatusCode::OK);
    assert_eq!(pay(&mut m, &now, "2").await.0, StatusCode::OK);
    let id: i64 = sqlx::query_scalar("SELECT id FROM dues_payments")
        .fetch_one(&pool)
        .await
        .unwrap();
    let reference = format!("W-{id}");
    assert_eq!(payment_state(&pool).await.0, "pending");

    let post = async |c: &mut Client, body: &str, signature: &str| {
        let req = http::Request::post("/dues/notify")
            .header(http::header::HOST, common::HOST)
            .header(http::header::CONTENT_TYPE, "application/json")
            .header("x-signature", signature);
        c.send(req, body.to_owned()).await.status
    };
    let secret = app::dues::gateway::WebhookSecret(SECRET.to_vec());
    let body = |amount: i64, status: &str, reference: &str| {
        format!(
            r#"{{"payment":{id},"reference":"{reference}","amount":{amount},"status":"{status}"}}"#
        )
    };
    let paid = body(24_000, "paid", &reference);
    // Unsigned, or signed with another secret: refused, nothing changes.
    let mut provider_side = common::client_with(
        &pool,
        server::Settings {
            payment_webhook_secret: Some(secret.clone()),
            ..common::settings()
        },
    )
    .await;
    assert_eq!(
        post(&mut provider_side, &paid, "").await,
        StatusCode::UNAUTHORIZED
    );
    let forged = app::dues::gateway::WebhookSecret(b"guess".to_vec()).sign(paid.as_bytes());
    assert_eq!(
        post(&mut provider_side, &paid, &forged).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(payment_state(&pool).await.0, "pending");
    // Another amount, or another reference: a conflict.
    let wrong = body(1, "paid", &reference);
    assert_eq!(
        post(&mut provider_side, &wrong, &secret.sign(wrong.as_bytes())).await,
        StatusCode::CONFLICT
    );
    let wrong = body(24_000, "paid", "W-other");
    assert_eq!(
        post(&mut provider_side, &wrong, &secret.sign(wrong.as_bytes())).await,
        StatusCode::CONFLICT
    );
    // Signed garbage, or a payment nobody made.
    assert_eq!(
        post(&mut provider_side, "{}", &secret.sign(b"{}")).await,
        StatusCode::BAD_REQUEST
    );
    let unknown = body(24_000, "paid", &reference)
        .replace(&format!("\"payment\":{id}"), "\"payment\":999999");
    assert_eq!(
        post(
            &mut provider_side,
            &unknown,
            &secret.sign(unknown.as_bytes())
        )
        .await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(payment_state(&pool).await.0, "pending");

    // The right one, twice: paid once, the same receipt.
    let sig = secret.sign(paid.as_bytes());
    assert_eq!(post(&mut provider_side, &paid, &sig).await, StatusCode::OK);
    let first = payment_state(&pool).await;
    assert_eq!(first.0, "paid");
    assert_eq!(post(&mut provider_side, &paid, &sig).await, StatusCode::OK);
    assert_eq!(payment_state(&pool).await, first);
    // A late "refused" for a paid payment changes nothing.
    let refused = body(24_000, "refused", &reference);
    assert_eq!(
        post(
            &mut provider_side,
            &refused,
            &secret.sign(refused.as_bytes())
        )
        .await,
        StatusCode::CONFLICT
    );
    assert_eq!(payment_state(&pool).await, first);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM dues_months WHERE live").await,
        2
    );

    // Without a configured secret, no notification is taken at all.
    let mut plain = common::client(&pool).await;
    assert_eq!(post(&mut plain, &paid, &sig).await, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn members_behind_are_reminded_from_the_fifth_and_six_months_warn_the_branch_and_above_once(
    pool: PgPool,
) {
    world(&pool).await;
    let member = user(&pool, "member").await;
    let secretary = user(&pool, "secretary").await;
    let now = this_month();
    // The member last paid eight months ago: seven months unpaid before this one. The
    // secretary is paid up to last month.
    for (who, months) in [(member, 8), (secretary, 1)] {
        sqlx::query(
            "INSERT INTO dues_openings (user_id, tree, paid_up_to, source) VALUES ($1, 'party', $2, 'book')",
        )
        .bind(who)
        .bind(now.plus(-months).first_day())
        .execute(&pool)
        .await
        .unwrap();
    }
    let run = async |day: u64| {
        let mut tx = pool.begin().await.unwrap();
        let today = now.first_day() + chrono::Days::new(day - 1);
        let r = app::dues::flow::run_alerts(&mut tx, today).await.unwrap();
        tx.commit().await.unwrap();
        r
    };
    // On the 4th: no reminder yet, but the warning goes out.
    run(4).await;
    assert_eq!(
        common::notifications(&pool, "member", "dues_reminder").await,
        0
    );
    assert_eq!(
        common::notifications(&pool, "secretary", "dues_lapse").await,
        1
    );
    assert_eq!(
        common::notifications(&pool, "orgadmin", "dues_lapse").await,
        1
    );
    assert_eq!(
        common::notifications(&pool, "secretary2", "dues_lapse").await,
        0
    );
    // From the 5th, the member is reminded; running again (every hour) tells nobody twice.
    run(5).await;
    run(6).await;
    assert_eq!(
        common::notifications(&pool, "member", "dues_reminder").await,
        1
    );
    assert_eq!(
        common::notifications(&pool, "secretary", "dues_reminder").await,
        0
    );
    assert_eq!(
        common::notifications(&pool, "secretary", "dues_lapse").await,
        1
    );
    assert_eq!(
        common::notifications(&pool, "orgadmin", "dues_lapse").await,
        1
    );
    let text: Value = sqlx::query_scalar(
        "SELECT n.message FROM notifications n JOIN users u ON u.id = n.user_id
         WHERE u.username = 'secretary' AND n.kind = 'dues_lapse'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(text["DuesLapse"]["months"], 7);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_committee_sees_each_month_and_each_branch_and_downloads_them_as_sheets(pool: PgPool) {
    let w = world(&pool).await;
    let now = this_month();
    let mut m = signed_in(&pool, "member").await;
    assert_eq!(declare(&mut m, "employed", "8000").await.0, StatusCode::OK);
    let mut s = signed_in(&pool, "secretary").await;
    assert_eq!(declare(&mut s, "employed", "4000").await.0, StatusCode::OK);
    // The secretary pays this month in cash through the branch; the member does not.
    let mut s2 = signed_in(&pool, "secretary2").await;
    assert_eq!(declare(&mut s2, "student", "").await.0, StatusCode::OK);
    let secretary = user(&pool, "secretary").await.to_string();
    let r = s
        .call(
            "record_dues",
            &[
                ("org", &w.branch_a.to_string()),
                ("member", &secretary),
                ("from", &now.to_string()),
                ("months", "1"),
                ("method", "cash"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    let mut admin = signed_in(&pool, "orgadmin").await;
    let r = admin
        .call(
            "dues_summary",
            &[("org", &w.committee.to_string()), ("year", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    let last = v["months"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["month"], now.to_string());
    // Three owe this month (two in 研发, one in 运营); one has paid 40 yuan; 120 + 0.20 owed.
    assert_eq!(
        (last["members"].clone(), last["paid_up"].clone()),
        (3.into(), 1.into())
    );
    assert_eq!(last["paid"], 4_000);
    assert_eq!(last["arrears"], 12_020);
    assert_eq!(v["branches"].as_array().unwrap().len(), 2);

    // The sheets: the same figures in yuan, text cells safe.
    let r = admin
        .get(&format!(
            "/orglife/dues/export.csv?org={}&year={}",
            w.committee,
            now.year()
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains(&format!("甲公司党委,{now},3,1,160.20,40.00,120.20")),
        "{}",
        r.body
    );
    assert!(r.body.contains("研发党支部") && r.body.contains("运营党支部"));
    let r = admin
        .get(&format!(
            "/orglife/dues/export.xlsx?org={}&year={}",
            w.committee,
            now.year()
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers[http::header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(r.body.starts_with("PK"), "a zip archive");
    // Bad input answers 4xx, never 500; another company's branch is refused.
    for q in ["org=x&year=2026", "org=1&year=abc", "org=1&year=1900"] {
        let r = admin.get(&format!("/orglife/dues/export.csv?{q}")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
    }
    let mut other = signed_in(&pool, "secretary2").await;
    let r = other
        .get(&format!(
            "/orglife/dues/export.csv?org={}&year={}",
            w.branch_a,
            now.year()
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = other
        .call(
            "dues_summary",
            &[("org", &w.committee.to_string()), ("year", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_platform_admin_sets_the_leagues_rates_from_a_month_on_and_nobody_else_can(
    pool: PgPool,
) {
    world(&pool).await;
    let now = this_month();
    let next = now.plus(1).to_string();
    let form = |from: &str, employed: &str| {
        [
            ("from", from.to_owned()),
            ("employed", employed.to_owned()),
            ("retired", "0.5".to_owned()),
            ("fixed", "0.2".to_owned()),
        ]
    };
    let call = async |c: &mut Client, f: &[(&str, String)]| {
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        c.call("add_league_rates", &f).await
    };
    for login in ["orgadmin", "secretary", "member"] {
        let mut c = signed_in(&pool, login).await;
        assert_eq!(
            call(&mut c, &form(&next, "1")).await.status,
            StatusCode::FORBIDDEN,
            "{login}"
        );
        assert_eq!(
            c.call("dues_rates", &[]).await.status,
            StatusCode::FORBIDDEN,
            "{login}"
        );
    }
    let mut admin = signed_in(&pool, "admin").await;
    // Last month is past; nonsense amounts name their fields; nothing is saved.
    let r = call(&mut admin, &form(&now.plus(-1).to_string(), "abc")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = r.json()["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["from", "employed"]);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM dues_rate_tables").await,
        2
    );

    assert_eq!(
        call(&mut admin, &form(&next, "1")).await.status,
        StatusCode::OK
    );
    let r = call(&mut admin, &form(&next, "2")).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(error_msg(&r.body), "DuesRatesExist");
    let r = admin.call("dues_rates", &[]).await;
    let versions = r.json();
    assert_eq!(versions.as_array().unwrap().len(), 3);
    assert_eq!(versions[0][0], "League");
    assert_eq!(versions[0][1], next);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_branchs_collector_cannot_record_or_set_a_base_for_someone_of_another_branch(
    pool: PgPool,
) {
    let w = world(&pool).await;
    let now = this_month().to_string();
    // secretary2 belongs to 运营党支部; 研发党支部's secretary names them against her branch.
    let stranger = user(&pool, "secretary2").await.to_string();
    let branch_a = w.branch_a.to_string();
    let mut s = signed_in(&pool, "secretary").await;
    let r = s
        .call(
            "record_dues",
            &[
                ("org", &branch_a),
                ("member", &stranger),
                ("from", &now),
                ("months", "1"),
                ("method", "cash"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(error_msg(&r.body), "DuesNotPayer");
    let r = s
        .call(
            "set_dues_base",
            &[
                ("org", &branch_a),
                ("member", &stranger),
                ("category", "employed"),
                ("base", "100"),
                ("extra", ""),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // Naming the stranger's own branch instead: not hers to collect.
    let r = s
        .call(
            "record_dues",
            &[
                ("org", &w.branch_b.to_string()),
                ("member", &stranger),
                ("from", &now),
                ("months", "1"),
                ("method", "cash"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(count(&pool, "SELECT count(*) FROM dues_payments").await, 0);
    assert_eq!(count(&pool, "SELECT count(*) FROM dues_bases").await, 0);
}
