//! The 积分 tab: today's points and totals, a progress row per rule, and the ledger.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::{
    AddRuleVersion, LedgerPage, LedgerView, PointsView, ProgressRow, RuleView, point_rules,
    points_page,
};
use super::model::{CapPeriod, PointSource, RuleCode};
use crate::i18n::{Strings, use_t};
use crate::ui::action_error;
use crate::ui::{AppLayout, Empty, ErrorState, Field, FormError, FormOk, Loading};

#[component]
pub fn PointsPage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let before = Memo::new(move |_| {
        query
            .read()
            .get("before")
            .and_then(|s| s.parse::<i64>().ok())
    });
    #[cfg(feature = "ssr")]
    crate::auth::session::page_brings_viewer();
    // The summary and the ledger in one answer (one statement with the viewer).
    let page = Resource::new(move || before.get(), points_page);
    view! {
        <AppLayout title=t.tab_points>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! {
                            <Summary v=p.summary />
                            <a class="card row link" href="/points/rewards" data-testid="rewards-link">{t.rewards_link}<span aria-hidden="true">"›"</span></a>
                            <section class="card">
                                <h2>{t.points_history}</h2>
                                <History page=p.ledger />
                            </section>
                        }.into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn Summary(v: PointsView) -> impl IntoView {
    let t = use_t();
    let [today, week, month, year, all] = v.totals;
    view! {
        <section class="card points-hero">
            <div class="points-today">
                <span class="muted small">{t.points_today}</span>
                <strong>{today}</strong>
            </div>
            <dl class="points-periods">
                <div><dt>{t.points_week}</dt><dd>{week}</dd></div>
                <div><dt>{t.points_month}</dt><dd>{month}</dd></div>
                <div><dt>{t.points_year}</dt><dd>{year}</dd></div>
                <div><dt>{t.points_all}</dt><dd>{all}</dd></div>
            </dl>
        </section>
        <section class="card">
            <h2>{t.points_progress}</h2>
            <p class="muted small">{t.points_progress_lead}</p>
            {v.rows.into_iter().filter(|r| r.points > 0).map(|r| view! { <Progress r t /> }).collect_view()}
        </section>
    }
}

/// What one rule gives, in words: "每篇 1 分，每日上限 6 分".
fn describe(r: &ProgressRow, t: &Strings) -> String {
    let each = match r.code {
        RuleCode::ReadingTime | RuleCode::VideoTime => t.per_minute,
        RuleCode::DailyQuiz => t.per_correct_answer,
        RuleCode::WeeklyQuiz | RuleCode::SpecialQuiz => t.per_score_band,
        _ => t.per_time,
    };
    let cap = match (r.cap_period, r.cap) {
        (CapPeriod::Day, Some(c)) => t.cap_day.replace("{n}", &c.to_string()),
        (CapPeriod::Week, Some(c)) => t.cap_week.replace("{n}", &c.to_string()),
        (CapPeriod::Item, Some(c)) => t.cap_item.replace("{n}", &c.to_string()),
        _ => String::new(),
    };
    let day = r
        .day_cap
        .map(|(_, c)| t.cap_day.replace("{n}", &c.to_string()))
        .unwrap_or_default();
    let week = r
        .week_cap
        .map(|(_, c)| t.cap_week.replace("{n}", &c.to_string()))
        .unwrap_or_default();
    format!(
        "{}{cap}{day}{week}",
        each.replace("{n}", &r.points.to_string())
    )
}

#[component]
fn Progress(r: ProgressRow, t: &'static Strings) -> impl IntoView {
    let description = describe(&r, t);
    // The rule's own day or week cap, else its further day cap, else its week cap: per-item
    // caps alone have no progress to show.
    let (earned, shown_cap) = match (r.cap_period, r.cap) {
        (CapPeriod::Day | CapPeriod::Week, Some(c)) => (r.earned, Some(c)),
        _ => match r.day_cap.or(r.week_cap) {
            Some((e, c)) => (e, Some(c)),
            None => (r.earned, None),
        },
    };
    let percent = shown_cap
        .map(|c| (earned.max(0) * 100 / c.max(1)).min(100))
        .unwrap_or(0);
    let done = shown_cap.is_some_and(|c| earned >= c);
    view! {
        <div class="progress-row" class:done=done>
            <div class="progress-text">
                <span class="progress-name">{r.code.label(t)}</span>
                <span class="muted small block">{description}</span>
            </div>
            {r.code.earn_at().filter(|_| !done).map(|href| view! { <A href=href attr:class="earn-link">{t.go_earn}</A> })}
            {shown_cap.map(|c| view! {
                <div class="progress-meter">
                    <span class="progress-count">{format!("{earned}/{c}")}</span>
                    <span class="bar" role="progressbar" aria-label=r.code.label(t) aria-valuemin="0" aria-valuemax=c aria-valuenow=earned>
                        <span style=format!("width:{percent}%")></span>
                    </span>
                </div>
            })}
        </div>
    }
}

/// Where a ledger row's points came from, in words.
fn source_text(r: &LedgerView, t: &Strings) -> String {
    let id = r.source_id.as_str();
    match (r.source_kind, &r.source_title) {
        (_, Some(title)) => title.clone(),
        (PointSource::SignIn, _) => t.source_sign_in.replace("{id}", id),
        (PointSource::Week, _) => t.source_week.replace("{id}", id),
        (PointSource::DailyQuiz, _) => t.quiz_daily.to_owned(),
        (PointSource::WeeklyQuiz, _) => t.quiz_weekly.to_owned(),
        (other, None) => format!("{} #{id}", other.as_str()),
    }
}

/// A ledger row's kind in words: its rule, or a reward's spending or refund.
fn ledger_label(r: &LedgerView, t: &Strings) -> &'static str {
    match (r.code, r.source_kind) {
        (Some(code), _) => code.label(t),
        (None, PointSource::Refund) => t.rewards_refund,
        (None, _) => t.rewards_spent,
    }
}

#[component]
fn History(page: LedgerPage) -> impl IntoView {
    let t = use_t();
    if page.rows.is_empty() {
        return view! { <Empty text=t.points_history_empty /> }.into_any();
    }
    view! {
        <ul class="ledger">
            {page.rows.into_iter().map(|r| {
                let sign = if r.points > 0 { "plus" } else { "minus" };
                view! {
                    <li class="ledger-row">
                        <div>
                            <span class="ledger-rule">{ledger_label(&r, t)}</span>
                            <span class="muted small block">{source_text(&r, t)} " · " {r.at}</span>
                        </div>
                        <span class=format!("ledger-points {sign}")>{format!("{:+}", r.points)}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
        {page.next.map(|n| view! { <a class="btn block" href=format!("/points?before={n}")>{t.load_more}</a> })}
    }
    .into_any()
}

/// Platform admins: the rules with their versions, and a form to change one.
#[component]
pub fn RulesPage() -> impl IntoView {
    let t = use_t();
    let add = crate::ui::server_action::<AddRuleVersion>();
    let rules = Resource::new(move || add.version().get(), |_| point_rules());
    view! {
        <AppLayout title=t.rules_title back="/me">
            <p class="muted small lead-pad">{t.rules_lead}</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match rules.await {
                        Ok(list) => view! { <RuleList list add /> }.into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn RuleList(list: Vec<RuleView>, add: ServerAction<AddRuleVersion>) -> impl IntoView {
    let t = use_t();
    let error = action_error(add);
    let done = Signal::derive(move || matches!(add.value().get(), Some(Ok(()))));
    view! {
        <FormOk show=done text=t.rule_version_added />
        <FormError error />
        {RuleCode::ALL.into_iter().map(|code| {
            let versions: Vec<RuleView> = list.iter().filter(|r| r.code == code).cloned().collect();
            let Some(current) = versions.first().cloned() else { return ().into_any() };
            let history = versions.into_iter().skip(1).map(|r| view! {
                <li class="muted small">{version_line(&r, t)}</li>
            }).collect_view();
            view! {
                <section class="card">
                    <h2>{code.label(t)}</h2>
                    <p>{version_line(&current, t)}</p>
                    <ul class="plain">{history}</ul>
                    <details class="change">
                        <summary class="btn small">{t.rules_change}</summary>
                        <ActionForm action=add attr:class="form" attr:novalidate=true>
                            <input type="hidden" name="code" value=code.as_str() />
                            <Field label=t.field_points name="points" inputmode="numeric" value=current.points.to_string() error />
                            <Field label=t.field_cap name="cap" inputmode="numeric" value=current.cap.map(|c| c.to_string()).unwrap_or_default() error />
                            {(current.cap_period != CapPeriod::Day).then(|| view! {
                                <Field label=t.field_day_cap name="day_cap" inputmode="numeric" value=current.day_cap.map(|c| c.to_string()).unwrap_or_default() error />
                            })}
                            {(current.cap_period != CapPeriod::Week).then(|| view! {
                                <Field label=t.field_week_cap name="week_cap" inputmode="numeric" value=current.week_cap.map(|c| c.to_string()).unwrap_or_default() error />
                            })}
                            <Field label=t.field_from name="from" kind="date" error />
                            <button type="submit" class="btn primary block">{t.save}</button>
                        </ActionForm>
                    </details>
                </section>
            }
            .into_any()
        }).collect_view()}
    }
}

/// "第 2 版 · 2026-12-01 起 · 每次 2 分，每日上限 8 分"
fn version_line(r: &RuleView, t: &Strings) -> String {
    let row = ProgressRow {
        code: r.code,
        points: r.points,
        cap_period: r.cap_period,
        cap: r.cap,
        earned: 0,
        day_cap: r.day_cap.map(|c| (0, c)),
        week_cap: r.week_cap.map(|c| (0, c)),
    };
    let cap = if r.cap.is_none() {
        format!("，{}", t.no_cap)
    } else {
        String::new()
    };
    format!(
        "{} · {} {} · {}{}",
        t.rules_version.replace("{n}", &r.version.to_string()),
        r.effective_from,
        t.rules_from,
        describe(&row, t),
        cap
    )
}
