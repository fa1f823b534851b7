//! Compliance as plain rules: which meetings count, a branch's on-time rate and six-month
//! flag over the past year, the star rating's on-time figure over a period, and the items
//! to warn a branch of or escalate to its superior today. No I/O.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::org_life::calendar::model::{DueItem, Requirement, covered, due_items};
use crate::org_life::meetings::model::MeetingKind;

/// How many days before a period's end a missing item is warned about.
pub const WARN_DAYS: i64 = 7;
/// How long after a period's end a missing item may still be escalated.
pub const ESCALATE_WITHIN_DAYS: i64 = 28;
/// Without organization life for this many days a branch is flagged (six months).
pub const IDLE_DAYS: i64 = 183;

/// A branch's meeting as compliance sees it: held means someone's attendance was recorded
/// (by code or by hand); accepted means the superior accepted its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldMeeting {
    pub kind: MeetingKind,
    pub day: NaiveDate,
    pub held: bool,
    pub accepted: bool,
}

/// Which meetings count: any scheduled one (a warning is not needed when the item is on
/// the calendar), those held (an escalation is not needed when it took place), or those
/// held with their record accepted (compliance and the star rating: a meeting row alone
/// proves nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counts {
    Scheduled,
    Held,
    Accepted,
}

/// The meetings that count, as (kind, day).
pub fn counted(meetings: &[HeldMeeting], counts: Counts) -> Vec<(MeetingKind, NaiveDate)> {
    meetings
        .iter()
        .filter(|m| match counts {
            Counts::Scheduled => true,
            Counts::Held => m.held,
            Counts::Accepted => m.held && m.accepted,
        })
        .map(|m| (m.kind, m.day))
        .collect()
}

/// Where a branch stands on its organization life over the year before `today`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compliance {
    /// Items whose period ended in the year before today.
    pub due: u32,
    /// Of those, the ones held within their period.
    pub on_time: u32,
    /// Those not held.
    pub overdue: Vec<DueItem>,
    /// The day of the last meeting held.
    pub last_held: Option<NaiveDate>,
    /// Nothing held for six months.
    pub idle: bool,
}

impl Compliance {
    /// The on-time rate in percent; none when nothing has fallen due yet.
    pub fn rate(&self) -> Option<u32> {
        (self.due > 0).then(|| self.on_time * 100 / self.due)
    }
}

/// Of the items whose period lies within `from..until` and has ended by `today`: how many
/// fell due, and how many a meeting of their kind was held for (the star rating's
/// "meetings held on time" component over a rating period).
pub fn held_on_time(
    requirements: &[Requirement],
    fixed_day: u32,
    held: &[(MeetingKind, NaiveDate)],
    from: NaiveDate,
    until: NaiveDate,
    today: NaiveDate,
) -> (u32, u32) {
    let ended: Vec<DueItem> = due_items(requirements, from, until, fixed_day)
        .into_iter()
        .filter(|i| i.span.start >= from && i.span.end < until && i.span.end < today)
        .collect();
    let on_time = ended.iter().filter(|i| covered(i, held)).count();
    (ended.len() as u32, on_time as u32)
}

/// A branch's compliance from its meetings: an item is on time when a meeting of its kind
/// in its period was held and its record accepted; "last held" and the six-month flag
/// count every meeting held (meetings still to come are ignored).
pub fn compliance(
    requirements: &[Requirement],
    fixed_day: u32,
    meetings: &[HeldMeeting],
    today: NaiveDate,
) -> Compliance {
    let past = |counts| -> Vec<(MeetingKind, NaiveDate)> {
        counted(meetings, counts)
            .into_iter()
            .filter(|(_, d)| *d <= today)
            .collect()
    };
    let (accepted, held) = (past(Counts::Accepted), past(Counts::Held));
    let from = today - Duration::days(365);
    let ended: Vec<DueItem> = due_items(requirements, from, today, fixed_day)
        .into_iter()
        .filter(|i| i.span.end < today && i.span.end >= from)
        .collect();
    let overdue: Vec<DueItem> = ended
        .iter()
        .filter(|i| !covered(i, &accepted))
        .copied()
        .collect();
    let last_held = held.iter().map(|(_, d)| *d).max();
    Compliance {
        due: ended.len() as u32,
        on_time: (ended.len() - overdue.len()) as u32,
        overdue,
        last_held,
        idle: last_held.is_none_or(|d| (today - d).num_days() > IDLE_DAYS),
    }
}

/// The items to warn the branch about today: in the current periods, ending within a week,
/// with no meeting of their kind held or scheduled in the period.
pub fn warnings(
    requirements: &[Requirement],
    fixed_day: u32,
    meetings: &[(MeetingKind, NaiveDate)],
    today: NaiveDate,
) -> Vec<DueItem> {
    due_items(requirements, today, today, fixed_day)
        .into_iter()
        .filter(|i| (i.span.end - today).num_days() < WARN_DAYS && !covered(i, meetings))
        .collect()
}

/// The items to escalate to the superior today: periods ended within the last month with
/// no meeting of their kind held in them.
pub fn escalations(
    requirements: &[Requirement],
    fixed_day: u32,
    held: &[(MeetingKind, NaiveDate)],
    today: NaiveDate,
) -> Vec<DueItem> {
    let from = today - Duration::days(ESCALATE_WITHIN_DAYS);
    due_items(requirements, from, today, fixed_day)
        .into_iter()
        .filter(|i| i.span.end < today && i.span.end >= from && !covered(i, held))
        .collect()
}

/// Orders branches for the superior: lowest on-time rate first, those with nothing due yet
/// last, then by name.
pub fn worst_first<T>(
    branches: &mut [T],
    rate: impl Fn(&T) -> Option<u32>,
    name: impl Fn(&T) -> &str,
) {
    branches.sort_by(|a, b| {
        (rate(a).is_none(), rate(a), name(a)).cmp(&(rate(b).is_none(), rate(b), name(b)))
    });
}

/// The average of the branches' on-time rates (in whole percent, rounded down); none when
/// no branch has a rate yet.
pub fn average_rate(rates: &[u32]) -> Option<u32> {
    (!rates.is_empty()).then(|| rates.iter().sum::<u32>() / rates.len() as u32)
}

/// The on-time rates the superior's chart counts branches in: below 60, 60 to 79, 80 to 99,
/// and exactly 100.
pub const RATE_BUCKETS: [(u32, u32); 4] = [(0, 59), (60, 79), (80, 99), (100, 100)];

/// How many branches fall in each of [`RATE_BUCKETS`], labelled "0–59%" (or "100%").
pub fn rate_buckets(rates: &[u32]) -> Vec<(String, i64)> {
    RATE_BUCKETS
        .iter()
        .map(|(lo, hi)| {
            let label = if lo == hi {
                format!("{lo}%")
            } else {
                format!("{lo}–{hi}%")
            };
            let count = rates.iter().filter(|r| (*lo..=*hi).contains(*r)).count() as i64;
            (label, count)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org_life::calendar::model::default_requirements;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn compliance_counts_items_held_in_their_period_over_the_past_year() {
        let reqs = default_requirements();
        let today = d(2026, 11, 23);
        let none = compliance(&reqs, 15, &[], today);
        // Ended in the year before: 12 months x 3 monthly items (Dec 2025 to Oct 2026 is 11
        // months plus November 2025), quarters and last year's yearly items.
        assert!(none.due > 30, "{}", none.due);
        assert_eq!(none.on_time, 0);
        assert_eq!(none.rate(), Some(0));
        assert!(none.idle);
        let m = |kind, day, held, accepted| HeldMeeting {
            kind,
            day,
            held,
            accepted,
        };
        let held = [
            m(MeetingKind::CommitteeMeeting, d(2026, 10, 9), true, true),
            m(MeetingKind::CommitteeMeeting, d(2026, 9, 30), true, true),
            // A meeting to come counts for nothing yet.
            m(MeetingKind::GroupMeeting, d(2026, 11, 30), false, false),
            // Held, its record not yet accepted: organization life, but not on time yet.
            m(MeetingKind::GroupMeeting, d(2026, 10, 20), true, false),
            // A meeting row nobody attended proves nothing.
            m(MeetingKind::GroupMeeting, d(2026, 9, 20), false, true),
        ];
        let c = compliance(&reqs, 15, &held, today);
        assert_eq!(c.on_time, 2);
        assert_eq!(c.due, none.due);
        assert_eq!(c.overdue.len() as u32, c.due - 2);
        assert_eq!(c.last_held, Some(d(2026, 10, 20)));
        assert!(!c.idle);
        // Six months after the last meeting the branch is flagged.
        let past = &held[..2];
        assert!(compliance(&reqs, 15, past, d(2027, 4, 12)).idle);
        assert!(!compliance(&reqs, 15, past, d(2027, 4, 9)).idle);
        assert!(compliance(&reqs, 15, &held[4..], d(2026, 11, 1)).idle);
        assert_eq!(compliance(&[], 15, &held, today).rate(), None);
    }

    #[test]
    fn on_time_over_a_rating_period_counts_only_items_inside_it_that_have_ended() {
        let reqs = default_requirements();
        let held = [
            (MeetingKind::CommitteeMeeting, d(2026, 10, 9)),
            (MeetingKind::GeneralMeeting, d(2026, 11, 3)),
            (MeetingKind::CommitteeMeeting, d(2026, 9, 9)),
        ];
        // The fourth quarter, seen on 23 November: October's three monthly items fell due.
        let (due, on_time) = held_on_time(
            &reqs,
            15,
            &held,
            d(2026, 10, 1),
            d(2027, 1, 1),
            d(2026, 11, 23),
        );
        assert_eq!((due, on_time), (3, 1));
        // Seen after it: three months of three items, the quarter's two and none of the year.
        let (due, on_time) = held_on_time(
            &reqs,
            15,
            &held,
            d(2026, 10, 1),
            d(2027, 1, 1),
            d(2027, 1, 5),
        );
        assert_eq!((due, on_time), (11, 2));
        // A whole year: the yearly items count too.
        let (due, _) = held_on_time(
            &reqs,
            15,
            &held,
            d(2026, 1, 1),
            d(2027, 1, 1),
            d(2027, 1, 5),
        );
        assert_eq!(due, 36 + 8 + 3);
    }

    #[test]
    fn warnings_come_in_the_last_week_of_a_period_for_items_not_scheduled() {
        let reqs = default_requirements();
        // 23 November: the month ends in 8 days, no warning yet.
        assert!(warnings(&reqs, 15, &[], d(2026, 11, 23)).is_empty());
        // 24 November: the month's items warn; the quarter and the year end later.
        let w = warnings(&reqs, 15, &[], d(2026, 11, 24));
        let kinds: Vec<MeetingKind> = w.iter().map(|i| i.kind).collect();
        assert_eq!(kinds.len(), 3, "{kinds:?}");
        // A scheduled committee meeting silences its warning.
        let scheduled = [(MeetingKind::CommitteeMeeting, d(2026, 11, 28))];
        assert_eq!(warnings(&reqs, 15, &scheduled, d(2026, 11, 24)).len(), 2);
        // The last week of the year: monthly, quarterly and yearly items all warn.
        assert_eq!(warnings(&reqs, 15, &[], d(2026, 12, 25)).len(), 8);
    }

    #[test]
    fn escalations_cover_periods_that_ended_in_the_last_month_without_the_item() {
        let reqs = default_requirements();
        let e = escalations(&reqs, 15, &[], d(2026, 12, 1));
        // November's three monthly items; no quarter or year ended.
        assert_eq!(e.len(), 3);
        assert!(e.iter().all(|i| i.span.end == d(2026, 11, 30)));
        let held = [(MeetingKind::ThemeDay, d(2026, 11, 15))];
        assert_eq!(escalations(&reqs, 15, &held, d(2026, 12, 1)).len(), 2);
        // 1 January: December, the fourth quarter and the year.
        assert_eq!(escalations(&reqs, 15, &[], d(2027, 1, 1)).len(), 8);
    }

    #[test]
    fn only_meetings_held_with_an_accepted_record_count_for_compliance() {
        let day = d(2026, 11, 10);
        let m = |held, accepted| HeldMeeting {
            kind: MeetingKind::GroupMeeting,
            day,
            held,
            accepted,
        };
        let all = [
            m(false, false),
            m(true, false),
            m(true, true),
            m(false, true),
        ];
        assert_eq!(counted(&all, Counts::Scheduled).len(), 4);
        assert_eq!(counted(&all, Counts::Held).len(), 2);
        assert_eq!(counted(&all, Counts::Accepted).len(), 1);
    }

    #[test]
    fn branches_rank_lowest_rate_first_and_those_with_nothing_due_last() {
        let mut b = vec![
            (Some(80), "Zhang"),
            (None, "Li"),
            (Some(40), "Wang"),
            (Some(80), "Chen"),
            (Some(100), "Zhao"),
        ];
        worst_first(&mut b, |x| x.0, |x| x.1);
        let names: Vec<&str> = b.iter().map(|x| x.1).collect();
        // Equal rates by name.
        assert_eq!(names, ["Wang", "Chen", "Zhang", "Zhao", "Li"]);
    }

    #[test]
    fn the_average_rate_counts_only_branches_with_a_rate() {
        assert_eq!(average_rate(&[]), None);
        assert_eq!(average_rate(&[100, 50, 0]), Some(50));
        assert_eq!(average_rate(&[100, 99]), Some(99), "rounded down");
    }

    #[test]
    fn rates_fall_into_four_buckets_and_only_a_full_rate_counts_as_a_hundred() {
        let buckets = rate_buckets(&[0, 59, 60, 99, 100, 100]);
        assert_eq!(
            buckets,
            vec![
                ("0–59%".to_owned(), 2),
                ("60–79%".to_owned(), 1),
                ("80–99%".to_owned(), 1),
                ("100%".to_owned(), 2),
            ]
        );
    }
}
