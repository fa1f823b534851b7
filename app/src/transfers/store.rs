//! SQL for transfers: requests and their steps, the history, letters with gapless numbers,
//! the approvers' queues and the overdue counts.

use chrono::NaiveDate;
use sqlx::{FromRow, PgConnection, Row};

use super::model::{EventKind, Node, Status, Step, StepKind};
use crate::auth::model::{Actor, Role};
use crate::error::{AppError, Msg};
use crate::ids::{OrgId, TransferId, UserId};
use crate::orgs::model::{OrgPath, Tree};

/// The organizations from the root down to `org_id`.
pub async fn chain(conn: &mut PgConnection, org_id: OrgId) -> Result<Vec<Node>, AppError> {
    let rows = sqlx::query(
        "SELECT o.id, o.kind FROM orgs t
         JOIN orgs o ON o.id = ANY (string_to_array(t.path::text, '.')::bigint[])
         WHERE t.id = $1 ORDER BY nlevel(o.path)",
    )
    .bind(org_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Node {
                id: r.get("id"),
                kind: r.try_get("kind")?,
            })
        })
        .collect()
}

/// The member's current branch in a tree.
pub async fn current_branch(
    conn: &mut PgConnection,
    user_id: UserId,
    tree: Tree,
) -> Result<Option<OrgId>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT org_id FROM memberships WHERE user_id = $1 AND tree = $2 AND ended_at IS NULL",
    )
    .bind(user_id)
    .bind(tree.as_str())
    .fetch_optional(conn)
    .await?)
}

/// A transfer as it is asked for.
pub struct NewTransfer<'a> {
    pub user_id: UserId,
    pub tree: Tree,
    pub from_org: OrgId,
    pub to_org: Option<OrgId>,
    pub outside: Option<(&'a str, &'a str)>,
    pub reason: &'a str,
    pub dues_paid_to: NaiveDate,
    pub started_by: UserId,
}

/// Records a transfer with its steps and the first entry of its history. A second open
/// transfer of the member in the tree is refused by the database.
pub async fn create(
    conn: &mut PgConnection,
    t: &NewTransfer<'_>,
    steps: &[Step],
) -> Result<TransferId, AppError> {
    let inserted = sqlx::query_scalar(
        "INSERT INTO transfers (user_id, tree, from_org, to_org, outside_name, outside_address,
                                reason, dues_paid_to, started_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(t.user_id)
    .bind(t.tree.as_str())
    .bind(t.from_org)
    .bind(t.to_org)
    .bind(t.outside.map(|o| o.0))
    .bind(t.outside.map(|o| o.1))
    .bind(t.reason)
    .bind(t.dues_paid_to)
    .bind(t.started_by)
    .fetch_one(&mut *conn)
    .await;
    let id: TransferId = match inserted {
        Err(e) if crate::error::unique_violation(&e).as_deref() == Some("transfers_one_open") => {
            return Err(AppError::Conflict(Msg::TransferAlreadyOpen));
        }
        other => other?,
    };
    let kinds: Vec<&str> = steps.iter().map(|s| s.kind.as_str()).collect();
    let holders: Vec<OrgId> = steps.iter().map(|s| s.holder).collect();
    sqlx::query(
        "INSERT INTO transfer_steps (transfer_id, seq, kind, holder_org)
         SELECT $1, s.i - 1, s.kind, s.holder
         FROM unnest($2::text[], $3::bigint[]) WITH ORDINALITY AS s (kind, holder, i)",
    )
    .bind(id)
    .bind(&kinds)
    .bind(&holders)
    .execute(&mut *conn)
    .await?;
    event(conn, id, None, t.started_by, EventKind::Start, "").await?;
    Ok(id)
}

/// Adds to a transfer's history.
pub async fn event(
    conn: &mut PgConnection,
    transfer_id: TransferId,
    seq: Option<i32>,
    actor_id: UserId,
    action: EventKind,
    reason: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO transfer_events (transfer_id, seq, actor_id, action, reason)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(transfer_id)
    .bind(seq)
    .bind(actor_id)
    .bind(action)
    .bind(reason)
    .execute(conn)
    .await?;
    Ok(())
}

/// A transfer's own row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TransferRow {
    pub id: TransferId,
    pub user_id: UserId,
    pub member: String,
    pub member_status: String,
    pub tree: Tree,
    pub from_org: OrgId,
    pub from_name: String,
    pub to_org: Option<OrgId>,
    pub to_name: String,
    pub outside_address: String,
    pub reason: String,
    pub dues_paid_to: NaiveDate,
    pub status: Status,
    #[sqlx(try_from = "i32")]
    pub current_step: usize,
    pub step_since: NaiveDate,
    pub started_by: UserId,
    pub created_on: String,
}

const TRANSFER_COLUMNS: &str = "t.id, t.user_id, u.display_name AS member,
    COALESCE((SELECT m.status FROM memberships m WHERE m.user_id = t.user_id AND m.tree = t.tree
              ORDER BY m.ended_at IS NULL DESC, m.started_at DESC LIMIT 1), '') AS member_status,
    t.tree, t.from_org, f.name AS from_name, t.to_org,
    COALESCE(r.name, t.outside_name) AS to_name, COALESCE(t.outside_address, '') AS outside_address,
    t.reason, t.dues_paid_to, t.status, t.current_step,
    (t.step_since AT TIME ZONE 'Asia/Shanghai')::date AS step_since, t.started_by,
    to_char(t.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS created_on";

const TRANSFER_FROM: &str = "transfers t JOIN users u ON u.id = t.user_id
    JOIN orgs f ON f.id = t.from_org LEFT JOIN orgs r ON r.id = t.to_org";

/// A transfer; with `lock`, its row is locked until the transaction ends, so that two
/// approvers acting at once take turns and the second sees the first one's result.
pub async fn transfer(
    conn: &mut PgConnection,
    id: TransferId,
    lock: bool,
) -> Result<Option<TransferRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {TRANSFER_COLUMNS} FROM {TRANSFER_FROM} WHERE t.id = $1 {}",
        if lock { "FOR UPDATE OF t" } else { "" }
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// A step with its holder's name and path.
#[derive(Debug, Clone)]
pub struct StepRow {
    pub step: Step,
    pub holder_name: String,
    pub holder_path: OrgPath,
}

pub async fn steps(
    conn: &mut PgConnection,
    transfer_id: TransferId,
) -> Result<Vec<StepRow>, AppError> {
    let rows = sqlx::query(
        "SELECT s.kind, s.holder_org, o.name, o.path::text AS path
         FROM transfer_steps s JOIN orgs o ON o.id = s.holder_org
         WHERE s.transfer_id = $1 ORDER BY s.seq",
    )
    .bind(transfer_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StepRow {
                step: Step {
                    kind: r.try_get("kind")?,
                    holder: r.get("holder_org"),
                },
                holder_name: r.get("name"),
                holder_path: r.try_get("path")?,
            })
        })
        .collect()
}

/// Moves a transfer to its next state; a new current step starts its clock.
pub async fn set_state(
    conn: &mut PgConnection,
    id: TransferId,
    status: Status,
    step: usize,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE transfers SET status = $2,
                step_since = CASE WHEN current_step <> $3 OR status <> $2 THEN now() ELSE step_since END,
                current_step = $3,
                closed_at = CASE WHEN $2 IN ('rejected', 'withdrawn', 'completed') THEN now() END
         WHERE id = $1",
    )
    .bind(id)
    .bind(status.as_str())
    .bind(step as i32)
    .execute(conn)
    .await?;
    Ok(())
}

/// The sending branch's correction of the dues month, with its reason, kept in the history.
pub async fn correct_dues(
    conn: &mut PgConnection,
    id: TransferId,
    by: UserId,
    before: NaiveDate,
    after: NaiveDate,
    reason: &str,
) -> Result<(), AppError> {
    sqlx::query("UPDATE transfers SET dues_paid_to = $2 WHERE id = $1")
        .bind(id)
        .bind(after)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO transfer_events (transfer_id, actor_id, action, reason, dues_before, dues_after)
         VALUES ($1, $2, 'dues', $3, $4, $5)",
    )
    .bind(id)
    .bind(by)
    .bind(reason)
    .bind(before)
    .bind(after)
    .execute(conn)
    .await?;
    Ok(())
}

/// The member's correction: a new reason and dues month.
pub async fn correct(
    conn: &mut PgConnection,
    id: TransferId,
    reason: &str,
    dues_paid_to: NaiveDate,
) -> Result<(), AppError> {
    sqlx::query("UPDATE transfers SET reason = $2, dues_paid_to = $3 WHERE id = $1")
        .bind(id)
        .bind(reason)
        .bind(dues_paid_to)
        .execute(conn)
        .await?;
    Ok(())
}

/// One entry of a transfer's history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub seq: Option<i32>,
    pub actor: String,
    pub action: EventKind,
    pub reason: String,
    pub at: String,
    /// A dues correction's months before and after, `2026-10`.
    pub dues_before: Option<String>,
    pub dues_after: Option<String>,
}

pub async fn events(
    conn: &mut PgConnection,
    transfer_id: TransferId,
) -> Result<Vec<EventRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT e.seq, u.display_name AS actor, e.action, e.reason,
                to_char(e.at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS at,
                to_char(e.dues_before, 'YYYY-MM') AS dues_before,
                to_char(e.dues_after, 'YYYY-MM') AS dues_after
         FROM transfer_events e JOIN users u ON u.id = e.actor_id
         WHERE e.transfer_id = $1 ORDER BY e.id",
    )
    .bind(transfer_id)
    .fetch_all(conn)
    .await?)
}

/// An introduction letter.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LetterRow {
    pub id: i64,
    pub issuer: String,
    pub year: i32,
    pub seq: i32,
    pub verify_code: String,
    pub issued_on: NaiveDate,
    pub valid_until: NaiveDate,
    pub void: bool,
    pub transfer_id: TransferId,
}

const LETTER_COLUMNS: &str = "l.id, o.name AS issuer, l.year, l.seq, l.verify_code, l.issued_on,
    l.valid_until, l.void, l.transfer_id";

/// Issues a letter: the next number of the issuing organization's year, taken under the
/// counter's row lock so that concurrent issues never share a number or leave a gap.
pub async fn issue_letter(
    conn: &mut PgConnection,
    transfer_id: TransferId,
    issuer: OrgId,
    issued_on: NaiveDate,
    valid_until: NaiveDate,
    verify_code: &str,
) -> Result<LetterRow, AppError> {
    use chrono::Datelike;
    let year = issued_on.year();
    let seq: i32 = sqlx::query_scalar(
        "INSERT INTO letter_counters (org_id, year, last) VALUES ($1, $2, 1)
         ON CONFLICT (org_id, year) DO UPDATE SET last = letter_counters.last + 1
         RETURNING last",
    )
    .bind(issuer)
    .bind(year)
    .fetch_one(&mut *conn)
    .await?;
    Ok(sqlx::query_as(&format!(
        "WITH l AS (
             INSERT INTO transfer_letters (transfer_id, issuer_org, year, seq, verify_code, issued_on, valid_until)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *)
         SELECT {LETTER_COLUMNS} FROM l JOIN orgs o ON o.id = l.issuer_org"
    ))
    .bind(transfer_id)
    .bind(issuer)
    .bind(year)
    .bind(seq)
    .bind(verify_code)
    .bind(issued_on)
    .bind(valid_until)
    .fetch_one(conn)
    .await?)
}

/// Voids the letter in force, if any; returns its issuer.
pub async fn void_letter(
    conn: &mut PgConnection,
    transfer_id: TransferId,
) -> Result<Option<OrgId>, AppError> {
    Ok(sqlx::query_scalar(
        "UPDATE transfer_letters SET void = true WHERE transfer_id = $1 AND NOT void RETURNING issuer_org",
    )
    .bind(transfer_id)
    .fetch_optional(conn)
    .await?)
}

/// A transfer's letters, the one in force first.
pub async fn letters(
    conn: &mut PgConnection,
    transfer_id: TransferId,
) -> Result<Vec<LetterRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {LETTER_COLUMNS} FROM transfer_letters l JOIN orgs o ON o.id = l.issuer_org
         WHERE l.transfer_id = $1 ORDER BY l.void, l.id DESC"
    ))
    .bind(transfer_id)
    .fetch_all(conn)
    .await?)
}

pub async fn letter_by_code(
    conn: &mut PgConnection,
    code: &str,
) -> Result<Option<LetterRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {LETTER_COLUMNS} FROM transfer_letters l JOIN orgs o ON o.id = l.issuer_org
         WHERE l.verify_code = $1"
    ))
    .bind(code)
    .fetch_optional(conn)
    .await?)
}

/// A transfer in a list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SummaryRow {
    pub id: TransferId,
    pub member: String,
    pub from_name: String,
    pub to_name: String,
    pub status: Status,
    pub step: Option<StepKind>,
    pub holder: String,
    pub since: NaiveDate,
}

/// The paths over which an actor acts on branch steps and on committee steps; `None` for a
/// platform admin, who acts everywhere.
pub fn acting_paths(actor: &Actor) -> Option<(Vec<String>, Vec<String>)> {
    if actor.is_platform_admin() {
        return None;
    }
    let mut branch = Vec::new();
    let mut committee = Vec::new();
    for g in &actor.grants {
        if let Some(p) = &g.path {
            match g.role {
                Role::Secretary | Role::CommitteeMember => branch.push(p.to_string()),
                Role::OrgAdmin => {
                    branch.push(p.to_string());
                    committee.push(p.to_string());
                }
                Role::PlatformAdmin | Role::DuesOfficer => {}
            }
        }
    }
    Some((branch, committee))
}

/// Which of a transfer's steps an actor may act on, as an SQL condition on `s` (a step)
/// and `h` (its holder organization), with the paths in $2 (branch) and $3 (committee) and
/// the platform admin flag in $4.
const ACTS_ON: &str =
    "($4 OR (s.kind IN ('sending_branch', 'receiving_branch') AND h.path <@ $2::ltree[])
                         OR h.path <@ $3::ltree[])";

/// The approver's queues: 待办 (the current step is theirs), 未办结 (they acted, the transfer
/// is still open), 即将办理 (a later step is theirs).
pub async fn queues(
    conn: &mut PgConnection,
    actor: &Actor,
) -> Result<[Vec<SummaryRow>; 3], AppError> {
    let (branch, committee, all) = match acting_paths(actor) {
        Some((b, c)) => (b, c, false),
        None => (Vec::new(), Vec::new(), true),
    };
    let rows = sqlx::query(&format!(
        "WITH open AS (SELECT * FROM transfers WHERE status IN ('open', 'returned')),
         mine AS (
             SELECT t.id, min(s.seq) FILTER (WHERE s.seq = t.current_step AND t.status = 'open') AS now,
                    min(s.seq) FILTER (WHERE s.seq > t.current_step) AS later
             FROM open t JOIN transfer_steps s ON s.transfer_id = t.id JOIN orgs h ON h.id = s.holder_org
             WHERE {ACTS_ON}
             GROUP BY t.id),
         acted AS (SELECT DISTINCT e.transfer_id AS id FROM transfer_events e JOIN open t ON t.id = e.transfer_id
                   WHERE e.actor_id = $1 AND e.action IN ('approve', 'return', 'letter', 'reissue'))
         SELECT CASE WHEN m.now IS NOT NULL THEN 0 WHEN a.id IS NOT NULL THEN 1 ELSE 2 END AS queue,
                t.id, u.display_name AS member, f.name AS from_name, COALESCE(r.name, t.outside_name) AS to_name,
                t.status, cs.kind AS step, ch.name AS holder,
                (t.step_since AT TIME ZONE 'Asia/Shanghai')::date AS since
         FROM open t
         LEFT JOIN mine m ON m.id = t.id LEFT JOIN acted a ON a.id = t.id
         JOIN users u ON u.id = t.user_id JOIN orgs f ON f.id = t.from_org LEFT JOIN orgs r ON r.id = t.to_org
         JOIN transfer_steps cs ON cs.transfer_id = t.id AND cs.seq = t.current_step
         JOIN orgs ch ON ch.id = cs.holder_org
         WHERE m.now IS NOT NULL OR a.id IS NOT NULL OR m.later IS NOT NULL
         ORDER BY t.step_since"
    ))
    .bind(actor.user_id)
    .bind(&branch)
    .bind(&committee)
    .bind(all)
    .fetch_all(conn)
    .await?;
    let mut out: [Vec<SummaryRow>; 3] = Default::default();
    for r in &rows {
        let queue: i32 = r.get("queue");
        out[queue as usize].push(SummaryRow::from_row(r)?);
    }
    Ok(out)
}

/// A member's own transfers, newest first.
pub async fn of_member(
    conn: &mut PgConnection,
    user_id: UserId,
) -> Result<Vec<SummaryRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT t.id, u.display_name AS member, f.name AS from_name,
                COALESCE(r.name, t.outside_name) AS to_name, t.status, cs.kind AS step, COALESCE(ch.name, '') AS holder,
                (t.step_since AT TIME ZONE 'Asia/Shanghai')::date AS since
         FROM transfers t JOIN users u ON u.id = t.user_id JOIN orgs f ON f.id = t.from_org
         LEFT JOIN orgs r ON r.id = t.to_org
         LEFT JOIN transfer_steps cs ON cs.transfer_id = t.id AND cs.seq = t.current_step
         LEFT JOIN orgs ch ON ch.id = cs.holder_org
         WHERE t.user_id = $1 ORDER BY t.created_at DESC",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?)
}

/// Overdue steps under the organizations an admin serves (everywhere for a platform admin):
/// per holding organization, how many and since when, the oldest first.
pub async fn overdue(
    conn: &mut PgConnection,
    actor: &Actor,
    today: NaiveDate,
) -> Result<Vec<(OrgId, String, i64, NaiveDate)>, AppError> {
    let (_, committee, all) = match acting_paths(actor) {
        Some((b, c)) => (b, c, false),
        None => (Vec::new(), Vec::new(), true),
    };
    Ok(sqlx::query_as(
        "SELECT h.id, h.name, count(*) AS n, min((t.step_since AT TIME ZONE 'Asia/Shanghai')::date) AS oldest
         FROM transfers t
         JOIN transfer_steps s ON s.transfer_id = t.id AND s.seq = t.current_step
         JOIN orgs h ON h.id = s.holder_org
         WHERE t.status = 'open'
           AND (t.step_since AT TIME ZONE 'Asia/Shanghai')::date < $1 - $4::int
           AND ($3 OR h.path <@ $2::ltree[])
         GROUP BY h.id, h.name ORDER BY oldest, h.id",
    )
    .bind(today)
    .bind(&committee)
    .bind(all)
    .bind(super::model::OVERDUE_DAYS as i32)
    .fetch_all(conn)
    .await?)
}

/// Tells the holders of every overdue step, once per step: the secretaries and committee
/// members of a branch, the admins of a committee. The message is `TransferOverdue` with
/// the member's name, in the JSON shape `notices::model::Message` keeps (a test there pins
/// it). Returns how many were told now.
pub async fn notify_overdue(conn: &mut PgConnection, today: NaiveDate) -> Result<u64, AppError> {
    Ok(sqlx::query(
        "INSERT INTO notifications (user_id, kind, title, message, link, dedupe_key)
         SELECT DISTINCT g.user_id, 'transfer_overdue', '',
                jsonb_build_object('TransferOverdue', jsonb_build_object('name', u.display_name)),
                '/transfers/' || t.id, 'transfer-overdue:' || t.id || ':' || t.current_step
         FROM transfers t JOIN users u ON u.id = t.user_id
         JOIN transfer_steps s ON s.transfer_id = t.id AND s.seq = t.current_step
         JOIN role_grants g ON g.org_id = s.holder_org
          AND g.role = ANY (CASE WHEN s.kind IN ('sending_branch', 'receiving_branch')
                                 THEN ARRAY['secretary', 'committee_member'] ELSE ARRAY['org_admin'] END)
         WHERE t.status = 'open' AND (t.step_since AT TIME ZONE 'Asia/Shanghai')::date < $1 - $2::int
         ON CONFLICT (user_id, dedupe_key) DO NOTHING",
    )
    .bind(today)
    .bind(super::model::OVERDUE_DAYS as i32)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Branches of a tree whose names, or the names of the organizations above them (a company
/// name finds its branches), contain `query`, the branch's own matches first; with the names
/// above them, for the receiving-organization picker.
pub async fn search_branches(
    conn: &mut PgConnection,
    tree: Tree,
    query: &str,
) -> Result<Vec<(OrgId, String, String)>, AppError> {
    let rows = sqlx::query(
        "SELECT id, name, above FROM (
             SELECT o.id, o.name,
                    COALESCE((SELECT string_agg(a.name, ' / ' ORDER BY nlevel(a.path))
                              FROM orgs a WHERE a.path @> o.path AND a.id <> o.id), '') AS above
             FROM orgs o
             WHERE o.tree = $1 AND o.kind IN ('branch', 'joint_branch')) b
         WHERE strpos(lower(name), lower($2)) > 0 OR strpos(lower(above), lower($2)) > 0
         ORDER BY strpos(lower(name), lower($2)) = 0, length(name), id LIMIT 20",
    )
    .bind(tree.as_str())
    .bind(query)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get("id"), r.get("name"), r.get("above")))
        .collect())
}

/// Per branch under `under`, the share (percent) of its transfer steps handled in time over
/// the period (see [`super::model::handled_in_time`]); `None` for a branch with none due.
pub async fn handled_in_time_by_branch(
    conn: &mut PgConnection,
    under: &OrgPath,
    from: NaiveDate,
    until: NaiveDate,
    today: NaiveDate,
) -> Result<std::collections::HashMap<OrgId, Option<u32>>, AppError> {
    // The steps held by branches below, of transfers alive at some time in the period.
    let steps = sqlx::query(
        "SELECT s.transfer_id, s.seq, s.holder_org
         FROM transfer_steps s
         JOIN orgs h ON h.id = s.holder_org
         JOIN transfers t ON t.id = s.transfer_id
         WHERE h.path <@ $1::ltree AND h.kind IN ('branch', 'joint_branch')
           AND (t.created_at AT TIME ZONE 'Asia/Shanghai')::date <= $3
           AND (t.closed_at IS NULL OR (t.closed_at AT TIME ZONE 'Asia/Shanghai')::date >= $2)",
    )
    .bind(under.to_string())
    .bind(from)
    .bind(until)
    .fetch_all(&mut *conn)
    .await?;
    let mut holders: std::collections::HashMap<(i64, i32), OrgId> = Default::default();
    for r in &steps {
        holders.insert((r.get("transfer_id"), r.get("seq")), r.get("holder_org"));
    }
    let ids: Vec<i64> = {
        let mut v: Vec<i64> = holders.keys().map(|(t, _)| *t).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let events = sqlx::query(
        "SELECT transfer_id, seq, action, (at AT TIME ZONE 'Asia/Shanghai')::date AS day
         FROM transfer_events WHERE transfer_id = ANY ($1) ORDER BY transfer_id, id",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    let mut counts: std::collections::HashMap<OrgId, (u32, u32)> = Default::default();
    for chunk in
        events.chunk_by(|a, b| a.get::<i64, _>("transfer_id") == b.get::<i64, _>("transfer_id"))
    {
        let transfer: i64 = chunk[0].get("transfer_id");
        let history = chunk
            .iter()
            .map(|r| Ok((r.try_get("seq")?, r.try_get("action")?, r.try_get("day")?)))
            .collect::<Result<Vec<(Option<i32>, EventKind, NaiveDate)>, sqlx::Error>>()?;
        for round in super::model::step_rounds(&history) {
            let Some(holder) = holders.get(&(transfer, round.seq)) else {
                continue;
            };
            let (due, in_time) = super::model::handled_in_time(&[round], from, until, today);
            let c = counts.entry(*holder).or_default();
            c.0 += due;
            c.1 += in_time;
        }
    }
    Ok(counts
        .into_iter()
        .map(|(org, (due, in_time))| (org, (due > 0).then(|| in_time * 100 / due)))
        .collect())
}

/// The display name of the member a transfer moves.
pub async fn member_name(conn: &mut PgConnection, id: TransferId) -> Result<String, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT u.display_name FROM transfers t JOIN users u ON u.id = t.user_id WHERE t.id = $1",
    )
    .bind(id)
    .fetch_one(conn)
    .await?)
}

/// Records the member's reminder for transfer `id` on `day`; false when one was already
/// sent that day.
pub async fn remind(
    conn: &mut PgConnection,
    id: TransferId,
    day: chrono::NaiveDate,
    by: UserId,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "INSERT INTO transfer_reminders (transfer_id, day, by_user) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(day)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether the member already sent the reminder for transfer `id` on `day`.
pub async fn reminded_on(
    conn: &mut PgConnection,
    id: TransferId,
    day: chrono::NaiveDate,
) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM transfer_reminders WHERE transfer_id = $1 AND day = $2)",
    )
    .bind(id)
    .bind(day)
    .fetch_one(conn)
    .await?)
}
