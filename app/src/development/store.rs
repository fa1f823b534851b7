//! SQL for becoming a member: cases, their steps and people, the League's recommendations,
//! the branches' plans, birth dates and the figures of a subtree.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::{DevFigures, Stage, Step, StepKind};
use crate::error::AppError;
use crate::ids::{OrgId, UserId};
use crate::orgs::model::{OrgPath, Tree};

/// A case and whose it is.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub user_id: UserId,
    pub name: String,
    pub birth_date: Option<NaiveDate>,
    pub tree: Tree,
    pub org_id: OrgId,
    pub org_name: String,
    pub stage: Stage,
    pub created_at: DateTime<Utc>,
}

const CASE: &str = "SELECT c.id, c.user_id, u.display_name AS name, u.birth_date, c.tree, c.org_id,
        o.name AS org_name, c.stage, c.created_at
     FROM development_cases c JOIN users u ON u.id = c.user_id JOIN orgs o ON o.id = c.org_id";

/// A case by id; `lock` holds it until the transaction ends, so that two steps on one case
/// are recorded one after the other.
pub async fn case(
    conn: &mut PgConnection,
    id: i64,
    lock: bool,
) -> Result<Option<CaseRow>, AppError> {
    let sql = format!(
        "{CASE} WHERE c.id = $1{}",
        if lock { " FOR UPDATE OF c" } else { "" }
    );
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(conn).await?)
}

/// A person's cases, the open ones first.
pub async fn cases_of(conn: &mut PgConnection, user: UserId) -> Result<Vec<CaseRow>, AppError> {
    let sql = format!("{CASE} WHERE c.user_id = $1 ORDER BY c.closed_at IS NOT NULL, c.id DESC");
    Ok(sqlx::query_as(&sql).bind(user).fetch_all(conn).await?)
}

/// The cases a branch handles, open ones first, and those the person looks after as a
/// contact or sponsor (`None`: every case of the branch).
pub async fn cases_in(
    conn: &mut PgConnection,
    org: OrgId,
    looked_after_by: Option<UserId>,
) -> Result<Vec<CaseRow>, AppError> {
    let sql = format!(
        "{CASE} WHERE ($1 = 0 OR c.org_id = $1)
           AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM development_people p
                                              WHERE p.case_id = c.id AND p.user_id = $2))
         ORDER BY c.closed_at IS NOT NULL, c.id DESC LIMIT 500"
    );
    Ok(sqlx::query_as(&sql)
        .bind(org)
        .bind(looked_after_by)
        .fetch_all(conn)
        .await?)
}

/// Opens a case; `None` when the person already has an open case in the tree.
pub async fn insert_case(
    conn: &mut PgConnection,
    user: UserId,
    tree: Tree,
    org: OrgId,
    stage: Stage,
) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO development_cases (user_id, tree, org_id, stage) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, tree) WHERE closed_at IS NULL DO NOTHING RETURNING id",
    )
    .bind(user)
    .bind(tree)
    .bind(org)
    .bind(stage)
    .fetch_optional(conn)
    .await?)
}

/// Moves a case to a stage; a stage that is not open closes it.
pub async fn set_stage(conn: &mut PgConnection, id: i64, stage: Stage) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE development_cases SET stage = $2,
                closed_at = CASE WHEN $3 THEN NULL ELSE now() END
         WHERE id = $1",
    )
    .bind(id)
    .bind(stage)
    .bind(stage.is_open())
    .execute(conn)
    .await?;
    Ok(())
}

/// A recorded step, as its case's page lists it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StepRow {
    pub id: i64,
    pub case_id: i64,
    pub seq: i32,
    pub kind: StepKind,
    pub on_date: NaiveDate,
    pub by_name: String,
    pub present: Option<i32>,
    pub in_favour: Option<i32>,
    pub eligible: Option<i32>,
    pub hours: Option<i32>,
    pub months: Option<i32>,
    pub recommended: Option<i64>,
    pub note: String,
    pub upload_id: Option<Uuid>,
    pub upload_ext: Option<String>,
    pub upload_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl StepRow {
    /// The step as the rules read it.
    pub fn step(&self) -> Step {
        Step {
            kind: self.kind,
            on: self.on_date,
            hours: self.hours.and_then(|h| u32::try_from(h).ok()),
            months: self.months.and_then(|m| u32::try_from(m).ok()),
        }
    }
}

/// The steps of some cases, in order.
pub async fn steps(conn: &mut PgConnection, cases: &[i64]) -> Result<Vec<StepRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT s.id, s.case_id, s.seq, s.kind, s.on_date, u.display_name AS by_name, s.present,
                s.in_favour, s.eligible, s.hours, s.months, s.recommended, s.note, s.upload_id,
                f.ext AS upload_ext, f.file_name AS upload_name, s.created_at
         FROM development_steps s JOIN users u ON u.id = s.by_user
              LEFT JOIN uploads f ON f.id = s.upload_id
         WHERE s.case_id = ANY($1) ORDER BY s.case_id, s.seq",
    )
    .bind(cases)
    .fetch_all(conn)
    .await?)
}

/// A step to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStepRow<'a> {
    pub case_id: i64,
    pub seq: i32,
    pub step: &'a super::model::NewStep,
    pub by: UserId,
    pub upload: Option<Uuid>,
}

/// Records a step; `None` when its number is taken (another step came first).
pub async fn insert_step(
    conn: &mut PgConnection,
    new: &NewStepRow<'_>,
) -> Result<Option<i64>, AppError> {
    let s = new.step;
    let count = |n: Option<u32>| n.and_then(|n| i32::try_from(n).ok());
    Ok(sqlx::query_scalar(
        "INSERT INTO development_steps (case_id, seq, kind, on_date, by_user, present, in_favour,
                                        eligible, hours, months, recommended, note, upload_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (case_id, seq) DO NOTHING RETURNING id",
    )
    .bind(new.case_id)
    .bind(new.seq)
    .bind(s.kind)
    .bind(s.on)
    .bind(new.by)
    .bind(count(s.vote.map(|v| v.present)))
    .bind(count(s.vote.map(|v| v.in_favour)))
    .bind(count(s.vote.map(|v| v.eligible)))
    .bind(count(s.hours))
    .bind(count(s.months))
    .bind(s.recommended)
    .bind(s.note.trim())
    .bind(new.upload)
    .fetch_optional(conn)
    .await?)
}

/// A contact or sponsor of a case.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PersonRow {
    pub case_id: i64,
    pub user_id: UserId,
    pub name: String,
    pub role: String,
}

pub async fn people(conn: &mut PgConnection, cases: &[i64]) -> Result<Vec<PersonRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT p.case_id, p.user_id, u.display_name AS name, p.role
         FROM development_people p JOIN users u ON u.id = p.user_id
         WHERE p.case_id = ANY($1) ORDER BY p.case_id, p.role, u.display_name",
    )
    .bind(cases)
    .fetch_all(conn)
    .await?)
}

pub async fn insert_people(
    conn: &mut PgConnection,
    case_id: i64,
    step_id: i64,
    role: &str,
    users: &[UserId],
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO development_people (case_id, user_id, role, step_id)
         SELECT $1, u, $3, $4 FROM unnest($2::bigint[]) AS u ON CONFLICT DO NOTHING",
    )
    .bind(case_id)
    .bind(users)
    .bind(role)
    .bind(step_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Of `users`, those who are full members of the Party now.
pub async fn full_members(
    conn: &mut PgConnection,
    users: &[UserId],
) -> Result<Vec<UserId>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT user_id FROM memberships
         WHERE user_id = ANY($1) AND tree = 'party' AND status = 'full' AND ended_at IS NULL",
    )
    .bind(users)
    .fetch_all(conn)
    .await?)
}

/// A branch's members with their status, for choosing contacts and sponsors and for
/// counting votes.
pub async fn branch_members(
    conn: &mut PgConnection,
    org: OrgId,
) -> Result<
    Vec<(
        UserId,
        String,
        crate::orgs::model::MemberStatus,
        Option<NaiveDate>,
    )>,
    AppError,
> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.display_name, m.status, u.birth_date
         FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.org_id = $1 AND m.ended_at IS NULL ORDER BY u.display_name, u.id",
    )
    .bind(org)
    .fetch_all(conn)
    .await?)
}

/// Hours of required study the person was credited with on items last studied since
/// `since`: they count as a candidate's training.
pub async fn portal_hours(
    conn: &mut PgConnection,
    user: UserId,
    since: NaiveDate,
) -> Result<u32, AppError> {
    let secs: i64 = sqlx::query_scalar(
        "SELECT COALESCE(sum(p.credited_secs), 0)::bigint
         FROM study_progress p JOIN study_items i ON i.id = p.item_id
              LEFT JOIN study_columns c ON c.id = i.column_id
         WHERE p.user_id = $1 AND (i.required OR COALESCE(c.required, false))
           AND p.last_at >= $2::date",
    )
    .bind(user)
    .bind(since)
    .fetch_one(conn)
    .await?;
    Ok(u32::try_from(secs / 3600).unwrap_or(0))
}

pub async fn birth_date(
    conn: &mut PgConnection,
    user: UserId,
) -> Result<Option<NaiveDate>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT birth_date FROM users WHERE id = $1")
            .bind(user)
            .fetch_optional(conn)
            .await?
            .flatten(),
    )
}

/// Sets a birth date not set before; false when one is set already.
pub async fn set_birth_date(
    conn: &mut PgConnection,
    user: UserId,
    day: NaiveDate,
) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE users SET birth_date = $2 WHERE id = $1 AND birth_date IS NULL")
        .bind(user)
        .bind(day)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The branches of a tree a person may apply to: those of the enterprises where they are
/// a member in either tree.
pub async fn branches_to_apply(
    conn: &mut PgConnection,
    user: UserId,
    tree: Tree,
) -> Result<Vec<(OrgId, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT DISTINCT b.id, b.name FROM orgs b
         WHERE b.tree = $2 AND b.kind IN ('branch', 'joint_branch') AND b.enterprise_id IN (
             SELECT o.enterprise_id FROM memberships m JOIN orgs o ON o.id = m.org_id
             WHERE m.user_id = $1 AND m.ended_at IS NULL AND o.enterprise_id IS NOT NULL)
         ORDER BY b.name",
    )
    .bind(user)
    .bind(tree)
    .fetch_all(conn)
    .await?)
}

/// A League branch's recommendation (推优) of one of its members.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RecommendationRow {
    pub id: i64,
    pub org_id: OrgId,
    pub org_name: String,
    pub user_id: UserId,
    pub name: String,
    pub on_date: NaiveDate,
    pub present: i32,
    pub in_favour: i32,
    pub eligible: i32,
    pub note: String,
    pub by_name: String,
}

const RECOMMENDATION: &str =
    "SELECT r.id, r.org_id, o.name AS org_name, r.user_id, u.display_name AS name,
        r.on_date, r.present, r.in_favour, r.eligible, r.note, b.display_name AS by_name
     FROM league_recommendations r JOIN orgs o ON o.id = r.org_id JOIN users u ON u.id = r.user_id
          JOIN users b ON b.id = r.by_user";

/// Recommendations of some people, or made by a League branch, newest first.
pub async fn recommendations(
    conn: &mut PgConnection,
    of: &[UserId],
    by_org: Option<OrgId>,
) -> Result<Vec<RecommendationRow>, AppError> {
    let sql = format!(
        "{RECOMMENDATION} WHERE r.user_id = ANY($1) OR r.org_id = $2 ORDER BY r.on_date DESC, r.id DESC"
    );
    Ok(sqlx::query_as(&sql)
        .bind(of)
        .bind(by_org)
        .fetch_all(conn)
        .await?)
}

/// Recommendations by the League branches of a Party branch's workplace of members
/// without a Party case yet: the candidates the League put forward, for the Party branch
/// to register when they apply.
pub async fn recommended_to(
    conn: &mut PgConnection,
    party_branch: OrgId,
) -> Result<Vec<RecommendationRow>, AppError> {
    let sql = format!(
        "{RECOMMENDATION}
         WHERE o.enterprise_id = (SELECT enterprise_id FROM orgs WHERE id = $1)
           AND NOT EXISTS (SELECT 1 FROM development_cases c WHERE c.user_id = r.user_id AND c.tree = 'party')
         ORDER BY r.on_date DESC, r.id DESC LIMIT 200"
    );
    Ok(sqlx::query_as(&sql)
        .bind(party_branch)
        .fetch_all(conn)
        .await?)
}

/// A recommendation to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRecommendation<'a> {
    pub org: OrgId,
    pub user: UserId,
    pub on: NaiveDate,
    pub vote: super::model::Vote,
    pub note: &'a str,
    pub by: UserId,
}

/// Records a recommendation; `None` when the member was recommended that day already.
pub async fn insert_recommendation(
    conn: &mut PgConnection,
    r: &NewRecommendation<'_>,
) -> Result<Option<i64>, AppError> {
    let n = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    Ok(sqlx::query_scalar(
        "INSERT INTO league_recommendations (org_id, user_id, on_date, present, in_favour, eligible, note, by_user)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (user_id, on_date) DO NOTHING RETURNING id",
    )
    .bind(r.org)
    .bind(r.user)
    .bind(r.on)
    .bind(n(r.vote.present))
    .bind(n(r.vote.in_favour))
    .bind(n(r.vote.eligible))
    .bind(r.note.trim())
    .bind(r.by)
    .fetch_optional(conn)
    .await?)
}

/// A branch's plan for a year, and how many it has proposed for admission in that year
/// (cases with a meeting dated in it), leaving out `except`.
pub async fn quota(
    conn: &mut PgConnection,
    org: OrgId,
    year: i32,
    except: i64,
) -> Result<(Option<u32>, u32), AppError> {
    let (quota, used): (Option<i32>, i64) = sqlx::query_as(
        "SELECT (SELECT quota FROM development_quotas WHERE org_id = $1 AND year = $2),
                (SELECT count(DISTINCT s.case_id) FROM development_steps s
                   JOIN development_cases c ON c.id = s.case_id
                 WHERE c.org_id = $1 AND s.kind = 'meeting' AND s.case_id <> $3
                   AND extract(year FROM s.on_date) = $2)",
    )
    .bind(org)
    .bind(year)
    .bind(except)
    .fetch_one(conn)
    .await?;
    Ok((
        quota.and_then(|q| u32::try_from(q).ok()),
        u32::try_from(used).unwrap_or(u32::MAX),
    ))
}

/// Sets (or replaces) a branch's plan for a year.
pub async fn set_quota(
    conn: &mut PgConnection,
    org: OrgId,
    year: i32,
    quota: u32,
    by: UserId,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO development_quotas (org_id, year, quota, set_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (org_id, year) DO UPDATE SET quota = $3, set_by = $4, set_at = now()",
    )
    .bind(org)
    .bind(year)
    .bind(i32::try_from(quota).unwrap_or(i32::MAX))
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

/// Each Party branch under `path` (itself included) with its plan and proposals of a year.
pub async fn branch_plans(
    conn: &mut PgConnection,
    path: &OrgPath,
    year: i32,
) -> Result<Vec<(OrgId, String, Option<i32>, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT b.id, b.name, q.quota,
                (SELECT count(DISTINCT s.case_id) FROM development_steps s
                   JOIN development_cases c ON c.id = s.case_id
                 WHERE c.org_id = b.id AND s.kind = 'meeting' AND extract(year FROM s.on_date) = $2)
         FROM orgs b LEFT JOIN development_quotas q ON q.org_id = b.id AND q.year = $2
         WHERE b.path <@ $1::ltree AND b.tree = 'party' AND b.kind IN ('branch', 'joint_branch')
         ORDER BY b.path LIMIT 500",
    )
    .bind(path.to_string())
    .bind(year)
    .fetch_all(conn)
    .await?)
}

/// The development figures of the subtree at `path` in `year`: people at each stage now
/// (from the memberships), and the year's admissions and how many of them the League
/// recommended.
pub async fn figures(
    conn: &mut PgConnection,
    path: &OrgPath,
    year: i32,
) -> Result<DevFigures, AppError> {
    let (applicants, activists, candidates, probationary, new_this_year, new_via_tuiyou): (
        i64,
        i64,
        i64,
        i64,
        i64,
        i64,
    ) = sqlx::query_as(
        "WITH m AS (SELECT m.status FROM memberships m JOIN orgs o ON o.id = m.org_id
                    WHERE m.ended_at IS NULL AND m.tree = 'party' AND o.path <@ $1::ltree),
              n AS (SELECT c.id FROM development_cases c JOIN orgs o ON o.id = c.org_id
                    JOIN development_steps s ON s.case_id = c.id AND s.kind = 'approved'
                    WHERE o.path <@ $1::ltree AND extract(year FROM s.on_date) = $2)
         SELECT count(*) FILTER (WHERE status = 'applicant'),
                count(*) FILTER (WHERE status = 'activist'),
                count(*) FILTER (WHERE status = 'candidate'),
                count(*) FILTER (WHERE status = 'probationary'),
                (SELECT count(DISTINCT id) FROM n),
                (SELECT count(DISTINCT n.id) FROM n JOIN development_steps s
                   ON s.case_id = n.id AND s.kind = 'activist' AND s.recommended IS NOT NULL)
         FROM m",
    )
    .bind(path.to_string())
    .bind(year)
    .fetch_one(conn)
    .await?;
    let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
    Ok(DevFigures {
        applicants: n(applicants),
        activists: n(activists),
        candidates: n(candidates),
        probationary: n(probationary),
        new_this_year: n(new_this_year),
        new_via_tuiyou: n(new_via_tuiyou),
    })
}

/// Sets the status of a person's current membership in a tree, in the branch `org`; false
/// when they hold none there.
pub async fn set_status(
    conn: &mut PgConnection,
    user: UserId,
    org: OrgId,
    status: crate::orgs::model::MemberStatus,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE memberships SET status = $3 WHERE user_id = $1 AND org_id = $2 AND ended_at IS NULL",
    )
    .bind(user)
    .bind(org)
    .bind(status)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A person's current membership in a tree: the branch and the status.
pub async fn membership(
    conn: &mut PgConnection,
    user: UserId,
    tree: Tree,
) -> Result<Option<(OrgId, crate::orgs::model::MemberStatus)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT org_id, status FROM memberships WHERE user_id = $1 AND tree = $2 AND ended_at IS NULL",
    )
    .bind(user)
    .bind(tree)
    .fetch_optional(conn)
    .await?)
}

/// Those of `users` who hold a role in an organization of a tree (a League post).
pub async fn holding_posts(
    conn: &mut PgConnection,
    users: &[UserId],
    tree: Tree,
) -> Result<Vec<UserId>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT g.user_id FROM role_grants g JOIN orgs o ON o.id = g.org_id
         WHERE g.user_id = ANY ($1) AND o.tree = $2",
    )
    .bind(users)
    .bind(tree)
    .fetch_all(conn)
    .await?)
}

/// Ends the League membership of members over the League's age (29 or older on `today`)
/// who hold no League post, and answers who they were and their branch.
pub async fn end_over_age(
    conn: &mut PgConnection,
    today: NaiveDate,
) -> Result<Vec<(UserId, OrgId)>, AppError> {
    Ok(sqlx::query_as(
        "UPDATE memberships m SET ended_at = now(), end_reason = 'left'
         FROM users u
         WHERE u.id = m.user_id AND m.tree = 'league' AND m.status = 'league_member' AND m.ended_at IS NULL
           AND u.birth_date <= ($1::date - make_interval(years => $2))::date
           AND NOT EXISTS (SELECT 1 FROM role_grants g JOIN orgs o ON o.id = g.org_id
                           WHERE g.user_id = u.id AND o.tree = 'league')
         RETURNING m.user_id, m.org_id",
    )
    .bind(today)
    .bind(i32::try_from(super::model::LEAGUE_MAX_AGE + 1).unwrap_or(i32::MAX))
    .fetch_all(conn)
    .await?)
}
