//! Reaching members beyond the portal's own list: a reminder just given in the portal goes
//! also by text message and by e-mail to those who chose that for its kind, a text message
//! held until the reader's quiet hours end; past a few a day by one channel, the rest wait
//! for one digest in the evening.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::model::{
    Channel, DIGEST_AFTER, Message, QuietHours, ReminderKind, TextMessage, digest_at,
};
use crate::error::AppError;
use crate::ids::UserId;

/// Sends `message`, just given in the portal to `users`, by the channels each chose for its
/// kind (nothing for a message that is not such a reminder). `link` leads to it in the
/// portal.
pub async fn beyond_portal(
    conn: &mut PgConnection,
    users: &[UserId],
    message: &Message,
    link: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(kind) = ReminderKind::of(message) else {
        return Ok(());
    };
    if users.is_empty() {
        return Ok(());
    }
    let shanghai = crate::time::shanghai();
    for r in super::store::readers(conn, users, kind).await? {
        let locale = crate::i18n::Locale::parse(&r.locale).unwrap_or_default();
        if let Some(phone) = &r.phone {
            let quiet = r.quiet_from.zip(r.quiet_to).map(|(from, to)| QuietHours {
                from: from as u8,
                to: to as u8,
            });
            let digest = digest_of(conn, Channel::Sms, phone, now).await?;
            // Held until the quiet hours end: the message now, or the digest at its hour.
            let at = digest.map_or(now, |d| d.1);
            let not_before = quiet
                .and_then(|q| q.delay(at.with_timezone(&shanghai).naive_local()))
                .and_then(|t| t.and_local_timezone(shanghai).single())
                .map(|t| t.with_timezone(&Utc))
                .or(digest.map(|d| d.1));
            let text = TextMessage::Reminder {
                message: Box::new(message.clone()),
            };
            let when = crate::league::founding::store::SmsTiming {
                secret: None,
                not_before,
                digest_day: digest.map(|d| d.0),
            };
            crate::league::founding::store::queue_sms_at(conn, phone, &text, locale, when).await?;
        }
        if let Some(email) = &r.email {
            let digest = digest_of(conn, Channel::Email, email, now).await?;
            super::store::queue_mail(conn, email, (message, link), locale, digest).await?;
        }
    }
    Ok(())
}

/// Past [`DIGEST_AFTER`] reminders to `to` today by `channel` (Asia/Shanghai), the next
/// waits for the day's digest at 20:00: the day and that time. After 20:00 nothing is held.
async fn digest_of(
    conn: &mut PgConnection,
    channel: Channel,
    to: &str,
    now: DateTime<Utc>,
) -> Result<Option<(chrono::NaiveDate, DateTime<Utc>)>, AppError> {
    let day = crate::time::day_of(now);
    let (Some(start), Some(at)) = (
        crate::time::start_of(day),
        digest_at(day)
            .and_local_timezone(crate::time::shanghai())
            .single(),
    ) else {
        return Ok(None);
    };
    let at = at.with_timezone(&Utc);
    if now >= at {
        return Ok(None);
    }
    let sent = match channel {
        Channel::Sms => crate::league::founding::store::reminders_since(conn, to, start).await?,
        Channel::Email => super::store::mails_since(conn, to, start).await?,
    };
    Ok((sent >= DIGEST_AFTER).then_some((day, at)))
}

/// Sets how a member is reached. Each channel ticked needs its address: a phone on the
/// account for text messages, the e-mail address given for e-mail.
pub async fn set_prefs(
    conn: &mut PgConnection,
    user: UserId,
    quiet: Option<QuietHours>,
    email: Option<&str>,
    channels: &[(ReminderKind, super::model::Channel)],
) -> Result<(), AppError> {
    use super::model::Channel;
    let has_phone = super::store::prefs(conn, user).await?.has_phone;
    let missing = channels.iter().any(|(_, c)| match c {
        Channel::Sms => !has_phone,
        Channel::Email => email.is_none(),
    });
    if missing {
        return Err(AppError::invalid(
            "channels",
            crate::error::Msg::ChannelNoAddress,
        ));
    }
    super::store::set_prefs(conn, user, quiet, email, channels).await
}
