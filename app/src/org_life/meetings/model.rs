//! Meetings as plain rules: the kinds of organization life (三会一课 / 三会两制一课), the
//! scheduling form and its lead time, who is expected, the leave deadline, and check-in:
//! its window and the rotating code's slots. No I/O.

use crate::ids::UserId;
use chrono::{DateTime, Duration, Utc};
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

    /// Every kind, in the order forms offer them.
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

    /// The kind's name in forms, links and the database.
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

    /// A kind by its name; none for an unknown one.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A meeting as the secretary typed it: the fields of the scheduling form and of the form
/// that changes a meeting (the server functions take it flattened, so that the posted names
/// are the fields' own).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingForm {
    /// Empty when absent: the form that changes a meeting does not post it, as a meeting
    /// keeps its kind.
    #[serde(default)]
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
/// The window, in seconds, that [`CODE_TRIES`] counts wrong codes in.
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

/// Leave is for those expected at the meeting, until its deadline.
pub fn check_leave(
    expected: bool,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), crate::error::Msg> {
    use crate::error::Msg;
    if !expected {
        Err(Msg::NotExpected)
    } else if !leave_open(start, now) {
        Err(Msg::LeaveClosed)
    } else {
        Ok(())
    }
}

/// Attendance may be marked by hand and the record written once the meeting has started (and
/// ever after): a meeting is not recorded before it can have been held. Members check
/// themselves in earlier, from the opening of check-in (`check_in_window`).
pub fn attendance_open(start: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= start
}

/// A meeting may be changed until it starts.
pub fn changeable(start: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now < start
}

/// A meeting's time as people here read it: "2026-11-26 19:00–20:30", Asia/Shanghai.
pub fn meeting_when(starts: DateTime<Utc>, ends: DateTime<Utc>) -> String {
    let shanghai = crate::time::shanghai();
    let (s, e) = (
        starts.with_timezone(&shanghai),
        ends.with_timezone(&shanghai),
    );
    format!("{}–{}", s.format("%Y-%m-%d %H:%M"), e.format("%H:%M"))
}

/// The month of a meeting's start on the branch calendar ("2026-11", Asia/Shanghai).
pub fn meeting_month(starts: DateTime<Utc>) -> String {
    starts
        .with_timezone(&crate::time::shanghai())
        .format("%Y-%m")
        .to_string()
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
    Chosen(Vec<UserId>),
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
                let mut ids: Vec<UserId> = ticked
                    .iter()
                    .filter_map(|v| v.trim().parse().ok())
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

/// Why a member's check-in is refused, checked in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckInRefusal {
    NotExpected,
    TooEarly,
    Closed,
    WrongCode,
}

impl CheckInRefusal {
    /// The message a refused member reads.
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
    /// The state's name in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Asked => "asked",
            Self::Approved => "approved",
            Self::Declined => "declined",
        }
    }

    /// A leave state by its name; none for an unknown one.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Asked, Self::Approved, Self::Declined]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
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
            Ok(Attendees::Chosen(vec![UserId(3), UserId(7)]))
        );
        assert_eq!(Attendees::parse("chosen", &[]), Err(Msg::NoAttendees));
        assert_eq!(Attendees::parse("everyone", &[]), Err(Msg::BadRequest));
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
    fn leave_states_read_back_from_their_names() {
        for st in [
            LeaveState::Asked,
            LeaveState::Approved,
            LeaveState::Declined,
        ] {
            assert_eq!(LeaveState::parse(st.as_str()), Some(st));
        }
        assert_eq!(LeaveState::parse("approved"), Some(LeaveState::Approved));
        assert_eq!(LeaveState::parse("maybe"), None);
    }

    #[test]
    fn attendance_and_the_record_open_when_the_meeting_starts_and_stay_open() {
        let start = at("2026-11-24T11:00:00Z");
        assert!(!attendance_open(start, at("2026-11-24T10:40:00Z")));
        assert!(!attendance_open(start, at("2026-11-24T10:59:59Z")));
        assert!(attendance_open(start, at("2026-11-24T11:00:00Z")));
        assert!(attendance_open(start, at("2026-11-24T11:20:01Z")));
        assert!(attendance_open(start, at("2026-12-24T11:00:00Z")));
    }

    #[test]
    fn a_meeting_can_be_changed_until_it_starts() {
        let start = at("2026-11-24T11:00:00Z");
        assert!(changeable(start, at("2026-11-24T10:59:59Z")));
        assert!(!changeable(start, start));
        assert!(!changeable(start, at("2026-11-24T11:00:01Z")));
    }

    #[test]
    fn a_meeting_reads_in_shanghai_time_and_falls_in_its_shanghai_month() {
        let (s, e) = (at("2026-11-30T16:30:00Z"), at("2026-11-30T18:00:00Z"));
        assert_eq!(meeting_when(s, e), "2026-12-01 00:30–02:00");
        assert_eq!(meeting_month(s), "2026-12");
        assert_eq!(meeting_month(at("2026-11-30T15:59:00Z")), "2026-11");
    }

    #[test]
    fn the_form_that_changes_a_meeting_may_leave_out_the_kind() {
        let posted = r#"{"title":"t","starts":"","ends":"","place":"","online_link":"","agenda":"","chair":"","recorder":""}"#;
        let form: MeetingForm = serde_json::from_str(posted).unwrap();
        assert_eq!(form.kind, "");
    }

    #[test]
    fn leave_is_for_those_expected_until_the_deadline() {
        use crate::error::Msg;
        let start = at("2026-11-24T11:00:00Z");
        let early = at("2026-11-24T10:00:00Z");
        assert_eq!(check_leave(true, start, early), Ok(()));
        assert_eq!(check_leave(false, start, early), Err(Msg::NotExpected));
        let late = at("2026-11-24T10:45:00Z");
        assert_eq!(check_leave(true, start, late), Err(Msg::LeaveClosed));
        assert_eq!(check_leave(false, start, late), Err(Msg::NotExpected));
    }
}
