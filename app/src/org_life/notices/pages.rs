//! `/orglife/notices`: the member's notices to acknowledge and those their organizations
//! sent; `/orglife/notices/new`: sending one; `/orglife/notices/:id`: reading and
//! acknowledging one (签阅), and for the sender, who has and has not.

use leptos::prelude::*;
use leptos_router::components::A;

use super::api::{AcknowledgeNotice, NoticeItemView, SendNotice, notice_detail, org_notices};
use crate::i18n::use_t;
use crate::ui::{AppLayout, Empty, ErrorState, Field, FormError, Loading};
use crate::ui::{action_done, action_error};

/// `/orglife/notices`: the notices to acknowledge and those the viewer's organizations
/// sent.
#[component]
pub fn OrgNoticesPage() -> impl IntoView {
    let t = use_t();
    let data = Resource::new(|| (), |_| org_notices());
    let item = move |n: NoticeItemView| {
        let tag = match n.counts {
            Some((acked, total)) => view! {
                <span class="tag kind">{t.notice_counts.replace("{acked}", &acked.to_string()).replace("{total}", &total.to_string())}</span>
            }
            .into_any(),
            None if n.acked => view! { <span class="tag ok">{t.notice_acked}</span> }.into_any(),
            None => view! { <span class="tag warn">{t.notice_pending}</span> }.into_any(),
        };
        view! {
            <A href=format!("/orglife/notices/{}", n.id) attr:class="row link">
                <span>
                    <strong>{n.title.clone()}</strong>
                    <span class="muted small block">{format!("{} · {}", n.org_name, n.sent_at)}</span>
                </span>
                {tag}
            </A>
        }
    };
    view! {
        <AppLayout title=t.org_notices_title back="/orglife">
            <Suspense fallback=Loading>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(v) => view! {
                        {(!v.senders.is_empty()).then(|| view! {
                            <A href="/orglife/notices/new" attr:class="btn primary block">{t.notice_new}</A>
                        })}
                        <section class="card list">
                            <h2>{t.notices_received}</h2>
                            {if v.received.is_empty() {
                                view! { <Empty text=t.notices_none /> }.into_any()
                            } else {
                                v.received.into_iter().map(item).collect_view().into_any()
                            }}
                        </section>
                        {(!v.sent.is_empty()).then(|| view! {
                            <section class="card list">
                                <h2>{t.notices_sent}</h2>
                                {v.sent.into_iter().map(item).collect_view()}
                            </section>
                        })}
                    }.into_any(),
                })}
            </Suspense>
        </AppLayout>
    }
}

/// `/orglife/notices/new`: sending a notice from an organization the viewer runs.
#[component]
pub fn NewOrgNoticePage() -> impl IntoView {
    let t = use_t();
    let data = Resource::new(|| (), |_| org_notices());
    let action = crate::ui::server_action::<SendNotice>();
    let error = action_error(action);
    view! {
        <AppLayout title=t.notice_new back="/orglife/notices">
            <Suspense fallback=Loading>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(v) if v.senders.is_empty() => view! { <Empty text=t.notice_cannot_send /> }.into_any(),
                    Ok(v) => view! {
                        <section class="card">
                            <ActionForm action=action attr:class="form" attr:novalidate=true>
                                <FormError error />
                                <div class="field">
                                    <label for="f-org">{t.notice_from}</label>
                                    <select id="f-org" name="org">
                                        {v.senders.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                                    </select>
                                </div>
                                <Field label=t.notice_title_label name="title" error />
                                <div class="field" class:invalid=move || error.get().and_then(|e| e.field("body")).is_some()>
                                    <label for="f-body">{t.notice_body}</label>
                                    <textarea id="f-body" name="body" rows="6"></textarea>
                                    <p class="field-error" role="alert">{move || error.get().and_then(|e| e.field("body")).map(|m| m.text(t))}</p>
                                </div>
                                <Field label=t.notice_days name="days" kind="number" inputmode="numeric" value=Signal::stored("3".to_owned()) error />
                                <p class="muted small">{t.notice_lead}</p>
                                <button type="submit" class="btn primary block" disabled=move || action.pending().get()>{t.notice_send}</button>
                            </ActionForm>
                        </section>
                    }.into_any(),
                })}
            </Suspense>
        </AppLayout>
    }
}

/// `/orglife/notices/:id`: reading and acknowledging one notice; for the sender, who has
/// and has not acknowledged.
#[component]
pub fn OrgNoticePage() -> impl IntoView {
    let t = use_t();
    let id = crate::ui::id_param();
    let ack = crate::ui::server_action::<AcknowledgeNotice>();
    let error = action_error(ack);
    let acked = action_done(ack);
    let data = Resource::new(move || (id.get(), acked.get()), |(id, _)| notice_detail(id));
    view! {
        <AppLayout title=t.org_notices_title back="/orglife/notices">
            <Suspense fallback=Loading>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(n) => view! {
                        <article class="card">
                            <h2>{n.title.clone()}</h2>
                            <p class="muted small">{format!("{} · {} · {}", n.org_name, n.sender, n.sent_at)}</p>
                            <p class="pre">{n.body.clone()}</p>
                            <p class="small">{t.notice_ack_by.replace("{at}", &n.ack_by)}</p>
                            {match (n.received, n.acked_at.clone()) {
                                (true, Some(at)) => view! { <p class="ok-text" role="status">{t.notice_acked_at.replace("{at}", &at)}</p> }.into_any(),
                                (true, None) => view! {
                                    <ActionForm action=ack>
                                        <FormError error />
                                        <input type="hidden" name="id" value=n.id />
                                        {n.late.then(|| view! { <p class="muted small">{t.notice_late}</p> })}
                                        <button type="submit" class="btn primary block">{t.notice_ack}</button>
                                    </ActionForm>
                                }.into_any(),
                                (false, _) => ().into_any(),
                            }}
                        </article>
                        {n.sees_receipts.then(|| view! {
                            <section class="card">
                                <h2>{t.notice_receipts.replace("{acked}", &n.acked.len().to_string()).replace("{total}", &(n.acked.len() + n.pending.len()).to_string())}</h2>
                                <h3>{t.notice_not_yet}</h3>
                                <p class="small" data-testid="notice-pending">{if n.pending.is_empty() { "—".to_owned() } else { n.pending.join("、") }}</p>
                                <h3>{t.notice_acked}</h3>
                                <ul class="history">
                                    {n.acked.iter().map(|(name, at)| view! { <li>{format!("{name} · {at}")}</li> }).collect_view()}
                                </ul>
                            </section>
                        })}
                    }.into_any(),
                })}
            </Suspense>
        </AppLayout>
    }
}
