//! Transfers as plain rules: the steps computed from the two positions in the tree, what
//! each step may do, the letter's validity, the dues month, and overdue days. No I/O.

use crate::ids::{OrgId, UserId};
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, Msg};
use crate::i18n::{Locale, Strings};
use crate::orgs::model::OrgKind;

/// Who holds a step, and what they do there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StepKind {
    /// The sending branch confirms (支部确认).
    SendingBranch,
    /// The sending committee approves and issues the letter (党委/团委审批).
    SendingCommittee,
    /// The receiving committee approves, when the move leaves the sending committee.
    ReceivingCommittee,
    /// The receiving branch accepts and the member reports in (接收报到); the receipt closes it.
    ReceivingBranch,
    /// To outside the platform: the sending committee records the paper receipt (回执).
    Receipt,
}

impl StepKind {
    pub const ALL: [StepKind; 5] = [
        StepKind::SendingBranch,
        StepKind::SendingCommittee,
        StepKind::ReceivingCommittee,
        StepKind::ReceivingBranch,
        StepKind::Receipt,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::SendingBranch => "sending_branch",
            StepKind::SendingCommittee => "sending_committee",
            StepKind::ReceivingCommittee => "receiving_committee",
            StepKind::ReceivingBranch => "receiving_branch",
            StepKind::Receipt => "receipt",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            StepKind::SendingBranch => t.step_sending_branch,
            StepKind::SendingCommittee => t.step_sending_committee,
            StepKind::ReceivingCommittee => t.step_receiving_committee,
            StepKind::ReceivingBranch => t.step_receiving_branch,
            StepKind::Receipt => t.step_receipt,
        }
    }

    /// Branch steps are for the branch's secretary and committee; committee steps for the
    /// committee's admins.
    pub fn held_by_branch(self) -> bool {
        matches!(self, StepKind::SendingBranch | StepKind::ReceivingBranch)
    }

    /// Approving here issues the introduction letter.
    pub fn issues_letter(self) -> bool {
        self == StepKind::SendingCommittee
    }

    /// Approving here needs a letter that is valid today.
    pub fn needs_valid_letter(self) -> bool {
        matches!(
            self,
            StepKind::ReceivingCommittee | StepKind::ReceivingBranch
        )
    }

    /// The member may withdraw until this step is done.
    pub fn withdrawable_before(self) -> bool {
        self != StepKind::Receipt
    }
}

/// One organization on the way from the root down to a branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub id: OrgId,
    pub kind: OrgKind,
}

/// Where the member goes: a branch on the platform (its chain of organizations from the
/// root down), or an organization outside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Branch(Vec<Node>),
    Outside,
}

/// A step with the organization that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub kind: StepKind,
    pub holder: OrgId,
}

/// The nearest committee (company or industry) above the branch at the end of `chain`.
fn committee_of(chain: &[Node]) -> Option<&Node> {
    chain
        .iter()
        .rev()
        .skip(1)
        .find(|n| matches!(n.kind, OrgKind::Committee | OrgKind::IndustryCommittee))
}

/// The steps of a transfer from the branch at the end of `from` to `to`, computed from the
/// two positions: the sending branch, its committee, the receiving committee when the move
/// leaves the sending committee's subtree, then the receiving branch (or, to outside the
/// platform, the receipt recorded by the sending committee). A branch with no committee
/// above it issues its own letter.
pub fn steps(from: &[Node], to: &Destination) -> Result<Vec<Step>, Msg> {
    let branch = from.last().ok_or(Msg::TransferNoBranch)?;
    let sending = committee_of(from).unwrap_or(branch);
    let mut out = vec![Step {
        kind: StepKind::SendingBranch,
        holder: branch.id,
    }];
    if sending.id != branch.id {
        out.push(Step {
            kind: StepKind::SendingCommittee,
            holder: sending.id,
        });
    } else {
        // The branch confirms and issues the letter in one step.
        out[0].kind = StepKind::SendingCommittee;
    }
    match to {
        Destination::Outside => out.push(Step {
            kind: StepKind::Receipt,
            holder: sending.id,
        }),
        Destination::Branch(chain) => {
            let target = chain.last().ok_or(Msg::TransferNotABranch)?;
            if !target.kind.is_branch() {
                return Err(Msg::TransferNotABranch);
            }
            if target.id == branch.id {
                return Err(Msg::TransferSameBranch);
            }
            let inside = chain.iter().any(|n| n.id == sending.id);
            if !inside && let Some(receiving) = committee_of(chain) {
                out.push(Step {
                    kind: StepKind::ReceivingCommittee,
                    holder: receiving.id,
                });
            }
            out.push(Step {
                kind: StepKind::ReceivingBranch,
                holder: target.id,
            });
        }
    }
    Ok(out)
}

/// Where a transfer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    /// Waiting at its current step.
    Open,
    /// Sent back to the member for a correction.
    Returned,
    Rejected,
    Withdrawn,
    Completed,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Open,
        Status::Returned,
        Status::Rejected,
        Status::Withdrawn,
        Status::Completed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Returned => "returned",
            Status::Rejected => "rejected",
            Status::Withdrawn => "withdrawn",
            Status::Completed => "completed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn is_open(self) -> bool {
        matches!(self, Status::Open | Status::Returned)
    }

    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            Status::Open => t.transfer_open,
            Status::Returned => t.transfer_returned,
            Status::Rejected => t.transfer_rejected,
            Status::Withdrawn => t.transfer_withdrawn,
            Status::Completed => t.transfer_completed,
        }
    }
}

/// What a step's holder does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    Approve,
    Reject,
    /// Back to the member for a correction.
    Return,
}

impl Action {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "approve" => Some(Action::Approve),
            "reject" => Some(Action::Reject),
            "return" => Some(Action::Return),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Return => "return",
        }
    }
}

/// A line of a transfer's history: what was done. On the wire and in the database it is
/// the word (`approve`, `withdraw`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum EventKind {
    Start,
    /// The holder of step `seq` acted.
    Acted(Action),
    /// The member corrected a transfer sent back to them.
    Resubmit,
    Withdraw,
    /// The letter was issued with an approval.
    Letter,
    /// The sending committee issued the letter anew.
    Reissue,
    /// The sending branch corrected the month the dues are paid up to.
    Dues,
}

impl EventKind {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "start" => EventKind::Start,
            "resubmit" => EventKind::Resubmit,
            "withdraw" => EventKind::Withdraw,
            "letter" => EventKind::Letter,
            "reissue" => EventKind::Reissue,
            "dues" => EventKind::Dues,
            other => EventKind::Acted(Action::parse(other)?),
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Start => "start",
            EventKind::Acted(a) => a.as_str(),
            EventKind::Resubmit => "resubmit",
            EventKind::Withdraw => "withdraw",
            EventKind::Letter => "letter",
            EventKind::Reissue => "reissue",
            EventKind::Dues => "dues",
        }
    }
}

crate::words::wire_words!(EventKind);

/// The outcome of acting on the current step of an open transfer with `steps` steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Next {
    pub status: Status,
    pub step: usize,
}

/// Where a transfer goes when the holder of step `at` acts. A reason is required to reject
/// or return; acting on anything but the current step of an open transfer is refused.
pub fn next(
    status: Status,
    current: usize,
    at: usize,
    len: usize,
    action: Action,
    reason: &str,
) -> Result<Next, AppError> {
    if status != Status::Open || current != at {
        return Err(AppError::Conflict(Msg::TransferStepHandled));
    }
    if action != Action::Approve && reason.trim().is_empty() {
        return Err(AppError::invalid("reason", Msg::TransferReasonRequired));
    }
    Ok(match action {
        Action::Approve if at + 1 >= len => Next {
            status: Status::Completed,
            step: at,
        },
        Action::Approve => Next {
            status: Status::Open,
            step: at + 1,
        },
        Action::Reject => Next {
            status: Status::Rejected,
            step: at,
        },
        Action::Return => Next {
            status: Status::Returned,
            step: at,
        },
    })
}

/// A letter's validity in days: 30 unless given; at least 1, and ending at most 3 calendar
/// months after the day it is issued. Returns the last day it is valid.
pub fn valid_until(issued: NaiveDate, days: &str) -> Result<NaiveDate, Msg> {
    let days: u32 = match days.trim() {
        "" => DEFAULT_VALIDITY_DAYS,
        s => s.parse().map_err(|_| Msg::TransferValidityNumber)?,
    };
    if days == 0 {
        return Err(Msg::TransferValidityNumber);
    }
    let limit = issued
        .checked_add_months(Months::new(3))
        .ok_or(Msg::TransferValidityTooLong)?;
    let until = issued
        .checked_add_days(chrono::Days::new(u64::from(days) - 1))
        .ok_or(Msg::TransferValidityTooLong)?;
    if until > limit {
        return Err(Msg::TransferValidityTooLong);
    }
    Ok(until)
}

pub const DEFAULT_VALIDITY_DAYS: u32 = 30;

/// A letter can be accepted on `today` while it is not void and not past its last day.
pub fn letter_usable(today: NaiveDate, valid_until: NaiveDate, void: bool) -> Result<(), Msg> {
    if void {
        Err(Msg::TransferLetterVoid)
    } else if today > valid_until {
        Err(Msg::TransferLetterExpired)
    } else {
        Ok(())
    }
}

/// "Dues paid up to" as a month (`2026-10`): not more than a year ahead of `today`, not more
/// than ten years behind it. Returns the month's first day.
pub fn parse_dues_month(input: &str, today: NaiveDate) -> Result<NaiveDate, Msg> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Msg::Required);
    }
    let month = NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d")
        .map_err(|_| Msg::TransferDuesMonth)?;
    let this = today.with_day(1).unwrap_or(today);
    let ahead = this.checked_add_months(Months::new(12)).unwrap_or(this);
    let behind = this.checked_sub_months(Months::new(120)).unwrap_or(this);
    if month > ahead {
        Err(Msg::TransferDuesTooFarAhead)
    } else if month < behind {
        Err(Msg::TransferDuesTooOld)
    } else {
        Ok(month)
    }
}

/// A step pending for more than this many days is overdue.
pub const OVERDUE_DAYS: i64 = 10;

/// Whole Asia/Shanghai days a step has been pending, from the day it reached its holder.
pub fn days_pending(since: NaiveDate, today: NaiveDate) -> i64 {
    (today - since).num_days().max(0)
}

pub fn is_overdue(since: NaiveDate, today: NaiveDate) -> bool {
    days_pending(since, today) > OVERDUE_DAYS
}

/// One visit of a transfer to a step: when it reached the step's holder and, once acted on
/// (approved, rejected or sent back), when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepRound {
    pub seq: i32,
    pub arrived: NaiveDate,
    pub settled: Option<NaiveDate>,
}

/// The visits to steps, read from a transfer's history in order (`seq`, action, day): the
/// start reaches step 0, an approval moves on to the next step, a correction returns to the
/// step that sent it back, a withdrawal ends the visit without an action of the holder.
pub fn step_rounds(history: &[(Option<i32>, EventKind, NaiveDate)]) -> Vec<StepRound> {
    let mut rounds = Vec::new();
    let mut current: Option<StepRound> = None;
    let mut returned_at = 0;
    for &(seq, event, day) in history {
        match event {
            EventKind::Start => {
                current = Some(StepRound {
                    seq: 0,
                    arrived: day,
                    settled: None,
                });
            }
            EventKind::Acted(action) => {
                let Some(seq) = seq else { continue };
                let arrived = match current.take() {
                    Some(c) if c.seq == seq => c.arrived,
                    // A history that skips ahead (not written by this platform): the step
                    // is taken as reached when it was acted on.
                    _ => day,
                };
                rounds.push(StepRound {
                    seq,
                    arrived,
                    settled: Some(day),
                });
                match action {
                    Action::Approve => {
                        current = Some(StepRound {
                            seq: seq + 1,
                            arrived: day,
                            settled: None,
                        })
                    }
                    Action::Return => returned_at = seq,
                    Action::Reject => {}
                }
            }
            EventKind::Resubmit => {
                current = Some(StepRound {
                    seq: returned_at,
                    arrived: day,
                    settled: None,
                });
            }
            EventKind::Withdraw => current = None,
            EventKind::Letter | EventKind::Reissue | EventKind::Dues => {}
        }
    }
    rounds.extend(current);
    rounds
}

/// Transfers handled in time by one holder over a period, as (due, in time): a visit acted
/// on within the period counts, in time when acted on within [`OVERDUE_DAYS`]; a visit still
/// waiting at the end of the period (or today, if sooner) counts once it is overdue, as late.
pub fn handled_in_time(
    rounds: &[StepRound],
    from: NaiveDate,
    until: NaiveDate,
    today: NaiveDate,
) -> (u32, u32) {
    let end = until.min(today);
    let (mut due, mut in_time) = (0, 0);
    for r in rounds {
        match r.settled {
            Some(s) if s >= from && s <= until => {
                due += 1;
                if !is_overdue(r.arrived, s) {
                    in_time += 1;
                }
            }
            None if end >= from && is_overdue(r.arrived, end) => due += 1,
            _ => {}
        }
    }
    (due, in_time)
}

/// A letter's number as printed: the issuing organization's sequence within the year, in
/// the official form in Chinese and its usual rendering in English.
pub fn letter_number(year: i32, seq: i32, locale: Locale) -> String {
    match locale {
        Locale::ZhCn => format!("〔{year}〕第{seq:04}号"),
        Locale::En => format!("[{year}] No. {seq:04}"),
    }
}

/// Reasons and the outside organization's name and address: at most 200 characters, and
/// not empty when `required`.
pub fn parse_text(input: &str, required: bool) -> Result<String, Msg> {
    let s = input.trim();
    if required && s.is_empty() {
        return Err(Msg::Required);
    }
    if s.chars().count() > 200 {
        return Err(Msg::TooLong);
    }
    Ok(s.to_owned())
}

/// A transfer as the member (or their branch's secretary, for a member) typed it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferForm {
    pub tree: String,
    /// The receiving branch's id; empty or missing for an organization outside the platform.
    #[serde(default)]
    pub to_org: Option<String>,
    pub outside_name: String,
    pub outside_address: String,
    pub reason: String,
    /// The month the dues are paid up to, `2026-11`; not sent where the record gives it.
    #[serde(default)]
    pub dues: String,
    /// The member a secretary starts the transfer for; missing for oneself.
    #[serde(default)]
    pub member: Option<String>,
}

/// Where a transfer goes, as the form names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Branch(OrgId),
    Outside { name: String, address: String },
}

/// The fields of a transfer form that need nothing but the form: every problem found at
/// once, the destination to be looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedTransfer {
    pub errors: Vec<crate::error::FieldError>,
    pub reason: Option<String>,
    pub dues: Option<NaiveDate>,
    pub target: Target,
}

impl TransferForm {
    /// The tree, and the member the transfer is for (`None`: the one who asks).
    pub fn who(&self) -> Result<(crate::orgs::model::Tree, Option<UserId>), AppError> {
        let tree = crate::orgs::model::Tree::parse(&self.tree)
            .ok_or_else(|| AppError::invalid("tree", Msg::Required))?;
        let member = match self
            .member
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
        {
            None => None,
            Some(m) => Some(
                m.parse::<UserId>()
                    .map_err(|_| AppError::invalid("member", Msg::Required))?,
            ),
        };
        Ok((tree, member))
    }

    /// The reason, the dues month and the destination; a branch id that is not a number is
    /// refused at once.
    pub fn check(&self, today: NaiveDate) -> Result<CheckedTransfer, AppError> {
        use crate::error::{FieldError, field_ok};
        let mut errors: Vec<FieldError> = Vec::new();
        let reason = field_ok(&mut errors, "reason", parse_text(&self.reason, true));
        let dues = field_ok(&mut errors, "dues", parse_dues_month(&self.dues, today));
        // Outside the platform (the choice's value is empty) and no choice at all arrive alike.
        let to_org = self.to_org.as_deref().unwrap_or("").trim();
        let target = if to_org.is_empty() {
            let name = self.outside_name.trim();
            let address = self.outside_address.trim();
            if name.is_empty() || address.is_empty() {
                errors.push(FieldError::new("to_org", Msg::TransferOutsideName));
            }
            if name.chars().count() > 200 || address.chars().count() > 200 {
                errors.push(FieldError::new("to_org", Msg::TooLong));
            }
            Target::Outside {
                name: name.to_owned(),
                address: address.to_owned(),
            }
        } else {
            Target::Branch(
                to_org
                    .parse()
                    .map_err(|_| AppError::invalid("to_org", Msg::TransferNotABranch))?,
            )
        };
        Ok(CheckedTransfer {
            errors,
            reason,
            dues,
            target,
        })
    }
}

/// Where a step stands in a transfer, as the timeline shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepState {
    Done,
    Current,
    Returned,
    /// Where a rejected or withdrawn transfer stopped.
    Stopped,
    Waiting,
}

/// The state of step `i` of a transfer whose status is `status` and current step `current`.
pub fn step_state(status: Status, i: usize, current: usize) -> StepState {
    use std::cmp::Ordering;
    match (status, i.cmp(&current)) {
        (_, Ordering::Less) | (Status::Completed, _) => StepState::Done,
        (Status::Open, Ordering::Equal) => StepState::Current,
        (Status::Returned, Ordering::Equal) => StepState::Returned,
        (Status::Rejected | Status::Withdrawn, Ordering::Equal) => StepState::Stopped,
        _ => StepState::Waiting,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: i64, kind: OrgKind) -> Node {
        Node {
            id: OrgId(id),
            kind,
        }
    }

    /// City industry committee 1; company committees 10 and 20 under it; branches 11, 12
    /// under 10 and 21 under 20; a second city's industry committee 2 with company 30 and
    /// its branch 31.
    fn chain(branch: i64) -> Vec<Node> {
        use OrgKind::*;
        match branch {
            11 => vec![
                node(1, IndustryCommittee),
                node(10, Committee),
                node(11, Branch),
            ],
            12 => vec![
                node(1, IndustryCommittee),
                node(10, Committee),
                node(12, Branch),
            ],
            21 => vec![
                node(1, IndustryCommittee),
                node(20, Committee),
                node(21, Branch),
            ],
            31 => vec![
                node(2, IndustryCommittee),
                node(30, Committee),
                node(31, Branch),
            ],
            _ => vec![node(branch, Branch)],
        }
    }

    fn kinds(steps: &[Step]) -> Vec<(StepKind, i64)> {
        steps.iter().map(|s| (s.kind, s.holder.0)).collect()
    }

    #[test]
    fn a_move_within_the_committee_needs_no_receiving_committee() {
        use StepKind::*;
        let s = steps(&chain(11), &Destination::Branch(chain(12))).unwrap();
        assert_eq!(
            kinds(&s),
            vec![
                (SendingBranch, 11),
                (SendingCommittee, 10),
                (ReceivingBranch, 12)
            ]
        );
    }

    #[test]
    fn a_move_to_another_committee_adds_the_receiving_committee() {
        use StepKind::*;
        let s = steps(&chain(11), &Destination::Branch(chain(21))).unwrap();
        assert_eq!(
            kinds(&s),
            vec![
                (SendingBranch, 11),
                (SendingCommittee, 10),
                (ReceivingCommittee, 20),
                (ReceivingBranch, 21)
            ]
        );
        // To another city: the committees of the two companies.
        let s = steps(&chain(11), &Destination::Branch(chain(31))).unwrap();
        assert_eq!(
            kinds(&s),
            vec![
                (SendingBranch, 11),
                (SendingCommittee, 10),
                (ReceivingCommittee, 30),
                (ReceivingBranch, 31)
            ]
        );
    }

    #[test]
    fn a_move_outside_the_platform_ends_with_the_receipt() {
        use StepKind::*;
        let s = steps(&chain(11), &Destination::Outside).unwrap();
        assert_eq!(
            kinds(&s),
            vec![(SendingBranch, 11), (SendingCommittee, 10), (Receipt, 10)]
        );
    }

    #[test]
    fn a_branch_without_a_committee_issues_its_own_letter() {
        use StepKind::*;
        let s = steps(&chain(99), &Destination::Branch(chain(11))).unwrap();
        assert_eq!(
            kinds(&s),
            vec![
                (SendingCommittee, 99),
                (ReceivingCommittee, 10),
                (ReceivingBranch, 11)
            ]
        );
    }

    #[test]
    fn own_branch_and_non_branches_are_refused() {
        assert_eq!(
            steps(&chain(11), &Destination::Branch(chain(11))),
            Err(Msg::TransferSameBranch)
        );
        let committee = vec![
            node(1, OrgKind::IndustryCommittee),
            node(10, OrgKind::Committee),
        ];
        assert_eq!(
            steps(&chain(11), &Destination::Branch(committee)),
            Err(Msg::TransferNotABranch)
        );
        assert_eq!(
            steps(&[], &Destination::Outside),
            Err(Msg::TransferNoBranch)
        );
    }

    #[test]
    fn acting_moves_on_closes_or_refuses() {
        let n = next(Status::Open, 1, 1, 3, Action::Approve, "").unwrap();
        assert_eq!((n.status, n.step), (Status::Open, 2));
        let n = next(Status::Open, 2, 2, 3, Action::Approve, "").unwrap();
        assert_eq!(n.status, Status::Completed);
        let n = next(Status::Open, 0, 0, 3, Action::Reject, "材料不全").unwrap();
        assert_eq!(n.status, Status::Rejected);
        let n = next(Status::Open, 0, 0, 3, Action::Return, "请补充党费月份").unwrap();
        assert_eq!((n.status, n.step), (Status::Returned, 0));
        assert!(matches!(
            next(Status::Open, 0, 0, 3, Action::Reject, "  "),
            Err(AppError::Invalid(_))
        ));
        // A step already handled, or a closed transfer: refused.
        assert!(matches!(
            next(Status::Open, 1, 0, 3, Action::Approve, ""),
            Err(AppError::Conflict(Msg::TransferStepHandled))
        ));
        assert!(matches!(
            next(Status::Completed, 2, 2, 3, Action::Approve, ""),
            Err(AppError::Conflict(Msg::TransferStepHandled))
        ));
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_letter_is_valid_30_days_by_default_and_3_months_at_most() {
        assert_eq!(valid_until(day(2026, 11, 23), ""), Ok(day(2026, 12, 22)));
        assert_eq!(valid_until(day(2026, 11, 23), "1"), Ok(day(2026, 11, 23)));
        // 23 Nov + 3 months = 23 Feb: 93 days counting the first.
        assert_eq!(valid_until(day(2026, 11, 23), "93"), Ok(day(2027, 2, 23)));
        assert_eq!(
            valid_until(day(2026, 11, 23), "94"),
            Err(Msg::TransferValidityTooLong)
        );
        // End of month: 30 Nov + 3 months is 28 Feb.
        assert_eq!(valid_until(day(2026, 11, 30), "91"), Ok(day(2027, 2, 28)));
        assert_eq!(
            valid_until(day(2026, 11, 30), "92"),
            Err(Msg::TransferValidityTooLong)
        );
        assert_eq!(
            valid_until(day(2026, 11, 23), "0"),
            Err(Msg::TransferValidityNumber)
        );
        assert_eq!(
            valid_until(day(2026, 11, 23), "三十"),
            Err(Msg::TransferValidityNumber)
        );
    }

    #[test]
    fn an_expired_or_void_letter_cannot_be_accepted() {
        let until = day(2026, 12, 22);
        assert_eq!(letter_usable(day(2026, 12, 22), until, false), Ok(()));
        assert_eq!(
            letter_usable(day(2026, 12, 23), until, false),
            Err(Msg::TransferLetterExpired)
        );
        assert_eq!(
            letter_usable(day(2026, 12, 1), until, true),
            Err(Msg::TransferLetterVoid)
        );
    }

    #[test]
    fn dues_month_is_within_a_year_ahead_and_ten_years_back() {
        let today = day(2026, 11, 23);
        assert_eq!(parse_dues_month("2026-10", today), Ok(day(2026, 10, 1)));
        assert_eq!(parse_dues_month("2027-11", today), Ok(day(2027, 11, 1)));
        assert_eq!(
            parse_dues_month("2027-12", today),
            Err(Msg::TransferDuesTooFarAhead)
        );
        assert_eq!(
            parse_dues_month("2016-10", today),
            Err(Msg::TransferDuesTooOld)
        );
        assert_eq!(
            parse_dues_month("2026-13", today),
            Err(Msg::TransferDuesMonth)
        );
        assert_eq!(parse_dues_month("", today), Err(Msg::Required));
    }

    #[test]
    fn a_step_is_overdue_after_ten_whole_days() {
        let since = day(2026, 11, 1);
        assert_eq!(days_pending(since, day(2026, 11, 11)), 10);
        assert!(!is_overdue(since, day(2026, 11, 11)));
        assert!(is_overdue(since, day(2026, 11, 12)));
        assert_eq!(days_pending(since, day(2026, 10, 30)), 0);
    }

    #[test]
    fn visits_follow_the_history_through_a_return_and_a_correction() {
        let h = [
            (None, "start", day(2026, 10, 1)),
            (Some(0), "approve", day(2026, 10, 3)),
            (Some(1), "letter", day(2026, 10, 20)),
            (Some(1), "return", day(2026, 10, 20)),
            (None, "resubmit", day(2026, 10, 22)),
            (Some(1), "approve", day(2026, 10, 23)),
        ]
        .map(|(seq, e, d)| (seq, EventKind::parse(e).unwrap(), d));
        for (_, e, _) in h {
            assert_eq!(EventKind::parse(e.as_str()), Some(e));
        }
        let r = |seq, a, s: Option<NaiveDate>| StepRound {
            seq,
            arrived: a,
            settled: s,
        };
        assert_eq!(
            step_rounds(&h),
            vec![
                r(0, day(2026, 10, 1), Some(day(2026, 10, 3))),
                r(1, day(2026, 10, 3), Some(day(2026, 10, 20))),
                r(1, day(2026, 10, 22), Some(day(2026, 10, 23))),
                r(2, day(2026, 10, 23), None),
            ]
        );
        let withdrawn = [
            (None, "start", day(2026, 10, 1)),
            (None, "withdraw", day(2026, 10, 2)),
        ]
        .map(|(seq, e, d)| (seq, EventKind::parse(e).unwrap(), d));
        assert!(step_rounds(&withdrawn).is_empty());
    }

    #[test]
    fn in_time_counts_visits_acted_on_in_the_period_and_overdue_ones_still_waiting() {
        let r = |a, s| StepRound {
            seq: 0,
            arrived: a,
            settled: s,
        };
        let rounds = [
            // Acted on after ten days: in time.
            r(day(2026, 10, 1), Some(day(2026, 10, 11))),
            // After eleven: late.
            r(day(2026, 10, 1), Some(day(2026, 10, 12))),
            // Acted on before the period: not counted.
            r(day(2026, 9, 1), Some(day(2026, 9, 2))),
            // Waiting, overdue at the end of the period: late.
            r(day(2026, 12, 1), None),
            // Waiting, not yet overdue: not counted.
            r(day(2026, 12, 25), None),
        ];
        let (from, until) = (day(2026, 10, 1), day(2026, 12, 31));
        assert_eq!(
            handled_in_time(&rounds, from, until, day(2027, 1, 2)),
            (3, 1)
        );
        // Today before the end: the one waiting since 12-01 is overdue from 12-12.
        assert_eq!(
            handled_in_time(&rounds, from, until, day(2026, 12, 11)),
            (2, 1)
        );
        assert_eq!(
            handled_in_time(&rounds, from, until, day(2026, 12, 12)),
            (3, 1)
        );
        assert_eq!(handled_in_time(&[], from, until, day(2027, 1, 2)), (0, 0));
    }

    #[test]
    fn letter_numbers_read_by_year_and_sequence() {
        assert_eq!(letter_number(2026, 7, Locale::ZhCn), "〔2026〕第0007号");
        assert_eq!(letter_number(2026, 7, Locale::En), "[2026] No. 0007");
    }

    #[test]
    fn a_transfer_form_reports_every_bad_field_at_once_and_an_outside_target_needs_name_and_address()
     {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let form = TransferForm {
            tree: "party".into(),
            reason: " ".into(),
            dues: "".into(),
            ..Default::default()
        };
        let c = form.check(today).unwrap();
        let fields: Vec<&str> = c.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["reason", "dues", "to_org"]);
        assert!(c.reason.is_none() && c.dues.is_none());
        let bad_branch = TransferForm {
            to_org: Some("abc".into()),
            ..form.clone()
        };
        assert!(bad_branch.check(today).is_err());
        let branch = TransferForm {
            to_org: Some(" 42 ".into()),
            ..form
        };
        assert_eq!(
            branch.check(today).unwrap().target,
            Target::Branch(OrgId(42))
        );
    }

    #[test]
    fn a_transfer_form_names_its_tree_and_member() {
        let form = TransferForm {
            tree: "league".into(),
            member: Some(" 7 ".into()),
            ..Default::default()
        };
        let (tree, member) = form.who().unwrap();
        assert_eq!(tree, crate::orgs::model::Tree::League);
        assert_eq!(member, Some(UserId(7)));
        let own = TransferForm {
            member: Some("".into()),
            ..form.clone()
        };
        assert_eq!(own.who().unwrap().1, None);
        let bad = TransferForm {
            tree: "x".into(),
            ..form
        };
        assert!(bad.who().is_err());
    }

    #[test]
    fn steps_before_the_current_one_are_done_and_a_stopped_transfer_stops_at_its_step() {
        assert_eq!(step_state(Status::Open, 0, 1), StepState::Done);
        assert_eq!(step_state(Status::Open, 1, 1), StepState::Current);
        assert_eq!(step_state(Status::Open, 2, 1), StepState::Waiting);
        assert_eq!(step_state(Status::Completed, 3, 1), StepState::Done);
        assert_eq!(step_state(Status::Returned, 1, 1), StepState::Returned);
        assert_eq!(step_state(Status::Rejected, 1, 1), StepState::Stopped);
        assert_eq!(step_state(Status::Withdrawn, 2, 1), StepState::Waiting);
    }
}
