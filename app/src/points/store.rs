//! SQL for the points ledger: rule versions, awards with caps and idempotency, running
//! totals, and the weekly no-sign-in deduction.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Row, postgres::PgRow};

use super::model::{CapPeriod, PointSource, Rule, RuleCode, allowed_by_all, period_keys};
use crate::auth::model::{Actor, Claim};
use crate::error::AppError;
use crate::ids::UserId;
use crate::time::day_of;

fn rule_from_row(r: &PgRow) -> Result<Rule, AppError> {
    Ok(Rule {
        id: r.get("id"),
        code: r.try_get("code")?,
        version: r.get("version"),
        points: r.get("points"),
        cap_period: r.try_get("cap_period")?,
        cap: r.get("cap"),
        day_cap: r.get("day_cap"),
        week_cap: r.get("week_cap"),
        effective_from: r.get("effective_from"),
        effective_to: r.get("effective_to"),
    })
}

const RULE_COLUMNS: &str =
    "id, code, version, points, cap_period, cap, day_cap, week_cap, effective_from, effective_to";

/// The version of a rule in force at `at`.
pub async fn rule_at(
    conn: &mut PgConnection,
    code: RuleCode,
    at: DateTime<Utc>,
) -> Result<Option<Rule>, AppError> {
    let row = sqlx::query(&format!(
        "SELECT {RULE_COLUMNS} FROM point_rules
         WHERE code = $1 AND effective_from <= $2 AND (effective_to IS NULL OR effective_to > $2)"
    ))
    .bind(code.as_str())
    .bind(at)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(rule_from_row).transpose()
}

/// Every version of every rule, by code and newest version first.
pub async fn all_rules(conn: &mut PgConnection) -> Result<Vec<Rule>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT {RULE_COLUMNS} FROM point_rules ORDER BY code, version DESC"
    ))
    .fetch_all(conn)
    .await?;
    rows.iter().map(rule_from_row).collect()
}

/// The newest version of a rule, locked for a change.
pub async fn latest_rule(
    conn: &mut PgConnection,
    code: RuleCode,
) -> Result<Option<Rule>, AppError> {
    let row = sqlx::query(&format!(
        "SELECT {RULE_COLUMNS} FROM point_rules WHERE code = $1 ORDER BY version DESC LIMIT 1 FOR UPDATE"
    ))
    .bind(code.as_str())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(rule_from_row).transpose()
}

/// A new version of a rule: its points and caps, from a moment on.
#[derive(Debug, Clone)]
pub struct NewRuleVersion {
    pub code: RuleCode,
    pub points: i32,
    pub cap: Option<i32>,
    pub day_cap: Option<i32>,
    pub week_cap: Option<i32>,
    pub from: DateTime<Utc>,
    pub by: Option<UserId>,
}

/// Closes the version of the rule in force at `from` and adds a new one from then on.
pub async fn add_rule_version(
    conn: &mut PgConnection,
    v: &NewRuleVersion,
) -> Result<Rule, AppError> {
    let current = latest_rule(conn, v.code).await?;
    let (version, cap_period) = match &current {
        Some(r) => (r.version + 1, r.cap_period),
        None => (1, CapPeriod::None),
    };
    if let Some(r) = &current {
        sqlx::query("UPDATE point_rules SET effective_to = $2 WHERE id = $1 AND (effective_to IS NULL OR effective_to > $2)")
            .bind(r.id)
            .bind(v.from)
            .execute(&mut *conn)
            .await?;
    }
    let row = sqlx::query(&format!(
        "INSERT INTO point_rules (code, version, points, cap_period, cap, day_cap, week_cap, effective_from, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {RULE_COLUMNS}"
    ))
    .bind(v.code.as_str())
    .bind(version)
    .bind(v.points)
    .bind(cap_period.as_str())
    .bind(v.cap)
    .bind(v.day_cap)
    .bind(v.week_cap)
    .bind(v.from)
    .bind(v.by)
    .fetch_one(conn)
    .await?;
    rule_from_row(&row)
}

/// An award to make: `units` of the rule (minutes, correct answers, or 1), for a source.
#[derive(Debug, Clone)]
pub struct NewAward<'a> {
    pub user_id: UserId,
    pub rule: RuleCode,
    pub units: i32,
    /// What earned it: `(StudyItem, "17")`, `(SignIn, "2026-11-23")`.
    pub source_kind: PointSource,
    pub source_id: &'a str,
    /// One award per key, ever: a replay of the same key awards nothing.
    pub idempotency_key: &'a str,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Awarded {
        points: i32,
    },
    /// This key was awarded before.
    Duplicate,
    /// The cap for the period is full.
    Capped,
    /// No version of the rule is in force.
    NoRule,
}

/// Awards points in the caller's transaction. The cap row is locked first, so awards that
/// share a cap (and replays of one key) run one after the other: a cap is never passed and
/// a key never pays twice. The ledger row, the cap and every running total change together.
pub async fn award(conn: &mut PgConnection, a: &NewAward<'_>) -> Result<Outcome, AppError> {
    let Some(rule) = rule_at(conn, a.rule, a.at).await? else {
        return Ok(Outcome::NoRule);
    };
    let caps = rule.caps(a.at, &format!("{}:{}", a.source_kind.as_str(), a.source_id));
    let keys: Vec<&str> = caps.iter().map(|(k, _)| k.as_str()).collect();
    sqlx::query(
        "INSERT INTO point_caps (user_id, rule_code, period_key, earned)
         SELECT $1, $2, k, 0 FROM unnest($3::text[]) AS k ORDER BY k
         ON CONFLICT DO NOTHING",
    )
    .bind(a.user_id)
    .bind(rule.code.as_str())
    .bind(&keys)
    .execute(&mut *conn)
    .await?;
    // Locked in key order, so that awards sharing some of their caps never deadlock.
    let earned: Vec<(String, i32)> = sqlx::query_as(
        "SELECT period_key, earned FROM point_caps
         WHERE user_id = $1 AND rule_code = $2 AND period_key = ANY ($3)
         ORDER BY period_key FOR UPDATE",
    )
    .bind(a.user_id)
    .bind(rule.code.as_str())
    .bind(&keys)
    .fetch_all(&mut *conn)
    .await?;
    let seen: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM point_ledger WHERE idempotency_key = $1)")
            .bind(a.idempotency_key)
            .fetch_one(&mut *conn)
            .await?;
    if seen {
        return Ok(Outcome::Duplicate);
    }
    let against: Vec<(i32, Option<i32>)> = caps
        .iter()
        .map(|(key, cap)| {
            let e = earned.iter().find(|(k, _)| k == key).map_or(0, |(_, e)| *e);
            (e, *cap)
        })
        .collect();
    let points = allowed_by_all(rule.points.saturating_mul(a.units), &against);
    if points == 0 {
        return Ok(Outcome::Capped);
    }
    // The award counts in the member's own branches: a mobile member's relationship, and so
    // their branch figures, stay with their home organization elsewhere.
    let inserted = sqlx::query(
        "INSERT INTO point_ledger (user_id, rule_id, points, source_kind, source_id, idempotency_key,
                                   party_branch_id, league_branch_id, day, created_at)
         SELECT $1, $2, $3, $4, $5, $6,
                (SELECT org_id FROM memberships WHERE user_id = $1 AND tree = 'party' AND ended_at IS NULL AND mobile_home IS NULL),
                (SELECT org_id FROM memberships WHERE user_id = $1 AND tree = 'league' AND ended_at IS NULL AND mobile_home IS NULL),
                $7, $8
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING party_branch_id, league_branch_id",
    )
    .bind(a.user_id)
    .bind(rule.id)
    .bind(points)
    .bind(a.source_kind)
    .bind(a.source_id)
    .bind(a.idempotency_key)
    .bind(day_of(a.at))
    .bind(a.at)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = inserted else {
        return Ok(Outcome::Duplicate);
    };
    sqlx::query("UPDATE point_caps SET earned = earned + $4 WHERE user_id = $1 AND rule_code = $2 AND period_key = ANY ($3)")
        .bind(a.user_id)
        .bind(rule.code.as_str())
        .bind(&keys)
        .bind(points)
        .execute(&mut *conn)
        .await?;
    let periods: Vec<String> = period_keys(a.at).into();
    // The boards' copies of the totals, one per scope the member counts in.
    sqlx::query(
        "WITH t AS (
             INSERT INTO point_totals (user_id, period, points)
             SELECT $1, p, $3 FROM unnest($2::text[]) AS p
             ON CONFLICT (user_id, period) DO UPDATE SET points = point_totals.points + EXCLUDED.points
             RETURNING period, points)
         INSERT INTO board_totals (period, scope_id, user_id, points)
         SELECT t.period, s.scope_id, $1, t.points FROM t JOIN member_scopes s ON s.user_id = $1
         ORDER BY 1, 2
         ON CONFLICT (period, scope_id, user_id) DO UPDATE SET points = EXCLUDED.points",
    )
    .bind(a.user_id)
    .bind(&periods)
    .bind(points)
    .execute(&mut *conn)
    .await?;
    let branches: Vec<i64> = [row.get::<Option<i64>, _>(0), row.get::<Option<i64>, _>(1)]
        .into_iter()
        .flatten()
        .collect();
    if !branches.is_empty() {
        sqlx::query(
            "INSERT INTO branch_point_totals (org_id, period, points)
             SELECT b, p, $3 FROM unnest($1::bigint[]) AS b CROSS JOIN unnest($2::text[]) AS p
             ON CONFLICT (org_id, period) DO UPDATE SET points = branch_point_totals.points + EXCLUDED.points",
        )
        .bind(&branches)
        .bind(&periods)
        .bind(points)
        .execute(&mut *conn)
        .await?;
        if rule.code.is_study() && points > 0 {
            sqlx::query(
                "INSERT INTO branch_participants (org_id, period, user_id)
                 SELECT b, p, $3 FROM unnest($1::bigint[]) AS b CROSS JOIN unnest($2::text[]) AS p
                 ON CONFLICT DO NOTHING",
            )
            .bind(&branches)
            .bind(&periods)
            .bind(a.user_id)
            .execute(conn)
            .await?;
        }
    }
    Ok(Outcome::Awarded { points })
}

/// A member's totals for the periods of `at`: [day, week, month, year, all time].
pub async fn totals(
    conn: &mut PgConnection,
    user_id: UserId,
    at: DateTime<Utc>,
) -> Result<[i32; 5], AppError> {
    let keys: Vec<String> = period_keys(at).into();
    let rows: Vec<(String, i32)> = sqlx::query_as(
        "SELECT period, points FROM point_totals WHERE user_id = $1 AND period = ANY ($2)",
    )
    .bind(user_id)
    .bind(&keys)
    .fetch_all(conn)
    .await?;
    Ok(totals_in_order(&keys, rows))
}

/// Totals by period key, in the order of `keys` (0 for a period without any).
fn totals_in_order(keys: &[String], rows: Vec<(String, i32)>) -> [i32; 5] {
    let mut out = [0; 5];
    for (period, points) in rows {
        if let Some(i) = keys.iter().position(|k| *k == period) {
            out[i] = points;
        }
    }
    out
}

/// One award or deduction in a member's ledger, with the rule version that made it.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct LedgerRow {
    pub id: i64,
    /// None for points spent on a reward or given back.
    #[serde(deserialize_with = "crate::columns::word_or_null")]
    pub code: Option<RuleCode>,
    pub version: Option<i32>,
    pub points: i32,
    #[serde(deserialize_with = "crate::columns::word")]
    pub source_kind: PointSource,
    pub source_id: String,
    /// The title of the item or quiz that earned it, when it has one.
    pub source_title: Option<String>,
    /// Asia/Shanghai, `2026-11-23 09:30`.
    pub at: String,
}

/// The 积分 page in one statement: the viewer of `claim` (null when the session is not
/// live), the rule versions in force at `at`, what the member has earned against each
/// rule's caps in the day and the week of `at`, the member's totals for the periods of `at`,
/// and `limit` rows of the ledger below `before_id` (newest first), each with the rule
/// version that made it and the title of what earned it.
pub struct PointsPage {
    pub viewer: Option<(Actor, i64)>,
    pub rules: Vec<Rule>,
    /// (rule code, period key, earned).
    pub earned: Vec<(String, String, i32)>,
    /// Day, week, month, year, all time.
    pub totals: [i32; 5],
    pub ledger: Vec<LedgerRow>,
}

#[derive(serde::Deserialize)]
struct RuleJson {
    id: i64,
    #[serde(deserialize_with = "crate::columns::word")]
    code: RuleCode,
    version: i32,
    points: i32,
    #[serde(deserialize_with = "crate::columns::word")]
    cap_period: CapPeriod,
    cap: Option<i32>,
    day_cap: Option<i32>,
    week_cap: Option<i32>,
    effective_from: DateTime<Utc>,
    effective_to: Option<DateTime<Utc>>,
}

pub async fn points_page(
    conn: &mut PgConnection,
    claim: &Claim,
    at: DateTime<Utc>,
    before_id: Option<i64>,
    limit: i64,
) -> Result<PointsPage, AppError> {
    use sqlx::types::Json;
    let keys: Vec<String> = period_keys(at).into();
    let sql = format!(
        "SELECT {viewer} AS viewer,
           COALESCE((SELECT json_agg(json_build_object(
                       'id', id, 'code', code, 'version', version, 'points', points,
                       'cap_period', cap_period, 'cap', cap, 'day_cap', day_cap,
                       'week_cap', week_cap, 'effective_from', effective_from,
                       'effective_to', effective_to))
                     FROM point_rules
                     WHERE effective_from <= $4 AND (effective_to IS NULL OR effective_to > $4)),
                    '[]') AS rules,
           COALESCE((SELECT json_agg(json_build_array(rule_code, period_key, earned))
                     FROM point_caps WHERE user_id = $1 AND period_key = ANY ($5)), '[]') AS earned,
           COALESCE((SELECT json_agg(json_build_array(period, points))
                     FROM point_totals WHERE user_id = $1 AND period = ANY ($6)), '[]') AS totals,
           COALESCE((SELECT json_agg(row_to_json(x) ORDER BY x.id DESC) FROM (
               SELECT l.id, r.code, r.version, l.points, l.source_kind, l.source_id,
                      CASE l.source_kind
                          WHEN 'study_item' THEN (SELECT title FROM study_items WHERE id::text = l.source_id)
                          WHEN 'special_quiz' THEN (SELECT title FROM quiz_sets WHERE id::text = l.source_id)
                          WHEN 'meeting' THEN (SELECT title FROM meetings WHERE id::text = l.source_id)
                          WHEN 'notice' THEN (SELECT title FROM org_notices WHERE id::text = l.source_id)
                          WHEN 'redemption' THEN (SELECT w.title FROM redemptions d JOIN rewards w ON w.id = d.reward_id WHERE d.id::text = l.source_id)
                          WHEN 'refund' THEN (SELECT w.title FROM redemptions d JOIN rewards w ON w.id = d.reward_id WHERE d.id::text = l.source_id)
                      END AS source_title,
                      to_char(l.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS at
               FROM point_ledger l LEFT JOIN point_rules r ON r.id = l.rule_id
               WHERE l.user_id = $1 AND ($7::bigint IS NULL OR l.id < $7)
               ORDER BY l.id DESC LIMIT $8) x), '[]') AS ledger",
        viewer = crate::auth::store::viewer_json_sql()
    );
    let r = crate::auth::store::bind_claim(sqlx::query(&sql), claim)
        .bind(at)
        .bind(&keys[..2])
        .bind(&keys)
        .bind(before_id)
        .bind(limit)
        .fetch_one(conn)
        .await?;
    let viewer: Option<Json<crate::auth::store::ViewerJson>> = r.try_get("viewer")?;
    let Json(rules): Json<Vec<RuleJson>> = r.try_get("rules")?;
    let Json(earned): Json<Vec<(String, String, i32)>> = r.try_get("earned")?;
    let Json(totals): Json<Vec<(String, i32)>> = r.try_get("totals")?;
    let Json(ledger): Json<Vec<LedgerRow>> = r.try_get("ledger")?;
    Ok(PointsPage {
        viewer: viewer.map(|Json(v)| v.actor(claim)),
        rules: rules
            .into_iter()
            .map(|r| Rule {
                id: r.id,
                code: r.code,
                version: r.version,
                points: r.points,
                cap_period: r.cap_period,
                cap: r.cap,
                day_cap: r.day_cap,
                week_cap: r.week_cap,
                effective_from: r.effective_from,
                effective_to: r.effective_to,
            })
            .collect(),
        earned,
        totals: totals_in_order(&keys, totals),
        ledger,
    })
}

/// Deducts the no-sign-in rule's points from every member (anyone with a current
/// membership, registered before the week began) who did not sign in during the
/// Asia/Shanghai week starting on `monday`. Safe to run twice and from several processes at
/// once: the job takes an advisory lock, records its run, and each deduction has its key.
/// Returns how many members were deducted, or `None` if this week was done before.
pub async fn deduct_week_without_sign_in(
    conn: &mut PgConnection,
    monday: chrono::NaiveDate,
    now: DateTime<Utc>,
) -> Result<Option<u32>, AppError> {
    let run_key = monday.to_string();
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('job:no_sign_in_week'))")
        .execute(&mut *conn)
        .await?;
    let done: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM job_runs WHERE job = 'no_sign_in_week' AND run_key = $1)",
    )
    .bind(&run_key)
    .fetch_one(&mut *conn)
    .await?;
    if done {
        return Ok(None);
    }
    let sunday = monday + chrono::Days::new(6);
    let week_begins = crate::time::start_of(monday)
        .ok_or_else(|| AppError::internal("no midnight on a Shanghai day"))?;
    let users: Vec<UserId> = sqlx::query_scalar(
        "SELECT u.id FROM users u
         WHERE u.created_at < $1
           AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.ended_at IS NULL)
           AND NOT EXISTS (
               SELECT 1 FROM point_ledger l JOIN point_rules r ON r.id = l.rule_id
               WHERE l.user_id = u.id AND r.code = 'daily_sign_in' AND l.day BETWEEN $2 AND $3)
         ORDER BY u.id",
    )
    .bind(week_begins)
    .bind(monday)
    .bind(sunday)
    .fetch_all(&mut *conn)
    .await?;
    let mut deducted = 0;
    for user_id in users {
        let key = format!("no_sign_in:{user_id}:{monday}");
        let outcome = award(
            conn,
            &NewAward {
                user_id,
                rule: RuleCode::NoSignInWeek,
                units: 1,
                source_kind: PointSource::Week,
                source_id: &run_key,
                idempotency_key: &key,
                at: now,
            },
        )
        .await?;
        if matches!(outcome, Outcome::Awarded { .. }) {
            deducted += 1;
        }
    }
    sqlx::query("INSERT INTO job_runs (job, run_key, affected) VALUES ('no_sign_in_week', $1, $2)")
        .bind(&run_key)
        .bind(deducted as i32)
        .execute(conn)
        .await?;
    Ok(Some(deducted))
}

/// One unit of `rule` for a member's part in a source (a meeting attended, a notice
/// acknowledged): once per member and source, whatever is replayed.
pub async fn award_once(
    conn: &mut PgConnection,
    user_id: UserId,
    rule: RuleCode,
    (source_kind, source_id): (PointSource, i64),
    at: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    award(
        conn,
        &NewAward {
            user_id,
            rule,
            units: 1,
            source_kind,
            source_id: &source_id.to_string(),
            idempotency_key: &format!("{}:{source_id}:{user_id}", source_kind.as_str()),
            at,
        },
    )
    .await
}

/// The day's first sign-in point: once per member and Asia/Shanghai day.
pub async fn award_sign_in(
    conn: &mut PgConnection,
    user_id: UserId,
    at: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let day = day_of(at).to_string();
    award(
        conn,
        &NewAward {
            user_id,
            rule: RuleCode::DailySignIn,
            units: 1,
            source_kind: PointSource::SignIn,
            source_id: &day,
            idempotency_key: &format!("sign_in:{user_id}:{day}"),
            at,
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::OrgId;
    use crate::orgs::model::{MemberStatus, OrgKind, Tree};
    use crate::orgs::store::join;
    use crate::orgs::store::test_support::{add_org, add_user};
    use chrono::TimeZone;
    use sqlx::PgPool;

    fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    /// A member in a Party branch and a League branch; returns (user, party branch, league branch).
    async fn member(pool: &PgPool) -> (UserId, OrgId, OrgId) {
        let mut c = pool.acquire().await.unwrap();
        let p = add_org(&mut c, Tree::Party, OrgKind::Committee, "甲公司党委", None).await;
        let l = add_org(&mut c, Tree::League, OrgKind::Committee, "甲公司团委", None).await;
        let pb = add_org(&mut c, Tree::Party, OrgKind::Branch, "研发党支部", Some(&p))
            .await
            .id;
        let lb = add_org(
            &mut c,
            Tree::League,
            OrgKind::Branch,
            "研发团支部",
            Some(&l),
        )
        .await
        .id;
        let user = add_user(&mut c, "13800000001").await;
        join(&mut c, user, pb, MemberStatus::Full).await.unwrap();
        join(&mut c, user, lb, MemberStatus::LeagueMember)
            .await
            .unwrap();
        (user, pb, lb)
    }

    async fn give(
        pool: &PgPool,
        user: UserId,
        rule: RuleCode,
        units: i32,
        source: &str,
        at: DateTime<Utc>,
    ) -> Outcome {
        let mut tx = pool.begin().await.unwrap();
        let key = format!("{}:{user}:{source}", rule.as_str());
        let outcome = award(
            &mut tx,
            &NewAward {
                user_id: user,
                rule,
                units,
                source_kind: PointSource::StudyItem,
                source_id: source,
                idempotency_key: &key,
                at,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        outcome
    }

    #[sqlx::test(migrations = "../server/migrations")]
    async fn the_ledger_and_the_running_totals_agree_after_a_mixed_sequence(pool: PgPool) {
        let (user, pb, lb) = member(&pool).await;
        // Across a Shanghai midnight and a week boundary, with caps reached on the way.
        let moments = [
            utc(2026, 11, 22, 15),
            utc(2026, 11, 22, 16),
            utc(2026, 11, 23, 2),
            utc(2026, 11, 29, 17),
        ];
        for (i, at) in moments.iter().enumerate() {
            for n in 0..8 {
                give(
                    &pool,
                    user,
                    RuleCode::ArticleRead,
                    1,
                    &format!("a{i}-{n}"),
                    *at,
                )
                .await;
            }
            give(&pool, user, RuleCode::ReadingTime, 4, &format!("r{i}"), *at).await;
            give(&pool, user, RuleCode::DailySignIn, 1, &format!("s{i}"), *at).await;
            give(&pool, user, RuleCode::WeeklyQuiz, 3, &format!("w{i}"), *at).await;
        }
        let mut c = pool.acquire().await.unwrap();
        let from_ledger: Vec<(String, i64)> = sqlx::query_as(
            "SELECT p, sum(points)::bigint FROM (
                 SELECT points, unnest(ARRAY['d:' || day, 'w:' || to_char(day, 'IYYY-\"W\"IW'), 'm:' || to_char(day, 'YYYY-MM'),
                                             'y:' || to_char(day, 'YYYY'), 'all']) AS p
                 FROM point_ledger WHERE user_id = $1) x
             GROUP BY p ORDER BY p",
        )
        .bind(user)
        .fetch_all(&mut *c)
        .await
        .unwrap();
        let totals: Vec<(String, i64)> = sqlx::query_as(
            "SELECT period, points::bigint FROM point_totals WHERE user_id = $1 ORDER BY period",
        )
        .bind(user)
        .fetch_all(&mut *c)
        .await
        .unwrap();
        assert_eq!(totals, from_ledger);
        for branch in [pb, lb] {
            let b: Vec<(String, i64)> = sqlx::query_as("SELECT period, points::bigint FROM branch_point_totals WHERE org_id = $1 ORDER BY period")
                .bind(branch)
                .fetch_all(&mut *c)
                .await
                .unwrap();
            assert_eq!(b, from_ledger);
        }
        // Day caps: 6 articles a day; 22 Nov (Shanghai) got moments 0 only, 23 Nov got 1 and 2.
        let articles_23: i64 = sqlx::query_scalar(
            "SELECT sum(l.points) FROM point_ledger l JOIN point_rules r ON r.id = l.rule_id WHERE r.code = 'article_read' AND l.day = '2026-11-23'",
        )
        .fetch_one(&mut *c)
        .await
        .unwrap();
        assert_eq!(articles_23, 6);
        // Week cap: 3 + 3 weekly-quiz points asked for in week 48 (23 Nov 00:00 and 10:00
        // Shanghai) give 5; the weeks either side keep their own 3.
        let weekly: Vec<(String, i64)> = sqlx::query_as(
            "SELECT to_char(l.day, 'IYYY-IW'), sum(l.points)::bigint FROM point_ledger l JOIN point_rules r ON r.id = l.rule_id
             WHERE r.code = 'weekly_quiz' GROUP BY 1 ORDER BY 1",
        )
        .fetch_all(&mut *c)
        .await
        .unwrap();
        assert_eq!(
            weekly,
            vec![
                ("2026-47".to_owned(), 3),
                ("2026-48".to_owned(), 5),
                ("2026-49".to_owned(), 3)
            ]
        );
    }

    #[sqlx::test(migrations = "../server/migrations")]
    async fn a_hundred_concurrent_duplicate_awards_give_exactly_one(pool: PgPool) {
        let (user, _, _) = member(&pool).await;
        let at = utc(2026, 11, 23, 3);
        let tasks: Vec<_> = (0..100)
            .map(|_| {
                let pool = pool.clone();
                tokio::spawn(async move {
                    let mut tx = pool.begin().await.unwrap();
                    let o = award(
                        &mut tx,
                        &NewAward {
                            user_id: user,
                            rule: RuleCode::ArticleRead,
                            units: 1,
                            source_kind: PointSource::StudyItem,
                            source_id: "17",
                            idempotency_key: "article:17",
                            at,
                        },
                    )
                    .await
                    .unwrap();
                    tx.commit().await.unwrap();
                    o
                })
            })
            .collect();
        let mut awarded = 0;
        for t in tasks {
            match t.await.unwrap() {
                Outcome::Awarded { points } => {
                    assert_eq!(points, 1);
                    awarded += 1;
                }
                other => assert_eq!(other, Outcome::Duplicate),
            }
        }
        assert_eq!(awarded, 1);
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM point_ledger")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(rows, 1);
        let total: i32 = sqlx::query_scalar("SELECT points FROM point_totals WHERE period = 'all'")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(total, 1);
    }

    #[sqlx::test(migrations = "../server/migrations")]
    async fn concurrent_awards_of_different_sources_never_pass_a_cap(pool: PgPool) {
        let (user, _, _) = member(&pool).await;
        let at = utc(2026, 11, 23, 3);
        let tasks: Vec<_> = (0..40)
            .map(|i| {
                let pool = pool.clone();
                tokio::spawn(async move {
                    let rule = if i % 2 == 0 {
                        RuleCode::ArticleRead
                    } else {
                        RuleCode::ReadingTime
                    };
                    give(&pool, user, rule, 2, &format!("src{i}"), at).await
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        let per_rule: Vec<(String, i64)> = sqlx::query_as(
            "SELECT r.code, sum(l.points)::bigint FROM point_ledger l JOIN point_rules r ON r.id = l.rule_id GROUP BY r.code ORDER BY r.code",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        assert_eq!(
            per_rule,
            vec![
                ("article_read".to_owned(), 6),
                ("reading_time".to_owned(), 6)
            ]
        );
    }

    #[sqlx::test(migrations = "../server/migrations")]
    async fn the_weekly_deduction_run_twice_and_from_two_connections_deducts_once(pool: PgPool) {
        let (active, _, _) = member(&pool).await;
        let mut c = pool.acquire().await.unwrap();
        let idle = add_user(&mut c, "13800000002").await;
        let org: OrgId = sqlx::query_scalar("SELECT id FROM orgs WHERE name = '研发党支部'")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        join(&mut c, idle, org, MemberStatus::Full).await.unwrap();
        drop(c);
        // The active member signed in on Wednesday of the week from Monday 2026-11-16.
        give(
            &pool,
            active,
            RuleCode::DailySignIn,
            1,
            "wed",
            utc(2026, 11, 18, 2),
        )
        .await;
        let monday = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
        let now = utc(2026, 11, 23, 1);
        let run = |pool: PgPool| async move {
            let mut tx = pool.begin().await.unwrap();
            let r = deduct_week_without_sign_in(&mut tx, monday, now)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            r
        };
        let (a, b) = tokio::join!(run(pool.clone()), run(pool.clone()));
        let mut results = [a, b];
        results.sort();
        assert_eq!(results, [None, Some(1)]);
        assert_eq!(run(pool.clone()).await, None);
        let deductions: Vec<(UserId, i32)> = sqlx::query_as(
            "SELECT l.user_id, l.points FROM point_ledger l JOIN point_rules r ON r.id = l.rule_id WHERE r.code = 'no_sign_in_week'",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        assert_eq!(deductions, vec![(idle, -1)]);
    }

    #[sqlx::test(migrations = "../server/migrations")]
    async fn a_new_rule_version_applies_from_its_start_and_history_keeps_the_old(pool: PgPool) {
        let (user, _, _) = member(&pool).await;
        let before = utc(2026, 11, 23, 1);
        assert_eq!(
            give(&pool, user, RuleCode::ArticleRead, 1, "old", before).await,
            Outcome::Awarded { points: 1 }
        );
        let mut tx = pool.begin().await.unwrap();
        let v2 = add_rule_version(
            &mut tx,
            &NewRuleVersion {
                code: RuleCode::ArticleRead,
                points: 2,
                cap: Some(8),
                day_cap: None,
                week_cap: None,
                from: utc(2026, 11, 23, 2),
                by: None,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(v2.version, 2);
        assert_eq!(
            give(
                &pool,
                user,
                RuleCode::ArticleRead,
                1,
                "new",
                utc(2026, 11, 23, 3)
            )
            .await,
            Outcome::Awarded { points: 2 }
        );
        let mut c = pool.acquire().await.unwrap();
        let versions: Vec<(i32, i32)> = sqlx::query_as(
            "SELECT r.version, l.points FROM point_ledger l JOIN point_rules r ON r.id = l.rule_id
             WHERE l.user_id = $1 ORDER BY l.id DESC",
        )
        .bind(user)
        .fetch_all(&mut *c)
        .await
        .unwrap();
        assert_eq!(versions, vec![(2, 2), (1, 1)]);
        assert_eq!(
            rule_at(&mut c, RuleCode::ArticleRead, before)
                .await
                .unwrap()
                .unwrap()
                .version,
            1
        );
    }

    #[sqlx::test(migrations = "../server/migrations")]
    async fn the_ledger_refuses_updates_and_deletes(pool: PgPool) {
        let (user, _, _) = member(&pool).await;
        give(
            &pool,
            user,
            RuleCode::DailySignIn,
            1,
            "d",
            utc(2026, 11, 23, 1),
        )
        .await;
        assert!(
            sqlx::query("UPDATE point_ledger SET points = 100")
                .execute(&pool)
                .await
                .is_err()
        );
        assert!(
            sqlx::query("DELETE FROM point_ledger")
                .execute(&pool)
                .await
                .is_err()
        );
    }
}
