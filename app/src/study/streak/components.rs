//! The streak card: days in a row, freezes held, what makes today count, and the week.

use leptos::prelude::*;

use super::api::my_streak;
use super::model::DayMark;
use crate::i18n::use_t;

#[component]
pub fn StreakCard() -> impl IntoView {
    let t = use_t();
    let data = Resource::new(|| (), |_| my_streak());
    view! {
        <Suspense fallback=|| ()>
            {move || data.get().and_then(Result::ok).map(|s| {
                let head = t.streak_days.replace("{n}", &s.current.to_string());
                let need = if s.today_done {
                    t.streak_today_done.to_owned()
                } else if s.quiz_counts {
                    t.streak_today_need_or_quiz.replace("{m}", &s.min_minutes.to_string())
                } else {
                    t.streak_today_need.replace("{m}", &s.min_minutes.to_string())
                }
                .replace("{k}", &s.freeze_every.to_string());
                let extra = t
                    .streak_extra
                    .replace("{longest}", &s.longest.to_string())
                    .replace("{freezes}", &s.freezes.to_string());
                view! {
                    <section class="card streak" data-testid="streak">
                        <div class="row-between">
                            <strong class="streak-days">{head}</strong>
                            <span class="muted small">{extra}</span>
                        </div>
                        <ol class="week-strip" aria-label=t.streak_week>
                            {s.week.into_iter().map(|(day, mark)| {
                                let (class, label) = match mark {
                                    DayMark::Done => ("done", t.streak_mark_done),
                                    DayMark::Frozen => ("frozen", t.streak_mark_frozen),
                                    DayMark::Missed => ("missed", t.streak_mark_missed),
                                    DayMark::Open => ("open", t.streak_mark_open),
                                    DayMark::Coming => ("coming", t.streak_mark_coming),
                                };
                                let weekday = t.weekdays.split(' ').nth(chrono::Datelike::weekday(&day).num_days_from_monday() as usize).unwrap_or_default();
                                view! {
                                    <li class=class title=format!("{day} {label}")>
                                        <span class="dot" aria-hidden="true"></span>
                                        <span class="small">{weekday}</span>
                                        <span class="sr-only">{label}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                        <p class="muted small">{need}</p>
                    </section>
                }
            })}
        </Suspense>
    }
}
