//! SQL and disk paths for uploads.

use std::path::PathBuf;

use sqlx::{PgConnection, Row};
use uuid::Uuid;

use super::model::{FileType, Purpose};
use crate::error::AppError;
use crate::ids::UserId;

/// The folder uploads live in, handed to the app through context. Finished files are in
/// `files/` (served at `/media/`), files still arriving in `incoming/` (never served).
#[derive(Clone, Debug)]
pub struct UploadDir(pub PathBuf);

impl UploadDir {
    pub fn files(&self) -> PathBuf {
        self.0.join("files")
    }

    pub fn incoming(&self) -> PathBuf {
        self.0.join("incoming")
    }

    pub fn file(&self, id: Uuid, ext: &str) -> PathBuf {
        self.files().join(format!("{}.{ext}", id.simple()))
    }
}

/// The upload folder from context.
pub fn upload_dir() -> Result<UploadDir, AppError> {
    leptos::prelude::use_context::<UploadDir>()
        .ok_or_else(|| AppError::internal("no upload folder in context"))
}

/// An upload as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub id: Uuid,
    pub user_id: UserId,
    pub purpose: Purpose,
    pub file_name: String,
    pub ext: String,
    pub size: i64,
}

impl Upload {
    /// Where the browser loads it from.
    pub fn url(&self) -> String {
        media_url(self.id, &self.ext)
    }

    pub fn path(&self, dir: &UploadDir) -> PathBuf {
        dir.file(self.id, &self.ext)
    }
}

pub fn media_url(id: Uuid, ext: &str) -> String {
    format!("/media/{}.{ext}", id.simple())
}

/// Bytes a member's uploads take.
pub async fn used_bytes(conn: &mut PgConnection, user_id: UserId) -> Result<i64, AppError> {
    Ok(
        sqlx::query_scalar("SELECT coalesce(sum(size), 0)::bigint FROM uploads WHERE user_id = $1")
            .bind(user_id)
            .fetch_one(conn)
            .await?,
    )
}

/// Records a finished upload, unless it would take its uploader past `quota` bytes (checked
/// under a lock per uploader, so that two uploads at once cannot both squeeze in).
#[expect(clippy::too_many_arguments, reason = "one column each, and the quota")]
pub async fn insert(
    conn: &mut PgConnection,
    id: Uuid,
    user_id: UserId,
    purpose: Purpose,
    file_name: &str,
    file_type: FileType,
    size: i64,
    quota: i64,
) -> Result<(), AppError> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('uploads of ' || $1))")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    if used_bytes(conn, user_id).await? + size > quota {
        return Err(AppError::invalid(
            "file",
            crate::error::Msg::UploadQuotaFull,
        ));
    }
    sqlx::query(
        "INSERT INTO uploads (id, user_id, purpose, file_name, ext, size) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(file_name)
    .bind(file_type.ext())
    .bind(size)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn get(conn: &mut PgConnection, id: Uuid) -> Result<Option<Upload>, AppError> {
    let row =
        sqlx::query("SELECT id, user_id, purpose, file_name, ext, size FROM uploads WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    row.map(|r| {
        Ok(Upload {
            id: r.get("id"),
            user_id: r.get("user_id"),
            purpose: r.try_get("purpose")?,
            file_name: r.get("file_name"),
            ext: r.get("ext"),
            size: r.get("size"),
        })
    })
    .transpose()
}

/// An upload of the caller's, for `purpose`, named in a form (its id as text); a missing,
/// foreign or malformed id reads as "upload the file again".
pub async fn own_upload(
    conn: &mut PgConnection,
    user_id: UserId,
    id: &str,
    purpose: Purpose,
) -> Result<Upload, AppError> {
    let bad = || AppError::invalid("file", crate::error::Msg::UploadMissing);
    let id = Uuid::parse_str(id.trim()).map_err(|_| bad())?;
    match get(conn, id).await? {
        Some(u) if u.user_id == user_id && u.purpose == purpose => Ok(u),
        _ => Err(bad()),
    }
}

/// The upload named in the form field `name` (its value `field`): the caller's own new
/// upload for `purpose`, or `kept` (the one the record already has) when the field still
/// names that; `None` when the field is empty. Anything else reads as "upload the file
/// again", on that field.
pub async fn own_or_kept(
    conn: &mut PgConnection,
    user_id: UserId,
    (name, field): (&str, &str),
    purpose: Purpose,
    kept: Option<Uuid>,
) -> Result<Option<Uuid>, AppError> {
    let field = field.trim();
    if field.is_empty() {
        return Ok(None);
    }
    if kept.is_some_and(|k| Uuid::parse_str(field) == Ok(k)) {
        return Ok(kept);
    }
    match own_upload(conn, user_id, field, purpose).await {
        Ok(u) => Ok(Some(u.id)),
        Err(AppError::Invalid(_)) => Err(AppError::invalid(name, crate::error::Msg::UploadMissing)),
        Err(e) => Err(e),
    }
}

/// What upload `id` belongs to, seen from `user_id` (see `model::may_fetch`); `None` for
/// no such upload.
pub async fn uses(
    conn: &mut PgConnection,
    id: Uuid,
    user_id: UserId,
) -> Result<Option<super::model::UploadUses>, AppError> {
    use crate::orgs::model::OrgPath;
    let Some((uploader, ext)) =
        sqlx::query_as::<_, (UserId, String)>("SELECT user_id, ext FROM uploads WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
    else {
        return Ok(None);
    };
    let member_of = "(s.id IS NULL OR EXISTS (
            SELECT 1 FROM memberships m JOIN orgs b ON b.id = m.org_id
            WHERE m.user_id = $2 AND m.ended_at IS NULL AND b.path <@ s.path))";
    let study: Vec<(bool, Option<String>, bool)> = sqlx::query_as(&format!(
        "SELECT i.status = 'published', s.path::text, {member_of}
         FROM study_items i LEFT JOIN orgs s ON s.id = i.scope_org_id
         WHERE i.media_upload = $1 OR i.cover_upload = $1
         UNION ALL
         SELECT true, s.path::text, {member_of}
         FROM study_columns c LEFT JOIN orgs s ON s.id = c.scope_org_id
         WHERE c.cover_upload = $1"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    let meetings: Vec<(String, bool)> = sqlx::query_as(
        "SELECT o.path::text,
                EXISTS (SELECT 1 FROM meeting_expected x WHERE x.meeting_id = m.id AND x.user_id = $2)
                OR EXISTS (SELECT 1 FROM memberships ms WHERE ms.org_id = o.id AND ms.user_id = $2
                           AND ms.ended_at IS NULL)
         FROM meeting_attachments a JOIN meetings m ON m.id = a.meeting_id JOIN orgs o ON o.id = m.org_id
         WHERE a.upload_id = $1
         UNION ALL
         SELECT o.path::text,
                c.user_id = $2
                OR EXISTS (SELECT 1 FROM development_people p WHERE p.case_id = c.id AND p.user_id = $2)
         FROM development_steps s JOIN development_cases c ON c.id = s.case_id JOIN orgs o ON o.id = c.org_id
         WHERE s.upload_id = $1",
    )
    .bind(id)
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    Ok(Some(super::model::UploadUses {
        uploader,
        ext,
        study: study
            .into_iter()
            .map(|(p, s, m)| (p, s.as_deref().and_then(OrgPath::parse), m))
            .collect(),
        meetings: meetings
            .into_iter()
            .filter_map(|(p, a)| Some((OrgPath::parse(&p)?, a)))
            .collect(),
    }))
}

/// Deletes the records of uploads that nothing refers to (no study item, column or
/// meeting), made more than `grace_days` ago, and answers their files to remove. Sheets
/// for imports are read once and so go too.
pub async fn delete_orphans(
    conn: &mut PgConnection,
    grace_days: i32,
) -> Result<Vec<(Uuid, String)>, AppError> {
    Ok(sqlx::query_as(
        "DELETE FROM uploads u
         WHERE u.created_at < now() - make_interval(days => $1)
           AND NOT EXISTS (SELECT 1 FROM study_items i WHERE i.media_upload = u.id OR i.cover_upload = u.id)
           AND NOT EXISTS (SELECT 1 FROM study_columns c WHERE c.cover_upload = u.id)
           AND NOT EXISTS (SELECT 1 FROM meeting_attachments a WHERE a.upload_id = u.id)
           AND NOT EXISTS (SELECT 1 FROM development_steps d WHERE d.upload_id = u.id)
         RETURNING u.id, u.ext",
    )
    .bind(grace_days)
    .fetch_all(conn)
    .await?)
}

/// Which of `ids` have a record.
pub async fn known(conn: &mut PgConnection, ids: &[Uuid]) -> Result<Vec<Uuid>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM uploads WHERE id = ANY ($1)")
            .bind(ids)
            .fetch_all(conn)
            .await?,
    )
}
