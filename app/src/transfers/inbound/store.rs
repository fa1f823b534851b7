//! SQL for transfers into the platform: recording one, the waiting ones of a branch, a
//! member's own, and the branch's answer.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

use super::model::{InboundKind, InboundState, NewInbound};
use crate::error::AppError;
use crate::ids::{OrgId, UserId};
use crate::orgs::model::{MemberStatus, Tree};

/// A transfer in as the pages list it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct InboundRow {
    pub id: i64,
    pub kind: InboundKind,
    pub user_id: UserId,
    pub name: String,
    pub tree: Tree,
    pub org_id: OrgId,
    pub org_name: String,
    /// The receiving branch's path (`1.5.23`).
    pub org_path: String,
    pub outside_org: String,
    pub letter_no: String,
    pub letter_date: NaiveDate,
    pub valid_until: NaiveDate,
    pub status: MemberStatus,
    pub dues_paid_to: Option<NaiveDate>,
    pub state: InboundState,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT t.id, t.kind, t.user_id, u.display_name AS name, t.tree, t.org_id, o.name AS org_name, o.path::text AS org_path,
        t.outside_org, t.letter_no, t.letter_date, t.valid_until, t.status, t.dues_paid_to, t.state,
        t.reason, t.created_at
     FROM transfers_in t JOIN users u ON u.id = t.user_id JOIN orgs o ON o.id = t.org_id";

/// Records a transfer in, waiting for the branch; `None` when the member has one waiting in
/// the tree already or the letter was used.
pub async fn insert(
    conn: &mut PgConnection,
    user: UserId,
    n: &NewInbound,
) -> Result<Option<i64>, AppError> {
    let r = sqlx::query_scalar(
        "INSERT INTO transfers_in (user_id, tree, org_id, outside_org, letter_no, letter_date, valid_until,
                                   status, dues_paid_to, kind)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(user)
    .bind(n.tree)
    .bind(n.org)
    .bind(&n.outside_org)
    .bind(&n.letter_no)
    .bind(n.letter_date)
    .bind(n.valid_until)
    .bind(n.status)
    .bind(n.dues_paid_to)
    .bind(n.kind)
    .fetch_one(conn)
    .await;
    match r {
        Ok(id) => Ok(Some(id)),
        Err(e) if crate::error::unique_violation(&e).is_some() => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// A transfer in by id; `lock` holds it until the transaction ends.
pub async fn get(
    conn: &mut PgConnection,
    id: i64,
    lock: bool,
) -> Result<Option<InboundRow>, AppError> {
    let sql = format!(
        "{SELECT} WHERE t.id = $1{}",
        if lock { " FOR UPDATE OF t" } else { "" }
    );
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(conn).await?)
}

/// A member's transfers in, newest first.
pub async fn of_member(conn: &mut PgConnection, user: UserId) -> Result<Vec<InboundRow>, AppError> {
    let sql = format!("{SELECT} WHERE t.user_id = $1 ORDER BY t.id DESC LIMIT 20");
    Ok(sqlx::query_as(&sql).bind(user).fetch_all(conn).await?)
}

/// The transfers in waiting at branches under any of `paths`, oldest first.
pub async fn waiting_under(
    conn: &mut PgConnection,
    paths: &[String],
) -> Result<Vec<InboundRow>, AppError> {
    let sql = format!(
        "{SELECT} WHERE t.state = 'waiting' AND o.path <@ ANY($1::ltree[]) ORDER BY t.id LIMIT 200"
    );
    Ok(sqlx::query_as(&sql).bind(paths).fetch_all(conn).await?)
}

/// Settles a waiting transfer in; false when it was settled already.
pub async fn settle(
    conn: &mut PgConnection,
    id: i64,
    state: InboundState,
    reason: Option<&str>,
    by: UserId,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE transfers_in SET state = $2, reason = $3, decided_by = $4, decided_at = now()
         WHERE id = $1 AND state = 'waiting'",
    )
    .bind(id)
    .bind(state)
    .bind(reason)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a person's current membership at a branch as a mobile member's, whose relationship
/// stays with `home`.
pub async fn set_mobile_home(
    conn: &mut PgConnection,
    user: UserId,
    org: OrgId,
    home: &str,
) -> Result<(), AppError> {
    sqlx::query("UPDATE memberships SET mobile_home = $3 WHERE user_id = $1 AND org_id = $2 AND ended_at IS NULL")
        .bind(user)
        .bind(org)
        .bind(home)
        .execute(conn)
        .await?;
    Ok(())
}

/// Opens a member's dues record at the month the letter states, unless one is open.
pub async fn open_dues(
    conn: &mut PgConnection,
    user: UserId,
    tree: Tree,
    paid_up_to: NaiveDate,
    by: UserId,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO dues_openings (user_id, tree, paid_up_to, recorded_by, source)
         VALUES ($1, $2, $3, $4, 'letter') ON CONFLICT (user_id, tree) DO NOTHING",
    )
    .bind(user)
    .bind(tree)
    .bind(paid_up_to)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}
