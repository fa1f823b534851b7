//! `/orglife`: the branch calendar of due items, the month's meetings, and the member's
//! calendar feed.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::{CalendarFeed, calendar_feed, life_calendar};
use super::model::DueState;
use crate::error::AppError;
use crate::i18n::use_t;
use crate::ui::{AppLayout, Empty, ErrorState, Loading};

/// A month of the branch's due items, with links to the months around it and to the
/// viewer's other branches.
#[component]
pub fn LifeCalendarPage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let cal = Resource::new(
        move || {
            let q = query.read();
            (
                crate::ui::org_in_query(&q),
                q.get("month").unwrap_or_default(),
            )
        },
        |(org, month)| life_calendar(org, month),
    );
    // The feed is asked for with the calendar, not inside it: a resource made while the
    // calendar renders would be asked again when that render is redone.
    let renew = crate::ui::server_action::<CalendarFeed>();
    let feed = Resource::new(move || renew.version().get(), |_| calendar_feed(false));
    view! {
        <AppLayout title=t.life_title>
            <Suspense fallback=Loading>
                {move || cal.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(v) => match v.org.clone() {
                        None => view! { <Empty text=t.life_no_branch /> }.into_any(),
                        Some((id, name, tree)) => {
                            let link = move |m: &str| format!("/orglife?org={id}&month={m}");
                            view! {
                                <section class="card">
                                    <h2>{name}</h2>
                                    {(v.branches.len() > 1).then(|| {
                                        let others: Vec<_> = v.branches.iter().filter(|b| b.0 != id).cloned().collect();
                                        view! {
                                            <p class="small">
                                                {others.into_iter().map(|(bid, bname)| view! {
                                                    <A href=format!("/orglife?org={bid}")>{bname}</A> " "
                                                }).collect_view()}
                                            </p>
                                        }
                                    })}
                                    <nav class="pager" aria-label=t.life_months>
                                        <a href=link(&v.prev)>{format!("‹ {}", v.prev)}</a>
                                        <strong>{v.month.clone()}</strong>
                                        <a href=link(&v.next)>{format!("{} ›", v.next)}</a>
                                    </nav>
                                    <p class="muted small">{t.life_lead}</p>
                                </section>
                                {(!v.mine.is_empty()).then(|| view! {
                                    <section class="card list">
                                        <h2>{t.life_my_meetings}</h2>
                                        {v.mine.clone().into_iter().map(|m| view! {
                                            <A href=format!("/orglife/meeting/{}", m.id) attr:class="row link">
                                                <span>
                                                    <strong>{m.title.clone()}</strong>
                                                    <span class="muted small block">{m.when.clone()}</span>
                                                </span>
                                                <span aria-hidden="true">"›"</span>
                                            </A>
                                        }).collect_view()}
                                    </section>
                                })}
                                <MonthGrid month=v.month.clone() today=v.today.clone() meetings=v.meetings.iter().map(|m| m.day.clone()).collect() theme=v.items.iter().find_map(|i| i.on.clone()) />
                                <section class="card">
                                    <h2>{t.life_meetings}</h2>
                                    {if v.meetings.is_empty() {
                                        view! { <p class="muted">{t.life_no_meetings}</p> }.into_any()
                                    } else {
                                        v.meetings.clone().into_iter().map(|m| view! {
                                            <div class="row">
                                                <span>
                                                    <A href=format!("/orglife/meeting/{}", m.id)><strong>{m.title.clone()}</strong></A>
                                                    <span class="muted small block">{format!("{} · {}", m.kind.label(tree, t), m.when)}</span>
                                                    <span class="muted small block">
                                                        {if m.place.is_empty() { m.online_link.clone() } else { m.place.clone() }}
                                                        {format!(" · {} {}", m.expected, t.people)}
                                                    </span>
                                                </span>
                                            </div>
                                        }).collect_view().into_any()
                                    }}
                                    {v.can_schedule.then(|| view! {
                                        <a href=format!("/orglife/export.csv?org={id}&year={}", v.month.get(..4).unwrap_or_default().to_owned()) class="btn block" rel="external" download>{t.life_export}</a>
                                    })}
                                    {v.can_schedule.then(|| view! {
                                        <A href=format!("/orglife/schedule?org={id}") attr:class="btn block">{t.life_schedule}</A>
                                    })}
                                </section>
                                <section class="card">
                                    <A href="/orglife/notices" attr:class="row link">{t.life_notices_link}<span aria-hidden="true">"›"</span></A>
                                    <A href=format!("/orglife/evaluation?org={id}") attr:class="row link">{t.evaluation_title}<span aria-hidden="true">"›"</span></A>
                                    {v.can_schedule.then(|| view! {
                                        <A href=format!("/orglife/dues?org={id}") attr:class="row link">{t.dues_branch_title}<span aria-hidden="true">"›"</span></A>
                                    })}
                                    {v.can_schedule.then(|| view! {
                                        <A href=format!("/orglife/development?org={id}") attr:class="row link">{t.dev_branch_title}<span aria-hidden="true">"›"</span></A>
                                    })}
                                </section>
                                <FeedCard renew feed />
                                <section class="card list">
                                    {v.items.into_iter().map(|i| {
                                        let (class, state) = match i.state {
                                            _ if i.scheduled => ("tag ok", t.life_scheduled),
                                            DueState::Due => ("tag kind", t.life_due),
                                            DueState::EndsSoon => ("tag warn", t.life_ends_soon),
                                            DueState::Overdue => ("tag muted-tag", t.life_overdue),
                                        };
                                        view! {
                                            <div class="row">
                                                <span>
                                                    <strong>{i.kind.label(tree, t)}</strong>
                                                    <span class="muted small block">
                                                        {match &i.on {
                                                            Some(d) => format!("{} {d}", t.life_on),
                                                            None => i.period.clone(),
                                                        }}
                                                    </span>
                                                </span>
                                                <span class=class>{state}</span>
                                            </div>
                                        }
                                    }).collect_view()}
                                </section>
                            }.into_any()
                        }
                    },
                })}
            </Suspense>
        </AppLayout>
    }
}

/// The member's calendar feed: an address to subscribe to in the phone's calendar, and a
/// button that makes a new one (the old one stops working).
#[component]
fn FeedCard(
    renew: ServerAction<CalendarFeed>,
    feed: Resource<Result<String, AppError>>,
) -> impl IntoView {
    let t = use_t();
    let shown = move || match renew.value().get() {
        Some(Ok(url)) => Some(Ok(url)),
        _ => feed.get(),
    };
    view! {
        <section class="card">
            <h2>{t.feed_title}</h2>
            <p class="muted small">{t.feed_lead}</p>
            <Suspense fallback=Loading>
                {move || shown().map(|r| match r {
                    Ok(url) => view! {
                        <label class="sr-only" for="feed-url">{t.feed_title}</label>
                        <input id="feed-url" class="copy" readonly value=url.clone() />
                        <p class="small"><a href=url.replace("http://", "webcal://").replace("https://", "webcal://")>{t.feed_subscribe}</a></p>
                    }.into_any(),
                    Err(e) => view! { <p class="field-error" role="alert">{e.summary(t)}</p> }.into_any(),
                })}
            </Suspense>
            <ActionForm action=renew>
                <input type="hidden" name="renew" value="true" />
                <button type="submit" class="btn block">{t.feed_renew}</button>
            </ActionForm>
        </section>
    }
}

/// The month as a grid of weeks (Monday first): days with meetings marked, and the theme
/// day. The list below carries the same meetings for screen readers and narrow phones.
#[component]
fn MonthGrid(
    month: String,
    today: String,
    meetings: Vec<String>,
    theme: Option<String>,
) -> impl IntoView {
    use super::model::{month_grid, parse_month};
    let t = use_t();
    parse_month(&month).map(|span| {
        let weeks = month_grid(span);
        view! {
            <section class="card">
                <table class="month-grid" aria-label=t.life_month_grid>
                    <thead>
                        <tr>{t.weekdays.split(' ').map(|d| view! { <th scope="col">{d.to_owned()}</th> }).collect_view()}</tr>
                    </thead>
                    <tbody>
                        {weeks.into_iter().map(|week| view! {
                            <tr>
                                {week.into_iter().map(|day| {
                                    let key = day.map(|d| d.to_string()).unwrap_or_default();
                                    let busy = day.is_some() && meetings.contains(&key);
                                    let themed = day.is_some() && theme.as_deref() == Some(key.as_str());
                                    let now = day.is_some() && key == today;
                                    view! {
                                        <td class:busy=busy class:themed=themed class:today=now>
                                            {day.map(|d| chrono::Datelike::day(&d).to_string()).unwrap_or_default()}
                                        </td>
                                    }
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <p class="muted small legend">
                    <span class="dot busy"></span>{t.life_grid_meeting}
                    <span class="dot themed"></span>{t.life_grid_theme}
                </p>
            </section>
        }
    })
}
