//! Server functions for notices (通知) that members acknowledge (签阅): sending one to an
//! organization's subtree, the lists, acknowledging in time for the notice point, and who
//! has and has not acknowledged.

use crate::ids::OrgId;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A notice in a list.
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

/// The viewer's notices and those their organizations sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticesView {
    pub received: Vec<NoticeItemView>,
    pub sent: Vec<NoticeItemView>,
    /// The organizations the viewer may send notices from.
    pub senders: Vec<(OrgId, String)>,
}

/// One notice, and for the sender who has and has not acknowledged it.
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
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let notices = super::flow::notices(&mut conn, &actor).await?;
    Ok(notices.into())
}

#[cfg(feature = "ssr")]
impl NoticeItemView {
    /// A notice in a list: received (`acked`) or sent (`counts`).
    fn of(n: super::store::NoticeRow, acked: bool, counts: Option<(i64, i64)>) -> Self {
        NoticeItemView {
            id: n.id,
            title: n.title,
            org_name: n.org_name,
            sent_at: crate::time::local_minute(n.sent_at),
            ack_by: crate::time::local_minute(n.ack_by),
            acked,
            counts,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<super::store::ReceivedRow> for NoticeItemView {
    fn from(r: super::store::ReceivedRow) -> Self {
        NoticeItemView::of(r.notice, r.acked_at.is_some(), None)
    }
}

#[cfg(feature = "ssr")]
impl From<super::store::SentRow> for NoticeItemView {
    fn from(r: super::store::SentRow) -> Self {
        NoticeItemView::of(r.notice, false, Some((r.acked, r.total)))
    }
}

#[cfg(feature = "ssr")]
impl From<super::flow::Notices> for NoticesView {
    fn from(n: super::flow::Notices) -> Self {
        NoticesView {
            received: n.received.into_iter().map(NoticeItemView::from).collect(),
            sent: n.sent.into_iter().map(NoticeItemView::from).collect(),
            senders: n.senders,
        }
    }
}

/// Sends a notice to every member of an organization's subtree, to acknowledge within
/// `days`; for those who run the organization. Each member is told.
#[server(endpoint = "send_notice")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn send_notice(
    org: OrgId,
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
    let now = chrono::Utc::now();
    let (id, link, recipients) = super::flow::send(&mut tx, &actor, org, &notice, now).await?;
    tx.commit().await?;
    tracing::info!(id, recipients, "notice sent");
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
    let detail = super::flow::detail(&mut conn, &actor, id).await?;
    Ok(NoticeDetailView::of(detail, chrono::Utc::now()))
}

#[cfg(feature = "ssr")]
impl NoticeDetailView {
    /// The notice as read at `now` (late once its deadline has passed).
    fn of(d: super::flow::NoticeDetail, now: chrono::DateTime<chrono::Utc>) -> Self {
        use crate::time::local_minute;
        let n = d.notice;
        NoticeDetailView {
            id: n.id,
            org_name: n.org_name,
            title: n.title,
            body: n.body,
            sender: n.sender,
            sent_at: local_minute(n.sent_at),
            ack_by: local_minute(n.ack_by),
            received: d.receipt.is_some(),
            acked_at: d.receipt.flatten().map(local_minute),
            late: !super::model::in_time(now, n.ack_by),
            acked: d
                .acked
                .into_iter()
                .map(|(name, at)| (name, local_minute(at)))
                .collect(),
            pending: d.pending,
            sees_receipts: d.sees_receipts,
        }
    }
}

/// Acknowledges a notice one received, once; in time (by its deadline) it earns the notice
/// point through the ledger.
#[server(endpoint = "acknowledge_notice")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn acknowledge_notice(id: i64) -> Result<(), AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::acknowledge(&mut tx, &actor, id, chrono::Utc::now()).await?;
    tx.commit().await?;
    Ok(())
}
