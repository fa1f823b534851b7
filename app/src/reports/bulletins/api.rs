//! A committee's bulletins: the list and one bulletin, for its admins and the platform's.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::Bulletin;
use crate::error::AppError;
use crate::ids::OrgId;

/// A committee's kept bulletins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShelfView {
    pub org_id: OrgId,
    pub org_name: String,
    pub orgs: Vec<(OrgId, String)>,
    /// (id, period), latest first.
    pub bulletins: Vec<(i64, String)>,
}

/// The bulletins of an organization the viewer administers (`org` 0: the first one).
#[server(endpoint = "bulletins")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn bulletins(org: OrgId) -> Result<ShelfView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let s = super::flow::shelf(&mut conn, &actor, org).await?;
    Ok(ShelfView {
        org_id: s.org.id,
        org_name: s.org.name,
        orgs: s.overseen,
        bulletins: s.bulletins,
    })
}

/// One bulletin, as kept.
#[server(endpoint = "bulletin")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn read_bulletin(id: i64) -> Result<Bulletin, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    super::flow::read(&mut conn, &actor, id).await
}
