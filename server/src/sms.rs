//! Text messages to people outside the portal (an enterprise's contact, a proposed
//! secretary). Messages wait in the `outbox` table; a configured gateway sends them and
//! marks each sent or failed. Without one they stay for admins to see on `/league/outbox`,
//! and every link in them can also be copied from the page that made it.

use std::future::Future;
use std::pin::Pin;

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

/// Sends the waiting messages (at most 100 a run, oldest first), each claimed under a row
/// lock so that two processes never send one twice. Returns how many were sent.
pub async fn deliver(pool: &PgPool, gateway: &dyn SmsGateway) -> Result<usize, crate::BoxError> {
    let mut sent = 0;
    for _ in 0..100 {
        let mut tx = pool.begin().await?;
        let Some((id, to, body)) = app::league::founding::store::next_unsent(&mut tx)
            .await
            .map_err(|e| format!("{e:?}"))?
        else {
            break;
        };
        let result = gateway.send(&to, &body).await;
        app::league::founding::store::mark_delivery(&mut tx, id, result.as_ref().err())
            .await
            .map_err(|e| format!("{e:?}"))?;
        tx.commit().await?;
        match result {
            Ok(()) => sent += 1,
            Err(e) => tracing::warn!(id, error = %e, "a text message could not be sent"),
        }
    }
    Ok(sent)
}
