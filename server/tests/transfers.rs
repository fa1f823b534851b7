//! Transfers through the real router and in the database: the whole journey to another
//! company, who may act and see, bad input, the one-open rule and letter numbers under
//! concurrency, approvals applied once, an atomic move, expiry and reissue, overdue steps, and
//! the star rating's share of steps handled in time.

mod common;

use app::ids::{OrgId, UserId};
use std::collections::HashMap;

use app::auth::model::Role;
use app::orgs::model::{MemberStatus, OrgKind, Tree};
use common::{Client, PASSWORD, World, client, world};
use http::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A second company beside the world's: 乙公司党委 with 乙研发党支部, its admin `yiadmin`
/// and the branch's secretary `yisecretary`; and a third company's admin `bingadmin`.
struct Other {
    committee: OrgId,
    branch: OrgId,
}

async fn other_company(pool: &PgPool) -> Other {
    use app::orgs::store::{NewOrg, create_org, grant_role, join, org};
    let mut c = pool.acquire().await.unwrap();
    let hash = app::auth::session::hash_password(PASSWORD.to_owned())
        .await
        .unwrap();
    let mut make = async |name: &'static str, kind: OrgKind, parent: Option<OrgId>| -> OrgId {
        let parent = match parent {
            Some(p) => org(&mut c, p).await.unwrap(),
            None => None,
        };
        create_org(
            &mut c,
            &NewOrg {
                tree: Tree::Party,
                kind,
                name,
                parent: parent.as_ref(),
                enterprise_id: None,
            },
        )
        .await
        .unwrap()
    };
    let committee = make("乙公司党委", OrgKind::Committee, None).await;
    let branch = make("乙研发党支部", OrgKind::Branch, Some(committee)).await;
    let bing = make("丙公司党委", OrgKind::Committee, None).await;
    for (name, phone, role, at) in [
        ("yiadmin", "13800000001", Role::OrgAdmin, committee),
        ("yisecretary", "13800000002", Role::Secretary, branch),
        ("bingadmin", "13800000003", Role::OrgAdmin, bing),
    ] {
        let id = common::add_user(&mut c, &hash, name, phone).await;
        grant_role(&mut c, id, role, Some(at), None).await.unwrap();
        if role == Role::Secretary {
            join(&mut c, id, at, MemberStatus::Full).await.unwrap();
        }
    }
    Other { committee, branch }
}

async fn signed_in(pool: &PgPool, login: &str) -> Client {
    let mut c = client(pool).await;
    assert_eq!(c.sign_in(login, PASSWORD).await.status, StatusCode::OK);
    c
}

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or(Value::Null)
}

async fn start(c: &mut Client, to: &str, dues: &str) -> (StatusCode, Value) {
    let r = c
        .call(
            "start_transfer",
            &[
                ("tree", "party"),
                ("to_org", to),
                ("outside_name", ""),
                ("outside_address", ""),
                ("reason", "换工作"),
                ("dues", dues),
            ],
        )
        .await;
    (r.status, json(&r.body))
}

async fn act(
    c: &mut Client,
    id: i64,
    seq: i32,
    action: &str,
    validity: &str,
) -> (StatusCode, Value) {
    let (id, seq) = (id.to_string(), seq.to_string());
    let r = c
        .call(
            "act_on_transfer",
            &[
                ("id", &id),
                ("seq", &seq),
                ("action", action),
                (
                    "reason",
                    if action == "approve" {
                        ""
                    } else {
                        "材料不全"
                    },
                ),
                ("validity", validity),
            ],
        )
        .await;
    (r.status, json(&r.body))
}

async fn detail(c: &mut Client, id: i64) -> (StatusCode, Value) {
    let r = c.call("transfer_detail", &[("id", &id.to_string())]).await;
    (r.status, json(&r.body))
}

fn this_month() -> String {
    app::time::day_of(chrono::Utc::now())
        .format("%Y-%m")
        .to_string()
}

async fn branch_of(pool: &PgPool, login: &str) -> Option<OrgId> {
    sqlx::query_scalar(
        "SELECT m.org_id FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE u.username = $1 AND m.tree = 'party' AND m.ended_at IS NULL",
    )
    .bind(login)
    .fetch_optional(pool)
    .await
    .unwrap()
}

/// The member asks to move to 乙研发党支部 and the transfer waits at the sending branch.
async fn started(pool: &PgPool) -> (World, Other, i64) {
    let w = world(pool).await;
    let o = other_company(pool).await;
    let mut member = signed_in(pool, "member").await;
    let (status, id) = start(&mut member, &o.branch.to_string(), &this_month()).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    (w, o, id.as_i64().unwrap())
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_member_moves_to_another_company_through_four_holders_with_a_numbered_letter(
    pool: PgPool,
) {
    let (w, o, id) = started(&pool).await;
    let mut member = signed_in(&pool, "member").await;
    let (_, v) = detail(&mut member, id).await;
    let kinds: Vec<&str> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "SendingBranch",
            "SendingCommittee",
            "ReceivingCommittee",
            "ReceivingBranch"
        ]
    );
    assert_eq!(v["can_withdraw"], true);

    // Each holder finds it in 待办 and acts; the next one is told.
    for (seq, login, validity) in [
        (0, "secretary", ""),
        (1, "orgadmin", "45"),
        (2, "yiadmin", ""),
        (3, "yisecretary", ""),
    ] {
        let mut c = signed_in(&pool, login).await;
        let q = json(&c.call("transfer_queues", &[]).await.body);
        assert_eq!(q["todo"][0]["id"], id, "{login}'s queue: {q}");
        let (status, body) = act(&mut c, id, seq, "approve", validity).await;
        assert_eq!(status, StatusCode::OK, "{login}: {body}");
    }
    let (_, v) = detail(&mut member, id).await;
    assert_eq!(v["status"], "Completed");
    let letter = &v["letters"][0];
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(letter["number"], format!("〔{year}〕第0001号"));
    // In English the number reads as the English page around it does.
    let session = member.cookie.clone().unwrap();
    member.cookie = Some(format!("{session}; lang=en"));
    let (_, en) = detail(&mut member, id).await;
    assert_eq!(en["letters"][0]["number"], format!("[{year}] No. 0001"));
    member.cookie = Some(session);
    let issued =
        chrono::NaiveDate::parse_from_str(letter["issued_on"].as_str().unwrap(), "%Y-%m-%d")
            .unwrap();
    let until =
        chrono::NaiveDate::parse_from_str(letter["valid_until"].as_str().unwrap(), "%Y-%m-%d")
            .unwrap();
    assert_eq!(
        (until - issued).num_days(),
        44,
        "45 days counting the first"
    );
    assert_eq!(v["can_withdraw"], false);

    // The membership moved: the old one ended as moved, the new one counts on the boards.
    assert_eq!(branch_of(&pool, "member").await, Some(o.branch));
    let history: Vec<(OrgId, Option<String>)> = sqlx::query_as(
        "SELECT m.org_id, m.end_reason FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE u.username = 'member' AND m.tree = 'party' ORDER BY m.id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        history,
        vec![(w.branch_a, Some("moved".into())), (o.branch, None)]
    );
    let scopes: Vec<i64> = sqlx::query_scalar(
        "SELECT s.scope_id FROM member_scopes s JOIN users u ON u.id = s.user_id
         WHERE u.username = 'member' ORDER BY s.scope_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(scopes, vec![0, o.committee.0, o.branch.0]);
    // The member was told at each step, and every action is in the history.
    assert_eq!(
        common::notifications(&pool, "member", "transfer_progress").await,
        4
    );
    let actions: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "start", "approve", "letter", "approve", "approve", "approve"
        ]
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn only_the_holder_acts_and_only_those_involved_see_a_transfer(pool: PgPool) {
    let (_, _, id) = started(&pool).await;
    for login in ["member", "secretary2", "yisecretary", "bingadmin"] {
        let mut c = signed_in(&pool, login).await;
        let (status, _) = act(&mut c, id, 0, "approve", "").await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "{login} may not confirm for 研发党支部"
        );
    }
    // The receiving side sees it; a third company and another branch's secretary do not.
    for (login, visible) in [
        ("member", true),
        ("secretary", true),
        ("orgadmin", true),
        ("yiadmin", true),
        ("yisecretary", true),
        ("admin", true),
        ("secretary2", false),
        ("bingadmin", false),
    ] {
        let mut c = signed_in(&pool, login).await;
        let (status, _) = detail(&mut c, id).await;
        let want = if visible {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(status, want, "{login}");
        if login == "bingadmin" {
            let q = json(&c.call("transfer_queues", &[]).await.body);
            assert_eq!(q["todo"], Value::Array(vec![]));
            assert_eq!(q["coming"], Value::Array(vec![]));
        }
    }
    // yiadmin sees it coming; signed out, nothing.
    let mut yi = signed_in(&pool, "yiadmin").await;
    let q = json(&yi.call("transfer_queues", &[]).await.body);
    assert_eq!(q["coming"][0]["id"], id);
    let mut anon = client(&pool).await;
    assert_eq!(detail(&mut anon, id).await.0, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn bad_requests_are_refused_with_a_reason_and_change_nothing(pool: PgPool) {
    let w = world(&pool).await;
    let o = other_company(&pool).await;
    let mut member = signed_in(&pool, "member").await;
    let month = this_month();
    for (to, dues, field, msg) in [
        (
            w.branch_a.to_string(),
            month.clone(),
            "to_org",
            "TransferSameBranch",
        ),
        (
            w.committee.to_string(),
            month.clone(),
            "to_org",
            "TransferNotABranch",
        ),
        (
            "999999".to_owned(),
            month.clone(),
            "to_org",
            "TransferNotABranch",
        ),
        (
            "abc".to_owned(),
            month.clone(),
            "to_org",
            "TransferNotABranch",
        ),
        (
            o.branch.to_string(),
            "2099-01".to_owned(),
            "dues",
            "TransferDuesTooFarAhead",
        ),
        (
            o.branch.to_string(),
            "1990-01".to_owned(),
            "dues",
            "TransferDuesTooOld",
        ),
        (
            o.branch.to_string(),
            "下个月".to_owned(),
            "dues",
            "TransferDuesMonth",
        ),
        (
            "".to_owned(),
            month.clone(),
            "to_org",
            "TransferOutsideName",
        ),
    ] {
        let (status, body) = start(&mut member, &to, &dues).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{to} {dues}: {body}"
        );
        let errors = body["Invalid"].as_array().unwrap();
        assert!(
            errors
                .iter()
                .any(|e| e["field"] == field && e["msg"] == msg),
            "{to} {dues}: {body}"
        );
    }
    let none: i64 = sqlx::query_scalar("SELECT count(*) FROM transfers")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(none, 0);

    let (status, id) = start(&mut member, &o.branch.to_string(), &month).await;
    assert_eq!(status, StatusCode::OK);
    let id = id.as_i64().unwrap();
    let (status, body) = start(&mut member, &w.branch_b.to_string(), &month).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["Conflict"], "TransferAlreadyOpen");

    // A reason is needed to send back; a validity over three months is refused.
    let mut secretary = signed_in(&pool, "secretary").await;
    let r = secretary
        .call(
            "act_on_transfer",
            &[
                ("id", &id.to_string()),
                ("seq", "0"),
                ("action", "reject"),
                ("reason", " "),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        act(&mut secretary, id, 0, "approve", "").await.0,
        StatusCode::OK
    );
    let (status, body) = act(&mut secretary, id, 0, "approve", "").await;
    assert_eq!(status, StatusCode::CONFLICT, "acting twice: {body}");
    assert_eq!(body["Conflict"], "TransferStepHandled");
    let mut admin = signed_in(&pool, "orgadmin").await;
    let (status, body) = act(&mut admin, id, 1, "approve", "100").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["Invalid"][0]["msg"], "TransferValidityTooLong");
    let (status, _) = act(&mut admin, id, 5, "approve", "").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no such step");
    let letters: i64 = sqlx::query_scalar("SELECT count(*) FROM transfer_letters")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(letters, 0, "nothing issued by a refused approval");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_returned_transfer_is_corrected_and_a_withdrawn_one_frees_the_member(pool: PgPool) {
    let (w, _, id) = started(&pool).await;
    let mut secretary = signed_in(&pool, "secretary").await;
    assert_eq!(
        act(&mut secretary, id, 0, "return", "").await.0,
        StatusCode::OK
    );
    let mut member = signed_in(&pool, "member").await;
    let (_, v) = detail(&mut member, id).await;
    assert_eq!(
        (v["status"].as_str(), v["can_resubmit"].as_bool()),
        (Some("Returned"), Some(true))
    );
    let r = member
        .call(
            "resubmit_transfer",
            &[
                ("id", &id.to_string()),
                ("reason", "已入职乙公司"),
                ("dues", &this_month()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let (_, v) = detail(&mut member, id).await;
    assert_eq!(
        (v["status"].as_str(), v["reason"].as_str()),
        (Some("Open"), Some("已入职乙公司"))
    );
    let r = member
        .call("withdraw_transfer", &[("id", &id.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(branch_of(&pool, "member").await, Some(w.branch_a));
    // Free to start another.
    let (status, _) = start(&mut member, &w.branch_b.to_string(), &this_month()).await;
    assert_eq!(status, StatusCode::OK);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_expired_letter_is_refused_until_reissued_with_a_new_number(pool: PgPool) {
    let (_, o, id) = started(&pool).await;
    let mut secretary = signed_in(&pool, "secretary").await;
    act(&mut secretary, id, 0, "approve", "").await;
    let mut admin = signed_in(&pool, "orgadmin").await;
    assert_eq!(
        act(&mut admin, id, 1, "approve", "").await.0,
        StatusCode::OK
    );
    sqlx::query("UPDATE transfer_letters SET issued_on = current_date - 40, valid_until = current_date - 10")
        .execute(&pool)
        .await
        .unwrap();
    let mut yi = signed_in(&pool, "yiadmin").await;
    let (status, body) = act(&mut yi, id, 2, "approve", "").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["Conflict"], "TransferLetterExpired");
    // Only the sending committee reissues.
    let r = yi.call("reissue_letter", &[("id", &id.to_string())]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = admin
        .call(
            "reissue_letter",
            &[("id", &id.to_string()), ("validity", "30")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let (_, v) = detail(&mut admin, id).await;
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(v["letters"][0]["number"], format!("〔{year}〕第0002号"));
    assert_eq!(v["letters"][0]["void"], false);
    assert_eq!(v["letters"][1]["void"], true);
    assert_eq!(act(&mut yi, id, 2, "approve", "").await.0, StatusCode::OK);
    // The receiving side checks the letter by its code; a wrong code says so.
    let code = v["letters"][0]["verify_code"].as_str().unwrap().to_owned();
    let mut yisec = signed_in(&pool, "yisecretary").await;
    let r = yisec.call("verify_letter", &[("code", &code)]).await;
    assert_eq!(
        json(&r.body)["letter"]["number"],
        format!("〔{year}〕第0002号")
    );
    let r = yisec.call("verify_letter", &[("code", "ZZZZZZZZ")]).await;
    assert_eq!(json(&r.body)["Invalid"][0]["msg"], "TransferLetterUnknown");
    let _ = o;
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_move_that_fails_leaves_the_old_membership_and_the_step(pool: PgPool) {
    let (w, o, id) = started(&pool).await;
    for (seq, login) in [(0, "secretary"), (1, "orgadmin"), (2, "yiadmin")] {
        let mut c = signed_in(&pool, login).await;
        assert_eq!(act(&mut c, id, seq, "approve", "").await.0, StatusCode::OK);
    }
    // The receiving branch stops being a branch before it accepts: the move fails inside
    // the transaction.
    sqlx::query("UPDATE orgs SET kind = 'general_branch' WHERE id = $1")
        .bind(o.branch)
        .execute(&pool)
        .await
        .unwrap();
    let mut yisec = signed_in(&pool, "yisecretary").await;
    let (status, _) = act(&mut yisec, id, 3, "approve", "").await;
    assert!(status.is_client_error(), "{status}");
    assert_eq!(branch_of(&pool, "member").await, Some(w.branch_a));
    let (step, state): (i32, String) =
        sqlx::query_as("SELECT current_step, status FROM transfers WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((step, state.as_str()), (3, "open"));
    let approvals: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM transfer_events WHERE transfer_id = $1 AND seq = 3",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(approvals, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn two_approvers_at_once_apply_the_step_once(pool: PgPool) {
    let (_, _, id) = started(&pool).await;
    // The branch's secretary and the committee's admin both hold the branch step.
    let mut a = signed_in(&pool, "secretary").await;
    let mut b = signed_in(&pool, "orgadmin").await;
    let (ra, rb) = tokio::join!(
        act(&mut a, id, 0, "approve", ""),
        act(&mut b, id, 0, "approve", "")
    );
    let mut statuses = [ra.0, rb.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let (step, approvals): (i32, i64) = sqlx::query_as(
        "SELECT current_step, (SELECT count(*) FROM transfer_events WHERE transfer_id = $1 AND action = 'approve')
         FROM transfers WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((step, approvals), (1, 1));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn concurrent_starts_leave_one_open_transfer(pool: PgPool) {
    let w = world(&pool).await;
    let o = other_company(&pool).await;
    let member: UserId = sqlx::query_scalar("SELECT id FROM users WHERE username = 'member'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for to in [o.branch, w.branch_b].repeat(5) {
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            let mut tx = pool.begin().await.unwrap();
            let from = app::transfers::store::chain(&mut tx, w.branch_a)
                .await
                .unwrap();
            let dest = app::transfers::store::chain(&mut tx, to).await.unwrap();
            let steps = app::transfers::model::steps(
                &from,
                &app::transfers::model::Destination::Branch(dest),
            )
            .unwrap();
            let r = app::transfers::store::create(
                &mut tx,
                &app::transfers::store::NewTransfer {
                    user_id: member,
                    tree: Tree::Party,
                    from_org: w.branch_a,
                    to_org: Some(to),
                    outside: None,
                    reason: "并发",
                    dues_paid_to: chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
                    started_by: member,
                },
                &steps,
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
                app::error::AppError::Conflict(app::error::Msg::TransferAlreadyOpen)
            ),
        }
    }
    assert_eq!(ok, 1);
    let open: i64 = sqlx::query_scalar("SELECT count(*) FROM transfers WHERE status = 'open'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(open, 1);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn fifty_letters_issued_at_once_are_numbered_without_gaps_or_repeats(pool: PgPool) {
    let w = world(&pool).await;
    let o = other_company(&pool).await;
    let mut ids = Vec::new();
    let mut c = pool.acquire().await.unwrap();
    for i in 0..50 {
        let user: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, password_hash) VALUES ($1, $1, 'x') RETURNING id",
        )
        .bind(format!("l{i:02}"))
        .fetch_one(&mut *c)
        .await
        .unwrap();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO transfers (user_id, tree, from_org, to_org, reason, dues_paid_to, started_by)
             VALUES ($1, 'party', $2, $3, 'x', DATE '2026-10-01', $1) RETURNING id",
        )
        .bind(user)
        .bind(w.branch_a)
        .bind(o.branch)
        .fetch_one(&mut *c)
        .await
        .unwrap();
        ids.push(id);
    }
    drop(c);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let tasks: Vec<_> = ids
        .into_iter()
        .map(|id| {
            let pool = pool.clone();
            tokio::spawn(async move {
                let mut tx = pool.begin().await.unwrap();
                let code = format!("C{id:07}");
                let l = app::transfers::store::issue_letter(
                    &mut tx,
                    app::ids::TransferId(id),
                    w.committee,
                    today,
                    today,
                    &code,
                )
                .await
                .unwrap();
                tx.commit().await.unwrap();
                l.seq
            })
        })
        .collect();
    let mut seqs = Vec::new();
    for t in tasks {
        seqs.push(t.await.unwrap());
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=50).collect::<Vec<i32>>());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_step_waiting_more_than_ten_days_shows_on_the_superiors_board(pool: PgPool) {
    let (w, _, id) = started(&pool).await;
    let mut admin = signed_in(&pool, "orgadmin").await;
    let r = admin.call("overdue_transfers", &[]).await;
    assert_eq!(json(&r.body), Value::Array(vec![]));
    sqlx::query("UPDATE transfers SET step_since = now() - interval '11 days' WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    let r = admin.call("overdue_transfers", &[]).await;
    let rows = json(&r.body);
    assert_eq!(rows[0]["org_id"], w.branch_a.0, "{rows}");
    assert_eq!(rows[0]["count"], 1);
    assert_eq!(rows[0]["days"], 11);
    // Outside the admin's subtree it does not show; a member may not look.
    let mut bing = signed_in(&pool, "bingadmin").await;
    assert_eq!(
        json(&bing.call("overdue_transfers", &[]).await.body),
        Value::Array(vec![])
    );
    let mut member = signed_in(&pool, "member").await;
    assert_eq!(
        member.call("overdue_transfers", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let mut secretary = signed_in(&pool, "secretary").await;
    let q = json(&secretary.call("transfer_queues", &[]).await.body);
    assert_eq!(q["todo"][0]["overdue"], true);
    // The hourly job tells the branch's secretary once, however often it runs.
    for _ in 0..2 {
        server::jobs::overdue_transfers(&pool).await.unwrap();
    }
    let told: Vec<(String, Value)> = sqlx::query_as(
        "SELECT u.username, n.message FROM notifications n JOIN users u ON u.id = n.user_id
         WHERE n.kind = 'transfer_overdue'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        told,
        vec![(
            "secretary".to_owned(),
            serde_json::json!({"TransferOverdue": {"name": "member"}})
        )]
    );
    // Stored as a key, it reads as the Message the pages put into words.
    let m: app::notices::model::Message = serde_json::from_value(told[0].1.clone()).unwrap();
    assert_eq!(
        m.render(app::i18n::Locale::En.strings()),
        "A transfer step is overdue: member"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_branch_starts_a_transfer_for_its_member_and_no_other_branch_can(pool: PgPool) {
    let w = world(&pool).await;
    let o = other_company(&pool).await;
    let member: UserId = sqlx::query_scalar("SELECT id FROM users WHERE username = 'member'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let fields = |to: &str| {
        vec![
            ("tree", "party".to_owned()),
            ("to_org", to.to_owned()),
            ("outside_name", String::new()),
            ("outside_address", String::new()),
            ("reason", "调动".to_owned()),
            ("dues", this_month()),
            ("member", member.to_string()),
        ]
    };
    let call = async |login: &str, to: &str| {
        let mut c = signed_in(&pool, login).await;
        let f = fields(to);
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        c.call("start_transfer", &f).await
    };
    assert_eq!(
        call("secretary2", &o.branch.to_string()).await.status,
        StatusCode::FORBIDDEN
    );
    let r = call("secretary", &o.branch.to_string()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let (user, started_by): (UserId, UserId) =
        sqlx::query_as("SELECT user_id, started_by FROM transfers")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(user, member);
    assert_ne!(started_by, member);
    let _ = w;
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_branchs_star_rating_counts_the_transfer_steps_it_handled_within_ten_days(pool: PgPool) {
    let (w, _, id) = started(&pool).await;
    sqlx::query("UPDATE orgs SET founded_on = DATE '2024-01-01'")
        .execute(&pool)
        .await
        .unwrap();
    let asked_days_ago = async |days: i32| {
        sqlx::query(
            "UPDATE transfer_events SET at = now() - make_interval(days => $2)
             WHERE transfer_id = $1 AND action = 'start'",
        )
        .bind(id)
        .bind(days)
        .execute(&pool)
        .await
        .unwrap();
    };
    // The member asked 15 days ago; the branch approves only now: late.
    asked_days_ago(15).await;
    let mut secretary = signed_in(&pool, "secretary").await;
    assert_eq!(
        act(&mut secretary, id, 0, "approve", "").await.0,
        StatusCode::OK
    );

    let mut admin = signed_in(&pool, "orgadmin").await;
    let org = w.committee.to_string();
    let transfers_of = async |admin: &mut Client| -> HashMap<OrgId, Value> {
        let r = admin
            .call("compute_ratings", &[("org", &org), ("period", "")])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let view = json(
            &admin
                .call("star_ratings", &[("org", &org), ("period", "")])
                .await
                .body,
        );
        let names: HashMap<String, OrgId> = sqlx::query_as("SELECT name, id FROM orgs")
            .fetch_all(&pool)
            .await
            .unwrap()
            .into_iter()
            .collect();
        view["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (names[r["name"].as_str().unwrap()], r["transfers"].clone()))
            .collect()
    };
    let got = transfers_of(&mut admin).await;
    assert_eq!(got[&w.branch_a], 0, "one step, handled after 15 days");
    // Branch B held no step: not measured. The committee's own step (now waiting) is not a
    // branch's.
    assert_eq!(got[&w.branch_b], Value::Null);

    // Had the member asked 5 days ago, the branch was in time.
    asked_days_ago(5).await;
    let got = transfers_of(&mut admin).await;
    assert_eq!(got[&w.branch_a], 100);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_english_readers_messages_after_a_transfer_and_a_meeting_are_english_but_for_names(
    pool: PgPool,
) {
    let (w, _, id) = started(&pool).await;
    let mut secretary = signed_in(&pool, "secretary").await;
    let (s, v) = act(&mut secretary, id, 0, "approve", "").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let r = secretary
        .call(
            "schedule_meeting",
            &[
                ("org", &w.branch_a.to_string()),
                ("kind", "group_meeting"),
                ("title", "十二月党小组会"),
                ("starts", "2031-05-06T19:00"),
                ("ends", "2031-05-06T20:00"),
                ("place", "会议室"),
                ("online_link", ""),
                ("agenda", ""),
                ("chair", ""),
                ("recorder", ""),
                ("attendees", "branch"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mut member = signed_in(&pool, "member").await;
    let list = json(&member.call("my_notices", &[]).await.body);
    let list = list.as_array().unwrap();
    assert!(list.len() >= 2, "{list:?}");
    let names = ["研发党支部", "甲公司党委", "十二月党小组会", "member"];
    let mut kinds = vec![];
    for n in list {
        let m: app::notices::model::Message =
            serde_json::from_value(n["message"].clone()).unwrap_or_else(|e| panic!("{e}: {n}"));
        kinds.push(m.kind());
        let mut words = m.render(app::i18n::Locale::En.strings());
        for name in names {
            words = words.replace(name, "");
        }
        assert!(
            !words
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{words}"
        );
        assert_eq!(n["title"], "", "no prose is stored");
    }
    assert!(
        kinds.contains(&"transfer_progress") && kinds.contains(&"meeting_scheduled"),
        "{kinds:?}"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_member_sees_who_can_act_and_reminds_them_once_a_day(pool: PgPool) {
    let (w, _, id) = started(&pool).await;
    let mut member = signed_in(&pool, "member").await;
    let (s, v) = detail(&mut member, id).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["acting"], serde_json::json!(["secretary"]), "{v}");
    assert_eq!(
        (v["can_remind"].as_bool(), v["reminded_today"].as_bool()),
        (Some(true), Some(false))
    );

    // Two taps at once send one reminder.
    let fields = [("id", id.to_string())];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut again = signed_in(&pool, "member").await;
    let (a, b) = tokio::join!(
        member.call("remind_transfer", &fields),
        again.call("remind_transfer", &fields)
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{} {}",
        a.body,
        b.body
    );
    let refused = if a.status == StatusCode::CONFLICT {
        &a
    } else {
        &b
    };
    assert!(refused.body.contains("AlreadyReminded"), "{}", refused.body);
    assert_eq!(
        common::notifications(&pool, "secretary", "transfer_reminder").await,
        1
    );
    let (_, v) = detail(&mut member, id).await;
    assert_eq!(v["reminded_today"], true);

    // Only the member reminds; the holder's own tap changes nothing.
    let mut secretary = signed_in(&pool, "secretary").await;
    let r = secretary.call("remind_transfer", &fields).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM transfer_reminders WHERE transfer_id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(rows, 1);

    // Without a secretary the branch's step is for the committee's admin, who is named.
    sqlx::query("DELETE FROM role_grants WHERE org_id = $1 AND role = 'secretary'")
        .bind(w.branch_a)
        .execute(&pool)
        .await
        .unwrap();
    let (_, v) = detail(&mut member, id).await;
    assert_eq!(v["acting"], serde_json::json!(["orgadmin"]), "{v}");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_id_that_is_not_a_number_is_a_bad_request_and_a_guessed_one_is_not_found(pool: PgPool) {
    let (_, _, id) = started(&pool).await;
    let mut member = signed_in(&pool, "member").await;
    for bad in [
        "abc",
        "1.5",
        "",
        "99999999999999999999",
        "1;DROP TABLE transfers",
    ] {
        let r = member.call("transfer_detail", &[("id", bad)]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad:?}: {}", r.body);
        let r = member.call("withdraw_transfer", &[("id", bad)]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad:?}: {}", r.body);
    }
    for guess in [id + 1, id + 1000, 0, -1] {
        let (s, v) = detail(&mut member, guess).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{guess}: {v}");
    }
    // The member's own transfer is untouched by all of it.
    let status: String = sqlx::query_scalar("SELECT status FROM transfers WHERE id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "open");
    let (s, v) = detail(&mut member, id).await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_letters_dues_month_comes_from_the_dues_record_and_the_sending_branch_corrects_it_with_a_reason(
    pool: PgPool,
) {
    let w = world(&pool).await;
    let member: UserId = sqlx::query_scalar("SELECT id FROM users WHERE username = 'member'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let now = app::dues::flow::this_month(chrono::Utc::now());
    // The branch keeps the member's dues here: paid up to two months ago.
    sqlx::query(
        "INSERT INTO dues_openings (user_id, tree, paid_up_to, source) VALUES ($1, 'party', $2, 'book')",
    )
    .bind(member)
    .bind(now.plus(-2).first_day())
    .execute(&pool)
    .await
    .unwrap();
    let mut m = signed_in(&pool, "member").await;
    let r = m
        .call(
            "transfer_dues_on_record",
            &[("tree", "party"), ("member", "")],
        )
        .await;
    assert_eq!(r.json(), Value::String(now.plus(-2).to_string()));
    // Whatever is typed (even nothing sensible), the record's month is stated.
    let (status, body) = start(&mut m, &w.branch_b.to_string(), "2026/13").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = body.as_i64().unwrap();
    let dues = || async {
        sqlx::query_scalar::<_, String>(
            "SELECT to_char(dues_paid_to, 'YYYY-MM') FROM transfers WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    assert_eq!(dues().await, now.plus(-2).to_string());

    let correct = async |c: &mut Client, dues: &str, reason: &str| {
        let id = id.to_string();
        let r = c
            .call(
                "correct_transfer_dues",
                &[("id", &id), ("dues", dues), ("reason", reason)],
            )
            .await;
        (r.status, json(&r.body))
    };
    let fixed = now.plus(-1).to_string();
    // Not the member, not another branch: only the sending branch corrects.
    assert_eq!(
        correct(&mut m, &fixed, "补交了").await.0,
        StatusCode::FORBIDDEN
    );
    let mut other = signed_in(&pool, "secretary2").await;
    assert_eq!(
        correct(&mut other, &fixed, "补交了").await.0,
        StatusCode::FORBIDDEN
    );
    // The sending branch's secretary: a reason is needed, and a month that reads.
    let mut s = signed_in(&pool, "secretary").await;
    let (status, body) = correct(&mut s, &fixed, "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["Invalid"][0]["field"], "reason");
    let (status, body) = correct(&mut s, "13/2026", "纸质台账补记").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["Invalid"][0]["field"], "dues");
    assert_eq!(dues().await, now.plus(-2).to_string());
    let (status, body) = correct(&mut s, &fixed, "纸质台账补记").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(dues().await, fixed);
    // Kept in the history with both months and the reason.
    let r = m.call("transfer_detail", &[("id", &id.to_string())]).await;
    let events = r.json()["events"].clone();
    let e = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "dues")
        .unwrap_or_else(|| panic!("no correction in {events}"))
        .clone();
    assert_eq!(e["reason"], "纸质台账补记");
    assert_eq!(
        e["dues"],
        serde_json::json!([now.plus(-2).to_string(), fixed])
    );

    // Once the committee has issued the letter, the month stands.
    assert_eq!(act(&mut s, id, 0, "approve", "").await.0, StatusCode::OK);
    let mut admin = signed_in(&pool, "orgadmin").await;
    assert_eq!(
        act(&mut admin, id, 1, "approve", "").await.0,
        StatusCode::OK
    );
    let (status, body) = correct(&mut s, &now.to_string(), "又补交了").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["Conflict"], "TransferDuesFixed");
    assert_eq!(dues().await, fixed);

    // Someone else's record is not for a plain member to read.
    let r = other
        .call(
            "transfer_dues_on_record",
            &[("tree", "party"), ("member", &member.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// The world's branches in one enterprise, with its League branch where `newhire` (just
/// hired, their Party relationship still at their university) is a young employee.
async fn newhire(pool: &PgPool) -> (World, UserId) {
    use app::orgs::store::join;
    let w = world(pool).await;
    let (_, branch) = common::one_workplace(pool).await;
    let mut c = pool.acquire().await.unwrap();
    let hash = app::auth::session::hash_password(PASSWORD.to_owned())
        .await
        .unwrap();
    let id = common::add_user(&mut c, &hash, "newhire", "13900000031").await;
    join(&mut c, id, branch, MemberStatus::YoungEmployee)
        .await
        .unwrap();
    (w, id)
}

/// Starts a transfer in to `branch` from a letter issued `days_ago`, with `status`.
async fn transfer_in(
    c: &mut Client,
    branch: OrgId,
    days_ago: u64,
    status: &str,
    letter: &str,
) -> (StatusCode, Value) {
    start_inbound(c, "transfer", branch, days_ago, (status, letter)).await
}

/// Starts a transfer in of `kind` (a mobile member's carries no dues month).
async fn start_inbound(
    c: &mut Client,
    kind: &str,
    branch: OrgId,
    days_ago: u64,
    (status, letter): (&str, &str),
) -> (StatusCode, Value) {
    let today = app::time::day_of(chrono::Utc::now());
    let issued = (today - chrono::Days::new(days_ago)).to_string();
    let target = format!("party-{}", branch.0);
    let dues = match kind {
        "mobile" => String::new(),
        _ => (today - chrono::Days::new(40)).format("%Y-%m").to_string(),
    };
    let fields = [
        ("kind", kind),
        ("target", target.as_str()),
        ("outside_org", "某某大学计算机学院党委"),
        ("letter_no", letter),
        ("letter_date", issued.as_str()),
        ("validity", "30"),
        ("status", status),
        ("dues", dues.as_str()),
    ];
    let r = c.call("start_inbound", &fields).await;
    (
        r.status,
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_member_from_outside_transfers_in_with_the_letters_status_and_dues_month(pool: PgPool) {
    let (w, newhire) = newhire(&pool).await;
    let mut me = signed_in(&pool, "newhire").await;
    let (s, id) = transfer_in(&mut me, w.branch_a, 3, "probationary", "2026-0042").await;
    assert_eq!(s, StatusCode::OK, "{id}");
    assert_eq!(
        common::notifications(&pool, "secretary", "inbound_todo").await,
        1
    );
    let id = id.to_string();
    // Another branch's secretary cannot accept it; a return needs a reason.
    let mut other = signed_in(&pool, "secretary2").await;
    let r = other
        .call(
            "settle_inbound",
            &[("id", &id), ("how", "accept"), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut sec = signed_in(&pool, "secretary").await;
    let r = sec
        .call(
            "settle_inbound",
            &[("id", &id), ("how", "return"), ("reason", " ")],
        )
        .await;
    assert_eq!(common::error_msg(&r.body), "Required");
    let page = sec.call("inbound_transfers", &[]).await.json();
    assert_eq!(page["waiting"][0]["name"], "newhire");
    let r = sec
        .call(
            "settle_inbound",
            &[("id", &id), ("how", "accept"), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The letter's status in the branch, and the dues record opened at the letter's month.
    let (org, status): (OrgId, String) = sqlx::query_as(
        "SELECT org_id, status FROM memberships WHERE user_id = $1 AND tree = 'party' AND ended_at IS NULL",
    )
    .bind(newhire)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((org, status.as_str()), (w.branch_a, "probationary"));
    let source: String = sqlx::query_scalar(
        "SELECT source FROM dues_openings WHERE user_id = $1 AND tree = 'party'",
    )
    .bind(newhire)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(source, "letter");
    let paid_to = (app::time::day_of(chrono::Utc::now()) - chrono::Days::new(40))
        .format("%Y-%m")
        .to_string();
    let dues = me.call("my_dues", &[]).await.json();
    assert_eq!(
        dues["trees"][0][0]["paid_up_to"],
        paid_to.as_str(),
        "{dues}"
    );
    assert_eq!(
        common::notifications(&pool, "newhire", "inbound_settled").await,
        1
    );
    // Accepting again changes nothing.
    let r = sec
        .call(
            "settle_inbound",
            &[("id", &id), ("how", "accept"), ("reason", "")],
        )
        .await;
    assert_eq!(common::error_msg(&r.body), "InboundSettled");
    assert_eq!(common::count(&pool, "SELECT count(*) FROM memberships WHERE tree = 'party' AND ended_at IS NULL AND user_id = (SELECT id FROM users WHERE username = 'newhire')").await, 1);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_stale_or_used_letter_a_wrong_status_and_a_member_already_in_are_refused(pool: PgPool) {
    let (w, _) = newhire(&pool).await;
    let mut me = signed_in(&pool, "newhire").await;
    // Issued 40 days ago and valid for 30: expired.
    let (_, v) = transfer_in(&mut me, w.branch_a, 40, "full", "2026-0043").await;
    assert_eq!(
        v["Invalid"][0],
        serde_json::json!({ "field": "letter_date", "msg": "TransferLetterExpired" })
    );
    let (_, v) = transfer_in(&mut me, w.branch_a, 1, "league_member", "2026-0043").await;
    assert_eq!(v["Invalid"][0]["field"], "status");
    // A branch of another workplace.
    sqlx::query("UPDATE orgs SET enterprise_id = NULL WHERE id = $1")
        .bind(w.branch_b)
        .execute(&pool)
        .await
        .unwrap();
    let (_, v) = transfer_in(&mut me, w.branch_b, 1, "full", "2026-0043").await;
    assert_eq!(v["Invalid"][0]["msg"], "DevNoBranch", "{v}");
    assert_eq!(
        common::count(&pool, "SELECT count(*) FROM transfers_in").await,
        0
    );
    // One waiting at a time; the same letter cannot be used twice.
    assert_eq!(
        transfer_in(&mut me, w.branch_a, 1, "full", "2026-0043")
            .await
            .0,
        StatusCode::OK
    );
    let (s, v) = transfer_in(&mut me, w.branch_a, 1, "full", "2026-0044").await;
    assert_eq!(
        (s, v["Conflict"].clone()),
        (StatusCode::CONFLICT, Value::from("InboundTaken"))
    );
    // A full member of the Party already holds a status: no transfer in.
    let mut member = signed_in(&pool, "member").await;
    let (s, v) = transfer_in(&mut member, w.branch_a, 1, "full", "2026-0045").await;
    assert_eq!(
        (s, v["Conflict"].clone()),
        (StatusCode::CONFLICT, Value::from("AlreadyInTree"))
    );
    assert_eq!(
        common::count(&pool, "SELECT count(*) FROM transfers_in").await,
        1
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_mobile_member_takes_part_in_the_branch_pays_dues_at_home_and_is_counted_apart(
    pool: PgPool,
) {
    let (w, newhire) = newhire(&pool).await;
    let mut me = signed_in(&pool, "newhire").await;
    let home = "某某大学计算机学院党委";
    let (status, id) =
        start_inbound(&mut me, "mobile", w.branch_a, 0, ("full", "LD-2026-77")).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let id = id.to_string();
    let mut sec = signed_in(&pool, "secretary").await;
    let r = sec
        .call(
            "settle_inbound",
            &[("id", &id), ("how", "accept"), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // In the branch as a full member whose relationship stays at home; no dues here.
    let (status, mobile_home): (String, Option<String>) = sqlx::query_as(
        "SELECT status, mobile_home FROM memberships WHERE user_id = $1 AND tree = 'party' AND ended_at IS NULL",
    )
    .bind(newhire)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (status.as_str(), mobile_home.as_deref()),
        ("full", Some(home))
    );
    assert_eq!(
        common::count(&pool, "SELECT count(*) FROM dues_openings").await,
        0
    );
    let dues = me.call("my_dues", &[]).await.json();
    assert!(
        dues["trees"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t[0]["tree"] != "Party"),
        "{dues}"
    );
    let profile = me.call("my_profile", &[]).await.json();
    let party = profile["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["tree"] == "Party")
        .cloned()
        .unwrap();
    assert_eq!(party["mobile_home"], home);
    // The branch counts its own members and its mobile members apart, and its roster says so.
    let branch = w.branch_a.0.to_string();
    let detail = sec.call("org_detail", &[("id", &branch)]).await.json();
    assert_eq!(
        (
            detail["org"]["members"].as_i64(),
            detail["org"]["mobile"].as_i64()
        ),
        (Some(2), Some(1)),
        "{}",
        detail["org"]
    );
    let roster = sec.call("branch_roster", &[("id", &branch)]).await.json();
    let mobile: Vec<_> = roster
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["mobile_home"].is_null())
        .map(|r| r["display_name"].clone())
        .collect();
    assert_eq!(mobile, vec![Value::from("newhire")]);
    // Their study earns them points, but the branch's totals, participation and member count
    // on the boards are its own members' only.
    let branch_points = format!(
        "SELECT COALESCE(sum(points), 0)::bigint FROM branch_point_totals WHERE org_id = {branch} AND period = 'all'"
    );
    let before = common::count(&pool, &branch_points).await;
    let mut c = pool.acquire().await.unwrap();
    let awarded = app::points::store::award_once(
        &mut c,
        newhire,
        app::points::model::RuleCode::DailyQuiz,
        (app::points::model::PointSource::DailyQuiz, 1),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    assert!(
        matches!(awarded, app::points::store::Outcome::Awarded { .. }),
        "{awarded:?}"
    );
    let q = format!(
        "SELECT count(*) FROM point_totals WHERE user_id = {} AND period = 'all' AND points > 0",
        newhire.0
    );
    assert_eq!(common::count(&pool, &q).await, 1);
    assert_eq!(common::count(&pool, &branch_points).await, before);
    let q = format!(
        "SELECT count(*) FROM branch_participants WHERE org_id = {branch} AND user_id = {}",
        newhire.0
    );
    assert_eq!(common::count(&pool, &q).await, 0);
    let mut admin = signed_in(&pool, "orgadmin").await;
    let scope = format!("org:{}", w.committee.0);
    let board = admin
        .call("org_board", &[("scope", &scope), ("period", "all")])
        .await
        .json();
    let row = board["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == detail["org"]["name"])
        .cloned()
        .unwrap();
    assert_eq!(
        (
            row["members"].as_i64(),
            row["per_member"].as_str(),
            row["participation"].as_i64()
        ),
        (
            Some(2),
            Some(format!("{:.1}", before as f64 / 2.0).as_str()),
            Some(0)
        ),
        "{board}"
    );
}
