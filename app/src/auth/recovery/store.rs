//! The one-time codes' rows: stored as hashes, one live code per account and purpose.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::model::CodePurpose;
use crate::error::AppError;
use crate::ids::{OrgId, UserId};

/// A new live code for an account and purpose, replacing the one before unless that one was
/// made less than `gap_secs` ago (then nothing is stored and the answer is `false`).
pub async fn put_code(
    conn: &mut PgConnection,
    user: UserId,
    purpose: CodePurpose,
    code_hash: &str,
    expires_at: DateTime<Utc>,
    issued_by: Option<UserId>,
    gap_secs: i64,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "INSERT INTO account_codes (user_id, purpose, code_hash, issued_by, expires_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id, purpose) WHERE used_at IS NULL DO UPDATE
            SET code_hash = EXCLUDED.code_hash, issued_by = EXCLUDED.issued_by, attempts = 0,
                created_at = now(), expires_at = EXCLUDED.expires_at
            WHERE account_codes.created_at <= now() - make_interval(secs => $6)",
    )
    .bind(user)
    .bind(purpose.as_str())
    .bind(code_hash)
    .bind(issued_by)
    .bind(expires_at)
    .bind(gap_secs as f64)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A live code of an account, locked for the caller's transaction.
#[derive(Debug, sqlx::FromRow)]
pub struct CodeRow {
    pub id: i64,
    pub code_hash: String,
    pub attempts: i32,
    pub expired: bool,
}

/// The account's live codes of these purposes, locked.
pub async fn live_codes(
    conn: &mut PgConnection,
    user: UserId,
    purposes: &[CodePurpose],
) -> Result<Vec<CodeRow>, AppError> {
    let purposes: Vec<&str> = purposes.iter().map(|p| p.as_str()).collect();
    Ok(sqlx::query_as(
        "SELECT id, code_hash, attempts, expires_at <= now() AS expired FROM account_codes
         WHERE user_id = $1 AND purpose = ANY ($2) AND used_at IS NULL
         ORDER BY id FOR UPDATE",
    )
    .bind(user)
    .bind(&purposes)
    .fetch_all(conn)
    .await?)
}

/// Counts a wrong guess against a code.
pub async fn count_attempt(conn: &mut PgConnection, id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE account_codes SET attempts = attempts + 1 WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Uses a code, and with it every other live code of the account (a new password or a
/// sign-in leaves none waiting).
pub async fn use_codes(conn: &mut PgConnection, user: UserId) -> Result<(), AppError> {
    sqlx::query("UPDATE account_codes SET used_at = now() WHERE user_id = $1 AND used_at IS NULL")
        .bind(user)
        .execute(conn)
        .await?;
    Ok(())
}

/// A current member of a branch with their phone and whether they hold any role.
#[derive(Debug, sqlx::FromRow)]
pub struct MemberRow {
    pub display_name: String,
    pub holds_role: bool,
}

/// `user` as a current member of `org`, if they are one.
pub async fn member_of(
    conn: &mut PgConnection,
    user: UserId,
    org: OrgId,
) -> Result<Option<MemberRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT u.display_name,
                EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id) AS holds_role
         FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.user_id = $1 AND m.org_id = $2 AND m.ended_at IS NULL",
    )
    .bind(user)
    .bind(org)
    .fetch_optional(conn)
    .await?)
}
