//! `/orglife/compliance`: the superior's view of its branches' organization life.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::life_compliance;
use crate::i18n::use_t;
use crate::ui::charts::Charts;
use crate::ui::{AppLayout, Empty, ErrorState, Loading};

/// `/orglife/compliance`: the branches below an organization the viewer administers, by
/// on-time rate, with a chart of the rates.
#[component]
pub fn CompliancePage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let data = Resource::new(
        move || crate::ui::org_in_query(&query.read()),
        life_compliance,
    );
    view! {
        <AppLayout title=t.compliance_title back="/me">
            <Suspense fallback=Loading>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(v) => {
                        let waiting = v.waiting.clone();
                        let summary = t
                            .compliance_summary
                            .replace("{n}", &v.branches.len().to_string())
                            .replace("{rate}", &v.average.map(|a| format!("{a}%")).unwrap_or_else(|| "—".into()))
                            .replace("{idle}", &v.idle.to_string());
                        view! {
                            <section class="card">
                                <h2>{v.org_name.clone()}</h2>
                                <crate::ui::OtherOrgs orgs=v.orgs.clone() current=v.org_id page="/orglife/compliance" />
                                <p data-testid="compliance-summary">{summary}</p>
                                <p class="muted small">{t.compliance_lead}</p>
                            </section>
                            {(!waiting.is_empty()).then(|| view! {
                                <section class="card list" data-testid="compliance-waiting">
                                    <h2>{t.compliance_waiting}<span class="tag warn">{waiting.len()}</span></h2>
                                    {waiting.into_iter().map(|w| {
                                        let age = if w.days == 0 { t.compliance_waiting_today } else { t.compliance_waiting_age };
                                        let age = age.replace("{branch}", &w.branch).replace("{days}", &w.days.to_string());
                                        view! {
                                            <A href=format!("/orglife/meeting/{}", w.meeting_id) attr:class="row">
                                                <span>
                                                    <strong>{w.title}</strong>
                                                    <span class="muted small block">{age}</span>
                                                </span>
                                                <span class="tag">{t.record_submitted}</span>
                                            </A>
                                        }
                                    }).collect_view()}
                                </section>
                            })}
                            <Charts charts=v.chart.clone().into_iter().collect() />
                            {if v.branches.is_empty() {
                                view! { <Empty text=t.compliance_none /> }.into_any()
                            } else {
                                view! {
                                    <section class="card list">
                                        {v.branches.into_iter().map(|b| {
                                            let rate = b.rate.map(|r| format!("{r}%")).unwrap_or_else(|| "—".into());
                                            let detail = t
                                                .compliance_detail
                                                .replace("{on_time}", &b.on_time.to_string())
                                                .replace("{due}", &b.due.to_string())
                                                .replace("{last}", b.last_held.as_deref().unwrap_or(t.compliance_never));
                                            let overdue = b.overdue.iter().take(3).map(|(k, p)| format!("{}{}{p}{}", k.label(b.tree, t), t.paren_open, t.paren_close)).collect::<Vec<_>>().join(t.list_sep);
                                            let more = b.overdue.len().saturating_sub(3);
                                            view! {
                                                <div class="row">
                                                    <span>
                                                        <A href=format!("/orglife?org={}", b.id)><strong>{b.name.clone()}</strong></A>
                                                        {b.idle.then(|| view! { <span class="tag warn">{t.compliance_idle}</span> })}
                                                        <span class="muted small block">{detail}</span>
                                                        {(!overdue.is_empty()).then(|| view! {
                                                            <span class="small block">
                                                                {format!("{}{}{overdue}", t.compliance_overdue, t.colon)}
                                                                {(more > 0).then(|| t.compliance_more.replace("{n}", &more.to_string()))}
                                                            </span>
                                                        })}
                                                    </span>
                                                    <span class="big-rate">{rate}</span>
                                                </div>
                                            }
                                        }).collect_view()}
                                    </section>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}
