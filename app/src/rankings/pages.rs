//! The 排行 tab: the member board with "my rank", the organization board, and the privacy
//! switch. Scope and period are chosen with a plain GET form, so that every board has an
//! address and works without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{BoardView, OrgBoardView, SetRankAnonymous, member_board, org_board};
use super::model::{ChartView, Period, ScopeChoice};
use crate::auth::pages::action_error;
use crate::i18n::use_t;
use crate::ui::{AppLayout, Empty, ErrorState, FormError, FormOk, Loading, browser};

/// `/rankings?view=members|orgs&scope=..&period=..&page=..`.
#[component]
pub fn RankingsPage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let orgs = Memo::new(move |_| get("view") == "orgs");
    let args = Memo::new(move |_| {
        (
            get("scope"),
            get("period"),
            get("page").parse::<i64>().unwrap_or(1),
        )
    });
    let members = Resource::new(
        move || (orgs.get(), args.get()),
        |(orgs, (scope, period, page))| async move {
            if orgs {
                Ok(None)
            } else {
                member_board(scope, period, page).await.map(Some)
            }
        },
    );
    let org_rows = Resource::new(
        move || (orgs.get(), args.get()),
        |(orgs, (scope, period, _))| async move {
            if orgs {
                org_board(scope, period).await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    view! {
        <AppLayout title=t.rankings_title>
            <nav class="segmented" aria-label=t.rankings_title>
                // Plain links: the router's own would mark both as current (same path).
                <a href="/rankings" aria-current=move || if orgs.get() { "false" } else { "page" }>{t.board_members}</a>
                <a href="/rankings?view=orgs" aria-current=move || if orgs.get() { "page" } else { "false" }>{t.board_orgs}</a>
            </nav>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    if orgs.get() {
                        match org_rows.await {
                            Ok(Some(v)) => view! { <OrgBoard v /> }.into_any(),
                            Ok(None) => ().into_any(),
                            Err(error) => view! { <ErrorState error /> }.into_any(),
                        }
                    } else {
                        match members.await {
                            Ok(Some(v)) => view! { <MemberBoard v /> }.into_any(),
                            Ok(None) => ().into_any(),
                            Err(error) => view! { <ErrorState error /> }.into_any(),
                        }
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

/// Scope and period, as a GET form that reloads the board; with JavaScript a change submits.
#[component]
fn Filters(
    view_name: &'static str,
    scopes: Vec<ScopeChoice>,
    scope: String,
    period: Period,
) -> impl IntoView {
    let t = use_t();
    view! {
        <form class="filters card" method="get" action="/rankings">
            {(view_name == "orgs").then(|| view! { <input type="hidden" name="view" value="orgs" /> })}
            <label>
                <span>{t.board_scope}</span>
                <select name="scope" on:change=move |ev| browser::submit_form_of(&ev)>
                    {scopes.into_iter().map(|c| {
                        let name = if c.key == "platform" { t.whole_platform.to_owned() } else { c.name.clone() };
                        view! { <option value=c.key.clone() selected=c.key == scope>{name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                <span>{t.board_period}</span>
                <select name="period" on:change=move |ev| browser::submit_form_of(&ev)>
                    {Period::ALL.into_iter().map(|p| view! {
                        <option value=p.as_str() selected=p == period>{p.label(t)}</option>
                    }).collect_view()}
                </select>
            </label>
            <noscript><button type="submit" class="btn small">{t.board_show}</button></noscript>
        </form>
    }
}

#[component]
fn MemberBoard(v: BoardView) -> impl IntoView {
    let t = use_t();
    let link = {
        let (scope, period) = (v.scope.clone(), v.period.as_str());
        move |page: i64| format!("/rankings?scope={scope}&period={period}&page={page}")
    };
    let rows = |rows: Vec<super::api::BoardRow>| {
        rows.into_iter()
            .map(|r| {
                view! {
                    <tr class:me=r.me>
                        <td class="rank">{r.rank}</td>
                        <td>{r.name}</td>
                        <td class="num">{r.points}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <Filters view_name="members" scopes=v.scopes.clone() scope=v.scope.clone() period=v.period />
        <section class="card">
            <h2>{t.my_rank}</h2>
            {if v.mine.is_empty() {
                view! { <Empty text=t.not_on_board /> }.into_any()
            } else {
                view! {
                    <table class="table board">
                        <tbody>{rows(v.mine.clone())}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <section class="card">
            <h2>{t.board_total.replace("{n}", &v.total.to_string())}</h2>
            {if v.rows.is_empty() {
                view! { <Empty text=if v.total == 0 { t.board_empty } else { t.board_page_empty } /> }.into_any()
            } else {
                view! {
                    <table class="table board">
                        <thead><tr><th>{t.rank}</th><th>{t.name}</th><th class="num">{t.points_col}</th></tr></thead>
                        <tbody>{rows(v.rows.clone())}</tbody>
                    </table>
                }.into_any()
            }}
            {(v.pages > 1).then(|| view! {
                <nav class="pager" aria-label=t.pages>
                    {(v.page > 1).then(|| view! { <a href=link(v.page - 1)>{t.prev_page}</a> })}
                    <span>{format!("{} / {}", v.page, v.pages)}</span>
                    {(v.page < v.pages).then(|| view! { <a href=link(v.page + 1)>{t.next_page}</a> })}
                </nav>
            })}
        </section>
        <Charts charts=v.charts.clone() />
        <Privacy on=v.anonymous />
    }
}

/// Charts drawn by ECharts in the browser, each with its numbers in a table under it. The
/// scripts come only with pages that show charts.
#[component]
fn Charts(charts: Vec<ChartView>) -> impl IntoView {
    let t = use_t();
    (!charts.is_empty()).then(|| {
        view! {
            <script src="/vendor/echarts.min.js" defer></script>
            <script src="/charts.js" defer></script>
            {charts.into_iter().map(|c| view! {
                <figure class="card chart-card">
                    <figcaption>{c.title.clone()}</figcaption>
                    <div class="chart" data-chart=c.option role="img" aria-label=c.title.clone()></div>
                    <details>
                        <summary>{t.chart_table}</summary>
                        <table class="table">
                            <thead><tr>{c.headers.iter().map(|h| view! { <th>{h.clone()}</th> }).collect_view()}</tr></thead>
                            <tbody>
                                {c.rows.iter().map(|r| view! {
                                    <tr>{r.iter().map(|cell| view! { <td>{cell.clone()}</td> }).collect_view()}</tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </details>
                </figure>
            }).collect_view()}
        }
    })
}

#[component]
fn Privacy(on: bool) -> impl IntoView {
    let t = use_t();
    let save = ServerAction::<SetRankAnonymous>::new();
    let error = action_error(save);
    let saved = Signal::derive(move || matches!(save.value().get(), Some(Ok(_))));
    view! {
        <section class="card">
            <ActionForm action=save attr:class="form">
                <FormError error />
                <FormOk show=saved text=t.rank_anonymous_saved />
                <label class="check">
                    <input type="checkbox" name="anonymous" checked=on />
                    {t.rank_anonymous}
                </label>
                <button type="submit" class="btn small" disabled=move || save.pending().get()>{t.save}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn OrgBoard(v: OrgBoardView) -> impl IntoView {
    let t = use_t();
    view! {
        <Filters view_name="orgs" scopes=v.scopes.clone() scope=v.scope.clone() period=v.period />
        <section class="card">
            <p class="muted small">{t.org_board_lead}</p>
            {if v.rows.is_empty() {
                view! { <Empty text=t.org_board_empty /> }.into_any()
            } else {
                view! {
                    <table class="table board">
                        <thead>
                            <tr>
                                <th>{t.rank}</th>
                                <th>{t.org_col}</th>
                                <th class="num">{t.per_member}</th>
                                <th class="num">{t.participation}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {v.rows.into_iter().map(|r| view! {
                                <tr>
                                    <td class="rank">{r.rank}</td>
                                    <td>{r.name}<span class="muted small block">{t.members_col} " " {r.members}</span></td>
                                    <td class="num">{r.per_member}</td>
                                    <td class="num">{format!("{}%", r.participation)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <Charts charts=v.chart.clone().into_iter().collect() />
    }
}
