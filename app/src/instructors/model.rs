//! Instructors (指导员/联络员) as numbers and rules: what they follow and the next action on
//! each, with its age. No I/O.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{ApplicationId, OrgId};
use crate::org_life::calendar::model::Span;
use crate::org_life::compliance::model::IDLE_DAYS;
use crate::org_life::meetings::model::MeetingKind;
use crate::orgs::model::Tree;

/// What an instructor follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    Org(OrgId),
    Application(ApplicationId),
}

impl Target {
    /// The target a form names: an organization or an application, exactly one.
    pub fn of(org: Option<OrgId>, application: Option<ApplicationId>) -> Option<Self> {
        match (org, application) {
            (Some(o), None) => Some(Self::Org(o)),
            (None, Some(a)) => Some(Self::Application(a)),
            _ => None,
        }
    }
}

/// The next thing to do about what an instructor follows, with the day it became due (its
/// age is counted from there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum NextAction {
    /// A required item whose period ended without it (the oldest one).
    Overdue {
        kind: MeetingKind,
        tree: Tree,
        since: NaiveDate,
    },
    /// A record the branch submitted and the superior has not reviewed.
    RecordWaiting { since: NaiveDate },
    /// Nothing held for six months.
    Idle { since: Option<NaiveDate> },
    /// The next required item of the current period, due by `by`.
    Due {
        kind: MeetingKind,
        tree: Tree,
        by: NaiveDate,
    },
    /// An application waiting for its committee's review.
    Review { since: NaiveDate },
    /// An application sent back to the enterprise for more information.
    AwaitingApplicant { since: NaiveDate },
    /// An application approved: the new organization's first meeting is the next step.
    FirstMeeting { org: OrgId, since: NaiveDate },
    /// Nothing to do now.
    UpToDate,
}

impl NextAction {
    /// The day the action became due, if it has one.
    pub fn since(&self) -> Option<NaiveDate> {
        match self {
            NextAction::Overdue { since, .. }
            | NextAction::RecordWaiting { since }
            | NextAction::Review { since }
            | NextAction::AwaitingApplicant { since }
            | NextAction::FirstMeeting { since, .. } => Some(*since),
            NextAction::Idle { since } => *since,
            NextAction::Due { .. } | NextAction::UpToDate => None,
        }
    }

    /// Days since it became due on `today` (0 on the day itself), none when not yet due.
    pub fn age(&self, today: NaiveDate) -> Option<i64> {
        self.since().map(|d| (today - d).num_days().max(0))
    }

    /// How pressing it is: lower first (overdue items, then waiting records and reviews,
    /// then idle branches, then what is only coming).
    fn rank(&self) -> u8 {
        match self {
            NextAction::Overdue { .. } => 0,
            NextAction::RecordWaiting { .. } | NextAction::Review { .. } => 1,
            NextAction::FirstMeeting { .. } | NextAction::Idle { .. } => 2,
            NextAction::AwaitingApplicant { .. } => 3,
            NextAction::Due { .. } => 4,
            NextAction::UpToDate => 5,
        }
    }
}

/// A followed thing as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Followed {
    pub assignment: i64,
    pub target: Target,
    pub name: String,
    /// The branch the next action is about, when the target is an organization above it.
    pub branch: Option<String>,
    pub next: NextAction,
}

/// Which of two actions comes first: the more pressing, then the older.
pub fn pressing(a: &NextAction, b: &NextAction, today: NaiveDate) -> std::cmp::Ordering {
    a.rank()
        .cmp(&b.rank())
        .then_with(|| b.age(today).cmp(&a.age(today)))
}

/// The list in the order to work through it: most pressing first, then oldest first, then
/// by name.
pub fn work_order(items: &mut [Followed], today: NaiveDate) {
    items.sort_by(|a, b| pressing(&a.next, &b.next, today).then_with(|| a.name.cmp(&b.name)));
}

/// What compliance knows of a branch on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchFacts {
    pub id: OrgId,
    pub name: String,
    pub tree: Tree,
    pub founded_on: NaiveDate,
    /// Required items whose period ended without them (kind, period).
    pub overdue: Vec<(MeetingKind, Span)>,
    /// When its oldest record still waiting for the superior's review was submitted.
    pub waiting_since: Option<NaiveDate>,
    pub last_held: Option<NaiveDate>,
    /// Items of the current periods nothing is scheduled for yet (kind, last day).
    pub coming: Vec<(MeetingKind, NaiveDate)>,
}

/// A branch's next action on `today`: its oldest overdue item, else its oldest waiting
/// record, else six months without organization life, else the next item due in the
/// current periods, else nothing. A branch owes nothing of a period begun before it was
/// founded, and is not idle before it has existed for six months.
pub fn branch_next(f: &BranchFacts, today: NaiveDate) -> NextAction {
    let owed = f
        .overdue
        .iter()
        .filter(|(_, span)| span.start >= f.founded_on)
        .min_by_key(|(_, span)| span.end);
    if let Some((kind, span)) = owed {
        // Overdue from the day after its period ended.
        return NextAction::Overdue {
            kind: *kind,
            tree: f.tree,
            since: span.end.succ_opt().unwrap_or(span.end),
        };
    }
    if let Some(since) = f.waiting_since {
        return NextAction::RecordWaiting { since };
    }
    let quiet_since = f.last_held.unwrap_or(f.founded_on);
    if (today - quiet_since).num_days() > IDLE_DAYS {
        return NextAction::Idle { since: f.last_held };
    }
    match f.coming.iter().min_by_key(|(_, by)| *by) {
        Some((kind, by)) => NextAction::Due {
            kind: *kind,
            tree: f.tree,
            by: *by,
        },
        None => NextAction::UpToDate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn span(from: (u32, u32), to: (u32, u32)) -> Span {
        Span {
            start: day(from.0, from.1),
            end: day(to.0, to.1),
        }
    }

    fn facts() -> BranchFacts {
        BranchFacts {
            id: OrgId(2),
            name: "研发党支部".into(),
            tree: Tree::Party,
            founded_on: day(1, 1),
            overdue: vec![],
            waiting_since: None,
            last_held: Some(day(11, 20)),
            coming: vec![],
        }
    }

    #[test]
    fn a_branch_is_pressed_for_its_oldest_overdue_item_first() {
        let f = BranchFacts {
            overdue: vec![
                (MeetingKind::GroupMeeting, span((11, 1), (11, 30))),
                (MeetingKind::GeneralMeeting, span((7, 1), (9, 30))),
            ],
            waiting_since: Some(day(12, 1)),
            ..facts()
        };
        let next = branch_next(&f, day(12, 7));
        assert_eq!(
            next,
            NextAction::Overdue {
                kind: MeetingKind::GeneralMeeting,
                tree: Tree::Party,
                since: day(10, 1)
            }
        );
        assert_eq!(next.age(day(12, 7)), Some(67));
        let waiting = BranchFacts {
            waiting_since: Some(day(12, 1)),
            ..facts()
        };
        assert_eq!(branch_next(&waiting, day(12, 7)).age(day(12, 7)), Some(6));
        let coming = BranchFacts {
            coming: vec![(MeetingKind::GroupMeeting, day(12, 31))],
            ..facts()
        };
        assert_eq!(branch_next(&coming, day(12, 7)).age(day(12, 7)), None);
        assert_eq!(branch_next(&facts(), day(12, 7)), NextAction::UpToDate);
    }

    #[test]
    fn a_new_branch_owes_nothing_from_before_it_was_founded_and_is_not_idle_yet() {
        let new = BranchFacts {
            founded_on: day(11, 10),
            overdue: vec![
                (MeetingKind::GeneralMeeting, span((10, 1), (12, 31))),
                (MeetingKind::GroupMeeting, span((11, 1), (11, 30))),
            ],
            last_held: None,
            ..facts()
        };
        assert_eq!(branch_next(&new, day(12, 7)), NextAction::UpToDate);
        let old = BranchFacts {
            founded_on: day(1, 1),
            overdue: vec![],
            last_held: None,
            ..facts()
        };
        assert_eq!(
            branch_next(&old, day(12, 7)),
            NextAction::Idle { since: None }
        );
        let quiet = BranchFacts {
            last_held: Some(day(5, 1)),
            ..old
        };
        assert_eq!(
            branch_next(&quiet, day(12, 7)),
            NextAction::Idle {
                since: Some(day(5, 1))
            }
        );
    }

    #[test]
    fn the_list_starts_with_the_most_pressing_and_oldest() {
        let item = |name: &str, next| Followed {
            branch: None,
            assignment: 1,
            target: Target::Application(ApplicationId(1)),
            name: name.into(),
            next,
        };
        let mut list = vec![
            item("丙", NextAction::UpToDate),
            item("乙", NextAction::Review { since: day(12, 5) }),
            item("甲", NextAction::Review { since: day(11, 1) }),
            item(
                "丁",
                NextAction::Overdue {
                    kind: MeetingKind::GroupMeeting,
                    tree: Tree::Party,
                    since: day(12, 1),
                },
            ),
        ];
        work_order(&mut list, day(12, 7));
        let names: Vec<&str> = list.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, vec!["丁", "甲", "乙", "丙"]);
    }
}
