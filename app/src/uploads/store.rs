//! SQL and disk paths for uploads.

use std::path::PathBuf;

use sqlx::{PgConnection, Row};
use uuid::Uuid;

use super::model::{FileType, Purpose};
use crate::error::AppError;

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
    pub user_id: i64,
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

pub async fn insert(
    conn: &mut PgConnection,
    id: Uuid,
    user_id: i64,
    purpose: Purpose,
    file_name: &str,
    file_type: FileType,
    size: i64,
) -> Result<(), AppError> {
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
            purpose: Purpose::parse(r.get("purpose"))
                .ok_or_else(|| AppError::internal("bad upload purpose"))?,
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
    user_id: i64,
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
    user_id: i64,
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
