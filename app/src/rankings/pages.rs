//! The 排行 tab: the member board with "my rank", the organization board, and the privacy
//! switch. Scope and period are chosen with a plain GET form, so that every board has an
//! address and works without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{
    BoardView, ComputeRatings, ConfirmRating, OrgBoardView, PublishRatings, RatingsView,
    SetRankAnonymous, member_board, org_board, star_ratings,
};
use super::model::{Period, RatingRow, RatingStatus, ScopeChoice};
use crate::i18n::use_t;
use crate::ui::action_error;
use crate::ui::charts::Charts;
use crate::ui::{AppLayout, Empty, ErrorState, FormError, FormOk, Loading, Pager};

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
                <crate::ui::SubmitOnChange><select name="scope">
                    {scopes.into_iter().map(|c| {
                        let name = if c.key == "platform" { t.whole_platform.to_owned() } else { c.name.clone() };
                        view! { <option value=c.key.clone() selected=c.key == scope>{name}</option> }
                    }).collect_view()}
                </select></crate::ui::SubmitOnChange>
            </label>
            <label>
                <span>{t.board_period}</span>
                <crate::ui::SubmitOnChange><select name="period">
                    {Period::ALL.into_iter().map(|p| view! {
                        <option value=p.as_str() selected=p == period>{p.label(t)}</option>
                    }).collect_view()}
                </select></crate::ui::SubmitOnChange>
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
    let rows = |rows: Vec<super::model::BoardRow>| {
        rows.into_iter()
            .map(|r| {
                view! {
                    <tr class:me=r.me>
                        <td class="rank">{r.rank}</td>
                        <td>{r.name.unwrap_or_else(|| t.anonymous_member.to_owned())}</td>
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
            <Pager page=v.page pages=v.pages link />
        </section>
        <Charts charts=v.charts.clone() />
        <Privacy on=v.anonymous />
    }
}

#[component]
fn Privacy(on: bool) -> impl IntoView {
    let t = use_t();
    let save = crate::ui::server_action::<SetRankAnonymous>();
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
                                <th class="num">{t.component_participation}</th>
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
        {v.rate_org.map(|id| view! {
            <a class="btn block" href=format!("/rankings/ratings?org={id}")>{t.ratings_entry}</a>
        })}
    }
}

/// `/rankings/ratings?org=..&period=..`: a superior computes, confirms or adjusts, and
/// publishes the star ratings of the branches under it.
#[component]
pub fn RatingsPage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let args = Memo::new(move |_| {
        let q = query.read();
        (
            crate::ui::org_in_query(&q),
            q.get("period").unwrap_or_default(),
        )
    });
    let compute = crate::ui::server_action::<ComputeRatings>();
    let confirm = crate::ui::server_action::<ConfirmRating>();
    let publish = crate::ui::server_action::<PublishRatings>();
    // Reload after a change that went through only: a refused one keeps what was chosen.
    let changed = RwSignal::new(0u32);
    let bump = move |ok: bool| {
        if ok {
            changed.update(|n| *n += 1);
        }
    };
    Effect::new(move |_| bump(matches!(compute.value().get(), Some(Ok(_)))));
    Effect::new(move |_| bump(matches!(confirm.value().get(), Some(Ok(_)))));
    Effect::new(move |_| bump(matches!(publish.value().get(), Some(Ok(_)))));
    let ratings = Resource::new(
        move || (args.get(), changed.get()),
        |((org, period), _)| star_ratings(org, period),
    );
    view! {
        <AppLayout title=t.ratings_title back="/rankings?view=orgs">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match ratings.await {
                        Ok(v) => view! { <Ratings v compute confirm publish /> }.into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn Ratings(
    v: RatingsView,
    compute: ServerAction<ComputeRatings>,
    confirm: ServerAction<ConfirmRating>,
    publish: ServerAction<PublishRatings>,
) -> impl IntoView {
    let t = use_t();
    let compute_error = action_error(compute);
    let confirm_error = action_error(confirm);
    let publish_error = action_error(publish);
    let (period_compute, period_publish) = (v.period.clone(), v.period.clone());
    let org_id = v.org_id;
    view! {
        <section class="card">
            <h2>{v.org_name.clone()} " · " {v.period.clone()}</h2>
            <p class="muted small">{t.ratings_lead}</p>
            <form class="filters" method="get" action="/rankings/ratings">
                <input type="hidden" name="org" value=v.org_id />
                <label>
                    <span>{t.period_label}</span>
                    <input name="period" value=v.period.clone() inputmode="text" />
                </label>
                <button type="submit" class="btn small">{t.board_show}</button>
            </form>
            <h3 class="small">{t.ratings_weights}</h3>
            <ul class="plain small">
                {v.weights.iter().map(|(c, w)| view! {
                    <li>{c.label(t)} " " {format!("{w}%")}</li>
                }).collect_view()}
            </ul>
            <p class="muted small">{t.ratings_unmeasured}</p>
            <ActionForm action=compute>
                <input type="hidden" name="org" value=org_id />
                <input type="hidden" name="period" value=period_compute />
                <FormError error=compute_error />
                {move || compute.value().get().and_then(Result::ok).map(|n| view! {
                    <div class="alert ok" role="status">{t.ratings_computed.replace("{n}", &n.to_string())}</div>
                })}
                <button type="submit" class="btn block" disabled=move || compute.pending().get()>{t.ratings_compute}</button>
            </ActionForm>
        </section>
        {if v.rows.is_empty() {
            view! { <Empty text=t.ratings_empty /> }.into_any()
        } else {
            view! {
                <section class="card">
                    // One form per row shares this message: the field's words, not "fix the fields".
                    {move || confirm_error.get().map(|e| {
                        let text = e.field("reason").or_else(|| e.field("stars")).map(|m| m.text(t).to_owned()).unwrap_or_else(|| e.summary(t));
                        view! { <div class="alert error" role="alert">{text}</div> }
                    })}
                    <table class="table ratings">
                        <thead>
                            <tr><th>{t.branch}</th><th class="num">{t.score_col}</th><th>{t.stars_col}</th></tr>
                        </thead>
                        <tbody>
                            {v.rows.iter().cloned().map(|r| view! { <RatingLine r confirm /> }).collect_view()}
                        </tbody>
                    </table>
                    <ActionForm action=publish>
                        <input type="hidden" name="org" value=org_id />
                        <input type="hidden" name="period" value=period_publish />
                        <FormError error=publish_error />
                        {move || publish.value().get().and_then(Result::ok).map(|n| view! {
                            <div class="alert ok" role="status">{t.ratings_published.replace("{n}", &n.to_string())}</div>
                        })}
                        <button type="submit" class="btn primary block" disabled=move || publish.pending().get()>{t.ratings_publish}</button>
                    </ActionForm>
                </section>
            }.into_any()
        }}
        <Charts charts=v.chart.clone().into_iter().collect() />
    }
}

fn stars_text(n: u8, t: &crate::i18n::Strings) -> String {
    match n {
        0 => t.stars_rectify.to_owned(),
        n => "★".repeat(n as usize),
    }
}

#[component]
fn RatingLine(r: RatingRow, confirm: ServerAction<ConfirmRating>) -> impl IntoView {
    let t = use_t();
    let status = r.status.label(t);
    let measured = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_else(|| "—".into());
    view! {
        <tr>
            <td>
                {r.name.clone()}
                <span class="muted small block">
                    {t.component_participation} " " {measured(r.participation)} " · "
                    {t.component_per_member} " " {measured(r.per_member)} " · "
                    {t.component_meetings} " " {measured(r.meetings)} " · "
                    {t.component_records} " " {measured(r.records)} " · "
                    {t.component_transfers} " " {measured(r.transfers)}
                </span>
                <span class="muted small block">{status}{(!r.reason.is_empty()).then(|| format!(" · {}", r.reason))}</span>
            </td>
            <td class="num">{r.score}</td>
            <td>
                <span class="stars" class:rectify=r.stars == 0>{stars_text(r.stars, t)}</span>
                {(r.status != RatingStatus::Published).then(|| view! {
                    <ActionForm action=confirm attr:class="rating-form">
                        <input type="hidden" name="id" value=r.id />
                        <select name="stars" aria-label=t.stars_col>
                            {[5u8, 4, 3, 2, 0].into_iter().map(|s| view! {
                                <option value=s selected=s == r.stars>{stars_text(s, t)}</option>
                            }).collect_view()}
                        </select>
                        <input name="reason" placeholder=t.ratings_reason aria-label=t.ratings_reason value=r.reason.clone() />
                        <button type="submit" class="btn small">{t.ratings_confirm}</button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}
