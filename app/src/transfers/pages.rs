//! The transfer pages: the member's list and the start form, one transfer's timeline with
//! the holder's actions, the printable letter, the approvers' queues, the overdue board and
//! letter verification.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::{
    ActOnTransfer, CorrectTransferDues, ReissueLetter, RemindTransfer, ResubmitTransfer,
    StartTransfer, TransferSummary, TransferView, WithdrawTransfer, overdue_transfers,
    search_receiving, transfer_detail, transfer_dues_on_record, transfer_queues, transfers_home,
    verify_letter,
};
use super::model::{Action, DEFAULT_VALIDITY_DAYS, EventKind, Status, StepState};
use crate::i18n::{Strings, use_t};
use crate::orgs::model::{MemberStatus, Tree};
use crate::ui::action_error;
use crate::ui::{AppLayout, Empty, ErrorState, Field, FormError, FormOk, Loading};

fn status_class(s: Status) -> &'static str {
    match s {
        Status::Open => "tag kind",
        Status::Returned => "tag warn",
        Status::Rejected | Status::Withdrawn => "tag muted-tag",
        Status::Completed => "tag league",
    }
}

/// One transfer in a list: who, from where to where, and where it stands.
#[component]
fn SummaryCard(s: TransferSummary) -> impl IntoView {
    let t = use_t();
    let holder = s.step.map(|k| {
        format!(
            "{} · {}",
            k.label(t),
            t.transfer_current_holder.replace("{org}", &s.holder)
        )
    });
    view! {
        <li class=if s.overdue { "item-card overdue" } else { "item-card" }>
            <A href=format!("/transfers/{}", s.id) attr:class="item-link">
                <span class="item-title">
                    <span class=status_class(s.status)>{s.status.label(t)}</span>
                    {s.overdue.then(|| view! { <span class="tag warn">{t.transfer_overdue}</span> })}
                    {s.member.clone()}
                </span>
                <span class="small">{s.from.clone()} " → " {s.to.clone()}</span>
                {holder.map(|h| view! { <span class="muted small">{h}</span> })}
                {(s.days > 0).then(|| view! {
                    <span class="muted small">{t.transfer_days_pending.replace("{days}", &s.days.to_string())}</span>
                })}
            </A>
        </li>
    }
}

/// `/transfers`: the member's transfers, where to start one, and the approver's entries.
#[component]
pub fn TransfersPage() -> impl IntoView {
    let t = use_t();
    let home = Resource::new(|| (), |_| transfers_home());
    view! {
        <AppLayout title=t.transfers_title back="/me">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match home.await {
                        Ok(h) => view! {
                            <section class="card">
                                <p class="muted small">{t.transfers_lead}</p>
                                {if h.branches.is_empty() {
                                    view! { <Empty text=t.msg_transfer_no_branch /> }.into_any()
                                } else {
                                    view! {
                                        {h.branches.iter().map(|(tree, name)| view! {
                                            <div class="org-line">
                                                <span class=format!("tag {}", tree.as_str())>{tree.label(t)}</span>
                                                <div class="org-name">{name.clone()}</div>
                                            </div>
                                        }).collect_view()}
                                        <A href="/transfers/new" attr:class="btn primary block">{t.transfers_start}</A>
                                    }.into_any()
                                }}
                            </section>
                            <section class="card">
                                <A href="/transfers/in" attr:class="row link">{t.inbound_link}<span aria-hidden="true">"›"</span></A>
                            </section>
                            {h.queue_counts.map(|[todo, doing, coming]| view! {
                                <section class="card">
                                    <h2>{t.transfer_queue}</h2>
                                    <div class="queue-tabs">
                                        <A href="/transfers/queue?tab=todo">{t.queue_todo} <b class="count">{todo}</b></A>
                                        <A href="/transfers/queue?tab=in_progress">{t.queue_in_progress} <b class="count">{doing}</b></A>
                                        <A href="/transfers/queue?tab=coming">{t.queue_coming} <b class="count">{coming}</b></A>
                                    </div>
                                    <A href="/transfers/verify" attr:class="row link">{t.transfer_verify}<span aria-hidden="true">"›"</span></A>
                                    {h.sees_overdue.then(|| view! {
                                        <A href="/transfers/overdue" attr:class="row link">{t.transfer_overdue_board}<span aria-hidden="true">"›"</span></A>
                                    })}
                                </section>
                            })}
                            <section class="card">
                                <h2>{t.transfers_mine}</h2>
                                {if h.mine.is_empty() {
                                    view! { <Empty text=t.transfers_none /> }.into_any()
                                } else {
                                    view! {
                                        <ul class="items">
                                            {h.mine.into_iter().map(|s| view! { <SummaryCard s /> }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                        }.into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

/// `/transfers/new?tree=..&q=..`: find the receiving branch (a plain GET form, so it works
/// before the page's script has loaded), then give the reason and the dues month.
#[component]
pub fn NewTransferPage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let tree = Memo::new(move |_| {
        query
            .read()
            .get("tree")
            .and_then(|s| Tree::parse(&s))
            .unwrap_or(Tree::Party)
    });
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let member = Memo::new(move |_| query.read().get("member").unwrap_or_default());
    let found = Resource::new(
        move || (tree.get(), q.get()),
        |(tree, q)| search_receiving(tree.as_str().to_owned(), q),
    );
    let on_record = Resource::new(
        move || (tree.get(), member.get()),
        |(tree, member)| transfer_dues_on_record(tree.as_str().to_owned(), member),
    );
    let start = crate::ui::server_action::<StartTransfer>();
    let error = action_error(start);
    // Once started (the form's answer carried to this page), the transfer's own page.
    #[cfg(feature = "ssr")]
    if let Some(Ok(id)) = start.value().get_untracked() {
        leptos_axum::redirect(&format!("/transfers/{id}"));
    }
    view! {
        <AppLayout title=t.transfers_start back="/transfers">
            <section class="card">
                <form method="get" action="/transfers/new" class="form">
                    <input type="hidden" name="member" value=member />
                    <div class="field">
                        <label for="f-tree">{t.transfer_tree}</label>
                        <select id="f-tree" name="tree">
                            {[Tree::Party, Tree::League].into_iter().map(|tr| view! {
                                <option value=tr.as_str() selected=move || tree.get() == tr>{tr.label(t)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="f-q">{t.transfer_search}</label>
                        <input id="f-q" type="search" name="q" value=q placeholder=t.transfer_search_hint />
                    </div>
                    <button type="submit" class="btn block">{t.board_show}</button>
                </form>
            </section>
            <section class="card">
                {move || (!member.get().is_empty()).then(|| view! { <p class="tag kind">{t.transfer_for_member}</p> })}
                <ActionForm action=start attr:class="form" attr:novalidate=true>
                    <FormError error />
                    <input type="hidden" name="tree" value=move || tree.get().as_str() />
                    <input type="hidden" name="member" value=member />
                    <fieldset class="field">
                        <legend>{t.transfer_to}</legend>
                        <Suspense fallback=Loading>
                            {move || Suspend::new(async move {
                                match found.await {
                                    Ok(options) => options.into_iter().map(|o| view! {
                                        <label class="choice">
                                            <input type="radio" name="to_org" value=o.id.to_string() />
                                            <span>
                                                {o.name}
                                                <span class="muted small block">{o.above}</span>
                                            </span>
                                        </label>
                                    }).collect_view().into_any(),
                                    Err(error) => view! { <ErrorState error /> }.into_any(),
                                }
                            })}
                        </Suspense>
                        <label class="choice">
                            <input type="radio" name="to_org" value="" />
                            <span>{t.transfer_outside}</span>
                        </label>
                        <FieldMessage field="to_org" error />
                    </fieldset>
                    <Field label=t.transfer_outside_name name="outside_name" error />
                    <Field label=t.transfer_outside_address name="outside_address" error />
                    <Field label=t.transfer_reason name="reason" required=true error />
                    <Suspense fallback=Loading>
                        {move || Suspend::new(async move {
                            match on_record.await {
                                Ok(Some(month)) => view! {
                                    <p class="muted small" data-testid="transfer-dues-on-record">
                                        {format!("{}{}{}", t.transfer_dues, t.colon, t.transfer_dues_on_record.replace("{month}", &month))}
                                    </p>
                                }.into_any(),
                                _ => view! { <Field label=t.transfer_dues name="dues" hint=t.transfer_dues_hint inputmode="numeric" required=true error /> }.into_any(),
                            }
                        })}
                    </Suspense>
                    <button type="submit" class="btn primary block" disabled=move || start.pending().get()>{t.transfer_submit}</button>
                </ActionForm>
            </section>
        </AppLayout>
    }
}

/// A field's message where the field is not a plain input (a group of choices).
#[component]
fn FieldMessage(
    field: &'static str,
    #[prop(into)] error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let t = use_t();
    move || {
        error.get().and_then(|e| match e {
            crate::error::AppError::Invalid(errors) => errors
                .into_iter()
                .find(|f| f.field == field)
                .map(|f| view! { <p class="field-error" role="alert">{f.msg.text(t)}</p> }),
            _ => None,
        })
    }
}

fn action_label(event: EventKind, t: &Strings) -> &'static str {
    match event {
        EventKind::Start => t.transfers_start,
        EventKind::Acted(Action::Approve) => t.transfer_approve,
        EventKind::Acted(Action::Reject) => t.transfer_reject,
        EventKind::Acted(Action::Return) => t.transfer_return,
        EventKind::Resubmit => t.transfer_resubmit,
        EventKind::Withdraw => t.transfer_withdraw,
        EventKind::Letter => t.transfer_letter,
        EventKind::Reissue => t.transfer_reissue,
        EventKind::Dues => t.transfer_dues_correct,
    }
}

/// `/transfers/:id`: where the transfer stands, its steps and history, its letter, and what
/// the viewer may do now.
#[component]
pub fn TransferPage() -> impl IntoView {
    let t = use_t();
    let id = crate::ui::id_param();
    let act = crate::ui::server_action::<ActOnTransfer>();
    let withdraw = crate::ui::server_action::<WithdrawTransfer>();
    let resubmit = crate::ui::server_action::<ResubmitTransfer>();
    let reissue = crate::ui::server_action::<ReissueLetter>();
    let remind = crate::ui::server_action::<RemindTransfer>();
    let correct = crate::ui::server_action::<CorrectTransferDues>();
    let detail = Resource::new(
        move || {
            (
                id.get(),
                act.version().get()
                    + withdraw.version().get()
                    + resubmit.version().get()
                    + reissue.version().get()
                    + remind.version().get()
                    + correct.version().get(),
            )
        },
        |(id, _)| transfer_detail(id),
    );
    view! {
        <AppLayout title=t.transfers_title back="/transfers">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(v) => view! { <Transfer v act withdraw resubmit reissue remind correct /> }.into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn Transfer(
    v: TransferView,
    act: ServerAction<ActOnTransfer>,
    withdraw: ServerAction<WithdrawTransfer>,
    resubmit: ServerAction<ResubmitTransfer>,
    reissue: ServerAction<ReissueLetter>,
    remind: ServerAction<RemindTransfer>,
    correct: ServerAction<CorrectTransferDues>,
) -> impl IntoView {
    let t = use_t();
    let act_error = action_error(act);
    let correct_error = action_error(correct);
    let withdraw_error = action_error(withdraw);
    let resubmit_error = action_error(resubmit);
    let reissue_error = action_error(reissue);
    let remind_error = action_error(remind);
    let acting = (!v.acting.is_empty()).then(|| {
        t.transfer_acting
            .replace("{names}", &v.acting.join(t.list_sep))
    });
    let status = MemberStatus::parse(&v.member_status)
        .map(|s| s.label(t))
        .unwrap_or("");
    let mine = v.steps.iter().find(|s| s.mine).cloned();
    let letter = v.letters.first().cloned();
    let id = v.id;
    view! {
        <section class="card">
            <div class="item-title">
                <span class=status_class(v.status)>{v.status.label(t)}</span>
                {v.overdue.then(|| view! { <span class="tag warn">{t.transfer_overdue}</span> })}
                <span class=format!("tag {}", v.tree.as_str())>{v.tree.label(t)}</span>
            </div>
            <dl class="facts">
                <dt>{t.letter_member}</dt><dd>{v.member.clone()} " " <span class="muted small">{status}</span></dd>
                <dt>{t.transfer_from}</dt><dd>{v.from.clone()}</dd>
                <dt>{t.transfer_to}</dt><dd>{v.to.clone()} {(!v.outside_address.is_empty()).then(|| view! { <span class="muted small block">{v.outside_address.clone()}</span> })}</dd>
                <dt>{t.transfer_reason}</dt><dd>{v.reason.clone()}</dd>
                <dt>{t.transfer_dues}</dt><dd>{v.dues.clone()}</dd>
            </dl>
            {(v.days > 0).then(|| view! {
                <p class="muted small">{t.transfer_days_pending.replace("{days}", &v.days.to_string())}</p>
            })}
        </section>
        <section class="card">
            <ol class="timeline">
                {v.steps.iter().map(|s| {
                    let class = match s.state {
                        StepState::Done => "step done",
                        StepState::Current => "step current",
                        StepState::Returned => "step returned",
                        StepState::Stopped => "step stopped",
                        StepState::Waiting => "step",
                    };
                    view! {
                        <li class=class aria-current=(s.state == StepState::Current).then_some("step")>
                            <span class="step-title">{s.kind.label(t)}</span>
                            <span class="muted small">{s.holder.clone()}</span>
                            {(s.state == StepState::Current).then(|| acting.clone()).flatten().map(|a| view! {
                                <span class="small block" data-testid="transfer-acting">{a}</span>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
        {mine.map(|s| {
            let issues = s.kind.issues_letter();
            view! {
                <section class="card">
                    <h2>{s.kind.label(t)}</h2>
                    <ActionForm action=act attr:class="form" attr:novalidate=true>
                        <FormError error=act_error />
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="seq" value=s.seq />
                        {issues.then(|| view! {
                            <Field label=t.transfer_validity name="validity" kind="number" inputmode="numeric"
                                value=DEFAULT_VALIDITY_DAYS.to_string() hint=t.transfer_validity_hint error=act_error />
                        })}
                        <Field label=t.transfer_action_reason name="reason" error=act_error />
                        <div class="button-row">
                            <button type="submit" name="action" value="approve" class="btn primary" disabled=move || act.pending().get()>{t.transfer_approve}</button>
                            <button type="submit" name="action" value="return" class="btn" disabled=move || act.pending().get()>{t.transfer_return}</button>
                            <button type="submit" name="action" value="reject" class="btn danger" disabled=move || act.pending().get()>{t.transfer_reject}</button>
                        </div>
                    </ActionForm>
                </section>
            }
        })}
        {v.can_remind.then(|| view! {
            <section class="card">
                {if v.reminded_today {
                    view! { <p class="muted small" data-testid="transfer-reminded">{t.transfer_reminded}</p> }.into_any()
                } else {
                    view! {
                        <ActionForm action=remind attr:class="form">
                            <FormError error=remind_error />
                            <input type="hidden" name="id" value=id />
                            <button type="submit" class="btn block" disabled=move || remind.pending().get()>{t.transfer_remind}</button>
                            <p class="muted small">{t.transfer_remind_hint}</p>
                        </ActionForm>
                    }.into_any()
                }}
            </section>
        })}
        {v.can_resubmit.then(|| {
            let dues = v.dues.clone();
            view! {
            <section class="card">
                <h2>{t.transfer_resubmit}</h2>
                <ActionForm action=resubmit attr:class="form" attr:novalidate=true>
                    <FormError error=resubmit_error />
                    <input type="hidden" name="id" value=id />
                    <Field label=t.transfer_reason name="reason" value=v.reason.clone() required=true error=resubmit_error />
                    {if v.dues_on_record {
                        view! { <p class="muted small">{format!("{}{}{}", t.transfer_dues, t.colon, t.transfer_dues_on_record.replace("{month}", &dues))}</p> }.into_any()
                    } else {
                        view! { <Field label=t.transfer_dues name="dues" value=dues hint=t.transfer_dues_hint required=true error=resubmit_error /> }.into_any()
                    }}
                    <button type="submit" class="btn primary block" disabled=move || resubmit.pending().get()>{t.transfer_resubmit}</button>
                </ActionForm>
            </section>
        }})}
        {v.can_correct_dues.then(|| {
            let dues = v.dues.clone();
            view! {
            <section class="card">
                <details>
                    <summary>{t.transfer_dues_correct}</summary>
                    <ActionForm action=correct attr:class="form" attr:novalidate=true>
                        <FormError error=correct_error />
                        <input type="hidden" name="id" value=id />
                        <Field label=t.transfer_dues name="dues" value=dues hint=t.transfer_dues_hint required=true error=correct_error />
                        <Field label=t.dues_reason name="reason" required=true error=correct_error />
                        <button type="submit" class="btn block" disabled=move || correct.pending().get()>{t.save}</button>
                    </ActionForm>
                </details>
            </section>
        }})}
        {letter.map(|l| view! {
            <section class="card">
                <h2>{t.transfer_letter}</h2>
                <dl class="facts">
                    <dt>{t.letter_number}</dt><dd>{l.number.clone()} {l.void.then(|| view! { <span class="tag muted-tag">{t.letter_void}</span> })}</dd>
                    <dt>{t.letter_issuer}</dt><dd>{l.issuer.clone()}</dd>
                    <dt>{t.letter_valid_until}</dt><dd>{l.valid_until.clone()} {l.expired.then(|| view! { <span class="tag warn">{t.expired}</span> })}</dd>
                </dl>
                <A href=format!("/transfers/{id}/letter") attr:class="btn block">{t.transfer_letter_print}</A>
                {v.can_reissue.then(|| view! {
                    <ActionForm action=reissue attr:class="form" attr:novalidate=true>
                        <FormError error=reissue_error />
                        <input type="hidden" name="id" value=id />
                        <Field label=t.transfer_validity name="validity" kind="number" inputmode="numeric"
                            value=DEFAULT_VALIDITY_DAYS.to_string() hint=t.transfer_validity_hint error=reissue_error />
                        <button type="submit" class="btn block" disabled=move || reissue.pending().get()>{t.transfer_reissue}</button>
                    </ActionForm>
                })}
            </section>
        })}
        {v.can_withdraw.then(|| view! {
            <section class="card">
                <ActionForm action=withdraw>
                    <FormError error=withdraw_error />
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="btn danger block" disabled=move || withdraw.pending().get()>{t.transfer_withdraw}</button>
                </ActionForm>
            </section>
        })}
        <section class="card">
            <h2>{t.transfer_history}</h2>
            <ul class="history">
                {v.events.iter().map(|e| view! {
                    <li>
                        <span class="muted small">{e.at.clone()}</span>
                        " " <strong>{e.who.clone()}</strong> " "
                        {match &e.dues {
                            Some((before, after)) => t.transfer_dues_corrected.replace("{before}", before).replace("{after}", after),
                            None => action_label(e.action, t).to_owned(),
                        }}
                        {e.step.map(|k| view! { <span class="muted small">" · " {k.label(t)}</span> })}
                        {(!e.reason.is_empty()).then(|| view! { <span class="block small">{e.reason.clone()}</span> })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// `/transfers/:id/letter`: the letter and its counterfoil on one A4 page.
#[component]
pub fn LetterPage() -> impl IntoView {
    let t = use_t();
    let id = crate::ui::id_param();
    let detail = Resource::new(move || id.get(), transfer_detail);
    view! {
        <AppLayout title=t.letter_title back="/transfers">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(v) => match v.letters.first().cloned() {
                            Some(l) => {
                                let status = MemberStatus::parse(&v.member_status).map(|s| s.label(t)).unwrap_or("");
                                let body = t.letter_body
                                    .replace("{name}", &v.member)
                                    .replace("{status}", status)
                                    .replace("{from}", &v.from)
                                    .replace("{to}", &v.to)
                                    .replace("{dues}", &v.dues);
                                view! {
                                    <crate::ui::PrintButton label=t.transfer_letter_print.to_owned() />
                                    <article class="letter">
                                        <section class="counterfoil">
                                            <h2>{t.letter_title} " · " {t.letter_counterfoil}</h2>
                                            <p>{t.letter_number} {t.colon} {l.number.clone()}</p>
                                            <p>{body.clone()}</p>
                                            <p>{t.letter_valid_until} {t.colon} {l.valid_until.clone()}</p>
                                        </section>
                                        <section class="letter-main">
                                            <h2>{t.letter_title}</h2>
                                            <p class="letter-number">{l.number.clone()} {l.void.then(|| view! { " " <span class="tag muted-tag">{t.letter_void}</span> })}</p>
                                            <p class="letter-to">{v.to.clone()} {t.colon}</p>
                                            <p class="letter-body">{body}</p>
                                            <p>{t.letter_valid_until} {t.colon} {l.valid_until.clone()}</p>
                                            <p class="letter-sign">{l.issuer.clone()}<br />{t.letter_issued_on} {t.colon} {l.issued_on.clone()}</p>
                                            <p class="small">{t.transfer_verify_code} {t.colon} <code>{l.verify_code.clone()}</code></p>
                                        </section>
                                    </article>
                                }.into_any()
                            }
                            None => view! { <Empty text=t.msg_transfer_no_letter /> }.into_any(),
                        },
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

/// `/transfers/queue?tab=todo|in_progress|coming`: the approver's three queues with counts.
#[component]
pub fn QueuePage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let tab = Memo::new(move |_| query.read().get("tab").unwrap_or_else(|| "todo".into()));
    let queues = Resource::new(|| (), |_| transfer_queues());
    view! {
        <AppLayout title=t.transfer_queue back="/transfers">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match queues.await {
                        Ok(q) => {
                            let tabs = [
                                ("todo", t.queue_todo, q.todo),
                                ("in_progress", t.queue_in_progress, q.in_progress),
                                ("coming", t.queue_coming, q.coming),
                            ];
                            let current = tab.get();
                            let counts: Vec<_> = tabs.iter().map(|(k, label, list)| (*k, *label, list.len())).collect();
                            let shown = tabs.into_iter().find(|(k, _, _)| *k == current).map(|(_, _, l)| l).unwrap_or_default();
                            view! {
                                <nav class="queue-tabs card" aria-label=t.transfer_queue>
                                    {counts.into_iter().map(|(k, label, n)| view! {
                                        <A href=format!("/transfers/queue?tab={k}") attr:aria-current=move || (tab.get() == k).then_some("page")>
                                            {label} " " <b class="count">{n}</b>
                                        </A>
                                    }).collect_view()}
                                </nav>
                                <section class="card">
                                    {if shown.is_empty() {
                                        view! { <Empty text=t.queue_empty /> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="items">
                                                {shown.into_iter().map(|s| view! { <SummaryCard s /> }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                </section>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

/// `/transfers/overdue`: overdue steps per organization under the admin, oldest first.
#[component]
pub fn OverduePage() -> impl IntoView {
    let t = use_t();
    let rows = Resource::new(|| (), |_| overdue_transfers());
    view! {
        <AppLayout title=t.transfer_overdue_board back="/transfers">
            <section class="card">
                <p class="muted small">{t.transfer_overdue_lead}</p>
                <Suspense fallback=Loading>
                    {move || Suspend::new(async move {
                        match rows.await {
                            Ok(rows) if rows.is_empty() => view! { <Empty text=t.transfer_overdue_none /> }.into_any(),
                            Ok(rows) => view! {
                                <table class="table">
                                    <thead><tr><th>{t.overdue_org}</th><th>{t.overdue_count}</th><th>{t.transfer_oldest}</th></tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|r| view! {
                                            <tr>
                                                <td>{r.org}</td>
                                                <td class="num">{r.count}</td>
                                                <td>{r.oldest} <span class="muted small block">{t.transfer_days_pending.replace("{days}", &r.days.to_string())}</span></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any(),
                            Err(error) => view! { <ErrorState error /> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </AppLayout>
    }
}

/// `/transfers/verify?code=..`: the receiving side checks a paper letter's code.
#[component]
pub fn VerifyLetterPage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let code = Memo::new(move |_| query.read().get("code").unwrap_or_default());
    let check = Resource::new(
        move || code.get(),
        |code| async move {
            if code.trim().is_empty() {
                Ok(None)
            } else {
                verify_letter(code).await.map(Some)
            }
        },
    );
    view! {
        <AppLayout title=t.transfer_verify back="/transfers">
            <section class="card">
                <form method="get" action="/transfers/verify" class="form">
                    <div class="field">
                        <label for="f-code">{t.transfer_verify_code}</label>
                        <input id="f-code" name="code" value=code autocomplete="off" />
                    </div>
                    <button type="submit" class="btn primary block">{t.transfer_verify}</button>
                </form>
            </section>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match check.await {
                        Ok(None) => ().into_any(),
                        Ok(Some(c)) => view! {
                            <section class="card">
                                <FormOk show=Signal::derive(move || !c.letter.void && !c.letter.expired) text=t.transfer_verify_ok />
                                <dl class="facts">
                                    <dt>{t.letter_number}</dt><dd>{c.letter.number.clone()} {c.letter.void.then(|| view! { <span class="tag muted-tag">{t.letter_void}</span> })}</dd>
                                    <dt>{t.letter_member}</dt><dd>{c.member.clone()}</dd>
                                    <dt>{t.transfer_from}</dt><dd>{c.from.clone()}</dd>
                                    <dt>{t.transfer_to}</dt><dd>{c.to.clone()}</dd>
                                    <dt>{t.letter_issuer}</dt><dd>{c.letter.issuer.clone()}</dd>
                                    <dt>{t.letter_valid_until}</dt><dd>{c.letter.valid_until.clone()} {c.letter.expired.then(|| view! { <span class="tag warn">{t.expired}</span> })}</dd>
                                </dl>
                            </section>
                        }.into_any(),
                        Err(error) => view! { <section class="card"><ErrorState error /></section> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

/// The entry on 我的.
#[component]
pub fn TransfersLink() -> impl IntoView {
    let t = use_t();
    view! {
        <A href="/transfers" attr:class="row link">{t.transfers_title}<span aria-hidden="true">"›"</span></A>
    }
}
