//! Sends the messages waiting for organizations' group robots (WeChat Work, DingTalk): each
//! claimed under a row lock so that several servers send it once, posted as the platforms'
//! JSON text message to the robot's webhook, DingTalk's signed with the robot's secret.
//! An address is resolved first and refused when it lies inside the server's network
//! (unless allowed, for tests), the connection goes to the address checked, and no
//! redirect is followed. A failure waits longer each time and is given up after a few,
//! kept with its error for the organization's page.

use std::net::SocketAddr;
use std::time::Duration;

use app::notices::robots::model::{MAX_ATTEMPTS, RobotKind, backoff_secs, is_public_ip};
use app::notices::robots::store::{self, DueRow};
use sqlx::PgPool;

/// What sending needs beyond the database.
#[derive(Clone, Default)]
pub struct Sender {
    /// Addresses inside the network are allowed (a test's local receiver).
    pub allow_private: bool,
    /// The portal's address, for the link under a message.
    pub site_url: Option<String>,
}

/// The JSON both platforms take for a text message.
pub fn text_body(text: &str) -> serde_json::Value {
    serde_json::json!({ "msgtype": "text", "text": { "content": text } })
}

/// DingTalk's signature of a request (加签): HMAC-SHA256 of "timestamp\nsecret" with the
/// secret as key, in base64, added to the address with the timestamp in milliseconds.
pub fn dingtalk_signed(url: &str, secret: &str, timestamp_ms: i64) -> String {
    use base64::Engine;
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{timestamp_ms}\n{secret}").as_bytes());
    let sign = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let sign: String = url::form_urlencoded::byte_serialize(sign.as_bytes()).collect();
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}timestamp={timestamp_ms}&sign={sign}")
}

/// Sends the messages due now (at most 100 a run). Returns how many were sent.
pub async fn deliver(pool: &PgPool, sender: &Sender) -> Result<usize, crate::BoxError> {
    let mut sent = 0;
    for _ in 0..100 {
        let mut tx = pool.begin().await?;
        let Some(due) = store::next_due(&mut tx)
            .await
            .map_err(|e| format!("{e:?}"))?
        else {
            break;
        };
        let result = match &due.url {
            Some(url) => post(sender, &due, url).await,
            None => Err("the robot was removed".to_owned()),
        };
        let marked = match &result {
            Ok(()) => store::mark_sent(&mut tx, due.id).await,
            Err(e) => {
                let tries = due.attempts + 1;
                let wait = (tries < MAX_ATTEMPTS && due.url.is_some()).then(|| backoff_secs(tries));
                store::mark_failed(&mut tx, due.id, e, wait).await
            }
        };
        marked.map_err(|e| format!("{e:?}"))?;
        tx.commit().await?;
        match result {
            Ok(()) => sent += 1,
            Err(e) => {
                tracing::warn!(id = due.id, error = %e, "a group robot message could not be sent")
            }
        }
    }
    Ok(sent)
}

async fn post(sender: &Sender, due: &DueRow, url: &str) -> Result<(), String> {
    let locale = app::i18n::Locale::parse(&due.locale).unwrap_or_default();
    let mut text = due.message.0.render(locale.strings());
    if let (Some(site), false) = (&sender.site_url, due.link.is_empty()) {
        text = format!("{text}\n{}{}", site.trim_end_matches('/'), due.link);
    }
    let kind = RobotKind::parse(&due.kind).ok_or("unknown robot kind")?;
    let target = match (kind, &due.secret) {
        (RobotKind::DingTalk, Some(secret)) => {
            dingtalk_signed(url, secret, chrono::Utc::now().timestamp_millis())
        }
        _ => url.to_owned(),
    };
    let parsed = url::Url::parse(&target).map_err(|e| format!("bad address: {e}"))?;
    let host = parsed.host_str().ok_or("no host")?.to_owned();
    let port = parsed.port_or_known_default().ok_or("no port")?;
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.trim_matches(['[', ']']), port))
        .await
        .map_err(|e| format!("cannot resolve {host}: {e}"))?
        .collect();
    let addr = addrs
        .into_iter()
        .find(|a| sender.allow_private || is_public_ip(a.ip()))
        .ok_or_else(|| format!("{host} resolves only to addresses inside the network"))?;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .resolve(&host, addr)
        .build()
        .map_err(|e| e.to_string())?;
    let res = client
        .post(parsed)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(text_body(&text).to_string())
        .send()
        .await
        .map_err(|e| format!("request failed: {e}"))?;
    let status = res.status();
    let answer: serde_json::Value = res
        .bytes()
        .await
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(serde_json::Value::Null);
    // Both platforms answer 200 with {"errcode": 0, "errmsg": "ok"} when they took it.
    if status.is_success() && answer["errcode"].as_i64() == Some(0) {
        Ok(())
    } else {
        Err(format!("answered {status}: {answer}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dingtalk_signs_the_timestamp_and_secret_as_its_documentation_gives() {
        // HMAC-SHA256("1700000000000\nSECtest", key "SECtest"), base64, then URL-encoded.
        let url = dingtalk_signed(
            "https://oapi.dingtalk.com/robot/send?access_token=T",
            "SECtest",
            1_700_000_000_000,
        );
        // The expected value computed apart (Python's hmac, base64 and quote_plus).
        assert_eq!(
            url,
            "https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=1700000000000\
             &sign=aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g%3D"
        );
        assert_eq!(text_body("hi")["text"]["content"], "hi");
    }
}
