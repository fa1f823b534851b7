//! Rankings as plain rules: board periods, competition ranks with ties, neighbours, fair
//! organization scores (per member, participation, the weakest week, roll-up), and star
//! ratings with their quotas. No I/O.

use serde::{Deserialize, Serialize};

use crate::i18n::Strings;
use crate::ids::OrgId;

/// A member's place on a board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardRow {
    pub rank: u32,
    /// None for a member who asked to be anonymous (匿名成员), outside their branch.
    pub name: Option<String>,
    pub points: i32,
    pub me: bool,
}

/// A branch's rating as its superior sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingRow {
    pub id: i64,
    pub name: String,
    /// Component scores, 0 to 100 (`None`: not measured).
    pub participation: Option<u32>,
    pub per_member: Option<u32>,
    pub meetings: Option<u32>,
    pub records: Option<u32>,
    pub transfers: Option<u32>,
    pub score: u32,
    pub computed_stars: u8,
    pub stars: u8,
    pub status: RatingStatus,
    pub reason: String,
}

/// Where a branch's rating stands: computed from the data, confirmed (or adjusted) by the
/// superior, published. On the wire and in the database it is the word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RatingStatus {
    Computed,
    Confirmed,
    Published,
}

impl RatingStatus {
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Computed, Self::Confirmed, Self::Published]
            .into_iter()
            .find(|r| r.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RatingStatus::Computed => "computed",
            RatingStatus::Confirmed => "confirmed",
            RatingStatus::Published => "published",
        }
    }

    pub fn label(self, t: &crate::i18n::Strings) -> &'static str {
        match self {
            RatingStatus::Published => t.status_published_rating,
            RatingStatus::Confirmed => t.status_confirmed,
            RatingStatus::Computed => t.status_computed,
        }
    }
}

/// The span a board counts over, in Asia/Shanghai days and Monday weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Period {
    Day,
    Week,
    Month,
    Year,
    All,
}

impl Period {
    pub const ALL: [Period; 5] = [
        Period::Day,
        Period::Week,
        Period::Month,
        Period::Year,
        Period::All,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Year => "year",
            Period::All => "all",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            Period::Day => t.period_day,
            Period::Week => t.period_week,
            Period::Month => t.period_month,
            Period::Year => t.period_year,
            Period::All => t.period_all,
        }
    }

    /// The running-total key of this period at `at` (`d:2026-11-23`, `w:2026-W48`, ...).
    pub fn key(self, at: chrono::DateTime<chrono::Utc>) -> String {
        let keys = crate::points::model::period_keys(at);
        let i = Self::ALL.iter().position(|p| *p == self).unwrap_or(4);
        keys[i].clone()
    }
}

/// Members on a board page.
pub const PAGE_SIZE: i64 = 50;
/// Neighbours shown above and below "my rank".
pub const NEIGHBOURS: i64 = 2;

/// Competition ranks (1, 2, 2, 4) for points sorted from high to low.
pub fn competition_ranks(points: &[i32]) -> Vec<u32> {
    page_ranks(0, 1, points)
}

/// Competition ranks of a board page that starts at position `offset` (0-based) whose first
/// member has rank `first`: a member with fewer points than the one above is preceded by
/// exactly the members above it on the board, so only the first rank needs counting.
pub fn page_ranks(offset: i64, first: u32, points: &[i32]) -> Vec<u32> {
    let mut ranks: Vec<u32> = Vec::with_capacity(points.len());
    for (i, p) in points.iter().enumerate() {
        let rank = match i {
            0 => first,
            _ if points[i - 1] == *p => ranks[i - 1],
            _ => (offset + i as i64 + 1) as u32,
        };
        ranks.push(rank);
    }
    ranks
}

/// How a scope's members are spread over points in a period: (points, members) from high to
/// low for the members with a total, and how many those are. Members without a total in the
/// period stand at 0.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Histogram {
    pub counts: Vec<(i32, i64)>,
    pub with_total: i64,
}

impl Histogram {
    pub fn new(counts: Vec<(i32, i64)>) -> Self {
        let with_total = counts.iter().map(|(_, n)| n).sum();
        Self { counts, with_total }
    }

    /// How many members have more than `points`.
    pub fn above(&self, points: i32) -> i64 {
        self.counts
            .iter()
            .take_while(|(p, _)| *p > points)
            .map(|(_, n)| n)
            .sum()
    }

    /// The competition rank of `points` among the `members` of the scope.
    pub fn rank(&self, members: i64, points: i32) -> u32 {
        let above = self.above(points);
        // Members with nothing in the period stand at 0, above any negative total.
        let silent = if points < 0 {
            (members - self.with_total).max(0)
        } else {
            0
        };
        rank_of(above + silent)
    }
}

/// The rank of `points` among others: one more than the number of members with more.
pub fn rank_of(higher: i64) -> u32 {
    higher as u32 + 1
}

/// The window of a sorted board around position `at` (0-based): up to `n` before and after.
pub fn neighbours(len: usize, at: usize, n: usize) -> std::ops::Range<usize> {
    at.saturating_sub(n)..(at + n + 1).min(len)
}

/// Points per member, in tenths (so that it sorts and compares exactly); 0 for no members.
pub fn per_member_tenths(points: i64, members: i64) -> i64 {
    if members <= 0 {
        0
    } else {
        (points * 10 + members / 2) / members
    }
}

/// 参学率 in whole percent: members who earned study points / members; 0 for no members.
pub fn participation(studied: i64, members: i64) -> u32 {
    if members <= 0 {
        0
    } else {
        ((studied.min(members) * 100) / members) as u32
    }
}

/// A general branch's score: its own plus the average of its branches' (tenths).
pub fn rollup(own: i64, children: &[i64]) -> i64 {
    if children.is_empty() {
        own
    } else {
        own + children.iter().sum::<i64>() / children.len() as i64
    }
}

/// One organization on a board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgScore {
    pub org_id: OrgId,
    pub name: String,
    pub members: i64,
    /// Points per member in tenths, rolled up for general branches.
    pub score: i64,
    pub participation: u32,
    /// The lowest weekly points per member (tenths) among the period's weeks.
    pub weakest_week: i64,
}

/// Orders an organization board: by score, ties by the weakest week (the steadier first),
/// then by name so that the order is stable.
pub fn order_orgs(rows: &mut [OrgScore]) {
    rows.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(b.weakest_week.cmp(&a.weakest_week))
            .then(a.name.cmp(&b.name))
    });
}

/// A scope the viewer may choose: `platform` or `org:<id>`; the platform has no name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeChoice {
    pub key: String,
    pub name: String,
}

/// Which of the viewer's scopes `key` names (the first, their own branch, when empty). A
/// well-formed organization key that is not one of theirs is refused as forbidden, whether
/// the organization exists or not; anything else is an unknown scope.
pub fn choose<P: Clone>(
    choices: &[(ScopeChoice, P)],
    key: &str,
) -> Result<(String, P), crate::error::AppError> {
    use crate::error::{AppError, Msg};
    let key = key.trim();
    let found = if key.is_empty() {
        choices.first()
    } else {
        choices.iter().find(|(c, _)| c.key == key)
    };
    match found {
        Some((c, p)) => Ok((c.key.clone(), p.clone())),
        None => match key.strip_prefix("org:").map(str::parse::<i64>) {
            Some(Ok(_)) => Err(AppError::Forbidden),
            _ => Err(AppError::invalid("scope", Msg::BoardScopeUnknown)),
        },
    }
}

/// The board key of the scope a request names: 0 for `platform`, the organization's id for
/// `org:<id>`; `None` when it names none (the viewer's branch) or nothing readable.
pub fn scope_id_of(key: &str) -> Option<i64> {
    match key.trim() {
        "platform" => Some(0),
        k => k.strip_prefix("org:")?.parse().ok().filter(|id| *id > 0),
    }
}

/// A period from a request: empty means this week.
pub fn parse_period(input: &str) -> Result<Period, crate::error::AppError> {
    match input.trim() {
        "" => Ok(Period::Week),
        p => Period::parse(p).ok_or_else(|| {
            crate::error::AppError::invalid("period", crate::error::Msg::BoardPeriodUnknown)
        }),
    }
}

/// The week keys whose weakest decides ties in a period: the current week for a day or a
/// week; the Monday weeks from the start of the month or year to now; for all time, the
/// weeks of the current year.
pub fn week_keys(period: Period, now: chrono::DateTime<chrono::Utc>) -> Vec<String> {
    use chrono::Datelike;
    let today = crate::time::day_of(now);
    let start = match period {
        Period::Day | Period::Week => today,
        Period::Month => today.with_day(1).unwrap_or(today),
        Period::Year | Period::All => today.with_ordinal(1).unwrap_or(today),
    };
    let mut keys = Vec::new();
    let mut monday = crate::time::week_start(start);
    while monday <= today {
        let w = monday.iso_week();
        keys.push(format!("w:{}-W{:02}", w.year(), w.week()));
        monday += chrono::Duration::days(7);
    }
    keys
}

/// An organization's own figures for a period (its direct members only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    pub id: OrgId,
    pub parent_id: Option<OrgId>,
    pub name: String,
    pub members: i64,
    pub points: i64,
    pub participants: i64,
    /// Points in each week of the period.
    pub weekly: Vec<i64>,
}

/// One organization on an organization board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgBoardRow {
    pub rank: u32,
    pub org_id: OrgId,
    pub name: String,
    /// Members in the organization and everything under it.
    pub members: i64,
    /// Points per member, one decimal ("2.5"), rolled up for general branches.
    pub per_member: String,
    /// 参学率 in whole percent.
    pub participation: u32,
}

/// The organization board under `root`: each organization directly under it, scored per
/// member (an organization with organizations under it adds the average of theirs to its
/// own), ordered by score and then by the weakest week, ranked with ties.
pub fn org_board(root: OrgId, all: &[Figures]) -> Vec<OrgBoardRow> {
    struct Total {
        score: i64,
        weakest: i64,
        members: i64,
        participants: i64,
    }
    fn total(id: OrgId, all: &[Figures]) -> Total {
        let Some(me) = all.iter().find(|f| f.id == id) else {
            return Total {
                score: 0,
                weakest: 0,
                members: 0,
                participants: 0,
            };
        };
        let children: Vec<Total> = all
            .iter()
            .filter(|f| f.parent_id == Some(id))
            .map(|f| total(f.id, all))
            .collect();
        let own = per_member_tenths(me.points, me.members);
        let own_weakest = me
            .weekly
            .iter()
            .map(|w| per_member_tenths(*w, me.members))
            .min()
            .unwrap_or(0);
        let scored: Vec<&Total> = children.iter().filter(|c| c.members > 0).collect();
        let avg = |f: fn(&Total) -> i64| {
            if scored.is_empty() {
                0
            } else {
                scored.iter().map(|c| f(c)).sum::<i64>() / scored.len() as i64
            }
        };
        Total {
            score: own + avg(|c| c.score),
            weakest: own_weakest + avg(|c| c.weakest),
            members: me.members + children.iter().map(|c| c.members).sum::<i64>(),
            participants: me.participants + children.iter().map(|c| c.participants).sum::<i64>(),
        }
    }
    let mut rows: Vec<OrgScore> = all
        .iter()
        .filter(|f| f.parent_id == Some(root))
        .map(|f| {
            let t = total(f.id, all);
            OrgScore {
                org_id: f.id,
                name: f.name.clone(),
                members: t.members,
                score: t.score,
                participation: participation(t.participants, t.members),
                weakest_week: t.weakest,
            }
        })
        .collect();
    order_orgs(&mut rows);
    let mut out: Vec<OrgBoardRow> = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let tied =
            i > 0 && rows[i - 1].score == r.score && rows[i - 1].weakest_week == r.weakest_week;
        let rank = if tied { out[i - 1].rank } else { i as u32 + 1 };
        out.push(OrgBoardRow {
            rank,
            org_id: r.org_id,
            name: r.name.clone(),
            members: r.members,
            per_member: format!("{}.{}", r.score / 10, r.score % 10),
            participation: r.participation,
        });
    }
    out
}

/// The buckets of a distribution of points: 0, 1 to 9, 10 to 29, 30 to 59, 60 and more.
pub const BUCKETS: [(i64, &str); 5] = [
    (0, "0"),
    (1, "1–9"),
    (10, "10–29"),
    (30, "30–59"),
    (60, "60+"),
];

/// How many values fall in each of [`BUCKETS`].
pub fn distribution(values: &[i64]) -> [i64; 5] {
    let mut counts = [0; 5];
    for v in values {
        let i = BUCKETS.iter().rposition(|(low, _)| v >= low).unwrap_or(0);
        counts[i] += 1;
    }
    counts
}

/// A star rating (星级) of a branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Stars {
    /// Below 60: flagged for rectification (整改).
    Rectify,
    Two,
    Three,
    Four,
    Five,
}

impl Stars {
    pub fn from_score(score: u32) -> Self {
        match score {
            90.. => Stars::Five,
            80..=89 => Stars::Four,
            70..=79 => Stars::Three,
            60..=69 => Stars::Two,
            _ => Stars::Rectify,
        }
    }

    pub fn count(self) -> u8 {
        match self {
            Stars::Rectify => 0,
            Stars::Two => 2,
            Stars::Three => 3,
            Stars::Four => 4,
            Stars::Five => 5,
        }
    }

    fn lower(self) -> Self {
        match self {
            Stars::Five => Stars::Four,
            Stars::Four => Stars::Three,
            Stars::Three => Stars::Two,
            Stars::Two | Stars::Rectify => Stars::Rectify,
        }
    }
}

/// Stars for branches under one superior from their scores, within the quotas: at most 20%
/// five-star and 60% four-star (of the branches rated). A branch above a line but over its
/// quota drops one star, lowest scores first; a drop can push the next level over its quota,
/// so the levels are settled from the top down. Returns stars in the order given.
pub fn rate_with_quotas(scores: &[u32]) -> Vec<Stars> {
    let n = scores.len();
    let mut stars: Vec<Stars> = scores.iter().map(|s| Stars::from_score(*s)).collect();
    for (level, quota) in [(Stars::Five, n / 5), (Stars::Four, n * 3 / 5)] {
        let mut at_level: Vec<usize> = (0..n).filter(|i| stars[*i] == level).collect();
        // Highest scores keep the level; ties keep the order given.
        at_level.sort_by(|a, b| scores[*b].cmp(&scores[*a]).then(a.cmp(b)));
        for i in at_level.into_iter().skip(quota) {
            stars[i] = level.lower();
        }
    }
    stars
}

/// Only branches founded at least six months before the rating are rated.
pub fn old_enough(founded: chrono::NaiveDate, rated_on: chrono::NaiveDate) -> bool {
    founded
        .checked_add_months(chrono::Months::new(6))
        .is_some_and(|d| d <= rated_on)
}

/// A rating period: a quarter ("2026-Q4") or a year ("2026").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingPeriod {
    pub year: i32,
    pub quarter: Option<u32>,
}

impl RatingPeriod {
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let (year, quarter) = match s.split_once("-Q") {
            Some((y, q)) => (
                y,
                Some(q.parse::<u32>().ok().filter(|q| (1..=4).contains(q))?),
            ),
            None => (s, None),
        };
        let year = year
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))?;
        Some(Self { year, quarter })
    }

    /// The quarter a day is in.
    pub fn quarter_of(day: chrono::NaiveDate) -> Self {
        use chrono::Datelike;
        Self {
            year: day.year(),
            quarter: Some((day.month() - 1) / 3 + 1),
        }
    }

    /// The month keys of the running totals it covers (`m:2026-10`, ...).
    pub fn month_keys(self) -> Vec<String> {
        let months = match self.quarter {
            Some(q) => (q * 3 - 2)..=(q * 3),
            None => 1..=12,
        };
        months.map(|m| format!("m:{}-{m:02}", self.year)).collect()
    }

    /// Its first day.
    pub fn start(self) -> chrono::NaiveDate {
        let m = self.quarter.map(|q| q * 3 - 2).unwrap_or(1);
        chrono::NaiveDate::from_ymd_opt(self.year, m, 1).unwrap_or_default()
    }

    /// The day after it ends: branches founded six months before this are rated.
    pub fn end(self) -> chrono::NaiveDate {
        let (y, m) = match self.quarter {
            Some(4) | None => (self.year + 1, 1),
            Some(q) => (self.year, q * 3 + 1),
        };
        chrono::NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default()
    }
}

impl std::fmt::Display for RatingPeriod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.quarter {
            Some(q) => write!(f, "{}-Q{q}", self.year),
            None => write!(f, "{}", self.year),
        }
    }
}

/// A rating period from a request: empty means the quarter of `now`.
pub fn parse_rating_period(
    input: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<RatingPeriod, crate::error::AppError> {
    match input.trim() {
        "" => Ok(RatingPeriod::quarter_of(crate::time::day_of(now))),
        p => RatingPeriod::parse(p).ok_or_else(|| {
            crate::error::AppError::invalid("period", crate::error::Msg::RatingPeriodUnknown)
        }),
    }
}

/// The components of a branch's score. Only those the platform measures get a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Component {
    Participation,
    PerMember,
    Meetings,
    Records,
    Transfers,
}

impl Component {
    pub const ALL: [Component; 5] = [
        Component::Participation,
        Component::PerMember,
        Component::Meetings,
        Component::Records,
        Component::Transfers,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Component::Participation => "participation",
            Component::PerMember => "per_member",
            Component::Meetings => "meetings",
            Component::Records => "records",
            Component::Transfers => "transfers",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            Component::Participation => t.component_participation,
            Component::PerMember => t.component_per_member,
            Component::Meetings => t.component_meetings,
            Component::Records => t.component_records,
            Component::Transfers => t.component_transfers,
        }
    }
}

/// The 100-point score from the components that have a value, weighted by their weights
/// (the others are left out, so the weights of what is measured count in full).
pub fn rating_score(weights: &[(Component, i32)], values: &[(Component, Option<u32>)]) -> u32 {
    let mut sum = 0i64;
    let mut total = 0i64;
    for (c, w) in weights {
        if let Some(Some(v)) = values.iter().find(|(x, _)| x == c).map(|(_, v)| *v) {
            sum += i64::from(*w) * i64::from(v.min(100));
            total += i64::from(*w);
        }
    }
    if total == 0 {
        0
    } else {
        ((sum + total / 2) / total) as u32
    }
}

/// Points per member as a 0 to 100 component: relative to the best branch under the
/// same superior.
pub fn relative(value: i64, best: i64) -> u32 {
    if best <= 0 {
        0
    } else {
        ((value.max(0) * 100 + best / 2) / best).min(100) as u32
    }
}

/// What the platform knows of a branch for its rating over a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BranchInputs {
    pub org_id: OrgId,
    pub members: i64,
    pub points: i64,
    pub participants: i64,
    /// Organization life: meetings held on time and records accepted, in percent.
    pub meetings: Option<u32>,
    pub records: Option<u32>,
    /// Transfer steps acted on in time, in percent.
    pub transfers: Option<u32>,
}

/// A branch's computed rating: its components, weighted score and stars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scored {
    pub inputs: BranchInputs,
    pub participation: u32,
    pub per_member: u32,
    pub score: u32,
    pub stars: u8,
}

/// Rates branches against each other: participation, points per member relative to the
/// best, the weighted score, and stars within the quotas.
pub fn score_branches(weights: &[(Component, i32)], branches: &[BranchInputs]) -> Vec<Scored> {
    let per_member: Vec<i64> = branches
        .iter()
        .map(|b| per_member_tenths(b.points, b.members))
        .collect();
    let best = per_member.iter().copied().max().unwrap_or(0);
    let parts: Vec<(u32, u32)> = branches
        .iter()
        .zip(&per_member)
        .map(|(b, pm)| {
            (
                participation(b.participants, b.members),
                relative(*pm, best),
            )
        })
        .collect();
    let scores: Vec<u32> = branches
        .iter()
        .zip(&parts)
        .map(|(b, (p, m))| {
            rating_score(
                weights,
                &[
                    (Component::Participation, Some(*p)),
                    (Component::PerMember, Some(*m)),
                    (Component::Meetings, b.meetings),
                    (Component::Records, b.records),
                    (Component::Transfers, b.transfers),
                ],
            )
        })
        .collect();
    let stars = rate_with_quotas(&scores);
    branches
        .iter()
        .zip(parts)
        .zip(scores)
        .zip(stars)
        .map(
            |(((b, (participation, per_member)), score), stars)| Scored {
                inputs: *b,
                participation,
                per_member,
                score,
                stars: stars.count(),
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn equal_points_share_a_rank_and_the_next_rank_skips() {
        assert_eq!(
            competition_ranks(&[9, 7, 7, 3, 3, 3, 1]),
            vec![1, 2, 2, 4, 4, 4, 7]
        );
        assert_eq!(competition_ranks(&[]), Vec::<u32>::new());
        assert_eq!(competition_ranks(&[0, 0]), vec![1, 1]);
        assert_eq!(rank_of(0), 1);
        assert_eq!(rank_of(3), 4);
    }

    #[test]
    fn a_later_page_counts_only_its_first_rank() {
        // Board 9, 7, 7, 7, 3, 1: page of two from position 2.
        assert_eq!(page_ranks(2, 2, &[7, 7]), vec![2, 2]);
        assert_eq!(page_ranks(3, 2, &[7, 3, 1]), vec![2, 5, 6]);
        assert_eq!(page_ranks(0, 1, &[]), Vec::<u32>::new());
    }

    #[test]
    fn a_histogram_ranks_members_without_a_total_at_zero() {
        let h = Histogram::new(vec![(9, 1), (7, 2), (0, 1), (-1, 2)]);
        assert_eq!(h.with_total, 6);
        // 10 members: 4 have no total in the period and stand at 0.
        assert_eq!(h.rank(10, 9), 1);
        assert_eq!(h.rank(10, 7), 2);
        assert_eq!(h.rank(10, 5), 4);
        assert_eq!(h.rank(10, 0), 4);
        assert_eq!(h.rank(10, -1), 9);
        assert_eq!(Histogram::default().rank(3, 0), 1);
        assert_eq!(h.above(0), 3);
        assert_eq!(h.above(7), 1);
        assert_eq!(h.above(-5), 6);
    }

    #[test]
    fn neighbours_stop_at_the_edges_of_the_board() {
        assert_eq!(neighbours(10, 0, 2), 0..3);
        assert_eq!(neighbours(10, 1, 2), 0..4);
        assert_eq!(neighbours(10, 9, 2), 7..10);
        assert_eq!(neighbours(10, 5, 2), 3..8);
        assert_eq!(neighbours(1, 0, 2), 0..1);
    }

    #[test]
    fn organizations_are_compared_per_member_and_by_participation() {
        assert_eq!(per_member_tenths(25, 10), 25);
        assert_eq!(per_member_tenths(1, 3), 3);
        assert_eq!(per_member_tenths(100, 0), 0);
        assert_eq!(participation(3, 4), 75);
        assert_eq!(participation(5, 0), 0);
        assert_eq!(participation(9, 4), 100);
    }

    #[test]
    fn a_tie_goes_to_the_branch_with_the_stronger_weakest_week() {
        let row = |id: i64, score: i64, weakest: i64| OrgScore {
            org_id: OrgId(id),
            name: format!("b{id}"),
            members: 10,
            score,
            participation: 50,
            weakest_week: weakest,
        };
        let mut rows = vec![row(1, 30, 2), row(2, 30, 8), row(3, 40, 0)];
        order_orgs(&mut rows);
        let ids: Vec<i64> = rows.iter().map(|r| r.org_id.0).collect();
        assert_eq!(ids, vec![3, 2, 1]);
    }

    #[test]
    fn a_general_branch_adds_the_average_of_its_branches() {
        assert_eq!(rollup(10, &[20, 40]), 40);
        assert_eq!(rollup(10, &[]), 10);
    }

    fn fig(
        id: i64,
        parent: i64,
        members: i64,
        points: i64,
        participants: i64,
        weekly: &[i64],
    ) -> Figures {
        Figures {
            id: OrgId(id),
            parent_id: Some(OrgId(parent)),
            name: format!("o{id}"),
            members,
            points,
            participants,
            weekly: weekly.to_vec(),
        }
    }

    #[test]
    fn the_org_board_rolls_general_branches_up_and_ranks_fairly() {
        // Root 1: a big branch 2 (100 members, 100 points), a small branch 3 (4 members,
        // 8 points), an empty branch 4, and a general branch 5 with branches 6 and 7.
        let all = vec![
            fig(2, 1, 100, 100, 50, &[50, 50]),
            fig(3, 1, 4, 8, 4, &[8, 0]),
            fig(4, 1, 0, 0, 0, &[0, 0]),
            fig(5, 1, 0, 0, 0, &[0, 0]),
            fig(6, 5, 10, 30, 10, &[15, 15]),
            fig(7, 5, 10, 10, 5, &[5, 5]),
        ];
        let board = org_board(OrgId(1), &all);
        let names: Vec<(&str, &str, u32)> = board
            .iter()
            .map(|r| (r.name.as_str(), r.per_member.as_str(), r.participation))
            .collect();
        assert_eq!(
            names,
            vec![
                ("o5", "2.0", 75),
                ("o3", "2.0", 100),
                ("o2", "1.0", 50),
                ("o4", "0.0", 0)
            ]
        );
        // o5 and o3 tie on score; o5's weakest week (1.0) beats o3's (0.0).
        assert_eq!(
            board.iter().map(|r| r.rank).collect::<Vec<_>>(),
            vec![1, 2, 3, 4]
        );
        assert_eq!(board[0].members, 20);
    }

    #[test]
    fn the_weeks_of_a_period_start_on_mondays() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-23T02:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(week_keys(Period::Week, at), vec!["w:2026-W48".to_owned()]);
        assert_eq!(week_keys(Period::Month, at).len(), 5);
        assert_eq!(week_keys(Period::Month, at)[0], "w:2026-W44");
        assert_eq!(week_keys(Period::Year, at).len(), 48);
    }

    #[test]
    fn scopes_are_chosen_from_the_viewers_own() {
        let choices = vec![
            (
                ScopeChoice {
                    key: "org:7".into(),
                    name: "支部".into(),
                },
                7,
            ),
            (
                ScopeChoice {
                    key: "platform".into(),
                    name: String::new(),
                },
                0,
            ),
        ];
        assert_eq!(choose(&choices, "").unwrap(), ("org:7".to_owned(), 7));
        assert_eq!(choose(&choices, "platform").unwrap().1, 0);
        assert_eq!(
            choose(&choices, "org:8").unwrap_err(),
            crate::error::AppError::Forbidden
        );
        assert_eq!(choose(&choices, "moon").unwrap_err().status(), 422);
        assert_eq!(parse_period("").unwrap(), Period::Week);
        assert_eq!(parse_period("decade").unwrap_err().status(), 422);
    }

    #[test]
    fn points_fall_into_their_buckets() {
        assert_eq!(
            distribution(&[0, 0, 1, 9, 10, 45, 60, 300, -1]),
            [3, 2, 1, 1, 2]
        );
    }

    #[test]
    fn stars_follow_the_score_lines() {
        assert_eq!(Stars::from_score(90), Stars::Five);
        assert_eq!(Stars::from_score(89), Stars::Four);
        assert_eq!(Stars::from_score(70), Stars::Three);
        assert_eq!(Stars::from_score(60), Stars::Two);
        assert_eq!(Stars::from_score(59), Stars::Rectify);
    }

    #[test]
    fn quotas_drop_the_lowest_scores_over_the_line_by_one_star() {
        // Ten branches, all above 90: two keep five stars, six get four, two drop to three.
        let scores = [99, 98, 97, 96, 95, 94, 93, 92, 91, 90];
        let stars = rate_with_quotas(&scores);
        let count = |s: Stars| stars.iter().filter(|x| **x == s).count();
        assert_eq!(
            (count(Stars::Five), count(Stars::Four), count(Stars::Three)),
            (2, 6, 2)
        );
        assert_eq!(stars[0], Stars::Five);
        assert_eq!(stars[9], Stars::Three);
        // Five branches: 20% of 5 is one five-star.
        let stars = rate_with_quotas(&[95, 92, 85, 70, 50]);
        assert_eq!(
            stars,
            vec![
                Stars::Five,
                Stars::Four,
                Stars::Four,
                Stars::Three,
                Stars::Rectify
            ]
        );
        // Too few branches for any five-star quota: the best drops to four.
        assert_eq!(rate_with_quotas(&[95, 80]), vec![Stars::Four, Stars::Three]);
    }

    #[test]
    fn scores_weigh_only_the_components_that_are_measured() {
        let w = [
            (Component::Participation, 30),
            (Component::PerMember, 20),
            (Component::Meetings, 50),
        ];
        let v = [
            (Component::Participation, Some(90)),
            (Component::PerMember, Some(40)),
            (Component::Meetings, None),
        ];
        assert_eq!(rating_score(&w, &v), 70);
        assert_eq!(rating_score(&w, &[]), 0);
        assert_eq!(relative(5, 10), 50);
        assert_eq!(relative(5, 0), 0);
    }

    #[test]
    fn rating_periods_are_quarters_or_years() {
        let q = RatingPeriod::parse("2026-Q4").unwrap();
        assert_eq!(q.to_string(), "2026-Q4");
        assert_eq!(q.month_keys(), vec!["m:2026-10", "m:2026-11", "m:2026-12"]);
        assert_eq!(q.end(), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        assert_eq!(RatingPeriod::parse("2026").unwrap().month_keys().len(), 12);
        assert_eq!(
            RatingPeriod::parse("2026-Q2").unwrap().end(),
            NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()
        );
        assert!(RatingPeriod::parse("2026-Q5").is_none());
        assert!(RatingPeriod::parse("soon").is_none());
        assert_eq!(
            RatingPeriod::quarter_of(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()).to_string(),
            "2026-Q4"
        );
    }

    #[test]
    fn only_branches_older_than_six_months_are_rated() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert!(old_enough(d(2026, 5, 23), d(2026, 11, 23)));
        assert!(!old_enough(d(2026, 5, 24), d(2026, 11, 23)));
        assert!(old_enough(d(2025, 8, 31), d(2026, 2, 28)));
    }
    #[test]
    fn a_scope_key_names_its_board_key() {
        assert_eq!(scope_id_of("platform"), Some(0));
        assert_eq!(scope_id_of(" org:42 "), Some(42));
        assert_eq!(scope_id_of(""), None);
        assert_eq!(scope_id_of("org:"), None);
        assert_eq!(scope_id_of("org:0"), None);
        assert_eq!(scope_id_of("org:-3"), None);
        assert_eq!(scope_id_of("city"), None);
    }
}
