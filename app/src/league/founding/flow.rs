//! The server side of founding applications that several server functions share: submitting,
//! reviewing and founding, inviting, each inside the caller's transaction.

use sqlx::PgConnection;

use super::model::{AppState, FoundingEvent, NewApplication, Review, next_level, outcome};
use super::store;
use crate::auth::model::Actor;
use crate::error::{AppError, Msg};
use crate::i18n::Locale;
use crate::ids::{ApplicationId, OrgId};
use crate::league::ledger::model::{Area, AreaLevel, in_areas};

/// Applications a network address may submit per rate-limit window.
pub const APPLY_PER_ADDRESS: i32 = 10;
/// Applications per credit code per window.
pub const APPLY_PER_CODE: i32 = 3;

/// The site's public address (`SITE_URL`), handed to the app through context.
#[derive(Clone, Debug)]
pub struct SiteUrl(pub String);

/// The site's origin for links sent by text message and shown to copy: the configured
/// public address, else as the browser reached it.
pub fn origin() -> String {
    if let Some(SiteUrl(url)) = leptos::prelude::use_context::<SiteUrl>() {
        return url.trim_end_matches('/').to_owned();
    }
    let parts = leptos::prelude::use_context::<http::request::Parts>();
    let header = |name: http::header::HeaderName| {
        parts
            .as_ref()
            .and_then(|p| p.headers.get(name))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    header(http::header::ORIGIN)
        .or_else(|| header(http::header::HOST).map(|h| format!("http://{h}")))
        .unwrap_or_default()
}

fn random_token(len: usize) -> String {
    use rand::Rng;
    use rand::distributions::Alphanumeric;
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

/// Matches, routes and stores an application; answers its tracking token.
pub async fn submit(conn: &mut PgConnection, app: &NewApplication) -> Result<String, AppError> {
    let key = crate::league::ledger::model::name_key(&app.enterprise_name);
    let found = store::match_ledger(conn, app.credit_code.as_str(), &key).await?;
    // Only a credit code attaches the application to a ledger firm; a name alone is a
    // suggestion for the reviewers, and checks nothing against the firm.
    let (matched, by_name) = match found {
        Some(m) if m.by == "code" => (Some(m), None),
        other => (None, other),
    };
    if let Some(m) = &matched {
        if m.deregistered {
            return Err(AppError::invalid(
                "credit_code",
                Msg::EnterpriseDeregistered,
            ));
        }
        if m.has_org {
            return Err(AppError::invalid("credit_code", Msg::EnterpriseHasOrg));
        }
        if store::open_for_enterprise(conn, m.enterprise_id).await? {
            return Err(AppError::Conflict(Msg::ApplicationOpen));
        }
    }
    let (district, street) = match &matched {
        Some(m) => (m.district.as_str(), m.street.as_str()),
        None => (app.district.as_str(), app.street.as_str()),
    };
    if district.is_empty() {
        return Err(AppError::invalid("district", Msg::Required));
    }
    let present: Vec<AreaLevel> = store::committees(conn, district, street)
        .await?
        .into_iter()
        .map(|(l, _, _)| l)
        .collect();
    // Without a committee of its district, nobody could review it.
    if !present.contains(&AreaLevel::District) {
        return Err(AppError::invalid("district", Msg::DistrictUnknown));
    }
    let level =
        next_level(&present, None).ok_or(AppError::invalid("district", Msg::DistrictUnknown))?;
    let token = random_token(32);
    let id = store::insert(conn, app, matched.as_ref(), by_name.as_ref(), level, &token).await?;
    let note = match (&matched, &by_name) {
        (Some(_), _) => "",
        (None, Some(_)) => "name",
        (None, None) => "unmatched",
    };
    store::event(conn, id, Some(level), FoundingEvent::Submitted, None, note).await?;
    tracing::info!(
        id = %id,
        level = level.as_str(),
        matched = matched.is_some(),
        "founding application submitted"
    );
    Ok(token)
}

/// An application with its history, the secretary's invitation link once founded, and
/// whether the reviewer with `areas` holds its current step.
pub struct FullApplication {
    pub row: store::ApplicationRow,
    pub events: Vec<store::EventRow>,
    pub invitation: Option<String>,
    pub can_review: bool,
}

/// An application with its history and, once founded, the secretary's invitation link;
/// `areas` are the viewing reviewer's (none for the applicant).
pub async fn full_view(
    conn: &mut PgConnection,
    id: ApplicationId,
    areas: Option<&[Area]>,
) -> Result<FullApplication, AppError> {
    let row = store::application(conn, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let events = store::events(conn, id).await?;
    let invitation = match row.org_id {
        Some(org) => store::secretary_invitation(conn, org)
            .await?
            .map(|code| format!("{}/signup?code={code}", origin())),
        None => None,
    };
    let can_review = areas.is_some_and(|a| holds(a, &row));
    Ok(FullApplication {
        row,
        events,
        invitation,
        can_review,
    })
}

/// The viewer holds the application's current step: a committee of its level for its area.
pub fn holds(areas: &[Area], app: &store::ApplicationRow) -> bool {
    app.state == AppState::Reviewing
        && areas
            .iter()
            .any(|a| a.level == app.level && a.covers(&app.district, &app.street))
}

/// A reviewer's decision, with the application's row locked: only the holder of the current
/// step acts, once.
pub async fn review(
    conn: &mut PgConnection,
    actor: &Actor,
    id: ApplicationId,
    level_seen: &str,
    review: Review,
    reason: &str,
) -> Result<(), AppError> {
    let areas = crate::league::ledger::store::areas_of(conn, actor).await?;
    let app = store::application(conn, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    if !in_areas(&areas, &app.district, &app.street) {
        return Err(AppError::Forbidden);
    }
    if app.state != AppState::Reviewing || app.level.as_str() != level_seen {
        return Err(AppError::Conflict(Msg::ApplicationHandled));
    }
    if !holds(&areas, &app) {
        return Err(AppError::Forbidden);
    }
    let by = Some(actor.user_id);
    match review {
        Review::Reject => {
            store::set_state(conn, id, AppState::Rejected, app.level).await?;
            store::event(
                conn,
                id,
                Some(app.level),
                FoundingEvent::Rejected,
                by,
                reason,
            )
            .await?;
        }
        Review::Ask => {
            store::set_state(conn, id, AppState::NeedsInfo, app.level).await?;
            store::event(conn, id, Some(app.level), FoundingEvent::Asked, by, reason).await?;
        }
        Review::Approve => {
            store::event(
                conn,
                id,
                Some(app.level),
                FoundingEvent::Approved,
                by,
                reason,
            )
            .await?;
            let committees = store::committees(conn, &app.district, &app.street).await?;
            let present: Vec<AreaLevel> = committees.iter().map(|c| c.0).collect();
            match next_level(&present, Some(app.level)) {
                Some(next) => store::set_state(conn, id, AppState::Reviewing, next).await?,
                None => found(conn, actor, &app, &committees).await?,
            }
        }
    }
    Ok(())
}

/// The last approval: the organization is founded under the nearest committee of the
/// enterprise's area, the ledger marked, and the proposed secretary invited.
async fn found(
    conn: &mut PgConnection,
    actor: &Actor,
    app: &store::ApplicationRow,
    committees: &[(AreaLevel, OrgId, crate::orgs::model::OrgPath)],
) -> Result<(), AppError> {
    use crate::auth::model::{INVITATION_LEN, InvitationCode};
    use crate::orgs::model::MemberStatus;
    use rand::Rng;
    let what = outcome(app.league_members, app.young_employees)
        .ok_or(AppError::Conflict(Msg::FoundingNoYoung))?;
    let parent_id = [AreaLevel::Street, AreaLevel::District, AreaLevel::City]
        .iter()
        .find_map(|l| committees.iter().find(|c| c.0 == *l).map(|c| c.1))
        .ok_or(AppError::Conflict(Msg::DistrictUnknown))?;
    let parent = crate::orgs::store::org(conn, parent_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (org_id, org_name) = store::found(conn, app, &parent, what).await?;
    store::event(
        conn,
        app.id,
        Some(app.level),
        FoundingEvent::Founded,
        Some(actor.user_id),
        &org_name,
    )
    .await?;

    for _ in 0..5 {
        let idx: [u8; INVITATION_LEN] = rand::thread_rng().r#gen();
        let code = InvitationCode::from_indexes(idx);
        if crate::orgs::store::create_invitation(
            conn,
            org_id,
            &code,
            MemberStatus::LeagueMember,
            30,
            1,
            actor.user_id,
        )
        .await?
        {
            store::invitation_makes_secretary(conn, code.as_str()).await?;
            // The applicant's language is the best guess of the secretary's.
            let message = crate::notices::model::TextMessage::SecretaryInvited {
                org: org_name.clone(),
                link: format!("{}/signup?code={}", origin(), code.as_str()),
            };
            store::queue_sms(conn, &app.secretary_phone, &message, app.locale).await?;
            store::event(
                conn,
                app.id,
                None,
                FoundingEvent::Invited,
                None,
                &app.secretary_name,
            )
            .await?;
            tracing::info!(id = %app.id, org_id = org_id.0, "League organization founded");
            return Ok(());
        }
    }
    Err(AppError::internal(
        "five invitation codes in a row were taken",
    ))
}

/// An invitation for an enterprise of the ledger to apply: the link, and a text message
/// to `phone` when one is given.
pub async fn invite(
    conn: &mut PgConnection,
    actor: &Actor,
    credit_code: &str,
    phone: &str,
) -> Result<String, AppError> {
    let code = crate::orgs::model::CreditCode::parse(credit_code)
        .map_err(|m| AppError::invalid("credit_code", m))?;
    let phone = match phone.trim() {
        "" => None,
        p => Some(crate::auth::model::Phone::parse(p).map_err(|m| AppError::invalid("phone", m))?),
    };
    let (id, name, district, street, has_org, deregistered) =
        store::enterprise_for_invitation(conn, code.as_str())
            .await?
            .ok_or(AppError::NotFound)?;
    let areas = crate::league::ledger::store::areas_of(conn, actor).await?;
    if !in_areas(&areas, &district, &street) {
        return Err(AppError::Forbidden);
    }
    if deregistered {
        return Err(AppError::invalid(
            "credit_code",
            Msg::EnterpriseDeregistered,
        ));
    }
    if has_org {
        return Err(AppError::invalid("credit_code", Msg::EnterpriseHasOrg));
    }
    for _ in 0..5 {
        let token = random_token(12);
        if store::invite_enterprise(
            conn,
            id,
            &token,
            phone.as_ref().map(|p| p.as_str()).unwrap_or(""),
            actor.user_id,
        )
        .await?
        {
            let link = format!("{}/league/apply?invite={token}", origin());
            if let Some(p) = &phone {
                // An enterprise's contact is written to in Chinese, the ledger's language.
                let message = crate::notices::model::TextMessage::FoundingInvite {
                    name: name.clone(),
                    link: link.clone(),
                };
                store::queue_sms(conn, p.as_str(), &message, Locale::ZhCn).await?;
            }
            return Ok(link);
        }
    }
    Err(AppError::internal(
        "five invitation tokens in a row were taken",
    ))
}
