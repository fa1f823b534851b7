//! `/transfers/in`: transferring in from an organization outside the platform (the form
//! from the letter, one's own records) and, for those who run a branch, the ones waiting
//! there with acceptance and return.

use leptos::prelude::*;

use super::api::{InboundPageView, InboundView, SettleInbound, StartInbound, inbound_transfers};
use super::model::{InboundKind, InboundState, statuses};
use crate::i18n::{Strings, use_t};
use crate::orgs::model::Tree;
use crate::ui::{
    AppLayout, ErrorState, Field, FormError, FormOk, Loading, action_done, action_error,
};

fn state_class(s: InboundState) -> &'static str {
    match s {
        InboundState::Waiting => "tag warn",
        InboundState::Accepted => "tag ok",
        InboundState::Returned => "tag muted-tag",
    }
}

/// A transfer in: who (for the branch), from where, the letter, and where it stands.
fn record(r: &InboundView, t: &'static Strings, with_name: bool) -> impl IntoView + use<> {
    let who = if with_name {
        format!("{} · ", r.name)
    } else {
        String::new()
    };
    let line = match &r.dues_paid_to {
        Some(dues) => t.inbound_letter_line.replace("{dues}", dues),
        None => t.inbound_mobile_line.to_owned(),
    };
    let letter = line
        .replace("{kind}", r.kind.label(t))
        .replace("{no}", &r.letter_no)
        .replace("{date}", &r.letter_date)
        .replace("{until}", &r.valid_until)
        .replace("{status}", r.status.label(t));
    view! {
        <span class="row-main">
            <span><span class=state_class(r.state)>{r.state.label(t)}</span>{format!("{who}{} → {}", r.outside_org, r.org_name)}</span>
            <span class="muted small block">{letter}</span>
            {r.reason.clone().map(|why| view! { <span class="muted small block">{format!("{}{}{why}", t.inbound_reason, t.colon)}</span> })}
        </span>
    }
}

#[component]
pub fn InboundPage() -> impl IntoView {
    let t = use_t();
    let start = crate::ui::server_action::<StartInbound>();
    let settle = crate::ui::server_action::<SettleInbound>();
    let (a, b) = (action_done(start), action_done(settle));
    let data = Resource::new(move || a.get() + b.get(), |_| inbound_transfers());
    view! {
        <AppLayout title=t.inbound_title back="/transfers">
            <Suspense fallback=Loading>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(v) => view! { <Inbound v start settle /> }.into_any(),
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn Inbound(
    v: InboundPageView,
    start: ServerAction<StartInbound>,
    settle: ServerAction<SettleInbound>,
) -> impl IntoView {
    let t = use_t();
    let settle_error = action_error(settle);
    let waiting = (!v.waiting.is_empty()).then(|| {
        view! {
            <section class="card list" data-testid="inbound-waiting">
                <h2>{t.inbound_waiting_title}</h2>
                <FormError error=settle_error />
                {v.waiting.iter().map(|r| {
                    let (id, again) = (r.id.to_string(), r.id.to_string());
                    view! {
                        <div class="row" data-testid="inbound-record">{record(r, t, true)}</div>
                        <ActionForm action=settle attr:class="form">
                            <input type="hidden" name="id" value=id />
                            <input type="hidden" name="how" value="accept" />
                            <input type="hidden" name="reason" value="" />
                            <button type="submit" class="btn primary block">{t.inbound_accept}</button>
                        </ActionForm>
                        <ActionForm action=settle attr:class="form">
                            <input type="hidden" name="id" value=again />
                            <input type="hidden" name="how" value="return" />
                            <Field label=t.inbound_reason name="reason" error=settle_error />
                            <button type="submit" class="btn block">{t.inbound_return}</button>
                        </ActionForm>
                    }
                }).collect_view()}
            </section>
        }
    });
    let error = action_error(start);
    let options: Vec<(String, String, Tree)> = v
        .targets
        .iter()
        .flat_map(|(tree, branches)| {
            branches.iter().map(move |(id, name)| {
                (
                    format!("{}-{id}", tree.as_str()),
                    format!("{} · {name}", tree.label(t)),
                    *tree,
                )
            })
        })
        .collect();
    let form = if options.is_empty() {
        view! { <p class="muted">{t.inbound_none}</p> }.into_any()
    } else {
        let status_options: Vec<_> = [Tree::Party, Tree::League]
            .into_iter()
            .flat_map(|tree| statuses(tree).iter().copied())
            .collect();
        view! {
            <ActionForm action=start attr:class="form" attr:novalidate=true attr:data-testid="inbound-form">
                <FormOk show=Signal::derive(move || start.value().with(|v| matches!(v, Some(Ok(_))))) text=t.inbound_started />
                <FormError error />
                <div class="field">
                    <label for="f-kind">{t.inbound_kind}</label>
                    <select id="f-kind" name="kind">
                        {InboundKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.label(t)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-target">{t.inbound_target}</label>
                    <select id="f-target" name="target">
                        {options.into_iter().map(|(value, label, _)| view! { <option value=value>{label}</option> }).collect_view()}
                    </select>
                    {move || error.get().and_then(|e| e.field("target")).map(|m| view! { <p class="field-error" role="alert">{m.text(t)}</p> })}
                </div>
                <Field label=t.inbound_outside name="outside_org" error />
                <Field label=t.inbound_letter_no name="letter_no" error />
                <Field label=t.inbound_letter_date name="letter_date" kind="date" value=v.today.clone() error />
                <Field label=t.transfer_validity name="validity" kind="number" inputmode="numeric" value="30".to_owned() error />
                <div class="field">
                    <label for="f-status">{t.inbound_status}</label>
                    <select id="f-status" name="status">
                        {status_options.into_iter().map(|s| view! { <option value=s.as_str()>{s.label(t)}</option> }).collect_view()}
                    </select>
                    {move || error.get().and_then(|e| e.field("status")).map(|m| view! { <p class="field-error" role="alert">{m.text(t)}</p> })}
                </div>
                <Field label=t.inbound_dues name="dues" hint=t.inbound_dues_hint error />
                <button type="submit" class="btn primary block" disabled=move || start.pending().get()>{t.inbound_submit}</button>
            </ActionForm>
        }
        .into_any()
    };
    let mine = (!v.mine.is_empty()).then(|| {
        view! {
            <section class="card list" data-testid="inbound-mine">
                <h2>{t.inbound_mine}</h2>
                {v.mine.iter().map(|r| view! { <div class="row" data-testid="inbound-record">{record(r, t, false)}</div> }).collect_view()}
            </section>
        }
    });
    view! {
        {waiting}
        {mine}
        <section class="card">
            <h2>{t.inbound_start}</h2>
            <p class="muted small">{t.inbound_lead}</p>
            {form}
        </section>
    }
}
