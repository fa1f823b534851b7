//! Points as plain rules: the rule codes and their caps, which version of a rule applies
//! at a moment, how much of an award a cap still allows, score bands, and the Asia/Shanghai
//! days and Monday weeks that caps and totals are counted in. No I/O.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Msg, field_ok};
use crate::i18n::Strings;

/// What earned (or cost) points: a ledger row points back to it by this and an id. On the
/// wire and in the database it is the word (`study_item`, `sign_in`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum PointSource {
    /// An article, a video or a lesson: its id.
    StudyItem,
    /// A quiz attempt: its id.
    DailyQuiz,
    WeeklyQuiz,
    /// A special quiz: the quiz's id.
    SpecialQuiz,
    Meeting,
    Notice,
    /// The day's sign-in: the Asia/Shanghai day.
    SignIn,
    /// A week without a sign-in: the run of the job that found it.
    Week,
    /// Points spent on a reward: the redemption's id.
    Redemption,
    /// Points given back when a redemption is cancelled: its id.
    Refund,
}

impl PointSource {
    pub const ALL: [PointSource; 10] = [
        PointSource::StudyItem,
        PointSource::DailyQuiz,
        PointSource::WeeklyQuiz,
        PointSource::SpecialQuiz,
        PointSource::Meeting,
        PointSource::Notice,
        PointSource::SignIn,
        PointSource::Week,
        PointSource::Redemption,
        PointSource::Refund,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PointSource::StudyItem => "study_item",
            PointSource::DailyQuiz => "daily_quiz",
            PointSource::WeeklyQuiz => "weekly_quiz",
            PointSource::SpecialQuiz => "special_quiz",
            PointSource::Meeting => "meeting",
            PointSource::Notice => "notice",
            PointSource::SignIn => "sign_in",
            PointSource::Week => "week",
            PointSource::Redemption => "redemption",
            PointSource::Refund => "refund",
        }
    }
}

crate::words::wire_words!(PointSource);

/// What a rule rewards (or, for `NoSignInWeek`, deducts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RuleCode {
    DailySignIn,
    ArticleRead,
    ReadingTime,
    VideoWatch,
    VideoTime,
    DailyQuiz,
    WeeklyQuiz,
    SpecialQuiz,
    MeetingAttend,
    NoticeAck,
    NoSignInWeek,
}

impl RuleCode {
    pub const ALL: [RuleCode; 11] = [
        RuleCode::DailySignIn,
        RuleCode::ArticleRead,
        RuleCode::ReadingTime,
        RuleCode::VideoWatch,
        RuleCode::VideoTime,
        RuleCode::DailyQuiz,
        RuleCode::WeeklyQuiz,
        RuleCode::SpecialQuiz,
        RuleCode::MeetingAttend,
        RuleCode::NoticeAck,
        RuleCode::NoSignInWeek,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleCode::DailySignIn => "daily_sign_in",
            RuleCode::ArticleRead => "article_read",
            RuleCode::ReadingTime => "reading_time",
            RuleCode::VideoWatch => "video_watch",
            RuleCode::VideoTime => "video_time",
            RuleCode::DailyQuiz => "daily_quiz",
            RuleCode::WeeklyQuiz => "weekly_quiz",
            RuleCode::SpecialQuiz => "special_quiz",
            RuleCode::MeetingAttend => "meeting_attend",
            RuleCode::NoticeAck => "notice_ack",
            RuleCode::NoSignInWeek => "no_sign_in_week",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Points for studying (reading, watching, quizzes): what 参学率 counts.
    pub fn is_study(self) -> bool {
        matches!(
            self,
            RuleCode::ArticleRead
                | RuleCode::ReadingTime
                | RuleCode::VideoWatch
                | RuleCode::VideoTime
                | RuleCode::DailyQuiz
                | RuleCode::WeeklyQuiz
                | RuleCode::SpecialQuiz
        )
    }

    /// The page where a member earns this rule's points, if there is one to go to.
    pub fn earn_at(self) -> Option<&'static str> {
        match self {
            RuleCode::ArticleRead
            | RuleCode::ReadingTime
            | RuleCode::VideoWatch
            | RuleCode::VideoTime => Some("/study"),
            RuleCode::DailyQuiz => Some("/study/quiz/daily"),
            RuleCode::WeeklyQuiz => Some("/study/quiz/weekly"),
            RuleCode::SpecialQuiz => Some("/study/quiz"),
            RuleCode::DailySignIn
            | RuleCode::MeetingAttend
            | RuleCode::NoticeAck
            | RuleCode::NoSignInWeek => None,
        }
    }

    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            RuleCode::DailySignIn => t.rule_daily_sign_in,
            RuleCode::ArticleRead => t.rule_article_read,
            RuleCode::ReadingTime => t.rule_reading_time,
            RuleCode::VideoWatch => t.rule_video_watch,
            RuleCode::VideoTime => t.rule_video_time,
            RuleCode::DailyQuiz => t.rule_daily_quiz,
            RuleCode::WeeklyQuiz => t.rule_weekly_quiz,
            RuleCode::SpecialQuiz => t.rule_special_quiz,
            RuleCode::MeetingAttend => t.rule_meeting_attend,
            RuleCode::NoticeAck => t.rule_notice_ack,
            RuleCode::NoSignInWeek => t.rule_no_sign_in_week,
        }
    }
}

/// The span a cap counts over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CapPeriod {
    Day,
    Week,
    /// Per source item (one quiz, one meeting).
    Item,
    None,
}

impl CapPeriod {
    pub fn as_str(self) -> &'static str {
        match self {
            CapPeriod::Day => "day",
            CapPeriod::Week => "week",
            CapPeriod::Item => "item",
            CapPeriod::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            CapPeriod::Day,
            CapPeriod::Week,
            CapPeriod::Item,
            CapPeriod::None,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// One version of a rule: points per unit, its cap, and when it applies
/// (`effective_from` inclusive, `effective_to` exclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub id: i64,
    pub code: RuleCode,
    pub version: i32,
    pub points: i32,
    pub cap_period: CapPeriod,
    pub cap: Option<i32>,
    /// Further caps over a day and a week, whatever the rule's own period: a per-meeting or
    /// per-notice rule is also bounded by what a member can earn from them in a day and a
    /// week, however many are held.
    pub day_cap: Option<i32>,
    pub week_cap: Option<i32>,
    pub effective_from: DateTime<Utc>,
    pub effective_to: Option<DateTime<Utc>>,
}

impl Rule {
    pub fn applies_at(&self, at: DateTime<Utc>) -> bool {
        self.effective_from <= at && self.effective_to.is_none_or(|to| at < to)
    }

    /// Every cap an award of this rule at `at` for `item` counts against, as (cap key,
    /// cap), in key order (the order their rows are locked in): the rule's own period
    /// always (capped or not, its row serialises replays), then the day and the week.
    pub fn caps(&self, at: DateTime<Utc>, item: &str) -> Vec<(String, Option<i32>)> {
        let mut caps = vec![(cap_key(self.cap_period, at, item), self.cap)];
        if let Some(c) = self.day_cap.filter(|_| self.cap_period != CapPeriod::Day) {
            caps.push((cap_key(CapPeriod::Day, at, item), Some(c)));
        }
        if let Some(c) = self.week_cap.filter(|_| self.cap_period != CapPeriod::Week) {
            caps.push((cap_key(CapPeriod::Week, at, item), Some(c)));
        }
        caps.sort();
        caps
    }
}

/// How many of `want` points every cap still allows, given what has been earned against
/// each: (earned, cap).
pub fn allowed_by_all(want: i32, caps: &[(i32, Option<i32>)]) -> i32 {
    caps.iter()
        .fold(want, |left, &(earned, cap)| allowed(left, earned, cap))
}

/// The version of `code` in force at `at`, if any.
pub fn rule_at(rules: &[Rule], code: RuleCode, at: DateTime<Utc>) -> Option<&Rule> {
    rules.iter().find(|r| r.code == code && r.applies_at(at))
}

/// How many of `want` points a cap still allows when `earned` have been earned in its
/// period. Deductions (negative) are never capped here: their rule allows one per period
/// through the award's idempotency key.
pub fn allowed(want: i32, earned: i32, cap: Option<i32>) -> i32 {
    match cap {
        Some(cap) if want > 0 => want.min(cap - earned).max(0),
        _ => want,
    }
}

/// Weekly and special quizzes: 100% gives 5, 80% 3, 60% 1, less nothing.
pub fn score_band(correct: u32, total: u32) -> i32 {
    if total == 0 {
        return 0;
    }
    match correct * 100 / total {
        100.. => 5,
        80.. => 3,
        60.. => 1,
        _ => 0,
    }
}

/// The keys a moment's points are totalled under: day, ISO week, month, year, all time.
pub fn period_keys(at: DateTime<Utc>) -> [String; 5] {
    let day = crate::time::day_of(at);
    let week = day.iso_week();
    [
        format!("d:{day}"),
        format!("w:{}-W{:02}", week.year(), week.week()),
        format!("m:{}-{:02}", day.year(), day.month()),
        format!("y:{}", day.year()),
        "all".to_owned(),
    ]
}

/// The key a cap counts under for this rule at this moment (the item for per-item caps).
pub fn cap_key(period: CapPeriod, at: DateTime<Utc>, item: &str) -> String {
    let keys = period_keys(at);
    match period {
        CapPeriod::Day => keys[0].clone(),
        CapPeriod::Week => keys[1].clone(),
        CapPeriod::Item => format!("i:{item}"),
        CapPeriod::None => "all".to_owned(),
    }
}

/// Study hours a year: 32 for members, 56 for secretaries and committee members.
pub fn study_hours_target(serves_a_branch: bool) -> u32 {
    if serves_a_branch { 56 } else { 32 }
}

/// Points per unit for a new rule version: a whole number from -100 to 100, not 0; a
/// deduction rule stays negative and a reward positive.
pub fn parse_points(input: &str, code: RuleCode) -> Result<i32, Msg> {
    let points: i32 = input.trim().parse().map_err(|_| Msg::PointsInvalid)?;
    let deduction = code == RuleCode::NoSignInWeek;
    if points == 0 || !(-100..=100).contains(&points) || (points < 0) != deduction {
        return Err(Msg::PointsInvalid);
    }
    Ok(points)
}

/// A cap: empty for none, else a whole number from 1 to 1000.
pub fn parse_cap(input: &str) -> Result<Option<i32>, Msg> {
    match input.trim() {
        "" => Ok(None),
        s => s
            .parse::<i32>()
            .ok()
            .filter(|c| (1..=1000).contains(c))
            .map(Some)
            .ok_or(Msg::CapInvalid),
    }
}

/// The first day (YYYY-MM-DD, Asia/Shanghai) a new version applies: today or later, so that
/// nothing already earned changes. Returns the moment that day starts.
pub fn parse_start_day(input: &str, today: NaiveDate) -> Result<DateTime<Utc>, Msg> {
    let day = NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d").map_err(|_| Msg::DateInvalid)?;
    if day < today {
        return Err(Msg::RuleStartTooEarly);
    }
    crate::time::start_of(day).ok_or(Msg::DateInvalid)
}

/// A rule as the 积分 tab shows it: what has been earned against its caps so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub rule: Rule,
    /// Against the rule's own cap: this week's earnings for a weekly rule, else today's.
    pub earned: i32,
    /// (earned today, cap) and (earned this week, cap) for the rule's further caps.
    pub day_cap: Option<(i32, i32)>,
    pub week_cap: Option<(i32, i32)>,
}

/// The standing of each rule in force, in code order, from what has been earned per
/// (rule code, period key) in the day and the week of `at`.
pub fn standings(
    rules: &[Rule],
    earned: &[(String, String, i32)],
    at: DateTime<Utc>,
) -> Vec<Standing> {
    let keys = period_keys(at);
    RuleCode::ALL
        .into_iter()
        .filter_map(|code| rules.iter().find(|r| r.code == code))
        .map(|r| {
            let earned_in = |key: &str| {
                earned
                    .iter()
                    .find(|(c, k, _)| c == r.code.as_str() && k == key)
                    .map_or(0, |(_, _, e)| *e)
            };
            let (today, week) = (earned_in(&keys[0]), earned_in(&keys[1]));
            Standing {
                rule: r.clone(),
                earned: if r.cap_period == CapPeriod::Week {
                    week
                } else {
                    today
                },
                day_cap: r
                    .day_cap
                    .filter(|_| r.cap_period != CapPeriod::Day)
                    .map(|c| (today, c)),
                week_cap: r
                    .week_cap
                    .filter(|_| r.cap_period != CapPeriod::Week)
                    .map(|c| (week, c)),
            }
        })
        .collect()
}

/// The terms of a new rule version as posted, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleTerms {
    pub points: i32,
    pub cap: Option<i32>,
    /// The further caps: `None` when not sent, `Some(None)` when sent empty (there is none).
    pub day_cap: Option<Option<i32>>,
    pub week_cap: Option<Option<i32>>,
    /// When the version starts to apply.
    pub from: DateTime<Utc>,
}

/// A change of a rule as posted: the rule, and its new terms or every field's fault at
/// once, in the order of the form.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleChange {
    pub code: RuleCode,
    pub terms: Result<RuleTerms, Vec<FieldError>>,
}

impl RuleChange {
    /// `None` for a rule code this build does not know. Dates are checked against `today`
    /// (Asia/Shanghai): a version may not start in the past.
    pub fn parse(
        code: &str,
        points: &str,
        cap: &str,
        day_cap: Option<&str>,
        week_cap: Option<&str>,
        from: &str,
        today: NaiveDate,
    ) -> Option<Self> {
        let code = RuleCode::parse(code)?;
        let mut errors = Vec::new();
        let points = field_ok(&mut errors, "points", parse_points(points, code));
        let cap = field_ok(&mut errors, "cap", parse_cap(cap));
        let day_cap = day_cap.map(|c| field_ok(&mut errors, "day_cap", parse_cap(c)));
        let week_cap = week_cap.map(|c| field_ok(&mut errors, "week_cap", parse_cap(c)));
        let from = field_ok(&mut errors, "from", parse_start_day(from, today));
        let terms = match (points, cap, day_cap, week_cap, from) {
            (Some(points), Some(cap), day_cap, week_cap, Some(from)) if errors.is_empty() => {
                Ok(RuleTerms {
                    points,
                    cap,
                    // A sent cap that failed has left its error above.
                    day_cap: day_cap.map(Option::flatten),
                    week_cap: week_cap.map(Option::flatten),
                    from,
                })
            }
            _ => Err(errors),
        };
        Some(Self { code, terms })
    }
}

impl RuleTerms {
    /// The further day and week caps of a version that follows `current`: as sent, else as
    /// `current` has them. Refused unless it starts after `current` does, so that points
    /// already earned keep the version they were earned under.
    pub fn caps_after(&self, current: Option<&Rule>) -> Result<(Option<i32>, Option<i32>), Msg> {
        if current.is_some_and(|r| r.effective_from >= self.from) {
            return Err(Msg::RuleStartTooEarly);
        }
        let kept = |sent: Option<Option<i32>>, now: fn(&Rule) -> Option<i32>| {
            sent.unwrap_or_else(|| current.and_then(now))
        };
        Ok((
            kept(self.day_cap, |r| r.day_cap),
            kept(self.week_cap, |r| r.week_cap),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_points_source_is_its_word_on_the_wire_and_reads_back() {
        for p in PointSource::ALL {
            assert_eq!(PointSource::parse(p.as_str()), Some(p));
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(json, format!("\"{}\"", p.as_str()));
            assert_eq!(serde_json::from_str::<PointSource>(&json).unwrap(), p);
        }
        assert_eq!(PointSource::StudyItem.as_str(), "study_item");
        assert!(serde_json::from_str::<PointSource>("\"bench\"").is_err());
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    fn rule(version: i32, from: DateTime<Utc>, to: Option<DateTime<Utc>>) -> Rule {
        Rule {
            id: version as i64,
            code: RuleCode::ArticleRead,
            version,
            points: 1,
            cap_period: CapPeriod::Day,
            cap: Some(6),
            day_cap: None,
            week_cap: None,
            effective_from: from,
            effective_to: to,
        }
    }

    #[test]
    fn point_weeks_are_iso_weeks_from_monday_in_shanghai() {
        // Sunday 2026-11-29 23:30 Shanghai is still week 48; Monday 00:30 is week 49.
        assert_eq!(period_keys(utc(2026, 11, 29, 15, 30))[1], "w:2026-W48");
        assert_eq!(period_keys(utc(2026, 11, 29, 16, 30))[1], "w:2026-W49");
    }

    #[test]
    fn a_year_end_week_belongs_to_its_iso_year() {
        // Thursday 2026-12-31 is in ISO week 53 of 2026; the month and year keys are 2026's.
        let keys = period_keys(utc(2026, 12, 31, 4, 0));
        assert_eq!(
            keys,
            ["d:2026-12-31", "w:2026-W53", "m:2026-12", "y:2026", "all"].map(String::from)
        );
    }

    #[test]
    fn a_daily_cap_fills_and_starts_again_after_shanghai_midnight() {
        let before = cap_key(CapPeriod::Day, utc(2026, 11, 23, 15, 59), "a1");
        let after = cap_key(CapPeriod::Day, utc(2026, 11, 23, 16, 1), "a1");
        assert_ne!(before, after);
        assert_eq!(allowed(1, 6, Some(6)), 0);
        assert_eq!(allowed(1, 0, Some(6)), 1);
        assert_eq!(
            cap_key(CapPeriod::Item, utc(2026, 11, 23, 1, 0), "quiz:7"),
            "i:quiz:7"
        );
    }

    #[test]
    fn an_award_is_cut_to_what_the_cap_still_allows() {
        assert_eq!(allowed(4, 3, Some(6)), 3);
        assert_eq!(allowed(4, 0, Some(6)), 4);
        assert_eq!(allowed(10, 0, Some(5)), 5);
        assert_eq!(allowed(3, 7, Some(6)), 0);
        assert_eq!(allowed(9, 100, None), 9);
        assert_eq!(allowed(-1, 0, Some(1)), -1);
    }

    #[test]
    fn score_bands_follow_the_domain_rules() {
        assert_eq!(score_band(5, 5), 5);
        assert_eq!(score_band(4, 5), 3);
        assert_eq!(score_band(3, 5), 1);
        assert_eq!(score_band(2, 5), 0);
        assert_eq!(score_band(8, 10), 3);
        assert_eq!(score_band(0, 0), 0);
    }

    #[test]
    fn the_rule_version_in_force_is_chosen_by_time() {
        let cut = utc(2026, 1, 1, 0, 0);
        let rules = vec![
            rule(1, utc(2020, 1, 1, 0, 0), Some(cut)),
            rule(2, cut, None),
        ];
        assert_eq!(
            rule_at(&rules, RuleCode::ArticleRead, utc(2025, 12, 31, 23, 59))
                .unwrap()
                .version,
            1
        );
        assert_eq!(
            rule_at(&rules, RuleCode::ArticleRead, cut).unwrap().version,
            2
        );
        assert!(rule_at(&rules, RuleCode::ArticleRead, utc(2019, 1, 1, 0, 0)).is_none());
        assert!(rule_at(&rules, RuleCode::VideoWatch, cut).is_none());
    }

    #[test]
    fn a_new_rule_version_is_checked_before_it_is_saved() {
        use crate::error::Msg;
        assert_eq!(parse_points("2", RuleCode::ArticleRead), Ok(2));
        assert_eq!(
            parse_points("-1", RuleCode::ArticleRead),
            Err(Msg::PointsInvalid)
        );
        assert_eq!(parse_points("-2", RuleCode::NoSignInWeek), Ok(-2));
        assert_eq!(
            parse_points("0", RuleCode::ArticleRead),
            Err(Msg::PointsInvalid)
        );
        assert_eq!(
            parse_points("1.5", RuleCode::ArticleRead),
            Err(Msg::PointsInvalid)
        );
        assert_eq!(parse_cap(""), Ok(None));
        assert_eq!(parse_cap("8"), Ok(Some(8)));
        assert_eq!(parse_cap("0"), Err(Msg::CapInvalid));
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(
            parse_start_day("2026-11-23", today),
            Ok(utc(2026, 11, 22, 16, 0))
        );
        assert_eq!(
            parse_start_day("2026-11-22", today),
            Err(Msg::RuleStartTooEarly)
        );
        assert_eq!(parse_start_day("23/11/2026", today), Err(Msg::DateInvalid));
    }

    #[test]
    fn the_tab_shows_a_weekly_rule_against_the_week_and_the_others_against_the_day() {
        let at = utc(2026, 12, 3, 4, 0);
        let quiz = Rule {
            code: RuleCode::WeeklyQuiz,
            cap_period: CapPeriod::Week,
            cap: Some(5),
            day_cap: Some(3),
            week_cap: Some(9),
            ..rule(1, utc(2020, 1, 1, 0, 0), None)
        };
        let read = Rule {
            day_cap: Some(4),
            week_cap: Some(20),
            ..rule(1, utc(2020, 1, 1, 0, 0), None)
        };
        let earned = [
            ("weekly_quiz", "d:2026-12-03", 1),
            ("weekly_quiz", "w:2026-W49", 4),
            ("article_read", "d:2026-12-03", 2),
            ("article_read", "w:2026-W49", 7),
            ("article_read", "d:2026-12-02", 6),
        ]
        .map(|(c, k, e)| (c.to_owned(), k.to_owned(), e));
        let shown = standings(&[quiz.clone(), read.clone()], &earned, at);
        // In code order, whatever order the rules come in.
        assert_eq!(
            shown,
            vec![
                Standing {
                    rule: read,
                    earned: 2,
                    day_cap: None,
                    week_cap: Some((7, 20)),
                },
                Standing {
                    rule: quiz,
                    earned: 4,
                    day_cap: Some((1, 3)),
                    week_cap: None,
                },
            ]
        );
    }

    #[test]
    fn a_rule_change_reports_every_bad_field_at_once_and_an_unknown_rule_is_none() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(
            RuleChange::parse("free_lunch", "1", "", None, None, "2026-11-24", today),
            None
        );
        let bad = RuleChange::parse(
            "article_read",
            "0",
            "-3",
            Some("x"),
            None,
            "2026-11-22",
            today,
        )
        .unwrap();
        assert_eq!(
            bad.terms,
            Err(vec![
                FieldError::new("points", Msg::PointsInvalid),
                FieldError::new("cap", Msg::CapInvalid),
                FieldError::new("day_cap", Msg::CapInvalid),
                FieldError::new("from", Msg::RuleStartTooEarly),
            ])
        );
        let good = RuleChange::parse(
            "article_read",
            "2",
            "8",
            Some(""),
            None,
            "2026-11-24",
            today,
        )
        .unwrap();
        assert_eq!(
            good.terms,
            Ok(RuleTerms {
                points: 2,
                cap: Some(8),
                day_cap: Some(None),
                week_cap: None,
                from: utc(2026, 11, 23, 16, 0),
            })
        );
    }

    #[test]
    fn a_further_cap_not_sent_stays_as_it_was_and_one_sent_empty_is_removed() {
        let current = Rule {
            day_cap: Some(10),
            week_cap: Some(20),
            ..rule(1, utc(2020, 1, 1, 0, 0), None)
        };
        let terms = RuleTerms {
            points: 1,
            cap: None,
            day_cap: Some(None),
            week_cap: None,
            from: utc(2026, 11, 23, 16, 0),
        };
        assert_eq!(terms.caps_after(Some(&current)), Ok((None, Some(20))));
        let sent = RuleTerms {
            day_cap: Some(Some(3)),
            ..terms.clone()
        };
        assert_eq!(sent.caps_after(Some(&current)), Ok((Some(3), Some(20))));
        assert_eq!(terms.caps_after(None), Ok((None, None)));
    }

    #[test]
    fn a_new_version_must_start_after_the_one_it_follows() {
        let from = utc(2026, 11, 23, 16, 0);
        let terms = RuleTerms {
            points: 1,
            cap: None,
            day_cap: None,
            week_cap: None,
            from,
        };
        assert_eq!(
            terms.caps_after(Some(&rule(2, from, None))),
            Err(Msg::RuleStartTooEarly)
        );
        let earlier = from - chrono::Duration::days(1);
        assert!(terms.caps_after(Some(&rule(2, earlier, None))).is_ok());
    }

    #[test]
    fn codes_round_trip() {
        for c in RuleCode::ALL {
            assert_eq!(RuleCode::parse(c.as_str()), Some(c));
        }
        assert_eq!(study_hours_target(false), 32);
        assert_eq!(study_hours_target(true), 56);
    }

    #[test]
    fn a_per_meeting_rule_is_also_capped_by_the_day_and_the_week() {
        let at = utc(2026, 12, 3, 4, 0);
        let meeting = Rule {
            code: RuleCode::MeetingAttend,
            points: 5,
            cap_period: CapPeriod::Item,
            cap: Some(5),
            day_cap: Some(10),
            week_cap: Some(20),
            ..rule(1, utc(2020, 1, 1, 0, 0), None)
        };
        assert_eq!(
            meeting.caps(at, "meeting:7"),
            vec![
                ("d:2026-12-03".to_owned(), Some(10)),
                ("i:meeting:7".to_owned(), Some(5)),
                ("w:2026-W49".to_owned(), Some(20)),
            ]
        );
        // A third meeting on one day pays nothing, a second pays in full.
        assert_eq!(
            allowed_by_all(5, &[(10, Some(10)), (0, Some(5)), (10, Some(20))]),
            0
        );
        assert_eq!(
            allowed_by_all(5, &[(5, Some(10)), (0, Some(5)), (15, Some(20))]),
            5
        );
        assert_eq!(
            allowed_by_all(5, &[(0, Some(10)), (0, Some(5)), (18, Some(20))]),
            2
        );
        // A day rule's own cap is its day cap: no second row for the same day.
        let daily = rule(1, utc(2020, 1, 1, 0, 0), None);
        let daily = Rule {
            day_cap: Some(3),
            ..daily
        };
        assert_eq!(
            daily.caps(at, "a"),
            vec![("d:2026-12-03".to_owned(), Some(6))]
        );
    }
}
