//! Server functions for the 学习 tab (the study page, one item, a column, heartbeats) and for
//! its authors (the editor, saving and publishing items, new columns, a branch's required
//! items).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{ColumnForm, ItemForm, ItemKind};
use crate::error::AppError;
use crate::ids::{ItemId, OrgId};

/// An item in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemCard {
    pub id: ItemId,
    pub kind: ItemKind,
    pub title: String,
    pub minutes: u32,
    pub required: bool,
    pub due_on: Option<String>,
    pub tags: Vec<String>,
    pub credited_secs: u32,
    pub done: bool,
    /// The cover image's address, if it has one.
    pub cover: Option<String>,
}

#[cfg(feature = "ssr")]
impl From<super::store::ItemCardRow> for ItemCard {
    fn from(r: super::store::ItemCardRow) -> Self {
        Self {
            id: r.id,
            kind: r.kind,
            title: r.title,
            minutes: (r.length_secs as u32).div_ceil(60),
            required: r.required,
            due_on: r.due_on,
            tags: r.tags,
            credited_secs: r.credited_secs as u32,
            done: r.done,
            cover: r.cover_url,
        }
    }
}

/// A column (专栏) in the member's list, with their progress through it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnCard {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub required: bool,
    pub cover: Option<String>,
    pub items: u32,
    pub done: u32,
}

#[cfg(feature = "ssr")]
impl From<super::store::ColumnCardRow> for ColumnCard {
    fn from(r: super::store::ColumnCardRow) -> Self {
        Self {
            id: r.id,
            title: r.title,
            description: r.description,
            required: r.required,
            cover: r.cover_url,
            items: r.items as u32,
            done: r.done as u32,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnView {
    pub column: ColumnCard,
    pub items: Vec<ItemCard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyHomeView {
    /// Today's suggestions (今日推荐): a few items not opened yet.
    pub suggested: Vec<ItemCard>,
    pub columns: Vec<ColumnCard>,
    pub required: Vec<ItemCard>,
    pub continue_items: Vec<ItemCard>,
    pub recent: Vec<ItemCard>,
    /// This year's study, in seconds, and the target in hours.
    pub year_secs: i64,
    pub target_hours: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    pub id: ItemId,
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
    /// The video or audio to play.
    pub media_url: Option<String>,
    pub cover_url: Option<String>,
    pub column: Option<(i64, String)>,
    /// Questions after a micro-lesson.
    pub lesson_questions: u32,
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
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let q: String = q.chars().take(40).collect();
    let today = crate::time::day_of(chrono::Utc::now());
    let home = super::flow::home(&mut conn, &actor, &q, today).await?;
    Ok(StudyHomeView {
        suggested: cards(home.suggested),
        columns: home.columns.into_iter().map(ColumnCard::from).collect(),
        required: cards(home.required),
        continue_items: cards(home.continue_items),
        recent: cards(home.recent),
        year_secs: home.year_secs,
        target_hours: super::model::hours_target(&actor),
    })
}

/// Rows of a list, as cards.
#[cfg(feature = "ssr")]
fn cards(rows: Vec<super::store::ItemCardRow>) -> Vec<ItemCard> {
    rows.into_iter().map(ItemCard::from).collect()
}

/// One item, if the member may study it (else 404, whether it is missing, unpublished or
/// outside the member's organizations).
#[server(endpoint = "study_item")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn study_item(id: ItemId) -> Result<ItemView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let page = super::flow::item(&mut conn, &actor, id).await?;
    let item = page.item;
    Ok(ItemView {
        id: item.id,
        kind: item.kind,
        title: item.title,
        html: item.body_html,
        length_secs: item.length_secs as u32,
        tags: item.tags,
        required: item.required,
        due_on: item.due_on.map(|d| d.to_string()),
        credited_secs: page.credited_secs as u32,
        done: page.done,
        media_url: item.media_url,
        cover_url: item.cover_url,
        column: item.column,
        lesson_questions: page.lesson_questions as u32,
    })
}

/// A column and its items, if the member may see it.
#[server(endpoint = "study_column")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn study_column(id: i64) -> Result<ColumnView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let (column, items) = super::flow::column(&mut conn, &actor, id).await?;
    Ok(ColumnView {
        column: ColumnCard::from(column),
        items: cards(items),
    })
}

/// A heartbeat from an open, visible and focused item page. The server decides what it is
/// worth; the browser only says which item, and with `start` that the clock starts now (the
/// page opened, the video started or resumed playing), so that time before it never counts.
#[server(endpoint = "study_beat")]
pub async fn study_beat(id: ItemId, #[server(default)] start: bool) -> Result<BeatView, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let now = chrono::Utc::now();
    let r = super::flow::beat(&mut tx, &actor, id, now, start).await?;
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
    pub id: ItemId,
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
    pub org_id: Option<OrgId>,
    pub name: String,
}

#[cfg(feature = "ssr")]
impl From<super::flow::PublishScope> for ScopeOption {
    fn from(s: super::flow::PublishScope) -> Self {
        Self {
            org_id: s.org_id,
            name: s.name,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditorView {
    pub id: Option<ItemId>,
    pub kind: ItemKind,
    pub title: String,
    pub body: String,
    pub tags: String,
    pub scope_org_id: Option<OrgId>,
    pub required: bool,
    pub due_on: String,
    pub status: String,
    /// The saved version, rendered and sanitised: the preview.
    pub preview_html: String,
    pub scopes: Vec<ScopeOption>,
    /// Upload ids and addresses of the media file and the cover (empty: none).
    pub media: String,
    pub media_url: Option<String>,
    pub cover: String,
    pub cover_url: Option<String>,
    /// "12:30"; empty for articles (their length is estimated from the text).
    pub length: String,
    pub column_id: Option<i64>,
    pub columns: Vec<(i64, String)>,
    pub lesson_questions: u32,
}

#[cfg(feature = "ssr")]
impl From<super::flow::Editor> for EditorView {
    /// The item being edited, or a blank article for the first scope offered.
    fn from(e: super::flow::Editor) -> Self {
        let scopes: Vec<ScopeOption> = e.scopes.into_iter().map(ScopeOption::from).collect();
        let Some((d, lesson_questions)) = e.draft else {
            return Self {
                id: None,
                kind: ItemKind::Article,
                title: String::new(),
                body: String::new(),
                tags: String::new(),
                scope_org_id: scopes.first().and_then(|s| s.org_id),
                required: false,
                due_on: String::new(),
                status: "draft".into(),
                preview_html: String::new(),
                scopes,
                media: String::new(),
                media_url: None,
                cover: String::new(),
                cover_url: None,
                length: String::new(),
                column_id: None,
                columns: e.columns,
                lesson_questions: 0,
            };
        };
        Self {
            id: Some(d.id),
            kind: d.kind,
            title: d.title,
            body: d.body_md,
            tags: d.tags.join(", "),
            scope_org_id: d.scope_org_id,
            required: d.required,
            due_on: d.due_on.map(|d| d.to_string()).unwrap_or_default(),
            status: d.status,
            preview_html: d.body_html,
            scopes,
            media: d.media_upload.map(|u| u.to_string()).unwrap_or_default(),
            media_url: d.media_url,
            cover: d.cover_upload.map(|u| u.to_string()).unwrap_or_default(),
            cover_url: d.cover_url,
            length: super::model::length_field(d.kind, d.length_secs as u32),
            column_id: d.column_id,
            columns: e.columns,
            lesson_questions: lesson_questions as u32,
        }
    }
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
    let roots = super::model::editable_roots(&actor);
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
pub async fn content_editor(id: Option<ItemId>) -> Result<EditorView, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let editor = super::flow::editor(&mut tx, &actor, id).await?;
    // Nothing was written: dropping the transaction releases the item's row lock.
    Ok(EditorView::from(editor))
}

/// Publishes or unpublishes an item.
#[server(endpoint = "set_item_status")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn set_item_status(id: ItemId, publish: bool) -> Result<(), AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::set_status(&mut tx, &actor, id, publish).await?;
    tx.commit().await?;
    Ok(())
}

/// One required item and a branch's completion of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequiredProgress {
    pub item_id: ItemId,
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
pub async fn branch_required_progress(id: OrgId) -> Result<Vec<RequiredProgress>, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let rows = super::flow::required_progress(&mut conn, &actor, id).await?;
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

/// Saves an item (new when `id` is empty): an article in Markdown, rendered and sanitised on
/// the server, or a video, audio or micro-lesson with its uploaded file and length and an
/// optional description. A new item starts as a draft. For a micro-lesson, `quiz_count`
/// questions (with `quiz_tag`, when given) are drawn from the bank anew.
#[server(endpoint = "save_item")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn save_item(#[server(flatten)] form: ItemForm) -> Result<ItemId, AppError> {
    use crate::auth::session;
    let refs = form
        .refs()
        .map_err(|field| AppError::BadRequest(field.into()))?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let id = super::flow::save_item(&mut tx, &actor, refs, &form).await?;
    tx.commit().await?;
    tracing::info!(item_id = id.0, by = actor.user_id.0, "study item saved");
    leptos_axum::redirect(&format!("/admin/content/{id}"));
    Ok(id)
}

/// Creates a column (专栏) for a scope the caller may publish to.
#[server(endpoint = "create_column")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_column(#[server(flatten)] form: ColumnForm) -> Result<i64, AppError> {
    use crate::auth::session;
    let scope = super::model::parse_optional_id(&form.scope)
        .map_err(|_| AppError::BadRequest("scope".into()))?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let id = super::flow::create_column(&mut tx, &actor, scope, &form).await?;
    tx.commit().await?;
    Ok(id)
}
