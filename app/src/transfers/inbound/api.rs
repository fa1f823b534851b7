//! Server functions for transfers into the platform: the page, starting one from a letter,
//! and the receiving branch's answer.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{InboundForm, InboundKind, InboundState};
use crate::error::AppError;
use crate::ids::OrgId;
use crate::orgs::model::{MemberStatus, Tree};

/// A transfer in as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboundView {
    pub id: i64,
    pub kind: InboundKind,
    pub name: String,
    pub tree: Tree,
    pub org_name: String,
    pub outside_org: String,
    pub letter_no: String,
    pub letter_date: String,
    pub valid_until: String,
    pub status: MemberStatus,
    /// `2026-11`; none for a mobile member.
    pub dues_paid_to: Option<String>,
    pub state: InboundState,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboundPageView {
    pub mine: Vec<InboundView>,
    pub targets: Vec<(Tree, Vec<(OrgId, String)>)>,
    pub waiting: Vec<InboundView>,
    pub today: String,
}

#[cfg(feature = "ssr")]
impl From<super::store::InboundRow> for InboundView {
    fn from(r: super::store::InboundRow) -> Self {
        InboundView {
            id: r.id,
            kind: r.kind,
            name: r.name,
            tree: r.tree,
            org_name: r.org_name,
            outside_org: r.outside_org,
            letter_no: r.letter_no,
            letter_date: r.letter_date.to_string(),
            valid_until: r.valid_until.to_string(),
            status: r.status,
            dues_paid_to: r.dues_paid_to.map(|d| d.format("%Y-%m").to_string()),
            state: r.state,
            reason: r.reason,
        }
    }
}

/// The viewer's transfers in, where they may transfer into, and those waiting at the
/// branches they run.
#[server(endpoint = "inbound_transfers")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn inbound_transfers() -> Result<InboundPageView, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let p = super::flow::page(&mut tx, &actor).await?;
    tx.commit().await?;
    Ok(InboundPageView {
        mine: p.mine.into_iter().map(Into::into).collect(),
        targets: p.targets,
        waiting: p.waiting.into_iter().map(Into::into).collect(),
        today: crate::time::day_of(chrono::Utc::now()).to_string(),
    })
}

/// The viewer starts a transfer in from the letter of an organization outside the platform.
#[server(endpoint = "start_inbound")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn start_inbound(#[server(flatten)] form: InboundForm) -> Result<i64, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let id = super::flow::start(
        &mut tx,
        &actor,
        &form,
        crate::time::day_of(chrono::Utc::now()),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The receiving branch accepts (`how`: accept) or returns (`return`, with a reason) a
/// transfer in.
#[server(endpoint = "settle_inbound")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn settle_inbound(id: i64, how: String, reason: String) -> Result<(), AppError> {
    use crate::auth::session;
    let accept = match how.as_str() {
        "accept" => true,
        "return" => false,
        _ => return Err(AppError::invalid("how", crate::error::Msg::Required)),
    };
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let today = crate::time::day_of(chrono::Utc::now());
    super::flow::settle(&mut tx, &actor, id, accept, &reason, today).await?;
    tx.commit().await?;
    Ok(())
}
