//! SQL for the annual member evaluation (民主评议): opening a ballot with its roll, voting
//! once (a "has voted" mark and a sealed ballot, nothing else), turning the sealed ballots
//! into counters at the close, the tallies, and the confirmed results.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::model::{Grade, Tally};
use crate::error::{AppError, Msg};
use crate::ids::{OrgId, UserId};

/// An evaluation as stored.
#[derive(sqlx::FromRow)]
pub struct EvaluationRow {
    pub id: i64,
    pub org_id: OrgId,
    pub year: i32,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
}

/// Opens the branch's ballot for a year with its current members on the roll; a second
/// one for the same year is refused. Returns the evaluation and its roll.
pub async fn open(
    conn: &mut PgConnection,
    org_id: OrgId,
    year: i32,
    closes_at: DateTime<Utc>,
    by: UserId,
) -> Result<(i64, Vec<UserId>), AppError> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO evaluations (org_id, year, opens_at, closes_at, created_by)
         VALUES ($1, $2, now(), $3, $4) ON CONFLICT (org_id, year) DO NOTHING RETURNING id",
    )
    .bind(org_id)
    .bind(year)
    .bind(closes_at)
    .bind(by)
    .fetch_optional(&mut *conn)
    .await?;
    let id = id.ok_or(AppError::Conflict(Msg::EvaluationExists))?;
    let roll: Vec<UserId> = sqlx::query_scalar(
        "INSERT INTO evaluation_members (evaluation_id, user_id)
         SELECT $1, user_id FROM memberships WHERE org_id = $2 AND ended_at IS NULL
         ON CONFLICT DO NOTHING RETURNING user_id",
    )
    .bind(id)
    .bind(org_id)
    .fetch_all(conn)
    .await?;
    Ok((id, roll))
}

/// The branch's evaluation of a year.
pub async fn of_year(
    conn: &mut PgConnection,
    org_id: OrgId,
    year: i32,
) -> Result<Option<EvaluationRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, org_id, year, opens_at, closes_at, confirmed_at FROM evaluations
         WHERE org_id = $1 AND year = $2",
    )
    .bind(org_id)
    .bind(year)
    .fetch_optional(conn)
    .await?)
}

/// An evaluation by id.
pub async fn by_id(conn: &mut PgConnection, id: i64) -> Result<Option<EvaluationRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, org_id, year, opens_at, closes_at, confirmed_at FROM evaluations WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// The roll by name: (member, name, has voted).
pub async fn roll(
    conn: &mut PgConnection,
    evaluation_id: i64,
) -> Result<Vec<(UserId, String, bool)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT m.user_id, u.display_name,
                EXISTS (SELECT 1 FROM evaluation_voters v WHERE v.evaluation_id = m.evaluation_id AND v.user_id = m.user_id)
         FROM evaluation_members m JOIN users u ON u.id = m.user_id
         WHERE m.evaluation_id = $1 ORDER BY u.display_name, m.user_id",
    )
    .bind(evaluation_id)
    .fetch_all(conn)
    .await?)
}

/// Keeps one voter's sealed ballot: records that they voted (a second ballot is refused;
/// two at once wait on the key and the second is refused) and stores the sealed ballot,
/// with nothing that names the voter or the moment.
pub async fn cast(
    conn: &mut PgConnection,
    evaluation_id: i64,
    voter: UserId,
    sealed: &[u8],
) -> Result<(), AppError> {
    let first = sqlx::query(
        "INSERT INTO evaluation_voters (evaluation_id, user_id) VALUES ($1, $2)
         ON CONFLICT DO NOTHING RETURNING 1",
    )
    .bind(evaluation_id)
    .bind(voter)
    .fetch_optional(&mut *conn)
    .await?;
    if first.is_none() {
        return Err(AppError::Conflict(Msg::BallotCast));
    }
    sqlx::query("INSERT INTO evaluation_ballots (evaluation_id, sealed) VALUES ($1, $2)")
        .bind(evaluation_id)
        .bind(sealed)
        .execute(conn)
        .await?;
    Ok(())
}

/// Locks an evaluation for its tally; true when it has closed and is not yet tallied.
pub async fn lock_untallied(conn: &mut PgConnection, evaluation_id: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT tallied_at IS NULL AND closes_at <= now() FROM evaluations WHERE id = $1 FOR UPDATE",
    )
    .bind(evaluation_id)
    .fetch_optional(conn)
    .await?
    .unwrap_or(false))
}

/// The evaluations that have closed and are not yet tallied.
pub async fn closed_untallied(conn: &mut PgConnection) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM evaluations WHERE tallied_at IS NULL AND closes_at <= now() ORDER BY id",
    )
    .fetch_all(conn)
    .await?)
}

/// The sealed ballots of an evaluation.
pub async fn sealed_ballots(
    conn: &mut PgConnection,
    evaluation_id: i64,
) -> Result<Vec<Vec<u8>>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT sealed FROM evaluation_ballots WHERE evaluation_id = $1")
            .bind(evaluation_id)
            .fetch_all(conn)
            .await?,
    )
}

/// Adds the opened ballots' counts to the counters, deletes the sealed ballots and marks
/// the evaluation tallied.
pub async fn finish_tally(
    conn: &mut PgConnection,
    evaluation_id: i64,
    tallies: &[Tally],
) -> Result<(), AppError> {
    let mut subjects = Vec::new();
    let mut grades = Vec::new();
    let mut votes = Vec::new();
    for t in tallies {
        for (grade, n) in Grade::ALL.iter().zip(t.votes) {
            if n > 0 {
                subjects.push(t.member);
                grades.push(grade.as_str());
                votes.push(n as i32);
            }
        }
    }
    sqlx::query(
        "INSERT INTO evaluation_tallies (evaluation_id, subject_id, grade, votes)
         SELECT $1, s, g, n FROM unnest($2::bigint[], $3::text[], $4::int[]) AS b (s, g, n)
         ON CONFLICT (evaluation_id, subject_id, grade)
         DO UPDATE SET votes = evaluation_tallies.votes + EXCLUDED.votes",
    )
    .bind(evaluation_id)
    .bind(&subjects)
    .bind(&grades)
    .bind(&votes)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM evaluation_ballots WHERE evaluation_id = $1")
        .bind(evaluation_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE evaluations SET tallied_at = now() WHERE id = $1")
        .bind(evaluation_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Votes per member graded, in `Grade::ALL` order.
pub async fn tallies(conn: &mut PgConnection, evaluation_id: i64) -> Result<Vec<Tally>, AppError> {
    let rows: Vec<(UserId, String, i32)> = sqlx::query_as(
        "SELECT subject_id, grade, votes FROM evaluation_tallies WHERE evaluation_id = $1
         ORDER BY subject_id",
    )
    .bind(evaluation_id)
    .fetch_all(conn)
    .await?;
    let mut out: Vec<Tally> = vec![];
    for (member, grade, votes) in rows {
        let Some(i) = Grade::parse(&grade).and_then(|g| Grade::ALL.iter().position(|x| *x == g))
        else {
            continue;
        };
        if out.last().is_none_or(|t| t.member != member) {
            out.push(Tally {
                member,
                votes: [0; 4],
            });
        }
        if let Some(t) = out.last_mut() {
            t.votes[i] = votes.max(0) as u32;
        }
    }
    Ok(out)
}

/// Confirms the results: each member's leading grade goes into their record. Once.
pub async fn confirm(
    conn: &mut PgConnection,
    e: &EvaluationRow,
    results: &[(UserId, Grade)],
    by: UserId,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE evaluations SET confirmed_by = $2, confirmed_at = now()
         WHERE id = $1 AND confirmed_at IS NULL",
    )
    .bind(e.id)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    let users: Vec<UserId> = results.iter().map(|r| r.0).collect();
    let grades: Vec<&str> = results.iter().map(|r| r.1.as_str()).collect();
    sqlx::query(
        "INSERT INTO member_evaluations (user_id, org_id, year, grade, evaluation_id)
         SELECT u, $3, $4, g, $5 FROM unnest($1::bigint[], $2::text[]) AS r (u, g)
         ON CONFLICT (user_id, org_id, year) DO UPDATE SET grade = EXCLUDED.grade,
             evaluation_id = EXCLUDED.evaluation_id, confirmed_at = now()",
    )
    .bind(&users)
    .bind(&grades)
    .bind(e.org_id)
    .bind(e.year)
    .bind(e.id)
    .execute(conn)
    .await?;
    Ok(true)
}

/// A member's confirmed results: (year, organization, grade).
pub async fn results_of(
    conn: &mut PgConnection,
    user_id: UserId,
) -> Result<Vec<(i32, String, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT r.year, o.name, r.grade FROM member_evaluations r JOIN orgs o ON o.id = r.org_id
         WHERE r.user_id = $1 ORDER BY r.year DESC",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?)
}
