//! The 排行 boards through the real router, checked against a brute-force count of the
//! ledger: ranks with ties, "my rank", branches compared per member where members were on
//! the day, privacy, and bad requests.

mod common;

use std::collections::HashMap;

use app::points::model::RuleCode;
use app::points::store::{NewAward, award};
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

async fn user_id(pool: &PgPool, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(name)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Gives `user` `n` points now: meeting attendance, 5 points a meeting, and one study point
/// (a daily-quiz answer) when `study`.
async fn give(pool: &PgPool, user: i64, meetings: i32, study: bool, tag: &str) {
    let mut tx = pool.begin().await.unwrap();
    let now = chrono::Utc::now();
    for m in 0..meetings {
        let source = format!("{tag}-{user}-{m}");
        award(
            &mut tx,
            &NewAward {
                user_id: user,
                rule: RuleCode::MeetingAttend,
                units: 1,
                source_kind: "meeting",
                source_id: &source,
                idempotency_key: &format!("meeting:{source}"),
                at: now,
            },
        )
        .await
        .unwrap();
    }
    if study {
        award(
            &mut tx,
            &NewAward {
                user_id: user,
                rule: RuleCode::DailyQuiz,
                units: 1,
                source_kind: "daily_quiz",
                source_id: tag,
                idempotency_key: &format!("quiz:{tag}-{user}"),
                at: now,
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

async fn board(c: &mut Client, scope: &str, period: &str, page: &str) -> (StatusCode, Value) {
    let r = c
        .call(
            "member_board",
            &[("scope", scope), ("period", period), ("page", page)],
        )
        .await;
    let json = serde_json::from_str(&r.body).unwrap_or(Value::Null);
    (r.status, json)
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn member_boards_match_a_brute_force_count_of_the_ledger_with_ties(pool: PgPool) {
    let w = world(&pool).await;
    // Forty more members in the two branches, with points that tie often.
    let mut c = pool.acquire().await.unwrap();
    for i in 0..40 {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, phone, display_name, password_hash)
             VALUES ($1, $2, $1, 'x') RETURNING id",
        )
        .bind(format!("m{i:02}"))
        .bind(format!("1370000{i:04}"))
        .fetch_one(&mut *c)
        .await
        .unwrap();
        let branch = if i % 2 == 0 { w.branch_a } else { w.branch_b };
        app::orgs::store::join(&mut c, id, branch, app::orgs::model::MemberStatus::Full)
            .await
            .unwrap();
        give(&pool, id, i * 7 % 5, i % 3 == 0, "t").await;
    }
    drop(c);
    let mut member = signed_in(&pool, "member").await;
    let me = user_id(&pool, "member").await;
    give(&pool, me, 2, true, "me").await;

    // Brute force: every current member of the committee, their points from the ledger.
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT u.display_name, COALESCE((SELECT sum(points) FROM point_ledger l WHERE l.user_id = u.id), 0)::bigint
         FROM users u WHERE EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.ended_at IS NULL)",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut points: Vec<i64> = rows.iter().map(|r| r.1).collect();
    points.sort_unstable_by(|a, b| b.cmp(a));
    let expected_rank = |p: i64| points.iter().filter(|x| **x > p).count() as u64 + 1;
    let by_name: HashMap<&str, i64> = rows.iter().map(|(n, p)| (n.as_str(), *p)).collect();

    let scope = format!("org:{}", w.committee);
    let (status, b) = board(&mut member, &scope, "all", "1").await;
    assert_eq!(status, StatusCode::OK, "{b}");
    assert_eq!(b["total"].as_u64().unwrap() as usize, rows.len());
    let listed = b["rows"].as_array().unwrap();
    assert_eq!(listed.len(), rows.len().min(50));
    for r in listed {
        let p = by_name[r["name"].as_str().unwrap()];
        assert_eq!(r["points"].as_i64().unwrap(), p, "{r}");
        assert_eq!(r["rank"].as_u64().unwrap(), expected_rank(p), "{r}");
    }
    let mine = b["mine"].as_array().unwrap();
    let at = mine.iter().position(|r| r["me"] == true).unwrap();
    assert_eq!(
        mine[at]["rank"].as_u64().unwrap(),
        expected_rank(by_name["member"])
    );
    assert!(mine.len() <= 5 && at <= 2);

    // The day's board is the same today; the branch board has only the branch.
    let (_, day) = board(&mut member, &scope, "day", "1").await;
    assert_eq!(day["rows"], b["rows"]);
    let (_, own) = board(&mut member, "", "week", "1").await;
    assert_eq!(own["scope"], format!("org:{}", w.branch_a));
    assert_eq!(
        own["total"], 22,
        "20 new members, the secretary and the member"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn bad_board_requests_get_clear_answers_never_a_500(pool: PgPool) {
    let w = world(&pool).await;
    let mut member = signed_in(&pool, "member").await;
    let (status, b) = board(&mut member, "", "decade", "1").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b["Invalid"][0]["msg"], "BoardPeriodUnknown");
    let (status, _) = board(&mut member, "moon", "week", "1").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = board(&mut member, &format!("org:{}", w.branch_b), "week", "1").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "another branch's board");
    let (status, _) = board(&mut member, "org:999999", "week", "1").await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "unknown looks the same as foreign"
    );
    let (status, b) = board(&mut member, "platform", "week", "99").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        b["rows"].as_array().unwrap().is_empty(),
        "past the end: an empty page"
    );
    let r = member
        .call("org_board", &[("scope", "org:999999"), ("period", "week")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut anonymous = client(&pool).await;
    let (status, _) = board(&mut anonymous, "", "week", "1").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_anonymous_member_is_named_only_inside_their_branch(pool: PgPool) {
    let w = world(&pool).await;
    let mut member = signed_in(&pool, "member").await;
    let r = member
        .call("set_rank_anonymous", &[("anonymous", "on")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let scope = format!("org:{}", w.committee);
    let names = |b: &Value| -> Vec<String> {
        b["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let mut outsider = signed_in(&pool, "secretary2").await;
    let (_, b) = board(&mut outsider, &scope, "all", "1").await;
    assert!(!names(&b).contains(&"member".to_owned()), "{b}");
    assert!(names(&b).contains(&"匿名成员".to_owned()));
    let mut colleague = signed_in(&pool, "secretary").await;
    let (_, b) = board(&mut colleague, &scope, "all", "1").await;
    assert!(names(&b).contains(&"member".to_owned()));
    let (_, b) = board(&mut member, &scope, "all", "1").await;
    assert!(
        names(&b).contains(&"member".to_owned()),
        "I always see my own name"
    );
    assert_eq!(b["anonymous"], true);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn branches_are_compared_per_member_where_members_were_on_the_day(pool: PgPool) {
    let w = world(&pool).await;
    let me = user_id(&pool, "member").await;
    // Points earned in branch A; then the member moves to branch B and earns more there.
    give(&pool, me, 2, true, "before").await;
    sqlx::query("UPDATE memberships SET ended_at = now(), end_reason = 'moved' WHERE user_id = $1 AND ended_at IS NULL")
        .bind(me)
        .execute(&pool)
        .await
        .unwrap();
    let mut c = pool.acquire().await.unwrap();
    app::orgs::store::join(&mut c, me, w.branch_b, app::orgs::model::MemberStatus::Full)
        .await
        .unwrap();
    drop(c);
    give(&pool, me, 1, false, "after").await;

    let totals: Vec<(i64, i32)> = sqlx::query_as(
        "SELECT org_id, points FROM branch_point_totals WHERE period = 'all' ORDER BY org_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(totals, vec![(w.branch_a, 11), (w.branch_b, 5)]);

    let mut admin = signed_in(&pool, "orgadmin").await;
    let r = admin
        .call(
            "org_board",
            &[
                ("scope", &format!("org:{}", w.committee)),
                ("period", "all"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rows = r.json()["rows"].clone();
    // Branch A: 11 points, now 1 member (the secretary): 11.0 per member, and the study point
    // earned there counts its participation. Branch B: 5 points, 2 members: 2.5.
    assert_eq!(rows[0]["name"], "研发党支部");
    assert_eq!(rows[0]["per_member"], "11.0");
    assert_eq!(rows[0]["participation"], 100);
    assert_eq!(rows[1]["per_member"], "2.5");
    assert_eq!(rows[1]["participation"], 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_superior_computes_adjusts_and_publishes_star_ratings(pool: PgPool) {
    let w = world(&pool).await;
    // Branch A is old enough; branch B was founded last month and is not rated.
    sqlx::query("UPDATE orgs SET founded_on = CASE WHEN id = $1 THEN DATE '2024-01-01' ELSE current_date - 30 END")
        .bind(w.branch_a)
        .execute(&pool)
        .await
        .unwrap();
    let me = user_id(&pool, "member").await;
    give(&pool, me, 1, true, "q").await;
    let org = w.committee.to_string();
    let mut member = signed_in(&pool, "member").await;
    let r = member
        .call("compute_ratings", &[("org", &org), ("period", "")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let mut admin = signed_in(&pool, "orgadmin").await;
    let r = admin
        .call("compute_ratings", &[("org", &org), ("period", "")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json(), 1, "only the branch older than six months");
    let r = admin
        .call("compute_ratings", &[("org", &org), ("period", "2026-Q9")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    let view = admin
        .call("star_ratings", &[("org", &org), ("period", "")])
        .await
        .json();
    let row = &view["rows"][0];
    // Participation 50% (1 of 2 members), per member the best under the superior (100):
    // (30 * 50 + 20 * 100) / 50 = 70, three stars.
    assert_eq!(row["participation"], 50);
    assert_eq!(row["per_member"], 100);
    assert_eq!(row["score"], 70);
    assert_eq!(row["stars"], 3);
    let id = row["id"].to_string();

    let r = admin
        .call("publish_ratings", &[("org", &org), ("period", "")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "unconfirmed");
    let r = admin
        .call(
            "confirm_rating",
            &[("id", &id), ("stars", "4"), ("reason", "")],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an adjustment needs a reason"
    );
    let r = admin
        .call(
            "confirm_rating",
            &[("id", &id), ("stars", "1"), ("reason", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = admin
        .call(
            "confirm_rating",
            &[("id", &id), ("stars", "4"), ("reason", "组织生活开展扎实")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = admin
        .call("publish_ratings", &[("org", &org), ("period", "")])
        .await;
    assert_eq!(r.json(), 1);
    let r = admin
        .call(
            "confirm_rating",
            &[("id", &id), ("stars", "5"), ("reason", "再调")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "published ratings stay");
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM star_rating_history ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(actions, vec!["computed", "adjusted", "published"]);
}
