//! Organization life's alerts as a use case: each branch is warned of the items ending
//! within a week that nothing is held or scheduled for, and the superior's admins are told
//! of the items whose period ended without them. Each alert goes out once, however many
//! processes run it.

use chrono::NaiveDate;
use sqlx::PgConnection;

use super::compliance_store::{branches, meetings_since, record_alert, requirements_by_tree};
use super::model::{Counts, DueItem, counted, escalations, warnings};
use crate::error::AppError;
use crate::notices::model::{LifeItem, Message};
use crate::notices::store::{holders, notify};

/// Sends today's warnings and escalations; returns how many of each went out now.
pub async fn run_alerts(
    conn: &mut PgConnection,
    today: NaiveDate,
) -> Result<(usize, usize), AppError> {
    let reqs = requirements_by_tree(conn).await?;
    let all = branches(conn, None).await?;
    let ids: Vec<i64> = all.iter().map(|b| b.id).collect();
    let meetings = meetings_since(conn, &ids, today - chrono::Duration::days(400)).await?;
    let (mut warned, mut escalated) = (0, 0);
    let none = vec![];
    for b in &all {
        let reqs = reqs.get(&b.tree).unwrap_or(&none);
        let meetings = meetings.get(&b.id).map(Vec::as_slice).unwrap_or(&[]);
        let item = |i: &DueItem| LifeItem {
            kind: i.kind,
            tree: b.tree,
            start: i.span.start,
            end: i.span.end,
        };
        let key = |i: &DueItem, stage: &str| {
            format!("life:{}:{}:{}:{stage}", b.id, i.kind.as_str(), i.span.start)
        };
        let scheduled = counted(meetings, Counts::Scheduled);
        for due in warnings(reqs, b.theme_day, &scheduled, today) {
            if record_alert(conn, b.id, &due, "warned").await? {
                let to = holders(conn, b.id, true).await?;
                let message = Message::LifeWarning {
                    org: b.name.clone(),
                    item: item(&due),
                };
                let link = format!("/orglife?org={}", b.id);
                notify(conn, &to, &message, &link, &key(&due, "warned")).await?;
                warned += 1;
            }
        }
        let Some(parent) = b.parent_id else { continue };
        for due in escalations(reqs, b.theme_day, &counted(meetings, Counts::Held), today) {
            if record_alert(conn, b.id, &due, "escalated").await? {
                let to = holders(conn, parent, false).await?;
                let message = Message::LifeEscalation {
                    org: b.name.clone(),
                    item: item(&due),
                };
                notify(
                    conn,
                    &to,
                    &message,
                    "/orglife/compliance",
                    &key(&due, "escalated"),
                )
                .await?;
                escalated += 1;
            }
        }
    }
    Ok((warned, escalated))
}
