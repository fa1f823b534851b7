//! Server functions for the 学习 tab: the study page, one item, and its heartbeats.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::ItemKind;
use crate::error::AppError;

/// An item in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemCard {
    pub id: i64,
    pub kind: ItemKind,
    pub title: String,
    pub minutes: u32,
    pub required: bool,
    pub due_on: Option<String>,
    pub tags: Vec<String>,
    pub credited_secs: u32,
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyHomeView {
    pub required: Vec<ItemCard>,
    pub continue_items: Vec<ItemCard>,
    pub recent: Vec<ItemCard>,
    /// This year's study, in seconds, and the target in hours.
    pub year_secs: i64,
    pub target_hours: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    pub id: i64,
    pub kind: ItemKind,
    pub title: String,
    /// Sanitised on the server when the item was saved.
    pub html: String,
    pub length_secs: u32,
    pub tags: Vec<String>,
    pub required: bool,
    pub due_on: Option<String>,
    pub credited_secs: u32,
    pub done: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BeatView {
    pub credited_secs: u32,
    pub done: bool,
    /// Points this beat earned (time minutes, completion).
    pub points: i32,
}

/// The 学习 page: required items first, then where the member left off, then the newest,
/// or the items matching `q`.
#[server(endpoint = "study_home")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn study_home(q: String) -> Result<StudyHomeView, AppError> {
    use super::store::{Listing, list, year_secs};
    use crate::auth::session;
    use chrono::Datelike;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let u = actor.user_id;
    let q: String = q.chars().take(40).collect();
    let searching = !q.trim().is_empty();
    let year = crate::points::model::day_of(chrono::Utc::now()).year();
    let serves_a_branch = actor.grants.iter().any(|g| {
        matches!(
            g.role,
            crate::auth::model::Role::Secretary | crate::auth::model::Role::CommitteeMember
        )
    });
    Ok(StudyHomeView {
        required: if searching {
            vec![]
        } else {
            list(&mut conn, u, Listing::Required, 20).await?
        },
        continue_items: if searching {
            vec![]
        } else {
            list(&mut conn, u, Listing::Continue, 5).await?
        },
        recent: list(&mut conn, u, Listing::Recent(&q), 30).await?,
        year_secs: year_secs(&mut conn, u, year).await?,
        target_hours: crate::points::model::study_hours_target(serves_a_branch),
    })
}

/// One item, if the member may study it (else 404, whether it is missing, unpublished or
/// outside the member's organizations).
#[server(endpoint = "study_item")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn study_item(id: i64) -> Result<ItemView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let item = super::store::visible_item(&mut conn, actor.user_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (credited, done) = super::store::progress(&mut conn, actor.user_id, id).await?;
    Ok(ItemView {
        id: item.id,
        kind: item.kind,
        title: item.title,
        html: item.body_html,
        length_secs: item.length_secs as u32,
        tags: item.tags,
        required: item.required,
        due_on: item.due_on.map(|d| d.to_string()),
        credited_secs: credited as u32,
        done,
    })
}

/// A heartbeat from an open, visible and focused item page. The server decides what it is
/// worth; the browser only says which item.
#[server(endpoint = "study_beat")]
pub async fn study_beat(id: i64) -> Result<BeatView, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let item = super::store::visible_item(&mut tx, actor.user_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let r = super::store::beat(&mut tx, actor.user_id, &item, chrono::Utc::now()).await?;
    tx.commit().await?;
    Ok(BeatView {
        credited_secs: r.credited_secs,
        done: r.done,
        points: r.points,
    })
}
