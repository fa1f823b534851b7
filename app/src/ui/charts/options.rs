//! A chart's ECharts options, built with charming on the server from its numbers and the
//! words of the reader's language. The browser's ECharts draws them (see `public/charts.js`).

use charming::component::{Axis, Grid, Legend};
use charming::datatype::DataPoint;
use charming::element::{AxisType, Color, Tooltip, Trigger};
use charming::series::{Bar, Line};

use super::{Chart, Series};

const RED: &str = "#c8161d";
const BLUE: &str = "#1e5bb8";

/// Figures to one decimal, a gap for none.
fn decimals(values: &[Option<f64>]) -> Vec<DataPoint> {
    values
        .iter()
        .map(|v| match v {
            Some(r) => ((r * 10.0).round() / 10.0).into(),
            None => "-".into(),
        })
        .collect()
}

/// The options of `chart` as JSON, with its `labels` and series `names` already worded.
pub(super) fn option(chart: &Chart, labels: &[String], names: &[&str]) -> String {
    let base = charming::Chart::new()
        .color(vec![Color::Value(RED.into()), Color::Value(BLUE.into())])
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .grid(Grid::new().left(40).right(40).top(28).bottom(28))
        .x_axis(Axis::new().type_(AxisType::Category).data(labels.to_vec()));
    let counts = Axis::new().type_(AxisType::Value).min_interval(1);
    let name = names[0];
    let drawn = match &chart.series {
        Series::Bars { values, .. } => base
            .y_axis(counts)
            .series(Bar::new().name(name).data(values.clone())),
        Series::Line {
            values, percent, ..
        } => base
            .y_axis(if *percent { counts.max(100) } else { counts })
            .series(Line::new().name(name).smooth(true).data(values.clone())),
        Series::Percents {
            values, over_time, ..
        } => {
            let data = decimals(values);
            let base = base.y_axis(Axis::new().type_(AxisType::Value).min(0).max(100));
            if *over_time {
                base.series(Line::new().name(name).data(data))
            } else {
                base.series(Bar::new().name(name).data(data))
            }
        }
        Series::Decimals { values, .. } => base
            .y_axis(Axis::new().type_(AxisType::Value).min(0))
            .series(Bar::new().name(name).data(decimals(values))),
        Series::PerMemberAndParticipation {
            per_member,
            participation,
        } => base
            .legend(Legend::new().top(0))
            .y_axis(Axis::new().type_(AxisType::Value))
            .y_axis(Axis::new().type_(AxisType::Value).max(100))
            .series(Bar::new().name(name).data(per_member.clone()))
            .series(
                Bar::new()
                    .name(names[1])
                    .y_axis_index(1)
                    .data(participation.clone()),
            ),
    };
    drawn.to_string()
}

#[cfg(test)]
mod tests {
    use super::super::{Label, Word};
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn the_options_carry_the_numbers_and_the_readers_words() {
        let c = Chart::new(
            Word::MyDays,
            Chart::texts(["11-22".to_owned(), "11-23".to_owned()]),
            Series::Line {
                name: Word::Points,
                values: vec![3, 5],
                percent: false,
            },
        );
        let w = c.worded(Locale::En.strings());
        let option: serde_json::Value = serde_json::from_str(&w.option).unwrap();
        assert_eq!(option["series"][0]["type"], "line");
        assert_eq!(option["series"][0]["name"], "Points");
        assert_eq!(option["series"][0]["data"], serde_json::json!([3, 5]));
        // One axis is written as an object, several as a list.
        let x = if option["xAxis"].is_array() {
            &option["xAxis"][0]
        } else {
            &option["xAxis"]
        };
        assert_eq!(x["data"][1], "11-23");

        let stars = Chart::new(
            Word::Stars,
            vec![Label::Stars(5), Label::Stars(0)],
            Series::Bars {
                name: Word::Branches,
                values: vec![1, 2],
            },
        );
        let option: serde_json::Value =
            serde_json::from_str(&stars.worded(Locale::ZhCn.strings()).option).unwrap();
        let x = if option["xAxis"].is_array() {
            &option["xAxis"][0]
        } else {
            &option["xAxis"]
        };
        assert_eq!(x["data"], serde_json::json!(["5 星", "整改"]));
        assert_eq!(option["series"][0]["name"], "支部数");
    }
}
