//! Dues pages: `/me/dues` (a member's standing, the year's base, paying online, their
//! payments), `/orglife/dues?org=..` (the branch's members behind and paid up, payments to
//! confirm, recording cash and bank payments, bases) and `/dues/receipt/:id` (a receipt that
//! prints on A4).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::{
    AddLeagueRates, BranchDuesView, DeclareDuesBase, MyDuesView, PayDues, PaymentView, RecordDues,
    SetDuesBase, SettleDues, StandingView, SummaryView, branch_dues, dues_rates, dues_receipt,
    dues_summary, my_dues,
};
use super::model::{Category, MAX_MONTHS, MONTHS_TO_LAPSE, Method, PaymentState};
use crate::i18n::{Strings, use_t};
use crate::orgs::model::Tree;
use crate::ui::{AppLayout, ErrorState, Field, FormError, Loading, action_done, action_error};

fn dues_title(tree: Tree, t: &Strings) -> &'static str {
    super::model::dues_name(tree, t)
}

fn yuan(f: super::model::Fen, t: &Strings) -> String {
    t.dues_yuan.replace("{yuan}", &f.yuan())
}

fn state_class(s: PaymentState) -> &'static str {
    match s {
        PaymentState::Pending => "tag warn",
        PaymentState::Paid => "tag ok",
        PaymentState::Declined | PaymentState::Reversed => "tag muted-tag",
    }
}

/// The standing in figures: this month's amount, paid up to, behind and due.
#[component]
fn StandingFigures(s: StandingView) -> impl IntoView {
    let t = use_t();
    let monthly = match (s.monthly, &s.rate, &s.base) {
        (Some(m), Some(rate), Some(b)) => t
            .dues_monthly_rate
            .replace("{amount}", &yuan(m, t))
            .replace("{base}", &b.base.yuan())
            .replace("{rate}", rate),
        (Some(m), _, _) => t.dues_monthly.replace("{amount}", &yuan(m, t)),
        (None, _, _) => t.dues_no_base.to_owned(),
    };
    let standing = due_text(s.due_months, s.due, t);
    let lapse = (s.unpaid_in_a_row >= MONTHS_TO_LAPSE).then(|| {
        view! { <p class="field-error" role="alert">{t.dues_lapse_warning.replace("{months}", &s.unpaid_in_a_row.to_string())}</p> }
    });
    view! {
        <p data-testid="dues-monthly">{monthly}</p>
        <p class="dues-figure" data-testid="dues-paid-up-to">{t.dues_paid_up_to.replace("{month}", &s.paid_up_to.to_string())}</p>
        <p data-testid="dues-due" class:warn-text={s.behind > 0}>
            {standing}
            {(s.behind > 0).then(|| format!(" · {}", t.dues_behind.replace("{months}", &s.behind.to_string())))}
        </p>
        {lapse}
    }
}

/// What is due: all paid, or the months and (once priced) their amount.
fn due_text(months: u32, due: Option<super::model::Fen>, t: &Strings) -> String {
    match (months, due) {
        (0, _) => t.dues_all_paid.to_owned(),
        (n, Some(d)) => t
            .dues_due
            .replace("{months}", &n.to_string())
            .replace("{amount}", &yuan(d, t)),
        (n, None) => t.dues_due_unpriced.replace("{months}", &n.to_string()),
    }
}

/// A payment in a list: months, amount, how, state, and its receipt once paid.
#[component]
fn PaymentRow(p: PaymentView, #[prop(default = false)] with_name: bool) -> impl IntoView {
    let t = use_t();
    let months = if p.first == p.last {
        p.first.to_string()
    } else {
        format!("{} – {}", p.first, p.last)
    };
    view! {
        <div class="row" data-testid="dues-payment">
            <span>
                <span class=state_class(p.state)>{p.state.label(t)}</span>
                {with_name.then(|| view! { <strong>{format!("{} · ", p.name)}</strong> })}
                {format!("{months} · {}", yuan(p.amount, t))}
                <span class="muted small block">
                    {format!("{} · {} · {}", p.method.label(t), p.recorded_by, p.recorded_at)}
                    {p.reason.clone().map(|r| format!(" · {r}"))}
                </span>
            </span>
            {p.receipt_no.clone().map(|_| view! {
                <A href=format!("/dues/receipt/{}", p.id) attr:class="btn small">{t.dues_receipt}</A>
            })}
        </div>
    }
}

/// The category choice and the figures of a base.
#[component]
fn BaseFields(s: StandingView, error: Signal<Option<crate::error::AppError>>) -> impl IntoView {
    let t = use_t();
    let current = s.base.clone();
    let chosen = current.as_ref().map_or(Category::Employed, |b| b.category);
    let (min, max) = s.fixed_range;
    let range = if min == max {
        t.dues_fixed_hint_one.replace("{amount}", &min.yuan())
    } else {
        t.dues_fixed_hint
            .replace("{min}", &min.yuan())
            .replace("{max}", &max.yuan())
    };
    view! {
        <div class="field">
            <label for="f-category">{t.dues_category}</label>
            <select id="f-category" name="category">
                {Category::ALL.into_iter().map(|c| view! { <option value=c.as_str() selected=c == chosen>{c.label(t)}</option> }).collect_view()}
            </select>
            <p class="hint">{range}</p>
        </div>
        <Field label=t.dues_base name="base" inputmode="decimal" hint=t.dues_base_hint
            value=current.as_ref().map(|b| b.base.yuan()).unwrap_or_default() error />
        <Field label=t.dues_extra name="extra" inputmode="decimal" hint=t.dues_extra_hint
            value=current.as_ref().filter(|b| b.extra.0 > 0).map(|b| b.extra.yuan()).unwrap_or_default() error />
    }
}

/// `/me/dues`: the viewer's dues in each tree where they pay.
#[component]
pub fn MyDuesPage() -> impl IntoView {
    let t = use_t();
    let declare = crate::ui::server_action::<DeclareDuesBase>();
    let pay = crate::ui::server_action::<PayDues>();
    let (declared, paid) = (action_done(declare), action_done(pay));
    let data = Resource::new(move || declared.get() + paid.get(), |_| my_dues());
    view! {
        <AppLayout title=t.dues_title back="/me">
            <Suspense fallback=Loading>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(v) => view! { <MyDues v declare pay /> }.into_any(),
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn MyDues(
    v: MyDuesView,
    declare: ServerAction<DeclareDuesBase>,
    pay: ServerAction<PayDues>,
) -> impl IntoView {
    let t = use_t();
    let branch = v.collects.then(|| view! {
        <section class="card">
            <A href="/orglife/dues" attr:class="row link">{t.dues_branch_title}<span aria-hidden="true">"›"</span></A>
        </section>
    });
    if v.trees.is_empty() {
        return view! { <section class="card"><p class="muted">{t.dues_none}</p></section> {branch} }.into_any();
    }
    let declare_error = action_error(declare);
    let pay_error = action_error(pay);
    let provider = v.provider;
    let trees = v.trees
        .into_iter()
        .map(|(s, payments)| {
            let tree = s.tree.as_str();
            let for_form = s.clone();
            let declare_form = s.base.is_none().then(move || {
                view! {
                    <ActionForm action=declare attr:class="form" attr:novalidate=true>
                        <h3>{t.dues_declare_title.replace("{year}", &s.month.year().to_string())}</h3>
                        <p class="muted small">{t.dues_declare_lead}</p>
                        <FormError error=declare_error />
                        <input type="hidden" name="tree" value=tree />
                        <BaseFields s=for_form error=declare_error />
                        <button type="submit" class="btn primary block" disabled=move || declare.pending().get()>{t.dues_declare}</button>
                    </ActionForm>
                }
            });
            let base_line = s.base.as_ref().map(|b| {
                view! {
                    <p class="muted small">
                        {t.dues_base_line
                            .replace("{year}", &s.month.year().to_string())
                            .replace("{category}", b.category.label(t))
                            .replace("{by}", &b.declared_by)
                            .replace("{at}", &b.declared_at)}
                    </p>
                }
            });
            let suggested = s.due_months.clamp(1, MAX_MONTHS).to_string();
            let from = s.first_unpaid.to_string();
            let pay_form = s.monthly.is_some().then(|| {
                view! {
                    <ActionForm action=pay attr:class="form" attr:novalidate=true>
                        <FormError error=pay_error />
                        <input type="hidden" name="tree" value=tree />
                        <input type="hidden" name="from" value=from.clone() />
                        <Field label=t.dues_months name="months" kind="number" inputmode="numeric"
                            value=suggested hint=t.dues_months_hint error=pay_error />
                        <button type="submit" class="btn primary block" disabled=move || pay.pending().get()>{t.dues_pay}</button>
                        <p class="muted small">{if provider { t.dues_pay_note_provider } else { t.dues_pay_note }}</p>
                    </ActionForm>
                }
            });
            view! {
                <section class="card" data-testid=format!("dues-{tree}")>
                    <h2>{dues_title(s.tree, t)}</h2>
                    <p class="muted small">{format!("{} · {}", s.org_name, s.status.label(t))}</p>
                    <StandingFigures s=s.clone() />
                    {base_line}
                    {declare_form}
                    {pay_form}
                </section>
                <section class="card list">
                    <h2>{t.dues_payments}</h2>
                    {if payments.is_empty() {
                        view! { <p class="muted">{t.dues_no_payments}</p> }.into_any()
                    } else {
                        payments.into_iter().map(|p| view! { <PaymentRow p /> }).collect_view().into_any()
                    }}
                </section>
            }
        })
        .collect_view();
    view! { {trees} {branch} }.into_any()
}

/// `/orglife/dues?org=..`: a branch's dues for its dues officer and those who manage it.
#[component]
pub fn BranchDuesPage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let record = crate::ui::server_action::<RecordDues>();
    let set_base = crate::ui::server_action::<SetDuesBase>();
    let settle = crate::ui::server_action::<SettleDues>();
    let (a, b, c) = (
        action_done(record),
        action_done(set_base),
        action_done(settle),
    );
    let data = Resource::new(
        move || {
            (
                crate::ui::org_in_query(&query.read()),
                a.get() + b.get() + c.get(),
            )
        },
        |(org, _)| branch_dues(org),
    );
    let actions = BranchActions {
        record,
        set_base,
        settle,
    };
    let summary = Resource::new(
        move || {
            (
                crate::ui::org_in_query(&query.read()),
                query.read().get("year").unwrap_or_default(),
                a.get() + b.get() + c.get(),
            )
        },
        |(org, year, _)| dues_summary(org, year),
    );
    view! {
        <AppLayout title=t.dues_branch_title back="/orglife">
            <Suspense fallback=Loading>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(v) => view! { <BranchDues v actions /> }.into_any(),
                })}
                {move || summary.get().and_then(Result::ok).map(|s| view! { <Summary s /> })}
            </Suspense>
        </AppLayout>
    }
}

/// The year's figures by month, each branch's this month, and the sheets to download.
#[component]
fn Summary(s: SummaryView) -> impl IntoView {
    let t = use_t();
    let query = format!("org={}&year={}", s.org_id, s.year);
    let row = |label: String, m: &super::model::MonthTotals| {
        view! {
            <tr>
                <th scope="row">{label}</th>
                <td class="num">{format!("{}/{}", m.paid_up, m.members)}</td>
                <td class="num">{m.paid.yuan()}</td>
                <td class="num">{m.arrears.yuan()}</td>
            </tr>
        }
    };
    let head = move || {
        view! {
            <thead>
                <tr>
                    <th></th>
                    <th class="num">{t.dues_col_paid_up}</th>
                    <th class="num">{t.dues_col_paid}</th>
                    <th class="num">{t.dues_col_arrears}</th>
                </tr>
            </thead>
        }
    };
    let branches = (s.branches.len() > 1).then(|| {
        let month = s.months.last().map(|m| m.month.to_string()).unwrap_or_default();
        view! {
            <h3>{t.dues_by_branch.replace("{month}", &month)}</h3>
            <table class="table dues-table" data-testid="dues-by-branch">
                {head()}
                <tbody>{s.branches.iter().map(|(_, name, m)| row(name.clone(), m)).collect_view()}</tbody>
            </table>
        }
    });
    view! {
        <section class="card">
            <h2>{t.dues_summary_title.replace("{year}", &s.year.to_string())}</h2>
            <table class="table dues-table" data-testid="dues-by-month">
                {head()}
                <tbody>{s.months.iter().rev().map(|m| row(m.month.to_string(), m)).collect_view()}</tbody>
            </table>
            {branches}
            <div class="row">
                <a href=format!("/orglife/dues/export.xlsx?{query}") class="btn small" rel="external" download>{t.dues_export_xlsx}</a>
                <a href=format!("/orglife/dues/export.csv?{query}") class="btn small" rel="external" download>{t.dues_export_csv}</a>
            </div>
        </section>
    }
}

#[derive(Clone, Copy)]
struct BranchActions {
    record: ServerAction<RecordDues>,
    set_base: ServerAction<SetDuesBase>,
    settle: ServerAction<SettleDues>,
}

#[component]
fn BranchDues(v: BranchDuesView, actions: BranchActions) -> impl IntoView {
    let t = use_t();
    let paid_up = v.members.iter().filter(|m| m.due_months == 0).count();
    let behind = v.members.iter().filter(|m| m.behind > 0).count();
    let arrears: super::model::Fen = v.members.iter().filter_map(|m| m.due).sum();
    let summary = t
        .dues_branch_summary
        .replace("{members}", &v.members.len().to_string())
        .replace("{paid}", &paid_up.to_string())
        .replace("{behind}", &behind.to_string())
        .replace("{amount}", &yuan(arrears, t));
    let settle_error = action_error(actions.settle);
    let pending: Vec<PaymentView> = v
        .payments
        .iter()
        .filter(|p| p.state == PaymentState::Pending)
        .cloned()
        .collect();
    let others: Vec<PaymentView> = v
        .payments
        .into_iter()
        .filter(|p| p.state != PaymentState::Pending)
        .collect();
    let org_id = v.org_id;
    if !v.is_branch {
        return view! {
            <section class="card">
                <h2>{format!("{} · {}", v.org_name, v.month)}</h2>
            </section>
        }
        .into_any();
    }
    view! {
        <section class="card">
            <h2>{format!("{} · {}", v.org_name, v.month)}</h2>
            <p data-testid="dues-branch-summary">{summary}</p>
        </section>
        {(!pending.is_empty()).then(|| view! {
            <section class="card list">
                <h2>{t.dues_to_confirm}</h2>
                <FormError error=settle_error />
                {pending.into_iter().map(|p| {
                    let id = p.id;
                    view! {
                        <PaymentRow p with_name=true />
                        <div class="row settle-row">
                            <ActionForm action=actions.settle>
                                <input type="hidden" name="payment" value=id />
                                <input type="hidden" name="how" value="confirm" />
                                <input type="hidden" name="reason" value="" />
                                <button type="submit" class="btn primary small">{t.dues_confirm}</button>
                            </ActionForm>
                            <ActionForm action=actions.settle attr:class="inline-form">
                                <input type="hidden" name="payment" value=id />
                                <input type="hidden" name="how" value="decline" />
                                <input name="reason" aria-label=t.dues_reason placeholder=t.dues_reason />
                                <button type="submit" class="btn small">{t.dues_decline}</button>
                            </ActionForm>
                        </div>
                    }
                }).collect_view()}
            </section>
        })}
        <section class="card list">
            <h2>{t.dues_members}</h2>
            {if v.members.is_empty() {
                view! { <p class="muted">{t.dues_no_members}</p> }.into_any()
            } else {
                v.members.into_iter().map(|m| view! { <MemberDues m org_id actions /> }).collect_view().into_any()
            }}
        </section>
        <section class="card list">
            <h2>{t.dues_payments}</h2>
            {if others.is_empty() {
                view! { <p class="muted">{t.dues_no_payments}</p> }.into_any()
            } else {
                others.into_iter().map(|p| {
                    let reversible = p.state == PaymentState::Paid;
                    let id = p.id;
                    view! {
                        <PaymentRow p with_name=true />
                        {reversible.then(|| view! {
                            <details class="row">
                                <summary class="small">{t.dues_reverse}</summary>
                                <ActionForm action=actions.settle attr:class="form">
                                    <input type="hidden" name="payment" value=id />
                                    <input type="hidden" name="how" value="reverse" />
                                    <Field label=t.dues_reason name="reason" error=settle_error />
                                    <button type="submit" class="btn danger block">{t.dues_reverse}</button>
                                </ActionForm>
                            </details>
                        })}
                    }
                }).collect_view().into_any()
            }}
        </section>
    }
    .into_any()
}

/// One member of the branch: their standing, and the forms to record a payment and to set
/// the year's base.
#[component]
fn MemberDues(m: StandingView, org_id: crate::ids::OrgId, actions: BranchActions) -> impl IntoView {
    let t = use_t();
    let record_error = action_error(actions.record);
    let base_error = action_error(actions.set_base);
    let member = m.member;
    let line = if m.due_months > 0 && m.due.is_none() {
        t.dues_no_base.to_owned()
    } else {
        due_text(m.due_months, m.due, t)
    };
    let has_base = m.base.is_some();
    view! {
        <details class="member-dues" data-testid="dues-member">
            <summary class="row">
                <span>
                    <strong>{m.name.clone()}</strong>
                    <span class="muted small block">
                        {format!("{} · {}", dues_title(m.tree, t), t.dues_paid_up_to.replace("{month}", &m.paid_up_to.to_string()))}
                    </span>
                </span>
                <span class:warn-text={m.behind > 0} class="small">{line}</span>
            </summary>
            <ActionForm action=actions.record attr:class="form" attr:novalidate=true>
                <h3>{t.dues_record}</h3>
                <FormError error=record_error />
                <input type="hidden" name="org" value=org_id />
                <input type="hidden" name="member" value=member />
                <input type="hidden" name="from" value=m.first_unpaid.to_string() />
                <Field label=t.dues_months name="months" kind="number" inputmode="numeric"
                    value=m.due_months.clamp(1, MAX_MONTHS).to_string() error=record_error />
                <div class="field">
                    <label for=format!("f-method-{member}")>{t.dues_method}</label>
                    <select id=format!("f-method-{member}") name="method">
                        {[Method::Cash, Method::Bank].into_iter().map(|x| view! { <option value=x.as_str()>{x.label(t)}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="btn primary block">{t.dues_record}</button>
            </ActionForm>
            <ActionForm action=actions.set_base attr:class="form" attr:novalidate=true>
                <h3>{if has_base { t.dues_correct_base } else { t.dues_set_base }}</h3>
                <FormError error=base_error />
                <input type="hidden" name="org" value=org_id />
                <input type="hidden" name="member" value=member />
                <BaseFields s=m.clone() error=base_error />
                {if has_base {
                    view! { <Field label=t.dues_reason name="reason" error=base_error /> }.into_any()
                } else {
                    view! { <input type="hidden" name="reason" value="" /> }.into_any()
                }}
                <button type="submit" class="btn block">{t.save}</button>
            </ActionForm>
        </details>
    }
}

/// `/dues/receipt/:id`: a paid payment's receipt, on A4 when printed.
#[component]
pub fn DuesReceiptPage() -> impl IntoView {
    let t = use_t();
    let id = crate::ui::id_param::<i64>();
    let data = Resource::new(move || id.get(), dues_receipt);
    view! {
        <AppLayout title=t.dues_receipt back="/me/dues">
            <Suspense fallback=Loading>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(p) => view! { <Receipt p /> }.into_any(),
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn Receipt(p: PaymentView) -> impl IntoView {
    let t = use_t();
    let rows = [
        (t.dues_receipt_no, p.receipt_no.clone().unwrap_or_default()),
        (t.dues_member, p.name.clone()),
        (t.print_org, p.org_name.clone()),
        (
            t.dues_months_paid,
            format!("{} – {}（{}）", p.first, p.last, p.months),
        ),
        (t.dues_amount, yuan(p.amount, t)),
        (t.dues_method, p.method.label(t).to_owned()),
        (
            t.dues_recorded,
            format!("{} · {}", p.recorded_by, p.recorded_at),
        ),
        (
            t.dues_confirmed,
            format!(
                "{} · {}",
                p.settled_by
                    .clone()
                    .unwrap_or_else(|| t.dues_by_provider.to_owned()),
                p.settled_at.clone().unwrap_or_default()
            ),
        ),
    ];
    view! {
        <article class="print-sheet">
            <h2>{t.dues_receipt_title.replace("{kind}", dues_title(p.tree, t))}</h2>
            <table class="table record-table">
                <tbody>
                    {rows.into_iter().map(|(k, val)| view! { <tr><th scope="row">{k}</th><td>{val}</td></tr> }).collect_view()}
                </tbody>
            </table>
            <p class="muted small no-print">{t.print_hint}</p>
        </article>
    }
}

/// Where the member stands in each tree, on 我的, leading to the dues page.
#[component]
pub fn DuesLines(lines: Vec<super::model::DuesLine>) -> impl IntoView {
    let t = use_t();
    view! {
        <section class="card">
            <h2>{t.dues_title}</h2>
            {lines.into_iter().map(|l| {
                let behind = (l.behind > 0).then(|| t.dues_behind.replace("{months}", &l.behind.to_string()));
                view! {
                    <A href="/me/dues" attr:class="row link">
                        <span data-testid="me-dues">
                            {dues_title(l.tree, t)} " · " {t.dues_paid_up_to.replace("{month}", &l.paid_up_to.to_string())}
                            {behind.map(|b| view! { <span class="warn-text block small">{b}</span> })}
                        </span>
                        <span aria-hidden="true">"›"</span>
                    </A>
                }
            }).collect_view()}
        </section>
    }
}

/// `/admin/dues-rates`: both trees' rate versions, and a new version of the League's.
#[component]
pub fn DuesRatesPage() -> impl IntoView {
    let t = use_t();
    let add = crate::ui::server_action::<AddLeagueRates>();
    let done = action_done(add);
    let data = Resource::new(move || done.get(), |_| dues_rates());
    view! {
        <AppLayout title=t.dues_rates_title back="/me">
            <Suspense fallback=Loading>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(v) => view! { <RateVersions v add /> }.into_any(),
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn RateVersions(
    v: Vec<(Tree, super::model::Month, super::model::RateTable)>,
    add: ServerAction<AddLeagueRates>,
) -> impl IntoView {
    let t = use_t();
    let error = action_error(add);
    let versions = v
        .into_iter()
        .map(|(tree, from, table)| {
            view! {
                <section class="card" data-testid="dues-rate-version">
                    <h2>{format!("{} · {}", dues_title(tree, t), t.dues_rate_from.replace("{month}", &from.to_string()))}</h2>
                    <dl class="facts">
                        {Category::ALL.into_iter().map(|c| view! {
                            <dt>{c.label(t)}</dt>
                            <dd>{super::model::rate_lines(&table, c, t).into_iter().map(|l| view! { <span class="block">{l}</span> }).collect_view()}</dd>
                        }).collect_view()}
                    </dl>
                </section>
            }
        })
        .collect_view();
    view! {
        <section class="card">
            <h2>{t.dues_rates_new}</h2>
            <p class="muted small">{t.dues_rates_lead}</p>
            <ActionForm action=add attr:class="form" attr:novalidate=true>
                <FormError error />
                <Field label=t.dues_rate_month name="from" hint=t.transfer_dues_hint error />
                <Field label=t.dues_rate_employed name="employed" inputmode="decimal" error />
                <Field label=t.dues_rate_retired name="retired" inputmode="decimal" error />
                <Field label=t.dues_rate_fixed name="fixed" inputmode="decimal" error />
                <button type="submit" class="btn primary block" disabled=move || add.pending().get()>{t.add}</button>
            </ActionForm>
        </section>
        {versions}
    }
}
