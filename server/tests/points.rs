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

/// Sets a member's points earned (all time), as if the ledger had given them.
async fn earned(pool: &PgPool, user: UserId, points: i32) {
    sqlx::query(
        "INSERT INTO point_totals (user_id, period, points) VALUES ($1, 'all', $2)
         ON CONFLICT (user_id, period) DO UPDATE SET points = EXCLUDED.points",
    )
    .bind(user)
    .bind(points)
    .execute(pool)
    .await
    .unwrap();
}

/// The form of an offer open from yesterday for a month, changed by `with`.
fn offer_fields(org: &str, with: &[(&'static str, &'static str)]) -> Vec<(&'static str, String)> {
    let today = app::time::day_of(chrono::Utc::now());
    let mut fields = vec![
        ("org", org.to_owned()),
        ("kind", "item".to_owned()),
        ("title", "青年之家会议室优先预约".to_owned()),
        ("description", "周末场次".to_owned()),
        ("cost", "30".to_owned()),
        ("stock", "5".to_owned()),
        ("per_member", "1".to_owned()),
        ("opens", (today - chrono::Duration::days(1)).to_string()),
        ("closes", (today + chrono::Duration::days(30)).to_string()),
    ];
    for (k, v) in with {
        fields.iter_mut().find(|f| f.0 == *k).unwrap().1 = (*v).to_owned();
    }
    fields
}

async fn offer(c: &mut common::Client, fields: &[(&'static str, String)]) -> common::Reply {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.call("offer_reward", &pairs).await
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_member_redeems_a_reward_spending_points_but_not_their_rank_and_a_cancellation_gives_them_back(
    pool: PgPool,
) {
    let w = world(&pool).await;
    let committee = w.committee.to_string();
    let mut admin = common::signed_in(&pool, "orgadmin").await;
    // Bad input: every field named, nothing saved.
    let bad = offer(
        &mut admin,
        &offer_fields(
            &committee,
            &[
                ("cost", "0"),
                ("stock", "x"),
                ("per_member", "101"),
                ("title", ""),
            ],
        ),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let fields: Vec<String> = bad.json()["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["title", "cost", "stock", "per_member"]);
    assert_eq!(
        common::count(&pool, "SELECT count(*) FROM rewards").await,
        0
    );
    let r = offer(&mut admin, &offer_fields(&committee, &[])).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let reward = r.json().as_i64().unwrap().to_string();

    // The member signs in (a point) and has 40 points earned in all.
    let member = common::user_id(&pool, "member").await;
    let mut m = common::signed_in(&pool, "member").await;
    earned(&pool, member, 40).await;
    let page = m.call("my_rewards", &[]).await.json();
    assert_eq!(page["balance"], 40);
    assert_eq!(page["offered"][0]["title"], "青年之家会议室优先预约");
    let r = m.call("redeem_reward", &[("reward", &reward)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let redemption = r.json().as_i64().unwrap().to_string();
    // A second one passes the limit of one per member.
    let again = m.call("redeem_reward", &[("reward", &reward)]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(common::error_msg(&again.body), "RewardLimitReached");
    let page = m.call("my_rewards", &[]).await.json();
    assert_eq!(page["balance"], 10);
    assert_eq!(page["offered"][0]["stock"], 4);
    assert_eq!(page["mine"][0]["state"], "Requested");
    // The ledger shows the spending; the totals the boards read still say 40.
    let ledger = m.call("points_page", &[]).await.json()["ledger"].clone();
    assert_eq!(ledger["rows"][0]["points"], -30);
    assert_eq!(ledger["rows"][0]["source_kind"], "redemption");
    assert_eq!(ledger["rows"][0]["code"], json!(null));
    let all: i32 =
        sqlx::query_scalar("SELECT points FROM point_totals WHERE user_id = $1 AND period = 'all'")
            .bind(member)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(all, 40);
    let page = m.get("/points").await;
    assert!(
        page.body.contains("积分兑换") && page.body.contains("-30"),
        "{}",
        page.body
    );

    // The member may not issue their own; the admin issues it, the member is told.
    let step = |s: &'static str| [("redemption", redemption.clone()), ("state", s.to_owned())];
    let call = async |c: &mut common::Client, s: &'static str| {
        let f = step(s);
        c.call(
            "set_redemption_state",
            &[("redemption", f[0].1.as_str()), ("state", f[1].1.as_str())],
        )
        .await
    };
    assert_eq!(call(&mut m, "issued").await.status, StatusCode::FORBIDDEN);
    assert_eq!(call(&mut admin, "issued").await.status, StatusCode::OK);
    assert_eq!(
        common::notifications(&pool, "member", "reward_issued").await,
        1
    );
    // Now issued, the member can no longer cancel it; the admin can, and the points and
    // the stock come back with a refund in the ledger.
    assert_eq!(
        call(&mut m, "cancelled").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(call(&mut admin, "cancelled").await.status, StatusCode::OK);
    let twice = call(&mut admin, "cancelled").await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(common::error_msg(&twice.body), "RedemptionStepInvalid");
    let page = m.call("my_rewards", &[]).await.json();
    assert_eq!(page["balance"], 40);
    assert_eq!(page["offered"][0]["stock"], 5);
    assert_eq!(page["mine"][0]["state"], "Cancelled");
    let ledger = m.call("points_page", &[]).await.json()["ledger"].clone();
    assert_eq!(ledger["rows"][0]["points"], 30);
    assert_eq!(ledger["rows"][0]["source_kind"], "refund");
    let sum: i64 = sqlx::query_scalar(
        "SELECT sum(points) FROM point_ledger WHERE user_id = $1 AND rule_id IS NULL",
    )
    .bind(member)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(sum, 0);

    // Redeemed again, issued and collected: then it is done.
    let r = m.call("redeem_reward", &[("reward", &reward)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let pages = admin
        .get(&format!("/points/rewards/manage?org={committee}"))
        .await;
    assert!(
        pages.body.contains("member") && pages.body.contains("已备好"),
        "{}",
        pages.body
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn rewards_are_offered_and_handled_only_within_an_organizations_scope(pool: PgPool) {
    let w = world(&pool).await;
    let (committee, branch_b) = (w.committee.to_string(), w.branch_b.to_string());
    let mut signed_out = client(&pool).await;
    let r = offer(&mut signed_out, &offer_fields(&committee, &[])).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        signed_out.call("my_rewards", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    let mut m = common::signed_in(&pool, "member").await;
    assert_eq!(
        offer(&mut m, &offer_fields(&committee, &[])).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        m.call("org_rewards", &[("org", &committee)]).await.status,
        StatusCode::FORBIDDEN
    );
    // Branch B's secretary may offer none, not even for branch B; the company's admin offers
    // one to branch B, which branch A's member neither sees nor redeems.
    let mut b = common::signed_in(&pool, "secretary2").await;
    assert_eq!(
        offer(&mut b, &offer_fields(&committee, &[])).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        offer(&mut b, &offer_fields(&branch_b, &[])).await.status,
        StatusCode::FORBIDDEN
    );
    let mut admin = common::signed_in(&pool, "orgadmin").await;
    let r = offer(&mut admin, &offer_fields(&branch_b, &[])).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let theirs = r.json().as_i64().unwrap().to_string();
    earned(&pool, common::user_id(&pool, "member").await, 100).await;
    let page = m.call("my_rewards", &[]).await.json();
    assert_eq!(page["offered"], json!([]));
    let r = m.call("redeem_reward", &[("reward", &theirs)]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        m.call("redeem_reward", &[("reward", "abc")]).await.status,
        StatusCode::BAD_REQUEST
    );
    // A reward not yet open, or one the member cannot afford, is refused and changes nothing.
    let tomorrow = (app::time::day_of(chrono::Utc::now()) + chrono::Duration::days(1)).to_string();
    let mut later = offer_fields(&committee, &[]);
    later.iter_mut().find(|f| f.0 == "opens").unwrap().1 = tomorrow;
    let later = offer(&mut admin, &later)
        .await
        .json()
        .as_i64()
        .unwrap()
        .to_string();
    let r = m.call("redeem_reward", &[("reward", &later)]).await;
    assert_eq!(common::error_msg(&r.body), "RewardClosed");
    let dear = offer(&mut admin, &offer_fields(&committee, &[("cost", "101")])).await;
    let dear = dear.json().as_i64().unwrap().to_string();
    let r = m.call("redeem_reward", &[("reward", &dear)]).await;
    assert_eq!(common::error_msg(&r.body), "PointsShort");
    assert_eq!(
        common::count(&pool, "SELECT count(*) FROM redemptions").await,
        0
    );
    assert_eq!(
        common::count(&pool, "SELECT count(*) FROM point_wallets WHERE spent > 0").await,
        0
    );
    // Another branch's secretary may not move a redemption of the committee's reward.
    let cheap = offer(&mut admin, &offer_fields(&committee, &[])).await;
    let cheap = cheap.json().as_i64().unwrap().to_string();
    let id = m
        .call("redeem_reward", &[("reward", &cheap)])
        .await
        .json()
        .to_string();
    let r = b
        .call(
            "set_redemption_state",
            &[("redemption", &id), ("state", "issued")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = b
        .call(
            "set_redemption_state",
            &[("redemption", &id), ("state", "cancelled")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = admin
        .call(
            "set_redemption_state",
            &[("redemption", &id), ("state", "lost")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let state: String = sqlx::query_scalar("SELECT state FROM redemptions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(state, "requested");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn fifty_redemptions_at_once_of_the_last_five_give_exactly_five(pool: PgPool) {
    use app::points::rewards::flow;
    let w = world(&pool).await;
    let admin = common::user_id(&pool, "orgadmin").await;
    let claim = common::live_claim(&pool, admin).await;
    let mut c = pool.acquire().await.unwrap();
    let actor = app::auth::session::actor_of(&mut c, &claim).await.unwrap();
    let form = app::points::rewards::model::RewardForm {
        kind: "priority".into(),
        title: "人才公寓优先轮候".into(),
        description: String::new(),
        cost: "10".into(),
        stock: "5".into(),
        per_member: "1".into(),
        opens: (app::time::day_of(chrono::Utc::now()) - chrono::Duration::days(1)).to_string(),
        closes: app::time::day_of(chrono::Utc::now()).to_string(),
    };
    let reward = flow::offer(&mut c, &actor, w.committee, &form, chrono::Utc::now())
        .await
        .unwrap();
    // Fifty members of branch A, each with 10 points.
    let mut members = vec![];
    for n in 0..50 {
        let u = common::add_user(&mut c, "x", &format!("m{n}"), &format!("137000000{n:02}")).await;
        app::orgs::store::join(&mut c, u, w.branch_a, app::orgs::model::MemberStatus::Full)
            .await
            .unwrap();
        earned(&pool, u, 10).await;
        members.push(u);
    }
    // And one of them asks ten times at once.
    let wide = sqlx::postgres::PgPoolOptions::new()
        .max_connections(60)
        .connect_with(pool.connect_options().as_ref().clone())
        .await
        .unwrap();
    let tries = members
        .iter()
        .copied()
        .chain(std::iter::repeat_n(members[0], 10))
        .map(|u| {
            let wide = wide.clone();
            let actor = app::auth::model::Actor {
                user_id: u,
                grants: vec![],
            };
            tokio::spawn(async move {
                let mut tx = wide.begin().await.unwrap();
                let r = flow::redeem(&mut tx, &actor, reward, chrono::Utc::now()).await;
                if r.is_ok() {
                    tx.commit().await.unwrap();
                }
                r.map_err(|e| format!("{e:?}"))
            })
        })
        .collect::<Vec<_>>();
    let mut won = 0;
    for t in tries {
        match t.await.unwrap() {
            Ok(_) => won += 1,
            Err(e) => assert!(
                e.contains("RewardOutOfStock") || e.contains("RewardLimitReached"),
                "{e}"
            ),
        }
    }
    assert_eq!(won, 5);
    let stock: i32 = sqlx::query_scalar("SELECT stock FROM rewards")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stock, 0);
    assert_eq!(
        common::count(&pool, "SELECT count(*) FROM redemptions").await,
        5
    );
    assert_eq!(
        common::count(&pool, "SELECT count(DISTINCT user_id) FROM redemptions").await,
        5
    );
    assert_eq!(
        common::count(
            &pool,
            "SELECT -sum(points) FROM point_ledger WHERE source_kind = 'redemption'"
        )
        .await,
        50
    );
    assert_eq!(
        common::count(&pool, "SELECT sum(spent) FROM point_wallets").await,
        50
    );
    wide.close().await;
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn redemptions_are_listed_a_page_at_a_time_newest_first(pool: PgPool) {
    let w = world(&pool).await;
    let committee = w.committee.to_string();
    let mut admin = common::signed_in(&pool, "orgadmin").await;
    let fields = offer_fields(
        &committee,
        &[("cost", "1"), ("stock", "40"), ("per_member", "40")],
    );
    let reward = offer(&mut admin, &fields).await.json().to_string();
    let mut m = common::signed_in(&pool, "member").await;
    earned(&pool, common::user_id(&pool, "member").await, 40).await;
    for _ in 0..35 {
        let r = m.call("redeem_reward", &[("reward", &reward)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let ids = |v: &serde_json::Value| -> Vec<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect()
    };
    let first = m.call("my_rewards", &[]).await.json();
    let page = ids(&first["mine"]);
    assert_eq!(page.len(), 30);
    assert!(page.windows(2).all(|p| p[0] > p[1]), "{page:?}");
    let next = first["next"].to_string();
    let second = m.call("my_rewards", &[("before", &next)]).await.json();
    assert_eq!(ids(&second["mine"]).len(), 5);
    assert_eq!(second["next"], json!(null));
    assert!(ids(&second["mine"])[0] < *page.last().unwrap());

    let first = admin
        .call("org_rewards", &[("org", &committee)])
        .await
        .json();
    assert_eq!(ids(&first["redemptions"]).len(), 30);
    let next = first["next"].to_string();
    let second = admin
        .call("org_rewards", &[("org", &committee), ("before", &next)])
        .await
        .json();
    assert_eq!(ids(&second["redemptions"]).len(), 5);
    let more = admin
        .get(&format!("/points/rewards/manage?org={committee}"))
        .await;
    assert!(
        more.body.contains(&format!("before={next}")),
        "{}",
        more.body
    );
}
