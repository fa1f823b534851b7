//! Server functions for founding applications: the public form and tracking link, the
//! reviewers' queue and decisions, invitations to enterprises, and the outbox.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{AppState, ApplicationForm, FoundingEvent, LedgerFacts};
use crate::error::AppError;
use crate::ids::{ApplicationId, OrgId};
use crate::league::ledger::model::AreaLevel;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub level: Option<AreaLevel>,
    pub action: FoundingEvent,
    pub message: String,
    /// The reviewer; none for the applicant and for the system.
    pub by: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub id: ApplicationId,
    pub enterprise_name: String,
    pub credit_code: String,
    /// `code` or `name`; none when the ledger has no such enterprise (flagged for review).
    pub matched_by: Option<String>,
    pub district: String,
    pub street: String,
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub young_employees: i32,
    pub league_members: i32,
    pub secretary_name: String,
    pub secretary_phone: String,
    pub note: String,
    pub state: AppState,
    pub level: AreaLevel,
    pub org_id: Option<OrgId>,
    pub org_name: Option<String>,
    pub enterprise_id: Option<i64>,
    pub ledger: Option<LedgerFacts>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub events: Vec<EventView>,
    /// The secretary's sign-up link, once founded and while unused.
    pub invitation: Option<String>,
    /// The viewer holds the current step.
    pub can_review: bool,
}

impl ApplicationView {
    /// Only what the applicant typed and the reviewers' messages: nothing from the ledger
    /// (a credit code is public, a firm's head counts are not) and nothing of how it was
    /// matched.
    pub fn for_applicant(&mut self) {
        self.ledger = None;
        self.matched_by = None;
        self.enterprise_id = None;
        for e in &mut self.events {
            if e.action == FoundingEvent::Submitted {
                e.message = "applicant".to_owned();
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub id: ApplicationId,
    pub enterprise_name: String,
    pub district: String,
    pub street: String,
    pub state: AppState,
    pub level: AreaLevel,
    pub matched: bool,
    /// Waiting for this reviewer.
    pub mine: bool,
    pub waiting_days: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueView {
    pub rows: Vec<QueueRow>,
    pub todo: usize,
    pub open: usize,
    pub closed: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundingFormView {
    /// Districts and streets that have a League committee: (district, street), the street
    /// empty for a district's own row.
    pub areas: Vec<(String, String)>,
    /// Filled in from an invitation link.
    pub prefill: Option<ApplicationForm>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxRow {
    pub recipient: String,
    pub body: String,
    pub sent: bool,
    /// Given up after its tries.
    pub failed: bool,
    /// Tries so far.
    pub attempts: i32,
    pub error: String,
    pub at: DateTime<Utc>,
}

#[cfg(feature = "ssr")]
impl From<super::store::EventRow> for EventView {
    fn from(r: super::store::EventRow) -> Self {
        EventView {
            level: r.level,
            action: r.action,
            message: r.message,
            by: r.by,
            at: r.at,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<super::flow::FullApplication> for ApplicationView {
    fn from(full: super::flow::FullApplication) -> Self {
        let r = full.row;
        ApplicationView {
            id: r.id,
            enterprise_name: r.enterprise_name,
            credit_code: r.credit_code,
            matched_by: r.matched_by,
            district: r.district,
            street: r.street,
            address: r.address,
            contact_name: r.contact_name,
            contact_phone: r.contact_phone,
            young_employees: r.young_employees,
            league_members: r.league_members,
            secretary_name: r.secretary_name,
            secretary_phone: r.secretary_phone,
            note: r.note,
            state: r.state,
            level: r.level,
            org_id: r.org_id,
            org_name: r.org_name,
            enterprise_id: r.enterprise_id,
            ledger: r.ledger,
            created_at: r.created_at,
            updated_at: r.updated_at,
            events: full.events.into_iter().map(EventView::from).collect(),
            invitation: full.invitation,
            can_review: full.can_review,
        }
    }
}

#[cfg(feature = "ssr")]
impl QueueRow {
    /// An application in a reviewer's queue: whether it waits for them (a committee of its
    /// level for its area), and how many days since its last change.
    fn of(
        r: super::store::QueuedRow,
        areas: &[crate::league::ledger::model::Area],
        now: DateTime<Utc>,
    ) -> Self {
        let mine = r.state == AppState::Reviewing
            && areas
                .iter()
                .any(|a| a.level == r.level && a.covers(&r.district, &r.street));
        QueueRow {
            id: r.id,
            enterprise_name: r.enterprise_name,
            district: r.district,
            street: r.street,
            state: r.state,
            level: r.level,
            // Only a code match needs no check of the firm.
            matched: r.matched_by.as_deref() == Some("code"),
            mine,
            waiting_days: super::model::age_days(r.updated_at, now),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<super::store::OutboxEntry> for OutboxRow {
    fn from(r: super::store::OutboxEntry) -> Self {
        OutboxRow {
            recipient: r.recipient,
            body: r.body,
            sent: r.sent_at.is_some(),
            failed: r.failed_at.is_some(),
            attempts: r.attempts,
            error: r.error,
            at: r.created_at,
        }
    }
}

/// The public form's choices, and the enterprise an invitation code was sent to.
#[server(endpoint = "founding_form")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn founding_form(invite: String) -> Result<FoundingFormView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let areas = super::store::known_areas(&mut conn).await?;
    let code: String = invite.trim().chars().take(40).collect();
    let prefill = if code.is_empty() {
        None
    } else {
        super::store::invited_enterprise(&mut conn, &code)
            .await?
            .map(|(name, credit_code, district, street)| ApplicationForm {
                enterprise_name: name,
                credit_code,
                district,
                street,
                ..Default::default()
            })
    };
    Ok(FoundingFormView { areas, prefill })
}

/// Submits an application (no account needed), limited per address and per credit code.
/// It is matched against the ledger (credit code, then name) and goes to the first area
/// committee; the answer is the secret tracking link's token, and without JavaScript the
/// browser is sent to the tracking page.
#[server(endpoint = "submit_application")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn submit_application(
    #[server(flatten)] form: ApplicationForm,
) -> Result<String, AppError> {
    use super::flow::{APPLY_PER_ADDRESS, APPLY_PER_CODE};
    use crate::auth::session;
    let ip = session::client_ip().await;
    session::rate_limit(&format!("apply:ip:{ip}"), APPLY_PER_ADDRESS).await?;
    let mut app = form.parse().map_err(AppError::Invalid)?;
    app.locale = session::request_locale();
    session::rate_limit(
        &format!("apply:code:{}", app.credit_code.as_str()),
        APPLY_PER_CODE,
    )
    .await?;
    let mut tx = session::begin().await?;
    let token = super::flow::submit(&mut tx, &app).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/league/track/{token}"));
    Ok(token)
}

/// An application seen through its tracking link: status, the reviewers' messages, and the
/// secretary's invitation once founded. Anything else about it stays hidden.
#[server(endpoint = "track_application")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn track_application(token: String) -> Result<ApplicationView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let id = super::store::by_token(&mut conn, token.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    let mut view = ApplicationView::from(super::flow::full_view(&mut conn, id, None).await?);
    view.for_applicant();
    Ok(view)
}

/// The applicant answers a request for more information; the application goes back to the
/// committee that asked.
#[server(endpoint = "answer_application")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn answer_application(token: String, answer: String) -> Result<(), AppError> {
    use super::model::parse_message;
    use crate::auth::session;
    use crate::error::Msg;
    let answer = parse_message(&answer, true).map_err(|m| AppError::invalid("answer", m))?;
    let mut tx = session::begin().await?;
    let id = super::store::by_token(&mut tx, token.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    let app = super::store::application(&mut tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    if app.state != AppState::NeedsInfo {
        return Err(AppError::Conflict(Msg::ApplicationHandled));
    }
    super::store::set_state(&mut tx, id, AppState::Reviewing, app.level).await?;
    super::store::event(
        &mut tx,
        id,
        Some(app.level),
        FoundingEvent::Answered,
        None,
        &answer,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The applications in the reviewer's areas: those waiting for them first, with counts.
#[server(endpoint = "founding_queue")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn founding_queue() -> Result<QueueView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let areas = crate::league::ledger::store::areas_of(&mut conn, &actor).await?;
    if areas.is_empty() {
        return Err(AppError::Forbidden);
    }
    let now = chrono::Utc::now();
    let mut rows: Vec<QueueRow> = super::store::queue(&mut conn, &areas)
        .await?
        .into_iter()
        .map(|r| QueueRow::of(r, &areas, now))
        .collect();
    rows.sort_by_key(|r| (!r.mine, !r.state.is_open()));
    Ok(QueueView {
        todo: rows.iter().filter(|r| r.mine).count(),
        open: rows.iter().filter(|r| r.state.is_open()).count(),
        closed: rows.iter().filter(|r| !r.state.is_open()).count(),
        rows,
    })
}

/// One application, for reviewers whose area it is in.
#[server(endpoint = "founding_application")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn founding_application(id: ApplicationId) -> Result<ApplicationView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let areas = crate::league::ledger::store::areas_of(&mut conn, &actor).await?;
    let full = super::flow::full_view(&mut conn, id, Some(&areas)).await?;
    if !crate::league::ledger::model::in_areas(&areas, &full.row.district, &full.row.street) {
        return Err(AppError::NotFound);
    }
    Ok(full.into())
}

/// A reviewer's decision at their level: approve (on to the next level, or founded at the
/// last), reject with a reason, or ask the applicant for more information. `level` is the
/// level the reviewer saw: a step handled meanwhile answers "already handled".
#[server(endpoint = "review_application")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn review_application(
    id: ApplicationId,
    level: String,
    action: String,
    reason: String,
) -> Result<(), AppError> {
    use super::model::{Review, parse_message};
    use crate::auth::session;
    use crate::error::Msg;
    let review =
        Review::parse(&action).ok_or_else(|| AppError::invalid("action", Msg::BadRequest))?;
    let reason = parse_message(&reason, review.needs_reason())
        .map_err(|m| AppError::invalid("reason", m))?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::review(&mut tx, &actor, id, &level, review, &reason).await?;
    tx.commit().await?;
    Ok(())
}

/// Sends an enterprise of the ledger an invitation link to apply (by text message when a
/// phone number is given; the link is answered either way, to copy). For admins whose
/// area the enterprise is in.
#[server(endpoint = "invite_enterprise")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn invite_enterprise(credit_code: String, phone: String) -> Result<String, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let link = super::flow::invite(&mut tx, &actor, &credit_code, &phone).await?;
    tx.commit().await?;
    Ok(link)
}

/// The latest text messages, sent or waiting for a gateway. Platform admins.
#[server(endpoint = "outbox_messages")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn outbox_messages() -> Result<Vec<OutboxRow>, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    if !actor.is_platform_admin() {
        return Err(AppError::Forbidden);
    }
    Ok(super::store::outbox(&mut conn, 100)
        .await?
        .into_iter()
        .map(OutboxRow::from)
        .collect())
}

/// The area a League committee stands for (none when it stands for none), and whether the
/// viewer may change it (platform admins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgAreaView {
    pub area: Option<crate::league::ledger::model::Area>,
    pub can_set: bool,
}

/// The area of a League committee, for those who may see the organization page.
#[server(endpoint = "org_area")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn org_area(org_id: OrgId) -> Result<OrgAreaView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let org = crate::orgs::store::org(&mut conn, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !actor.can_manage(&org.path) {
        return Err(AppError::Forbidden);
    }
    Ok(OrgAreaView {
        area: super::store::org_area(&mut conn, org_id).await?,
        can_set: actor.is_platform_admin(),
    })
}

/// Makes a League committee stand for a city, a district or a street (its admins then
/// review that area's founding applications), or for none (`level` empty). Platform admins.
#[server(endpoint = "set_org_area")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org_id)))]
pub async fn set_org_area(
    org_id: OrgId,
    level: String,
    district: String,
    street: String,
) -> Result<(), AppError> {
    use crate::auth::session;
    let area = super::model::parse_area(&level, &district, &street).map_err(AppError::Invalid)?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    if !actor.is_platform_admin() {
        return Err(AppError::Forbidden);
    }
    let org = crate::orgs::store::org(&mut tx, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if org.tree != crate::orgs::model::Tree::League
        || org.kind != crate::orgs::model::OrgKind::Committee
    {
        return Err(AppError::invalid(
            "level",
            crate::error::Msg::KindNotAllowedHere,
        ));
    }
    super::store::set_org_area(&mut tx, org_id, area.as_ref()).await?;
    tx.commit().await?;
    Ok(())
}
