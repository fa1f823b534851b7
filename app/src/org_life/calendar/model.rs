//! The branch calendar as plain rules: the items a branch must hold in each period,
//! generated from frequencies that are data; the theme day; a month laid out in weeks; and
//! where an item stands on a day. No I/O.

use crate::ids::OrgId;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::org_life::meetings::model::MeetingKind;

/// How often an item is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Frequency {
    Monthly,
    Quarterly,
    Yearly,
}

impl Frequency {
    /// A frequency as the requirements table names it: "month", "quarter" or "year".
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "month" => Some(Self::Monthly),
            "quarter" => Some(Self::Quarterly),
            "year" => Some(Self::Yearly),
            _ => None,
        }
    }
}

/// One required item and how often (a row of the per-tree frequency table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    pub kind: MeetingKind,
    pub every: Frequency,
}

/// The default requirements of a Party branch (三会一课); the League's (三会两制一课) are the
/// same items at the same frequencies. Data, so that an installation can change them.
pub fn default_requirements() -> Vec<Requirement> {
    use Frequency::*;
    use MeetingKind::*;
    vec![
        Requirement {
            kind: GeneralMeeting,
            every: Quarterly,
        },
        Requirement {
            kind: CommitteeMeeting,
            every: Monthly,
        },
        Requirement {
            kind: GroupMeeting,
            every: Monthly,
        },
        Requirement {
            kind: Lesson,
            every: Quarterly,
        },
        Requirement {
            kind: SecretaryLesson,
            every: Yearly,
        },
        Requirement {
            kind: ThemeDay,
            every: Monthly,
        },
        Requirement {
            kind: LifeMeeting,
            every: Yearly,
        },
        Requirement {
            kind: Evaluation,
            every: Yearly,
        },
    ]
}

/// A period an item is due in: from `start` to `end`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Span {
    /// Is `day` in the period (its first and last days included)?
    pub fn contains(&self, day: NaiveDate) -> bool {
        (self.start..=self.end).contains(&day)
    }
}

fn month_start(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).expect("a valid month")
}

fn next_month(d: NaiveDate) -> NaiveDate {
    if d.month() == 12 {
        month_start(d.year() + 1, 1)
    } else {
        month_start(d.year(), d.month() + 1)
    }
}

/// The period of `every` that holds `day`.
pub fn span_of(every: Frequency, day: NaiveDate) -> Span {
    let (start, months) = match every {
        Frequency::Monthly => (month_start(day.year(), day.month()), 1),
        Frequency::Quarterly => (month_start(day.year(), (day.month() - 1) / 3 * 3 + 1), 3),
        Frequency::Yearly => (month_start(day.year(), 1), 12),
    };
    let mut end = start;
    for _ in 0..months {
        end = next_month(end);
    }
    Span {
        start,
        end: end.pred_opt().expect("a day before"),
    }
}

/// One item a branch must hold: its kind, its period, and for the theme day the fixed day
/// it falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DueItem {
    pub span: Span,
    pub kind: MeetingKind,
    pub on: Option<NaiveDate>,
}

/// The branch's theme day in a month: its fixed day, or the month's last day when the month
/// is shorter (a branch that meets on the 31st meets on 28 or 29 February).
pub fn theme_day(month: Span, fixed_day: u32) -> NaiveDate {
    let day = fixed_day.clamp(1, 31);
    NaiveDate::from_ymd_opt(month.start.year(), month.start.month(), day).unwrap_or(month.end)
}

/// Every item due in periods that overlap `from..=to`, in date order: one per requirement
/// and period, the theme day on the branch's fixed day.
pub fn due_items(
    requirements: &[Requirement],
    from: NaiveDate,
    to: NaiveDate,
    fixed_day: u32,
) -> Vec<DueItem> {
    let mut out = Vec::new();
    for r in requirements {
        let mut span = span_of(r.every, from);
        while span.start <= to {
            let on = (r.kind == MeetingKind::ThemeDay).then(|| theme_day(span, fixed_day));
            out.push(DueItem {
                span,
                kind: r.kind,
                on,
            });
            span = span_of(r.every, span.end.succ_opt().expect("a day after"));
        }
    }
    out.sort();
    out
}

/// A month as calendar weeks, Monday first: each week's seven days, `None` outside the
/// month.
pub fn month_grid(month: Span) -> Vec<[Option<NaiveDate>; 7]> {
    let mut weeks = vec![];
    let mut week = [None; 7];
    let mut day = month.start;
    while day <= month.end {
        let i = day.weekday().num_days_from_monday() as usize;
        week[i] = Some(day);
        if i == 6 {
            weeks.push(week);
            week = [None; 7];
        }
        day = day.succ_opt().expect("a day after");
    }
    if week.iter().any(Option::is_some) {
        weeks.push(week);
    }
    weeks
}

/// A month as typed in a link ("2026-11"): its span; none for anything else.
pub fn parse_month(input: &str) -> Option<Span> {
    let (y, m) = input.trim().split_once('-')?;
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    if !(2000..=2100).contains(&y) {
        return None;
    }
    Some(span_of(
        Frequency::Monthly,
        NaiveDate::from_ymd_opt(y, m, 1)?,
    ))
}

/// Where a due item stands on `today` while nothing has been held for it: due, due within
/// the last week of its period, or overdue once its period has ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DueState {
    Due,
    EndsSoon,
    Overdue,
}

/// Where an item of period `span` stands on `today` while nothing has been held for it.
pub fn due_state(span: Span, today: NaiveDate) -> DueState {
    if today > span.end {
        DueState::Overdue
    } else if (span.end - today).num_days() < 7 {
        DueState::EndsSoon
    } else {
        DueState::Due
    }
}

/// Is a meeting of the item's kind in the item's period among `meetings` (kind, day)?
pub fn covered(item: &DueItem, meetings: &[(MeetingKind, NaiveDate)]) -> bool {
    meetings
        .iter()
        .any(|(k, d)| *k == item.kind && item.span.contains(*d))
}

/// The month a calendar link asks for ("2026-11"), this month when it asks for none; none
/// for anything else.
pub fn calendar_month(input: &str, today: NaiveDate) -> Option<Span> {
    if input.trim().is_empty() {
        Some(span_of(Frequency::Monthly, today))
    } else {
        parse_month(input)
    }
}

/// A month as links name it: "2026-11".
pub fn month_label(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// The months before and after a month, as links name them.
pub fn neighbour_months(month: Span) -> (String, String) {
    (
        month_label(month.start.pred_opt().unwrap_or(month.start)),
        month_label(month.end.succ_opt().unwrap_or(month.end)),
    )
}

/// The branch a page shows: the one asked for, or with `org` 0 the viewer's first branch
/// (none when they have none).
pub fn branch_shown(org: OrgId, mine: &[(OrgId, String)]) -> Option<OrgId> {
    if org.0 == 0 {
        mine.first().map(|b| b.0)
    } else {
        Some(org)
    }
}

/// A due item as the calendar shows it: where it stands today, and whether a meeting of
/// its kind is on the calendar in its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarItem {
    pub item: DueItem,
    pub state: DueState,
    pub scheduled: bool,
}

/// The items due in the periods a month touches (the month, its quarter, its year), in
/// date order, each with where it stands on `today` and whether one of `meetings` (kind,
/// day) is of its kind in its period.
pub fn calendar_items(
    requirements: &[Requirement],
    month: Span,
    fixed_day: u32,
    meetings: &[(MeetingKind, NaiveDate)],
    today: NaiveDate,
) -> Vec<CalendarItem> {
    due_items(requirements, month.start, month.end, fixed_day)
        .into_iter()
        .map(|item| CalendarItem {
            item,
            state: due_state(item.span, today),
            scheduled: covered(&item, meetings),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_month_is_laid_out_in_weeks_from_monday() {
        // December 2026 starts on a Tuesday and ends on a Thursday: five weeks.
        let weeks = month_grid(span_of(Frequency::Monthly, d(2026, 12, 1)));
        assert_eq!(weeks.len(), 5);
        assert_eq!(weeks[0][0], None);
        assert_eq!(weeks[0][1], Some(d(2026, 12, 1)));
        assert_eq!(weeks[4][3], Some(d(2026, 12, 31)));
        assert_eq!(weeks[4][4], None);
        // February 2027 starts on a Monday and has exactly four weeks.
        let weeks = month_grid(span_of(Frequency::Monthly, d(2027, 2, 1)));
        assert_eq!(weeks.len(), 4);
        assert_eq!(weeks[3][6], Some(d(2027, 2, 28)));
    }

    #[test]
    fn periods_cross_month_quarter_and_year_boundaries() {
        assert_eq!(
            span_of(Frequency::Monthly, d(2024, 2, 10)),
            Span {
                start: d(2024, 2, 1),
                end: d(2024, 2, 29)
            }
        );
        assert_eq!(
            span_of(Frequency::Quarterly, d(2026, 12, 31)),
            Span {
                start: d(2026, 10, 1),
                end: d(2026, 12, 31)
            }
        );
        assert_eq!(
            span_of(Frequency::Quarterly, d(2027, 1, 1)),
            Span {
                start: d(2027, 1, 1),
                end: d(2027, 3, 31)
            }
        );
        assert_eq!(
            span_of(Frequency::Yearly, d(2026, 7, 4)),
            Span {
                start: d(2026, 1, 1),
                end: d(2026, 12, 31)
            }
        );
    }

    #[test]
    fn due_items_from_december_to_february_span_two_years() {
        let items = due_items(&default_requirements(), d(2026, 12, 15), d(2027, 2, 10), 31);
        let count = |k: MeetingKind| items.iter().filter(|i| i.kind == k).count();
        // December, January, February.
        assert_eq!(count(MeetingKind::CommitteeMeeting), 3);
        assert_eq!(count(MeetingKind::ThemeDay), 3);
        // Q4 2026 and Q1 2027.
        assert_eq!(count(MeetingKind::GeneralMeeting), 2);
        assert_eq!(count(MeetingKind::Lesson), 2);
        // 2026 and 2027.
        assert_eq!(count(MeetingKind::LifeMeeting), 2);
        assert_eq!(count(MeetingKind::Evaluation), 2);
        assert!(items.windows(2).all(|w| w[0] <= w[1]), "in date order");
        assert_eq!(items[0].span.start, d(2026, 1, 1));
    }

    #[test]
    fn the_theme_day_falls_on_the_fixed_day_or_the_months_last() {
        let themes: Vec<NaiveDate> = due_items(
            &[Requirement {
                kind: MeetingKind::ThemeDay,
                every: Frequency::Monthly,
            }],
            d(2028, 1, 1),
            d(2028, 4, 30),
            31,
        )
        .into_iter()
        .filter_map(|i| i.on)
        .collect();
        assert_eq!(
            themes,
            vec![
                d(2028, 1, 31),
                d(2028, 2, 29),
                d(2028, 3, 31),
                d(2028, 4, 30)
            ]
        );
        let fifth = theme_day(span_of(Frequency::Monthly, d(2026, 11, 20)), 5);
        assert_eq!(fifth, d(2026, 11, 5));
    }

    #[test]
    fn months_parse_and_items_are_overdue_after_their_period() {
        let nov = parse_month("2026-11").unwrap();
        assert_eq!((nov.start, nov.end), (d(2026, 11, 1), d(2026, 11, 30)));
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("十一月"), None);
        assert_eq!(parse_month("1900-01"), None);
        assert_eq!(due_state(nov, d(2026, 11, 23)), DueState::Due);
        assert_eq!(due_state(nov, d(2026, 11, 24)), DueState::EndsSoon);
        assert_eq!(due_state(nov, d(2026, 11, 30)), DueState::EndsSoon);
        assert_eq!(due_state(nov, d(2026, 12, 1)), DueState::Overdue);
    }

    #[test]
    fn an_empty_month_is_this_month_and_the_months_around_it_cross_the_year() {
        let dec = calendar_month("", d(2026, 12, 9)).unwrap();
        assert_eq!((dec.start, dec.end), (d(2026, 12, 1), d(2026, 12, 31)));
        assert_eq!(
            calendar_month(" 2027-01 ", d(2026, 12, 9)).map(|s| s.start),
            Some(d(2027, 1, 1))
        );
        assert_eq!(calendar_month("2027-1x", d(2026, 12, 9)), None);
        assert_eq!(
            neighbour_months(dec),
            ("2026-11".to_owned(), "2027-01".to_owned())
        );
        assert_eq!(month_label(d(2027, 1, 31)), "2027-01");
    }

    #[test]
    fn org_zero_means_the_viewers_first_branch() {
        let mine = [
            (OrgId(7), "一支部".to_owned()),
            (OrgId(3), "二支部".to_owned()),
        ];
        assert_eq!(branch_shown(OrgId(0), &mine), Some(OrgId(7)));
        assert_eq!(branch_shown(OrgId(3), &mine), Some(OrgId(3)));
        assert_eq!(
            branch_shown(OrgId(99), &mine),
            Some(OrgId(99)),
            "checked by who may see it"
        );
        assert_eq!(branch_shown(OrgId(0), &[]), None);
    }

    #[test]
    fn an_item_with_a_meeting_of_its_kind_in_its_period_shows_as_scheduled() {
        let nov = parse_month("2026-11").unwrap();
        let meetings = [
            (MeetingKind::CommitteeMeeting, d(2026, 11, 26)),
            // Last month's lesson is in this quarter: the quarter's lesson is on the calendar.
            (MeetingKind::Lesson, d(2026, 10, 20)),
            // A group meeting of October does not cover November's.
            (MeetingKind::GroupMeeting, d(2026, 10, 31)),
        ];
        let items = calendar_items(&default_requirements(), nov, 15, &meetings, d(2026, 11, 25));
        let scheduled = |k: MeetingKind| {
            items
                .iter()
                .find(|i| i.item.kind == k)
                .map(|i| i.scheduled)
                .unwrap()
        };
        assert!(scheduled(MeetingKind::CommitteeMeeting));
        assert!(scheduled(MeetingKind::Lesson));
        assert!(!scheduled(MeetingKind::GroupMeeting));
        assert!(!scheduled(MeetingKind::LifeMeeting));
        let group = items
            .iter()
            .find(|i| i.item.kind == MeetingKind::GroupMeeting)
            .unwrap();
        assert_eq!(group.state, DueState::EndsSoon);
        assert_eq!(items.len(), 8);
    }
}
