//! The streak's SQL: the rule versions, and a member's verified study seconds and daily
//! quizzes per Asia/Shanghai day.

use chrono::NaiveDate;
use sqlx::PgConnection;

use super::model::{DayActivity, StreakRule};
use crate::error::AppError;
use crate::ids::UserId;

pub async fn rules(conn: &mut PgConnection) -> Result<Vec<StreakRule>, AppError> {
    let rows: Vec<(i32, i32, bool, i32, i32, NaiveDate)> = sqlx::query_as(
        "SELECT version, min_minutes, quiz_counts, freeze_every, max_freezes, effective_from
         FROM streak_rules ORDER BY effective_from",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(version, min_minutes, quiz_counts, freeze_every, max_freezes, from)| StreakRule {
                version,
                min_minutes,
                quiz_counts,
                freeze_every,
                max_freezes,
                from,
            },
        )
        .collect())
}

/// What `user` did on each day from `since` on: study seconds and whether they submitted
/// the daily quiz (its key is its day).
pub async fn activity(
    conn: &mut PgConnection,
    user: UserId,
    since: NaiveDate,
) -> Result<Vec<DayActivity>, AppError> {
    let rows: Vec<(NaiveDate, i32, bool)> = sqlx::query_as(
        "SELECT day, max(secs)::int, bool_or(quiz) FROM (
             SELECT day, secs, false AS quiz FROM study_time WHERE user_id = $1 AND day >= $2
             UNION ALL
             SELECT (submitted_at AT TIME ZONE 'Asia/Shanghai')::date, 0, true FROM quiz_attempts
             WHERE user_id = $1 AND kind = 'daily' AND submitted_at IS NOT NULL
               AND submitted_at >= ($2::date::timestamp AT TIME ZONE 'Asia/Shanghai')
         ) x GROUP BY day ORDER BY day",
    )
    .bind(user)
    .bind(since)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(day, secs, quiz)| DayActivity { day, secs, quiz })
        .collect())
}
