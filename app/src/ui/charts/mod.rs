//! Charts: the server functions return numbers ([`Chart`]); the page words them in the
//! reader's language when it renders, builds the ECharts options on the server (see
//! `options`) and `public/charts.js` draws them in the browser. Each chart has the same
//! numbers in a table, for screen readers and pages without JavaScript. Charts are server
//! components, so the browser's build carries none of this.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::i18n::{Strings, use_t};
use crate::points::model::RuleCode;

#[cfg(feature = "ssr")]
mod options;

/// The words of a chart: its title and its series' names, looked up when the page renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Word {
    MyDays,
    MyRules,
    Points,
    BranchWeeks,
    BranchSpread,
    Participation,
    Members,
    PerMember,
    Orgs,
    Stars,
    Branches,
    Compliance,
    CoverageByDistrict,
    CoverageByStreet,
    CoverageOverTime,
    Coverage,
    /// A dashboard measure, by its name.
    Measure(crate::reports::model::Measure),
}

impl Word {
    pub fn text(self, t: &Strings) -> &'static str {
        match self {
            Word::MyDays => t.chart_my_days,
            Word::MyRules => t.chart_my_rules,
            Word::Points => t.points_col,
            Word::BranchWeeks => t.chart_branch_weeks,
            Word::BranchSpread => t.chart_branch_spread,
            Word::Participation => t.component_participation,
            Word::Members => t.members_col,
            Word::PerMember => t.per_member,
            Word::Orgs => t.chart_orgs,
            Word::Stars => t.chart_stars,
            Word::Branches => t.members_col_branches,
            Word::Compliance => t.compliance_chart,
            Word::CoverageByDistrict => t.coverage_by_district,
            Word::CoverageByStreet => t.coverage_by_street,
            Word::CoverageOverTime => t.coverage_over_time,
            Word::Coverage => t.coverage_rate,
            Word::Measure(m) => m.label(t),
        }
    }
}

/// A category on the x axis: a name or a date as it is, or something worded by the reader's
/// language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Label {
    Text(String),
    /// What a points rule rewards.
    Rule(RuleCode),
    /// A star rating; 0 is rectification (整改).
    Stars(u8),
}

impl Label {
    pub fn text(&self, t: &Strings) -> String {
        match self {
            Label::Text(s) => s.clone(),
            Label::Rule(code) => code.label(t).to_owned(),
            Label::Stars(0) => t.stars_rectify.to_owned(),
            Label::Stars(n) => t.stars_n.replace("{n}", &n.to_string()),
        }
    }
}

/// What a chart shows, one value per label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Series {
    /// Counts or points by category.
    Bars { name: Word, values: Vec<i64> },
    /// A value over time; `percent` tops the axis at 100 and writes the cells with "%".
    Line {
        name: Word,
        values: Vec<i64>,
        percent: bool,
    },
    /// Percentages to one decimal, as bars or as a line over time; none is a gap, shown as
    /// "—".
    Percents {
        name: Word,
        values: Vec<Option<f64>>,
        over_time: bool,
    },
    /// Figures to one decimal by category; none is a gap, shown as "—".
    Decimals {
        name: Word,
        values: Vec<Option<f64>>,
    },
    /// Organizations side by side: points per member (left axis) and 参学率 (right axis).
    PerMemberAndParticipation {
        per_member: Vec<f64>,
        participation: Vec<i64>,
    },
}

/// A chart as numbers: what the server functions return.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    pub title: Word,
    pub labels: Vec<Label>,
    pub series: Series,
}

impl Chart {
    pub fn new(title: Word, labels: Vec<Label>, series: Series) -> Self {
        Chart {
            title,
            labels,
            series,
        }
    }

    /// Labels that are names or dates, as they are.
    pub fn texts(labels: impl IntoIterator<Item = String>) -> Vec<Label> {
        labels.into_iter().map(Label::Text).collect()
    }

    /// The series' names in the reader's words.
    fn names(&self, t: &Strings) -> Vec<&'static str> {
        match &self.series {
            Series::Bars { name, .. }
            | Series::Line { name, .. }
            | Series::Percents { name, .. }
            | Series::Decimals { name, .. } => {
                vec![name.text(t)]
            }
            Series::PerMemberAndParticipation { .. } => {
                vec![Word::PerMember.text(t), Word::Participation.text(t)]
            }
        }
    }

    /// The value cells of row `i`, as the table shows them.
    fn cells(&self, i: usize) -> Vec<String> {
        let percent = |v: i64| format!("{v}%");
        match &self.series {
            Series::Bars { values, .. } => vec![values[i].to_string()],
            Series::Line {
                values, percent: p, ..
            } => vec![if *p {
                percent(values[i])
            } else {
                values[i].to_string()
            }],
            Series::Percents { values, .. } => vec![
                values[i]
                    .map(|r| format!("{r:.1}%"))
                    .unwrap_or_else(|| "—".to_owned()),
            ],
            Series::Decimals { values, .. } => vec![
                values[i]
                    .map(|r| format!("{r:.1}"))
                    .unwrap_or_else(|| "—".to_owned()),
            ],
            Series::PerMemberAndParticipation {
                per_member,
                participation,
            } => vec![format!("{:.1}", per_member[i]), percent(participation[i])],
        }
    }

    /// The chart in the reader's words `t`: title, options for ECharts and its table.
    pub fn worded(&self, t: &Strings) -> WordedChart {
        let labels: Vec<String> = self.labels.iter().map(|l| l.text(t)).collect();
        let names = self.names(t);
        let headers = std::iter::once(String::new())
            .chain(names.iter().map(|n| (*n).to_owned()))
            .collect();
        let rows = labels
            .iter()
            .enumerate()
            .map(|(i, l)| std::iter::once(l.clone()).chain(self.cells(i)).collect())
            .collect();
        WordedChart {
            title: self.title.text(t),
            option: option(self, &labels, &names),
            headers,
            rows,
        }
    }
}

/// A chart in the reader's words, ready to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordedChart {
    pub title: &'static str,
    /// ECharts options as JSON.
    pub option: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[cfg(feature = "ssr")]
use options::option;

/// The browser's build renders no chart (charts are server components), so it builds no
/// options and carries no chart library.
#[cfg(not(feature = "ssr"))]
fn option(_: &Chart, _: &[String], _: &[&str]) -> String {
    String::new()
}

/// Charts drawn by ECharts in the browser, each with its numbers in a table under it. The
/// script comes only with pages that show charts, and fetches ECharts once a chart comes
/// near the screen.
#[component]
pub fn Charts(charts: Vec<Chart>) -> impl IntoView {
    let t = use_t();
    (!charts.is_empty()).then(|| {
        view! {
            <script src="/charts.js" defer></script>
            {charts.iter().map(|c| c.worded(t)).map(|c| view! {
                <figure class="card chart-card">
                    <figcaption>{c.title}</figcaption>
                    <div class="chart" data-chart=c.option role="img" aria-label=c.title></div>
                    <details>
                        <summary>{t.chart_table}</summary>
                        <table class="table">
                            <thead><tr>{c.headers.into_iter().map(|h| view! { <th>{h}</th> }).collect_view()}</tr></thead>
                            <tbody>
                                {c.rows.into_iter().map(|r| view! {
                                    <tr>{r.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </details>
                </figure>
            }).collect_view()}
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn a_chart_is_worded_in_the_readers_language_with_its_numbers_in_a_table() {
        let c = Chart::new(
            Word::MyRules,
            vec![
                Label::Rule(RuleCode::DailySignIn),
                Label::Stars(0),
                Label::Stars(4),
            ],
            Series::Bars {
                name: Word::Points,
                values: vec![3, 5, 1],
            },
        );
        let zh = c.worded(Locale::ZhCn.strings());
        assert_eq!(zh.title, "本月积分来源");
        assert_eq!(zh.headers, vec!["".to_owned(), "积分".to_owned()]);
        assert_eq!(zh.rows[1], vec!["整改".to_owned(), "5".to_owned()]);
        let en = c.worded(Locale::En.strings());
        assert_eq!(en.title, "This month's points by rule");
        assert_eq!(en.rows[2], vec!["4 stars".to_owned(), "1".to_owned()]);
        assert!(
            en.rows
                .iter()
                .flatten()
                .chain(&en.headers)
                .all(|s| s.is_ascii()),
            "{en:?}"
        );

        let s = Chart::new(
            Word::Orgs,
            Chart::texts(["一支部".to_owned()]),
            Series::PerMemberAndParticipation {
                per_member: vec![1.25],
                participation: vec![50],
            },
        );
        assert_eq!(
            s.worded(Locale::En.strings()).rows[0],
            vec!["一支部".to_owned(), "1.2".to_owned(), "50%".to_owned()]
        );
        let p = Chart::new(
            Word::Coverage,
            Chart::texts(["a".to_owned(), "b".to_owned()]),
            Series::Percents {
                name: Word::Coverage,
                values: vec![Some(12.34), None],
                over_time: true,
            },
        );
        let rows = p.worded(Locale::ZhCn.strings()).rows;
        assert_eq!(rows[0][1], "12.3%");
        assert_eq!(rows[1][1], "—");
    }
}
