//! Study use cases, each in the caller's transaction or connection: the study page, an item,
//! a column and heartbeats for members; for authors, where they may publish, the editor,
//! saving and publishing items, new columns, and a branch's required items. The one place in
//! study that sequences store calls or calls on sessions, organizations and uploads; the
//! server functions around it only say who asks and build the views.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::{ColumnForm, ItemForm, ItemKind, ItemRefs, editable_roots, media_purpose};
use super::store::{self, BeatResult, ColumnCardRow, Draft, Item, ItemCardRow, Listing};
use crate::auth::model::Actor;
use crate::auth::session;
use crate::error::AppError;
use crate::ids::{ItemId, OrgId};
use crate::uploads::{model::Purpose, store::own_or_kept};

/// Where content may go: the platform (`org_id` is `None`, and no name), or an organization
/// with everything under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishScope {
    pub org_id: Option<OrgId>,
    pub name: String,
}

/// Where `actor` may publish: the platform (platform admins) and each organization where
/// they hold a role, once.
pub async fn publish_scopes(
    conn: &mut PgConnection,
    actor: &Actor,
) -> Result<Vec<PublishScope>, AppError> {
    let mut scopes = Vec::new();
    if actor.is_platform_admin() {
        scopes.push(PublishScope {
            org_id: None,
            name: String::new(),
        });
    }
    for g in &actor.grants {
        if let Some(path) = &g.path {
            let org = crate::orgs::store::org(conn, path.id())
                .await?
                .ok_or(AppError::NotFound)?;
            if !scopes.iter().any(|s| s.org_id == Some(org.id)) {
                scopes.push(PublishScope {
                    org_id: Some(org.id),
                    name: org.name,
                });
            }
        }
    }
    Ok(scopes)
}

/// The study page's lists, and the member's study this year.
#[derive(Debug, Default)]
pub struct Home {
    pub suggested: Vec<ItemCardRow>,
    pub columns: Vec<ColumnCardRow>,
    pub required: Vec<ItemCardRow>,
    pub continue_items: Vec<ItemCardRow>,
    pub recent: Vec<ItemCardRow>,
    pub year_secs: i64,
}

/// The study page on `today`: today's suggestions, columns, required items, where the member
/// left off and the newest items; while searching (`q`), only the items that match.
pub async fn home(
    conn: &mut PgConnection,
    actor: &Actor,
    q: &str,
    today: NaiveDate,
) -> Result<Home, AppError> {
    use chrono::Datelike;
    let u = actor.user_id;
    let mut home = Home::default();
    if q.trim().is_empty() {
        let lists = store::home_lists(conn, u, &today.to_string(), (3, 20, 5, 30)).await?;
        home.suggested = lists.suggested;
        home.required = lists.required;
        home.continue_items = lists.continue_items;
        home.recent = lists.recent;
        home.columns = store::visible_columns(conn, u, None).await?;
    } else {
        home.recent = store::list(conn, u, Listing::Recent(q), 30).await?;
    }
    home.year_secs = store::year_secs(conn, u, today.year()).await?;
    Ok(home)
}

/// An item with the member's progress through it.
pub struct ItemPage {
    pub item: Item,
    pub credited_secs: i32,
    pub done: bool,
    /// Questions after a micro-lesson.
    pub lesson_questions: usize,
}

/// One item, if the member may study it (else `NotFound`, whether it is missing,
/// unpublished or outside the member's organizations).
pub async fn item(
    conn: &mut PgConnection,
    actor: &Actor,
    id: ItemId,
) -> Result<ItemPage, AppError> {
    let item = store::visible_item(conn, actor.user_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (credited_secs, done) = store::progress(conn, actor.user_id, id).await?;
    let lesson_questions = store::lesson_questions(conn, id).await?.len();
    Ok(ItemPage {
        item,
        credited_secs,
        done,
        lesson_questions,
    })
}

/// A column the member sees, and its items.
pub async fn column(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
) -> Result<(ColumnCardRow, Vec<ItemCardRow>), AppError> {
    let column = store::visible_columns(conn, actor.user_id, Some(id))
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let items = store::list(conn, actor.user_id, Listing::Column(id), 100).await?;
    Ok((column, items))
}

/// A heartbeat for an item the member may study, credited as the server sees fit.
pub async fn beat(
    conn: &mut PgConnection,
    actor: &Actor,
    id: ItemId,
    now: DateTime<Utc>,
    start: bool,
) -> Result<BeatResult, AppError> {
    let item = store::visible_item(conn, actor.user_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    store::beat(conn, actor.user_id, &item, now, start).await
}

/// What the editor offers, and the item being edited with its count of lesson questions.
pub struct Editor {
    pub scopes: Vec<PublishScope>,
    pub columns: Vec<(i64, String)>,
    pub draft: Option<(Draft, usize)>,
}

/// The editor, for anyone who serves an organization: an item they may change (`id`), or a
/// blank one; where they may publish and the columns they may file items in.
pub async fn editor(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Option<ItemId>,
) -> Result<Editor, AppError> {
    if !actor.manages_anything() {
        return Err(AppError::Forbidden);
    }
    let scopes = publish_scopes(conn, actor).await?;
    let roots = editable_roots(actor);
    let columns = store::editable_columns(conn, actor.is_platform_admin(), &roots).await?;
    let draft = match id {
        Some(id) => {
            let d = editable_draft(conn, actor, id).await?;
            let questions = store::lesson_questions(conn, d.id).await?.len();
            Some((d, questions))
        }
        None => None,
    };
    Ok(Editor {
        scopes,
        columns,
        draft,
    })
}

/// An item the actor may change: `NotFound` when there is none, `Forbidden` when its scope
/// is not theirs. The row stays locked until the transaction ends.
async fn editable_draft(
    conn: &mut PgConnection,
    actor: &Actor,
    id: ItemId,
) -> Result<Draft, AppError> {
    let d = store::draft(conn, id).await?.ok_or(AppError::NotFound)?;
    session::require_scope(conn, actor, d.scope_org_id).await?;
    Ok(d)
}

/// Publishes or unpublishes an item the actor may change.
pub async fn set_status(
    conn: &mut PgConnection,
    actor: &Actor,
    id: ItemId,
    publish: bool,
) -> Result<(), AppError> {
    editable_draft(conn, actor, id).await?;
    store::set_status(conn, id, publish).await
}

/// Saves an item (new when `refs.id` is `None`) as a draft, in the item's, the new scope's
/// and the column's scope alike; its Markdown rendered and sanitised here. A micro-lesson's
/// questions are drawn anew; an item that stops being one loses them.
pub async fn save_item(
    conn: &mut PgConnection,
    actor: &Actor,
    refs: ItemRefs,
    form: &ItemForm,
) -> Result<ItemId, AppError> {
    let existing = match refs.id {
        Some(id) => Some(editable_draft(conn, actor, id).await?),
        None => None,
    };
    session::require_scope(conn, actor, refs.scope).await?;
    if let Some(c) = refs.column {
        let column_scope = store::column_scope(conn, c)
            .await?
            .ok_or_else(|| AppError::BadRequest("column".into()))?;
        session::require_scope(conn, actor, column_scope).await?;
    }
    let (media, cover) = item_files(conn, actor, refs.kind, form, existing.as_ref()).await?;
    let checked = form
        .check(refs.kind, media.is_some())
        .map_err(AppError::Invalid)?;
    let (html, text) = super::markdown::render(&checked.body);
    let length_secs = checked
        .length_secs
        .unwrap_or_else(|| super::model::estimated_reading_secs(&text));
    let item = store::NewItem {
        kind: refs.kind,
        title: &checked.title,
        body_md: &checked.body,
        body_html: &html,
        body_text: &text,
        length_secs: length_secs as i32,
        tags: &checked.tags,
        scope_org_id: refs.scope,
        required: checked.required,
        due_on: checked.due_on,
        author_id: Some(actor.user_id),
        publish: false,
        media_upload: media,
        cover_upload: cover,
        column_id: refs.column,
    };
    let id = match refs.id {
        Some(id) => {
            store::update_item(conn, id, &item).await?;
            id
        }
        None => store::insert_item(conn, &item).await?,
    };
    if refs.kind == ItemKind::MicroLesson
        || existing.is_some_and(|d| d.kind == ItemKind::MicroLesson)
    {
        let tag = form.quiz_tag.trim();
        store::set_lesson_questions(conn, id, tag, checked.quiz_count).await?;
    }
    Ok(id)
}

/// An item's media file (for kinds that play one) and cover: each the caller's own new
/// upload, or the one the item already had.
async fn item_files(
    conn: &mut PgConnection,
    actor: &Actor,
    kind: ItemKind,
    form: &ItemForm,
    existing: Option<&Draft>,
) -> Result<(Option<Uuid>, Option<Uuid>), AppError> {
    let media = match media_purpose(kind) {
        Some(purpose) => {
            let kept = existing.and_then(|d| d.media_upload);
            own_or_kept(conn, actor.user_id, ("media", &form.media), purpose, kept).await?
        }
        None => None,
    };
    let kept = existing.and_then(|d| d.cover_upload);
    let cover = own_or_kept(
        conn,
        actor.user_id,
        ("cover", &form.cover),
        Purpose::Image,
        kept,
    )
    .await?;
    Ok((media, cover))
}

/// Creates a column (专栏) for `scope`, which the actor may publish to.
pub async fn create_column(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: Option<OrgId>,
    form: &ColumnForm,
) -> Result<i64, AppError> {
    session::require_scope(conn, actor, scope).await?;
    let cover = own_or_kept(
        conn,
        actor.user_id,
        ("cover", &form.cover),
        Purpose::Image,
        None,
    )
    .await?;
    let c = form.check().map_err(AppError::Invalid)?;
    store::insert_column(
        conn,
        &store::NewColumn {
            title: &c.title,
            description: &c.description,
            cover_upload: cover,
            scope_org_id: scope,
            required: c.required,
            due_on: c.due_on,
            by: actor.user_id,
        },
    )
    .await
}

/// A branch's required items and who has not completed them, for its secretary, committee
/// and administrators.
pub async fn required_progress(
    conn: &mut PgConnection,
    actor: &Actor,
    org_id: OrgId,
) -> Result<Vec<(ItemId, String, Option<String>, i64, Vec<String>)>, AppError> {
    let org = crate::orgs::store::org(conn, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !actor.can_manage(&org.path) {
        return Err(AppError::Forbidden);
    }
    store::required_progress(conn, &org.path).await
}
