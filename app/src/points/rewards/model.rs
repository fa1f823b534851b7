//! Rewards for points (积分兑现) as rules: what an offer may say, when a member may redeem
//! one, and how a redemption moves from requested to issued and collected, or is cancelled
//! with its points given back. No I/O.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Msg};

/// The most points a reward may cost, the most it may have in stock, and the most a member
/// may redeem of one.
pub const MAX_COST: i32 = 100_000;
pub const MAX_STOCK: i32 = 100_000;
pub const MAX_PER_MEMBER: i32 = 100;
/// Characters of a reward's title and description.
pub const TITLE_CHARS: usize = 60;
pub const DESCRIPTION_CHARS: usize = 500;

/// What a reward is: a thing handed over, or a priority right (a parking place, a place on
/// the talent flats' waiting list, a room booked first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RewardKind {
    Item,
    Priority,
}

impl RewardKind {
    pub const ALL: [RewardKind; 2] = [Self::Item, Self::Priority];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Item => "item",
            Self::Priority => "priority",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

crate::words::wire_words!(RewardKind);

/// Where a redemption stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RedemptionState {
    /// Redeemed: points spent, one taken from the stock, waiting for the organization.
    Requested,
    /// The organization has it ready (or has granted the right).
    Issued,
    /// The member has it.
    Collected,
    /// Cancelled, its points given back and its stock returned.
    Cancelled,
}

impl RedemptionState {
    pub const ALL: [RedemptionState; 4] = [
        Self::Requested,
        Self::Issued,
        Self::Collected,
        Self::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Issued => "issued",
            Self::Collected => "collected",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the organization may move a redemption from this state to `to`: requested to
    /// issued to collected, and cancelled from either of the first two.
    pub fn may_become(self, to: Self) -> bool {
        matches!(
            (self, to),
            (Self::Requested, Self::Issued)
                | (Self::Issued, Self::Collected)
                | (Self::Requested | Self::Issued, Self::Cancelled)
        )
    }
}

crate::words::wire_words!(RedemptionState);

/// A reward as an organization offers it, each field read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RewardOffer {
    pub kind: RewardKind,
    pub title: String,
    pub description: String,
    pub cost: i32,
    pub stock: i32,
    pub per_member: i32,
    /// Asia/Shanghai days, both included.
    pub opens: NaiveDate,
    pub closes: NaiveDate,
}

/// The offer form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RewardForm {
    pub kind: String,
    pub title: String,
    pub description: String,
    pub cost: String,
    pub stock: String,
    pub per_member: String,
    pub opens: String,
    pub closes: String,
}

fn number(
    input: &str,
    field: &str,
    range: std::ops::RangeInclusive<i32>,
    msg: Msg,
) -> Result<i32, FieldError> {
    input
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| FieldError::new(field, msg))
}

fn day(input: &str, field: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d")
        .map_err(|_| FieldError::new(field, Msg::DateInvalid))
}

impl RewardForm {
    /// Every field read, or every field's message: a title of 1 to 60 characters, a
    /// description of at most 500, whole numbers in range, a window that closes on or after
    /// the day it opens and not before `today`.
    pub fn parse(&self, today: NaiveDate) -> Result<RewardOffer, Vec<FieldError>> {
        let mut errors = vec![];
        let kind = RewardKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new("kind", Msg::Required));
        }
        let title = self.title.trim().to_owned();
        if title.is_empty() {
            errors.push(FieldError::new("title", Msg::Required));
        } else if title.chars().count() > TITLE_CHARS {
            errors.push(FieldError::new("title", Msg::RewardTitleTooLong));
        }
        let description = self.description.trim().to_owned();
        if description.chars().count() > DESCRIPTION_CHARS {
            errors.push(FieldError::new(
                "description",
                Msg::RewardDescriptionTooLong,
            ));
        }
        let mut read = |r: Result<i32, FieldError>| r.map_err(|e| errors.push(e)).ok();
        let cost = read(number(
            &self.cost,
            "cost",
            1..=MAX_COST,
            Msg::RewardCostInvalid,
        ));
        let stock = read(number(
            &self.stock,
            "stock",
            0..=MAX_STOCK,
            Msg::RewardStockInvalid,
        ));
        let per_member = read(number(
            &self.per_member,
            "per_member",
            1..=MAX_PER_MEMBER,
            Msg::RewardPerMemberInvalid,
        ));
        let opens = day(&self.opens, "opens").map_err(|e| errors.push(e)).ok();
        let closes = day(&self.closes, "closes").map_err(|e| errors.push(e)).ok();
        if let (Some(o), Some(c)) = (opens, closes) {
            if c < o {
                errors.push(FieldError::new("closes", Msg::WindowInvalid));
            } else if c < today {
                errors.push(FieldError::new("closes", Msg::RewardClosesPast));
            }
        }
        match (kind, cost, stock, per_member, opens, closes) {
            (Some(kind), Some(cost), Some(stock), Some(per_member), Some(opens), Some(closes))
                if errors.is_empty() =>
            {
                Ok(RewardOffer {
                    kind,
                    title,
                    description,
                    cost,
                    stock,
                    per_member,
                    opens,
                    closes,
                })
            }
            _ => Err(errors),
        }
    }
}

/// What redeeming is checked against, read under the reward's and the wallet's locks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RedeemFacts {
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub cost: i32,
    pub stock: i32,
    pub per_member: i32,
    /// The member's redemptions of this reward, not cancelled.
    pub mine: i32,
    /// Points earned (all time, less deductions) less points spent.
    pub balance: i64,
}

/// Whether the member may redeem one now, else why not: the window first, then the stock,
/// the member's limit and the balance.
pub fn may_redeem(f: &RedeemFacts, now: DateTime<Utc>) -> Result<(), Msg> {
    if now < f.opens_at || now >= f.closes_at {
        Err(Msg::RewardClosed)
    } else if f.stock <= 0 {
        Err(Msg::RewardOutOfStock)
    } else if f.mine >= f.per_member {
        Err(Msg::RewardLimitReached)
    } else if f.balance < i64::from(f.cost) {
        Err(Msg::PointsShort)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> RewardForm {
        RewardForm {
            kind: "item".into(),
            title: "青年之家会议室优先预约".into(),
            description: "".into(),
            cost: "30".into(),
            stock: "5".into(),
            per_member: "1".into(),
            opens: "2026-12-01".into(),
            closes: "2026-12-31".into(),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 8).unwrap()
    }

    #[test]
    fn a_good_offer_reads_whole() {
        let offer = form().parse(today()).unwrap();
        assert_eq!((offer.cost, offer.stock, offer.per_member), (30, 5, 1));
        assert_eq!(offer.kind, RewardKind::Item);
    }

    #[test]
    fn each_wrong_field_is_named_with_its_limit() {
        let bad = RewardForm {
            kind: "car".into(),
            title: "长".repeat(61),
            description: "字".repeat(501),
            cost: "0".into(),
            stock: "-1".into(),
            per_member: "101".into(),
            opens: "2026-12-31".into(),
            closes: "2026-12-01".into(),
        };
        let errors = bad.parse(today()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "kind",
                "title",
                "description",
                "cost",
                "stock",
                "per_member",
                "closes"
            ]
        );
        let closed = RewardForm {
            closes: "2026-12-07".into(),
            ..form()
        };
        assert_eq!(
            closed.parse(today()).unwrap_err()[0].msg,
            Msg::RewardClosesPast
        );
        let blank = RewardForm {
            opens: "12/01".into(),
            ..form()
        };
        assert_eq!(blank.parse(today()).unwrap_err()[0].msg, Msg::DateInvalid);
    }

    #[test]
    fn a_redemption_needs_the_window_the_stock_the_limit_and_the_points() {
        let now = Utc::now();
        let ok = RedeemFacts {
            opens_at: now - chrono::Duration::days(1),
            closes_at: now + chrono::Duration::days(1),
            cost: 30,
            stock: 1,
            per_member: 1,
            mine: 0,
            balance: 30,
        };
        assert_eq!(may_redeem(&ok, now), Ok(()));
        let closed = RedeemFacts {
            closes_at: now,
            ..ok
        };
        assert_eq!(may_redeem(&closed, now), Err(Msg::RewardClosed));
        let empty = RedeemFacts { stock: 0, ..ok };
        assert_eq!(may_redeem(&empty, now), Err(Msg::RewardOutOfStock));
        let again = RedeemFacts { mine: 1, ..ok };
        assert_eq!(may_redeem(&again, now), Err(Msg::RewardLimitReached));
        let short = RedeemFacts { balance: 29, ..ok };
        assert_eq!(may_redeem(&short, now), Err(Msg::PointsShort));
    }

    #[test]
    fn a_redemption_goes_forward_or_is_cancelled_before_it_is_collected() {
        use RedemptionState::*;
        assert!(Requested.may_become(Issued));
        assert!(Issued.may_become(Collected));
        assert!(Requested.may_become(Cancelled) && Issued.may_become(Cancelled));
        assert!(!Requested.may_become(Collected));
        assert!(!Collected.may_become(Cancelled));
        assert!(!Cancelled.may_become(Issued));
    }
}
