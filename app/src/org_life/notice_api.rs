//! Server functions for notices (通知) that members acknowledge (签阅): sending one to an
//! organization's subtree, the lists, acknowledging in time for the notice point, and who
//! has and has not acknowledged.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeItemView {
    pub id: i64,
    pub title: String,
    pub org_name: String,
    pub sent_at: String,
    pub ack_by: String,
    /// Received: acknowledged. Sent: how many acknowledged, of how many.
    pub acked: bool,
    pub counts: Option<(i64, i64)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticesView {
    pub received: Vec<NoticeItemView>,
    pub sent: Vec<NoticeItemView>,
    /// The organizations the viewer may send notices from.
    pub senders: Vec<(i64, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeDetailView {
    pub id: i64,
    pub org_name: String,
    pub title: String,
    pub body: String,
    pub sender: String,
    pub sent_at: String,
    pub ack_by: String,
    /// The viewer received it; when they acknowledged it.
    pub received: bool,
    pub acked_at: Option<String>,
    /// The deadline has passed.
    pub late: bool,
    /// For those who run the sending organization: who acknowledged (name, when) and who not.
    pub acked: Vec<(String, String)>,
    pub pending: Vec<String>,
    pub sees_receipts: bool,
}

/// The viewer's notices, those sent by the organizations they run, and where they may send
/// from.
#[server(endpoint = "org_notices")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn org_notices() -> Result<NoticesView, AppError> {
    use crate::auth::model::Role;
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let mut senders = vec![];
    let mut paths = vec![];
    for g in &actor.grants {
        if let (Role::OrgAdmin | Role::Secretary | Role::CommitteeMember, Some(p)) =
            (g.role, &g.path)
            && let Some(o) = crate::orgs::store::org(&mut conn, p.id()).await?
        {
            paths.push(p.to_string());
            senders.push((o.id, o.name));
        }
    }
    let received = super::notice_store::received(&mut conn, actor.user_id)
        .await?
        .into_iter()
        .map(|(n, acked)| NoticeItemView {
            id: n.id,
            title: n.title,
            org_name: n.org_name,
            sent_at: crate::time::local_minute(n.sent_at),
            ack_by: crate::time::local_minute(n.ack_by),
            acked: acked.is_some(),
            counts: None,
        })
        .collect();
    let sent = if paths.is_empty() {
        vec![]
    } else {
        super::notice_store::sent(&mut conn, &paths)
            .await?
            .into_iter()
            .map(|(n, total, acked)| NoticeItemView {
                id: n.id,
                title: n.title,
                org_name: n.org_name,
                sent_at: crate::time::local_minute(n.sent_at),
                ack_by: crate::time::local_minute(n.ack_by),
                acked: false,
                counts: Some((acked, total)),
            })
            .collect()
    };
    Ok(NoticesView {
        received,
        sent,
        senders,
    })
}

/// Sends a notice to every member of an organization's subtree, to acknowledge within
/// `days`; for those who run the organization. Each member is told.
#[server(endpoint = "send_notice")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn send_notice(
    org: i64,
    title: String,
    body: String,
    days: String,
) -> Result<i64, AppError> {
    use crate::auth::session;
    let notice = super::model::NoticeForm { title, body, days }
        .parse()
        .map_err(AppError::Invalid)?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let o = super::meeting_flow::managed_org(&mut tx, &actor, org, false).await?;
    let ack_by = chrono::Utc::now() + chrono::Duration::days(notice.days);
    let (id, users) = super::notice_store::send(
        &mut tx,
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
        &mut tx,
        &users,
        &crate::notices::model::Message::NoticeSent {
            org: o.name.clone(),
            title: notice.title.clone(),
        },
        &link,
        &format!("notice:{id}"),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(id, recipients = users.len(), "notice sent");
    leptos_axum::redirect(&link);
    Ok(id)
}

/// A notice: for its recipients and those who run the sending organization, who also see
/// who has and has not acknowledged it.
#[server(endpoint = "notice_detail")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn notice_detail(id: i64) -> Result<NoticeDetailView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let n = super::notice_store::notice(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let o = crate::orgs::store::org(&mut conn, n.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let receipt = super::notice_store::receipt(&mut conn, id, actor.user_id).await?;
    let sees_receipts = actor.can_manage(&o.path);
    if receipt.is_none() && !sees_receipts {
        return Err(AppError::Forbidden);
    }
    let (acked, pending) = if sees_receipts {
        let all = super::notice_store::recipients(&mut conn, id).await?;
        let (done, open): (Vec<_>, Vec<_>) = all.into_iter().partition(|(_, at)| at.is_some());
        (
            done.into_iter()
                .filter_map(|(name, at)| Some((name, crate::time::local_minute(at?))))
                .collect(),
            open.into_iter().map(|(name, _)| name).collect(),
        )
    } else {
        (vec![], vec![])
    };
    Ok(NoticeDetailView {
        id,
        org_name: n.org_name,
        title: n.title,
        body: n.body,
        sender: n.sender,
        sent_at: crate::time::local_minute(n.sent_at),
        ack_by: crate::time::local_minute(n.ack_by),
        received: receipt.is_some(),
        acked_at: receipt.flatten().map(crate::time::local_minute),
        late: chrono::Utc::now() > n.ack_by,
        acked,
        pending,
        sees_receipts,
    })
}

/// Acknowledges a notice one received, once; in time (by its deadline) it earns the notice
/// point through the ledger.
#[server(endpoint = "acknowledge_notice")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn acknowledge_notice(id: i64) -> Result<(), AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    use crate::points::model::RuleCode;
    use crate::points::store::award_once;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let n = super::notice_store::notice(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if super::notice_store::receipt(&mut tx, id, actor.user_id)
        .await?
        .is_none()
    {
        return Err(AppError::Forbidden);
    }
    let now = chrono::Utc::now();
    if !super::notice_store::acknowledge(&mut tx, id, actor.user_id, now).await? {
        return Err(AppError::Conflict(Msg::NoticeAcked));
    }
    if now <= n.ack_by {
        let user = actor.user_id;
        award_once(&mut tx, user, RuleCode::NoticeAck, ("notice", id), now).await?;
    }
    tx.commit().await?;
    Ok(())
}
