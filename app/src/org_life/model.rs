//! Organization life (三会一课 / 三会两制一课) as plain rules: the items a branch must hold in
//! each period, generated from frequencies that are data; the check-in window and the
//! rotating check-in code; the leave deadline; the secret ballot's tallies. No I/O.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The kinds of organization life a branch holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MeetingKind {
    /// 支部党员大会 / 团员大会.
    GeneralMeeting,
    /// 支部委员会.
    CommitteeMeeting,
    /// 党小组会 / 团小组会.
    GroupMeeting,
    /// 党课 / 团课.
    Lesson,
    /// The secretary's own lesson, once a year.
    SecretaryLesson,
    /// 主题党日 / 主题团日, on the branch's fixed day of the month.
    ThemeDay,
    /// 组织生活会, once a year, usually in the fourth quarter.
    LifeMeeting,
    /// 民主评议, once a year.
    Evaluation,
}

impl MeetingKind {
    /// The item's name in its tree: 党员大会 or 团员大会, 党课 or 团课, and so on.
    pub fn label(self, tree: crate::orgs::model::Tree, t: &crate::i18n::Strings) -> &'static str {
        use crate::orgs::model::Tree;
        let party = tree == Tree::Party;
        match self {
            MeetingKind::GeneralMeeting if party => t.life_general_party,
            MeetingKind::GeneralMeeting => t.life_general_league,
            MeetingKind::CommitteeMeeting => t.life_committee,
            MeetingKind::GroupMeeting if party => t.life_group_party,
            MeetingKind::GroupMeeting => t.life_group_league,
            MeetingKind::Lesson if party => t.life_lesson_party,
            MeetingKind::Lesson => t.life_lesson_league,
            MeetingKind::SecretaryLesson if party => t.life_secretary_party,
            MeetingKind::SecretaryLesson => t.life_secretary_league,
            MeetingKind::ThemeDay if party => t.life_theme_party,
            MeetingKind::ThemeDay => t.life_theme_league,
            MeetingKind::LifeMeeting => t.life_life_meeting,
            MeetingKind::Evaluation => t.life_evaluation,
        }
    }

    pub const ALL: [MeetingKind; 8] = [
        Self::GeneralMeeting,
        Self::CommitteeMeeting,
        Self::GroupMeeting,
        Self::Lesson,
        Self::SecretaryLesson,
        Self::ThemeDay,
        Self::LifeMeeting,
        Self::Evaluation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::GeneralMeeting => "general_meeting",
            Self::CommitteeMeeting => "committee_meeting",
            Self::GroupMeeting => "group_meeting",
            Self::Lesson => "lesson",
            Self::SecretaryLesson => "secretary_lesson",
            Self::ThemeDay => "theme_day",
            Self::LifeMeeting => "life_meeting",
            Self::Evaluation => "evaluation",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// How often an item is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Frequency {
    Monthly,
    Quarterly,
    Yearly,
}

impl Frequency {
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

pub fn due_state(span: Span, today: NaiveDate) -> DueState {
    if today > span.end {
        DueState::Overdue
    } else if (span.end - today).num_days() < 7 {
        DueState::EndsSoon
    } else {
        DueState::Due
    }
}

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

/// Is a meeting of the item's kind in the item's period among `meetings` (kind, day)?
fn covered(item: &DueItem, meetings: &[(MeetingKind, NaiveDate)]) -> bool {
    meetings
        .iter()
        .any(|(k, d)| *k == item.kind && (item.span.start..=item.span.end).contains(d))
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

/// A meeting as the secretary typed it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingForm {
    pub kind: String,
    pub title: String,
    pub starts: String,
    pub ends: String,
    pub place: String,
    pub online_link: String,
    pub agenda: String,
    /// 主持人 and 记录人, by name; optional.
    pub chair: String,
    pub recorder: String,
}

/// A meeting that passed the form's checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMeeting {
    pub kind: MeetingKind,
    pub title: String,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    pub place: String,
    pub online_link: String,
    pub agenda: String,
    pub chair: String,
    pub recorder: String,
}

impl MeetingForm {
    /// Every field checked at once: a known kind, a title of 2 to 60 characters, start and
    /// end (Asia/Shanghai) with the end after the start and within a day, a place or an
    /// online link (http or https), an agenda of at most 2,000 characters.
    pub fn parse(&self) -> Result<NewMeeting, Vec<crate::error::FieldError>> {
        use crate::error::{FieldError, Msg};
        let mut errors = Vec::new();
        let kind = MeetingKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new("kind", Msg::BadRequest));
        }
        let title = self.title.trim();
        match title.chars().count() {
            0 => errors.push(FieldError::new("title", Msg::Required)),
            1 | 61.. => errors.push(FieldError::new("title", Msg::NameInvalid)),
            _ => {}
        }
        let parse = |field: &str, v: &str, errors: &mut Vec<FieldError>| {
            if v.trim().is_empty() {
                errors.push(FieldError::new(field, Msg::Required));
                return None;
            }
            crate::time::parse_local_datetime(v)
                .map_err(|m| errors.push(FieldError::new(field, m)))
                .ok()
        };
        let starts = parse("starts", &self.starts, &mut errors);
        let ends = parse("ends", &self.ends, &mut errors);
        if let (Some(s), Some(e)) = (starts, ends)
            && (e <= s || e - s > Duration::hours(24))
        {
            errors.push(FieldError::new("ends", Msg::MeetingEndBeforeStart));
        }
        let place = self.place.trim();
        let link = self.online_link.trim();
        if place.is_empty() && link.is_empty() {
            errors.push(FieldError::new("place", Msg::MeetingNoPlace));
        }
        if place.chars().count() > 60 {
            errors.push(FieldError::new("place", Msg::TooLong));
        }
        if !link.is_empty()
            && (!(link.starts_with("https://") || link.starts_with("http://")) || link.len() > 300)
        {
            errors.push(FieldError::new("online_link", Msg::LinkInvalid));
        }
        if self.agenda.trim().chars().count() > 2000 {
            errors.push(FieldError::new("agenda", Msg::TooLong));
        }
        for (field, v) in [("chair", &self.chair), ("recorder", &self.recorder)] {
            if v.trim().chars().count() > 20 {
                errors.push(FieldError::new(field, Msg::TooLong));
            }
        }
        match (kind, starts, ends) {
            (Some(kind), Some(starts), Some(ends)) if errors.is_empty() => Ok(NewMeeting {
                kind,
                title: title.to_owned(),
                starts,
                ends,
                place: place.to_owned(),
                online_link: link.to_owned(),
                agenda: self.agenda.trim().to_owned(),
                chair: self.chair.trim().to_owned(),
                recorder: self.recorder.trim().to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

/// Check-in opens this long before the start and closes this long after it.
pub const CHECK_IN_MARGIN_MINUTES: i64 = 20;
/// A meeting is scheduled (or moved) at least this long before it starts, so that its
/// check-in is never already open when it is announced: meetings are arranged ahead, not
/// recorded after the fact.
pub const SCHEDULE_LEAD_MINUTES: i64 = CHECK_IN_MARGIN_MINUTES;

/// Refuses a start that is in the past or sooner than the lead time.
pub fn check_lead_time(starts: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), crate::error::Msg> {
    if starts - now < Duration::minutes(SCHEDULE_LEAD_MINUTES) {
        Err(crate::error::Msg::MeetingTooSoon)
    } else {
        Ok(())
    }
}
/// Leave may be asked for until this long before the start.
pub const LEAVE_DEADLINE_MINUTES: i64 = 20;
/// The check-in code changes every this many seconds.
pub const CODE_SECONDS: i64 = 30;
/// The previous code is still accepted for this many seconds after it changed.
pub const CODE_GRACE_SECONDS: i64 = 5;
/// Wrong codes a member may type for one meeting in a window of this many seconds, then
/// they wait for the window to pass: a million codes cannot be tried at a few a second.
pub const CODE_TRIES: i32 = 5;
pub const CODE_TRIES_WINDOW_SECONDS: i64 = 300;

/// Why a check-in is refused at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckInWindow {
    TooEarly,
    Open,
    Closed,
}

/// Where `now` stands against the check-in window of a meeting starting at `start`: open
/// from 20 minutes before to 20 minutes after, both edges included.
pub fn check_in_window(start: DateTime<Utc>, now: DateTime<Utc>) -> CheckInWindow {
    let margin = Duration::minutes(CHECK_IN_MARGIN_MINUTES);
    if now < start - margin {
        CheckInWindow::TooEarly
    } else if now > start + margin {
        CheckInWindow::Closed
    } else {
        CheckInWindow::Open
    }
}

/// Leave may be asked for until 20 minutes before the start (that minute included).
pub fn leave_open(start: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now <= start - Duration::minutes(LEAVE_DEADLINE_MINUTES)
}

/// The 30-second slot a moment is in.
pub fn code_slot(now: DateTime<Utc>) -> i64 {
    now.timestamp().div_euclid(CODE_SECONDS)
}

/// The slots whose codes are accepted at `now`: the current one, and the previous one for
/// the first few seconds of the current.
pub fn accepted_slots(now: DateTime<Utc>) -> Vec<i64> {
    let slot = code_slot(now);
    let into = now.timestamp().rem_euclid(CODE_SECONDS);
    if into < CODE_GRACE_SECONDS {
        vec![slot, slot - 1]
    } else {
        vec![slot]
    }
}

/// Six digits from a keyed digest (the server makes the digest from the meeting's secret
/// and the slot): what the organizer's screen shows and the member types.
pub fn code_digits(digest: &[u8]) -> String {
    let n = digest
        .iter()
        .take(8)
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    format!("{:06}", n % 1_000_000)
}

/// A typed code: six digits, spaces ignored.
pub fn parse_code(input: &str) -> Option<String> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// Who is expected at a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Attendees {
    /// Every current member of the branch.
    Branch,
    /// The branch's secretary and committee members.
    Committee,
    /// Members chosen by hand (members of the branch only).
    Chosen(Vec<i64>),
}

impl Attendees {
    /// The form's choice ("branch", "committee" or "chosen") and, for the last, the
    /// members ticked (at least one).
    pub fn parse(choice: &str, ticked: &[String]) -> Result<Self, crate::error::Msg> {
        use crate::error::Msg;
        match choice.trim() {
            "" | "branch" => Ok(Self::Branch),
            "committee" => Ok(Self::Committee),
            "chosen" => {
                let mut ids: Vec<i64> = ticked
                    .iter()
                    .filter_map(|v| v.trim().parse::<i64>().ok())
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                if ids.is_empty() {
                    Err(Msg::NoAttendees)
                } else {
                    Ok(Self::Chosen(ids))
                }
            }
            _ => Err(Msg::BadRequest),
        }
    }
}

/// A notice as its sender typed it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeForm {
    pub title: String,
    pub body: String,
    /// Days to acknowledge it in.
    pub days: String,
}

/// A notice that passed the form's checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotice {
    pub title: String,
    pub body: String,
    pub days: i64,
}

impl NoticeForm {
    /// A title of 2 to 60 characters, a text of at most 5,000, and 1 to 30 days to
    /// acknowledge it in.
    pub fn parse(&self) -> Result<NewNotice, Vec<crate::error::FieldError>> {
        use crate::error::{FieldError, Msg};
        let mut errors = vec![];
        let title = self.title.trim();
        match title.chars().count() {
            0 => errors.push(FieldError::new("title", Msg::Required)),
            1 | 61.. => errors.push(FieldError::new("title", Msg::NameInvalid)),
            _ => {}
        }
        let body = self.body.trim();
        match body.chars().count() {
            0 => errors.push(FieldError::new("body", Msg::Required)),
            5001.. => errors.push(FieldError::new("body", Msg::TooLong)),
            _ => {}
        }
        let days = self
            .days
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=30).contains(d));
        if days.is_none() {
            errors.push(FieldError::new("days", Msg::NoticeDays));
        }
        match days {
            Some(days) if errors.is_empty() => Ok(NewNotice {
                title: title.to_owned(),
                body: body.to_owned(),
                days,
            }),
            _ => Err(errors),
        }
    }
}

/// Why a member's check-in is refused, checked in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckInRefusal {
    NotExpected,
    TooEarly,
    Closed,
    WrongCode,
}

impl CheckInRefusal {
    pub fn msg(self) -> crate::error::Msg {
        use crate::error::Msg;
        match self {
            Self::NotExpected => Msg::NotExpected,
            Self::TooEarly => Msg::CheckInTooEarly,
            Self::Closed => Msg::CheckInClosed,
            Self::WrongCode => Msg::CheckInCodeWrong,
        }
    }
}

/// Decides a check-in by code: the member must be expected, `now` inside the window, and
/// the typed code one of the accepted slots' codes (`code_at` gives a slot's code).
pub fn check_in(
    expected: bool,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
    typed: &str,
    code_at: impl Fn(i64) -> String,
) -> Result<(), CheckInRefusal> {
    if !expected {
        return Err(CheckInRefusal::NotExpected);
    }
    match check_in_window(start, now) {
        CheckInWindow::TooEarly => return Err(CheckInRefusal::TooEarly),
        CheckInWindow::Closed => return Err(CheckInRefusal::Closed),
        CheckInWindow::Open => {}
    }
    if accepted_slots(now)
        .into_iter()
        .any(|slot| code_at(slot) == typed)
    {
        Ok(())
    } else {
        Err(CheckInRefusal::WrongCode)
    }
}

/// Seconds until the code shown at `now` changes.
pub fn code_seconds_left(now: DateTime<Utc>) -> i64 {
    CODE_SECONDS - now.timestamp().rem_euclid(CODE_SECONDS)
}

/// A reason given for leave or for marking attendance by hand: 2 to 200 characters.
pub fn parse_reason(input: &str) -> Option<String> {
    let r = input.trim();
    (2..=200).contains(&r.chars().count()).then(|| r.to_owned())
}

/// Where a leave request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LeaveState {
    Asked,
    Approved,
    Declined,
}

impl LeaveState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Asked => "asked",
            Self::Approved => "approved",
            Self::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Asked, Self::Approved, Self::Declined]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// Where a meeting's record (minutes) stands in its review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordState {
    Draft,
    Submitted,
    Accepted,
    Returned,
}

/// The longest minutes and resolutions, in characters.
pub const MINUTES_MAX_CHARS: usize = 20_000;

impl RecordState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Accepted => "accepted",
            Self::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Draft, Self::Submitted, Self::Accepted, Self::Returned]
            .into_iter()
            .find(|v| v.as_str() == s)
    }

    /// The branch may edit and submit: a draft, or a record sent back.
    pub fn editable(self) -> bool {
        matches!(self, Self::Draft | Self::Returned)
    }
}

/// A save of the minutes against the version the editor loaded: refused as stale when
/// someone saved since, refused when the record is under review or accepted.
pub fn check_save(state: RecordState, current: i32, loaded: i32) -> Result<(), crate::error::Msg> {
    use crate::error::Msg;
    if !state.editable() {
        Err(Msg::RecordLocked)
    } else if current != loaded {
        Err(Msg::RecordChanged)
    } else {
        Ok(())
    }
}

/// The grades of the annual member evaluation (民主评议).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Grade {
    /// 优秀
    Excellent,
    /// 合格
    Qualified,
    /// 基本合格
    BasicallyQualified,
    /// 不合格
    Unqualified,
}

impl Grade {
    pub const ALL: [Grade; 4] = [
        Self::Excellent,
        Self::Qualified,
        Self::BasicallyQualified,
        Self::Unqualified,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Excellent => "excellent",
            Self::Qualified => "qualified",
            Self::BasicallyQualified => "basically_qualified",
            Self::Unqualified => "unqualified",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

/// Where an annual evaluation stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BallotState {
    NotYetOpen,
    Open,
    Closed,
}

pub fn ballot_state(
    opens: DateTime<Utc>,
    closes: DateTime<Utc>,
    now: DateTime<Utc>,
) -> BallotState {
    if now < opens {
        BallotState::NotYetOpen
    } else if now < closes {
        BallotState::Open
    } else {
        BallotState::Closed
    }
}

/// A ballot as the form sends it (member id → grade name), checked against the members on
/// the roll: every one of them, the voter included, graded once with a known grade.
pub fn parse_ballot(
    form: &std::collections::HashMap<String, String>,
    roll: &[i64],
) -> Result<Vec<(i64, Grade)>, crate::error::Msg> {
    use crate::error::Msg;
    let mut out = Vec::with_capacity(roll.len());
    for member in roll {
        let grade = form
            .get(&member.to_string())
            .and_then(|g| Grade::parse(g.trim()))
            .ok_or(Msg::BallotIncomplete)?;
        out.push((*member, grade));
    }
    if form.len() != roll.len() {
        return Err(Msg::BallotIncomplete);
    }
    Ok(out)
}

/// A checked ballot as bytes to seal: per member graded, in member order, the member's id
/// (8 bytes) and the grade's place in `Grade::ALL` (1 byte). Every ballot of an evaluation
/// grades the same roll, so all have the same length.
pub fn encode_ballot(ballot: &[(i64, Grade)]) -> Vec<u8> {
    let mut sorted = ballot.to_vec();
    sorted.sort();
    let mut out = Vec::with_capacity(sorted.len() * 9);
    for (member, grade) in sorted {
        out.extend_from_slice(&member.to_be_bytes());
        out.push(Grade::ALL.iter().position(|g| *g == grade).unwrap_or(0) as u8);
    }
    out
}

/// The ballot [`encode_ballot`] made, or `None` for bytes it cannot have made.
pub fn decode_ballot(bytes: &[u8]) -> Option<Vec<(i64, Grade)>> {
    if !bytes.len().is_multiple_of(9) {
        return None;
    }
    bytes
        .chunks_exact(9)
        .map(|c| {
            let member = i64::from_be_bytes(c[..8].try_into().ok()?);
            Some((member, *Grade::ALL.get(usize::from(c[8]))?))
        })
        .collect()
}

/// One member's tally: votes per grade, in `Grade::ALL` order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub member: i64,
    pub votes: [u32; 4],
}

impl Tally {
    /// The grade most voted; a tie goes to the lower grade, so that a split vote never
    /// flatters.
    pub fn leading(&self) -> Option<Grade> {
        let most = *self.votes.iter().max()?;
        if most == 0 {
            return None;
        }
        Grade::ALL
            .iter()
            .zip(self.votes)
            .filter(|(_, v)| *v == most)
            .map(|(g, _)| *g)
            .next_back()
    }
}

/// Tallies of ballots given as (member graded, grade), anonymous by then: one tally per
/// member graded, in member order.
pub fn tally(grades: &[(i64, Grade)]) -> Vec<Tally> {
    let mut out: Vec<Tally> = Vec::new();
    let mut sorted = grades.to_vec();
    sorted.sort();
    for (member, grade) in sorted {
        let i = Grade::ALL.iter().position(|g| *g == grade).unwrap_or(0);
        match out.last_mut() {
            Some(t) if t.member == member => t.votes[i] += 1,
            _ => {
                let mut votes = [0; 4];
                votes[i] = 1;
                out.push(Tally { member, votes });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
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
    fn attendees_are_the_branch_its_committee_or_members_chosen_by_hand() {
        use crate::error::Msg;
        assert_eq!(Attendees::parse("", &[]), Ok(Attendees::Branch));
        assert_eq!(Attendees::parse("committee", &[]), Ok(Attendees::Committee));
        let ticked = [
            "7".to_owned(),
            "3".to_owned(),
            "7".to_owned(),
            "x".to_owned(),
        ];
        assert_eq!(
            Attendees::parse("chosen", &ticked),
            Ok(Attendees::Chosen(vec![3, 7]))
        );
        assert_eq!(Attendees::parse("chosen", &[]), Err(Msg::NoAttendees));
        assert_eq!(Attendees::parse("everyone", &[]), Err(Msg::BadRequest));
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
    fn a_notice_needs_a_title_a_text_and_one_to_thirty_days() {
        let good = NoticeForm {
            title: "关于学习全会精神的通知".into(),
            body: "请各位党员本周内完成学习。".into(),
            days: "3".into(),
        };
        assert_eq!(good.parse().unwrap().days, 3);
        for days in ["0", "31", "三", ""] {
            let bad = NoticeForm {
                days: days.into(),
                ..good.clone()
            };
            let errors = bad.parse().unwrap_err();
            assert_eq!(errors[0].field, "days", "{days}");
        }
        let empty = NoticeForm::default().parse().unwrap_err();
        let fields: Vec<&str> = empty.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "body", "days"]);
        let long = NoticeForm {
            body: "字".repeat(5001),
            ..good
        };
        assert_eq!(long.parse().unwrap_err()[0].field, "body");
    }

    #[test]
    fn a_ballot_grades_everyone_on_the_roll_once_and_nobody_else() {
        use std::collections::HashMap;
        let roll = [3, 5, 8];
        let form = |pairs: &[(&str, &str)]| -> HashMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let full = form(&[("3", "excellent"), ("5", "qualified"), ("8", "unqualified")]);
        assert_eq!(
            parse_ballot(&full, &roll),
            Ok(vec![
                (3, Grade::Excellent),
                (5, Grade::Qualified),
                (8, Grade::Unqualified)
            ])
        );
        let missing = form(&[("3", "excellent"), ("5", "qualified")]);
        assert!(parse_ballot(&missing, &roll).is_err());
        let stranger = form(&[
            ("3", "excellent"),
            ("5", "qualified"),
            ("8", "qualified"),
            ("9", "excellent"),
        ]);
        assert!(parse_ballot(&stranger, &roll).is_err());
        let unknown = form(&[("3", "excellent"), ("5", "great"), ("8", "qualified")]);
        assert!(parse_ballot(&unknown, &roll).is_err());
    }

    #[test]
    fn a_ballot_is_open_from_its_opening_until_its_close() {
        let (o, c) = (at("2026-12-01T00:00:00Z"), at("2026-12-08T00:00:00Z"));
        assert_eq!(
            ballot_state(o, c, at("2026-11-30T23:59:59Z")),
            BallotState::NotYetOpen
        );
        assert_eq!(ballot_state(o, c, o), BallotState::Open);
        assert_eq!(
            ballot_state(o, c, at("2026-12-07T23:59:59Z")),
            BallotState::Open
        );
        assert_eq!(ballot_state(o, c, c), BallotState::Closed);
        for g in Grade::ALL {
            assert_eq!(Grade::parse(g.as_str()), Some(g));
        }
    }

    #[test]
    fn check_in_needs_expectation_window_and_a_current_code() {
        let start = at("2026-11-26T11:00:00Z");
        let code = |slot: i64| format!("{:06}", slot % 1_000_000);
        let now = at("2026-11-26T10:50:07Z");
        let current = code(code_slot(now));
        assert_eq!(check_in(true, start, now, &current, code), Ok(()));
        assert_eq!(
            check_in(false, start, now, &current, code),
            Err(CheckInRefusal::NotExpected)
        );
        let early = at("2026-11-26T10:39:59Z");
        assert_eq!(
            check_in(true, start, early, &code(code_slot(early)), code),
            Err(CheckInRefusal::TooEarly)
        );
        let late = at("2026-11-26T11:20:01Z");
        assert_eq!(
            check_in(true, start, late, &code(code_slot(late)), code),
            Err(CheckInRefusal::Closed)
        );
        // The previous slot's code: accepted in the first seconds of the next slot only.
        let old = code(code_slot(now) - 1);
        assert_eq!(
            check_in(true, start, now, &old, code),
            Err(CheckInRefusal::WrongCode)
        );
        let just_changed = at("2026-11-26T10:50:02Z");
        assert_eq!(
            check_in(
                true,
                start,
                just_changed,
                &code(code_slot(just_changed) - 1),
                code
            ),
            Ok(())
        );
        assert_eq!(
            check_in(true, start, now, "000000", code),
            Err(CheckInRefusal::WrongCode)
        );
    }

    #[test]
    fn the_code_shows_how_long_it_lasts() {
        assert_eq!(code_seconds_left(at("2026-11-26T10:50:00Z")), 30);
        assert_eq!(code_seconds_left(at("2026-11-26T10:50:29Z")), 1);
        assert_eq!(code_seconds_left(at("2026-11-26T10:50:31Z")), 29);
    }

    #[test]
    fn reasons_are_two_to_two_hundred_characters() {
        assert_eq!(parse_reason(" 出差 "), Some("出差".to_owned()));
        assert_eq!(parse_reason("病"), None);
        assert_eq!(parse_reason(&"假".repeat(201)), None);
        assert!(parse_reason(&"假".repeat(200)).is_some());
    }

    #[test]
    fn minutes_save_only_against_the_current_version_of_an_editable_record() {
        use crate::error::Msg;
        assert_eq!(check_save(RecordState::Draft, 3, 3), Ok(()));
        assert_eq!(check_save(RecordState::Returned, 4, 4), Ok(()));
        assert_eq!(
            check_save(RecordState::Draft, 4, 3),
            Err(Msg::RecordChanged)
        );
        assert_eq!(
            check_save(RecordState::Submitted, 3, 3),
            Err(Msg::RecordLocked)
        );
        assert_eq!(
            check_save(RecordState::Accepted, 3, 3),
            Err(Msg::RecordLocked)
        );
        for st in [
            RecordState::Draft,
            RecordState::Submitted,
            RecordState::Accepted,
            RecordState::Returned,
        ] {
            assert_eq!(RecordState::parse(st.as_str()), Some(st));
        }
        assert_eq!(LeaveState::parse("approved"), Some(LeaveState::Approved));
        assert_eq!(LeaveState::parse("maybe"), None);
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
    fn a_meeting_needs_an_end_after_its_start_and_a_place() {
        use crate::error::Msg;
        let good = MeetingForm {
            kind: "committee_meeting".into(),
            title: "十一月支委会".into(),
            starts: "2026-11-26T19:00".into(),
            ends: "2026-11-26T20:30".into(),
            place: "3 楼会议室".into(),
            ..Default::default()
        };
        let m = good.parse().unwrap();
        assert_eq!(m.starts, at("2026-11-26T11:00:00Z"));
        let mut bad = good.clone();
        bad.ends = "2026-11-26T18:00".into();
        bad.place = String::new();
        bad.kind = "party".into();
        let e = bad.parse().unwrap_err();
        let fields: Vec<(&str, Msg)> = e.iter().map(|f| (f.field.as_str(), f.msg)).collect();
        assert_eq!(
            fields,
            vec![
                ("kind", Msg::BadRequest),
                ("ends", Msg::MeetingEndBeforeStart),
                ("place", Msg::MeetingNoPlace)
            ]
        );
        let mut online = good.clone();
        online.place = String::new();
        online.online_link = "meeting.example/123".into();
        assert_eq!(online.parse().unwrap_err()[0].msg, Msg::LinkInvalid);
        online.online_link = "https://meeting.example/123".into();
        assert!(online.parse().is_ok());
    }

    #[test]
    fn check_in_opens_twenty_minutes_before_and_closes_twenty_after() {
        let start = at("2026-11-24T11:00:00Z");
        assert_eq!(
            check_in_window(start, at("2026-11-24T10:39:59Z")),
            CheckInWindow::TooEarly
        );
        assert_eq!(
            check_in_window(start, at("2026-11-24T10:40:00Z")),
            CheckInWindow::Open
        );
        assert_eq!(
            check_in_window(start, at("2026-11-24T11:20:00Z")),
            CheckInWindow::Open
        );
        assert_eq!(
            check_in_window(start, at("2026-11-24T11:20:01Z")),
            CheckInWindow::Closed
        );
    }

    #[test]
    fn leave_closes_twenty_minutes_before_the_start() {
        let start = at("2026-11-24T11:00:00Z");
        assert!(leave_open(start, at("2026-11-24T10:40:00Z")));
        assert!(!leave_open(start, at("2026-11-24T10:40:01Z")));
    }

    #[test]
    fn the_code_rotates_every_thirty_seconds_with_a_short_grace() {
        assert_eq!(
            code_slot(at("2026-11-24T11:00:29Z")),
            code_slot(at("2026-11-24T11:00:00Z"))
        );
        assert_eq!(
            code_slot(at("2026-11-24T11:00:30Z")),
            code_slot(at("2026-11-24T11:00:00Z")) + 1
        );
        let s = code_slot(at("2026-11-24T11:00:30Z"));
        assert_eq!(accepted_slots(at("2026-11-24T11:00:30Z")), vec![s, s - 1]);
        assert_eq!(accepted_slots(at("2026-11-24T11:00:34Z")), vec![s, s - 1]);
        assert_eq!(accepted_slots(at("2026-11-24T11:00:35Z")), vec![s]);
        assert_eq!(code_digits(&[0, 0, 0, 0, 0, 0, 0, 7]), "000007");
        assert_eq!(code_digits(&[255; 32]).len(), 6);
        assert_eq!(parse_code(" 123 456 "), Some("123456".into()));
        assert_eq!(parse_code("12345"), None);
        assert_eq!(parse_code("12345a"), None);
    }

    #[test]
    fn ballots_tally_per_member_and_a_tie_goes_to_the_lower_grade() {
        use Grade::*;
        let t = tally(&[
            (2, Qualified),
            (1, Excellent),
            (1, Excellent),
            (2, Excellent),
            (1, Qualified),
        ]);
        assert_eq!(
            t,
            vec![
                Tally {
                    member: 1,
                    votes: [2, 1, 0, 0]
                },
                Tally {
                    member: 2,
                    votes: [1, 1, 0, 0]
                }
            ]
        );
        assert_eq!(t[0].leading(), Some(Excellent));
        assert_eq!(t[1].leading(), Some(Qualified));
        assert_eq!(
            Tally {
                member: 3,
                votes: [0; 4]
            }
            .leading(),
            None
        );
    }

    #[test]
    fn a_ballot_encodes_to_a_fixed_length_and_decodes_to_itself() {
        use Grade::*;
        let ballot = vec![(7, Unqualified), (3, Excellent), (1_000_000_007, Qualified)];
        let bytes = encode_ballot(&ballot);
        assert_eq!(bytes.len(), 27);
        let mut sorted = ballot.clone();
        sorted.sort();
        assert_eq!(decode_ballot(&bytes), Some(sorted));
        let other = encode_ballot(&[(7, Excellent), (3, Excellent), (9, Excellent)]);
        assert_eq!(
            other.len(),
            bytes.len(),
            "the length says nothing of the grades"
        );
        assert_eq!(decode_ballot(&bytes[..26]), None);
        let mut bad = bytes.clone();
        bad[8] = 9;
        assert_eq!(decode_ballot(&bad), None);
    }

    #[test]
    fn a_meeting_starts_no_sooner_than_the_lead_time_after_it_is_scheduled() {
        use crate::error::Msg;
        let now = at("2026-12-03T02:00:00Z");
        let at = |mins: i64| now + Duration::minutes(mins);
        assert_eq!(check_lead_time(at(-9), now), Err(Msg::MeetingTooSoon));
        assert_eq!(check_lead_time(at(0), now), Err(Msg::MeetingTooSoon));
        assert_eq!(check_lead_time(at(19), now), Err(Msg::MeetingTooSoon));
        assert_eq!(check_lead_time(at(20), now), Ok(()));
        assert_eq!(check_in_window(at(20), now), CheckInWindow::Open);
        assert_eq!(check_in_window(at(21), now), CheckInWindow::TooEarly);
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
}
