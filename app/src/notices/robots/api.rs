//! Server functions for an organization's group robots: the page, set and remove.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::RobotKind;
use crate::error::AppError;
use crate::ids::OrgId;

/// A robot as the page shows it: its address with the key hidden.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RobotView {
    pub kind: RobotKind,
    pub address: String,
    pub signed: bool,
    pub added: String,
}

/// Where a message to a group stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DeliveryState {
    Sent,
    Waiting { attempts: i32 },
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryView {
    pub kind: RobotKind,
    pub text: String,
    pub state: DeliveryState,
    pub error: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RobotsView {
    pub org_id: OrgId,
    pub org_name: String,
    pub robots: Vec<RobotView>,
    pub deliveries: Vec<DeliveryView>,
}

/// A webhook address with the key of its query hidden: what the page may show.
pub fn hide_key(url: &str) -> String {
    match url.split_once('?') {
        Some((base, query)) => {
            let tail: String = query
                .chars()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            format!("{base}?…{tail}")
        }
        None => url.to_owned(),
    }
}

/// An organization's robots and its latest messages to them, for those who run it.
#[server(endpoint = "org_robots")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn org_robots(org: OrgId) -> Result<RobotsView, AppError> {
    use crate::auth::session;
    let t = session::request_locale().strings();
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let (org, robots, deliveries) = super::flow::robots_page(&mut conn, &actor, org).await?;
    let kind = |k: &str| RobotKind::parse(k).unwrap_or(RobotKind::WeCom);
    Ok(RobotsView {
        org_id: org.id,
        org_name: org.name,
        robots: robots
            .into_iter()
            .map(|r| RobotView {
                kind: kind(&r.kind),
                address: hide_key(&r.url),
                signed: r.signed,
                added: crate::time::local_minute(r.added_at),
            })
            .collect(),
        deliveries: deliveries
            .into_iter()
            .map(|d| DeliveryView {
                kind: kind(&d.kind),
                text: d.message.0.render(t),
                state: match (d.sent_at, d.failed_at) {
                    (Some(_), _) => DeliveryState::Sent,
                    (None, Some(_)) => DeliveryState::Failed,
                    _ => DeliveryState::Waiting {
                        attempts: d.attempts,
                    },
                },
                error: d.error,
                at: crate::time::local_minute(d.sent_at.or(d.failed_at).unwrap_or(d.created_at)),
            })
            .collect(),
    })
}

/// Sets an organization's robot of a kind from its webhook address (and DingTalk's secret).
#[server(endpoint = "set_org_robot")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn set_org_robot(
    org: OrgId,
    kind: String,
    url: String,
    secret: String,
) -> Result<(), AppError> {
    use crate::auth::session;
    let kind = RobotKind::parse(&kind).ok_or_else(|| AppError::BadRequest("kind".into()))?;
    let allow = use_context::<super::flow::AllowPrivateWebhooks>()
        .unwrap_or_default()
        .0;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::set_robot(&mut tx, &actor, org, kind, (&url, &secret), allow).await?;
    tx.commit().await?;
    tracing::info!(org = org.0, kind = kind.as_str(), "group robot set");
    Ok(())
}

/// Removes an organization's robot of a kind.
#[server(endpoint = "remove_org_robot")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn remove_org_robot(org: OrgId, kind: String) -> Result<(), AppError> {
    use crate::auth::session;
    let kind = RobotKind::parse(&kind).ok_or_else(|| AppError::BadRequest("kind".into()))?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::remove_robot(&mut tx, &actor, org, kind).await?;
    tx.commit().await?;
    Ok(())
}
