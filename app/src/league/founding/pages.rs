//! The founding pages: the public application form and its tracking page, the reviewers'
//! queue and an application's review, and the outbox of text messages.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    AnswerApplication, ApplicationView, InviteEnterprise, ReviewApplication, SetOrgArea,
    SubmitApplication, founding_application, founding_form, founding_queue, org_area,
    outbox_messages, track_application,
};
use super::model::{AppState, FoundingEvent};
use crate::i18n::{Strings, use_t};
use crate::ids::OrgId;
use crate::league::ledger::model::AreaLevel;
use crate::ui::action_error;
use crate::ui::{AppLayout, AuthLayout, CopyLink, Empty, ErrorState, Field, FormError, Loading};

fn level_label(level: AreaLevel, t: &Strings) -> &'static str {
    match level {
        AreaLevel::Street => t.level_street,
        AreaLevel::District => t.level_district,
        AreaLevel::City => t.level_city,
    }
}

fn state_label(state: AppState, t: &Strings) -> &'static str {
    match state {
        AppState::Reviewing => t.founding_state_reviewing,
        AppState::NeedsInfo => t.founding_state_needs_info,
        AppState::Approved => t.founding_state_approved,
        AppState::Rejected => t.founding_state_rejected,
    }
}

fn state_class(state: AppState) -> &'static str {
    match state {
        AppState::Reviewing => "tag kind",
        AppState::NeedsInfo => "tag warn",
        AppState::Approved => "tag ok",
        AppState::Rejected => "tag muted-tag",
    }
}

fn event_label(event: FoundingEvent, t: &Strings) -> &'static str {
    match event {
        FoundingEvent::Submitted => t.ev_submitted,
        FoundingEvent::Approved => t.ev_approved,
        FoundingEvent::Rejected => t.ev_rejected,
        FoundingEvent::Asked => t.ev_asked,
        FoundingEvent::Answered => t.ev_answered,
        FoundingEvent::Founded => t.ev_founded,
        FoundingEvent::Invited => t.ev_invited,
    }
}

fn when(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&crate::time::shanghai())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// `/league/apply`: the public form (no account), prefilled from an invitation link.
#[component]
pub fn ApplyPage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let action = crate::ui::server_action::<SubmitApplication>();
    let error = action_error(action);
    let form = Resource::new(
        move || query.read().get("invite").unwrap_or_default(),
        founding_form,
    );
    view! {
        <AuthLayout title=t.founding_apply_title>
            <p class="lead">{t.founding_apply_lead}</p>
            <Suspense fallback=Loading>
                {move || form.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(f) => {
                        let pre = f.prefill.unwrap_or_default();
                        let districts: Vec<String> = {
                            let mut d: Vec<String> = f.areas.iter().map(|(d, _)| d.clone()).collect();
                            d.dedup();
                            d
                        };
                        let streets = f.areas.clone();
                        let (pd, ps) = (pre.district.clone(), pre.street.clone());
                        view! {
                            <ActionForm action=action attr:class="form" attr:novalidate=true>
                                <FormError error />
                                <Field label=t.f_enterprise_name name="enterprise_name" value=pre.enterprise_name.clone() error />
                                <Field label=t.f_credit_code name="credit_code" value=pre.credit_code.clone() autocomplete="off" hint=t.f_credit_code_hint error />
                                <div class="field">
                                    <label for="f-district">{t.f_district}</label>
                                    <select id="f-district" name="district">
                                        <option value="">{t.f_choose}</option>
                                        {districts.into_iter().map(|d| {
                                            let selected = d == pd;
                                            view! { <option value=d.clone() selected=selected>{d.clone()}</option> }
                                        }).collect_view()}
                                    </select>
                                    <p class="field-error" role="alert">{move || error.get().and_then(|e| e.field("district")).map(|m| m.text(t))}</p>
                                </div>
                                <div class="field">
                                    <label for="f-street">{t.f_street}</label>
                                    <select id="f-street" name="street">
                                        <option value="">{t.f_choose}</option>
                                        {streets.into_iter().filter(|(_, s)| !s.is_empty()).map(|(d, s)| {
                                            let selected = s == ps;
                                            view! { <option value=s.clone() selected=selected>{format!("{d} · {s}")}</option> }
                                        }).collect_view()}
                                    </select>
                                    <p class="hint">{t.founding_area_hint}</p>
                                </div>
                                <Field label=t.f_young_employees name="young_employees" kind="number" inputmode="numeric" error />
                                <Field label=t.f_league_members name="league_members" kind="number" inputmode="numeric" error />
                                <Field label=t.f_contact_name name="contact_name" autocomplete="name" error />
                                <Field label=t.f_contact_phone name="contact_phone" kind="tel" inputmode="numeric" autocomplete="tel" error />
                                <Field label=t.f_secretary_name name="secretary_name" error />
                                <Field label=t.f_secretary_phone name="secretary_phone" kind="tel" inputmode="numeric" error />
                                <Field label=t.f_note name="note" error />
                                <button type="submit" class="btn primary block" disabled=move || action.pending().get()>
                                    {move || if action.pending().get() { t.founding_submitting } else { t.founding_submit }}
                                </button>
                            </ActionForm>
                        }.into_any()
                    }
                })}
            </Suspense>
        </AuthLayout>
    }
}

/// The history of an application, oldest first.
#[component]
fn History(events: Vec<super::api::EventView>) -> impl IntoView {
    let t = use_t();
    view! {
        <h2>{t.founding_history}</h2>
        <ol class="timeline">
            {events.into_iter().map(|e| {
                let who = match (e.level, e.by) {
                    (Some(l), Some(by)) => format!("{} · {by}", level_label(l, t)),
                    (Some(l), None) if e.action == FoundingEvent::Submitted => format!("{} → {}", t.founding_applicant, level_label(l, t)),
                    (_, Some(by)) => by,
                    _ if e.action == FoundingEvent::Answered => t.founding_applicant.to_owned(),
                    _ => String::new(),
                };
                let when_who = if who.is_empty() { when(e.at) } else { format!("{} · {who}", when(e.at)) };
                let note = match (e.action, e.message.as_str()) {
                    (FoundingEvent::Submitted, "applicant") => t.founding_submitted_note.to_owned(),
                    (FoundingEvent::Submitted, "name") => t.founding_matched_name.to_owned(),
                    (FoundingEvent::Submitted, "unmatched") => t.founding_unmatched.to_owned(),
                    (FoundingEvent::Submitted, _) => t.founding_matched_code.to_owned(),
                    _ => e.message.clone(),
                };
                view! {
                    <li>
                        <strong>{event_label(e.action, t)}</strong>
                        <span class="muted small block">{when_who}</span>
                        {(!note.is_empty()).then(|| view! { <p class="small">{note}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// Status line and outcome of an application.
#[component]
fn Status(app: ApplicationView) -> impl IntoView {
    let t = use_t();
    view! {
        <p>
            <span class=state_class(app.state)>{state_label(app.state, t)}</span>
            {app.state.is_open().then(|| view! {
                <span class="muted small">" " {t.founding_at_level.replace("{level}", level_label(app.level, t))}</span>
            })}
        </p>
        {app.org_name.clone().map(|org| view! { <div class="alert ok" role="status">{t.founding_founded.replace("{org}", &org)}</div> })}
    }
}

/// `/league/track/:token`: the applicant's view through the secret link.
#[component]
pub fn TrackPage() -> impl IntoView {
    let t = use_t();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let answer = crate::ui::server_action::<AnswerApplication>();
    let error = action_error(answer);
    let app = Resource::new(
        move || (token(), answer.version().get()),
        |(tk, _)| track_application(tk),
    );
    view! {
        <AuthLayout title=t.founding_track_title>
            <p class="muted small">{t.founding_track_keep}</p>
            <Suspense fallback=Loading>
                {move || app.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(a) => {
                        let needs_info = a.state == AppState::NeedsInfo;
                        let invitation = a.invitation.clone();
                        view! {
                            <h2>{a.enterprise_name.clone()}</h2>
                            <p class="muted small">{format!("{} · {} {}", a.credit_code, a.district, a.street)}</p>
                            <Status app=a.clone() />
                            {invitation.map(|link| view! {
                                <div class="card inset">
                                    <CopyLink link label=t.founding_invite_link />
                                </div>
                            })}
                            {needs_info.then(|| view! {
                                <ActionForm action=answer attr:class="form" attr:novalidate=true>
                                    <FormError error />
                                    <input type="hidden" name="token" value=token() />
                                    <Field label=t.founding_answer name="answer" error />
                                    <button type="submit" class="btn primary block" disabled=move || answer.pending().get()>{t.founding_answer_send}</button>
                                </ActionForm>
                            })}
                            <History events=a.events />
                        }.into_any()
                    }
                })}
            </Suspense>
        </AuthLayout>
    }
}

/// `/league/review`: the applications in the reviewer's areas, those waiting for them first.
#[component]
pub fn FoundingQueuePage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let tab = move || query.read().get("tab").unwrap_or_else(|| "todo".to_owned());
    let queue = Resource::new(|| (), |_| founding_queue());
    view! {
        <AppLayout title=t.founding_queue_title back="/me">
            <Suspense fallback=Loading>
                {move || queue.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(q) => {
                        let current = tab();
                        let tabs = [("todo", t.founding_tab_todo, q.todo), ("open", t.founding_tab_open, q.open), ("closed", t.founding_tab_closed, q.closed)];
                        let rows: Vec<_> = q.rows.into_iter().filter(|r| match current.as_str() {
                            "open" => r.state.is_open(),
                            "closed" => !r.state.is_open(),
                            _ => r.mine,
                        }).collect();
                        view! {
                            <nav class="segmented" aria-label=t.founding_queue_title>
                                {tabs.into_iter().map(|(key, label, n)| view! {
                                    <a href=format!("/league/review?tab={key}") aria-current=if current == key { "page" } else { "false" }>
                                        {format!("{label} {n}")}
                                    </a>
                                }).collect_view()}
                            </nav>
                            {if rows.is_empty() {
                                view! { <Empty text=t.founding_empty /> }.into_any()
                            } else {
                                view! {
                                    <section class="card list">
                                        {rows.into_iter().map(|r| view! {
                                            <A href=format!("/league/review/{}", r.id) attr:class="row link">
                                                <span>
                                                    <strong>{r.enterprise_name}</strong>
                                                    <span class="muted small block">
                                                        {format!("{} {} · {} · {}", r.district, r.street, level_label(r.level, t), t.founding_waiting.replace("{n}", &r.waiting_days.to_string()))}
                                                    </span>
                                                    {(!r.matched).then(|| view! { <span class="tag warn">{t.founding_unmatched_short}</span> })}
                                                </span>
                                                <span class=state_class(r.state)>{state_label(r.state, t)}</span>
                                            </A>
                                        }).collect_view()}
                                    </section>
                                }.into_any()
                            }}
                            <p><A href="/league/invite" attr:class="btn block">{t.founding_invite_title}</A></p>
                        }.into_any()
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

/// `/league/review/:id`: what the applicant says beside what the ledger says, the history,
/// and the decision for the holder of the current step.
#[component]
pub fn FoundingReviewPage() -> impl IntoView {
    let t = use_t();
    let id = crate::ui::id_param::<crate::ids::ApplicationId>();
    let act = crate::ui::server_action::<ReviewApplication>();
    let error = action_error(act);
    let app = Resource::new(
        move || (id.get(), act.version().get()),
        |(id, _)| founding_application(id),
    );
    view! {
        <AppLayout title=t.founding_review_title back="/league/review">
            <Suspense fallback=Loading>
                {move || app.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(a) => {
                        let outcome = super::model::outcome(a.league_members, a.young_employees);
                        let ledger = a.ledger.clone();
                        let level = a.level.as_str();
                        view! {
                            <section class="card">
                                <h2>{a.enterprise_name.clone()}</h2>
                                <Status app=a.clone() />
                                <p class="small">{match a.matched_by.as_deref() {
                                    Some("code") => t.founding_matched_code,
                                    Some(_) => t.founding_matched_name,
                                    None => t.founding_unmatched,
                                }}</p>
                                <table class="table compare">
                                    <thead><tr><th></th><th>{t.founding_applicant_says}</th><th>{t.founding_ledger_says}</th></tr></thead>
                                    <tbody>
                                        <tr><th>{t.cmp_code}</th><td>{a.credit_code.clone()}</td><td>{ledger.as_ref().map(|l| l.credit_code.clone()).unwrap_or_else(|| "—".into())}</td></tr>
                                        <tr><th>{t.cmp_young}</th><td>{a.young_employees}</td><td>{ledger.as_ref().map(|l| l.young_employees.to_string()).unwrap_or_else(|| "—".into())}</td></tr>
                                        <tr><th>{t.cmp_league}</th><td>{a.league_members}</td><td>{ledger.as_ref().map(|l| l.league_members.to_string()).unwrap_or_else(|| "—".into())}</td></tr>
                                        <tr><th>{t.cmp_place}</th><td>{format!("{} {}", a.district, a.street)}</td><td>{ledger.as_ref().map(|l| l.address.clone()).unwrap_or_else(|| "—".into())}</td></tr>
                                        <tr><th>{t.cmp_contact}</th><td colspan="2">{format!("{} {}", a.contact_name, a.contact_phone)}</td></tr>
                                        <tr><th>{t.cmp_secretary}</th><td colspan="2">{format!("{} {}", a.secretary_name, a.secretary_phone)}</td></tr>
                                    </tbody>
                                </table>
                                {(!a.note.is_empty()).then(|| view! { <p class="small">{a.note.clone()}</p> })}
                                <p class="small muted">{match outcome {
                                    Some(super::model::Outcome::OwnBranch) => t.founding_outcome_own.replace("{n}", &a.league_members.to_string()),
                                    Some(super::model::Outcome::JointBranch) => t.founding_outcome_joint.to_owned(),
                                    None => String::new(),
                                }}</p>
                            </section>
                            {a.can_review.then(|| view! {
                                <section class="card">
                                    <ActionForm action=act attr:class="form" attr:novalidate=true>
                                        <FormError error />
                                        <input type="hidden" name="id" value=a.id />
                                        <input type="hidden" name="level" value=level />
                                        <Field label=t.founding_reason name="reason" error />
                                        <div class="actions">
                                            <button type="submit" name="action" value="approve" class="btn primary" disabled=move || act.pending().get()>{t.founding_approve}</button>
                                            <button type="submit" name="action" value="ask" class="btn" disabled=move || act.pending().get()>{t.founding_ask}</button>
                                            <button type="submit" name="action" value="reject" class="btn danger" disabled=move || act.pending().get()>{t.founding_reject}</button>
                                        </div>
                                    </ActionForm>
                                </section>
                            })}
                            <section class="card"><History events=a.events /></section>
                            <crate::instructors::components::InstructorsSection org=None application=Some(a.id) />
                        }.into_any()
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

/// `/league/invite`: an invitation link for an enterprise of the ledger, sent by text
/// message when a number is given.
#[component]
pub fn InviteEnterprisePage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let invite = crate::ui::server_action::<InviteEnterprise>();
    let error = action_error(invite);
    let code = Signal::derive(move || query.read().get("code").unwrap_or_default());
    view! {
        <AppLayout title=t.founding_invite_title back="/league/review">
            <section class="card">
                <p class="muted small">{t.founding_invite_lead}</p>
                <ActionForm action=invite attr:class="form" attr:novalidate=true>
                    <FormError error />
                    <Field label=t.f_credit_code name="credit_code" value=code autocomplete="off" error />
                    <Field label=t.founding_invite_phone name="phone" kind="tel" inputmode="numeric" error />
                    <button type="submit" class="btn primary block" disabled=move || invite.pending().get()>{t.founding_invite_send}</button>
                </ActionForm>
                {move || invite.value().get().and_then(Result::ok).map(|link| view! {
                    <div class="alert ok" role="status">{t.founding_invite_done}</div>
                    <CopyLink link label=t.founding_invite_link />
                })}
            </section>
        </AppLayout>
    }
}

/// `/league/outbox`: text messages, sent or waiting for a gateway. Platform admins.
#[component]
pub fn OutboxPage() -> impl IntoView {
    let t = use_t();
    let messages = Resource::new(|| (), |_| outbox_messages());
    view! {
        <AppLayout title=t.outbox_title back="/me">
            <Suspense fallback=Loading>
                {move || messages.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <Empty text=t.outbox_empty /> }.into_any(),
                    Ok(rows) => view! {
                        <section class="card list">
                            {rows.into_iter().map(|m| {
                                let (state, class) = crate::notices::pages::delivery_state(t, m.sent, m.failed, m.attempts);
                                view! {
                                    <div class="row" data-testid="sms">
                                        <span>
                                            <strong>{m.recipient}</strong>
                                            <span class="muted small block">{when(m.at)}</span>
                                            <span class="small block">{m.body}</span>
                                            {(!m.error.is_empty()).then(|| view! { <span class="small block error">{m.error}</span> })}
                                        </span>
                                        <span class=class>{state}</span>
                                    </div>
                                }
                            }).collect_view()}
                        </section>
                    }.into_any(),
                })}
            </Suspense>
            <crate::notices::pages::MailOutbox />
        </AppLayout>
    }
}

/// On a League committee's page: the area it reviews, set by platform admins.
#[component]
pub fn AreaSetting(org_id: OrgId) -> impl IntoView {
    let t = use_t();
    let save = crate::ui::server_action::<SetOrgArea>();
    let error = action_error(save);
    let area = Resource::new(move || save.version().get(), move |_| org_area(org_id));
    view! {
        <Suspense fallback=Loading>
            {move || area.get().and_then(Result::ok).map(|v| {
                let current = v.area.clone();
                let label = match &current {
                    None => t.area_none.to_owned(),
                    Some(a) => format!("{} {} {}", level_label(a.level, t), a.district, a.street),
                };
                let level = current.as_ref().map(|a| a.level.as_str()).unwrap_or("");
                let district = current.as_ref().map(|a| a.district.clone()).unwrap_or_default();
                let street = current.as_ref().map(|a| a.street.clone()).unwrap_or_default();
                view! {
                    <section class="card">
                        <h2>{t.area_title}</h2>
                        <p>{label}</p>
                        <p class="muted small">{t.area_lead}</p>
                        {v.can_set.then(|| view! {
                            <ActionForm action=save attr:class="form" attr:novalidate=true>
                                <FormError error />
                                <input type="hidden" name="org_id" value=org_id />
                                <div class="field">
                                    <label for="f-level">{t.area_level}</label>
                                    <select id="f-level" name="level">
                                        <option value="" selected=level.is_empty()>{t.area_none}</option>
                                        {[AreaLevel::City, AreaLevel::District, AreaLevel::Street].into_iter().map(|l| view! {
                                            <option value=l.as_str() selected=l.as_str() == level>{level_label(l, t)}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <Field label=t.f_district name="district" value=district error />
                                <Field label=t.f_street name="street" value=street error />
                                <button type="submit" class="btn primary block" disabled=move || save.pending().get()>{t.area_save}</button>
                            </ActionForm>
                        })}
                    </section>
                }
            })}
        </Suspense>
    }
}
