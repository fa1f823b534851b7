//! A transfer into the platform from an organization outside it, as rules: what the member
//! types from the letter, and where the record stands. No I/O.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Msg, field_ok};
use crate::ids::OrgId;
use crate::orgs::model::{MemberStatus, Tree};

/// Where a transfer in stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InboundState {
    /// Waiting for the receiving branch.
    Waiting,
    Accepted,
    /// Returned by the branch, with a reason.
    Returned,
}

impl InboundState {
    pub const ALL: [InboundState; 3] = [
        InboundState::Waiting,
        InboundState::Accepted,
        InboundState::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InboundState::Waiting => "waiting",
            InboundState::Accepted => "accepted",
            InboundState::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self, t: &crate::i18n::Strings) -> &'static str {
        match self {
            InboundState::Waiting => t.inbound_waiting,
            InboundState::Accepted => t.inbound_accepted,
            InboundState::Returned => t.inbound_returned,
        }
    }
}

/// What a transfer in brings: the relationship itself (an introduction letter), or a mobile
/// member's certificate (流动党员活动证) with which the relationship stays at home.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InboundKind {
    Transfer,
    Mobile,
}

impl InboundKind {
    pub const ALL: [InboundKind; 2] = [InboundKind::Transfer, InboundKind::Mobile];

    pub fn as_str(self) -> &'static str {
        match self {
            InboundKind::Transfer => "transfer",
            InboundKind::Mobile => "mobile",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self, t: &crate::i18n::Strings) -> &'static str {
        match self {
            InboundKind::Transfer => t.inbound_kind_transfer,
            InboundKind::Mobile => t.inbound_kind_mobile,
        }
    }
}

/// The statuses a letter into a tree may state: a probationary or full Party member, a
/// League member.
pub fn statuses(tree: Tree) -> &'static [MemberStatus] {
    match tree {
        Tree::Party => &[MemberStatus::Full, MemberStatus::Probationary],
        Tree::League => &[MemberStatus::LeagueMember],
    }
}

/// A transfer in as typed from the letter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboundForm {
    /// `transfer` (the default) or `mobile`.
    #[serde(default)]
    pub kind: String,
    /// The tree and the receiving branch, `party-12`.
    pub target: String,
    pub outside_org: String,
    pub letter_no: String,
    /// The day the letter was issued, `2026-11-20`.
    pub letter_date: String,
    /// Days the letter is valid for (30 when empty).
    #[serde(default)]
    pub validity: String,
    pub status: String,
    /// The month dues are paid up to, `2026-11` (a transfer's; a mobile member pays at home).
    #[serde(default)]
    pub dues: String,
}

/// A transfer in, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInbound {
    pub kind: InboundKind,
    pub tree: Tree,
    pub org: OrgId,
    pub outside_org: String,
    pub letter_no: String,
    pub letter_date: NaiveDate,
    pub valid_until: NaiveDate,
    pub status: MemberStatus,
    pub dues_paid_to: Option<NaiveDate>,
}

impl InboundForm {
    /// Checks every field (each wrong one with its message): the letter issued by today and
    /// still valid, the status one the tree's letters state, the dues month.
    pub fn check(&self, today: NaiveDate) -> Result<NewInbound, Vec<FieldError>> {
        use crate::transfers::model::{letter_usable, parse_dues_month, parse_text, valid_until};
        let mut errors = Vec::new();
        let kind = match self.kind.trim() {
            "" => Some(InboundKind::Transfer),
            k => InboundKind::parse(k),
        };
        if kind.is_none() {
            errors.push(FieldError::new("kind", Msg::Required));
        }
        let (tree, org) = match self.target.split_once('-') {
            Some((tree, org)) => (Tree::parse(tree), org.trim().parse::<i64>().ok().map(OrgId)),
            None => (None, None),
        };
        if tree.is_none() || org.is_none() {
            errors.push(FieldError::new("target", Msg::Required));
        }
        let outside = field_ok(
            &mut errors,
            "outside_org",
            parse_text(&self.outside_org, true),
        );
        if outside.as_ref().is_some_and(|o| o.chars().count() < 2) {
            errors.push(FieldError::new("outside_org", Msg::InboundOutsideName));
        }
        let letter_no = self.letter_no.trim().to_owned();
        if letter_no.is_empty() {
            errors.push(FieldError::new("letter_no", Msg::Required));
        } else if letter_no.chars().count() > 40 {
            errors.push(FieldError::new("letter_no", Msg::TooLong));
        }
        let issued = match NaiveDate::parse_from_str(self.letter_date.trim(), "%Y-%m-%d") {
            Ok(d) if d <= today => Some(d),
            Ok(_) => {
                errors.push(FieldError::new("letter_date", Msg::DevDateFuture));
                None
            }
            Err(_) => {
                errors.push(FieldError::new("letter_date", Msg::DateInvalid));
                None
            }
        };
        let until =
            issued.and_then(|d| field_ok(&mut errors, "validity", valid_until(d, &self.validity)));
        if let Some(u) = until {
            field_ok(&mut errors, "letter_date", letter_usable(today, u, false));
        }
        let status = MemberStatus::parse(&self.status)
            .filter(|s| tree.is_some_and(|t| statuses(t).contains(s)));
        if status.is_none() {
            errors.push(FieldError::new("status", Msg::StatusNotInTree));
        }
        let dues_paid_to = match kind {
            Some(InboundKind::Mobile) => None,
            _ => field_ok(&mut errors, "dues", parse_dues_month(&self.dues, today)),
        };
        match (kind, tree, org, outside, issued, until, status) {
            (
                Some(kind),
                Some(tree),
                Some(org),
                Some(outside_org),
                Some(letter_date),
                Some(valid_until),
                Some(status),
            ) if errors.is_empty() => Ok(NewInbound {
                kind,
                tree,
                org,
                outside_org,
                letter_no,
                letter_date,
                valid_until,
                status,
                dues_paid_to,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> InboundForm {
        InboundForm {
            kind: String::new(),
            target: "party-12".into(),
            outside_org: "某某大学计算机学院党委".into(),
            letter_no: "0012345".into(),
            letter_date: "2026-11-20".into(),
            validity: "30".into(),
            status: "full".into(),
            dues: "2026-11".into(),
        }
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_letter_transfers_in_with_its_status_and_dues_month() {
        let n = form().check(day("2026-12-07")).unwrap();
        assert_eq!(n.valid_until, day("2026-12-19"));
        assert_eq!(n.status, MemberStatus::Full);
        assert_eq!(n.dues_paid_to, Some(day("2026-11-01")));
        // A mobile member's certificate: the dues stay at home.
        let mobile = InboundForm {
            kind: "mobile".into(),
            dues: String::new(),
            ..form()
        };
        let n = mobile.check(day("2026-12-07")).unwrap();
        assert_eq!((n.kind, n.dues_paid_to), (InboundKind::Mobile, None));
    }

    #[test]
    fn an_expired_or_future_letter_a_status_of_another_tree_and_a_bad_month_are_refused() {
        let late = form().check(day("2026-12-20")).unwrap_err();
        assert_eq!(
            late,
            vec![FieldError::new("letter_date", Msg::TransferLetterExpired)]
        );
        let wrong = |f: InboundForm| -> Vec<String> {
            let errors = f.check(day("2026-12-07")).unwrap_err();
            errors.into_iter().map(|e| e.field).collect()
        };
        let f = InboundForm {
            letter_date: "2026-12-08".into(),
            status: "league_member".into(),
            dues: "2026-13".into(),
            ..form()
        };
        assert_eq!(wrong(f), vec!["letter_date", "status", "dues"]);
        let f = InboundForm {
            letter_no: String::new(),
            outside_org: "某".into(),
            ..form()
        };
        assert_eq!(wrong(f), vec!["outside_org", "letter_no"]);
    }
}
