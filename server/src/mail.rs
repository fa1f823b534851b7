//! E-mail to members who chose it for a kind of reminder (`notices::flow::beyond_portal`
//! queues it in `mail_outbox`). Each message is claimed under a row lock so that several
//! servers send it once, worded in its reader's language when sent, retried with a growing
//! wait and given up after a few tries, kept with its error for the platform's admins
//! (`/league/outbox`); a reader's e-mails past the first few of a day go as one digest.
//! Sent over SMTP with lettre when `SMTP_URL` is set; without it, mail waits.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use app::notices::model::mail_text;
use app::notices::robots::model::backoff_secs;
use app::notices::store;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sqlx::PgPool;

/// Tries before an e-mail is given up.
pub const MAX_ATTEMPTS: i32 = 6;

/// Sends one e-mail.
pub trait Mailer: Send + Sync {
    fn send<'a>(
        &'a self,
        to: &'a str,
        subject: &'a str,
        body: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;
}

/// SMTP: `SMTP_URL` as lettre reads it (`smtp://host:25` in the clear,
/// `smtp://user:pass@host:587?tls=required` with STARTTLS, `smtps://user:pass@host:465`),
/// from `MAIL_FROM`.
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Smtp {
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("SMTP_URL: {e}"))?
            .timeout(Some(Duration::from_secs(15)))
            .build();
        let from = from.parse().map_err(|e| format!("MAIL_FROM: {e}"))?;
        Ok(Self { transport, from })
    }
}

impl Mailer for Smtp {
    fn send<'a>(
        &'a self,
        to: &'a str,
        subject: &'a str,
        body: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>> {
        Box::pin(async move {
            let to: Mailbox = to.parse().map_err(|e| format!("the address: {e}"))?;
            // Base64, so that the text arrives whole through any server.
            let part = SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .header(ContentTransferEncoding::Base64)
                .body(body.to_owned());
            let mail = lettre::Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(subject)
                .singlepart(part)
                .map_err(|e| e.to_string())?;
            self.transport
                .send(mail)
                .await
                .map(drop)
                .map_err(|e| format!("SMTP: {e}"))
        })
    }
}

/// The mailer in `SMTP_URL` and `MAIL_FROM` (default `青年e家 <noreply@localhost>`), if set.
pub fn configured() -> Result<Option<Smtp>, String> {
    let Some(url) = std::env::var("SMTP_URL").ok().filter(|u| !u.is_empty()) else {
        return Ok(None);
    };
    let from = std::env::var("MAIL_FROM")
        .ok()
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| "青年e家 <noreply@localhost>".to_owned());
    Smtp::new(&url, &from).map(Some)
}

/// Sends the e-mails due now (at most 100 a run, a digest counting as one); `site` is the
/// portal's address for the links. Returns how many were sent.
pub async fn deliver(
    pool: &PgPool,
    mailer: &dyn Mailer,
    site: Option<&str>,
) -> Result<usize, crate::BoxError> {
    let mut sent = 0;
    for _ in 0..100 {
        let mut tx = pool.begin().await?;
        let Some(due) = store::next_mail(&mut tx)
            .await
            .map_err(|e| format!("{e:?}"))?
        else {
            break;
        };
        let (subject, body) = mail_text(&due.items, site, due.locale.strings());
        let marked = match mailer.send(&due.to, &subject, &body).await {
            Ok(()) => {
                sent += 1;
                store::mail_sent(&mut tx, &due.ids).await
            }
            Err(e) => {
                let tries = due.attempts + 1;
                let retry = (tries < MAX_ATTEMPTS).then(|| backoff_secs(tries));
                tracing::warn!(ids = ?due.ids, tries, error = %e, "an e-mail was not sent");
                store::mail_failed(&mut tx, &due.ids, &e, retry).await
            }
        };
        marked.map_err(|e| format!("{e:?}"))?;
        tx.commit().await?;
    }
    Ok(sent)
}
