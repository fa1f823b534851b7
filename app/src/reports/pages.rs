//! `/dashboard`: a committee's figures over a month or a quarter, the change since the one
//! before, a chart and table per measure, and the sheets to download.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::{CoverageTile, DashboardView, MeasureView, dashboard};
use super::model::Export;
use crate::i18n::use_t;
use crate::ui::charts::Charts;
use crate::ui::{AppLayout, Empty, ErrorState, Loading};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let args = Memo::new(move |_| {
        let q = query.read();
        (
            crate::ui::org_in_query(&q),
            q.get("period").unwrap_or_default(),
        )
    });
    let data = Resource::new(move || args.get(), |(org, period)| dashboard(org, period));
    view! {
        <AppLayout title=t.dashboard_title back="/me">
            <Suspense fallback=Loading>
                {move || data.get().map(|r| match r {
                    Err(error) => view! { <ErrorState error /> }.into_any(),
                    Ok(v) => view! { <Dashboard v /> }.into_any(),
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn Dashboard(v: DashboardView) -> impl IntoView {
    let t = use_t();
    let lead = t
        .dashboard_lead
        .replace("{period}", &v.period)
        .replace("{previous}", &v.previous)
        .replace("{branches}", &v.branches.to_string())
        .replace("{members}", &v.members.to_string());
    let sheets = Export::ALL.map(|e| {
        let q = format!("org={}&period={}&sheet={}", v.org_id, v.period, e.as_str());
        view! {
            <li class="row">
                <span>{e.label(t)}</span>
                <span class="downloads">
                    <a class="link-button" href=format!("/dashboard/export.xlsx?{q}") download>"XLSX"</a>
                    <a class="link-button" href=format!("/dashboard/export.csv?{q}") download>"CSV"</a>
                </span>
            </li>
        }
    });
    let org_id = v.org_id;
    let org_choice = if v.orgs.len() > 1 {
        view! {
            <label>
                <span>{t.dashboard_org}</span>
                <crate::ui::SubmitOnChange><select name="org">
                    {v.orgs.into_iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=id == org_id>{name}</option>
                    }).collect_view()}
                </select></crate::ui::SubmitOnChange>
            </label>
        }
        .into_any()
    } else {
        view! { <input type="hidden" name="org" value=org_id.to_string() /> }.into_any()
    };
    let period = v.period.clone();
    view! {
        <form class="filters card" method="get" action="/dashboard">
            {org_choice}
            <label>
                <span>{t.dashboard_period}</span>
                <crate::ui::SubmitOnChange><select name="period">
                    {v.periods.into_iter().map(|p| {
                        let (chosen, value) = (p == period, p.clone());
                        view! { <option value=value selected=chosen>{p}</option> }
                    }).collect_view()}
                </select></crate::ui::SubmitOnChange>
            </label>
            <noscript><button type="submit" class="btn small">{t.board_show}</button></noscript>
        </form>
        <section class="card">
            <h2>{v.org_name.clone()}</h2>
            <p class="muted small" data-testid="dashboard-lead">{lead}</p>
        </section>
        {v.coverage.map(|c| view! {
            <section class="measures" data-testid="coverage"><CoverageTile c /></section>
        })}
        {if v.branches == 0 {
            view! { <Empty text=t.dashboard_no_branches /> }.into_any()
        } else {
            view! {
                <section class="measures" data-testid="measures">
                    {v.measures.into_iter().map(|m| view! { <MeasureTile m /> }).collect_view()}
                </section>
                <p class="muted small">{t.dashboard_chart_note}</p>
                <Charts charts=v.charts />
            }.into_any()
        }}
        <A href=format!("/dashboard/bulletins?org={org_id}") attr:class="row link card">{t.dashboard_bulletins}<span aria-hidden="true">"›"</span></A>
        <section class="card list" data-testid="exports">
            <h2>{t.dashboard_exports}</h2>
            <ul class="plain">{sheets.into_iter().collect_view()}</ul>
            <p class="muted small">{t.dashboard_exports_note}</p>
        </section>
    }
}

/// The coverage of an area committee's area, as a measure's tile.
#[component]
fn CoverageTile(c: CoverageTile) -> impl IntoView {
    let t = use_t();
    let label = match c.tree {
        crate::orgs::model::Tree::Party => t.coverage_party_title,
        crate::orgs::model::Tree::League => t.dashboard_coverage_league,
    };
    let of = t
        .dashboard_coverage_of
        .replace("{covered}", &c.covered.to_string())
        .replace("{enterprises}", &c.enterprises.to_string());
    view! {
        <A href=c.link attr:class="measure card">
            <span class="muted small">{label}</span>
            <strong class="measure-value">{crate::league::coverage::model::percent(c.compared.now)}</strong>
            <span class="muted small">{of}</span>
            <span class=trend_class(c.compared)>
                {t.dashboard_change}" "{c.compared.write_change(t.dashboard_points_unit, 1)}
            </span>
        </A>
    }
}

/// How a tile's change is coloured: up, down, or neither.
fn trend_class(c: super::model::Compared) -> &'static str {
    match c.change() {
        Some(c) if c > 0.0 => "change up",
        Some(c) if c < 0.0 => "change down",
        _ => "change",
    }
}

#[component]
fn MeasureTile(m: MeasureView) -> impl IntoView {
    let t = use_t();
    let unit = if m.measure.is_percent() {
        t.dashboard_points_unit
    } else {
        ""
    };
    let trend = trend_class(m.compared);
    view! {
        <A href=m.link attr:class="measure card">
            <span class="muted small">{m.measure.label(t)}</span>
            <strong class="measure-value">{m.measure.write(m.compared.now)}</strong>
            <span class=trend>
                {t.dashboard_change}" "{m.compared.write_change(unit, m.measure.decimals())}
            </span>
        </A>
    }
}
