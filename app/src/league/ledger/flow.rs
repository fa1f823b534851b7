//! The ledger page as a use case: the viewer's part of the ledger, filtered and paged, with
//! the probable duplicates for those who may merge them.

use sqlx::PgConnection;

use super::model::{DuplicateGroup, LedgerEntry, LedgerFilter};
use crate::auth::model::Actor;
use crate::error::AppError;

/// Enterprises on a page of the ledger.
pub const PAGE_SIZE: i64 = 50;
/// Probable duplicate groups shown at once.
const DUPLICATE_GROUPS: i64 = 20;

/// A page of the ledger as the viewer may see it.
pub struct LedgerList {
    pub total: i64,
    pub rows: Vec<LedgerEntry>,
    pub districts: Vec<String>,
    pub duplicates: Vec<DuplicateGroup>,
    /// Reads League coverage too: the whole city or an area, not only firms of their own.
    pub reads_coverage: bool,
}

/// The part of the ledger the viewer's roles cover (refused when none), searched by name
/// or code `q` and filtered; merging duplicates is for platform admins, who see it all.
pub async fn ledger(
    conn: &mut PgConnection,
    actor: &Actor,
    q: &str,
    district: &str,
    filter: &str,
    page: i64,
) -> Result<LedgerList, AppError> {
    let scope = super::store::ledger_scope(conn, actor).await?;
    if scope.is_empty() {
        return Err(AppError::Forbidden);
    }
    let filter = LedgerFilter::parse(filter)
        .ok_or_else(|| AppError::invalid("filter", crate::error::Msg::BadRequest))?;
    let q: String = q.trim().chars().take(60).collect();
    let query = super::store::LedgerQuery {
        scope: &scope,
        q: &q,
        district: district.trim(),
        filter: filter.as_str(),
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
    };
    let (total, rows) = super::store::ledger(conn, &query).await?;
    let duplicates = match scope.all {
        true => super::store::probable_duplicates(conn, DUPLICATE_GROUPS).await?,
        false => vec![],
    };
    Ok(LedgerList {
        total,
        rows,
        districts: super::store::districts(conn).await?,
        duplicates,
        reads_coverage: scope.all || !scope.areas.is_empty(),
    })
}
