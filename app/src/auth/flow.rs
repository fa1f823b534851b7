//! The account use cases, one function each: sign-up, the password check of a sign-in, the
//! day's sign-in point, a password change, the current user and the 我的 page. The only
//! place in accounts that sequences store calls or reaches into organizations and points.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

use super::model::{Actor, Claim, Login, NewPassword, SignUp, Username};
use super::session;
use super::store::{AccountRow, Credentials};
use crate::error::{AppError, FieldError, Msg};
use crate::i18n::Locale;
use crate::ids::{OrgId, UserId};
use crate::orgs::store::{self as orgs, HeldRoleRow, MembershipRow};

/// Who a sign-up made, and where it placed them.
pub struct Joined {
    pub user_id: UserId,
    pub org_id: OrgId,
}

/// Creates the account of a checked sign-up (its password already hashed, which takes
/// long enough not to do inside the transaction), uses one admission of its invitation,
/// places it in the invitation's branch and, for a founding secretary, grants that role.
/// Nothing is kept unless the caller commits, so that a refused sign-up leaves the code's
/// use count as it was.
pub async fn sign_up(
    conn: &mut PgConnection,
    input: &SignUp,
    password_hash: &str,
    locale: Locale,
) -> Result<Joined, AppError> {
    let placement = super::store::use_invitation(conn, &input.code).await?;
    let user_id = super::store::insert_user(
        conn,
        &super::store::NewUser {
            username: input.username.as_ref().map(Username::as_str),
            phone: Some(input.phone.as_str()),
            display_name: &input.display_name,
            password_hash,
            locale,
        },
    )
    .await?;
    orgs::join(conn, user_id, placement.org_id, placement.status).await?;
    if placement.secretary {
        let role = super::model::Role::Secretary;
        orgs::grant_role(conn, user_id, role, Some(placement.org_id), None).await?;
    }
    Ok(Joined {
        user_id,
        org_id: placement.org_id,
    })
}

/// Checks a sign-in's password under the sign-in limits, and counts the failure or clears
/// the failures before a success. Every refusal answers the same message, and a login that
/// names nobody takes as long as a wrong password. Takes the pool, not a connection: none
/// is held while the password is hashed.
pub async fn check_password(
    pool: &PgPool,
    login: &Login,
    password: String,
) -> Result<Credentials, AppError> {
    let mut conn = pool.acquire().await?;
    let found = super::store::credentials(&mut conn, login).await?;
    let account = login.account_key(found.as_ref().map(|c| c.user_id));
    session::limit_sign_in(&mut conn, &account).await?;
    // No connection held while the password is hashed.
    drop(conn);
    let hash = found.as_ref().map(|c| c.password_hash.clone());
    let right = session::verify_password(password, hash).await?;
    let mut conn = pool.acquire().await?;
    let Some(found) = found.filter(|_| right) else {
        session::count_sign_in_failure(&mut conn, &account).await?;
        tracing::info!("sign-in refused");
        return Err(AppError::Invalid(vec![FieldError::form(
            Msg::BadCredentials,
        )]));
    };
    session::clear_sign_in_failures(&mut conn, &account).await?;
    Ok(found)
}

/// The day's sign-in point, once a day (points keeps it idempotent).
pub async fn signed_in(
    conn: &mut PgConnection,
    user_id: UserId,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let known = leptos::prelude::use_context::<crate::points::flow::AwardedToday>();
    crate::points::flow::sign_in_point(conn, user_id, at, known.as_ref()).await?;
    Ok(())
}

/// Changes a user's password after checking the current one, ending every other session of
/// the account. Returns the account's new session epoch, for this session to keep.
pub async fn change_password(
    conn: &mut PgConnection,
    user_id: UserId,
    current: String,
    new: &NewPassword,
) -> Result<i32, AppError> {
    let stored = super::store::password_hash(conn, user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !session::verify_password(current, Some(stored)).await? {
        return Err(AppError::invalid("current", Msg::WrongCurrentPassword));
    }
    let hash = session::hash_password(new.expose().to_owned()).await?;
    Ok(super::store::set_password_hash(conn, user_id, &hash).await?)
}

/// The user a live session's claim names, with what they hold and their display name;
/// `None` when the session is no longer live.
pub async fn current_user(
    conn: &mut PgConnection,
    claim: &Claim,
) -> Result<Option<(Actor, String)>, AppError> {
    let Some((actor, _)) = super::store::actor(conn, claim).await? else {
        return Ok(None);
    };
    let display_name = orgs::display_name(conn, actor.user_id).await?;
    Ok(Some((actor, display_name)))
}

/// Who a user is, where they belong and what they hold, for the 我的 page.
pub struct Profile {
    pub account: AccountRow,
    /// Each current membership, with the names from the top of its tree down to the
    /// branch's parent.
    pub memberships: Vec<(MembershipRow, Vec<String>)>,
    pub roles: Vec<HeldRoleRow>,
    /// Reviews foundings and reads coverage: administers an area committee, or the platform.
    pub reviews_areas: bool,
    /// Reads Party coverage: administers a Party area committee, or the platform.
    pub reads_party_coverage: bool,
    /// Where the user stands with dues in each tree where they pay.
    pub dues: Vec<crate::dues::model::DuesLine>,
    /// Follows something as an instructor.
    pub follows: bool,
}

/// The profile of a claim's user, read with the viewer in one statement: `None` when the
/// session is no longer live (then nothing is awarded). Opening it counts as the day's
/// sign-in, also for a session kept from yesterday.
pub async fn my_profile(
    conn: &mut PgConnection,
    claim: &Claim,
    at: DateTime<Utc>,
) -> Result<Option<((Actor, i64), Profile)>, AppError> {
    let Some(page) = super::store::profile_page(conn, claim).await? else {
        return Ok(None);
    };
    let Some(viewer) = page.viewer else {
        return Ok(None);
    };
    signed_in(conn, claim.user_id, at).await?;
    let actor = &viewer.0;
    let reviews_areas =
        actor.is_platform_admin() || page.area_committees.iter().any(|p| actor.can_administer(p));
    let reads_party_coverage = actor.is_platform_admin()
        || page
            .party_area_committees
            .iter()
            .any(|p| actor.can_administer(p));
    let now = crate::dues::model::Month::of(crate::time::day_of(at));
    let dues = page
        .dues
        .into_iter()
        .map(|d| crate::dues::model::DuesLine::of(d.tree, d.since, &d.held, now))
        .collect();
    let profile = Profile {
        account: page.account,
        memberships: page.memberships,
        roles: page.roles,
        reviews_areas,
        reads_party_coverage,
        dues,
        follows: page.follows,
    };
    Ok(Some((viewer, profile)))
}
