//! The quiz pages: the quiz home (daily, weekly, special quizzes, the wrong-answer book),
//! answering a quiz with its result, retrying wrong answers, and a contest's boards.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::api::{
    ContestView, QuizHomeView, QuizView, ResultView, RetryWrong, ReviewItem, StartQuiz, SubmitQuiz,
    WrongView, contest_board, quiz_home, start_quiz, wrong_book,
};
use super::model::QuestionKind;
use crate::error::AppError;
use crate::i18n::use_t;
use crate::ui::action_error;
use crate::ui::{AppLayout, Empty, ErrorState, FormError, Loading, browser};

/// `/study/quiz`.
#[component]
pub fn QuizHomePage() -> impl IntoView {
    let t = use_t();
    let home = Resource::new(|| (), |_| quiz_home());
    view! {
        <AppLayout title=t.quiz_title back="/study">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match home.await {
                        Ok(v) => view! { <QuizHome v /> }.into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn QuizHome(v: QuizHomeView) -> impl IntoView {
    let t = use_t();
    let status = move |score: Option<String>| match score {
        Some(s) => t.quiz_done_score.replace("{score}", &s),
        None => t.quiz_not_taken.to_owned(),
    };
    view! {
        <section class="card">
            <ul class="items">
                <li>
                    <A href="/study/quiz/daily" attr:class="item-card">
                        <span class="item-title">{t.quiz_daily}</span>
                        <span class="muted small">{t.quiz_daily_hint} " · " {status(v.daily)}</span>
                    </A>
                </li>
                <li>
                    <A href="/study/quiz/weekly" attr:class="item-card">
                        <span class="item-title">{t.quiz_weekly}</span>
                        <span class="muted small">{t.quiz_weekly_hint} " · " {status(v.weekly)}</span>
                    </A>
                </li>
                <li>
                    <A href="/study/quiz/wrong" attr:class="item-card">
                        <span class="item-title">{t.quiz_wrong_book}</span>
                        <span class="muted small">{t.quiz_wrong_count.replace("{n}", &v.wrong.to_string())}</span>
                    </A>
                </li>
            </ul>
        </section>
        <section class="card">
            <h2>{t.quiz_special}</h2>
            {if v.specials.is_empty() {
                view! { <Empty text=t.quiz_no_special /> }.into_any()
            } else {
                view! {
                    <ul class="items">
                        {v.specials.into_iter().map(|s| {
                            let state = if s.done {
                                t.quiz_done_score.replace("{score}", &s.score.clone().unwrap_or_default())
                            } else if s.closed {
                                t.quiz_closed.to_owned()
                            } else if s.open {
                                t.quiz_open_until.replace("{at}", &s.closes)
                            } else {
                                t.quiz_opens_at.replace("{at}", &s.opens)
                            };
                            let limit = s.minutes.map(|m| t.quiz_minutes.replace("{n}", &m.to_string()));
                            view! {
                                <li>
                                    <A href=format!("/study/quiz/special/{}", s.id) attr:class="item-card">
                                        <span class="item-title">
                                            {s.contest.then(|| view! { <span class="tag required">{t.quiz_contest_tag}</span> })}
                                            {s.title}
                                        </span>
                                        <span class="muted small">
                                            {t.quiz_questions.replace("{n}", &s.questions.to_string())}
                                            {limit.map(|l| format!(" · {l}"))}
                                            " · " {state}
                                        </span>
                                    </A>
                                    {s.contest.then(|| view! {
                                        <A href=format!("/study/quiz/special/{}/board", s.id) attr:class="small link-inline">{t.quiz_board}</A>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// `/study/quiz/daily`, `/study/quiz/weekly` and `/study/quiz/special/:id`.
#[component]
pub fn QuizPage() -> impl IntoView {
    let t = use_t();
    let params = use_params_map();
    let which = Memo::new(move |_| {
        let p = params.read();
        let number = |name: &str| p.get(name).and_then(|s| s.parse::<i64>().ok());
        match (p.get("kind"), number("id"), number("item")) {
            (_, _, Some(item)) => Some(("lesson".to_owned(), Some(item))),
            (_, Some(id), None) => Some(("special".to_owned(), Some(id))),
            (Some(k), None, None) if k == "daily" || k == "weekly" => Some((k, None)),
            _ => None,
        }
    });
    let quiz = Resource::new(
        move || which.get(),
        |which| async move {
            match which {
                Some((kind, id)) => start_quiz(kind, id, None).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <AppLayout title=t.quiz_title back="/study/quiz">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match quiz.await {
                        Ok(v) if v.cover.is_some() => view! { <Cover v /> }.into_any(),
                        Ok(v) => view! { <Quiz v /> }.into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

/// A special quiz not yet begun: its rules and the 开始答题 button, which starts the one
/// timed attempt (a POST); the quiz then takes the cover's place.
#[component]
fn Cover(v: QuizView) -> impl IntoView {
    let t = use_t();
    let start = crate::ui::server_action::<StartQuiz>();
    let error = action_error(start);
    let Some(c) = v.cover.clone() else {
        return ().into_any();
    };
    let rules = match c.minutes {
        Some(m) => t.quiz_cover_timed.replace("{m}", &m.to_string()),
        None => t.quiz_cover_untimed.to_owned(),
    }
    .replace("{n}", &c.questions.to_string());
    view! {
        <Show
            when=move || !matches!(start.value().get(), Some(Ok(_)))
            fallback=move || match start.value().get() {
                Some(Ok(v)) => view! { <Quiz v /> }.into_any(),
                _ => ().into_any(),
            }
        >
            <section class="card">
                <h2 class="page-title">{v.title.clone()}</h2>
                <p>{rules.clone()}</p>
                <p class="muted small">{t.quiz_cover_closes.replace("{t}", &c.closes)}</p>
                <p class="muted small">{t.quiz_cover_once}</p>
                <FormError error />
                <ActionForm action=start attr:class="form">
                    <input type="hidden" name="kind" value="special" />
                    <input type="hidden" name="set_id" value=c.set_id />
                    <input type="hidden" name="begin" value="true" />
                    <button type="submit" class="btn primary block" disabled=move || start.pending().get()>
                        {t.quiz_begin}
                    </button>
                </ActionForm>
            </section>
        </Show>
    }
    .into_any()
}

fn letter(i: i16) -> char {
    char::from(b'A' + i as u8)
}

fn letters(picks: &[i16]) -> String {
    picks.iter().map(|i| letter(*i)).collect()
}

/// Answering: one card per question, a countdown for timed quizzes (the sheet goes in by
/// itself when time is up), and the result in place once graded.
#[island]
fn Quiz(v: QuizView) -> impl IntoView {
    let t = use_t();
    let submit = crate::ui::server_action::<SubmitQuiz>();
    let error = action_error(submit);
    let picks = RwSignal::new(Vec::<(i64, i16)>::new());
    let result = RwSignal::new(v.result.clone());
    Effect::new(move |_| {
        if let Some(Ok(r)) = submit.value().get() {
            result.set(Some(r));
            // The score is at the top; the sheet was scrolled to its end.
            window().scroll_to_with_x_and_y(0.0, 0.0);
        }
    });
    let attempt_id = v.attempt_id;
    let send = move || {
        if submit.pending().get_untracked() || result.with_untracked(Option::is_some) {
            return;
        }
        let answers = picks
            .get_untracked()
            .iter()
            .map(|(q, o)| format!("{q}:{o}"))
            .collect::<Vec<_>>()
            .join(",");
        submit.dispatch(SubmitQuiz {
            attempt_id,
            answers,
        });
    };
    let left = RwSignal::new(v.seconds_left);
    if v.seconds_left.is_some() && v.result.is_none() {
        // Only in the browser: the effect keeps the timer, and leaving the page drops the
        // effect and with it the timer.
        Effect::new(move |_| {
            browser::every(1000, move || {
                let now = left.get_untracked().map(|s| (s - 1).max(0));
                left.set(now);
                if now == Some(0) {
                    send();
                }
            })
        });
    }
    let ready = crate::ui::use_hydrated();
    let total = v.questions.len();
    let answered = move || {
        let p = picks.get();
        let mut ids: Vec<i64> = p.iter().map(|(q, _)| *q).collect();
        ids.dedup();
        ids.len()
    };
    let title = v.title.clone();
    let questions = v.questions.clone();
    view! {
        <h2 class="page-title">{title}</h2>
        <Show
            when=move || result.with(Option::is_none)
            fallback=move || view! { <QuizResult r=result.get().unwrap_or_else(empty_result) /> }
        >
            {move || left.get().map(|s| view! {
                <div class="meter countdown" class:urgent=s < 30 role="timer" aria-live="off">
                    {t.quiz_time_left.replace("{t}", &format!("{}:{:02}", s / 60, s % 60))}
                </div>
            })}
            <noscript><p class="alert error">{t.quiz_needs_js}</p></noscript>
            {questions.clone().into_iter().enumerate().map(|(n, q)| {
                let multiple = q.kind == QuestionKind::Multiple;
                let qid = q.id;
                view! {
                    <fieldset class="card question">
                        <legend>
                            <span class="tag kind">{q.kind.label(t)}</span>
                            {format!(" {}. {}", n + 1, q.stem)}
                        </legend>
                        {q.options.iter().enumerate().map(|(i, opt)| {
                            let i = i as i16;
                            let on_change = move |_| picks.update(|p| {
                                if multiple {
                                    if let Some(at) = p.iter().position(|x| *x == (qid, i)) {
                                        p.remove(at);
                                    } else {
                                        p.push((qid, i));
                                    }
                                } else {
                                    p.retain(|(q, _)| *q != qid);
                                    p.push((qid, i));
                                }
                                p.sort_unstable();
                            });
                            view! {
                                <label class="option">
                                    <input
                                        type=if multiple { "checkbox" } else { "radio" }
                                        name=format!("q{qid}")
                                        value=i
                                        on:change=on_change
                                    />
                                    <span>{format!("{}. {opt}", letter(i))}</span>
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                }
            }).collect_view()}
            <FormError error />
            <button
                type="button"
                class="btn primary block"
                disabled=move || !ready.get() || submit.pending().get()
                on:click=move |_| send()
            >
                {move || if submit.pending().get() {
                    t.quiz_submitting.to_owned()
                } else {
                    t.quiz_submit.replace("{n}", &answered().to_string()).replace("{total}", &total.to_string())
                }}
            </button>
        </Show>
    }
}

fn empty_result() -> ResultView {
    ResultView {
        correct: 0,
        total: 0,
        points: 0,
        items: vec![],
    }
}

#[component]
fn QuizResult(r: ResultView) -> impl IntoView {
    let t = use_t();
    view! {
        <section class="card center result" role="status">
            <div class="big-score">{format!("{} / {}", r.correct, r.total)}</div>
            <p>
                {if r.points > 0 {
                    t.quiz_points_earned.replace("{n}", &r.points.to_string())
                } else {
                    t.quiz_no_points.to_owned()
                }}
            </p>
            <a href="/points" class="btn">{t.quiz_see_points}</a>
        </section>
        {r.items.into_iter().enumerate().map(|(n, item)| view! { <Review n item /> }).collect_view()}
    }
}

#[component]
fn Review(n: usize, item: ReviewItem) -> impl IntoView {
    let t = use_t();
    let q = item.question;
    view! {
        <section class="card question" class:right=item.correct class:wrong=!item.correct>
            <p class="q-stem">
                <span class="tag kind">{q.kind.label(t)}</span>
                {format!(" {}. {}", n + 1, q.stem)}
            </p>
            <ul class="plain">
                {q.options.iter().enumerate().map(|(i, o)| {
                    let i = i as i16;
                    let right = item.answer.contains(&i);
                    let picked = item.chosen.contains(&i);
                    view! {
                        <li class:opt-right=right class:opt-picked=picked>
                            {format!("{}. {o}", letter(i))}
                            {right.then_some(" ✓")}
                            {(picked && !right).then_some(" ✗")}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="small">
                <strong>{if item.correct { t.quiz_right } else { t.quiz_wrong }}</strong>
                {format!(" · {} {} · {} {}", t.quiz_your_answer, if item.chosen.is_empty() { "—".to_owned() } else { letters(&item.chosen) }, t.quiz_right_answer, letters(&item.answer))}
            </p>
            {(!item.explanation.is_empty()).then(|| view! { <p class="muted small">{t.quiz_explanation} ": " {item.explanation.clone()}</p> })}
        </section>
    }
}

/// `/study/quiz/wrong`.
#[component]
pub fn WrongBookPage() -> impl IntoView {
    let t = use_t();
    let book = Resource::new(|| (), |_| wrong_book());
    view! {
        <AppLayout title=t.quiz_wrong_book back="/study/quiz">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match book.await {
                        Ok(v) if v.is_empty() => view! { <Empty text=t.quiz_wrong_empty /> }.into_any(),
                        Ok(v) => v.into_iter().map(|w| view! { <Retry w /> }).collect_view().into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

/// One wrong question to try again; the answer is checked in place (an island).
#[island]
fn Retry(w: WrongView) -> impl IntoView {
    let t = use_t();
    let retry = crate::ui::server_action::<RetryWrong>();
    let error = action_error(retry);
    let picked = RwSignal::new(Vec::<i16>::new());
    let q = w.question;
    let qid = q.id;
    let multiple = q.kind == QuestionKind::Multiple;
    let outcome = move || retry.value().get().and_then(Result::ok);
    view! {
        <fieldset class="card question">
            <legend>
                <span class="tag kind">{q.kind.label(t)}</span>
                {format!(" {}", q.stem)}
            </legend>
            <p class="muted small">{t.quiz_times_wrong.replace("{n}", &w.times_wrong.to_string())}</p>
            {q.options.iter().enumerate().map(|(i, o)| {
                let i = i as i16;
                view! {
                    <label class="option">
                        <input
                            type=if multiple { "checkbox" } else { "radio" }
                            name=format!("w{qid}")
                            on:change=move |_| picked.update(|p| {
                                if multiple {
                                    if let Some(at) = p.iter().position(|x| *x == i) { p.remove(at); } else { p.push(i); }
                                } else {
                                    *p = vec![i];
                                }
                            })
                        />
                        <span>{format!("{}. {o}", letter(i))}</span>
                    </label>
                }
            }).collect_view()}
            <FormError error />
            {move || match outcome() {
                Some(r) => view! {
                    <p class="small" class:ok-text=r.correct class:field-error=!r.correct role="status">
                        {if r.correct { t.quiz_cleared.to_owned() } else { format!("{} · {} {}", t.quiz_wrong, t.quiz_right_answer, letters(&r.answer)) }}
                    </p>
                    {(!r.explanation.is_empty()).then(|| view! { <p class="muted small">{t.quiz_explanation} ": " {r.explanation.clone()}</p> })}
                }.into_any(),
                None => view! {
                    <button
                        type="button"
                        class="btn small primary"
                        disabled=move || retry.pending().get() || picked.with(Vec::is_empty)
                        on:click=move |_| {
                            let answers = picked.get_untracked().iter().map(|o| format!("{qid}:{o}")).collect::<Vec<_>>().join(",");
                            retry.dispatch(RetryWrong { question_id: qid, answers });
                        }
                    >
                        {t.quiz_check}
                    </button>
                }.into_any(),
            }}
        </fieldset>
    }
}

/// `/study/quiz/special/:id/board`.
#[component]
pub fn ContestPage() -> impl IntoView {
    let t = use_t();
    let id = crate::ui::optional_id_param::<i64>();
    let board = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => contest_board(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <AppLayout title=t.quiz_board back="/study/quiz">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match board.await {
                        Ok(v) => view! { <Boards v /> }.into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn Boards(v: ContestView) -> impl IntoView {
    let t = use_t();
    view! {
        <h2 class="page-title">{v.title}</h2>
        <section class="card">
            <h2>{t.quiz_board_members}</h2>
            {if v.members.is_empty() {
                view! { <Empty text=t.quiz_board_empty /> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead><tr><th>{t.rank}</th><th>{t.name}</th><th>{t.quiz_score}</th><th>{t.quiz_time_taken}</th></tr></thead>
                        <tbody>
                            {v.members.into_iter().map(|m| view! {
                                <tr>
                                    <td>{m.rank}</td>
                                    <td>{m.name.unwrap_or_else(|| t.anonymous_member.to_owned())}<br /><span class="muted small">{m.branch}</span></td>
                                    <td>{format!("{}/{}", m.correct, m.total)}</td>
                                    <td>{format!("{}:{:02}", m.secs / 60, m.secs % 60)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <section class="card">
            <h2>{t.quiz_board_branches}</h2>
            <table class="table">
                <thead><tr><th>{t.branch}</th><th>{t.quiz_took}</th><th>{t.participation}</th></tr></thead>
                <tbody>
                    {v.branches.into_iter().map(|b| view! {
                        <tr>
                            <td>{b.name}</td>
                            <td>{format!("{}/{}", b.took, b.members)}</td>
                            <td>{format!("{}%", b.rate)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
