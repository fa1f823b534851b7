//! The 学习 tab: required items, where I left off, the newest, search; and the item page,
//! which sends heartbeats while it is seen.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::{
    ColumnCard, ItemCard, ItemView, StudyBeat, StudyHomeView, study_column, study_home, study_item,
};
use super::model::{BEAT_INTERVAL_SECS, ItemKind, MIN_BEAT_GAP_SECS, hours};
use crate::error::AppError;
use crate::i18n::use_t;
use crate::ids::ItemId;
use crate::ui::{AppLayout, Empty, ErrorState, Loading, browser};

#[component]
pub fn StudyPage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let home = Resource::new(move || q.get(), study_home);
    view! {
        <AppLayout title=t.tab_study>
            <form class="search" method="get" role="search" action="/study">
                <input type="search" name="q" placeholder=t.search_study aria-label=t.search_study value=move || q.get() />
            </form>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match home.await {
                        Ok(v) => view! { <Home v searching=!q.get_untracked().trim().is_empty() /> }.into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn Home(v: StudyHomeView, searching: bool) -> impl IntoView {
    let t = use_t();
    let percent = (v.year_secs as f64 / (f64::from(v.target_hours) * 3600.0) * 100.0).min(100.0);
    view! {
        {(!searching).then(|| view! {
            <section class="card hours">
                <div class="row-between">
                    <span>{t.study_hours_year}</span>
                    <strong>{format!("{} / {} {}", hours(v.year_secs), v.target_hours, t.hours_unit)}</strong>
                </div>
                <span class="bar" role="progressbar" aria-label=t.study_hours_year aria-valuemin="0" aria-valuemax="100" aria-valuenow=percent.round()>
                    <span style=format!("width:{percent:.1}%")></span>
                </span>
            </section>
        })}
        {(!searching).then(|| view! { <super::streak::components::StreakCard /> })}
        {(!searching).then(|| view! {
            <A href="/study/quiz" attr:class="card quiz-entry">
                <span class="item-title">{t.quiz_title}</span>
                <span class="muted small">{t.quiz_entry}</span>
                <span class="chev" aria-hidden="true">"›"</span>
            </A>
        })}
        {(!v.suggested.is_empty()).then(|| view! { <Section title=t.study_suggested items=v.suggested.clone() /> })}
        {(!v.columns.is_empty()).then(|| view! {
            <section class="card">
                <h2>{t.study_columns}</h2>
                <ul class="columns">{v.columns.clone().into_iter().map(|c| view! { <li><ColumnTile c /></li> }).collect_view()}</ul>
            </section>
        })}
        {(!v.required.is_empty()).then(|| view! { <Section title=t.study_required items=v.required.clone() /> })}
        {(!v.continue_items.is_empty()).then(|| view! { <Section title=t.study_continue items=v.continue_items.clone() /> })}
        {if v.recent.is_empty() {
            view! { <Empty text=if searching { t.study_no_results } else { t.study_empty } /> }.into_any()
        } else {
            view! { <Section title=if searching { t.study_results } else { t.study_recent } items=v.recent /> }.into_any()
        }}
    }
}

#[component]
fn Section(title: &'static str, items: Vec<ItemCard>) -> impl IntoView {
    view! {
        <section class="card">
            <h2>{title}</h2>
            <ul class="items">{items.into_iter().map(|item| view! { <Card item /> }).collect_view()}</ul>
        </section>
    }
}

#[component]
fn Card(item: ItemCard) -> impl IntoView {
    let t = use_t();
    let status = if item.done {
        t.study_done.to_owned()
    } else if item.credited_secs > 0 {
        t.study_studied
            .replace("{n}", &item.credited_secs.div_ceil(60).to_string())
    } else {
        t.study_minutes.replace("{n}", &item.minutes.to_string())
    };
    let card_class = if item.cover.is_some() {
        "item-card with-cover"
    } else {
        "item-card"
    };
    let cover = item.cover.clone();
    view! {
        <li>
            <A href=format!("/study/{}", item.id) attr:class=card_class>
                {cover.map(|src| view! { <img class="thumb" src=src alt="" loading="lazy" width="96" height="64" /> })}
                <span class="item-title">
                    {item.required.then(|| view! { <span class="tag required">{t.required_tag}</span> })}
                    {item.title}
                </span>
                <span class="muted small">
                    {item.kind.label(t)} " · " {status}
                    {item.due_on.map(|d| format!(" · {} {d}", t.due))}
                </span>
            </A>
        </li>
    }
}

#[component]
pub fn ItemPage() -> impl IntoView {
    let t = use_t();
    let id = crate::ui::optional_id_param::<ItemId>();
    let item = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => study_item(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <AppLayout title=t.tab_study back="/study">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match item.await {
                        Ok(v) => view! { <Reader v /> }.into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

/// The item and its study meter. While the page is visible and focused it sends a heartbeat
/// every few seconds; the server's answer moves the meter.
#[island]
fn Reader(v: ItemView) -> impl IntoView {
    let t = use_t();
    let beat = crate::ui::server_action::<StudyBeat>();
    let credited = RwSignal::new(v.credited_secs);
    let done = RwSignal::new(v.done);
    let earned = RwSignal::new(0);
    Effect::new(move |_| {
        if let Some(Ok(b)) = beat.value().get() {
            credited.set(b.credited_secs);
            done.set(b.done);
            earned.update(|e| *e += b.points);
        }
    });
    let item_id = v.id;
    // Watched media counts only while it plays.
    let plays = v.media_url.is_some();
    // Only in the browser: the effect keeps the timer, and leaving the page drops the effect
    // and with it the timer (a cleanup touching browser-only storage would run on the
    // server too).
    Effect::new(move |_| {
        // Text starts its clock when it is opened; media when it starts playing.
        if !plays {
            beat.dispatch(StudyBeat {
                id: item_id,
                start: true,
            });
        }
        browser::every(BEAT_INTERVAL_SECS * 1000, move || {
            if browser::page_is_seen() && (!plays || browser::media_playing()) {
                beat.dispatch(StudyBeat {
                    id: item_id,
                    start: false,
                });
            }
        })
    });

    // Playing (re)starts the clock; pausing closes the stretch just played. The server
    // ignores a beat that comes too soon after the last one, so at the end of the media the
    // last stretch is sent once more after that gap.
    let flush = browser::once_slot();
    let on_play = move |_| {
        flush.set_value(None);
        beat.dispatch(StudyBeat {
            id: item_id,
            start: true,
        });
    };
    let on_pause = move |_| {
        beat.dispatch(StudyBeat {
            id: item_id,
            start: false,
        });
    };
    let on_ended = move |_| {
        let later = browser::after((MIN_BEAT_GAP_SECS * 1000.0) as u32 + 500, move || {
            beat.dispatch(StudyBeat {
                id: item_id,
                start: false,
            });
        });
        flush.set_value(Some(later));
    };
    let length = v.length_secs;
    let meter = move || {
        let secs = credited.get();
        let text = if done.get() {
            t.study_done.to_owned()
        } else {
            t.study_progress
                .replace("{m}", &(secs / 60).to_string())
                .replace("{s}", &format!("{:02}", secs % 60))
                .replace("{total}", &length.div_ceil(60).to_string())
        };
        view! {
            <div class="meter" class:done=done.get() role="status" aria-live="polite">
                <span>{text}</span>
                {move || (earned.get() > 0).then(|| view! { <span class="earned">{format!("+{} {}", earned.get(), t.points_unit)}</span> })}
            </div>
        }
    };
    view! {
        <article class="card reader">
            <h2 class="reader-title">{v.title}</h2>
            <p class="muted small">
                {v.kind.label(t)}
                {v.required.then(|| format!(" · {}", t.required_tag))}
                {v.due_on.map(|d| format!(" · {} {d}", t.due))}
                {(!v.tags.is_empty()).then(|| format!(" · {}", v.tags.join(" / ")))}
            </p>
            {meter}
            <noscript><p class="alert error">{t.study_needs_js}</p></noscript>
            {v.media_url.clone().map(|src| {
                let poster = v.cover_url.clone();
                if v.kind == ItemKind::Audio {
                    view! {
                        {poster.map(|p| view! { <img class="cover" src=p alt="" /> })}
                        <audio class="player" src=src controls preload="metadata" on:play=on_play on:pause=on_pause on:ended=on_ended>{t.media_unsupported}</audio>
                        <p class="muted small">{t.media_play_hint}</p>
                    }.into_any()
                } else {
                    view! {
                        <video class="player" src=src poster=poster controls preload="metadata" playsinline on:play=on_play on:pause=on_pause on:ended=on_ended>{t.media_unsupported}</video>
                        <p class="muted small">{t.media_play_hint}</p>
                    }.into_any()
                }
            })}
            {(v.media_url.is_none()).then(|| v.cover_url.clone().map(|p| view! { <img class="cover" src=p alt="" /> }))}
            <div class="prose" inner_html=v.html></div>
        </article>
        {(v.lesson_questions > 0).then(|| view! {
            <section class="card">
                <h2>{t.lesson_quiz}</h2>
                <a href=format!("/study/{}/quiz", v.id) class="btn primary block">
                    {t.lesson_quiz_go.replace("{n}", &v.lesson_questions.to_string())}
                </a>
            </section>
        })}
        {v.column.clone().map(|(id, title)| view! {
            <a href=format!("/study/column/{id}") class="card quiz-entry">
                <span class="item-title">{title}</span>
                <span class="muted small">{t.study_columns}</span>
                <span class="chev" aria-hidden="true">"›"</span>
            </a>
        })}
    }
}

#[component]
fn ColumnTile(c: ColumnCard) -> impl IntoView {
    let t = use_t();
    view! {
        <A href=format!("/study/column/{}", c.id) attr:class="column-tile">
            {match c.cover.clone() {
                Some(src) => view! { <img src=src alt="" loading="lazy" /> }.into_any(),
                None => view! { <span class="column-blank" aria-hidden="true">{c.title.chars().next().map(String::from).unwrap_or_default()}</span> }.into_any(),
            }}
            <span class="column-title">
                {c.required.then(|| view! { <span class="tag required">{t.required_tag}</span> })}
                {c.title.clone()}
            </span>
            <span class="muted small">{t.column_progress.replace("{done}", &c.done.to_string()).replace("{items}", &c.items.to_string())}</span>
        </A>
    }
}

/// `/study/column/:id`: a column's description and items.
#[component]
pub fn ColumnPage() -> impl IntoView {
    let t = use_t();
    let id = crate::ui::optional_id_param::<i64>();
    let column = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => study_column(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <AppLayout title=t.study_columns back="/study">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match column.await {
                        Ok(v) => view! {
                            <section class="card">
                                <h2 class="reader-title">{v.column.title.clone()}</h2>
                                {(!v.column.description.is_empty()).then(|| view! { <p>{v.column.description.clone()}</p> })}
                                <p class="muted small">{t.column_progress.replace("{done}", &v.column.done.to_string()).replace("{items}", &v.column.items.to_string())}</p>
                            </section>
                            <Section title=t.study_recent items=v.items />
                        }.into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}
