//! SQL for dues: rate table versions, the yearly bases, who pays in a branch, the months
//! held by live payments, and payments with their moves (confirm, decline, reverse).

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use sqlx::types::Json;

use super::model::{Base, Category, Fen, Method, Month, PaymentState, RateTable};
use crate::error::{AppError, Msg};
use crate::ids::{OrgId, UserId};
use crate::orgs::model::{MemberStatus, OrgPath, Tree};

/// A tree's rate table versions: (first day in force, table), oldest first.
pub async fn rate_tables(
    conn: &mut PgConnection,
    tree: Tree,
) -> Result<Vec<(NaiveDate, Json<RateTable>)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT valid_from, rates FROM dues_rate_tables WHERE tree = $1 ORDER BY valid_from",
    )
    .bind(tree)
    .fetch_all(conn)
    .await?)
}

/// Every rate table version of both trees (the League's first): (tree, first day in force,
/// table), newest first.
pub async fn all_rate_tables(
    conn: &mut PgConnection,
) -> Result<Vec<(Tree, NaiveDate, Json<RateTable>)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT tree, valid_from, rates FROM dues_rate_tables ORDER BY tree, valid_from DESC",
    )
    .fetch_all(conn)
    .await?)
}

/// Adds a version of a tree's rates from a month; a second version for the same month is a
/// conflict.
pub async fn insert_rate_table(
    conn: &mut PgConnection,
    tree: Tree,
    from: NaiveDate,
    rates: &RateTable,
    by: UserId,
) -> Result<(), AppError> {
    let added = sqlx::query(
        "INSERT INTO dues_rate_tables (tree, valid_from, rates, created_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tree, valid_from) DO NOTHING",
    )
    .bind(tree)
    .bind(from)
    .bind(Json(rates))
    .bind(by)
    .execute(conn)
    .await?;
    if added.rows_affected() == 0 {
        return Err(AppError::Conflict(Msg::DuesRatesExist));
    }
    Ok(())
}

/// A member's current base of a year (the latest correction, else the declaration).
#[derive(sqlx::FromRow)]
pub struct BaseRow {
    pub id: i64,
    pub user_id: UserId,
    pub year: i32,
    pub category: Category,
    pub base: i64,
    pub extra: i64,
    pub declared_at: DateTime<Utc>,
    pub declared_by_name: String,
    pub reason: Option<String>,
}

impl BaseRow {
    pub fn base(&self) -> Base {
        Base {
            category: self.category,
            base: Fen(self.base),
            extra: Fen(self.extra),
        }
    }
}

/// The current bases of some members of a tree, every year.
pub async fn bases(
    conn: &mut PgConnection,
    users: &[UserId],
    tree: Tree,
) -> Result<Vec<BaseRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT b.id, b.user_id, b.year, b.category, b.base, b.extra, b.declared_at,
                u.display_name AS declared_by_name, b.reason
           FROM dues_bases b JOIN users u ON u.id = b.declared_by
          WHERE b.user_id = ANY($1) AND b.tree = $2
            AND NOT EXISTS (SELECT 1 FROM dues_bases r WHERE r.replaces = b.id)
          ORDER BY b.user_id, b.year",
    )
    .bind(users.iter().map(|u| u.0).collect::<Vec<_>>())
    .bind(tree)
    .fetch_all(conn)
    .await?)
}

/// A base to record: a first declaration (`replaces` none), or a correction of the current
/// one with a reason.
pub struct NewBase {
    pub user: UserId,
    pub tree: Tree,
    pub year: i32,
    pub base: Base,
    pub by: UserId,
    pub replaces: Option<(i64, String)>,
}

/// Records a base. A second first declaration of a year, or a second correction of the same
/// one, is a conflict.
pub async fn insert_base(conn: &mut PgConnection, b: &NewBase) -> Result<i64, AppError> {
    let (replaces, reason) = b.replaces.clone().unzip();
    sqlx::query_scalar(
        "INSERT INTO dues_bases (user_id, tree, year, category, base, extra, declared_by, replaces, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(b.user)
    .bind(b.tree)
    .bind(b.year)
    .bind(b.base.category)
    .bind(b.base.base.0)
    .bind(b.base.extra.0)
    .bind(b.by)
    .bind(replaces)
    .bind(reason)
    .fetch_one(conn)
    .await
    .map_err(|e| match crate::error::unique_violation(&e) {
        Some(_) => AppError::Conflict(Msg::DuesBaseDeclared),
        None => e.into(),
    })
}

/// The dues officers of a branch.
pub async fn officers(conn: &mut PgConnection, org: OrgId) -> Result<Vec<UserId>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT user_id FROM role_grants WHERE org_id = $1 AND role = 'dues_officer' ORDER BY 1",
    )
    .bind(org)
    .fetch_all(conn)
    .await?)
}

/// A person who pays dues in a branch: the current membership, and the first month they
/// owe (the month their first membership of the tree began).
#[derive(Clone, sqlx::FromRow)]
pub struct PayerRow {
    pub user_id: UserId,
    pub name: String,
    pub status: MemberStatus,
    pub org_id: OrgId,
    pub org_name: String,
    pub org_path: OrgPath,
    pub tree: Tree,
    pub since: NaiveDate,
}

/// The first month the member `m` (a `memberships` row) owes: the month after the opening
/// of their record, else the month their first membership of the tree began.
pub const SINCE: &str = "COALESCE(
            (SELECT (d.paid_up_to + interval '1 month')::date FROM dues_openings d
              WHERE d.user_id = m.user_id AND d.tree = m.tree),
            (SELECT date_trunc('month', min(p.started_at) AT TIME ZONE 'Asia/Shanghai')::date
               FROM memberships p WHERE p.user_id = m.user_id AND p.tree = m.tree))";

/// The statuses that pay dues (`model::pays_dues`), as SQL.
pub const PAYING: &str =
    "m.status IN ('probationary', 'full', 'league_member') AND m.mobile_home IS NULL";

const PAYERS: &str = "SELECT m.user_id, u.display_name AS name, m.status, o.id AS org_id,
            o.name AS org_name, o.path::text AS org_path, m.tree, {since} AS since
       FROM memberships m JOIN users u ON u.id = m.user_id JOIN orgs o ON o.id = m.org_id
      WHERE m.ended_at IS NULL AND {paying}";

fn payers_sql(tail: &str) -> String {
    format!("{PAYERS} {tail}")
        .replace("{since}", SINCE)
        .replace("{paying}", PAYING)
}

/// A person's current memberships that pay dues (one per tree at most).
pub async fn payer_of(conn: &mut PgConnection, user: UserId) -> Result<Vec<PayerRow>, AppError> {
    Ok(
        sqlx::query_as(&payers_sql("AND m.user_id = $1 ORDER BY m.tree DESC"))
            .bind(user)
            .fetch_all(conn)
            .await?,
    )
}

/// The members of a branch who pay dues, by name.
pub async fn payers_in(conn: &mut PgConnection, org: OrgId) -> Result<Vec<PayerRow>, AppError> {
    Ok(sqlx::query_as(&payers_sql(
        "AND m.org_id = $1 ORDER BY convert_to(u.display_name, 'GB18030'), m.user_id",
    ))
    .bind(org)
    .fetch_all(conn)
    .await?)
}

/// The members who pay dues in an organization and everything under it.
pub async fn payers_under(conn: &mut PgConnection, org: OrgId) -> Result<Vec<PayerRow>, AppError> {
    Ok(sqlx::query_as(&payers_sql(
        "AND o.path <@ (SELECT path FROM orgs WHERE id = $1)
         ORDER BY o.path, convert_to(u.display_name, 'GB18030'), m.user_id",
    ))
    .bind(org)
    .fetch_all(conn)
    .await?)
}

/// What some members of a tree paid for each month (confirmed payments): (member, month,
/// amount).
pub async fn paid_amounts(
    conn: &mut PgConnection,
    users: &[UserId],
    tree: Tree,
) -> Result<Vec<(UserId, NaiveDate, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT d.user_id, d.month, d.amount FROM dues_months d
           JOIN dues_payments p ON p.id = d.payment_id
          WHERE d.user_id = ANY($1) AND d.tree = $2 AND d.live AND p.state = 'paid'",
    )
    .bind(users.iter().map(|u| u.0).collect::<Vec<_>>())
    .bind(tree)
    .fetch_all(conn)
    .await?)
}

/// Everyone who pays dues, in either tree.
pub async fn all_payers(conn: &mut PgConnection) -> Result<Vec<PayerRow>, AppError> {
    Ok(sqlx::query_as(&payers_sql("ORDER BY m.user_id, m.tree"))
        .fetch_all(conn)
        .await?)
}

/// Every month held by a live payment: (member, tree, month).
pub async fn all_held(conn: &mut PgConnection) -> Result<Vec<(UserId, Tree, NaiveDate)>, AppError> {
    Ok(
        sqlx::query_as("SELECT user_id, tree, month FROM dues_months WHERE live")
            .fetch_all(conn)
            .await?,
    )
}

/// A member's dues record in a tree, when the branch keeps one on the platform (a base, an
/// opening or a paid payment): the first month owed and the months paid (confirmed).
pub async fn record(
    conn: &mut PgConnection,
    user: UserId,
    tree: Tree,
) -> Result<Option<(NaiveDate, Vec<NaiveDate>)>, AppError> {
    let sql = format!(
        "SELECT {SINCE} AS since,
                ARRAY(SELECT d.month FROM dues_months d JOIN dues_payments p ON p.id = d.payment_id
                       WHERE d.user_id = m.user_id AND d.tree = m.tree AND d.live
                         AND p.state = 'paid') AS paid
           FROM memberships m
          WHERE m.user_id = $1 AND m.tree = $2 AND m.ended_at IS NULL AND {PAYING}
            AND (EXISTS (SELECT 1 FROM dues_bases b WHERE b.user_id = m.user_id AND b.tree = m.tree)
                 OR EXISTS (SELECT 1 FROM dues_openings o WHERE o.user_id = m.user_id AND o.tree = m.tree)
                 OR EXISTS (SELECT 1 FROM dues_payments p WHERE p.user_id = m.user_id
                               AND p.tree = m.tree AND p.state = 'paid'))"
    );
    Ok(sqlx::query_as(&sql)
        .bind(user)
        .bind(tree)
        .fetch_optional(conn)
        .await?)
}

/// The months held by live (pending or paid) payments of some members of a tree:
/// (member, month).
pub async fn held_months(
    conn: &mut PgConnection,
    users: &[UserId],
    tree: Tree,
) -> Result<Vec<(UserId, NaiveDate)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT user_id, month FROM dues_months WHERE user_id = ANY($1) AND tree = $2 AND live",
    )
    .bind(users.iter().map(|u| u.0).collect::<Vec<_>>())
    .bind(tree)
    .fetch_all(conn)
    .await?)
}

/// A payment as stored, with the names the pages show.
#[derive(sqlx::FromRow)]
pub struct PaymentRow {
    pub id: i64,
    pub user_id: UserId,
    pub member_name: String,
    pub tree: Tree,
    pub org_id: OrgId,
    pub org_name: String,
    pub org_path: OrgPath,
    pub first_month: NaiveDate,
    pub months: i32,
    pub amount: i64,
    pub method: Method,
    pub state: PaymentState,
    pub recorded_by_name: String,
    pub recorded_at: DateTime<Utc>,
    pub settled_by_name: Option<String>,
    pub settled_at: Option<DateTime<Utc>>,
    pub reason: Option<String>,
    pub receipt_no: Option<String>,
    pub provider_ref: Option<String>,
}

const PAYMENTS: &str = "SELECT p.id, p.user_id, mu.display_name AS member_name, p.tree,
            p.org_id, o.name AS org_name, o.path::text AS org_path, p.first_month, p.months,
            p.amount, p.method, p.state, ru.display_name AS recorded_by_name, p.recorded_at,
            su.display_name AS settled_by_name, p.settled_at, p.reason, p.receipt_no,
            p.provider_ref
       FROM dues_payments p JOIN users mu ON mu.id = p.user_id JOIN orgs o ON o.id = p.org_id
       JOIN users ru ON ru.id = p.recorded_by LEFT JOIN users su ON su.id = p.settled_by";

/// A member's payments of a tree, the latest first.
pub async fn payments_of(
    conn: &mut PgConnection,
    user: UserId,
    tree: Tree,
    limit: i64,
) -> Result<Vec<PaymentRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "{PAYMENTS} WHERE p.user_id = $1 AND p.tree = $2 ORDER BY p.id DESC LIMIT $3"
    ))
    .bind(user)
    .bind(tree)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// A branch's payments waiting for confirmation, and its latest others, the latest first.
pub async fn payments_in(
    conn: &mut PgConnection,
    org: OrgId,
    limit: i64,
) -> Result<Vec<PaymentRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "{PAYMENTS} WHERE p.org_id = $1 ORDER BY p.state <> 'pending', p.id DESC LIMIT $2"
    ))
    .bind(org)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// One payment, locked for a move when `lock`.
pub async fn payment(
    conn: &mut PgConnection,
    id: i64,
    lock: bool,
) -> Result<Option<PaymentRow>, AppError> {
    let lock = if lock { " FOR UPDATE OF p" } else { "" };
    Ok(sqlx::query_as(&format!("{PAYMENTS} WHERE p.id = $1{lock}"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// A payment to record: consecutive months with their amounts.
pub struct NewPayment {
    pub user: UserId,
    pub tree: Tree,
    pub org: OrgId,
    pub months: Vec<(Month, Fen)>,
    pub method: Method,
    pub by: UserId,
    pub state: PaymentState,
}

/// Records a payment and the months it holds. A month already held by a live payment is a
/// conflict, and nothing is recorded.
pub async fn insert_payment(conn: &mut PgConnection, p: &NewPayment) -> Result<i64, AppError> {
    let first = p
        .months
        .first()
        .ok_or(AppError::invalid("months", Msg::DuesMonths))?;
    let total: Fen = p.months.iter().map(|(_, f)| *f).sum();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO dues_payments (user_id, tree, org_id, first_month, months, amount, method,
                                    recorded_by, state, settled_by, settled_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
                 CASE WHEN $9 = 'paid' THEN $8 END, CASE WHEN $9 = 'paid' THEN now() END)
         RETURNING id",
    )
    .bind(p.user)
    .bind(p.tree)
    .bind(p.org)
    .bind(first.0.first_day())
    .bind(p.months.len() as i32)
    .bind(total.0)
    .bind(p.method)
    .bind(p.by)
    .bind(p.state)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO dues_months (payment_id, user_id, tree, month, amount)
         SELECT $1, $2, $3, m, a FROM unnest($4::date[], $5::bigint[]) AS t(m, a)",
    )
    .bind(id)
    .bind(p.user)
    .bind(p.tree)
    .bind(
        p.months
            .iter()
            .map(|(m, _)| m.first_day())
            .collect::<Vec<_>>(),
    )
    .bind(p.months.iter().map(|(_, f)| f.0).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await
    .map_err(|e| match crate::error::unique_violation(&e) {
        Some(_) => AppError::Conflict(Msg::DuesMonthPaid),
        None => e.into(),
    })?;
    Ok(id)
}

/// Moves a payment to `to` (the caller checked the move): its months become free again when
/// it is declined or reversed; a paid one gets its receipt number (by the table's trigger).
pub async fn settle(
    conn: &mut PgConnection,
    id: i64,
    to: PaymentState,
    by: Option<UserId>,
    reason: Option<&str>,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE dues_payments SET state = $2, settled_by = $3, settled_at = now(),
                reason = COALESCE($4, reason)
          WHERE id = $1",
    )
    .bind(id)
    .bind(to)
    .bind(by)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    if matches!(to, PaymentState::Declined | PaymentState::Reversed) {
        sqlx::query("UPDATE dues_months SET live = false WHERE payment_id = $1")
            .bind(id)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Records the provider's reference on a payment (once); paid when `paid`, else it stays
/// pending until the provider's notification. A reference another payment has is a
/// conflict.
pub async fn provider_reference(
    conn: &mut PgConnection,
    id: i64,
    reference: &str,
    paid: bool,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE dues_payments
            SET provider_ref = $2,
                state = CASE WHEN $3 THEN 'paid' ELSE state END,
                settled_at = CASE WHEN $3 THEN now() ELSE settled_at END
          WHERE id = $1",
    )
    .bind(id)
    .bind(reference)
    .bind(paid)
    .execute(conn)
    .await
    .map_err(|e| match crate::error::unique_violation(&e) {
        Some(_) => AppError::Conflict(Msg::DuesProviderMismatch),
        None => e.into(),
    })?;
    Ok(())
}
