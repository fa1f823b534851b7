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

/// An item in the authors' list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentRow {
    pub id: i64,
    pub title: String,
    pub status: String,
    /// `None`: the whole platform.
    pub scope: Option<String>,
    pub required: bool,
    pub updated: String,
}

/// Where the caller may publish: the platform (platform admins) and the organizations they
/// serve (each with everything under it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScopeOption {
    pub org_id: Option<i64>,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditorView {
    pub id: Option<i64>,
    pub title: String,
    pub body: String,
    pub tags: String,
    pub scope_org_id: Option<i64>,
    pub required: bool,
    pub due_on: String,
    pub status: String,
    /// The saved version, rendered and sanitised: the preview.
    pub preview_html: String,
    pub scopes: Vec<ScopeOption>,
}

/// The items the caller may edit.
#[server(endpoint = "content_list")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn content_list() -> Result<Vec<ContentRow>, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    if !actor.manages_anything() {
        return Err(AppError::Forbidden);
    }
    let roots: Vec<String> = actor
        .grants
        .iter()
        .filter_map(|g| g.path.as_ref().map(ToString::to_string))
        .collect();
    let rows = super::store::authored(&mut conn, actor.is_platform_admin(), &roots).await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, status, scope, required, updated)| ContentRow {
            id,
            title,
            status,
            scope,
            required,
            updated,
        })
        .collect())
}

/// The editor: an existing item (`id`), or a blank one.
#[server(endpoint = "content_editor")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn content_editor(id: Option<i64>) -> Result<EditorView, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    if !actor.manages_anything() {
        return Err(AppError::Forbidden);
    }
    let scopes = super::store::publish_scopes(&mut tx, &actor).await?;
    let Some(id) = id else {
        return Ok(EditorView {
            id: None,
            title: String::new(),
            body: String::new(),
            tags: String::new(),
            scope_org_id: scopes.first().and_then(|s| s.org_id),
            required: false,
            due_on: String::new(),
            status: "draft".into(),
            preview_html: String::new(),
            scopes,
        });
    };
    let d = super::store::draft(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    session::require_scope(&mut tx, &actor, d.scope_org_id).await?;
    Ok(EditorView {
        id: Some(d.id),
        title: d.title,
        body: d.body_md,
        tags: d.tags.join(", "),
        scope_org_id: d.scope_org_id,
        required: d.required,
        due_on: d.due_on.map(|d| d.to_string()).unwrap_or_default(),
        status: d.status,
        preview_html: d.body_html,
        scopes,
    })
}

/// Saves an article (new when `id` is empty) as Markdown, rendered and sanitised on the
/// server. A new article starts as a draft.
#[server(endpoint = "save_article")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn save_article(
    id: String,
    title: String,
    body: String,
    tags: String,
    scope: String,
    required: Option<String>,
    due_on: String,
) -> Result<i64, AppError> {
    use super::model::{estimated_reading_secs, parse_body, parse_tags, parse_title};
    use crate::auth::session;
    use crate::error::{Msg, field_ok};
    let id = match id.trim() {
        "" => None,
        s => Some(
            s.parse::<i64>()
                .map_err(|_| AppError::BadRequest("id".into()))?,
        ),
    };
    let scope = match scope.trim() {
        "" => None,
        s => Some(
            s.parse::<i64>()
                .map_err(|_| AppError::BadRequest("scope".into()))?,
        ),
    };
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    if let Some(id) = id {
        let existing = super::store::draft(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        session::require_scope(&mut tx, &actor, existing.scope_org_id).await?;
    }
    session::require_scope(&mut tx, &actor, scope).await?;

    let mut errors = Vec::new();
    let title = field_ok(&mut errors, "title", parse_title(&title));
    let body = field_ok(&mut errors, "body", parse_body(&body));
    let tags = field_ok(&mut errors, "tags", parse_tags(&tags));
    let due = match due_on.trim() {
        "" => Some(None),
        s => field_ok(
            &mut errors,
            "due_on",
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| Msg::DateInvalid),
        ),
    };
    AppError::check(errors)?;
    let (Some(title), Some(body), Some(tags), Some(due)) = (title, body, tags, due) else {
        return Err(AppError::internal("checked fields missing"));
    };
    let (html, text) = super::markdown::render(&body);
    let article = super::store::NewArticle {
        title: &title,
        body_md: &body,
        body_html: &html,
        body_text: &text,
        length_secs: estimated_reading_secs(&text) as i32,
        tags: &tags,
        scope_org_id: scope,
        required: required.is_some(),
        due_on: due,
        author_id: Some(actor.user_id),
        publish: false,
    };
    let id = match id {
        Some(id) => {
            super::store::update_article(&mut tx, id, &article).await?;
            id
        }
        None => super::store::insert_article(&mut tx, &article).await?,
    };
    tx.commit().await?;
    tracing::info!(item_id = id, by = actor.user_id, "article saved");
    leptos_axum::redirect(&format!("/admin/content/{id}"));
    Ok(id)
}

/// Publishes or unpublishes an item.
#[server(endpoint = "set_item_status")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn set_item_status(id: i64, publish: bool) -> Result<(), AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let d = super::store::draft(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    session::require_scope(&mut tx, &actor, d.scope_org_id).await?;
    super::store::set_status(&mut tx, id, publish).await?;
    tx.commit().await?;
    Ok(())
}

/// One required item and a branch's completion of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequiredProgress {
    pub item_id: i64,
    pub title: String,
    pub due_on: Option<String>,
    pub done: u32,
    pub total: u32,
    /// Members who have not completed it yet.
    pub missing: Vec<String>,
}

/// The required items of a branch and who has not completed them: for its secretary,
/// committee and administrators.
#[server(endpoint = "branch_required_progress")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn branch_required_progress(id: i64) -> Result<Vec<RequiredProgress>, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let org = crate::orgs::store::org(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !actor.can_manage(&org.path) {
        return Err(AppError::Forbidden);
    }
    let rows = super::store::required_progress(&mut conn, &org.path).await?;
    Ok(rows
        .into_iter()
        .map(
            |(item_id, title, due_on, total, missing)| RequiredProgress {
                item_id,
                title,
                due_on,
                done: (total as u32).saturating_sub(missing.len() as u32),
                total: total as u32,
                missing,
            },
        )
        .collect())
}
