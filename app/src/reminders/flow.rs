//! The reminders' run, made by the job every minute on every server: each reminder is
//! marked in the same transaction as its messages, so that it goes once.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::model::{STUDY_DUE_DAYS, meeting_lead, study_due};
use super::store;
use crate::error::AppError;
use crate::notices::flow::beyond_portal;
use crate::notices::model::Message;

/// Reminds of the meetings and required items now due a reminder; answers how many members
/// were told. The caller commits.
pub async fn run(conn: &mut PgConnection, now: DateTime<Utc>) -> Result<u64, AppError> {
    let mut told = 0;
    for m in store::meetings_soon(conn, now).await? {
        let Some(lead) = meeting_lead(m.starts_at, m.created_at, now) else {
            continue;
        };
        if !store::mark_meeting(conn, m.id, lead.key(), m.starts_at).await? {
            continue;
        }
        let message = Message::MeetingSoon {
            title: m.title,
            when: crate::time::local_minute(m.starts_at),
            hours: lead.hours() as u32,
        };
        let dedupe = format!(
            "meeting-soon:{}:{}:{}",
            m.id,
            lead.key(),
            m.starts_at.timestamp()
        );
        let users = store::remind_expected(conn, m.id, &message, &dedupe).await?;
        let link = format!("/orglife/meeting/{}", m.id);
        beyond_portal(conn, &users, &message, &link, now).await?;
        told += users.len() as u64;
        crate::notices::robots::store::queue(conn, m.org_id, &message, &link, &dedupe).await?;
    }
    let today = crate::time::day_of(now);
    for item in store::items_due(conn, today, STUDY_DUE_DAYS).await? {
        if !study_due(item.due_on, today) || !store::mark_item(conn, item.id, item.due_on).await? {
            continue;
        }
        let message = Message::StudyDue {
            title: item.title,
            due: item.due_on.to_string(),
        };
        let dedupe = format!("study-due:{}:{}", item.id, item.due_on);
        let users = store::remind_audience(conn, item.id, &message, &dedupe).await?;
        let link = format!("/study/{}", item.id);
        beyond_portal(conn, &users, &message, &link, now).await?;
        told += users.len() as u64;
    }
    Ok(told)
}
