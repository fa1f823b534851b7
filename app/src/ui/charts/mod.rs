//! Charts: ECharts options built on the server (see `options`), drawn in the browser by
//! `public/charts.js`, each with the same numbers in a table for screen readers and pages
//! without JavaScript.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::i18n::use_t;

#[cfg(feature = "ssr")]
pub mod options;

/// A chart for the page: ECharts options (JSON, built on the server) and the same numbers
/// as a table, for screen readers and pages without JavaScript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartView {
    pub title: String,
    pub option: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Charts drawn by ECharts in the browser, each with its numbers in a table under it. The
/// script comes only with pages that show charts, and fetches ECharts once a chart comes
/// near the screen.
#[component]
pub fn Charts(charts: Vec<ChartView>) -> impl IntoView {
    let t = use_t();
    (!charts.is_empty()).then(|| {
        view! {
            <script src="/charts.js" defer></script>
            {charts.into_iter().map(|c| view! {
                <figure class="card chart-card">
                    <figcaption>{c.title.clone()}</figcaption>
                    <div class="chart" data-chart=c.option role="img" aria-label=c.title.clone()></div>
                    <details>
                        <summary>{t.chart_table}</summary>
                        <table class="table">
                            <thead><tr>{c.headers.iter().map(|h| view! { <th>{h.clone()}</th> }).collect_view()}</tr></thead>
                            <tbody>
                                {c.rows.iter().map(|r| view! {
                                    <tr>{r.iter().map(|cell| view! { <td>{cell.clone()}</td> }).collect_view()}</tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </details>
                </figure>
            }).collect_view()}
        }
    })
}
