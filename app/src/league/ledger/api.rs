//! Server functions for the enterprise ledger: importing a sheet, and the list.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{DuplicateGroup, LedgerEntry};
use crate::error::AppError;
use crate::uploads::model::RowError;

/// What an import did, or every bad row (and then nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerImportView {
    pub added: u32,
    pub updated: u32,
    pub retired: u32,
    pub unchanged: u32,
    pub errors: Vec<RowError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerView {
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub rows: Vec<LedgerEntry>,
    pub districts: Vec<String>,
    /// Probable duplicates: the same normalised name under different credit codes.
    pub duplicates: Vec<DuplicateGroup>,
    /// Sees the coverage page (an area's reviewer or a platform admin).
    pub reads_coverage: bool,
}

#[cfg(feature = "ssr")]
impl From<super::store::MergeCounts> for LedgerImportView {
    fn from(c: super::store::MergeCounts) -> Self {
        LedgerImportView {
            added: c.added,
            updated: c.updated,
            retired: c.retired,
            unchanged: c.unchanged,
            errors: vec![],
        }
    }
}

/// Imports an uploaded ledger sheet (CSV or XLSX) and merges it by credit code: all rows or
/// none, every bad row reported. For platform administrators.
#[server(endpoint = "import_ledger")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn import_ledger(upload: String) -> Result<LedgerImportView, AppError> {
    use crate::auth::session;
    use crate::uploads::sheet;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    if !actor.is_platform_admin() {
        return Err(AppError::Forbidden);
    }
    let (file, rows) = sheet::read_upload(&mut tx, actor.user_id, &upload).await?;
    let parsed = match super::model::parse_ledger(&rows) {
        Ok(p) => p,
        Err(errors) => {
            return Ok(LedgerImportView {
                added: 0,
                updated: 0,
                retired: 0,
                unchanged: 0,
                errors,
            });
        }
    };
    let rows: Vec<_> = parsed.into_iter().map(|(_, r)| r).collect();
    let view: LedgerImportView =
        super::store::merge(&mut tx, &rows, &file.file_name, actor.user_id)
            .await?
            .into();
    tx.commit().await?;
    tracing::info!(
        added = view.added,
        updated = view.updated,
        retired = view.retired,
        "ledger imported"
    );
    Ok(view)
}

/// The ledger, 50 to a page, searchable by name or credit code and filtered by district
/// and by organization. For administrators.
#[server(endpoint = "enterprise_ledger")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn enterprise_ledger(
    q: String,
    district: String,
    filter: String,
    page: i64,
) -> Result<LedgerView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let page = page.clamp(1, 100_000);
    let list = super::flow::ledger(&mut conn, &actor, &q, &district, &filter, page).await?;
    Ok(LedgerView {
        total: list.total,
        page,
        pages: (list.total + super::flow::PAGE_SIZE - 1) / super::flow::PAGE_SIZE,
        rows: list.rows,
        districts: list.districts,
        duplicates: list.duplicates,
        reads_coverage: list.reads_coverage,
    })
}

/// Merges a group of probable duplicates into the one with credit code `keep`: the others
/// are marked merged (kept, pointing at it), and their organizations, joint branch and
/// applications move to it. Platform administrators.
#[server(endpoint = "merge_duplicates")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn merge_duplicates(name_key: String, keep: String) -> Result<u32, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    if !actor.is_platform_admin() {
        return Err(AppError::Forbidden);
    }
    let n = super::store::merge_group(&mut tx, name_key.trim(), keep.trim(), actor.user_id).await?;
    tx.commit().await?;
    Ok(n)
}

/// Records that a group of same-named enterprises are different enterprises: the group is
/// not listed again unless another credit code joins it. Platform administrators.
#[server(endpoint = "keep_apart")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn keep_apart(name_key: String) -> Result<(), AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    if !actor.is_platform_admin() {
        return Err(AppError::Forbidden);
    }
    super::store::keep_apart(&mut tx, name_key.trim(), actor.user_id).await?;
    tx.commit().await?;
    Ok(())
}
