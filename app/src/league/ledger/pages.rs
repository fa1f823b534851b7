//! The ledger page (台账): import a registry sheet, then search and filter the enterprises.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{ImportLedger, KeepApart, LedgerView, MergeDuplicates, enterprise_ledger};
use super::model::DuplicateGroup;
use crate::i18n::use_t;
use crate::ui::action_error;
use crate::ui::{
    AppLayout, Empty, ErrorState, FormError, FormOk, Loading, Pager, RowErrors, Uploader,
};
use crate::uploads::model::Purpose;

/// `/admin/ledger?q=..&district=..&filter=..&page=..`.
#[component]
pub fn LedgerPage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let import = crate::ui::server_action::<ImportLedger>();
    let error = action_error(import);
    let merge = crate::ui::server_action::<MergeDuplicates>();
    let apart = crate::ui::server_action::<KeepApart>();
    let merge_error = action_error(merge);
    let apart_error = action_error(apart);
    let tidied = Signal::derive(move || {
        matches!(merge.value().get(), Some(Ok(_))) || matches!(apart.value().get(), Some(Ok(())))
    });
    let ledger = Resource::new(
        move || {
            (
                get("q"),
                get("district"),
                get("filter"),
                get("page").parse::<i64>().unwrap_or(1),
                import.version().get() + merge.version().get() + apart.version().get(),
            )
        },
        |(q, district, filter, page, _)| enterprise_ledger(q, district, filter, page),
    );
    view! {
        <AppLayout title=t.ledger_title back="/me">
            <section class="card">
                <h2>{t.ledger_import}</h2>
                <p class="muted small">
                    {t.ledger_import_lead} " "
                    <a href="/examples/enterprise-ledger.csv" download>{t.example_csv}</a>
                </p>
                <ActionForm action=import>
                    <input type="hidden" id="f-ledger-sheet" name="upload" value="" />
                    <Uploader label=t.ledger_file.to_owned() purpose=Purpose::Sheet fill="f-ledger-sheet".to_owned() submit=true length_field=None shown=None />
                </ActionForm>
                {move || import.pending().get().then(|| view! { <p class="muted" role="status">{t.bank_importing}</p> })}
                <FormError error />
                {move || import.value().get().and_then(Result::ok).map(|r| {
                    if r.errors.is_empty() {
                        view! {
                            <div class="alert ok" role="status">
                                {t.ledger_imported
                                    .replace("{added}", &r.added.to_string())
                                    .replace("{updated}", &r.updated.to_string())
                                    .replace("{retired}", &r.retired.to_string())
                                    .replace("{unchanged}", &r.unchanged.to_string())}
                            </div>
                        }.into_any()
                    } else {
                        view! {
                            <RowErrors errors=r.errors />
                        }.into_any()
                    }
                })}
            </section>
            <FormError error=merge_error />
            <FormError error=apart_error />
            <FormOk show=tidied text=t.ledger_duplicates_done />
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match ledger.await {
                        Ok(v) => view! { <Ledger v q=get("q") district=get("district") filter=get("filter") merge apart /> }.into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn Ledger(
    v: LedgerView,
    q: String,
    district: String,
    filter: String,
    merge: ServerAction<MergeDuplicates>,
    apart: ServerAction<KeepApart>,
) -> impl IntoView {
    let t = use_t();
    let export = format!(
        "/admin/ledger/export.csv?q={}&district={}&filter={}",
        query_value(&q),
        query_value(&district),
        query_value(&filter)
    );
    let link = {
        let (q, district, filter) = (q.clone(), district.clone(), filter.clone());
        move |page: i64| {
            format!("/admin/ledger?q={q}&district={district}&filter={filter}&page={page}")
        }
    };
    let filters = [
        ("", t.ledger_all),
        ("eligible", t.ledger_eligible),
        ("without_org", t.ledger_without_org),
        ("with_org", t.ledger_with_org),
        ("deregistered", t.ledger_deregistered),
    ];
    view! {
        <form class="filters card" method="get" action="/admin/ledger">
            <label>
                <span>{t.ledger_search}</span>
                <input type="search" name="q" value=q />
            </label>
            <label>
                <span>{t.ledger_district}</span>
                <select name="district">
                    <option value="">{t.ledger_all}</option>
                    {v.districts.iter().map(|d| view! { <option value=d.clone() selected=*d == district>{d.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label>
                <span>{t.ledger_filter}</span>
                <select name="filter">
                    {filters.into_iter().map(|(value, label)| view! { <option value=value selected=value == filter>{label}</option> }).collect_view()}
                </select>
            </label>
            <button type="submit" class="btn small">{t.board_show}</button>
        </form>
        <section class="card">
            <h2>{t.ledger_count.replace("{n}", &v.total.to_string())}</h2>
            <a class="btn small" href=export download>{t.ledger_export}</a>
            {v.reads_coverage.then(|| view! { " " <a class="btn small" href="/league/coverage">{t.coverage_title}</a> })}
            {if v.rows.is_empty() {
                view! { <Empty text=t.ledger_empty /> }.into_any()
            } else {
                view! {
                    <ul class="items">
                        {v.rows.into_iter().map(|e| view! {
                            <li class="item-card">
                                <span class="item-title">
                                    {e.has_org.then(|| view! { <span class="tag league">{t.ledger_has_org}</span> })}
                                    {e.firm.deregistered.then(|| view! { <span class="tag kind">{t.ledger_deregistered}</span> })}
                                    {e.firm.name}
                                </span>
                                <span class="muted small">{e.firm.credit_code.clone()} " · " {e.firm.district} " " {e.firm.street}</span>
                                {(!e.has_org && !e.firm.deregistered).then(|| view! {
                                    <a class="small" href=format!("/league/invite?code={}", e.firm.credit_code)>{t.founding_invite_title}</a>
                                })}
                                <span class="small">
                                    {t.ledger_people
                                        .replace("{employees}", &e.firm.employees.to_string())
                                        .replace("{young}", &e.firm.young_employees.to_string())
                                        .replace("{party}", &e.firm.party_members.to_string())
                                        .replace("{league}", &e.firm.league_members.to_string())}
                                </span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <Pager page=v.page pages=v.pages link />
        </section>
        {(!v.duplicates.is_empty()).then(|| view! { <Duplicates groups=v.duplicates merge apart /> })}
    }
}

/// Probable duplicates, each group with "keep this one, merge the others" per firm and
/// "these are different enterprises".
#[component]
fn Duplicates(
    groups: Vec<DuplicateGroup>,
    merge: ServerAction<MergeDuplicates>,
    apart: ServerAction<KeepApart>,
) -> impl IntoView {
    let t = use_t();
    view! {
        <section class="card">
            <h2>{t.ledger_duplicates}</h2>
            <p class="muted small">{t.ledger_duplicates_lead}</p>
            <ul class="items">
                {groups.into_iter().map(|group| {
                    let key = group.name_key.clone();
                    view! {
                        <li class="item-card">
                            {group.firms.into_iter().map(|(name, code, district, street)| {
                                let key = key.clone();
                                view! {
                                    <ActionForm action=merge attr:class="dup-row">
                                        <input type="hidden" name="name_key" value=key />
                                        <input type="hidden" name="keep" value=code.clone() />
                                        <span class="small">{name} " · " {code} " · " {district} " " {street}</span>
                                        <button type="submit" class="btn small">{t.ledger_keep_this}</button>
                                    </ActionForm>
                                }
                            }).collect_view()}
                            <ActionForm action=apart>
                                <input type="hidden" name="name_key" value=key />
                                <button type="submit" class="btn small">{t.ledger_keep_apart}</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// A query value as it goes into a link.
fn query_value(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
