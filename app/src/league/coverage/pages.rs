//! `/league/coverage?tree=..`: the coverage dashboard of either tree (the League's by
//! default, the Party's with `tree=party`).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::coverage;
use crate::i18n::use_t;
use crate::orgs::model::Tree;
use crate::ui::charts::Charts;
use crate::ui::{AppLayout, Empty, ErrorState, Loading};

/// Coverage of the viewer's area: the headline figure, bars by district or street and a
/// line over twelve weeks (each with its table), and each street's enterprises to found.
#[component]
pub fn CoveragePage() -> impl IntoView {
    let t = use_t();
    let counts = move |f: &super::model::Figures| {
        t.coverage_counts
            .replace("{covered}", &f.covered.to_string())
            .replace("{enterprises}", &f.enterprises.to_string())
            .replace("{eligible}", &f.eligible.to_string())
    };
    let query = use_query_map();
    let tree = move || {
        let tree = query.read().get("tree").unwrap_or_default();
        if tree == "party" { "party" } else { "league" }
    };
    let data = Resource::new(
        move || (tree(), query.read().get("district").unwrap_or_default()),
        |(tree, district)| coverage(tree.to_owned(), district),
    );
    let tabs = move || {
        let tab = |key: &'static str, label: &'static str| {
            let on = tree() == key;
            view! { <A href=format!("/league/coverage?tree={key}") attr:class=if on { "btn small primary" } else { "btn small" } attr:aria-current=on.then_some("page")>{label}</A> }
        };
        view! { <div class="chip-row">{tab("league", t.coverage_title)}{tab("party", t.coverage_party_title)}</div> }
    };
    view! {
        <AppLayout title=t.coverage_page_title back="/me">
            {tabs}
            <Suspense fallback=Loading>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(v) if v.total.enterprises == 0 => view! { <Empty text=t.coverage_empty /> }.into_any(),
                    Ok(v) => view! {
                        <section class="card">
                            {(!v.district.is_empty()).then(|| view! {
                                <p class="crumbs">
                                    {v.city.then(|| view! { <A href=format!("/league/coverage?tree={}", v.tree.as_str())>{t.coverage_city}</A> " › " })}
                                    {v.district.clone()}
                                </p>
                            })}
                            <p class="big-figure">{v.rate.clone()}</p>
                            <p class="muted">{counts(&v.total)}</p>
                        </section>
                        <section class="card list">
                            {v.rows.iter().map(|r| {
                                let inner = view! {
                                    <span>
                                        <strong>{r.label.clone()}</strong>
                                        <span class="muted small block">{counts(&r.figures)}</span>
                                    </span>
                                    <strong>{r.rate.clone()}</strong>
                                };
                                match &r.district {
                                    Some(d) => view! { <A href=format!("/league/coverage?tree={}&district={d}", v.tree.as_str()) attr:class="row link">{inner}</A> }.into_any(),
                                    None => view! { <div class="row">{inner}</div> }.into_any(),
                                }
                            }).collect_view()}
                        </section>
                        <Charts charts=v.charts.clone() />
                        <section class="card">
                            <h2>{t.coverage_to_found}</h2>
                            {if v.to_found.is_empty() {
                                view! { <p class="muted">{t.coverage_none_to_found}</p> }.into_any()
                            } else {
                                v.to_found.iter().map(|s| view! {
                                    <h3>{format!("{} {}", s.district, s.street)}</h3>
                                    <ul class="items">
                                        {s.firms.iter().map(|(name, code, young, league)| view! {
                                            <li class="item-card">
                                                <span class="item-title">{name.clone()}</span>
                                                <span class="muted small">
                                                    {match v.tree {
                                                        Tree::League => t.coverage_firm.replace("{young}", &young.to_string()).replace("{league}", &league.to_string()),
                                                        Tree::Party => t.coverage_party_firm.replace("{young}", &young.to_string()).replace("{party}", &league.to_string()),
                                                    }}
                                                    {(v.tree == Tree::League).then(|| view! {
                                                        " · "
                                                        <a href=format!("/league/invite?code={code}")>{t.founding_invite_title}</a>
                                                    })}
                                                </span>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }).collect_view().into_any()
                            }}
                        </section>
                    }.into_any(),
                })}
            </Suspense>
        </AppLayout>
    }
}
