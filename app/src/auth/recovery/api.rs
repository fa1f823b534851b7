//! Server functions for getting back into an account: ask for a code by text message, set
//! a new password with a code, sign in with a code, and a secretary's reset code.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::ids::{OrgId, UserId};

/// Sends a code by text message for `purpose` (`reset` or `sign_in`) to the account of a
/// phone number. Answers the same whether or not the number is registered.
#[server(endpoint = "send_account_code")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn send_account_code(phone: String, purpose: String) -> Result<u32, AppError> {
    use super::model::{CodePurpose, SENDS_PER_ADDRESS, SENDS_PER_PHONE};
    use crate::auth::{model::Phone, session};
    let purpose =
        CodePurpose::parse_sent(&purpose).ok_or_else(|| AppError::BadRequest("purpose".into()))?;
    let phone = Phone::parse(&phone).map_err(|m| AppError::invalid("phone", m))?;
    let address = session::client_ip().await;
    session::rate_limit(&format!("code:ip:{address}"), SENDS_PER_ADDRESS).await?;
    session::rate_limit(&format!("code:phone:{}", phone.as_str()), SENDS_PER_PHONE).await?;
    let mut tx = session::begin().await?;
    let queued = super::flow::send_code(&mut tx, &phone, purpose, chrono::Utc::now()).await?;
    tx.commit().await?;
    if queued && let Some(wake) = use_context::<session::SmsWake>() {
        wake.0.notify_one();
    }
    // A signed-out visitor's answer is not carried to the next page: the address says it.
    let page = match purpose {
        CodePurpose::SignIn => "/signin/sms",
        _ => "/reset",
    };
    leptos_axum::redirect(&format!("{page}?sent=1&phone={}", phone.as_str()));
    Ok(purpose.minutes())
}

/// Sets a new password with a code by text message or a secretary's reset code, ends every
/// session of the account and signs this one in.
#[server(endpoint = "reset_password")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn reset_password(
    login: String,
    code: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use crate::auth::session;
    let form = super::model::ResetForm::parse(&login, &code, &password, &password_confirm)
        .map_err(AppError::Invalid)?;
    let hash = session::hash_password(form.password.expose().to_owned()).await?;
    let mut tx = session::begin().await?;
    let done = super::flow::reset_password(&mut tx, &form, &hash).await?;
    // A refused code is counted even though nothing else is kept.
    tx.commit().await?;
    let (account, epoch) =
        done.ok_or_else(|| AppError::invalid("code", crate::error::Msg::CodeWrong))?;
    session::sign_in_session(account.user_id, epoch).await?;
    session::set_locale_cookie(account.locale);
    tracing::info!(user_id = account.user_id.0, "password reset with a code");
    leptos_axum::redirect("/me");
    Ok(())
}

/// Signs in with a code sent by text message to the account's phone.
#[server(endpoint = "sign_in_with_code")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn sign_in_with_code(number: String, code: String, next: String) -> Result<(), AppError> {
    use super::model::CodePurpose;
    use crate::auth::{model::Login, session};
    let (phone, code) =
        super::model::parse_code_sign_in(&number, &code).map_err(AppError::Invalid)?;
    let mut tx = session::begin().await?;
    let login = Login::Phone(phone);
    let found = super::flow::redeem(&mut tx, &login, &[CodePurpose::SignIn], &code).await?;
    if let Some(account) = &found {
        crate::auth::flow::signed_in(&mut tx, account.user_id, chrono::Utc::now()).await?;
    }
    tx.commit().await?;
    let account = found.ok_or_else(|| AppError::invalid("code", crate::error::Msg::CodeWrong))?;
    session::sign_in_session(account.user_id, account.session_epoch).await?;
    session::set_locale_cookie(account.locale);
    tracing::info!(user_id = account.user_id.0, "signed in with a code");
    leptos_axum::redirect(&session::local_path(&next, "/me"));
    Ok(())
}

/// A reset code just issued: whose, the code, and how many hours it lives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssuedCodeView {
    pub name: String,
    pub code: String,
    pub hours: u32,
}

/// Issues a reset code for a member of the caller's branch, to hand over in person.
#[server(endpoint = "issue_reset_code")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn issue_reset_code(org: OrgId, member: UserId) -> Result<IssuedCodeView, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let now = chrono::Utc::now();
    let issued = super::flow::issue_reset_code(&mut tx, &actor, org, member, now).await?;
    tx.commit().await?;
    tracing::info!(
        by = actor.user_id.0,
        user_id = member.0,
        "reset code issued"
    );
    Ok(IssuedCodeView {
        name: issued.name,
        code: issued.code.as_str().to_owned(),
        hours: super::model::ISSUED_CODE_HOURS,
    })
}
