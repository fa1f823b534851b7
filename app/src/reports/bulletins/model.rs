//! A bulletin (月督查、季通报): a committee's figures for an ended month or quarter as they
//! stood when the period ended, its best and weakest branches and the organization life
//! left undone, kept as made. It holds keys and numbers, never prose: it is worded in the
//! reader's language when read.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::super::model::{BranchFigures, Compared, Measure, ReportPeriod};
use crate::org_life::meetings::model::MeetingKind;
use crate::orgs::model::Tree;

/// How many branches are named at each end.
pub const NAMED: usize = 3;

/// A branch named in a bulletin with its study figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Named {
    pub name: String,
    pub participation: Option<f64>,
    pub per_member: Option<f64>,
}

/// A branch's required organization life of the period that was not held in time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overdue {
    pub branch: String,
    pub tree: Tree,
    /// Each item: its kind and its period (first and last day).
    pub items: Vec<(MeetingKind, NaiveDate, NaiveDate)>,
}

/// A committee's bulletin for one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bulletin {
    pub org_name: String,
    pub period: ReportPeriod,
    pub made_on: NaiveDate,
    pub branches: usize,
    pub members: i64,
    pub measures: Vec<(Measure, Compared)>,
    pub best: Vec<Named>,
    pub weakest: Vec<Named>,
    pub overdue: Vec<Overdue>,
    /// Branches by published stars of the period's quarter: 5, 4, 3, 2, rectify.
    pub stars: [i64; 5],
}

/// What a bulletin is made from.
pub struct Inputs<'a> {
    pub org_name: String,
    pub period: ReportPeriod,
    pub made_on: NaiveDate,
    pub now: &'a [BranchFigures],
    pub before: &'a [BranchFigures],
    pub overdue: Vec<Overdue>,
    pub stars: [i64; 5],
}

/// The bulletin of `i`: every measure against the period before; the best and the weakest
/// branches by 参学率, then points per member (branches without members are not named, and
/// a branch is never named at both ends).
pub fn bulletin(i: Inputs<'_>) -> Bulletin {
    let measures = Measure::ALL
        .into_iter()
        .map(|m| {
            (
                m,
                Compared {
                    now: m.total(i.now),
                    before: m.total(i.before),
                },
            )
        })
        .collect();
    let mut ranked: Vec<&BranchFigures> = i.now.iter().filter(|b| b.members > 0).collect();
    let score = |b: &BranchFigures| {
        (
            Measure::Participation.of(b).unwrap_or(0.0),
            Measure::PointsPerMember.of(b).unwrap_or(0.0),
        )
    };
    ranked.sort_by(|a, b| {
        let (sa, sb) = (score(a), score(b));
        sb.0.total_cmp(&sa.0)
            .then(sb.1.total_cmp(&sa.1))
            .then_with(|| a.name.cmp(&b.name))
    });
    let named = |b: &&BranchFigures| Named {
        name: b.name.clone(),
        participation: Measure::Participation.of(b),
        per_member: Measure::PointsPerMember.of(b),
    };
    let ends = NAMED.min(ranked.len() / 2);
    let best = ranked.iter().take(ends).map(named).collect();
    let weakest = ranked.iter().rev().take(ends).map(named).collect();
    Bulletin {
        org_name: i.org_name,
        period: i.period,
        made_on: i.made_on,
        branches: i.now.len(),
        members: i.now.iter().map(|b| b.members).sum(),
        measures,
        best,
        weakest,
        overdue: i.overdue,
        stars: i.stars,
    }
}

/// The periods whose bulletins are due on `today`: the month and the quarter that ended
/// last.
pub fn due_periods(today: NaiveDate) -> [ReportPeriod; 2] {
    [
        ReportPeriod::month_of(today).previous(),
        ReportPeriod::quarter_of(today).previous(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::OrgId;

    fn branch(name: &str, members: i64, participants: i64, points: i64) -> BranchFigures {
        BranchFigures {
            org_id: OrgId(1),
            name: name.to_owned(),
            members,
            participants,
            points,
            study_secs: 0,
            quiz_takers: 0,
            dues_owing: 0,
            dues_paid: 0,
            dev_steps: 0,
            meetings: None,
            records: None,
            transfers: None,
        }
    }

    fn inputs<'a>(now: &'a [BranchFigures], before: &'a [BranchFigures]) -> Inputs<'a> {
        Inputs {
            org_name: "甲公司党委".into(),
            period: ReportPeriod::parse("2026-11").unwrap(),
            made_on: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            now,
            before,
            overdue: vec![],
            stars: [0; 5],
        }
    }

    #[test]
    fn the_best_and_weakest_are_named_once_each_by_participation_then_points() {
        let now = vec![
            branch("甲", 10, 9, 10),
            branch("乙", 10, 5, 90),
            branch("丙", 10, 5, 20),
            branch("丁", 10, 1, 0),
            branch("戊", 0, 0, 0),
            branch("己", 10, 2, 0),
            branch("庚", 10, 8, 0),
            branch("辛", 10, 7, 0),
        ];
        let b = bulletin(inputs(&now, &[]));
        let names = |v: &[Named]| v.iter().map(|n| n.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&b.best), vec!["甲", "庚", "辛"]);
        assert_eq!(names(&b.weakest), vec!["丁", "己", "丙"]);
        assert_eq!(b.branches, 8);
        assert_eq!(b.members, 70);
        let (m, c) = b.measures[0];
        assert_eq!(m, Measure::Participation);
        assert_eq!(c.before, None);
        // Two branches: one at each end; one: none.
        let two = vec![branch("甲", 10, 9, 0), branch("乙", 10, 1, 0)];
        let b = bulletin(inputs(&two, &two));
        assert_eq!(
            (names(&b.best), names(&b.weakest)),
            (vec!["甲".to_owned()], vec!["乙".to_owned()])
        );
        assert!(bulletin(inputs(&two[..1], &[])).best.is_empty());
    }

    #[test]
    fn the_last_ended_month_and_quarter_are_due() {
        let due = due_periods(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        assert_eq!(
            due.map(|p| p.to_string()),
            ["2026-12".to_owned(), "2026-Q4".to_owned()]
        );
        let due = due_periods(NaiveDate::from_ymd_opt(2026, 12, 7).unwrap());
        assert_eq!(
            due.map(|p| p.to_string()),
            ["2026-11".to_owned(), "2026-Q3".to_owned()]
        );
    }
}
