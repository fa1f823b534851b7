//! Sign-in, sign-up, 我的 and the password page.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::{ChangePassword, ProfileView, SignIn, SignOut, SignUp, my_profile};
use crate::i18n::use_t;
use crate::ui::{
    AppLayout, AuthLayout, ErrorState, Field, FormError, FormOk, LanguageSwitch, Loading,
    action_error,
};

#[component]
pub fn SignInPage() -> impl IntoView {
    let t = use_t();
    let action = crate::ui::server_action::<SignIn>();
    let error = action_error(action);
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <AuthLayout title=t.sign_in_title>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <FormError error />
                <Field label=t.field_login name="login" autocomplete="username" hint=t.hint_login error />
                <Field label=t.field_password name="password" kind="password" autocomplete="current-password" error />
                <input type="hidden" name="next" value=next />
                <button type="submit" class="btn primary block" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { t.signing_in } else { t.sign_in }}
                </button>
            </ActionForm>
            <p class="alt"><A href="/reset">{t.forgot_password}</A> " · " <A href="/signin/sms">{t.sign_in_by_sms}</A></p>
            <p class="alt">{t.no_account} " " <A href="/signup">{t.sign_up_with_code}</A></p>
            <p class="alt"><A href="/league/apply">{t.founding_apply_entry}</A></p>
        </AuthLayout>
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let t = use_t();
    let action = crate::ui::server_action::<SignUp>();
    let error = action_error(action);
    let query = use_query_map();
    let code = Signal::derive(move || query.read().get("code").unwrap_or_default());
    view! {
        <AuthLayout title=t.sign_up_title>
            <p class="lead">{t.sign_up_lead}</p>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <FormError error />
                <Field label=t.field_code name="code" value=code autocomplete="off" hint=t.hint_code error />
                <Field label=t.field_display_name name="display_name" autocomplete="name" error />
                <Field label=t.field_phone name="phone" kind="tel" inputmode="numeric" autocomplete="tel" error />
                <Field label=t.field_username name="username" autocomplete="username" hint=t.hint_username error />
                <Field label=t.field_password name="password" kind="password" autocomplete="new-password" hint=t.hint_password error />
                <Field label=t.field_password_confirm name="password_confirm" kind="password" autocomplete="new-password" error />
                <button type="submit" class="btn primary block" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { t.signing_up } else { t.sign_up }}
                </button>
            </ActionForm>
            <p class="alt">{t.have_account} " " <A href="/signin">{t.sign_in}</A></p>
        </AuthLayout>
    }
}

/// 我的: who I am, my organizations and roles, language, password and sign-out.
#[component]
pub fn MePage() -> impl IntoView {
    let t = use_t();
    #[cfg(feature = "ssr")]
    crate::auth::session::page_brings_viewer();
    let profile = Resource::new(|| (), |_| my_profile());
    let sign_out = crate::ui::server_action::<SignOut>();
    view! {
        <AppLayout title=t.tab_me>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match profile.await {
                        Ok(p) => view! { <Profile p /> }.into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
            <crate::study::streak::components::StreakCard />
            <section class="card">
                <crate::notices::pages::NoticesLink />
                <crate::transfers::pages::TransfersLink />
                <A href="/orglife" attr:class="row link">{t.life_title}<span aria-hidden="true">"›"</span></A>
            </section>
            <section class="card">
                <h2>{t.settings}</h2>
                <div class="row">
                    <span>{t.language}</span>
                    <LanguageSwitch />
                </div>
                <A href="/me/password" attr:class="row link">{t.change_password}<span aria-hidden="true">"›"</span></A>
                <ActionForm action=sign_out attr:class="row">
                    <button type="submit" class="btn danger block">{t.sign_out}</button>
                </ActionForm>
            </section>
        </AppLayout>
    }
}

#[component]
fn Profile(p: ProfileView) -> impl IntoView {
    let t = use_t();
    let initial = p.display_name.chars().next().unwrap_or('?');
    let account = [p.phone.clone(), p.username.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let manages = p
        .roles
        .iter()
        .any(|r| r.role != super::model::Role::DuesOfficer);
    let dues = p.dues.clone();
    let follows = p.follows;
    let reviews_areas = p.reviews_areas;
    let reads_party_coverage = p.reads_party_coverage;
    let platform_admin = p
        .roles
        .iter()
        .any(|r| r.role == super::model::Role::PlatformAdmin);
    let oversees = p.roles.iter().any(|r| {
        matches!(
            r.role,
            super::model::Role::OrgAdmin | super::model::Role::PlatformAdmin
        )
    });
    view! {
        <section class="card profile">
            <div class="avatar" aria-hidden="true">{initial.to_string()}</div>
            <div>
                <div class="profile-name">{p.display_name.clone()}</div>
                <div class="muted">{account}</div>
            </div>
        </section>
        <section class="card">
            <h2>{t.my_orgs}</h2>
            {if p.memberships.is_empty() {
                view! { <p class="empty">{t.no_orgs}</p> }.into_any()
            } else {
                p.memberships
                    .into_iter()
                    .map(|m| {
                        view! {
                            <div class="org-line">
                                <span class=format!("tag {}", m.tree.as_str())>{m.tree.label(t)}</span>
                                <div>
                                    <div class="org-name">{m.org_name}</div>
                                    <div class="muted small">{m.above.join(" › ")}</div>
                                    <div class="muted small">
                                        {m.status.label(t)} " · " {t.since} " " {m.since}
                                    </div>
                                    {m.mobile_home.map(|home| view! {
                                        <div class="muted small" data-testid="mobile-member">
                                            {format!("{} · {}", t.mobile_member, t.mobile_home.replace("{home}", &home))}
                                        </div>
                                    })}
                                </div>
                            </div>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </section>
        {(!dues.is_empty()).then(|| view! { <crate::dues::pages::DuesLines lines=dues /> })}
        <section class="card">
            <A href="/me/join" attr:class="row link">{t.dev_title}<span aria-hidden="true">"›"</span></A>
            {follows.then(|| view! { <A href="/me/following" attr:class="row link">{t.following_title}<span aria-hidden="true">"›"</span></A> })}
        </section>
        <section class="card">
            <h2>{t.my_roles}</h2>
            {if p.roles.is_empty() {
                view! { <p class="empty">{t.no_roles}</p> }.into_any()
            } else {
                p.roles
                    .into_iter()
                    .map(|r| {
                        let (href, place) = match r.org {
                            Some((id, name, kind, tree)) if r.role == super::model::Role::DuesOfficer => (format!("/orglife/dues?org={id}"), format!("{} · {}", name, kind.label(tree, t))),
                            Some((id, name, kind, tree)) => (format!("/admin/orgs/{id}"), format!("{} · {}", name, kind.label(tree, t))),
                            None => ("/admin/orgs".to_owned(), t.whole_platform.to_owned()),
                        };
                        view! {
                            <A href=href attr:class="row link">
                                <span>
                                    <strong>{r.role.label(t)}</strong>
                                    <span class="muted small block">{place}</span>
                                </span>
                                <span aria-hidden="true">"›"</span>
                            </A>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
            {manages.then(|| view! { <A href="/admin/orgs" attr:class="btn block">{t.org_admin_entry}</A> })}
            {manages.then(|| view! { <A href="/orglife/development" attr:class="btn block">{t.dev_branch_title}</A> })}
            {manages.then(|| view! { <A href="/admin/content" attr:class="btn block">{t.content_title}</A> })}
            {manages.then(|| view! { <A href="/admin/quizzes/new" attr:class="btn block">{t.special_new}</A> })}
            {platform_admin.then(|| view! { <A href="/admin/questions" attr:class="btn block">{t.bank_entry}</A> })}
            {platform_admin.then(|| view! { <A href="/admin/ledger" attr:class="btn block">{t.ledger_title}</A> })}
            {reviews_areas.then(|| view! { <A href="/league/review" attr:class="btn block">{t.founding_queue_title}</A> })}
            {reviews_areas.then(|| view! { <A href="/league/coverage" attr:class="btn block">{t.coverage_title}</A> })}
            {reads_party_coverage.then(|| view! { <A href="/league/coverage?tree=party" attr:class="btn block">{t.coverage_party_title}</A> })}
            {oversees.then(|| view! { <A href="/dashboard" attr:class="btn block">{t.dashboard_title}</A> })}
            {oversees.then(|| view! { <A href="/orglife/compliance" attr:class="btn block">{t.compliance_link}</A> })}
            {platform_admin.then(|| view! { <A href="/league/outbox" attr:class="btn block">{t.outbox_title}</A> })}
            {platform_admin.then(|| view! { <A href="/admin/rules" attr:class="btn block">{t.rules_title}</A> })}
            {platform_admin.then(|| view! { <A href="/admin/dues-rates" attr:class="btn block">{t.dues_rates_title}</A> })}
        </section>
    }
}

#[component]
pub fn PasswordPage() -> impl IntoView {
    let t = use_t();
    let action = crate::ui::server_action::<ChangePassword>();
    let error = action_error(action);
    let done = Signal::derive(move || matches!(action.value().get(), Some(Ok(()))));
    view! {
        <AppLayout title=t.change_password back="/me">
            <section class="card">
                <ActionForm action=action attr:class="form" attr:novalidate=true>
                    <FormOk show=done text=t.password_changed />
                    <FormError error />
                    <Field label=t.field_current_password name="current" kind="password" autocomplete="current-password" error />
                    <Field label=t.field_new_password name="password" kind="password" autocomplete="new-password" hint=t.hint_password error />
                    <Field label=t.field_password_confirm name="password_confirm" kind="password" autocomplete="new-password" error />
                    <button type="submit" class="btn primary block" disabled=move || action.pending().get()>{t.save}</button>
                </ActionForm>
            </section>
        </AppLayout>
    }
}
