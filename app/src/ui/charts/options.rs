//! Charts as charming options built on the server, each with a table of the same numbers.
//! The browser's ECharts draws the options (see `public/charts.js`).

use charming::Chart;
use charming::component::{Axis, Grid, Legend};
use charming::element::{AxisType, Color, Tooltip, Trigger};
use charming::series::{Bar, Line};

use super::ChartView;

const RED: &str = "#c8161d";
const BLUE: &str = "#1e5bb8";

fn base(labels: &[String]) -> Chart {
    Chart::new()
        .color(vec![Color::Value(RED.into()), Color::Value(BLUE.into())])
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .grid(Grid::new().left(40).right(40).top(28).bottom(28))
        .x_axis(Axis::new().type_(AxisType::Category).data(labels.to_vec()))
}

fn view(title: &str, chart: Chart, headers: Vec<String>, rows: Vec<Vec<String>>) -> ChartView {
    ChartView {
        title: title.to_owned(),
        option: chart.to_string(),
        headers,
        rows,
    }
}

/// A line over time (points a day, 参学率 a week): `labels` and one value each.
pub fn line(
    title: &str,
    value_name: &str,
    labels: &[String],
    values: &[i64],
    percent: bool,
) -> ChartView {
    let mut y = Axis::new().type_(AxisType::Value).min_interval(1);
    if percent {
        y = y.max(100);
    }
    let chart = base(labels).y_axis(y).series(
        Line::new()
            .name(value_name)
            .smooth(true)
            .data(values.to_vec()),
    );
    let cells = values.iter().map(|v| {
        if percent {
            format!("{v}%")
        } else {
            v.to_string()
        }
    });
    one_column(title, chart, value_name, labels, cells)
}

/// Bars of counts or points by category.
pub fn bars(title: &str, value_name: &str, labels: &[String], values: &[i64]) -> ChartView {
    let chart = base(labels)
        .y_axis(Axis::new().type_(AxisType::Value).min_interval(1))
        .series(Bar::new().name(value_name).data(values.to_vec()));
    let rows = labels
        .iter()
        .zip(values)
        .map(|(l, v)| vec![l.clone(), v.to_string()])
        .collect();
    view(
        title,
        chart,
        vec![String::new(), value_name.to_owned()],
        rows,
    )
}

/// Percentages (to one decimal; none drawn as a gap and shown as "—"), as bars or as a
/// line over time.
pub fn percents(
    title: &str,
    value_name: &str,
    labels: &[String],
    values: &[Option<f64>],
    over_time: bool,
) -> ChartView {
    let data: Vec<charming::datatype::DataPoint> = values
        .iter()
        .map(|v| match v {
            Some(r) => ((r * 10.0).round() / 10.0).into(),
            None => "-".into(),
        })
        .collect();
    let y = Axis::new().type_(AxisType::Value).min(0).max(100);
    let chart = base(labels).y_axis(y);
    let chart = if over_time {
        chart.series(Line::new().name(value_name).data(data))
    } else {
        chart.series(Bar::new().name(value_name).data(data))
    };
    let cells = values.iter().map(|v| {
        v.map(|r| format!("{r:.1}%"))
            .unwrap_or_else(|| "—".to_owned())
    });
    one_column(title, chart, value_name, labels, cells)
}

/// A chart whose table has one value column.
fn one_column(
    title: &str,
    chart: Chart,
    value_name: &str,
    labels: &[String],
    cells: impl Iterator<Item = String>,
) -> ChartView {
    let rows = labels
        .iter()
        .zip(cells)
        .map(|(l, c)| vec![l.clone(), c])
        .collect();
    view(
        title,
        chart,
        vec![String::new(), value_name.to_owned()],
        rows,
    )
}

/// Organizations side by side: points per member (left axis) and 参学率 (right axis).
pub fn side_by_side(
    title: &str,
    (first, second): (&str, &str),
    labels: &[String],
    per_member: &[f64],
    participation: &[i64],
) -> ChartView {
    let chart = base(labels)
        .legend(Legend::new().top(0))
        .y_axis(Axis::new().type_(AxisType::Value))
        .y_axis(Axis::new().type_(AxisType::Value).max(100))
        .series(Bar::new().name(first).data(per_member.to_vec()))
        .series(
            Bar::new()
                .name(second)
                .y_axis_index(1)
                .data(participation.to_vec()),
        );
    let rows = labels
        .iter()
        .zip(per_member.iter().zip(participation))
        .map(|(l, (p, r))| vec![l.clone(), format!("{p:.1}"), format!("{r}%")])
        .collect();
    view(
        title,
        chart,
        vec![String::new(), first.to_owned(), second.to_owned()],
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_carries_echarts_options_and_the_same_numbers_as_a_table() {
        let labels = vec!["11-22".to_owned(), "11-23".to_owned()];
        let c = line("我的积分", "积分", &labels, &[3, 5], false);
        let option: serde_json::Value = serde_json::from_str(&c.option).unwrap();
        assert_eq!(option["series"][0]["type"], "line");
        assert_eq!(option["series"][0]["data"], serde_json::json!([3, 5]));
        // One axis is written as an object, several as a list.
        let x = if option["xAxis"].is_array() {
            &option["xAxis"][0]
        } else {
            &option["xAxis"]
        };
        assert_eq!(x["data"][1], "11-23");
        assert_eq!(
            c.rows,
            vec![
                vec!["11-22".to_owned(), "3".to_owned()],
                vec!["11-23".to_owned(), "5".to_owned()]
            ]
        );
        let s = side_by_side(
            "支部",
            ("人均", "参学率"),
            &labels,
            &[1.25, 2.0],
            &[50, 100],
        );
        assert_eq!(
            s.rows[0],
            vec!["11-22".to_owned(), "1.2".to_owned(), "50%".to_owned()]
        );
    }
}
