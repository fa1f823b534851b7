//! Becoming a member through the real router and in the database: the League's
//! recommendation, the five stages each recorded by the right role, the rules of time,
//! votes, people, training and plans refusing with a field error and saving nothing, the
//! age rules, who may see and do what, and twenty submits of one step at once.

mod common;

use app::auth::model::Role;
use app::ids::{OrgId, UserId};
use app::orgs::model::MemberStatus;
use common::{Client, PASSWORD, World, count, error_msg, signed_in, world};
use http::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A step answered with success.
fn ok((status, body): (StatusCode, String)) {
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// The world, with its branches in one enterprise, and that enterprise's League committee
/// and branch: `youth` (a League member born 2002), `leaguesec` (its secretary),
/// `leagueadmin` (the League committee's admin), `old` (a League member born 1990), and a
/// second full Party member `sponsor` in the first branch.
struct Dev {
    w: World,
    league_branch: OrgId,
    youth: UserId,
}

async fn setup(pool: &PgPool) -> Dev {
    use app::orgs::store::{grant_role, join};
    let w = world(pool).await;
    let (committee, league_branch) = common::one_workplace(pool).await;
    let mut c = pool.acquire().await.unwrap();
    let hash = app::auth::session::hash_password(PASSWORD.to_owned())
        .await
        .unwrap();
    let youth = common::add_user(&mut c, &hash, "youth", "13900000011").await;
    let leaguesec = common::add_user(&mut c, &hash, "leaguesec", "13900000012").await;
    let leagueadmin = common::add_user(&mut c, &hash, "leagueadmin", "13900000013").await;
    let old = common::add_user(&mut c, &hash, "old", "13900000014").await;
    let sponsor = common::add_user(&mut c, &hash, "sponsor", "13900000015").await;
    for u in [youth, leaguesec, old] {
        join(&mut c, u, league_branch, MemberStatus::LeagueMember)
            .await
            .unwrap();
    }
    join(&mut c, sponsor, w.branch_a, MemberStatus::Full)
        .await
        .unwrap();
    grant_role(
        &mut c,
        leaguesec,
        Role::Secretary,
        Some(league_branch),
        None,
    )
    .await
    .unwrap();
    grant_role(&mut c, leagueadmin, Role::OrgAdmin, Some(committee), None)
        .await
        .unwrap();
    sqlx::query("UPDATE users SET birth_date = '2002-03-01' WHERE id = $1")
        .bind(youth)
        .execute(&mut *c)
        .await
        .unwrap();
    sqlx::query("UPDATE users SET birth_date = '1990-05-01' WHERE id = $1")
        .bind(old)
        .execute(&mut *c)
        .await
        .unwrap();
    Dev {
        w,
        league_branch,
        youth,
    }
}

async fn user_id(pool: &PgPool, username: &str) -> String {
    let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(pool)
        .await
        .unwrap();
    id.to_string()
}

/// Records a step of case `id` after `seen` steps: the kind, its date, and more fields.
async fn step(
    c: &mut Client,
    id: i64,
    seen: usize,
    kind: &str,
    on: &str,
    more: &[(&str, &str)],
) -> (StatusCode, String) {
    let (id, seen) = (id.to_string(), seen.to_string());
    let mut fields = vec![
        ("id", id.as_str()),
        ("seen", seen.as_str()),
        ("kind", kind),
        ("on", on),
    ];
    fields.extend_from_slice(more);
    let r = c.call("record_development_step", &fields).await;
    (r.status, r.body)
}

async fn steps(pool: &PgPool, case: i64) -> usize {
    usize::try_from(
        count(
            pool,
            &format!("SELECT count(*) FROM development_steps WHERE case_id = {case}"),
        )
        .await,
    )
    .unwrap()
}

async fn status(pool: &PgPool, user: UserId, tree: &str) -> Option<String> {
    sqlx::query_scalar(
        "SELECT status FROM memberships WHERE user_id = $1 AND tree = $2 AND ended_at IS NULL",
    )
    .bind(user)
    .bind(tree)
    .fetch_optional(pool)
    .await
    .unwrap()
}

/// The League recommends `youth` (dated 2024-09-10) and the Party branch registers their
/// application of 2024-09-01; answers the case and the recommendation.
async fn recommended_and_registered(pool: &PgPool, d: &Dev) -> (i64, String) {
    let mut league = signed_in(pool, "leaguesec").await;
    let youth = d.youth.0.to_string();
    let org = d.league_branch.0.to_string();
    let r = league
        .call(
            "recommend_member",
            &[
                ("org", &org),
                ("member", &youth),
                ("on", "2024-09-10"),
                ("eligible", "5"),
                ("present", "4"),
                ("in_favour", "4"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rec = r.body.trim().to_owned();
    let mut secretary = signed_in(pool, "secretary").await;
    let branch = d.w.branch_a.0.to_string();
    // The Party branch of the same workplace sees whom the League put forward.
    let put_forward = async |c: &mut Client| {
        let page = c
            .call("branch_development", &[("org", &branch), ("year", "0")])
            .await
            .json();
        page["recommendations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        put_forward(&mut secretary).await,
        vec![Value::from("youth")]
    );
    let r = secretary
        .call(
            "register_application",
            &[("org", &branch), ("login", "youth"), ("on", "2024-09-01")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Registered, she leaves that list for the branch's cases.
    assert!(put_forward(&mut secretary).await.is_empty());
    (r.body.trim().parse().unwrap(), rec)
}

/// A case's steps as the tests record them: each recorded step moves `seen` on; a refused
/// one must leave the case as it was.
struct Steps<'a> {
    pool: &'a PgPool,
    id: i64,
    seen: usize,
}

impl Steps<'_> {
    async fn ok(&mut self, c: &mut Client, kind: &str, on: &str, more: &[(&str, &str)]) {
        ok(step(c, self.id, self.seen, kind, on, more).await);
        self.seen += 1;
        assert_eq!(steps(self.pool, self.id).await, self.seen);
    }

    /// The refusal's message, or the status when it is not a field error or conflict.
    async fn refused(&self, c: &mut Client, kind: &str, on: &str, more: &[(&str, &str)]) -> Value {
        let (status, body) = step(c, self.id, self.seen, kind, on, more).await;
        assert_ne!(status, StatusCode::OK, "{kind} on {on} was recorded");
        assert_eq!(
            steps(self.pool, self.id).await,
            self.seen,
            "{kind}: something was saved"
        );
        match status {
            StatusCode::FORBIDDEN => Value::from("Forbidden"),
            _ => error_msg(&body),
        }
    }
}

fn vote(
    eligible: &'static str,
    present: &'static str,
    favour: &'static str,
) -> [(&'static str, &'static str); 3] {
    [
        ("eligible", eligible),
        ("present", present),
        ("in_favour", favour),
    ]
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_league_member_recommended_by_the_league_becomes_a_full_member_each_step_by_the_right_role(
    pool: PgPool,
) {
    let d = setup(&pool).await;
    let (case, rec) = recommended_and_registered(&pool, &d).await;
    assert_eq!(
        status(&pool, d.youth, "party").await.as_deref(),
        Some("applicant")
    );
    let mut sec = signed_in(&pool, "secretary").await;
    let mut member = signed_in(&pool, "member").await;
    let mut youth = signed_in(&pool, "youth").await;
    let mut admin = signed_in(&pool, "orgadmin").await;
    let (member_id, sponsor_id) = (
        user_id(&pool, "member").await,
        user_id(&pool, "sponsor").await,
    );
    let youth_id = d.youth.0.to_string();
    let mut k = Steps {
        pool: &pool,
        id: case,
        seen: 1,
    };

    k.ok(&mut sec, "talk", "2024-09-15", &[]).await;
    // Neither a plain member nor the applicant decides on an activist.
    let activist = [
        ("person1", member_id.as_str()),
        ("recommended", rec.as_str()),
    ];
    assert_eq!(
        k.refused(&mut member, "activist", "2024-10-01", &activist)
            .await,
        "Forbidden"
    );
    assert_eq!(
        k.refused(&mut youth, "activist", "2024-10-01", &activist)
            .await,
        "Forbidden"
    );
    k.ok(&mut sec, "activist", "2024-10-01", &activist).await;
    assert_eq!(
        status(&pool, d.youth, "party").await.as_deref(),
        Some("activist")
    );
    // The contact assesses in writing.
    k.ok(
        &mut member,
        "assessment",
        "2025-04-01",
        &[("note", "表现积极")],
    )
    .await;

    // A year as an activist first.
    let heard = [("note", "听取了党小组和群众意见")];
    assert_eq!(
        k.refused(&mut sec, "candidate", "2025-09-30", &heard).await,
        "DevActivistYear"
    );
    k.ok(&mut sec, "candidate", "2025-10-10", &heard).await;

    // Two sponsors, both full members, not the candidate.
    let with_self = [
        ("person1", member_id.as_str()),
        ("person2", youth_id.as_str()),
    ];
    assert_eq!(
        k.refused(&mut sec, "sponsors", "2025-10-11", &with_self)
            .await,
        "DevNotFullMember"
    );
    let twice = [
        ("person1", member_id.as_str()),
        ("person2", member_id.as_str()),
    ];
    assert_eq!(
        k.refused(&mut sec, "sponsors", "2025-10-11", &twice).await,
        "DevSponsorCount"
    );
    let two = [
        ("person1", member_id.as_str()),
        ("person2", sponsor_id.as_str()),
    ];
    k.ok(&mut sec, "sponsors", "2025-10-11", &two).await;
    k.ok(
        &mut sec,
        "review",
        "2025-10-12",
        &[("note", "政治审查合格")],
    )
    .await;

    // The meeting needs the training, a quorum and more than half of all in favour.
    assert_eq!(
        k.refused(&mut sec, "meeting", "2025-11-01", &vote("5", "4", "3"))
            .await,
        "DevTraining"
    );
    k.ok(&mut sec, "training", "2025-10-20", &[("hours", "24")])
        .await;
    assert_eq!(
        k.refused(&mut sec, "meeting", "2025-11-01", &vote("5", "2", "2"))
            .await,
        "DevQuorum"
    );
    assert_eq!(
        k.refused(&mut sec, "meeting", "2025-11-01", &vote("5", "4", "2"))
            .await,
        "DevMajority"
    );
    k.ok(&mut sec, "meeting", "2025-11-01", &vote("5", "4", "3"))
        .await;
    assert_eq!(
        status(&pool, d.youth, "party").await.as_deref(),
        Some("candidate")
    );

    // The committee above approves, within three months; the branch cannot.
    assert_eq!(
        k.refused(&mut sec, "approved", "2025-11-20", &[]).await,
        "Forbidden"
    );
    assert_eq!(
        k.refused(&mut admin, "approved", "2026-02-02", &[]).await,
        "DevApprovalLate"
    );
    k.ok(&mut admin, "approved", "2025-11-20", &[]).await;
    assert_eq!(
        status(&pool, d.youth, "party").await.as_deref(),
        Some("probationary")
    );

    // A year of probation from the meeting, the written request, the meeting, approval.
    assert_eq!(
        k.refused(&mut youth, "oath", "2025-11-25", &[]).await,
        "Forbidden"
    );
    k.ok(&mut sec, "oath", "2025-11-25", &[]).await;
    k.ok(&mut youth, "request", "2026-10-25", &[]).await;
    let all = vote("6", "6", "6");
    assert_eq!(
        k.refused(&mut sec, "full_meeting", "2026-10-30", &all)
            .await,
        "DevProbationNotOver"
    );
    k.ok(&mut sec, "full_meeting", "2026-11-05", &all).await;
    k.ok(&mut admin, "full_approved", "2026-11-20", &[]).await;
    assert_eq!(
        status(&pool, d.youth, "party").await.as_deref(),
        Some("full")
    );
    let closed = format!(
        "SELECT count(*) FROM development_cases WHERE id = {case} AND stage = 'full' AND closed_at IS NOT NULL"
    );
    assert_eq!(count(&pool, &closed).await, 1);
    // Nothing more can be recorded on a finished case.
    assert_eq!(
        k.refused(&mut sec, "cancelled", "2026-11-21", &[("note", "x")])
            .await,
        "DevStepNotNow"
    );

    // The person was told of each stage; the committee counts 2025's new member, via 推优.
    assert_eq!(
        common::notifications(&pool, "youth", "development_stage").await,
        4
    );
    let committee = d.w.committee.0.to_string();
    let r = admin
        .call(
            "branch_development",
            &[("org", &committee), ("year", "2025")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let f = &r.json()["figures"];
    assert_eq!(
        (f["new_this_year"].as_i64(), f["new_via_tuiyou"].as_i64()),
        (Some(1), Some(1)),
        "{f}"
    );
    // The case's page shows the League's record and the steps.
    let v = youth
        .call("development_case", &[("id", &case.to_string())])
        .await
        .json();
    assert_eq!(v["case"]["recommendations"][0]["org_name"], "研发团支部");
    assert_eq!(v["case"]["steps"].as_array().unwrap().len(), 14);
    assert_eq!(v["case"]["sponsors"].as_array().unwrap().len(), 2);
    // The political review's conclusion stays with the branch: she sees its date only.
    let note = |v: &Value| {
        let steps = v["case"]["steps"].as_array().unwrap();
        steps
            .iter()
            .find(|s| s["kind"] == "Review")
            .map(|s| s["note"].clone())
            .unwrap()
    };
    assert_eq!(note(&v), "");
    let theirs = sec
        .call("development_case", &[("id", &case.to_string())])
        .await
        .json();
    assert_eq!(note(&theirs), "政治审查合格");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn twenty_submits_of_one_step_at_once_record_it_once(pool: PgPool) {
    let d = setup(&pool).await;
    let (case, _) = recommended_and_registered(&pool, &d).await;
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let mut c = signed_in(&pool, "secretary").await;
        tasks.push(tokio::spawn(async move {
            step(&mut c, case, 1, "talk", "2024-09-15", &[]).await
        }));
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    let ok = answers.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    assert_eq!(ok, 1, "{answers:?}");
    assert!(
        answers
            .iter()
            .filter(|(s, _)| *s != StatusCode::OK)
            .all(|(s, b)| *s == StatusCode::CONFLICT && error_msg(b) == "DevChanged"),
        "{answers:?}"
    );
    assert_eq!(steps(&pool, case).await, 2);
    // A replay of the same form later finds the case moved on.
    let mut sec = signed_in(&pool, "secretary").await;
    assert_eq!(
        error_msg(&step(&mut sec, case, 1, "talk", "2024-09-15", &[]).await.1),
        "DevChanged"
    );
    assert_eq!(steps(&pool, case).await, 2);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_age_rules_refuse_the_too_young_the_undated_and_the_too_old(pool: PgPool) {
    let d = setup(&pool).await;
    let mut sec = signed_in(&pool, "secretary").await;
    let branch = d.w.branch_a.0.to_string();
    // `old` has a birth date 1990: too old for a recommendation, and shown over the
    // League's age on the League branch's page.
    let mut league = signed_in(&pool, "leaguesec").await;
    let org = d.league_branch.0.to_string();
    let old = user_id(&pool, "old").await;
    let r = league
        .call(
            "recommend_member",
            &[
                ("org", &org),
                ("member", &old),
                ("on", "2026-12-01"),
                ("eligible", "3"),
                ("present", "3"),
                ("in_favour", "3"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(error_msg(&r.body), "DevTooOldTuiyou", "{}", r.body);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM league_recommendations").await,
        0
    );
    let r = league
        .call("branch_development", &[("org", &org), ("year", "0")])
        .await;
    let members = r.json()["members"].clone();
    let over: Vec<_> = members
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["over_age"] == true)
        .map(|m| m["name"].clone())
        .collect();
    assert_eq!(over, vec![Value::from("old")], "{members}");

    // `leaguesec` has no birth date: no application can be registered.
    let r = sec
        .call(
            "register_application",
            &[
                ("org", &branch),
                ("login", "leaguesec"),
                ("on", "2026-12-01"),
            ],
        )
        .await;
    assert_eq!(error_msg(&r.body), "DevBirthDateRequired", "{}", r.body);
    // Set once, on their own page; a second time is refused; a child's date is refused.
    let mut ls = signed_in(&pool, "leaguesec").await;
    let r = ls
        .call("set_birth_date", &[("birth_date", "2020-01-01")])
        .await;
    assert_eq!(error_msg(&r.body), "DevBirthDate");
    // Eighteen tomorrow (Asia/Shanghai): seventeen today, whenever the test runs.
    let seventeen = {
        use chrono::Datelike;
        let tomorrow = app::time::day_of(chrono::Utc::now()) + chrono::Days::new(1);
        let year = tomorrow.year() - 18;
        tomorrow
            .with_year(year)
            .unwrap_or_else(|| chrono::NaiveDate::from_ymd_opt(year, 3, 1).unwrap())
            .to_string()
    };
    assert_eq!(
        ls.call("set_birth_date", &[("birth_date", &seventeen)])
            .await
            .status,
        StatusCode::OK
    );
    let r = ls
        .call("set_birth_date", &[("birth_date", "2000-01-01")])
        .await;
    assert_eq!(error_msg(&r.body), "DevBirthDateSet");
    // Seventeen on the day: too young to apply to the Party, nothing saved.
    let r = ls
        .call("apply_to_join", &[("target", &format!("party-{branch}"))])
        .await;
    assert_eq!(error_msg(&r.body), "DevTooYoungParty", "{}", r.body);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM development_cases").await,
        0
    );
    assert_eq!(
        status(
            &pool,
            UserId(user_id(&pool, "leaguesec").await.parse().unwrap()),
            "party"
        )
        .await,
        None
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn another_branch_or_an_outsider_can_neither_see_nor_record_a_case(pool: PgPool) {
    let d = setup(&pool).await;
    let (case, _) = recommended_and_registered(&pool, &d).await;
    let id = case.to_string();
    for login in ["secretary2", "leaguesec", "sponsor"] {
        let mut c = signed_in(&pool, login).await;
        assert_eq!(
            c.call("development_case", &[("id", &id)]).await.status,
            StatusCode::FORBIDDEN,
            "{login}"
        );
        assert_eq!(
            step(&mut c, case, 1, "talk", "2024-09-15", &[]).await.0,
            StatusCode::FORBIDDEN,
            "{login}"
        );
    }
    let mut other = signed_in(&pool, "secretary2").await;
    let branch = d.w.branch_a.0.to_string();
    assert_eq!(
        other
            .call("branch_development", &[("org", &branch), ("year", "0")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // A Party secretary does not recommend in the League's name; no one registers
    // someone of another workplace, and the answer does not say whether they exist.
    let mut sec = signed_in(&pool, "secretary").await;
    let org = d.league_branch.0.to_string();
    let youth = d.youth.0.to_string();
    let r = sec
        .call(
            "recommend_member",
            &[
                ("org", &org),
                ("member", &youth),
                ("on", "2026-12-01"),
                ("eligible", "3"),
                ("present", "3"),
                ("in_favour", "3"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for login in ["admin", "nobody-here"] {
        let r = sec
            .call(
                "register_application",
                &[("org", &branch), ("login", login), ("on", "2026-12-01")],
            )
            .await;
        assert_eq!(
            error_msg(&r.body),
            "DevPersonUnknown",
            "{login}: {}",
            r.body
        );
    }
    assert_eq!(
        count(&pool, "SELECT count(*) FROM development_steps").await,
        1
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_member_applies_online_once_and_a_full_plan_refuses_one_more_admission(pool: PgPool) {
    let d = setup(&pool).await;
    let mut youth = signed_in(&pool, "youth").await;
    let branch = d.w.branch_a.0.to_string();
    let r = youth
        .call("apply_to_join", &[("target", &format!("party-{branch}"))])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let case: i64 = r.body.trim().parse().unwrap();
    assert_eq!(
        common::notifications(&pool, "secretary", "development_todo").await,
        1
    );
    let r = youth
        .call("apply_to_join", &[("target", &format!("party-{branch}"))])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = youth.call("my_development", &[]).await;
    assert_eq!(r.json()["cases"][0]["stage"], "Applicant");
    assert_eq!(
        count(&pool, "SELECT count(*) FROM development_cases").await,
        1
    );

    // The secretary cannot set the branch's own plan; the committee sets none for it.
    let mut sec = signed_in(&pool, "secretary").await;
    let set = |q: &'static str| {
        [
            ("org", branch.clone()),
            ("year", "2026".to_owned()),
            ("quota", q.to_owned()),
        ]
    };
    let fields = set("5");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        sec.call("set_development_quota", &fields).await.status,
        StatusCode::FORBIDDEN
    );
    let mut admin = signed_in(&pool, "orgadmin").await;
    let fields = set("0");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        admin.call("set_development_quota", &fields).await.status,
        StatusCode::OK
    );

    // A candidate ready for the meeting (history recorded straight into the database, a
    // year and more back) meets a plan of none this year.
    sqlx::query(
        "INSERT INTO development_steps (case_id, seq, kind, on_date, by_user, hours, note)
         SELECT $1, s.seq, s.kind, s.on_date::date, c.user_id, s.hours, 'x'
         FROM development_cases c, (VALUES (2, 'talk', '2024-01-05', NULL::int), (3, 'activist', '2024-02-01', NULL),
              (4, 'candidate', '2025-03-01', NULL), (5, 'sponsors', '2025-03-02', NULL), (6, 'review', '2025-03-03', NULL),
              (7, 'training', '2025-03-04', 30)) AS s (seq, kind, on_date, hours) WHERE c.id = $1",
    )
    .bind(case)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("UPDATE development_cases SET stage = 'candidate' WHERE id = $1")
        .bind(case)
        .execute(&pool)
        .await
        .unwrap();
    let today = app::time::day_of(chrono::Utc::now()).to_string();
    let r = step(
        &mut sec,
        case,
        7,
        "meeting",
        &today,
        &[("eligible", "3"), ("present", "3"), ("in_favour", "3")],
    )
    .await;
    assert_eq!(error_msg(&r.1), "DevQuotaFull", "{}", r.1);
    assert_eq!(steps(&pool, case).await, 7);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_young_employee_joins_the_league_by_the_branch_meeting_and_the_committee_above(
    pool: PgPool,
) {
    let d = setup(&pool).await;
    let mut c = pool.acquire().await.unwrap();
    let hash = app::auth::session::hash_password(PASSWORD.to_owned())
        .await
        .unwrap();
    let newcomer = common::add_user(&mut c, &hash, "newcomer", "13900000021").await;
    app::orgs::store::join(
        &mut c,
        newcomer,
        d.league_branch,
        MemberStatus::YoungEmployee,
    )
    .await
    .unwrap();
    drop(c);
    let mut me = signed_in(&pool, "newcomer").await;
    assert_eq!(
        me.call("set_birth_date", &[("birth_date", "2004-04-04")])
            .await
            .status,
        StatusCode::OK
    );
    let target = format!("league-{}", d.league_branch.0);
    let r = me.call("apply_to_join", &[("target", &target)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let case: i64 = r.body.trim().parse().unwrap();
    assert_eq!(
        status(&pool, newcomer, "league").await.as_deref(),
        Some("league_activist")
    );
    let mut k = Steps {
        pool: &pool,
        id: case,
        seen: 1,
    };
    let mut league = signed_in(&pool, "leaguesec").await;
    let mut above = signed_in(&pool, "leagueadmin").await;
    let today = app::time::day_of(chrono::Utc::now()).to_string();
    assert_eq!(
        k.refused(&mut league, "league_meeting", &today, &vote("4", "3", "2"))
            .await,
        "DevMajority"
    );
    k.ok(&mut league, "league_meeting", &today, &vote("4", "3", "3"))
        .await;
    assert_eq!(
        k.refused(&mut league, "league_approved", &today, &[]).await,
        "Forbidden"
    );
    k.ok(&mut above, "league_approved", &today, &[]).await;
    assert_eq!(
        status(&pool, newcomer, "league").await.as_deref(),
        Some("league_member")
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_steps_document_is_served_to_the_person_and_the_branch_only(pool: PgPool) {
    let d = setup(&pool).await;
    let (case, _) = recommended_and_registered(&pool, &d).await;
    let mut sec = signed_in(&pool, "secretary").await;
    let mut pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    pdf.resize(2048, b' ');
    let r = sec.upload("attachment", "谈话记录.pdf", pdf).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let upload = r.json();
    let url = upload["url"].as_str().unwrap().to_owned();
    let mut k = Steps {
        pool: &pool,
        id: case,
        seen: 1,
    };
    // Someone else's upload cannot be named.
    let mut other = signed_in(&pool, "secretary2").await;
    let theirs = other
        .upload(
            "attachment",
            "x.pdf",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec(),
        )
        .await
        .json();
    let named = [("upload", theirs["id"].as_str().unwrap())];
    assert_eq!(
        k.refused(&mut sec, "talk", "2024-09-15", &named).await,
        "UploadMissing"
    );
    k.ok(
        &mut sec,
        "talk",
        "2024-09-15",
        &[("upload", upload["id"].as_str().unwrap())],
    )
    .await;
    let mut youth = signed_in(&pool, "youth").await;
    assert_eq!(youth.get(&url).await.status, StatusCode::OK);
    assert_eq!(
        signed_in(&pool, "orgadmin").await.get(&url).await.status,
        StatusCode::OK
    );
    assert_eq!(other.get(&url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        signed_in(&pool, "leaguesec").await.get(&url).await.status,
        StatusCode::NOT_FOUND
    );
    let v = youth
        .call("development_case", &[("id", &case.to_string())])
        .await
        .json();
    assert_eq!(v["case"]["steps"][1]["document"][1], "谈话记录.pdf");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn league_membership_ends_past_28_unless_the_member_holds_a_league_post(pool: PgPool) {
    let d = setup(&pool).await;
    // `leaguesec` is as old as `old` but holds the branch's secretary post.
    sqlx::query("UPDATE users SET birth_date = '1990-05-01' WHERE username = 'leaguesec'")
        .execute(&pool)
        .await
        .unwrap();
    server::jobs::league_age_out(&pool).await.unwrap();
    let old = UserId(user_id(&pool, "old").await.parse().unwrap());
    let sec = UserId(user_id(&pool, "leaguesec").await.parse().unwrap());
    assert_eq!(status(&pool, old, "league").await, None);
    assert_eq!(
        status(&pool, sec, "league").await.as_deref(),
        Some("league_member")
    );
    assert_eq!(
        status(&pool, d.youth, "league").await.as_deref(),
        Some("league_member")
    );
    assert_eq!(
        common::notifications(&pool, "old", "league_aged_out").await,
        1
    );
    assert_eq!(
        common::notifications(&pool, "leaguesec", "league_aged_out").await,
        1
    );
    // A second run the same day changes nothing and tells no one again.
    server::jobs::league_age_out(&pool).await.unwrap();
    assert_eq!(
        common::notifications(&pool, "old", "league_aged_out").await,
        1
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM memberships WHERE end_reason = 'left'"
        )
        .await,
        1
    );
}
