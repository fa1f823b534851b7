//! The daily study streak as rules: which day counts (at least a set number of verified
//! study minutes, or the daily quiz, by the rule version in force that day), how a long
//! streak earns freezes and a missed day spends one, and the week strip. Days are
//! Asia/Shanghai days. No I/O.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// One version of what makes a day count, in force from its first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreakRule {
    pub version: i32,
    /// Verified study minutes that make a day count.
    pub min_minutes: i32,
    /// Whether the daily quiz alone makes a day count.
    pub quiz_counts: bool,
    /// A freeze is earned at every this many days of a streak.
    pub freeze_every: i32,
    /// The most freezes held at once.
    pub max_freezes: i32,
    pub from: NaiveDate,
}

/// What a member did on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayActivity {
    pub day: NaiveDate,
    /// Verified study seconds.
    pub secs: i32,
    /// The daily quiz submitted.
    pub quiz: bool,
}

/// The rule in force on `day`: the latest that began on or before it.
pub fn rule_on(rules: &[StreakRule], day: NaiveDate) -> Option<&StreakRule> {
    rules
        .iter()
        .filter(|r| r.from <= day)
        .max_by_key(|r| r.from)
}

/// Whether a day's activity counts under `rule`.
pub fn counts(rule: &StreakRule, a: &DayActivity) -> bool {
    a.secs >= rule.min_minutes.saturating_mul(60) || (rule.quiz_counts && a.quiz)
}

/// A day of the week strip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DayMark {
    /// The day counted.
    Done,
    /// Missed, and a freeze kept the streak.
    Frozen,
    /// Missed: the streak ended.
    Missed,
    /// Today, not yet counted: the streak waits for it until midnight.
    Open,
    /// After today.
    Coming,
}

/// A member's streak as of `today`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Streak {
    /// Days in a row that counted, up to today (or yesterday while today is still open).
    pub current: u32,
    /// The longest run in the days read.
    pub longest: u32,
    /// Freezes held now.
    pub freezes: u32,
    pub today_done: bool,
    /// Monday to Sunday of this week.
    pub week: Vec<(NaiveDate, DayMark)>,
    /// What makes a day count today.
    pub min_minutes: i32,
    pub quiz_counts: bool,
    /// Days in a row that earn a freeze today.
    pub freeze_every: i32,
}

/// Walks the days from the first activity read to `today`: a counted day adds one and, at
/// every `freeze_every` days of the run, a freeze (up to `max_freezes`); a day before today
/// that did not count spends a freeze if one is held (the run goes on, not longer), else ends
/// the run. Today counts when done and waits while open. Days before the first rule, or
/// with none in force, end nothing and count for nothing.
pub fn streak(rules: &[StreakRule], activity: &[DayActivity], today: NaiveDate) -> Streak {
    let by_day: std::collections::HashMap<NaiveDate, &DayActivity> =
        activity.iter().map(|a| (a.day, a)).collect();
    let done = |day: NaiveDate| match (rule_on(rules, day), by_day.get(&day)) {
        (Some(rule), Some(a)) => counts(rule, a),
        _ => false,
    };
    let first = activity
        .iter()
        .map(|a| a.day)
        .filter(|d| *d <= today && done(*d))
        .min();
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let mut marks = std::collections::HashMap::new();
    let (mut run, mut longest, mut freezes) = (0u32, 0u32, 0u32);
    if let Some(first) = first {
        let mut day = first;
        while day <= today {
            let rule = rule_on(rules, day);
            let mark = if done(day) {
                run += 1;
                if let Some(r) = rule
                    && r.freeze_every > 0
                    && run % r.freeze_every.unsigned_abs() == 0
                {
                    freezes = (freezes + 1).min(r.max_freezes.max(0).unsigned_abs());
                }
                DayMark::Done
            } else if day == today {
                DayMark::Open
            } else if freezes > 0 && run > 0 {
                freezes -= 1;
                DayMark::Frozen
            } else {
                run = 0;
                DayMark::Missed
            };
            longest = longest.max(run);
            if day >= monday {
                marks.insert(day, mark);
            }
            day += Duration::days(1);
        }
    }
    let week = (0..7)
        .map(|i| {
            let day = monday + Duration::days(i);
            let mark = if day > today {
                DayMark::Coming
            } else {
                marks.get(&day).copied().unwrap_or(if day == today {
                    DayMark::Open
                } else {
                    DayMark::Missed
                })
            };
            (day, mark)
        })
        .collect();
    let rule = rule_on(rules, today);
    Streak {
        current: run,
        longest,
        freezes,
        today_done: done(today),
        week,
        min_minutes: rule.map_or(0, |r| r.min_minutes),
        quiz_counts: rule.is_some_and(|r| r.quiz_counts),
        freeze_every: rule.map_or(0, |r| r.freeze_every),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(n: i64) -> NaiveDate {
        // 2026-11-30 is a Monday.
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap() + Duration::days(n)
    }

    fn rule() -> StreakRule {
        StreakRule {
            version: 1,
            min_minutes: 10,
            quiz_counts: true,
            freeze_every: 7,
            max_freezes: 2,
            from: d(-1000),
        }
    }

    fn studied(days: &[i64]) -> Vec<DayActivity> {
        days.iter()
            .map(|n| DayActivity {
                day: d(*n),
                secs: 600,
                quiz: false,
            })
            .collect()
    }

    #[test]
    fn three_days_in_a_row_are_a_streak_of_three_and_today_may_still_come() {
        let s = streak(&[rule()], &studied(&[0, 1, 2]), d(2));
        assert_eq!((s.current, s.today_done), (3, true));
        let s = streak(&[rule()], &studied(&[0, 1]), d(2));
        assert_eq!((s.current, s.today_done), (2, false));
        assert_eq!(s.week[2].1, DayMark::Open);
        assert_eq!(s.week[3].1, DayMark::Coming);
    }

    #[test]
    fn a_day_counts_by_minutes_or_by_the_daily_quiz() {
        let short = [DayActivity {
            day: d(0),
            secs: 599,
            quiz: false,
        }];
        assert_eq!(streak(&[rule()], &short, d(0)).current, 0);
        let quiz = [DayActivity {
            day: d(0),
            secs: 0,
            quiz: true,
        }];
        assert_eq!(streak(&[rule()], &quiz, d(0)).current, 1);
        let no_quiz = StreakRule {
            quiz_counts: false,
            ..rule()
        };
        assert_eq!(streak(&[no_quiz], &quiz, d(0)).current, 0);
    }

    #[test]
    fn a_missed_day_ends_the_streak_unless_a_freeze_earned_by_seven_days_keeps_it() {
        // Six days, a gap, then today: no freeze yet, the streak starts again.
        let s = streak(&[rule()], &studied(&[0, 1, 2, 3, 4, 5, 7]), d(7));
        assert_eq!((s.current, s.longest, s.freezes), (1, 6, 0));
        // Seven days earn a freeze; the gap on Friday spends it and the run goes on.
        let s = streak(&[rule()], &studied(&[-3, -2, -1, 0, 1, 2, 3, 5]), d(5));
        assert_eq!((s.current, s.freezes), (8, 0));
        assert_eq!(s.week[4].1, DayMark::Frozen);
        assert_eq!(s.week[5].1, DayMark::Done);
        assert_eq!(s.week[6].1, DayMark::Coming);
        // Two gaps with one freeze: the second ends the run.
        let s = streak(
            &[rule()],
            &studied(&[-10, -9, -8, -7, -6, -5, -4, -2, 0, 1]),
            d(1),
        );
        assert_eq!((s.current, s.longest), (2, 8));
    }

    #[test]
    fn a_later_rule_version_asks_more_from_its_first_day() {
        let stricter = StreakRule {
            version: 2,
            min_minutes: 30,
            from: d(2),
            ..rule()
        };
        let s = streak(&[rule(), stricter], &studied(&[0, 1, 2]), d(2));
        assert_eq!((s.current, s.today_done, s.min_minutes), (2, false, 30));
    }

    proptest! {
        #[test]
        fn the_streak_never_passes_the_longest_nor_the_days_done(
            done in proptest::collection::btree_set(0i64..60, 0..60)
        ) {
            let days: Vec<i64> = done.iter().copied().collect();
            let s = streak(&[rule()], &studied(&days), d(59));
            prop_assert!(s.current <= s.longest);
            prop_assert!(s.longest <= 60);
            prop_assert!(s.freezes <= 2);
            prop_assert_eq!(s.week.len(), 7);
            prop_assert_eq!(s.today_done, done.contains(&59));
            if days.is_empty() {
                prop_assert_eq!(s.longest, 0);
            }
            if s.today_done {
                prop_assert!(s.current >= 1);
            }
        }
    }
}
