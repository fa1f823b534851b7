//! The annual member evaluation (民主评议) as plain rules: the grades, when a ballot is
//! open, a ballot checked against the roll, its fixed-length encoding, and the tallies. No
//! I/O.

use crate::ids::UserId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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
    /// Every grade, best first: the order of tallies' vote counts.
    pub const ALL: [Grade; 4] = [
        Self::Excellent,
        Self::Qualified,
        Self::BasicallyQualified,
        Self::Unqualified,
    ];

    /// The grade's name in forms and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Excellent => "excellent",
            Self::Qualified => "qualified",
            Self::BasicallyQualified => "basically_qualified",
            Self::Unqualified => "unqualified",
        }
    }

    /// A grade by its name; none for an unknown one.
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

/// Where a ballot open from `opens` until `closes` (that moment excluded) stands at `now`.
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
    roll: &[UserId],
) -> Result<Vec<(UserId, Grade)>, crate::error::Msg> {
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
pub fn encode_ballot(ballot: &[(UserId, Grade)]) -> Vec<u8> {
    let mut sorted = ballot.to_vec();
    sorted.sort();
    let mut out = Vec::with_capacity(sorted.len() * 9);
    for (member, grade) in sorted {
        out.extend_from_slice(&member.0.to_be_bytes());
        out.push(Grade::ALL.iter().position(|g| *g == grade).unwrap_or(0) as u8);
    }
    out
}

/// The ballot [`encode_ballot`] made, or `None` for bytes it cannot have made.
pub fn decode_ballot(bytes: &[u8]) -> Option<Vec<(UserId, Grade)>> {
    if !bytes.len().is_multiple_of(9) {
        return None;
    }
    bytes
        .chunks_exact(9)
        .map(|c| {
            let member = UserId(i64::from_be_bytes(c[..8].try_into().ok()?));
            Some((member, *Grade::ALL.get(usize::from(c[8]))?))
        })
        .collect()
}

/// One member's tally: votes per grade, in `Grade::ALL` order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub member: UserId,
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
pub fn tally(grades: &[(UserId, Grade)]) -> Vec<Tally> {
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

/// How long a ballot stays open, as typed: 1 to 14 days.
pub fn parse_ballot_days(input: &str) -> Option<i64> {
    input
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=14).contains(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_ballot_grades_everyone_on_the_roll_once_and_nobody_else() {
        use std::collections::HashMap;
        let roll = [UserId(3), UserId(5), UserId(8)];
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
                (UserId(3), Grade::Excellent),
                (UserId(5), Grade::Qualified),
                (UserId(8), Grade::Unqualified)
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
    fn ballots_tally_per_member_and_a_tie_goes_to_the_lower_grade() {
        use Grade::*;
        let t = tally(&[
            (UserId(2), Qualified),
            (UserId(1), Excellent),
            (UserId(1), Excellent),
            (UserId(2), Excellent),
            (UserId(1), Qualified),
        ]);
        assert_eq!(
            t,
            vec![
                Tally {
                    member: UserId(1),
                    votes: [2, 1, 0, 0]
                },
                Tally {
                    member: UserId(2),
                    votes: [1, 1, 0, 0]
                }
            ]
        );
        assert_eq!(t[0].leading(), Some(Excellent));
        assert_eq!(t[1].leading(), Some(Qualified));
        assert_eq!(
            Tally {
                member: UserId(3),
                votes: [0; 4]
            }
            .leading(),
            None
        );
    }

    #[test]
    fn a_ballot_encodes_to_a_fixed_length_and_decodes_to_itself() {
        use Grade::*;
        let ballot = vec![
            (UserId(7), Unqualified),
            (UserId(3), Excellent),
            (UserId(1_000_000_007), Qualified),
        ];
        let bytes = encode_ballot(&ballot);
        assert_eq!(bytes.len(), 27);
        let mut sorted = ballot.clone();
        sorted.sort();
        assert_eq!(decode_ballot(&bytes), Some(sorted));
        let other = encode_ballot(&[
            (UserId(7), Excellent),
            (UserId(3), Excellent),
            (UserId(9), Excellent),
        ]);
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
    fn a_ballot_stays_open_one_to_fourteen_days() {
        assert_eq!(parse_ballot_days(" 7 "), Some(7));
        assert_eq!(parse_ballot_days("1"), Some(1));
        assert_eq!(parse_ballot_days("14"), Some(14));
        for bad in ["0", "15", "-1", "七", ""] {
            assert_eq!(parse_ballot_days(bad), None, "{bad}");
        }
    }
}
