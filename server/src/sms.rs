//! Text messages to people outside the portal (an enterprise's contact, a proposed
//! secretary) and members' reminders. Messages wait in the `outbox` table; a configured
//! gateway sends them, tries a failed one again later and at last marks it given up.
//! Without one they stay for admins to see on `/league/outbox`, and every link in them can
//! also be copied from the page that made it.

use std::future::Future;
use std::pin::Pin;

use app::league::founding::store;
use app::notices::robots::model::backoff_secs;
use sqlx::PgPool;

/// Sends one text message.
pub trait SmsGateway: Send + Sync {
    fn send<'a>(
        &'a self,
        to: &'a str,
        body: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;
}

/// A gateway that runs a command per message with the number and the text as its two
/// arguments (a vendor's command-line client, or a script calling its HTTP API); a zero
/// exit status means sent. Configured by `SMS_COMMAND`.
pub struct CommandGateway {
    pub program: std::path::PathBuf,
}

impl SmsGateway for CommandGateway {
    fn send<'a>(
        &'a self,
        to: &'a str,
        body: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>> {
        Box::pin(async move {
            let (program, to, body) = (self.program.clone(), to.to_owned(), body.to_owned());
            let out = tokio::task::spawn_blocking(move || {
                std::process::Command::new(program)
                    .arg(to)
                    .arg(body)
                    .output()
            })
            .await
            .map_err(|e| format!("the SMS command did not finish: {e}"))?
            .map_err(|e| format!("cannot run the SMS command: {e}"))?;
            if out.status.success() {
                Ok(())
            } else {
                let err = String::from_utf8_lossy(&out.stderr);
                Err(format!(
                    "SMS command failed ({}): {}",
                    out.status,
                    err.trim()
                ))
            }
        })
    }
}

/// The gateway in `SMS_COMMAND`, if set.
pub fn configured() -> Option<CommandGateway> {
    std::env::var_os("SMS_COMMAND")
        .filter(|p| !p.is_empty())
        .map(|p| CommandGateway { program: p.into() })
}

/// Tries before a text message is given up: with the growing wait of
/// [`backoff_secs`], the last about 8 minutes after the first, so that a one-time code
/// still arrives in its time when the gateway was down for a moment.
pub const MAX_ATTEMPTS: i32 = 5;

/// Sends the messages due now (at most 100 a run, oldest first, a day's digest counting
/// as one), each claimed under a row lock so that two processes never send one twice; a
/// failed one is tried again after a growing wait, then given up for admins to see.
/// Returns how many were sent.
pub async fn deliver(pool: &PgPool, gateway: &dyn SmsGateway) -> Result<usize, crate::BoxError> {
    let mut sent = 0;
    for _ in 0..100 {
        let mut tx = pool.begin().await?;
        let Some(due) = store::next_unsent(&mut tx)
            .await
            .map_err(|e| format!("{e:?}"))?
        else {
            break;
        };
        let marked = match gateway.send(&due.to, &due.text).await {
            Ok(()) => {
                sent += 1;
                store::sms_sent(&mut tx, &due.ids).await
            }
            Err(e) => {
                let tries = due.attempts + 1;
                let retry = (tries < MAX_ATTEMPTS).then(|| backoff_secs(tries));
                tracing::warn!(ids = ?due.ids, tries, error = %e, "a text message was not sent");
                store::sms_failed(&mut tx, &due.ids, &e, retry).await
            }
        };
        marked.map_err(|e| format!("{e:?}"))?;
        tx.commit().await?;
    }
    Ok(sent)
}
