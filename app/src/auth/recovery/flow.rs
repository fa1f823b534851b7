//! Getting back into an account on the server: a code sent by text message, a reset code a
//! secretary issues, and using either under the sign-in limits, once.

use chrono::{DateTime, Duration, Utc};
use sqlx::PgConnection;

use super::model::{CodePurpose, OneTimeCode, ResetForm, Verdict, judge};
use super::store;
use crate::auth::model::{Actor, Login, Phone, Role};
use crate::auth::session;
use crate::auth::store::{Credentials, credentials};
use crate::error::{AppError, FieldError, Msg};
use crate::ids::{OrgId, UserId};
use crate::notices::model::{Message, TextMessage};

/// The stored form of a code: it is worth nothing without the account it belongs to.
fn code_hash(user: UserId, code: &OneTimeCode) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{}:{}", user.0, code.as_str()));
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn expiry(purpose: CodePurpose, now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::minutes(i64::from(purpose.minutes()))
}

/// Sends a code of `purpose` by text message to the account of `phone`. A number that
/// names nobody, or a code asked again within a minute, sends nothing and answers the same:
/// the page never tells whether a number is registered. Answers whether a code was queued.
pub async fn send_code(
    conn: &mut PgConnection,
    phone: &Phone,
    purpose: CodePurpose,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let Some(account) = credentials(conn, &Login::Phone(phone.clone())).await? else {
        return Ok(false);
    };
    let code = {
        use rand::Rng;
        OneTimeCode::sms(rand::thread_rng().gen_range(0..1_000_000))
    };
    let hash = code_hash(account.user_id, &code);
    let when = expiry(purpose, now);
    let gap = purpose.resend_secs();
    if !store::put_code(conn, account.user_id, purpose, &hash, when, None, gap).await? {
        return Ok(false);
    }
    let message = TextMessage::AccountCode {
        sign_in: purpose == CodePurpose::SignIn,
        minutes: purpose.minutes(),
    };
    crate::league::founding::store::queue_secret_sms(
        conn,
        phone.as_str(),
        &message,
        account.locale,
        Some(code.as_str()),
    )
    .await?;
    Ok(true)
}

/// Uses a code of one of `purposes` for the account `login` names, under the sign-in limits
/// of that account and this address. A wrong guess is counted on the account's live codes
/// and as a failed sign-in, and answers `None` (the caller commits, then refuses); a login
/// that names nobody answers the same.
pub async fn redeem(
    conn: &mut PgConnection,
    login: &Login,
    purposes: &[CodePurpose],
    code: &OneTimeCode,
) -> Result<Option<Credentials>, AppError> {
    let found = credentials(conn, login).await?;
    let account = login.account_key(found.as_ref().map(|c| c.user_id));
    session::limit_sign_in(conn, &account).await?;
    let mut right = false;
    if let Some(found) = &found {
        let hash = code_hash(found.user_id, code);
        for row in store::live_codes(conn, found.user_id, purposes).await? {
            match judge(row.code_hash == hash, row.expired, row.attempts) {
                Verdict::Right => right = true,
                Verdict::Wrong => store::count_attempt(conn, row.id).await?,
                Verdict::Dead => {}
            }
        }
    }
    match found.filter(|_| right) {
        Some(found) => {
            store::use_codes(conn, found.user_id).await?;
            session::clear_sign_in_failures(conn, &account).await?;
            Ok(Some(found))
        }
        None => {
            session::count_sign_in_failure(conn, &account).await?;
            tracing::info!("a one-time code was refused");
            Ok(None)
        }
    }
}

/// Sets a new password (already hashed) with a code: every session of the account ends.
/// Answers the account and its new session epoch for this session to start with, or `None`
/// when the code was refused (see [`redeem`]).
pub async fn reset_password(
    conn: &mut PgConnection,
    form: &ResetForm,
    password_hash: &str,
) -> Result<Option<(Credentials, i32)>, AppError> {
    let Some(found) = redeem(conn, &form.login, form.code.reset_purposes(), &form.code).await?
    else {
        return Ok(None);
    };
    let epoch = crate::auth::store::set_password_hash(conn, found.user_id, password_hash).await?;
    Ok(Some((found, epoch)))
}

/// A reset code issued in person, shown once.
pub struct Issued {
    pub name: String,
    pub code: OneTimeCode,
}

/// Issues a reset code for a member of a branch that the caller is secretary of (or
/// administers). An account that holds any role gets none from a secretary: only a platform
/// admin issues one to an officer, so that no one reaches an account above their own.
/// The member is told.
pub async fn issue_reset_code(
    conn: &mut PgConnection,
    actor: &Actor,
    org_id: OrgId,
    member: UserId,
    now: DateTime<Utc>,
) -> Result<Issued, AppError> {
    let org = crate::orgs::store::org(conn, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let secretary = actor.grants.iter().any(|g| {
        g.role == Role::Secretary && g.path.as_ref().is_some_and(|p| org.path.is_within(p))
    });
    if !secretary && !actor.can_administer(&org.path) {
        return Err(AppError::Forbidden);
    }
    let row = store::member_of(conn, member, org.id)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.holds_role && !actor.is_platform_admin() {
        return Err(AppError::Invalid(vec![FieldError::form(
            Msg::ResetNotForOfficers,
        )]));
    }
    let code = {
        use rand::Rng;
        OneTimeCode::issued(rand::thread_rng().r#gen())
    };
    let hash = code_hash(member, &code);
    let purpose = CodePurpose::Issued;
    store::put_code(
        conn,
        member,
        purpose,
        &hash,
        expiry(purpose, now),
        Some(actor.user_id),
        0,
    )
    .await?;
    let by = crate::orgs::store::display_name(conn, actor.user_id).await?;
    let message = Message::ResetCodeIssued { by };
    let dedupe = format!("reset-code:{}", now.timestamp_micros());
    crate::notices::store::notify(conn, &[member], &message, "/reset", &dedupe).await?;
    Ok(Issued {
        name: row.display_name,
        code,
    })
}
