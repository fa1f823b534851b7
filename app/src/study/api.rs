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
    /// The cover image's address, if it has one.
    pub cover: Option<String>,
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
    use super::store::{Listing, list, year_secs};
    use crate::auth::session;
    use chrono::Datelike;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let u = actor.user_id;
    let q: String = q.chars().take(40).collect();
    let searching = !q.trim().is_empty();
    let year = crate::time::day_of(chrono::Utc::now()).year();
    let serves_a_branch = actor.grants.iter().any(|g| {
        matches!(
            g.role,
            crate::auth::model::Role::Secretary | crate::auth::model::Role::CommitteeMember
        )
    });
    let today = crate::time::day_of(chrono::Utc::now()).to_string();
    Ok(StudyHomeView {
        suggested: if searching {
            vec![]
        } else {
            list(&mut conn, u, Listing::Suggested(&today), 3).await?
        },
        columns: if searching {
            vec![]
        } else {
            super::store::visible_columns(&mut conn, u, None).await?
        },
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
    let lesson_questions = super::store::lesson_questions(&mut conn, id).await?.len() as u32;
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
        media_url: item.media_url,
        cover_url: item.cover_url,
        column: item.column,
        lesson_questions,
    })
}

/// A column and its items, if the member may see it.
#[server(endpoint = "study_column")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn study_column(id: i64) -> Result<ColumnView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let column = super::store::visible_columns(&mut conn, actor.user_id, Some(id))
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let items = super::store::list(
        &mut conn,
        actor.user_id,
        super::store::Listing::Column(id),
        100,
    )
    .await?;
    Ok(ColumnView { column, items })
}

/// A heartbeat from an open, visible and focused item page. The server decides what it is
/// worth; the browser only says which item, and with `start` that the clock starts now (the
/// page opened, the video started or resumed playing), so that time before it never counts.
#[server(endpoint = "study_beat")]
pub async fn study_beat(id: i64, #[server(default)] start: bool) -> Result<BeatView, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let item = super::store::visible_item(&mut tx, actor.user_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let r = super::store::beat(&mut tx, actor.user_id, &item, chrono::Utc::now(), start).await?;
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
    pub kind: ItemKind,
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
    let roots: Vec<String> = actor
        .grants
        .iter()
        .filter_map(|g| g.path.as_ref().map(ToString::to_string))
        .collect();
    let columns =
        super::store::editable_columns(&mut tx, actor.is_platform_admin(), &roots).await?;
    let Some(id) = id else {
        return Ok(EditorView {
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
            columns,
            lesson_questions: 0,
        });
    };
    let d = super::store::draft(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    session::require_scope(&mut tx, &actor, d.scope_org_id).await?;
    let lesson_questions = super::store::lesson_questions(&mut tx, d.id).await?.len() as u32;
    Ok(EditorView {
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
        length: if d.kind == ItemKind::Article {
            String::new()
        } else {
            super::model::format_length(d.length_secs as u32)
        },
        column_id: d.column_id,
        columns,
        lesson_questions,
    })
}

pub use save::*;

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

/// One argument per form field; the browser build's generated call trips the argument
/// count lint, which an attribute on the function does not reach.
#[allow(clippy::too_many_arguments, reason = "one form field each")]
mod save {
    use leptos::prelude::*;

    use crate::error::AppError;

    /// Saves an item (new when `id` is empty): an article in Markdown, rendered and sanitised
    /// on the server, or a video, audio or micro-lesson with its uploaded file and length and
    /// an optional description. A new item starts as a draft. For a micro-lesson,
    /// `quiz_count` questions (with `quiz_tag`, when given) are drawn from the bank anew.
    #[server(endpoint = "save_item")]
    #[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
    pub async fn save_item(
        id: String,
        kind: String,
        title: String,
        body: String,
        tags: String,
        scope: String,
        required: Option<String>,
        due_on: String,
        media: String,
        cover: String,
        length: String,
        column: String,
        quiz_tag: String,
        quiz_count: String,
    ) -> Result<i64, AppError> {
        use crate::auth::session;
        use crate::error::{Msg, field_ok};
        use crate::study::model::{
            ItemKind, estimated_reading_secs, media_purpose, parse_body, parse_description,
            parse_length, parse_lesson_questions, parse_tags, parse_title,
        };
        use crate::study::store;
        use crate::uploads::{model::Purpose, store::own_or_kept};
        let number = |field: &str, s: &str| match s.trim() {
            "" => Ok(None),
            s => s
                .parse::<i64>()
                .map(Some)
                .map_err(|_| AppError::BadRequest(field.into())),
        };
        let id = number("id", &id)?;
        let scope = number("scope", &scope)?;
        let column = number("column", &column)?;
        let kind = ItemKind::parse(&kind).ok_or_else(|| AppError::BadRequest("kind".into()))?;
        let mut tx = session::begin().await?;
        let actor = session::require_actor(&mut tx).await?;
        let existing = match id {
            Some(id) => {
                let d = store::draft(&mut tx, id).await?.ok_or(AppError::NotFound)?;
                session::require_scope(&mut tx, &actor, d.scope_org_id).await?;
                Some(d)
            }
            None => None,
        };
        session::require_scope(&mut tx, &actor, scope).await?;
        if let Some(c) = column {
            let column_scope = store::column_scope(&mut tx, c)
                .await?
                .ok_or_else(|| AppError::BadRequest("column".into()))?;
            session::require_scope(&mut tx, &actor, column_scope).await?;
        }

        let mut errors = Vec::new();
        let title = field_ok(&mut errors, "title", parse_title(&title));
        let body = field_ok(
            &mut errors,
            "body",
            if kind == ItemKind::Article {
                parse_body(&body)
            } else {
                parse_description(&body)
            },
        );
        let tags = field_ok(&mut errors, "tags", parse_tags(&tags));
        let due = field_ok(
            &mut errors,
            "due_on",
            crate::study::model::parse_due_on(&due_on),
        );
        // A file is the caller's own new upload, or the one the item already had.
        let kept_media = existing.as_ref().and_then(|d| d.media_upload);
        let kept_cover = existing.as_ref().and_then(|d| d.cover_upload);
        let media = match media_purpose(kind) {
            Some(purpose) => {
                let found = own_or_kept(
                    &mut tx,
                    actor.user_id,
                    ("media", &media),
                    purpose,
                    kept_media,
                )
                .await?;
                match (found, kind) {
                    (Some(u), _) => Some(Some(u)),
                    (None, ItemKind::MicroLesson) => Some(None),
                    (None, _) => field_ok(&mut errors, "media", Err(Msg::MediaMissing)),
                }
            }
            None => Some(None),
        };
        let cover = match cover.trim() {
            "" => None,
            c => {
                own_or_kept(
                    &mut tx,
                    actor.user_id,
                    ("cover", c),
                    Purpose::Image,
                    kept_cover,
                )
                .await?
            }
        };
        let length = match (kind, media) {
            (ItemKind::Article, _) | (ItemKind::MicroLesson, Some(None)) => Some(None),
            _ => field_ok(&mut errors, "length", parse_length(&length)).map(Some),
        };
        let quiz_count = if kind == ItemKind::MicroLesson {
            field_ok(
                &mut errors,
                "quiz_count",
                parse_lesson_questions(&quiz_count),
            )
        } else {
            Some(0)
        };
        AppError::check(errors)?;
        let (
            Some(title),
            Some(body),
            Some(tags),
            Some(due),
            Some(media),
            Some(length),
            Some(quiz_count),
        ) = (title, body, tags, due, media, length, quiz_count)
        else {
            return Err(AppError::internal("checked fields missing"));
        };
        let (html, text) = crate::study::markdown::render(&body);
        let length_secs = length.unwrap_or_else(|| estimated_reading_secs(&text));
        let item = store::NewItem {
            kind,
            title: &title,
            body_md: &body,
            body_html: &html,
            body_text: &text,
            length_secs: length_secs as i32,
            tags: &tags,
            scope_org_id: scope,
            required: required.is_some(),
            due_on: due,
            author_id: Some(actor.user_id),
            publish: false,
            media_upload: media,
            cover_upload: cover,
            column_id: column,
        };
        let id = match id {
            Some(id) => {
                store::update_item(&mut tx, id, &item).await?;
                id
            }
            None => store::insert_item(&mut tx, &item).await?,
        };
        if kind == ItemKind::MicroLesson
            || existing.is_some_and(|d| d.kind == ItemKind::MicroLesson)
        {
            store::set_lesson_questions(&mut tx, id, quiz_tag.trim(), quiz_count).await?;
        }
        tx.commit().await?;
        tracing::info!(item_id = id, by = actor.user_id, "study item saved");
        leptos_axum::redirect(&format!("/admin/content/{id}"));
        Ok(id)
    }

    /// Creates a column (专栏) for a scope the caller may publish to.
    #[server(endpoint = "create_column")]
    #[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
    pub async fn create_column(
        title: String,
        description: String,
        scope: String,
        required: Option<String>,
        due_on: String,
        cover: String,
    ) -> Result<i64, AppError> {
        use crate::auth::session;
        use crate::error::{Msg, field_ok};
        use crate::study::model::parse_title;
        use crate::uploads::{model::Purpose, store::own_or_kept};
        let scope = match scope.trim() {
            "" => None,
            s => Some(
                s.parse::<i64>()
                    .map_err(|_| AppError::BadRequest("scope".into()))?,
            ),
        };
        let mut tx = session::begin().await?;
        let actor = session::require_actor(&mut tx).await?;
        session::require_scope(&mut tx, &actor, scope).await?;
        let mut errors = Vec::new();
        let title = field_ok(&mut errors, "title", parse_title(&title));
        let description = description.trim().to_owned();
        if description.chars().count() > 500 {
            errors.push(crate::error::FieldError::new("description", Msg::TooLong));
        }
        let due = field_ok(
            &mut errors,
            "due_on",
            crate::study::model::parse_due_on(&due_on),
        );
        let cover = match cover.trim() {
            "" => None,
            c => own_or_kept(&mut tx, actor.user_id, ("cover", c), Purpose::Image, None).await?,
        };
        AppError::check(errors)?;
        let (Some(title), Some(due)) = (title, due) else {
            return Err(AppError::internal("checked fields missing"));
        };
        let id = crate::study::store::insert_column(
            &mut tx,
            &crate::study::store::NewColumn {
                title: &title,
                description: &description,
                cover_upload: cover,
                scope_org_id: scope,
                required: required.is_some(),
                due_on: due,
                by: actor.user_id,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}
