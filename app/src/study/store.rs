//! SQL for study content, what a member may see of it, and effective study time.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Row, postgres::PgRow};

use super::model::{Beat, Clock, ItemKind, credit, is_done, minutes_crossed};
use crate::error::AppError;
use crate::ids::{ItemId, OrgId, UserId};
use crate::points::model::RuleCode;
use crate::points::store::{NewAward, Outcome, award};
use crate::time::day_of;

/// An item as the study pages need it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: ItemId,
    pub kind: ItemKind,
    pub title: String,
    pub body_html: String,
    pub length_secs: i32,
    pub tags: Vec<String>,
    pub required: bool,
    pub due_on: Option<chrono::NaiveDate>,
    pub media_url: Option<String>,
    pub cover_url: Option<String>,
    pub column: Option<(i64, String)>,
}

/// `/media/...` of an upload joined as `alias` (its id and extension), or NULL.
fn media_sql(alias: &str) -> String {
    format!(
        "CASE WHEN {alias}.id IS NOT NULL THEN '/media/' || replace({alias}.id::text, '-', '') || '.' || {alias}.ext END"
    )
}

/// Published and in the member's scope: for the platform, or for an organization above
/// (or at) one of the member's current branches.
const VISIBLE: &str = "i.status = 'published' AND (
        i.scope_org_id IS NULL OR EXISTS (
            SELECT 1 FROM memberships m
            JOIN orgs b ON b.id = m.org_id
            JOIN orgs s ON s.id = i.scope_org_id
            WHERE m.user_id = $1 AND m.ended_at IS NULL AND b.path <@ s.path))";

fn item_from_row(r: &PgRow) -> Result<Item, AppError> {
    Ok(Item {
        id: r.get("id"),
        kind: r.try_get("kind")?,
        title: r.get("title"),
        body_html: r.get("body_html"),
        length_secs: r.get("length_secs"),
        tags: r.get("tags"),
        required: r.get("required"),
        due_on: r.get("due_on"),
        media_url: r.get("media_url"),
        cover_url: r.get("cover_url"),
        column: r.get::<Option<i64>, _>("column_id").map(|id| {
            (
                id,
                r.get::<Option<String>, _>("column_title")
                    .unwrap_or_default(),
            )
        }),
    })
}

/// The item, if the member may study it. Out of scope and unpublished look the same as
/// missing, so that nothing reveals what another organization publishes.
pub async fn visible_item(
    conn: &mut PgConnection,
    user_id: UserId,
    item_id: ItemId,
) -> Result<Option<Item>, AppError> {
    let row = sqlx::query(&format!(
        "SELECT i.id, i.kind, i.title, i.body_html, i.length_secs, i.tags,
                i.required OR COALESCE(c.required, false) AS required, COALESCE(i.due_on, c.due_on) AS due_on,
                {media} AS media_url, {cover} AS cover_url, c.id AS column_id, c.title AS column_title
         FROM study_items i
         LEFT JOIN uploads mu ON mu.id = i.media_upload
         LEFT JOIN uploads cu ON cu.id = i.cover_upload
         LEFT JOIN study_columns c ON c.id = i.column_id
         WHERE i.id = $2 AND {VISIBLE}",
        media = media_sql("mu"),
        cover = media_sql("cu"),
    ))
    .bind(user_id)
    .bind(item_id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(item_from_row).transpose()
}

/// What has been credited to the member for an item, and whether it is done.
pub async fn progress(
    conn: &mut PgConnection,
    user_id: UserId,
    item_id: ItemId,
) -> Result<(i32, bool), AppError> {
    let row = sqlx::query("SELECT credited_secs, completed_at IS NOT NULL AS done FROM study_progress WHERE user_id = $1 AND item_id = $2")
        .bind(user_id)
        .bind(item_id)
        .fetch_optional(conn)
        .await?;
    Ok(row
        .map(|r| (r.get("credited_secs"), r.get("done")))
        .unwrap_or((0, false)))
}

/// A list of items beside the study page's own ([`home_lists`]).
pub enum Listing<'a> {
    /// Newest first, optionally matching a search in titles and text.
    Recent(&'a str),
    /// The items of one column, in the order they were published.
    Column(i64),
}

/// An item in a list, with the member's progress through it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ItemCardRow {
    pub id: ItemId,
    pub kind: ItemKind,
    pub title: String,
    pub length_secs: i32,
    /// Required by itself or by its column.
    pub required: bool,
    /// `YYYY-MM-DD`, its own or its column's.
    pub due_on: Option<String>,
    pub tags: Vec<String>,
    pub credited_secs: i32,
    pub done: bool,
    pub cover_url: Option<String>,
}

/// The columns of an [`ItemCardRow`], from [`CARD_FROM`].
fn card_columns() -> String {
    format!(
        "i.id, i.kind, i.title, i.length_secs, i.required OR COALESCE(c.required, false) AS required, i.tags,
         to_char(COALESCE(i.due_on, c.due_on), 'YYYY-MM-DD') AS due_on, {cover} AS cover_url,
         COALESCE(p.credited_secs, 0) AS credited_secs, p.completed_at IS NOT NULL AS done",
        cover = media_sql("cu"),
    )
}

/// Items with their column, cover and the progress of member `$1`.
const CARD_FROM: &str = "FROM study_items i
         LEFT JOIN study_columns c ON c.id = i.column_id
         LEFT JOIN uploads cu ON cu.id = i.cover_upload
         LEFT JOIN study_progress p ON p.item_id = i.id AND p.user_id = $1";

pub async fn list(
    conn: &mut PgConnection,
    user_id: UserId,
    listing: Listing<'_>,
    limit: i64,
) -> Result<Vec<ItemCardRow>, AppError> {
    let (filter, order, search) = match listing {
        Listing::Recent(q) if !q.trim().is_empty() => (
            "(i.title ILIKE $3 OR i.body_text ILIKE $3 OR $4 = ANY (i.tags))",
            "i.published_at DESC",
            Some(q.trim().to_owned()),
        ),
        Listing::Recent(_) => ("true", "i.published_at DESC", None),
        Listing::Column(_) => ("i.column_id = $3", "i.published_at, i.id", None),
    };
    let sql = format!(
        "SELECT {columns} {CARD_FROM} WHERE {VISIBLE} AND {filter} ORDER BY {order} LIMIT $2",
        columns = card_columns(),
    );
    let mut query = sqlx::query_as::<_, ItemCardRow>(&sql)
        .bind(user_id)
        .bind(limit);
    if let Some(q) = &search {
        let escaped = q
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        query = query.bind(format!("%{escaped}%")).bind(q.clone());
    }
    if let Listing::Column(id) = listing {
        query = query.bind(id);
    }
    Ok(query.fetch_all(conn).await?)
}

/// The lists of the study page outside a search.
#[derive(Debug, Default)]
pub struct HomeLists {
    pub suggested: Vec<ItemCardRow>,
    pub required: Vec<ItemCardRow>,
    pub continue_items: Vec<ItemCardRow>,
    pub recent: Vec<ItemCardRow>,
}

/// A card of one of the [`HomeLists`] (0 to 3, in their order).
#[derive(sqlx::FromRow)]
struct HomeCardRow {
    list: i32,
    #[sqlx(flatten)]
    card: ItemCardRow,
}

/// The lists of the study page outside a search, in one statement, each as [`list`] gives
/// it: today's suggestions (`day`'s order, `limits.0` of them), the required items, where
/// the member left off, and the newest.
pub async fn home_lists(
    conn: &mut PgConnection,
    user_id: UserId,
    day: &str,
    (suggested, required, continuing, recent): (i64, i64, i64, i64),
) -> Result<HomeLists, AppError> {
    // The visible items with the member's progress are found once; each list takes its
    // rows from them in its own order, numbered so that the order survives the union.
    let sql = format!(
        "WITH v AS MATERIALIZED (
             SELECT {columns}, p.user_id IS NULL AS unopened,
                    p.credited_secs > 0 AND p.completed_at IS NULL AS started,
                    p.last_at, i.due_on AS own_due, i.published_at,
                    md5(i.id::text || $2 || $1::text) AS shuffle
             {CARD_FROM}
             WHERE {VISIBLE})
         SELECT * FROM (
             (SELECT 0 AS list, row_number() OVER (ORDER BY shuffle) AS pos, v.* FROM v
              WHERE unopened ORDER BY shuffle LIMIT $3)
             UNION ALL
             (SELECT 1, row_number() OVER (ORDER BY done, own_due NULLS LAST, published_at DESC), v.*
              FROM v WHERE required ORDER BY done, own_due NULLS LAST, published_at DESC LIMIT $4)
             UNION ALL
             (SELECT 2, row_number() OVER (ORDER BY last_at DESC), v.* FROM v
              WHERE started ORDER BY last_at DESC LIMIT $5)
             UNION ALL
             (SELECT 3, row_number() OVER (ORDER BY published_at DESC), v.* FROM v
              ORDER BY published_at DESC LIMIT $6)
         ) l ORDER BY list, pos",
        columns = card_columns(),
    );
    let rows = sqlx::query_as::<_, HomeCardRow>(&sql)
        .bind(user_id)
        .bind(day)
        .bind(suggested)
        .bind(required)
        .bind(continuing)
        .bind(recent)
        .fetch_all(conn)
        .await?;
    let mut lists = HomeLists::default();
    for row in rows {
        match row.list {
            0 => lists.suggested.push(row.card),
            1 => lists.required.push(row.card),
            2 => lists.continue_items.push(row.card),
            _ => lists.recent.push(row.card),
        }
    }
    Ok(lists)
}

/// What one heartbeat did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BeatResult {
    pub beat: Beat,
    pub credited_secs: u32,
    pub done: bool,
    pub points: i32,
}

/// Takes a heartbeat for an item the caller has checked the member may study. Locks the
/// member's clock, so that beats are credited one at a time; credits the time the model
/// allows; awards the per-minute time points and, once, the read/watched point.
pub async fn beat(
    conn: &mut PgConnection,
    user_id: UserId,
    item: &Item,
    now: DateTime<Utc>,
    restart: bool,
) -> Result<BeatResult, AppError> {
    let started: Option<i64> = sqlx::query_scalar(
        "INSERT INTO study_clocks (user_id, item_id, beat_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO NOTHING RETURNING user_id",
    )
    .bind(user_id)
    .bind(item.id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let clock = if started.is_some() {
        None
    } else if restart {
        // Lock the clock row all the same: concurrent beats queue behind this one.
        sqlx::query("SELECT 1 FROM study_clocks WHERE user_id = $1 FOR UPDATE")
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
        None
    } else {
        let r =
            sqlx::query("SELECT item_id, beat_at FROM study_clocks WHERE user_id = $1 FOR UPDATE")
                .bind(user_id)
                .fetch_one(&mut *conn)
                .await?;
        Some(Clock {
            item_id: r.get("item_id"),
            at: epoch(r.get("beat_at")),
        })
    };
    sqlx::query(
        "INSERT INTO study_progress (user_id, item_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(item.id)
    .execute(&mut *conn)
    .await?;
    let row = sqlx::query(
        "SELECT credited_secs, completed_at IS NOT NULL AS done FROM study_progress
         WHERE user_id = $1 AND item_id = $2 FOR UPDATE",
    )
    .bind(user_id)
    .bind(item.id)
    .fetch_one(&mut *conn)
    .await?;
    let before = row.get::<i32, _>("credited_secs") as u32;
    let was_done: bool = row.get("done");
    let length = item.length_secs as u32;
    let outcome = credit(clock, item.id, epoch(now), length, before);
    let mut result = BeatResult {
        beat: outcome,
        credited_secs: before,
        done: was_done,
        points: 0,
    };
    let secs = match outcome {
        Beat::TooFast => return Ok(result),
        Beat::Started => 0,
        Beat::Credited(s) => s,
    };
    sqlx::query("UPDATE study_clocks SET item_id = $2, beat_at = $3 WHERE user_id = $1")
        .bind(user_id)
        .bind(item.id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    if secs == 0 {
        return Ok(result);
    }
    let after = before + secs;
    let done = was_done || is_done(item.kind, after, length);
    sqlx::query(
        "UPDATE study_progress SET credited_secs = $3, last_at = $4,
                completed_at = CASE WHEN $5 THEN COALESCE(completed_at, $4) END
         WHERE user_id = $1 AND item_id = $2",
    )
    .bind(user_id)
    .bind(item.id)
    .bind(after as i32)
    .bind(now)
    .bind(done)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO study_time (user_id, day, secs) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, day) DO UPDATE SET secs = study_time.secs + EXCLUDED.secs",
    )
    .bind(user_id)
    .bind(day_of(now))
    .bind(secs as i32)
    .execute(&mut *conn)
    .await?;
    result.credited_secs = after;
    result.done = done;

    let (time_rule, done_rule) = if item.kind.is_media() {
        (RuleCode::VideoTime, RuleCode::VideoWatch)
    } else {
        (RuleCode::ReadingTime, RuleCode::ArticleRead)
    };
    let item_id = item.id.to_string();
    let mut give = async |rule: RuleCode, key: String| -> Result<i32, AppError> {
        let a = NewAward {
            user_id,
            rule,
            units: 1,
            source_kind: crate::points::model::PointSource::StudyItem,
            source_id: &item_id,
            idempotency_key: &key,
            at: now,
        };
        Ok(points_of(award(conn, &a).await?))
    };
    for minute in minutes_crossed(before, after) {
        result.points += give(time_rule, format!("time:{user_id}:{}:{minute}", item.id)).await?;
    }
    if done && !was_done {
        result.points += give(done_rule, format!("done:{user_id}:{}", item.id)).await?;
    }
    Ok(result)
}

fn points_of(outcome: Outcome) -> i32 {
    match outcome {
        Outcome::Awarded { points } => points,
        _ => 0,
    }
}

fn epoch(at: DateTime<Utc>) -> f64 {
    at.timestamp_micros() as f64 / 1_000_000.0
}

/// Seconds of effective study in an Asia/Shanghai calendar year.
pub async fn year_secs(
    conn: &mut PgConnection,
    user_id: UserId,
    year: i32,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT COALESCE(sum(secs), 0)::bigint FROM study_time
         WHERE user_id = $1 AND day >= make_date($2, 1, 1) AND day < make_date($2 + 1, 1, 1)",
    )
    .bind(user_id)
    .bind(year)
    .fetch_one(conn)
    .await?)
}

/// A new item, its Markdown already rendered and sanitised.
pub struct NewItem<'a> {
    pub kind: ItemKind,
    pub title: &'a str,
    pub body_md: &'a str,
    pub body_html: &'a str,
    pub body_text: &'a str,
    pub length_secs: i32,
    pub tags: &'a [String],
    pub scope_org_id: Option<OrgId>,
    pub required: bool,
    pub due_on: Option<chrono::NaiveDate>,
    pub author_id: Option<UserId>,
    pub publish: bool,
    pub media_upload: Option<uuid::Uuid>,
    pub cover_upload: Option<uuid::Uuid>,
    pub column_id: Option<i64>,
}

pub async fn insert_item(conn: &mut PgConnection, a: &NewItem<'_>) -> Result<ItemId, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO study_items (kind, title, body_md, body_html, body_text, length_secs, tags, scope_org_id,
                                  required, due_on, status, author_id, published_at,
                                  media_upload, cover_upload, column_id)
         VALUES ($12, $1, $2, $3, $4, $5, $6, $7, $8, $11,
                 CASE WHEN $9 THEN 'published' ELSE 'draft' END, $10, CASE WHEN $9 THEN now() END,
                 $13, $14, $15)
         RETURNING id",
    )
    .bind(a.title)
    .bind(a.body_md)
    .bind(a.body_html)
    .bind(a.body_text)
    .bind(a.length_secs)
    .bind(a.tags)
    .bind(a.scope_org_id)
    .bind(a.required)
    .bind(a.publish)
    .bind(a.author_id)
    .bind(a.due_on)
    .bind(a.kind.as_str())
    .bind(a.media_upload)
    .bind(a.cover_upload)
    .bind(a.column_id)
    .fetch_one(conn)
    .await?)
}

/// An item as its authors see it, any status.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Draft {
    pub id: ItemId,
    pub kind: ItemKind,
    pub title: String,
    pub body_md: String,
    pub body_html: String,
    pub tags: Vec<String>,
    pub scope_org_id: Option<OrgId>,
    pub required: bool,
    pub due_on: Option<chrono::NaiveDate>,
    pub status: String,
    pub length_secs: i32,
    pub media_upload: Option<uuid::Uuid>,
    pub media_url: Option<String>,
    pub cover_upload: Option<uuid::Uuid>,
    pub cover_url: Option<String>,
    pub column_id: Option<i64>,
}

pub async fn draft(conn: &mut PgConnection, id: ItemId) -> Result<Option<Draft>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT i.id, i.kind, i.title, i.body_md, i.body_html, i.tags, i.scope_org_id, i.required, i.due_on,
                i.status, i.length_secs, i.media_upload, i.cover_upload, i.column_id,
                {media} AS media_url, {cover} AS cover_url
         FROM study_items i
         LEFT JOIN uploads mu ON mu.id = i.media_upload
         LEFT JOIN uploads cu ON cu.id = i.cover_upload
         WHERE i.id = $1 FOR UPDATE OF i",
        media = media_sql("mu"),
        cover = media_sql("cu"),
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Items published to the platform (when `platform`) or to an organization within one of
/// `roots` (ltree paths), newest change first, with their scope's name.
pub async fn authored(
    conn: &mut PgConnection,
    platform: bool,
    roots: &[String],
) -> Result<Vec<(ItemId, String, String, Option<String>, bool, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT i.id, i.title, i.status, o.name AS scope, i.required,
                to_char(i.updated_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS updated
         FROM study_items i LEFT JOIN orgs o ON o.id = i.scope_org_id
         WHERE ($1 AND i.scope_org_id IS NULL) OR o.path <@ ANY ($2::text[]::ltree[])
         ORDER BY i.updated_at DESC LIMIT 200",
    )
    .bind(platform)
    .bind(roots)
    .fetch_all(conn)
    .await?)
}

/// Rewrites an item's text, files and settings; its status and author stay.
pub async fn update_item(
    conn: &mut PgConnection,
    id: ItemId,
    a: &NewItem<'_>,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE study_items SET title = $2, body_md = $3, body_html = $4, body_text = $5, length_secs = $6,
                tags = $7, scope_org_id = $8, required = $9, due_on = $10, kind = $11,
                media_upload = $12, cover_upload = $13, column_id = $14, updated_at = now()
         WHERE id = $1",
    )
    .bind(id)
    .bind(a.title)
    .bind(a.body_md)
    .bind(a.body_html)
    .bind(a.body_text)
    .bind(a.length_secs)
    .bind(a.tags)
    .bind(a.scope_org_id)
    .bind(a.required)
    .bind(a.due_on)
    .bind(a.kind.as_str())
    .bind(a.media_upload)
    .bind(a.cover_upload)
    .bind(a.column_id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_status(
    conn: &mut PgConnection,
    id: ItemId,
    publish: bool,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE study_items SET status = CASE WHEN $2 THEN 'published' ELSE 'unpublished' END,
                published_at = CASE WHEN $2 THEN COALESCE(published_at, now()) ELSE published_at END,
                updated_at = now()
         WHERE id = $1",
    )
    .bind(id)
    .bind(publish)
    .execute(conn)
    .await?;
    Ok(())
}

/// For a branch: each required item its members must study, with how many of its current
/// members have completed it and the names of those who have not.
pub async fn required_progress(
    conn: &mut PgConnection,
    branch_path: &crate::orgs::model::OrgPath,
) -> Result<Vec<(ItemId, String, Option<String>, i64, Vec<String>)>, AppError> {
    let rows = sqlx::query(
        "WITH members AS (
             SELECT m.user_id, u.display_name FROM memberships m
             JOIN orgs b ON b.id = m.org_id JOIN users u ON u.id = m.user_id
             WHERE b.path <@ $1::ltree AND m.ended_at IS NULL)
         SELECT i.id, i.title, to_char(COALESCE(i.due_on, c.due_on), 'YYYY-MM-DD') AS due_on,
                (SELECT count(*) FROM members) AS total,
                ARRAY(SELECT mb.display_name FROM members mb
                      LEFT JOIN study_progress p ON p.user_id = mb.user_id AND p.item_id = i.id
                      WHERE p.completed_at IS NULL
                      ORDER BY convert_to(mb.display_name, 'UTF8')) AS missing
         FROM study_items i LEFT JOIN orgs s ON s.id = i.scope_org_id
         LEFT JOIN study_columns c ON c.id = i.column_id
         WHERE i.status = 'published' AND (i.required OR COALESCE(c.required, false))
           AND (i.scope_org_id IS NULL OR $1::ltree <@ s.path)
         ORDER BY COALESCE(i.due_on, c.due_on) NULLS LAST, i.published_at DESC",
    )
    .bind(branch_path.to_string())
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            (
                r.get("id"),
                r.get("title"),
                r.get("due_on"),
                r.get("total"),
                r.get("missing"),
            )
        })
        .collect())
}

/// A new column (专栏).
pub struct NewColumn<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub cover_upload: Option<uuid::Uuid>,
    pub scope_org_id: Option<OrgId>,
    pub required: bool,
    pub due_on: Option<chrono::NaiveDate>,
    pub by: UserId,
}

pub async fn insert_column(conn: &mut PgConnection, c: &NewColumn<'_>) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO study_columns (title, description, cover_upload, scope_org_id, required, due_on, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(c.title)
    .bind(c.description)
    .bind(c.cover_upload)
    .bind(c.scope_org_id)
    .bind(c.required)
    .bind(c.due_on)
    .bind(c.by)
    .fetch_one(conn)
    .await?)
}

/// A column's scope (`Some(None)`: the platform), or `None` when there is no such column.
pub async fn column_scope(
    conn: &mut PgConnection,
    id: i64,
) -> Result<Option<Option<OrgId>>, AppError> {
    Ok(sqlx::query_scalar::<_, Option<OrgId>>(
        "SELECT scope_org_id FROM study_columns WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Columns an author may file items in: the platform's (for platform admins) and those of
/// organizations within `roots`.
pub async fn editable_columns(
    conn: &mut PgConnection,
    platform: bool,
    roots: &[String],
) -> Result<Vec<(i64, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.title FROM study_columns c LEFT JOIN orgs o ON o.id = c.scope_org_id
         WHERE ($1 AND c.scope_org_id IS NULL) OR o.path <@ ANY ($2::text[]::ltree[])
         ORDER BY c.created_at DESC LIMIT 100",
    )
    .bind(platform)
    .bind(roots)
    .fetch_all(conn)
    .await?)
}

/// A column a member sees, with how many of its items they may see and have completed.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ColumnCardRow {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub required: bool,
    pub cover_url: Option<String>,
    pub items: i64,
    pub done: i64,
}

/// The columns a member sees (their scope is the member's), with how many of their published
/// items the member has completed; one column when `only` is given. Empty columns are left out.
pub async fn visible_columns(
    conn: &mut PgConnection,
    user_id: UserId,
    only: Option<i64>,
) -> Result<Vec<ColumnCardRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT c.id, c.title, c.description, c.required, {cover} AS cover_url,
                count(i.id) AS items, count(p.completed_at) AS done
         FROM study_columns c
         LEFT JOIN uploads cu ON cu.id = c.cover_upload
         JOIN study_items i ON i.column_id = c.id AND {VISIBLE}
         LEFT JOIN study_progress p ON p.item_id = i.id AND p.user_id = $1
         WHERE ($2::bigint IS NULL OR c.id = $2)
         GROUP BY c.id, cu.id
         ORDER BY c.required DESC, c.created_at DESC LIMIT 20",
        cover = media_sql("cu"),
    ))
    .bind(user_id)
    .bind(only)
    .fetch_all(conn)
    .await?)
}

/// Draws the questions after a micro-lesson from the bank (with `tag`, when given),
/// replacing any it had; 0 clears them. Refuses when the bank has too few.
pub async fn set_lesson_questions(
    conn: &mut PgConnection,
    item_id: ItemId,
    tag: &str,
    count: i64,
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM study_item_questions WHERE item_id = $1")
        .bind(item_id)
        .execute(&mut *conn)
        .await?;
    if count == 0 {
        return Ok(());
    }
    let inserted = sqlx::query(
        "INSERT INTO study_item_questions (item_id, question_id, position)
         SELECT $1, id, row_number() OVER () FROM (
             SELECT id FROM questions WHERE active AND ($2 = '' OR $2 = ANY (tags))
             ORDER BY random() LIMIT $3) q",
    )
    .bind(item_id)
    .bind(tag)
    .bind(count)
    .execute(conn)
    .await?
    .rows_affected();
    if (inserted as i64) < count {
        return Err(AppError::invalid(
            "quiz_count",
            crate::error::Msg::QuestionsTooFew,
        ));
    }
    Ok(())
}

/// The questions after a micro-lesson, in order.
pub async fn lesson_questions(
    conn: &mut PgConnection,
    item_id: ItemId,
) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT question_id FROM study_item_questions WHERE item_id = $1 ORDER BY position",
    )
    .bind(item_id)
    .fetch_all(conn)
    .await?)
}
