//! Coverage (覆盖率) as arithmetic: enterprises with an organization over the operating
//! enterprises in scope, summed up from streets to districts and the city. No I/O.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One street's figures (or a sum of streets').
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// Operating enterprises in the ledger.
    pub enterprises: i64,
    /// Those with an organization of the tree (their own or a joint branch); one of the
    /// other tree does not count.
    pub covered: i64,
    /// Those without one that could found one.
    pub eligible: i64,
}

impl Figures {
    pub fn add(&mut self, other: &Figures) {
        self.enterprises += other.enterprises;
        self.covered += other.covered;
        self.eligible += other.eligible;
    }

    /// Covered over enterprises, as a percentage; none for a scope without enterprises.
    pub fn rate(&self) -> Option<f64> {
        (self.enterprises > 0).then(|| self.covered as f64 * 100.0 / self.enterprises as f64)
    }
}

/// A rate as the page shows it: "73.5%", or "—" when there is nothing to divide by.
pub fn percent(rate: Option<f64>) -> String {
    match rate {
        Some(r) => format!("{r:.1}%"),
        None => "—".to_owned(),
    }
}

/// An enterprise that could found an organization and has none: (name, credit code,
/// young employees, League members).
pub type FirmToFound = (String, String, i32, i32);

/// One street's figures with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreetFigures {
    pub district: String,
    pub street: String,
    pub figures: Figures,
}

/// Streets summed by a key (the district, or the street itself), in key order: sums of
/// counts, never averages of rates, so that a big district weighs what it holds.
pub fn roll_up(
    streets: &[StreetFigures],
    key: impl Fn(&StreetFigures) -> String,
) -> Vec<(String, Figures)> {
    let mut out: Vec<(String, Figures)> = Vec::new();
    let mut sorted: Vec<&StreetFigures> = streets.iter().collect();
    sorted.sort_by_key(|s| key(s));
    for s in sorted {
        let k = key(s);
        match out.last_mut() {
            Some((last, f)) if *last == k => f.add(&s.figures),
            _ => out.push((k, s.figures.clone())),
        }
    }
    out
}

/// The sum of every street.
pub fn total(streets: &[StreetFigures]) -> Figures {
    let mut f = Figures::default();
    for s in streets {
        f.add(&s.figures);
    }
    f
}

/// The weekly history of the streets `wanted` keeps: the stored snapshots summed per week,
/// oldest first, with this week's live `now` in place of any snapshot of it.
pub fn weekly(
    snapshots: Vec<(NaiveDate, StreetFigures)>,
    wanted: impl Fn(&StreetFigures) -> bool,
    this_week: NaiveDate,
    now: Figures,
) -> Vec<(NaiveDate, Figures)> {
    let mut weeks: Vec<(NaiveDate, Figures)> = Vec::new();
    for (week, s) in snapshots {
        if !wanted(&s) || week == this_week {
            continue;
        }
        match weeks.last_mut() {
            Some((w, f)) if *w == week => f.add(&s.figures),
            _ => weeks.push((week, s.figures)),
        }
    }
    weeks.push((this_week, now));
    weeks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(d: &str, st: &str, e: i64, c: i64, el: i64) -> StreetFigures {
        StreetFigures {
            district: d.into(),
            street: st.into(),
            figures: Figures {
                enterprises: e,
                covered: c,
                eligible: el,
            },
        }
    }

    #[test]
    fn coverage_sums_counts_and_never_divides_by_zero() {
        let streets = [
            s("南山区", "粤海街道", 40, 30, 5),
            s("南山区", "西丽街道", 10, 1, 8),
            s("福田区", "沙头街道", 0, 0, 0),
        ];
        let districts = roll_up(&streets, |s| s.district.clone());
        assert_eq!(districts.len(), 2);
        assert_eq!(districts[0].0, "南山区");
        assert_eq!(districts[0].1.covered, 31);
        // 31 of 50, not the average of 75% and 10%.
        assert_eq!(percent(districts[0].1.rate()), "62.0%");
        assert_eq!(percent(districts[1].1.rate()), "—");
        let all = total(&streets);
        assert_eq!((all.enterprises, all.covered, all.eligible), (50, 31, 13));
        assert_eq!(
            percent(
                Figures {
                    enterprises: 3,
                    covered: 1,
                    eligible: 0
                }
                .rate()
            ),
            "33.3%"
        );
        assert_eq!(
            percent(
                Figures {
                    enterprises: 1000,
                    covered: 735,
                    eligible: 0
                }
                .rate()
            ),
            "73.5%"
        );
    }

    #[test]
    fn weekly_sums_the_wanted_streets_per_week_and_ends_with_the_live_week() {
        let d = |n: u32| NaiveDate::from_ymd_opt(2026, 11, n).unwrap();
        let snaps = vec![
            (d(2), s("A", "a1", 10, 2, 1)),
            (d(2), s("A", "a2", 5, 1, 0)),
            (d(2), s("B", "b1", 7, 7, 0)),
            (d(9), s("A", "a1", 10, 3, 1)),
            (d(16), s("A", "a1", 99, 99, 0)),
        ];
        let now = Figures {
            enterprises: 16,
            covered: 6,
            eligible: 1,
        };
        let weeks = weekly(snaps, |s| s.district == "A", d(16), now.clone());
        assert_eq!(
            weeks,
            vec![
                (
                    d(2),
                    Figures {
                        enterprises: 15,
                        covered: 3,
                        eligible: 1
                    }
                ),
                (
                    d(9),
                    Figures {
                        enterprises: 10,
                        covered: 3,
                        eligible: 1
                    }
                ),
                (d(16), now),
            ]
        );
    }
}
