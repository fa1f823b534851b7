//! Server functions for messages: a secretary's reminder, and the member's list.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::ids::{ItemId, OrgId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeView {
    pub id: i64,
    /// What it says, put into words by the page in the reader's language.
    pub message: Option<super::model::Message>,
    /// A message from before messages were keys: its words as written then.
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    /// Read before this visit.
    pub read: bool,
    pub at: String,
}

#[cfg(feature = "ssr")]
impl From<super::store::NoticeRow> for NoticeView {
    fn from(r: super::store::NoticeRow) -> Self {
        Self {
            id: r.id,
            message: r.message.map(|m| m.0),
            title: r.title,
            body: r.body,
            link: r.link,
            read: r.read,
            at: crate::time::local_minute(r.created_at),
        }
    }
}

/// Reminds the branch's members who have not completed a required item. For the branch's
/// secretary, committee and administrators; the item must be one of the branch's required
/// items. Returns how many were reminded (0 when all were reminded today already).
#[server(endpoint = "remind_required")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(skip_all, fields(org_id, item_id))
)]
pub async fn remind_required(org_id: OrgId, item_id: ItemId) -> Result<u32, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let org = crate::orgs::store::org(&mut tx, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !actor.can_manage(&org.path) {
        return Err(AppError::Forbidden);
    }
    let required = crate::study::store::required_progress(&mut tx, &org.path).await?;
    let Some((_, title, ..)) = required.into_iter().find(|r| r.0 == item_id) else {
        return Err(AppError::NotFound);
    };
    let day = crate::time::day_of(chrono::Utc::now());
    let n = super::store::remind_required(&mut tx, &org.path, item_id, &title, day).await?;
    tx.commit().await?;
    tracing::info!(reminded = n, by = actor.user_id.0, "study reminder sent");
    Ok(n as u32)
}

/// The member's messages, newest first; opening the list marks them read.
#[server(endpoint = "my_notices")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn my_notices() -> Result<Vec<NoticeView>, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let list = super::store::recent(&mut tx, actor.user_id).await?;
    super::store::mark_all_read(&mut tx, actor.user_id).await?;
    tx.commit().await?;
    Ok(list.into_iter().map(NoticeView::from).collect())
}

/// Unread messages, for the badges on 我的 and the tab bar; none for a visitor who is not
/// signed in (the tab bar asks on every page, also just after signing out). Read with the
/// viewer, so a page pays no extra query for its badge.
#[server(endpoint = "unread_notices")]
pub async fn unread_notices() -> Result<i64, AppError> {
    use crate::auth::session;
    if session::claim().await?.is_none() {
        return Ok(0);
    }
    if let Some(known) = session::known_viewer().await {
        return Ok(known.map_or(0, |v| v.unread));
    }
    let mut conn = session::pool()?.acquire().await?;
    Ok(session::viewer(&mut conn).await?.map_or(0, |v| v.unread))
}

/// How the member is reached beyond the portal: each kind of reminder by text message or
/// e-mail, the e-mail address, and quiet hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrefsView {
    pub has_phone: bool,
    pub email: Option<String>,
    pub channels: Vec<(super::model::ReminderKind, super::model::Channel)>,
    pub quiet: Option<super::model::QuietHours>,
}

#[server(endpoint = "my_notice_prefs")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn my_notice_prefs() -> Result<PrefsView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let p = super::store::prefs(&mut conn, actor.user_id).await?;
    Ok(PrefsView {
        has_phone: p.has_phone,
        email: p.email,
        channels: p.channels,
        quiet: p
            .quiet_from
            .zip(p.quiet_to)
            .map(|(from, to)| super::model::QuietHours {
                from: from as u8,
                to: to as u8,
            }),
    })
}

/// Sets how the member is reached: the channels ticked (`channels[email:meeting]`), the
/// e-mail address (blank: none) and quiet hours (two hours 0 to 23, or none). A channel
/// needs its address: a phone on the account, or the e-mail address given.
#[server(endpoint = "set_notice_prefs")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn set_notice_prefs(
    channels: Option<std::collections::HashMap<String, String>>,
    email: String,
    quiet_from: String,
    quiet_to: String,
) -> Result<(), AppError> {
    use crate::auth::session;
    let ticked = channels.unwrap_or_default();
    let (channels, email, quiet) = super::model::parse_prefs(
        ticked.keys().map(String::as_str),
        &email,
        &quiet_from,
        &quiet_to,
    )
    .map_err(AppError::Invalid)?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::set_prefs(&mut tx, actor.user_id, quiet, email.as_deref(), &channels).await?;
    tx.commit().await?;
    Ok(())
}

/// An e-mail as the platform's admins see it: to whom, when, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailView {
    pub recipient: String,
    /// Asia/Shanghai minute it was queued.
    pub at: String,
    pub sent: bool,
    pub failed: bool,
    pub attempts: i32,
    pub error: String,
}

/// The latest e-mails, sent, waiting or given up. Platform admins.
#[server(endpoint = "mail_outbox")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn mail_outbox() -> Result<Vec<MailView>, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    if !actor.is_platform_admin() {
        return Err(AppError::Forbidden);
    }
    let rows = super::store::latest_mail(&mut conn, 100).await?;
    Ok(rows
        .into_iter()
        .map(|r| MailView {
            recipient: r.recipient,
            at: crate::time::local_minute(r.created_at),
            sent: r.sent_at.is_some(),
            failed: r.failed_at.is_some(),
            attempts: r.attempts,
            error: r.error,
        })
        .collect())
}
