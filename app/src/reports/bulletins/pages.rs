//! `/dashboard/bulletins`: a committee's bulletins; `/dashboard/bulletins/:id`: one, as an
//! A4 page to print.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::{ShelfView, bulletins, read_bulletin};
use super::model::Bulletin;
use crate::i18n::{Strings, use_t};
use crate::reports::model::ReportPeriod;
use crate::ui::{AppLayout, Empty, ErrorState, Loading};

/// A period as a bulletin's title says it: "2026年11月" / "2026年第四季度".
pub fn period_title(p: ReportPeriod, t: &Strings) -> String {
    match p {
        ReportPeriod::Month { year, month } => t
            .bulletin_month
            .replace("{year}", &year.to_string())
            .replace("{month}", &month.to_string()),
        ReportPeriod::Quarter { year, quarter } => t
            .bulletin_quarter
            .replace("{year}", &year.to_string())
            .replace("{quarter}", &quarter.to_string()),
    }
}

#[component]
pub fn BulletinsPage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let org = Memo::new(move |_| crate::ui::org_in_query(&query.read()));
    let data = Resource::new(move || org.get(), bulletins);
    view! {
        <AppLayout title=t.bulletins_title back="/dashboard">
            <Suspense fallback=Loading>
                {move || data.get().map(|r| match r {
                    Err(error) => view! { <ErrorState error /> }.into_any(),
                    Ok(v) => view! { <Shelf v /> }.into_any(),
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn Shelf(v: ShelfView) -> impl IntoView {
    let t = use_t();
    view! {
        <section class="card">
            <h2>{v.org_name.clone()}</h2>
            <crate::ui::OtherOrgs orgs=v.orgs.clone() current=v.org_id page="/dashboard/bulletins" />
            <p class="muted small">{t.bulletins_lead}</p>
        </section>
        {if v.bulletins.is_empty() {
            view! { <Empty text=t.bulletins_none /> }.into_any()
        } else {
            view! {
                <section class="card list" data-testid="bulletins">
                    {v.bulletins.into_iter().map(|(id, period)| {
                        let title = ReportPeriod::parse(&period).map(|p| period_title(p, t)).unwrap_or(period);
                        view! {
                            <A href=format!("/dashboard/bulletins/{id}") attr:class="row link">
                                {title}<span aria-hidden="true">"›"</span>
                            </A>
                        }
                    }).collect_view()}
                </section>
            }.into_any()
        }}
    }
}

#[component]
pub fn BulletinPage() -> impl IntoView {
    let t = use_t();
    let id = crate::ui::id_param();
    let data = Resource::new(move || id.get(), read_bulletin);
    view! {
        <AppLayout title=t.bulletins_title back="/dashboard/bulletins">
            <Suspense fallback=Loading>
                {move || data.get().map(|r| match r {
                    Err(error) => view! { <ErrorState error /> }.into_any(),
                    Ok(b) => view! { <Sheet b /> }.into_any(),
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn Sheet(b: Bulletin) -> impl IntoView {
    let t = use_t();
    let kind = if b.period.is_quarter() {
        t.bulletin_quarterly
    } else {
        t.bulletin_monthly
    };
    let title = format!("{}{}{kind}", b.org_name, period_title(b.period, t));
    let lead = t
        .bulletin_lead
        .replace("{branches}", &b.branches.to_string())
        .replace("{members}", &b.members.to_string())
        .replace("{made}", &b.made_on.to_string());
    let named = |list: Vec<super::model::Named>| {
        list.into_iter()
            .map(|n| {
                view! {
                    <tr>
                        <td>{n.name}</td>
                        <td>{crate::reports::model::Measure::Participation.write(n.participation)}</td>
                        <td>{crate::reports::model::Measure::PointsPerMember.write(n.per_member)}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let ranked_head = move || {
        view! {
            <thead><tr><th>{t.bulletin_branch}</th><th>{t.component_participation}</th><th>{t.component_per_member}</th></tr></thead>
        }
    };
    let stars = [5u8, 4, 3, 2, 0]
        .into_iter()
        .zip(b.stars)
        .map(|(s, n)| {
            let label = if s == 0 {
                t.stars_rectify.to_owned()
            } else {
                t.stars_n.replace("{n}", &s.to_string())
            };
            format!("{label} {n}")
        })
        .collect::<Vec<_>>()
        .join(t.list_sep);
    view! {
        <article class="print-sheet bulletin" data-testid="bulletin">
            <h2>{title}</h2>
            <p class="muted small">{lead}</p>
            <h3>{t.bulletin_figures}</h3>
            <table class="table record-table">
                <thead><tr><th></th><th>{t.bulletin_now}</th><th>{t.bulletin_before}</th><th>{t.dashboard_change}</th></tr></thead>
                <tbody>
                    {b.measures.into_iter().map(|(m, c)| {
                        let unit = if m.is_percent() { t.dashboard_points_unit } else { "" };
                        view! {
                            <tr>
                                <th scope="row">{m.label(t)}</th>
                                <td>{m.write(c.now)}</td>
                                <td>{m.write(c.before)}</td>
                                <td>{c.write_change(unit, m.decimals())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <h3>{t.bulletin_best}</h3>
            {if b.best.is_empty() {
                view! { <p class="muted">{t.bulletin_too_few}</p> }.into_any()
            } else {
                view! { <table class="table record-table">{ranked_head()}<tbody>{named(b.best)}</tbody></table> }.into_any()
            }}
            <h3>{t.bulletin_weakest}</h3>
            {if b.weakest.is_empty() {
                view! { <p class="muted">{t.bulletin_too_few}</p> }.into_any()
            } else {
                view! { <table class="table record-table">{ranked_head()}<tbody>{named(b.weakest)}</tbody></table> }.into_any()
            }}
            <h3>{t.bulletin_overdue}</h3>
            {if b.overdue.is_empty() {
                view! { <p class="muted">{t.bulletin_overdue_none}</p> }.into_any()
            } else {
                view! {
                    <ul class="bulletin-overdue">
                        {b.overdue.into_iter().map(|o| {
                            let items = o.items.iter().map(|(k, from, to)| format!("{}{}{from} – {to}{}", k.label(o.tree, t), t.paren_open, t.paren_close)).collect::<Vec<_>>().join(t.list_sep);
                            view! { <li><strong>{o.branch}</strong>{t.colon}{items}</li> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h3>{t.chart_stars}</h3>
            <p>{stars}</p>
            <p class="muted small no-print">{t.print_hint}</p>
        </article>
    }
}
