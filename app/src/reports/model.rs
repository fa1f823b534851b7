//! The committee's dashboard as numbers: a report period (a month or a quarter), each
//! branch's figures over it, the subtree's totals, and the change since the previous period.
//! No I/O.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ids::OrgId;

/// A report period: a month ("2026-11") or a quarter ("2026-Q4").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReportPeriod {
    Month { year: i32, month: u32 },
    Quarter { year: i32, quarter: u32 },
}

impl ReportPeriod {
    pub fn parse(s: &str) -> Option<Self> {
        let (year, rest) = s.trim().split_once('-')?;
        let year = year
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))?;
        if let Some(q) = rest.strip_prefix('Q') {
            let quarter = q.parse::<u32>().ok().filter(|q| (1..=4).contains(q))?;
            return Some(Self::Quarter { year, quarter });
        }
        let month = rest.parse::<u32>().ok().filter(|m| (1..=12).contains(m))?;
        Some(Self::Month { year, month })
    }

    pub fn month_of(day: NaiveDate) -> Self {
        Self::Month {
            year: day.year(),
            month: day.month(),
        }
    }

    pub fn quarter_of(day: NaiveDate) -> Self {
        Self::Quarter {
            year: day.year(),
            quarter: (day.month() - 1) / 3 + 1,
        }
    }

    pub fn is_quarter(self) -> bool {
        matches!(self, Self::Quarter { .. })
    }

    /// Its first day.
    pub fn start(self) -> NaiveDate {
        let (year, month) = match self {
            Self::Month { year, month } => (year, month),
            Self::Quarter { year, quarter } => (year, quarter * 3 - 2),
        };
        NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default()
    }

    /// The day after it ends.
    pub fn end(self) -> NaiveDate {
        let months = if self.is_quarter() { 3 } else { 1 };
        self.start() + chrono::Months::new(months)
    }

    /// The period of the same length just before.
    pub fn previous(self) -> Self {
        let before = self.start() - chrono::Days::new(1);
        match self {
            Self::Month { .. } => Self::month_of(before),
            Self::Quarter { .. } => Self::quarter_of(before),
        }
    }

    /// The keys of the running monthly totals it covers (`m:2026-10`, ...).
    pub fn month_keys(self) -> Vec<String> {
        let n = if self.is_quarter() { 3 } else { 1 };
        (0..n)
            .map(|i| {
                let d = self.start() + chrono::Months::new(i);
                format!("m:{}-{:02}", d.year(), d.month())
            })
            .collect()
    }

    /// The star-rating period it falls in (ratings are by quarter).
    pub fn rating_key(self) -> String {
        match Self::quarter_of(self.start()) {
            Self::Quarter { year, quarter } => format!("{year}-Q{quarter}"),
            Self::Month { .. } => unreachable!("quarter_of gives a quarter"),
        }
    }

    /// Whether it has ended by `today`.
    pub fn ended_by(self, today: NaiveDate) -> bool {
        self.end() <= today
    }
}

impl std::fmt::Display for ReportPeriod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Month { year, month } => write!(f, "{year}-{month:02}"),
            Self::Quarter { year, quarter } => write!(f, "{year}-Q{quarter}"),
        }
    }
}

/// One branch's figures over a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BranchFigures {
    pub org_id: OrgId,
    pub name: String,
    /// Its own members (mobile members are counted where they belong).
    pub members: i64,
    /// Members who studied in the period.
    pub participants: i64,
    pub points: i64,
    /// Seconds of study by its members in the period.
    pub study_secs: i64,
    /// Members who handed in a quiz in the period.
    pub quiz_takers: i64,
    /// Members who owe dues (full and probationary Party members, League members) and of
    /// them those paid for every month of the period.
    pub dues_owing: i64,
    pub dues_paid: i64,
    /// Steps of members' development (发展党员、团员) recorded in the period.
    pub dev_steps: i64,
    /// Required organization life held on time, records accepted, transfer steps handled
    /// in time: percent, none when nothing fell due.
    pub meetings: Option<u32>,
    pub records: Option<u32>,
    pub transfers: Option<u32>,
}

/// What the dashboard measures, each for the subtree and for each branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Measure {
    /// 参学率: members who studied / members, percent.
    Participation,
    /// Hours of study per member.
    StudyHours,
    /// Members who handed in a quiz / members, percent.
    QuizParticipation,
    PointsPerMember,
    /// Required organization life held on time, percent (the branches' average).
    MeetingsOnTime,
    /// Records accepted of those held, percent (the branches' average).
    RecordsAccepted,
    /// Transfer steps handled within ten days, percent (the branches' average).
    TransfersInTime,
    /// Members paid up for every month of the period / members who owe dues, percent.
    DuesPaid,
    /// Development steps recorded in the period (a count, summed over the branches).
    DevelopmentSteps,
}

impl Measure {
    pub const ALL: [Measure; 9] = [
        Measure::Participation,
        Measure::StudyHours,
        Measure::QuizParticipation,
        Measure::PointsPerMember,
        Measure::MeetingsOnTime,
        Measure::RecordsAccepted,
        Measure::TransfersInTime,
        Measure::DuesPaid,
        Measure::DevelopmentSteps,
    ];

    pub fn label(self, t: &crate::i18n::Strings) -> &'static str {
        match self {
            Measure::Participation => t.component_participation,
            Measure::StudyHours => t.measure_study_hours,
            Measure::QuizParticipation => t.measure_quiz,
            Measure::PointsPerMember => t.component_per_member,
            Measure::MeetingsOnTime => t.component_meetings,
            Measure::RecordsAccepted => t.measure_records,
            Measure::TransfersInTime => t.measure_transfers,
            Measure::DuesPaid => t.measure_dues,
            Measure::DevelopmentSteps => t.measure_development,
        }
    }

    /// The page behind the figure, for the organization `org`.
    pub fn link(self, org: OrgId) -> String {
        match self {
            Measure::Participation
            | Measure::StudyHours
            | Measure::QuizParticipation
            | Measure::PointsPerMember => "/rankings?view=orgs".to_owned(),
            Measure::MeetingsOnTime | Measure::RecordsAccepted => {
                format!("/orglife/compliance?org={org}")
            }
            Measure::TransfersInTime => "/transfers/overdue".to_owned(),
            Measure::DuesPaid => format!("/orglife/dues?org={org}"),
            Measure::DevelopmentSteps => format!("/orglife/development?org={org}"),
        }
    }

    pub fn is_percent(self) -> bool {
        !matches!(
            self,
            Measure::StudyHours | Measure::PointsPerMember | Measure::DevelopmentSteps
        )
    }

    /// A branch's value, none when it has nothing to measure (no members, nothing due).
    pub fn of(self, b: &BranchFigures) -> Option<f64> {
        let per_member = |n: i64| (b.members > 0).then(|| n as f64 / b.members as f64);
        match self {
            Measure::Participation => per_member(b.participants).map(|r| r * 100.0),
            Measure::StudyHours => per_member(b.study_secs).map(|s| s / 3600.0),
            Measure::QuizParticipation => per_member(b.quiz_takers).map(|r| r * 100.0),
            Measure::PointsPerMember => per_member(b.points),
            Measure::MeetingsOnTime => b.meetings.map(f64::from),
            Measure::RecordsAccepted => b.records.map(f64::from),
            Measure::TransfersInTime => b.transfers.map(f64::from),
            Measure::DuesPaid => {
                (b.dues_owing > 0).then(|| b.dues_paid as f64 * 100.0 / b.dues_owing as f64)
            }
            Measure::DevelopmentSteps => Some(b.dev_steps as f64),
        }
    }

    /// The subtree's value: over all its members for the member measures, the average of
    /// the branches that had something due for the others.
    pub fn total(self, branches: &[BranchFigures]) -> Option<f64> {
        match self {
            Measure::Participation
            | Measure::StudyHours
            | Measure::QuizParticipation
            | Measure::PointsPerMember
            | Measure::DuesPaid
            | Measure::DevelopmentSteps => {
                let sum = |f: fn(&BranchFigures) -> i64| branches.iter().map(f).sum::<i64>();
                let all = BranchFigures {
                    org_id: OrgId(0),
                    name: String::new(),
                    members: sum(|b| b.members),
                    participants: sum(|b| b.participants),
                    points: sum(|b| b.points),
                    study_secs: sum(|b| b.study_secs),
                    quiz_takers: sum(|b| b.quiz_takers),
                    dues_owing: sum(|b| b.dues_owing),
                    dues_paid: sum(|b| b.dues_paid),
                    dev_steps: sum(|b| b.dev_steps),
                    meetings: None,
                    records: None,
                    transfers: None,
                };
                self.of(&all)
            }
            _ => {
                let values: Vec<f64> = branches.iter().filter_map(|b| self.of(b)).collect();
                (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
            }
        }
    }

    /// Decimals written: none for a count, one for the others.
    pub fn decimals(self) -> usize {
        if self == Measure::DevelopmentSteps {
            0
        } else {
            1
        }
    }

    /// A value as the dashboard writes it, with "%" for a percent.
    pub fn write(self, value: Option<f64>) -> String {
        let d = self.decimals();
        match value {
            None => "—".to_owned(),
            Some(v) if self.is_percent() => format!("{v:.d$}%"),
            Some(v) => format!("{v:.d$}"),
        }
    }
}

/// A measure's value now and in the previous period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Compared {
    pub now: Option<f64>,
    pub before: Option<f64>,
}

impl Compared {
    /// The change, rounded to one decimal (percentage points for a percent); none when
    /// either side is missing.
    pub fn change(self) -> Option<f64> {
        Some(((self.now? - self.before?) * 10.0).round() / 10.0)
    }

    /// The change as written with `decimals` and `unit` after a figure: "+2.5", "−1.0",
    /// "±0".
    pub fn write_change(self, unit: &str, decimals: usize) -> String {
        let d = decimals;
        match self.change() {
            None => "—".to_owned(),
            Some(c) if c > 0.0 => format!("+{c:.d$}{unit}"),
            Some(c) if c < 0.0 => format!("−{:.d$}{unit}", -c),
            Some(_) => "±0".to_owned(),
        }
    }
}

/// The branches by a measure, weakest first, those with nothing to measure last; ties by
/// name.
pub fn weakest_first(branches: &mut [BranchFigures], m: Measure) {
    branches.sort_by(|a, b| {
        let key = |x: &BranchFigures| m.of(x).unwrap_or(f64::INFINITY);
        key(a).total_cmp(&key(b)).then_with(|| a.name.cmp(&b.name))
    });
}

/// How many branches got each number of stars (5, 4, 3, 2, 0).
pub fn star_counts(stars: &[u8]) -> [i64; 5] {
    let mut out = [0; 5];
    for s in stars {
        let i = match s {
            5 => 0,
            4 => 1,
            3 => 2,
            2 => 3,
            _ => 4,
        };
        out[i] += 1;
    }
    out
}

/// A cell of an exported sheet: text (made formula-safe where it is written, see
/// [`Cell::sheet_text`]) or a number.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    /// The cell as a sheet's text: a text that a spreadsheet program would take for a
    /// formula (`=`, `+`, `-`, `@`, tab, carriage return first) is quoted; a number is
    /// written without a needless fraction. The one place export cells become text.
    pub fn sheet_text(&self) -> String {
        match self {
            Cell::Text(s) => crate::uploads::model::formula_safe(s).into_owned(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{n:.0}"),
            Cell::Number(n) => n.to_string(),
        }
    }
}

/// At most this many rows go in one exported file; a larger scope is narrowed first.
pub const MOST_ROWS: usize = 50_000;

/// The sheets a committee exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Export {
    /// The dashboard's table: every measure for every branch.
    Branches,
    /// Study per member over the period.
    Study,
    /// The members now.
    Roster,
    /// The transfers in and out started in the period.
    Transfers,
    /// The star ratings of the period's quarter.
    Ratings,
}

impl Export {
    pub const ALL: [Export; 5] = [
        Export::Branches,
        Export::Study,
        Export::Roster,
        Export::Transfers,
        Export::Ratings,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Export::Branches => "branches",
            Export::Study => "study",
            Export::Roster => "roster",
            Export::Transfers => "transfers",
            Export::Ratings => "ratings",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// The column heads, in Chinese as the sheets go upward.
    pub fn header(self) -> &'static [&'static str] {
        match self {
            Export::Branches => &[
                "支部",
                "党（团）员数",
                "参学人数",
                "参学率（%）",
                "人均学习时长（小时）",
                "答题参与率（%）",
                "人均积分",
                "组织生活按时率（%）",
                "记录通过率（%）",
                "转接按时办理率（%）",
                "党（团）费按月交纳率（%）",
                "发展工作记录（条）",
            ],
            Export::Study => &[
                "姓名",
                "组织",
                "学习时长（小时）",
                "学习天数",
                "完成学习内容",
            ],
            Export::Roster => &[
                "姓名",
                "手机号",
                "组织",
                "身份",
                "加入时间",
                "流动党员原组织",
            ],
            Export::Transfers => &[
                "编号",
                "姓名",
                "转出组织",
                "转入组织",
                "状态",
                "发起日期",
                "办结日期",
                "历时（天）",
            ],
            Export::Ratings => &["支部", "得分", "星级", "状态"],
        }
    }

    pub fn label(self, t: &crate::i18n::Strings) -> &'static str {
        match self {
            Export::Branches => t.export_branches,
            Export::Study => t.export_study,
            Export::Roster => t.export_roster,
            Export::Transfers => t.export_transfers,
            Export::Ratings => t.export_ratings,
        }
    }
}

/// A branch's row in the dashboard's exported table.
pub fn branch_cells(b: &BranchFigures) -> Vec<Cell> {
    let value = |m: Measure| match m.of(b) {
        Some(v) => Cell::Number((v * 10.0).round() / 10.0),
        None => Cell::Text(String::new()),
    };
    vec![
        Cell::Text(b.name.clone()),
        Cell::Number(b.members as f64),
        Cell::Number(b.participants as f64),
        value(Measure::Participation),
        value(Measure::StudyHours),
        value(Measure::QuizParticipation),
        value(Measure::PointsPerMember),
        value(Measure::MeetingsOnTime),
        value(Measure::RecordsAccepted),
        value(Measure::TransfersInTime),
        value(Measure::DuesPaid),
        value(Measure::DevelopmentSteps),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn branch(members: i64, participants: i64, meetings: Option<u32>) -> BranchFigures {
        BranchFigures {
            org_id: OrgId(1),
            name: format!("支部{members}"),
            members,
            participants,
            points: participants * 10,
            study_secs: participants * 3600,
            quiz_takers: participants / 2,
            dues_owing: members,
            dues_paid: members / 2,
            dev_steps: 1,
            meetings,
            records: None,
            transfers: None,
        }
    }

    #[test]
    fn periods_parse_and_step_back_across_years() {
        let m = ReportPeriod::parse("2026-01").unwrap();
        assert_eq!(m.to_string(), "2026-01");
        assert_eq!(m.previous().to_string(), "2025-12");
        assert_eq!(m.end(), day(2026, 2, 1));
        assert_eq!(m.month_keys(), vec!["m:2026-01"]);
        assert_eq!(m.rating_key(), "2026-Q1");
        let q = ReportPeriod::parse(" 2026-Q1 ").unwrap();
        assert_eq!(q.previous().to_string(), "2025-Q4");
        assert_eq!(q.end(), day(2026, 4, 1));
        assert_eq!(
            ReportPeriod::parse("2026-Q4").unwrap().month_keys(),
            vec!["m:2026-10", "m:2026-11", "m:2026-12"]
        );
        for bad in [
            "2026", "2026-13", "2026-Q5", "2026-00", "1999-01", "soon", "2026-1x", "",
        ] {
            assert_eq!(ReportPeriod::parse(bad), None, "{bad}");
        }
        assert!(
            ReportPeriod::parse("2026-11")
                .unwrap()
                .ended_by(day(2026, 12, 1))
        );
        assert!(
            !ReportPeriod::parse("2026-12")
                .unwrap()
                .ended_by(day(2026, 12, 31))
        );
    }

    #[test]
    fn the_subtree_counts_members_for_study_and_averages_branches_for_organization_life() {
        let branches = vec![
            branch(10, 5, Some(100)),
            branch(30, 3, None),
            branch(0, 0, Some(50)),
        ];
        let p = Measure::Participation.total(&branches).unwrap();
        assert!((p - 20.0).abs() < 1e-9, "8 of 40 members: {p}");
        assert_eq!(Measure::MeetingsOnTime.total(&branches), Some(75.0));
        assert_eq!(Measure::RecordsAccepted.total(&branches), None);
        assert_eq!(Measure::Participation.of(&branches[2]), None);
        assert_eq!(Measure::StudyHours.write(Some(0.2)), "0.2");
        assert_eq!(Measure::Participation.write(Some(20.0)), "20.0%");
        assert_eq!(Measure::Participation.write(None), "—");
        assert_eq!(Measure::DevelopmentSteps.write(Some(2.0)), "2");
        assert_eq!(
            Compared {
                now: Some(0.0),
                before: Some(2.0)
            }
            .write_change("", 0),
            "−2"
        );
    }

    #[test]
    fn changes_are_written_with_their_sign_and_missing_sides_give_none() {
        let c = |now, before| Compared { now, before };
        assert_eq!(c(Some(52.5), Some(50.0)).write_change("pt", 1), "+2.5pt");
        assert_eq!(c(Some(1.0), Some(2.04)).write_change("", 1), "−1.0");
        assert_eq!(c(Some(3.0), Some(3.0)).write_change("", 1), "±0");
        assert_eq!(c(Some(3.0), None).write_change("pt", 1), "—");
        assert_eq!(c(None, Some(3.0)).change(), None);
    }

    #[test]
    fn export_cells_are_formula_safe_in_one_place_and_rows_match_their_header() {
        assert_eq!(Cell::Text("=1+2".into()).sheet_text(), "'=1+2");
        assert_eq!(Cell::Text("-3".into()).sheet_text(), "'-3");
        assert_eq!(Cell::Text("王芳".into()).sheet_text(), "王芳");
        assert_eq!(Cell::Number(12.0).sheet_text(), "12");
        assert_eq!(Cell::Number(-2.5).sheet_text(), "-2.5");
        let row = branch_cells(&branch(10, 5, Some(100)));
        assert_eq!(row.len(), Export::Branches.header().len());
        assert_eq!(row[3], Cell::Number(50.0));
        assert_eq!(row[8], Cell::Text(String::new()));
        for e in Export::ALL {
            assert_eq!(Export::parse(e.as_str()), Some(e));
        }
        assert_eq!(Export::parse("users"), None);
    }

    #[test]
    fn the_weakest_come_first_and_those_without_a_value_last() {
        let mut b = vec![branch(10, 9, None), branch(0, 0, None), branch(20, 2, None)];
        weakest_first(&mut b, Measure::Participation);
        let members: Vec<i64> = b.iter().map(|x| x.members).collect();
        assert_eq!(members, vec![20, 10, 0]);
        assert_eq!(star_counts(&[5, 4, 4, 0, 3]), [1, 2, 1, 0, 1]);
    }
}
