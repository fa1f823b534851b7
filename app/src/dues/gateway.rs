//! Online dues payments through a payment provider. The installation configures one (a
//! command, `PAYMENT_COMMAND`), and the provider may also notify the portal later at
//! `/dues/notify`, signed with a shared secret (`PAYMENT_WEBHOOK_SECRET`). Without a
//! provider, online payments wait for the branch's dues officer to confirm them.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::model::Fen;

/// What the provider is asked to collect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub payment: i64,
    pub amount: Fen,
    /// `DF` (Party dues) or `TF` (League dues), for the provider's statement.
    pub kind: &'static str,
}

/// What the provider answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Charge {
    /// Collected; the provider's reference.
    Paid(String),
    /// Started; the provider notifies the result later.
    Waiting(String),
    /// Not collected, with the provider's reason.
    Refused(String),
}

/// Collects an order.
pub trait PaymentGateway: Send + Sync {
    fn charge<'a>(
        &'a self,
        order: &'a Order,
    ) -> Pin<Box<dyn Future<Output = Result<Charge, String>> + Send + 'a>>;
}

/// The configured provider, as the server functions find it in their context.
#[derive(Clone)]
pub struct Gateway(pub Arc<dyn PaymentGateway>);

/// A provider reached through a command (a vendor's client, or a script calling its API):
/// run with the payment's id, the amount in fen and the kind as arguments, it prints
/// `paid REF`, `waiting REF` or `refused REASON`.
pub struct CommandGateway {
    pub program: std::path::PathBuf,
}

impl PaymentGateway for CommandGateway {
    fn charge<'a>(
        &'a self,
        order: &'a Order,
    ) -> Pin<Box<dyn Future<Output = Result<Charge, String>> + Send + 'a>> {
        Box::pin(async move {
            let program = self.program.clone();
            let args = [
                order.payment.to_string(),
                order.amount.0.to_string(),
                order.kind.to_owned(),
            ];
            let out = tokio::task::spawn_blocking(move || {
                std::process::Command::new(program).args(args).output()
            })
            .await
            .map_err(|e| format!("the payment command did not finish: {e}"))?
            .map_err(|e| format!("cannot run the payment command: {e}"))?;
            if !out.status.success() {
                return Err(format!(
                    "payment command failed ({}): {}",
                    out.status,
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
            parse_answer(&String::from_utf8_lossy(&out.stdout))
        })
    }
}

/// The command's answer: its first line.
pub fn parse_answer(out: &str) -> Result<Charge, String> {
    let line = out.lines().next().unwrap_or("").trim();
    let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
    let rest = rest.trim();
    let reference = || {
        if rest.is_empty() || rest.len() > 64 || rest.chars().any(char::is_whitespace) {
            Err(format!(
                "the payment command gave no usable reference: {line:?}"
            ))
        } else {
            Ok(rest.to_owned())
        }
    };
    match word {
        "paid" => reference().map(Charge::Paid),
        "waiting" => reference().map(Charge::Waiting),
        "refused" => Ok(Charge::Refused(rest.chars().take(200).collect())),
        _ => Err(format!(
            "the payment command's answer is not understood: {line:?}"
        )),
    }
}

/// The secret a provider signs its notifications with.
#[derive(Clone)]
pub struct WebhookSecret(pub Vec<u8>);

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(…)")
    }
}

impl WebhookSecret {
    /// Whether `signature` (hexadecimal) is the HMAC-SHA256 of `body` under the secret;
    /// compared in constant time.
    pub fn verify(&self, body: &[u8], signature: &str) -> bool {
        let sig = signature.trim();
        if sig.len() != 64 || !sig.is_ascii() {
            return false;
        }
        let Some(sig) = (0..32)
            .map(|i| u8::from_str_radix(&sig[2 * i..2 * i + 2], 16).ok())
            .collect::<Option<Vec<u8>>>()
        else {
            return false;
        };
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            return false;
        };
        mac.update(body);
        mac.verify_slice(&sig).is_ok()
    }

    /// The signature of `body`, as a provider computes it.
    pub fn sign(&self, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key");
        mac.update(body);
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// A provider's notification of a payment's result.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Notification {
    pub payment: i64,
    pub reference: String,
    /// What the provider collected, in fen.
    pub amount: i64,
    /// `paid` or `refused`.
    pub status: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_commands_answer_is_read_from_its_first_line() {
        assert_eq!(parse_answer("paid T-1\n"), Ok(Charge::Paid("T-1".into())));
        assert_eq!(parse_answer("waiting W9"), Ok(Charge::Waiting("W9".into())));
        assert_eq!(
            parse_answer("refused 余额不足"),
            Ok(Charge::Refused("余额不足".into()))
        );
        assert!(parse_answer("paid").is_err());
        assert!(parse_answer("paid a b").is_err());
        assert!(parse_answer("ok").is_err());
        assert!(parse_answer("").is_err());
    }

    #[test]
    fn a_notification_is_accepted_only_with_the_secrets_signature() {
        let s = WebhookSecret(b"shared".to_vec());
        let body = br#"{"payment":1}"#;
        let sig = s.sign(body);
        assert!(s.verify(body, &sig));
        assert!(!s.verify(br#"{"payment":2}"#, &sig));
        assert!(!WebhookSecret(b"other".to_vec()).verify(body, &sig));
        assert!(!s.verify(body, "not hex"));
        assert!(!s.verify(body, ""));
    }
}
