//! The 排行 boards through the real router, checked against a brute-force count of the
//! ledger: ranks with ties, "my rank", branches compared per member where members were on
//! the day, privacy, and bad requests.

mod common;

use app::ids::{OrgId, UserId};
use std::collections::HashMap;

use app::points::model::RuleCode;
use app::points::store::{NewAward, award};
use common::{Client, PASSWORD, client, user_id, world};
use http::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

async fn signed_in(pool: &PgPool, login: &str) -> Client {
    let mut c = client(pool).await;
    assert_eq!(c.sign_in(login, PASSWORD).await.status, StatusCode::OK);
    c
}

/// Gives `user` `n` points now: meeting attendance, 5 points a meeting, and one study point
/// (a daily-quiz answer) when `study`.
/// Awards `meetings` meetings' points and, with `study`, a quiz's to `user`, now. The boards
/// are filled without the meeting rule's day and week caps (a rule is data; the caps have
/// tests of their own).
async fn give(pool: &PgPool, user: UserId, meetings: i32, study: bool, tag: &str) {
    sqlx::query(
        "UPDATE point_rules SET day_cap = NULL, week_cap = NULL WHERE code = 'meeting_attend'",
    )
    .execute(pool)
    .await
    .unwrap();
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
                source_kind: app::points::model::PointSource::Meeting,
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
                source_kind: app::points::model::PointSource::DailyQuiz,
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

/// `n` new members named `{prefix}00`, `{prefix}01`, ..., the i-th in branch `branch(i)`.
async fn add_members(
    pool: &PgPool,
    prefix: &str,
    n: usize,
    branch: impl Fn(usize) -> OrgId,
) -> Vec<UserId> {
    let mut c = pool.acquire().await.unwrap();
    let mut ids = Vec::new();
    for i in 0..n {
        let id: UserId = sqlx::query_scalar(
            "INSERT INTO users (username, phone, display_name, password_hash)
             VALUES ($1, $2, $1, 'x') RETURNING id",
        )
        .bind(format!("{prefix}{i:02}"))
        .bind(format!(
            "13{:09}",
            u32::from(prefix.as_bytes()[0]) * 1000 + i as u32
        ))
        .fetch_one(&mut *c)
        .await
        .unwrap();
        app::orgs::store::join(&mut c, id, branch(i), app::orgs::model::MemberStatus::Full)
            .await
            .unwrap();
        ids.push(id);
    }
    ids
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
    let ids = add_members(&pool, "m", 40, |i| {
        if i % 2 == 0 { w.branch_a } else { w.branch_b }
    })
    .await;
    for (i, id) in ids.into_iter().enumerate() {
        let i = i as i32;
        give(&pool, id, i * 7 % 5, i % 3 == 0, "t").await;
    }
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
            // An anonymous member's name is not sent; the page shows 匿名成员.
            .map(|r| r["name"].as_str().unwrap_or("(anonymous)").to_owned())
            .collect()
    };
    let mut outsider = signed_in(&pool, "secretary2").await;
    let (_, b) = board(&mut outsider, &scope, "all", "1").await;
    assert!(!names(&b).contains(&"member".to_owned()), "{b}");
    assert!(names(&b).contains(&"(anonymous)".to_owned()), "{b}");
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

    let totals: Vec<(OrgId, i32)> = sqlx::query_as(
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
    // Organization life is left out here (its components are tested with meetings): with no
    // items required, nothing falls due and those components are not measured.
    sqlx::query("DELETE FROM life_requirements")
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

/// The whole board in order from a brute-force count of the ledger: every current member
/// under `under` (all when `None`) with their points, highest first, then by id.
async fn brute_board(pool: &PgPool, under: Option<OrgId>) -> Vec<(UserId, i32)> {
    sqlx::query_as(
        "SELECT u.id, COALESCE((SELECT sum(points) FROM point_ledger l WHERE l.user_id = u.id), 0)::int AS p
         FROM users u
         WHERE EXISTS (SELECT 1 FROM memberships m JOIN orgs b ON b.id = m.org_id
                       WHERE m.user_id = u.id AND m.ended_at IS NULL
                         AND ($1::bigint IS NULL OR b.path ~ ('*.' || $1 || '.*')::lquery))
         ORDER BY p DESC, u.id",
    )
    .bind(under)
    .fetch_all(pool)
    .await
    .unwrap()
}

/// Pages of 7 and every member's place, read from the boards' tables, against the brute force.
async fn check_boards(
    pool: &PgPool,
    scope: Option<&app::orgs::model::OrgPath>,
    under: Option<OrgId>,
) {
    use app::rankings::store::{member_board, viewer_with_facts};
    let expected = brute_board(pool, under).await;
    let rank = |p: i32| expected.iter().filter(|(_, x)| *x > p).count() as u32 + 1;
    let key = app::points::model::period_keys(chrono::Utc::now())[4].clone();
    let names: HashMap<UserId, String> = sqlx::query_as("SELECT id, display_name FROM users")
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .collect();
    let mut c = pool.acquire().await.unwrap();
    let mut listed = Vec::new();
    for page in 0.. {
        let b = member_board(&mut c, scope, &key, UserId(0), page * 7, 7, 2, None)
            .await
            .unwrap();
        assert_eq!(b.total as usize, expected.len());
        assert!(
            b.mine.is_empty(),
            "nobody's place for a viewer outside the scope"
        );
        if b.rows.is_empty() {
            break;
        }
        listed.extend(b.rows);
    }
    assert_eq!(listed.len(), expected.len(), "every member once");
    for (row, (id, p)) in listed.iter().zip(&expected) {
        assert_eq!(
            (row.name.as_deref(), row.points),
            (Some(names[id].as_str()), *p)
        );
        assert_eq!(row.rank, rank(*p), "{row:?}");
    }
    let sid = scope.map_or(0, |s| s.id().0);
    for (at, (id, p)) in expected.iter().enumerate() {
        // Every other member's board with the facts read beside the viewer, as a request
        // that names its scope does.
        let facts = if at % 2 == 0 {
            let claim = common::live_claim(pool, *id).await;
            let (_, f) = viewer_with_facts(&mut c, &claim, sid, &key, 0, 7)
                .await
                .unwrap()
                .expect("a known member");
            Some(f)
        } else {
            None
        };
        let b = member_board(&mut c, scope, &key, *id, 0, 7, 2, facts)
            .await
            .unwrap();
        let window = &expected[at.saturating_sub(2)..(at + 3).min(expected.len())];
        let got: Vec<(String, i32, u32, bool)> = b
            .mine
            .iter()
            .map(|r| (r.name.clone().unwrap_or_default(), r.points, r.rank, r.me))
            .collect();
        let want: Vec<(String, i32, u32, bool)> = window
            .iter()
            .map(|(i, q)| (names[i].clone(), *q, rank(*q), i == id))
            .collect();
        assert_eq!(got, want, "around member {id} with {p} points");
        // A page that holds the whole scope (as a branch's does) is read in one piece: the
        // same board and the same place.
        let b = member_board(&mut c, scope, &key, *id, 0, 1000, 2, None)
            .await
            .unwrap();
        let all: Vec<(String, i32, u32)> = b
            .rows
            .iter()
            .map(|r| (r.name.clone().unwrap_or_default(), r.points, r.rank))
            .collect();
        let want_all: Vec<(String, i32, u32)> = expected
            .iter()
            .map(|(i, q)| (names[i].clone(), *q, rank(*q)))
            .collect();
        assert_eq!(all, want_all);
        let got: Vec<(String, i32, u32, bool)> = b
            .mine
            .iter()
            .map(|r| (r.name.clone().unwrap_or_default(), r.points, r.rank, r.me))
            .collect();
        assert_eq!(got, want, "around member {id}, whole scope");
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn every_page_and_every_place_match_the_ledger_after_moves_and_departures(pool: PgPool) {
    let w = world(&pool).await;
    let ids = add_members(&pool, "p", 30, |i| {
        if i % 3 == 0 { w.branch_b } else { w.branch_a }
    })
    .await;
    // Ties, members with nothing, and a few below zero (a week without signing in).
    for (i, id) in ids.iter().enumerate() {
        give(&pool, *id, (i % 4) as i32, i % 5 == 0, "g").await;
        if i % 7 == 6 || i == 4 || i == 8 {
            let mut tx = pool.begin().await.unwrap();
            award(
                &mut tx,
                &NewAward {
                    user_id: *id,
                    rule: RuleCode::NoSignInWeek,
                    units: 1,
                    source_kind: app::points::model::PointSource::Week,
                    source_id: "w",
                    idempotency_key: &format!("nosign:{id}"),
                    at: chrono::Utc::now(),
                },
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
    }
    let mut c = pool.acquire().await.unwrap();
    let committee = app::orgs::store::org(&mut c, w.committee)
        .await
        .unwrap()
        .unwrap();
    let branch_a = app::orgs::store::org(&mut c, w.branch_a)
        .await
        .unwrap()
        .unwrap();
    let branch_b = app::orgs::store::org(&mut c, w.branch_b)
        .await
        .unwrap()
        .unwrap();
    drop(c);
    let below_zero: i64 =
        sqlx::query_scalar("SELECT count(*) FROM point_totals WHERE period = 'all' AND points < 0")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(below_zero, 2, "two members below zero");
    check_boards(&pool, None, None).await;
    check_boards(&pool, Some(&committee.path), Some(w.committee)).await;
    check_boards(&pool, Some(&branch_a.path), Some(w.branch_a)).await;

    // A member moves from branch A to B with their points; another leaves.
    let mut c = pool.acquire().await.unwrap();
    app::orgs::store::move_member(&mut c, ids[1], &branch_b)
        .await
        .unwrap();
    app::orgs::store::leave(&mut c, ids[2], app::orgs::model::Tree::Party)
        .await
        .unwrap();
    drop(c);
    check_boards(&pool, None, None).await;
    check_boards(&pool, Some(&branch_a.path), Some(w.branch_a)).await;
    check_boards(&pool, Some(&branch_b.path), Some(w.branch_b)).await;
    check_boards(&pool, Some(&committee.path), Some(w.committee)).await;
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn charts_are_worded_in_the_readers_language_when_the_page_renders(pool: PgPool) {
    let _ = world(&pool).await;
    let has_chinese = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let mut c = signed_in(&pool, "member").await;
    // The server function answers with numbers and keys: no prose in any language.
    let board = [("scope", ""), ("period", "week"), ("page", "1")];
    let r = c.call("member_board", &board).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let charts = r.json()["charts"].clone();
    assert_eq!(charts.as_array().unwrap().len(), 2, "{charts}");
    assert_eq!(charts[0]["title"], "MyDays");
    assert!(!has_chinese(&charts.to_string()), "{charts}");

    // The page words them: titles, series, categories and the tables under them.
    let figures = |html: &str| -> Vec<String> {
        html.split("<figure")
            .skip(1)
            .map(|f| f.split("</figure>").next().unwrap().to_owned())
            .collect()
    };
    let r = c.get("/rankings").await;
    assert_eq!(r.status, StatusCode::OK);
    let zh = figures(&r.body);
    assert_eq!(zh.len(), 2, "{}", r.body);
    assert!(zh[0].contains("近 30 天我的积分"), "{}", zh[0]);
    assert!(zh[1].contains("本月积分来源"), "{}", zh[1]);

    // The language the reader chose travels in its cookie, as after the switch.
    let session = c.cookie.clone().unwrap();
    c.cookie = Some(format!("{session}; lang=en"));
    let r = c.get("/rankings").await;
    assert_eq!(r.status, StatusCode::OK);
    let en = figures(&r.body);
    assert_eq!(en.len(), 2);
    assert!(en[0].contains("My points, last 30 days"), "{}", en[0]);
    for f in &en {
        assert!(!has_chinese(f), "{f}");
    }
}

/// A branch's board is one statement whose plan the database makes once per connection and
/// keeps. With the scope's value in sight it would estimate a branch smaller than the average
/// scope as cheaper than the shared plan, and plan every request anew.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_branch_board_is_planned_once_per_connection(pool: PgPool) {
    let w = world(&pool).await;
    // Branch B grows, so that branch A is far smaller than the average scope.
    add_members(&pool, "p", 60, |_| w.branch_b).await;
    sqlx::query("ANALYZE member_scopes")
        .execute(&pool)
        .await
        .unwrap();
    let viewer = user_id(&pool, "member").await;
    let mut c = pool.acquire().await.unwrap();
    let branch = app::orgs::store::org(&mut c, w.branch_a)
        .await
        .unwrap()
        .unwrap();
    for _ in 0..8 {
        let b = app::rankings::store::member_board(
            &mut c,
            Some(&branch.path),
            "all",
            viewer,
            0,
            50,
            2,
            None,
        )
        .await
        .unwrap();
        assert!(
            b.total >= 1 && b.total <= 50,
            "the whole branch fits on its page"
        );
    }
    let (generic, custom): (i64, i64) = sqlx::query_as(
        "SELECT generic_plans, custom_plans FROM pg_prepared_statements
         WHERE statement LIKE '%LEFT JOIN (SELECT user_id, points FROM board_totals%'
           AND statement NOT LIKE '%pg_prepared_statements%'",
    )
    .fetch_one(&mut *c)
    .await
    .unwrap();
    assert!(
        generic >= 3,
        "planned anew: {generic} generic, {custom} custom plans"
    );
}
