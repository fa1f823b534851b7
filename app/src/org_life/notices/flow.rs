//! Notices' use cases on the server: the viewer's lists and where they may send from,
//! sending one to an organization's subtree, reading one (with its receipts for the
//! sender), and acknowledging one in time for the notice point.

use crate::ids::OrgId;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::model::{NewNotice, in_time, sends_notices, split_receipts};
use super::store::{self, NoticeRow, ReceivedRow, SentRow};
use crate::auth::model::Actor;
use crate::error::{AppError, Msg};

/// The viewer's notices, those sent by the organizations they run, and where they may send
/// from.
pub struct Notices {
    pub received: Vec<ReceivedRow>,
    pub sent: Vec<SentRow>,
    /// The organizations the viewer may send notices from: (id, name).
    pub senders: Vec<(OrgId, String)>,
}

/// The actor's notices and those sent by the organizations they run.
pub async fn notices(conn: &mut PgConnection, actor: &Actor) -> Result<Notices, AppError> {
    let mut senders = vec![];
    let mut paths = vec![];
    for g in &actor.grants {
        if let Some(p) = &g.path
            && sends_notices(g.role)
            && let Some(o) = crate::orgs::store::org(conn, p.id()).await?
        {
            paths.push(p.to_string());
            senders.push((o.id, o.name));
        }
    }
    let received = store::received(conn, actor.user_id).await?;
    let sent = if paths.is_empty() {
        vec![]
    } else {
        store::sent(conn, &paths).await?
    };
    Ok(Notices {
        received,
        sent,
        senders,
    })
}

/// Sends a checked notice to every member of the subtree of an organization the actor
/// runs, to acknowledge within its days; each member is told. Returns the notice, its page
/// and how many received it.
pub async fn send(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
    notice: &NewNotice,
    now: DateTime<Utc>,
) -> Result<(i64, String, usize), AppError> {
    let o = crate::org_life::meetings::flow::managed_org(conn, actor, org, false).await?;
    let ack_by = now + chrono::Duration::days(notice.days);
    let (id, users) = store::send(
        conn,
        o.id,
        &o.path,
        &notice.title,
        &notice.body,
        ack_by,
        actor.user_id,
    )
    .await?;
    let link = format!("/orglife/notices/{id}");
    crate::notices::store::notify(
        conn,
        &users,
        &crate::notices::model::Message::NoticeSent {
            org: o.name.clone(),
            title: notice.title.clone(),
        },
        &link,
        &format!("notice:{id}"),
    )
    .await?;
    Ok((id, link, users.len()))
}

/// A notice as one of its recipients or a sender reads it.
pub struct NoticeDetail {
    pub notice: NoticeRow,
    /// The actor received it: when they acknowledged it, if they did.
    pub receipt: Option<Option<DateTime<Utc>>>,
    /// For those who run the sending organization: who acknowledged (name, when) and who
    /// has not.
    pub sees_receipts: bool,
    pub acked: Vec<(String, DateTime<Utc>)>,
    pub pending: Vec<String>,
}

/// A notice, for its recipients and those who run the sending organization (who also see
/// who has and has not acknowledged it).
pub async fn detail(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
) -> Result<NoticeDetail, AppError> {
    let notice = store::notice(conn, id).await?.ok_or(AppError::NotFound)?;
    let o = crate::orgs::store::org(conn, notice.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let receipt = store::receipt(conn, id, actor.user_id).await?;
    let sees_receipts = actor.can_manage(&o.path);
    if receipt.is_none() && !sees_receipts {
        return Err(AppError::Forbidden);
    }
    let (acked, pending) = if sees_receipts {
        split_receipts(store::recipients(conn, id).await?)
    } else {
        (vec![], vec![])
    };
    Ok(NoticeDetail {
        notice,
        receipt,
        sees_receipts,
        acked,
        pending,
    })
}

/// Acknowledges a notice the actor received, once; in time it earns the notice point
/// through the ledger.
pub async fn acknowledge(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use crate::points::model::{PointSource, RuleCode};
    let n = store::notice(conn, id).await?.ok_or(AppError::NotFound)?;
    if store::receipt(conn, id, actor.user_id).await?.is_none() {
        return Err(AppError::Forbidden);
    }
    if !store::acknowledge(conn, id, actor.user_id, now).await? {
        return Err(AppError::Conflict(Msg::NoticeAcked));
    }
    if in_time(now, n.ack_by) {
        let user = actor.user_id;
        crate::points::store::award_once(
            conn,
            user,
            RuleCode::NoticeAck,
            (PointSource::Notice, id),
            now,
        )
        .await?;
    }
    Ok(())
}
