//! 重设密码 (a code by text message or a secretary's reset code) and 短信验证码登录.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::{ResetPassword, SendAccountCode, SignInWithCode};
use crate::i18n::use_t;
use crate::ui::{AuthLayout, Field, FormError, action_error};

/// The number a code was just sent to (`?sent=1&phone=`), for the page to say so and to
/// fill in: a signed-out visitor's answer travels in the address.
fn sent_to() -> Signal<Option<String>> {
    let query = use_query_map();
    Signal::derive(move || {
        let q = query.read();
        q.get("sent").map(|_| q.get("phone").unwrap_or_default())
    })
}

/// Asks for a code by text message for `purpose` and says, once asked, that it is on its
/// way if the number is registered.
#[component]
fn SendCode(purpose: &'static str) -> impl IntoView {
    let t = use_t();
    let action = crate::ui::server_action::<SendAccountCode>();
    let error = action_error(action);
    let sent = sent_to();
    let text = t
        .code_sent
        .replace("{minutes}", &super::model::SMS_CODE_MINUTES.to_string());
    view! {
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            {move || sent.get().map(|_| view! { <div class="alert ok" role="status" data-testid="code-sent">{text.clone()}</div> })}
            <FormError error />
            <Field label=t.field_phone name="phone" kind="tel" inputmode="numeric" autocomplete="tel" value=Signal::derive(move || sent.get().unwrap_or_default()) hint=t.hint_login error />
            <input type="hidden" name="purpose" value=purpose />
            <button type="submit" class="btn block" disabled=move || action.pending().get()>{t.send_code}</button>
        </ActionForm>
    }
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let t = use_t();
    let action = crate::ui::server_action::<ResetPassword>();
    let error = action_error(action);
    let sent = sent_to();
    view! {
        <AuthLayout title=t.reset_title>
            <p class="lead">{t.reset_lead}</p>
            <h2>{t.send_code_title}</h2>
            <SendCode purpose="reset" />
            <h2>{t.set_new_password_title}</h2>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <FormError error />
                <Field label=t.field_login name="login" autocomplete="username" value=Signal::derive(move || sent.get().unwrap_or_default()) hint=t.hint_login error />
                <Field label=t.field_one_time_code name="code" autocomplete="one-time-code" hint=t.hint_one_time_code error />
                <Field label=t.field_new_password name="password" kind="password" autocomplete="new-password" hint=t.hint_password error />
                <Field label=t.field_password_confirm name="password_confirm" kind="password" autocomplete="new-password" error />
                <button type="submit" class="btn primary block" disabled=move || action.pending().get()>{t.reset_submit}</button>
            </ActionForm>
            <p class="alt"><A href="/signin">{t.sign_in_by_password}</A></p>
        </AuthLayout>
    }
}

#[component]
pub fn CodeSignInPage() -> impl IntoView {
    let t = use_t();
    let action = crate::ui::server_action::<SignInWithCode>();
    let error = action_error(action);
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let sent = sent_to();
    view! {
        <AuthLayout title=t.sign_in_by_sms>
            <p class="lead">{t.sms_sign_in_lead}</p>
            <SendCode purpose="sign_in" />
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <FormError error />
                <Field label=t.field_phone name="number" kind="tel" inputmode="numeric" autocomplete="tel" value=Signal::derive(move || sent.get().unwrap_or_default()) error />
                <Field label=t.field_sms_code name="code" inputmode="numeric" autocomplete="one-time-code" error />
                <input type="hidden" name="next" value=next />
                <button type="submit" class="btn primary block" disabled=move || action.pending().get()>{t.sign_in}</button>
            </ActionForm>
            <p class="alt"><A href="/signin">{t.sign_in_by_password}</A></p>
        </AuthLayout>
    }
}
