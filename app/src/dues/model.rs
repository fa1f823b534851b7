//! The rules of dues (党费/团费): months, money in fen, rate tables, the yearly base, what a
//! month costs, where a member stands (paid up to, months behind, what is due) and which
//! months a payment takes. No I/O.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Msg, field_ok};
use crate::i18n::Strings;
use crate::orgs::model::MemberStatus;

/// Most months one payment may take (paying in advance included).
pub const MAX_MONTHS: u32 = 12;
/// A member's income, in yuan, above which a figure is surely a typing error.
const MAX_BASE_YUAN: i64 = 10_000_000;
/// Consecutive months behind that the Party constitution (article 9) treats as leaving.
pub const MONTHS_TO_LAPSE: u32 = 6;

/// A calendar month (Asia/Shanghai), written `2026-10` (on the wire too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month(i32);

impl TryFrom<String> for Month {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        Month::parse(&s).ok_or(s)
    }
}

impl From<Month> for String {
    fn from(m: Month) -> String {
        m.to_string()
    }
}

impl Month {
    pub fn of(day: NaiveDate) -> Self {
        Month(day.year() * 12 + day.month0() as i32)
    }

    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    pub fn number(self) -> u32 {
        self.0.rem_euclid(12) as u32 + 1
    }

    /// The month's first day, as the database keeps months.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.number(), 1).expect("a valid month")
    }

    pub fn plus(self, months: i32) -> Self {
        Month(self.0 + months)
    }

    /// Months from `self` to `later`, counting both (0 when `later` is before `self`).
    pub fn through(self, later: Month) -> impl Iterator<Item = Month> {
        (self.0..=later.0).map(Month)
    }

    /// `2026-10`.
    pub fn parse(input: &str) -> Option<Self> {
        let (y, m) = input.trim().split_once('-')?;
        let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
        NaiveDate::from_ymd_opt(y, m, 1).map(Month::of)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{:02}", self.year(), self.number())
    }
}

/// An amount of money in fen (分), never a float.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fen(pub i64);

impl Fen {
    /// A figure in yuan as people type it: `5800`, `5800.5`, `0.20`; not negative, at most
    /// two decimals.
    pub fn parse_yuan(input: &str) -> Result<Self, Msg> {
        let s = input
            .trim()
            .trim_start_matches(['¥', '￥'])
            .replace(',', "");
        let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
        let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || frac.len() > 2 || !(frac.is_empty() || digits(frac)) {
            return Err(Msg::MoneyInvalid);
        }
        let yuan: i64 = whole.parse().map_err(|_| Msg::MoneyInvalid)?;
        if yuan > MAX_BASE_YUAN {
            return Err(Msg::MoneyInvalid);
        }
        let fen: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
        Ok(Fen(yuan * 100 + fen))
    }

    /// `58.00`: yuan with two decimals.
    pub fn yuan(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", a / 100, a % 100)
    }
}

impl std::ops::Add for Fen {
    type Output = Fen;
    fn add(self, o: Fen) -> Fen {
        Fen(self.0 + o.0)
    }
}

impl std::iter::Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        Fen(iter.map(|f| f.0).sum())
    }
}

/// What a member's dues are reckoned from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum Category {
    /// 在职: a share of the monthly income after tax and social insurance.
    Employed,
    /// 离退休: a share of the pension.
    Retired,
    /// 学生: a fixed small amount.
    Student,
    /// 无固定收入: a fixed small amount.
    NoIncome,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Employed,
        Category::Retired,
        Category::Student,
        Category::NoIncome,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Employed => "employed",
            Category::Retired => "retired",
            Category::Student => "student",
            Category::NoIncome => "no_income",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Reckoned from an income (rather than a fixed amount chosen in the table's range).
    pub fn has_income(self) -> bool {
        matches!(self, Category::Employed | Category::Retired)
    }

    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            Category::Employed => t.dues_employed,
            Category::Retired => t.dues_retired,
            Category::Student => t.dues_student,
            Category::NoIncome => t.dues_no_income,
        }
    }
}

crate::words::wire_words!(Category);

/// How a payment came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum Method {
    /// Paid by the member online; waits for the branch's confirmation without a provider.
    Online,
    /// Cash handed to the dues officer.
    Cash,
    /// A bank transfer the dues officer has seen.
    Bank,
}

impl Method {
    pub const ALL: [Method; 3] = [Method::Online, Method::Cash, Method::Bank];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Online => "online",
            Method::Cash => "cash",
            Method::Bank => "bank",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            Method::Online => t.dues_online,
            Method::Cash => t.dues_cash,
            Method::Bank => t.dues_bank,
        }
    }
}

crate::words::wire_words!(Method);

/// Where a payment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum PaymentState {
    /// Paid online, waiting for the branch to confirm; its months are held.
    Pending,
    Paid,
    /// The branch did not find the money; its months are free again.
    Declined,
    /// Reversed with a reason after it was paid; its months are free again.
    Reversed,
}

impl PaymentState {
    pub const ALL: [PaymentState; 4] = [
        PaymentState::Pending,
        PaymentState::Paid,
        PaymentState::Declined,
        PaymentState::Reversed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentState::Pending => "pending",
            PaymentState::Paid => "paid",
            PaymentState::Declined => "declined",
            PaymentState::Reversed => "reversed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            PaymentState::Pending => t.dues_pending,
            PaymentState::Paid => t.dues_paid,
            PaymentState::Declined => t.dues_declined,
            PaymentState::Reversed => t.dues_reversed,
        }
    }
}

crate::words::wire_words!(PaymentState);

/// What the branch does with a payment: confirm or decline a pending one, reverse a paid one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Settle {
    Confirm,
    Decline,
    Reverse,
}

impl Settle {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "confirm" => Some(Settle::Confirm),
            "decline" => Some(Settle::Decline),
            "reverse" => Some(Settle::Reverse),
            _ => None,
        }
    }

    /// The state it moves a payment in `from` to, or why it cannot.
    pub fn apply(self, from: PaymentState) -> Result<PaymentState, Msg> {
        match (self, from) {
            (Settle::Confirm, PaymentState::Pending) => Ok(PaymentState::Paid),
            (Settle::Decline, PaymentState::Pending) => Ok(PaymentState::Declined),
            (Settle::Reverse, PaymentState::Paid) => Ok(PaymentState::Reversed),
            _ => Err(Msg::DuesAlreadySettled),
        }
    }

    /// Declining and reversing say why.
    pub fn needs_reason(self) -> bool {
        self != Settle::Confirm
    }
}

/// Dues of a tree as the reader's language names them: 党费 or 团费.
pub fn dues_name(tree: crate::orgs::model::Tree, t: &Strings) -> &'static str {
    match tree {
        crate::orgs::model::Tree::Party => t.dues_party,
        crate::orgs::model::Tree::League => t.dues_league,
    }
}

/// Whether a member of this standing pays dues: probationary and full Party members, League
/// members.
pub fn pays_dues(status: MemberStatus) -> bool {
    matches!(
        status,
        MemberStatus::Probationary | MemberStatus::Full | MemberStatus::LeagueMember
    )
}

/// How a bracket reckons a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rate {
    /// A share of the income in basis points (50 = 0.5%).
    Share(u32),
    /// A fixed amount in fen.
    Fixed(i64),
}

impl Rate {
    /// As people read it: `1.5%`, `0.50` (yuan).
    pub fn text(self) -> String {
        match self {
            Rate::Share(bp) => {
                let pct = format!("{}.{:02}", bp / 100, bp % 100);
                format!("{}%", pct.trim_end_matches('0').trim_end_matches('.'))
            }
            Rate::Fixed(fen) => Fen(fen).yuan(),
        }
    }
}

/// Incomes up to `up_to` fen (inclusive; `None`: any above the previous bracket).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bracket {
    pub up_to: Option<i64>,
    pub rate: Rate,
}

/// A version of a tree's rates. The whole income falls in one bracket (the rules' rate is
/// not marginal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateTable {
    pub employed: Vec<Bracket>,
    pub retired: Vec<Bracket>,
    /// The range of the fixed amount for students and members without income.
    pub fixed_min: i64,
    pub fixed_max: i64,
}

impl RateTable {
    pub fn brackets(&self, c: Category) -> &[Bracket] {
        match c {
            Category::Retired => &self.retired,
            _ => &self.employed,
        }
    }

    /// What a month costs under this table for a base (the extra included).
    pub fn monthly(&self, base: &Base) -> Fen {
        let own = if base.category.has_income() {
            match self.bracket_for(base).map(|b| b.rate) {
                // Half a fen and more rounds up.
                Some(Rate::Share(bp)) => (base.base.0 * i64::from(bp) + 5_000) / 10_000,
                Some(Rate::Fixed(fen)) => fen,
                None => 0,
            }
        } else {
            base.base.0
        };
        Fen(own + base.extra.0)
    }

    /// The bracket's rate as people read it (`1.5%`, `0.50 元`), for the page.
    pub fn rate_text(&self, base: &Base) -> Option<String> {
        if !base.category.has_income() {
            return None;
        }
        Some(self.bracket_for(base)?.rate.text())
    }

    /// The bracket an income falls in.
    fn bracket_for(&self, base: &Base) -> Option<&Bracket> {
        self.brackets(base.category)
            .iter()
            .find(|b| b.up_to.is_none_or(|u| base.base.0 <= u))
    }
}

/// A new version of the League's rates as the platform admin types them: a fixed monthly
/// amount in yuan for employed, for retired, and for students and members without income
/// (each 0.01 to 100 yuan), in force from a month no earlier than this one (a version never
/// reaches back to a month already past) and at most two years ahead.
pub fn parse_league_rates(
    from: &str,
    employed: &str,
    retired: &str,
    fixed: &str,
    now: Month,
) -> Result<(Month, RateTable), Vec<FieldError>> {
    let mut errors = vec![];
    let from = field_ok(
        &mut errors,
        "from",
        Month::parse(from)
            .filter(|m| *m >= now && *m <= now.plus(24))
            .ok_or(Msg::DuesRateMonth),
    );
    let mut amount = |field: &str, input: &str| {
        field_ok(
            &mut errors,
            field,
            Fen::parse_yuan(input).and_then(|f| {
                if (1..=10_000).contains(&f.0) {
                    Ok(f.0)
                } else {
                    Err(Msg::MoneyInvalid)
                }
            }),
        )
    };
    let (employed, retired, fixed) = (
        amount("employed", employed),
        amount("retired", retired),
        amount("fixed", fixed),
    );
    match (from, employed, retired, fixed) {
        (Some(from), Some(e), Some(r), Some(f)) if errors.is_empty() => {
            let flat = |fen| {
                vec![Bracket {
                    up_to: None,
                    rate: Rate::Fixed(fen),
                }]
            };
            Ok((
                from,
                RateTable {
                    employed: flat(e),
                    retired: flat(r),
                    fixed_min: f,
                    fixed_max: f,
                },
            ))
        }
        _ => Err(errors),
    }
}

/// A rate table's lines as people read them: `≤ 3000.00 元：0.5%`.
pub fn rate_lines(table: &RateTable, c: Category, t: &Strings) -> Vec<String> {
    if !c.has_income() {
        let (min, max) = (Fen(table.fixed_min).yuan(), Fen(table.fixed_max).yuan());
        return vec![if min == max {
            min
        } else {
            format!("{min}–{max}")
        }];
    }
    let mut previous: Option<i64> = None;
    table
        .brackets(c)
        .iter()
        .map(|b| {
            let rate = b.rate.text();
            let line = match (b.up_to, previous) {
                (Some(u), _) => t
                    .dues_rate_up_to
                    .replace("{up_to}", &Fen(u).yuan())
                    .replace("{rate}", &rate),
                (None, Some(p)) => t
                    .dues_rate_above
                    .replace("{from}", &Fen(p).yuan())
                    .replace("{rate}", &rate),
                (None, None) => t.dues_rate_any.replace("{rate}", &rate),
            };
            previous = b.up_to;
            line
        })
        .collect()
}

/// A member's base for a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Base {
    pub category: Category,
    /// The monthly income (employed, retired), or the fixed monthly amount chosen.
    pub base: Fen,
    /// Given voluntarily each month on top.
    pub extra: Fen,
}

/// A base as typed: the category, the figure in yuan and the voluntary extra. For students
/// and members without income an empty figure means the table's least amount, and the
/// figure must lie in the table's range.
pub fn parse_base(
    category: &str,
    base: &str,
    extra: &str,
    table: &RateTable,
) -> Result<Base, Vec<FieldError>> {
    let mut errors = vec![];
    let category = field_ok(
        &mut errors,
        "category",
        Category::parse(category).ok_or(Msg::Required),
    );
    let figure = match category {
        Some(c) if !c.has_income() && base.trim().is_empty() => Some(Fen(table.fixed_min)),
        Some(c) if !c.has_income() => field_ok(
            &mut errors,
            "base",
            Fen::parse_yuan(base).and_then(|f| {
                if (table.fixed_min..=table.fixed_max).contains(&f.0) {
                    Ok(f)
                } else {
                    Err(Msg::DuesFixedRange)
                }
            }),
        ),
        _ if base.trim().is_empty() => field_ok(&mut errors, "base", Err(Msg::Required)),
        _ => field_ok(&mut errors, "base", Fen::parse_yuan(base)),
    };
    let extra = if extra.trim().is_empty() {
        Some(Fen(0))
    } else {
        field_ok(&mut errors, "extra", Fen::parse_yuan(extra))
    };
    match (category, figure, extra) {
        (Some(category), Some(base), Some(extra)) if errors.is_empty() => Ok(Base {
            category,
            base,
            extra,
        }),
        _ => Err(errors),
    }
}

/// A reason for a correction, a decline or a reversal: 2 to 200 characters.
pub fn parse_reason(input: &str) -> Result<String, Msg> {
    let s = input.trim();
    match s.chars().count() {
        0..=1 => Err(Msg::DuesReasonRequired),
        2..=200 => Ok(s.to_owned()),
        _ => Err(Msg::TooLong),
    }
}

/// How many months a payment takes: 1 to 12.
pub fn parse_months(input: &str) -> Result<u32, Msg> {
    match input.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_MONTHS).contains(&n) => Ok(n),
        _ => Err(Msg::DuesMonths),
    }
}

/// What a payment asks for: `months` months from `from`, the earliest free month the page
/// showed (a replayed or doubled request finds it taken and records nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayMonths {
    pub from: Month,
    pub months: u32,
}

impl PayMonths {
    pub fn parse(from: &str, months: &str) -> Result<Self, Msg> {
        Ok(PayMonths {
            from: Month::parse(from).ok_or(Msg::DuesMonths)?,
            months: parse_months(months)?,
        })
    }
}

/// The rates and bases that price a member's months.
#[derive(Debug, Clone, Default)]
pub struct Pricing {
    /// Rate table versions: (first month in force, table), by month.
    pub rates: Vec<(Month, RateTable)>,
    /// The member's current base of each year declared.
    pub bases: Vec<(i32, Base)>,
}

impl Pricing {
    /// The base a month is priced by: its year's, or else the latest year's before it.
    pub fn base_for(&self, m: Month) -> Option<&Base> {
        self.bases
            .iter()
            .filter(|(y, _)| *y <= m.year())
            .max_by_key(|(y, _)| *y)
            .map(|(_, b)| b)
    }

    /// The table in force in a month.
    pub fn table_for(&self, m: Month) -> Option<&RateTable> {
        self.rates
            .iter()
            .filter(|(from, _)| *from <= m)
            .max_by_key(|(from, _)| *from)
            .map(|(_, t)| t)
    }

    /// What a month costs, or `None` when no base prices it yet.
    pub fn month(&self, m: Month) -> Option<Fen> {
        Some(self.table_for(m)?.monthly(self.base_for(m)?))
    }
}

/// A member's months: from the first month they owe (`from`) to this month (`now`), and
/// the months held by live payments.
#[derive(Debug, Clone)]
pub struct Standing {
    pub from: Month,
    pub now: Month,
    pub held: BTreeSet<Month>,
}

impl Standing {
    /// The last month of the unbroken run of held months from `from` (the month before
    /// `from` when the first is not held).
    pub fn paid_up_to(&self) -> Month {
        let mut m = self.from;
        while self.held.contains(&m) {
            m = m.plus(1);
        }
        m.plus(-1)
    }

    /// Unpaid months before this month: the arrears.
    pub fn behind(&self) -> Vec<Month> {
        self.from
            .through(self.now.plus(-1))
            .filter(|m| !self.held.contains(m))
            .collect()
    }

    /// Unpaid months up to this one in a row at the end (for the six-month warning).
    pub fn unpaid_in_a_row(&self) -> u32 {
        let mut n = 0;
        let mut m = self.now.plus(-1);
        while m >= self.from && !self.held.contains(&m) {
            n += 1;
            m = m.plus(-1);
        }
        n
    }

    /// Unpaid months up to and including this one: what is due now.
    pub fn due(&self) -> Vec<Month> {
        self.from
            .through(self.now)
            .filter(|m| !self.held.contains(m))
            .collect()
    }

    /// The earliest month not held: where the next payment starts.
    pub fn first_free(&self) -> Month {
        self.from
            .through(self.now.plus(MAX_MONTHS as i32))
            .find(|m| !self.held.contains(m))
            .unwrap_or(self.now.plus(MAX_MONTHS as i32))
    }

    /// The `n` earliest free months a payment takes, gaps first, then this month and the
    /// months ahead; refused beyond a year ahead.
    pub fn next_free(&self, n: u32) -> Result<Vec<Month>, Msg> {
        let last_allowed = self.now.plus(MAX_MONTHS as i32 - 1);
        let months: Vec<Month> = self
            .from
            .through(last_allowed)
            .filter(|m| !self.held.contains(m))
            .take(n as usize)
            .collect();
        if months.len() < n as usize {
            Err(Msg::DuesTooFarAhead)
        } else {
            Ok(months)
        }
    }
}

/// Where a member stands in a tree, in a line (on 我的).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuesLine {
    pub tree: crate::orgs::model::Tree,
    pub paid_up_to: Month,
    /// Unpaid months before this one.
    pub behind: u32,
}

impl DuesLine {
    /// From the first month owed and the held months' first days.
    pub fn of(
        tree: crate::orgs::model::Tree,
        since: NaiveDate,
        held: &[NaiveDate],
        now: Month,
    ) -> Self {
        let s = Standing {
            from: Month::of(since),
            now,
            held: held.iter().map(|d| Month::of(*d)).collect(),
        };
        DuesLine {
            tree,
            paid_up_to: s.paid_up_to(),
            behind: s.behind().len() as u32,
        }
    }
}

/// A month's dues figures over some members: who owes it, who has paid it, what it costs,
/// what came in and what is still owed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthTotals {
    pub month: Month,
    pub members: u32,
    pub paid_up: u32,
    pub expected: Fen,
    pub paid: Fen,
    pub arrears: Fen,
}

impl MonthTotals {
    pub fn new(month: Month) -> Self {
        MonthTotals {
            month,
            members: 0,
            paid_up: 0,
            expected: Fen(0),
            paid: Fen(0),
            arrears: Fen(0),
        }
    }

    /// Adds one member's month: owed from `from`, its price (`None`: no base prices it),
    /// and what was paid for it (`None`: unpaid).
    pub fn add(&mut self, from: Month, price: Option<Fen>, paid: Option<Fen>) {
        if self.month < from {
            return;
        }
        self.members += 1;
        self.expected = self.expected + price.or(paid).unwrap_or_default();
        match paid {
            Some(p) => {
                self.paid_up += 1;
                self.paid = self.paid + p;
            }
            None => self.arrears = self.arrears + price.unwrap_or_default(),
        }
    }
}

/// The months of `year` up to `now` (all twelve for a past year, none for a later one).
pub fn months_of(year: i32, now: Month) -> Vec<Month> {
    let first = Month::of(NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default());
    let last = first.plus(11).min(now);
    first.through(last).collect()
}

/// The months a payment takes priced one by one; refused when a month has no base yet.
pub fn price(months: &[Month], pricing: &Pricing) -> Result<Vec<(Month, Fen)>, Msg> {
    months
        .iter()
        .map(|m| {
            pricing
                .month(*m)
                .filter(|f| f.0 > 0)
                .map(|f| (*m, f))
                .ok_or(Msg::DuesNoBase)
        })
        .collect()
}

/// Consecutive months as one payment takes them: `first`, `count`. Months that are not
/// consecutive (a gap then months ahead) make separate payments.
pub fn runs(months: &[(Month, Fen)]) -> Vec<Vec<(Month, Fen)>> {
    let mut out: Vec<Vec<(Month, Fen)>> = vec![];
    for &(m, f) in months {
        match out.last_mut() {
            Some(run) if run.last().is_some_and(|(p, _)| p.plus(1) == m) => run.push((m, f)),
            _ => out.push(vec![(m, f)]),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    fn party() -> RateTable {
        serde_json::from_str(
            r#"{"employed": [{"up_to": 300000, "rate": {"share": 50}}, {"up_to": 500000, "rate": {"share": 100}},
                 {"up_to": 1000000, "rate": {"share": 150}}, {"up_to": null, "rate": {"share": 200}}],
                "retired": [{"up_to": 500000, "rate": {"share": 50}}, {"up_to": null, "rate": {"share": 100}}],
                "fixed_min": 20, "fixed_max": 100}"#,
        )
        .unwrap()
    }

    fn employed(yuan: i64) -> Base {
        Base {
            category: Category::Employed,
            base: Fen(yuan * 100),
            extra: Fen(0),
        }
    }

    #[test]
    fn months_are_written_year_dash_month_and_count_across_years() {
        assert_eq!(m("2026-10").to_string(), "2026-10");
        assert_eq!(m("2026-12").plus(1).to_string(), "2027-01");
        assert_eq!(m("2027-01").plus(-1), m("2026-12"));
        assert_eq!(m("2026-03").first_day().to_string(), "2026-03-01");
        assert_eq!(Month::parse("2026-13"), None);
        assert_eq!(Month::parse("2026/10"), None);
        assert_eq!(m("2026-11").through(m("2027-01")).count(), 3);
        assert_eq!(m("2026-11").through(m("2026-10")).count(), 0);
        assert_eq!(serde_json::to_string(&m("2026-03")).unwrap(), "\"2026-03\"");
    }

    #[test]
    fn yuan_are_read_into_fen_exactly_and_anything_else_is_refused() {
        assert_eq!(Fen::parse_yuan("5800"), Ok(Fen(580_000)));
        assert_eq!(Fen::parse_yuan(" 5,800.5 "), Ok(Fen(580_050)));
        assert_eq!(Fen::parse_yuan("0.20"), Ok(Fen(20)));
        assert_eq!(Fen::parse_yuan("¥12.34"), Ok(Fen(1234)));
        for bad in [
            "",
            "-5",
            "1.234",
            "abc",
            "1e3",
            ".5",
            "5.5.5",
            "99999999999",
        ] {
            assert_eq!(Fen::parse_yuan(bad), Err(Msg::MoneyInvalid), "{bad}");
        }
        assert_eq!(Fen(580_050).yuan(), "5800.50");
        assert_eq!(Fen(-20).yuan(), "-0.20");
    }

    #[test]
    fn party_dues_take_the_whole_income_at_its_brackets_rate() {
        let t = party();
        assert_eq!(t.monthly(&employed(3000)), Fen(1500)); // 0.5%
        assert_eq!(t.monthly(&employed(3001)), Fen(3001)); // 1%
        assert_eq!(t.monthly(&employed(5000)), Fen(5000));
        assert_eq!(t.monthly(&employed(8000)), Fen(12000)); // 1.5%
        assert_eq!(t.monthly(&employed(20000)), Fen(40000)); // 2%
        let retired = Base {
            category: Category::Retired,
            base: Fen(600_000),
            extra: Fen(0),
        };
        assert_eq!(t.monthly(&retired), Fen(6000)); // 1% above 5,000
        assert_eq!(t.rate_text(&employed(8000)).as_deref(), Some("1.5%"));
        assert_eq!(t.rate_text(&employed(2000)).as_deref(), Some("0.5%"));
        assert_eq!(t.rate_text(&employed(20000)).as_deref(), Some("2%"));
    }

    #[test]
    fn half_a_fen_rounds_up_and_the_extra_is_added() {
        let t = party();
        // 1,234.57 yuan at 0.5% is 6.17285 yuan: 617 fen; 1,234.90 is 6.1745: 617 fen too;
        // 1,235.00 is 6.175: 618 fen.
        let b = |fen| Base {
            category: Category::Employed,
            base: Fen(fen),
            extra: Fen(0),
        };
        assert_eq!(t.monthly(&b(123_457)), Fen(617));
        assert_eq!(t.monthly(&b(123_500)), Fen(618));
        let with_extra = Base {
            extra: Fen(1000),
            ..employed(8000)
        };
        assert_eq!(t.monthly(&with_extra), Fen(13000));
    }

    #[test]
    fn students_pay_a_fixed_amount_in_the_tables_range() {
        let t = party();
        assert_eq!(
            parse_base("student", "", "", &t).map(|b| t.monthly(&b)),
            Ok(Fen(20))
        );
        assert_eq!(
            parse_base("no_income", "1", "", &t).map(|b| t.monthly(&b)),
            Ok(Fen(100))
        );
        assert_eq!(
            parse_base("student", "2", "", &t),
            Err(vec![FieldError::new("base", Msg::DuesFixedRange)])
        );
    }

    #[test]
    fn a_base_names_each_wrong_field() {
        let t = party();
        assert_eq!(
            parse_base("", "abc", "-1", &t),
            Err(vec![
                FieldError::new("category", Msg::Required),
                FieldError::new("base", Msg::MoneyInvalid),
                FieldError::new("extra", Msg::MoneyInvalid),
            ])
        );
        assert_eq!(
            parse_base("employed", " ", "", &t),
            Err(vec![FieldError::new("base", Msg::Required)])
        );
        assert_eq!(
            parse_base("employed", "8000", "10", &t).unwrap().extra,
            Fen(1000)
        );
    }

    #[test]
    fn a_month_is_priced_by_the_table_in_force_then_and_its_years_base() {
        let mut cheaper = party();
        cheaper.employed = vec![Bracket {
            up_to: None,
            rate: Rate::Share(10),
        }];
        let p = Pricing {
            rates: vec![(m("2008-04"), party()), (m("2027-01"), cheaper)],
            bases: vec![(2025, employed(4000)), (2026, employed(8000))],
        };
        // A later version never alters a month before it.
        assert_eq!(p.month(m("2026-12")), Some(Fen(12000)));
        assert_eq!(p.month(m("2027-01")), Some(Fen(800)));
        assert_eq!(p.month(m("2025-06")), Some(Fen(4000)));
        // A year without its own base keeps the last one; before any base, no price.
        assert_eq!(p.month(m("2027-02")), Some(Fen(800)));
        assert_eq!(p.month(m("2024-12")), None);
        assert_eq!(price(&[m("2024-12")], &p), Err(Msg::DuesNoBase));
    }

    fn standing(from: &str, now: &str, held: &[&str]) -> Standing {
        Standing {
            from: m(from),
            now: m(now),
            held: held.iter().map(|s| m(s)).collect(),
        }
    }

    #[test]
    fn paid_up_to_is_the_end_of_the_unbroken_run_from_the_first_month() {
        let s = standing("2026-01", "2026-06", &["2026-01", "2026-02", "2026-04"]);
        assert_eq!(s.paid_up_to(), m("2026-02"));
        assert_eq!(s.behind(), vec![m("2026-03"), m("2026-05")]);
        assert_eq!(s.due(), vec![m("2026-03"), m("2026-05"), m("2026-06")]);
        assert_eq!(s.unpaid_in_a_row(), 1);
        assert_eq!(
            standing("2026-01", "2026-06", &[]).paid_up_to(),
            m("2025-12")
        );
    }

    #[test]
    fn six_unpaid_months_in_a_row_count_up_to_last_month() {
        let s = standing("2025-01", "2026-07", &["2025-12"]);
        assert_eq!(s.unpaid_in_a_row(), 6);
        assert!(s.unpaid_in_a_row() >= MONTHS_TO_LAPSE);
        assert_eq!(standing("2026-07", "2026-07", &[]).unpaid_in_a_row(), 0);
    }

    #[test]
    fn a_payment_fills_gaps_first_and_goes_at_most_a_year_ahead() {
        let s = standing("2026-01", "2026-06", &["2026-01", "2026-03"]);
        assert_eq!(s.first_free(), m("2026-02"));
        assert_eq!(
            s.next_free(3),
            Ok(vec![m("2026-02"), m("2026-04"), m("2026-05")])
        );
        let up = standing("2026-06", "2026-06", &[]);
        assert_eq!(up.next_free(12).unwrap().last(), Some(&m("2027-05")));
        let ahead = standing("2026-06", "2026-06", &["2026-06", "2026-07"]);
        assert_eq!(ahead.next_free(11), Err(Msg::DuesTooFarAhead));
        assert_eq!(ahead.next_free(10).unwrap().last(), Some(&m("2027-05")));
    }

    #[test]
    fn a_months_totals_count_who_owes_it_who_paid_and_what_is_still_owed() {
        let mut t = MonthTotals::new(m("2026-05"));
        t.add(m("2026-01"), Some(Fen(1200)), Some(Fen(1200)));
        t.add(m("2026-01"), Some(Fen(500)), None);
        // Paid before a correction of the base: what was paid counts.
        t.add(m("2026-03"), Some(Fen(900)), Some(Fen(800)));
        // Not owed yet (the record starts later), and unpriced.
        t.add(m("2026-06"), Some(Fen(100)), None);
        t.add(m("2026-01"), None, None);
        assert_eq!((t.members, t.paid_up), (4, 2));
        assert_eq!(
            (t.expected, t.paid, t.arrears),
            (Fen(2600), Fen(2000), Fen(500))
        );
        assert_eq!(months_of(2026, m("2026-05")).len(), 5);
        assert_eq!(months_of(2025, m("2026-05")).len(), 12);
        assert!(months_of(2027, m("2026-05")).is_empty());
    }

    #[test]
    fn the_leagues_new_rates_start_this_month_or_later_with_amounts_that_read() {
        let now = m("2026-12");
        let (from, table) = parse_league_rates("2027-01", "1", "0.5", "0.2", now).unwrap();
        assert_eq!(from, m("2027-01"));
        assert_eq!(table.monthly(&employed(9000)), Fen(100));
        assert_eq!((table.fixed_min, table.fixed_max), (20, 20));
        let err = parse_league_rates("2026-11", "0", "abc", "200", now).unwrap_err();
        let fields: Vec<&str> = err.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["from", "employed", "retired", "fixed"]);
        assert!(parse_league_rates("2029-01", "1", "1", "1", now).is_err());
        assert!(parse_league_rates("2026-12", "1", "1", "1", now).is_ok());
    }

    #[test]
    fn months_split_into_consecutive_runs() {
        let f = Fen(100);
        let r = runs(&[(m("2026-02"), f), (m("2026-04"), f), (m("2026-05"), f)]);
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].len(), 2);
    }

    #[test]
    fn only_a_pending_payment_is_confirmed_or_declined_and_only_a_paid_one_reversed() {
        use PaymentState::*;
        assert_eq!(Settle::Confirm.apply(Pending), Ok(Paid));
        assert_eq!(Settle::Decline.apply(Pending), Ok(Declined));
        assert_eq!(Settle::Reverse.apply(Paid), Ok(Reversed));
        for (s, from) in [
            (Settle::Confirm, Paid),
            (Settle::Reverse, Pending),
            (Settle::Decline, Reversed),
            (Settle::Confirm, Declined),
        ] {
            assert_eq!(s.apply(from), Err(Msg::DuesAlreadySettled));
        }
        assert!(!Settle::Confirm.needs_reason() && Settle::Reverse.needs_reason());
    }

    #[test]
    fn months_and_reasons_are_checked() {
        assert_eq!(parse_months("3"), Ok(3));
        for bad in ["0", "13", "x", "-1", ""] {
            assert_eq!(parse_months(bad), Err(Msg::DuesMonths), "{bad}");
        }
        assert_eq!(parse_reason(" "), Err(Msg::DuesReasonRequired));
        assert_eq!(parse_reason("收入变化"), Ok("收入变化".to_owned()));
    }

    #[test]
    fn probationary_and_full_party_members_and_league_members_pay() {
        assert!(pays_dues(MemberStatus::Full) && pays_dues(MemberStatus::Probationary));
        assert!(pays_dues(MemberStatus::LeagueMember));
        assert!(!pays_dues(MemberStatus::Activist) && !pays_dues(MemberStatus::YoungEmployee));
    }
}
