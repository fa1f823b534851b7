//! The robots of an organization: set, removed and listed by those who run it; messages
//! queued for them by meetings.

use sqlx::PgConnection;

use super::model::{RobotKind, is_public_ip, parse_secret};
use super::store::{self, DeliveryRow, RobotRow};
use crate::auth::model::Actor;
use crate::error::{AppError, FieldError, Msg};
use crate::ids::OrgId;
use crate::orgs::store::Org;

/// Whether webhook addresses inside the server's network are allowed (a test's local
/// receiver); never in production. Provided by the server from `WEBHOOK_ALLOW_PRIVATE`.
#[derive(Clone, Copy, Debug, Default)]
pub struct AllowPrivateWebhooks(pub bool);

/// A robot's webhook address as typed: an absolute `https` address without a user name,
/// whose host is a name or a public address (`http` and addresses inside the network only
/// when allowed, for tests).
pub fn parse_webhook(input: &str, allow_private: bool) -> Result<String, Msg> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Msg::Required);
    }
    let url = url::Url::parse(s).map_err(|_| Msg::RobotUrlInvalid)?;
    let scheme_ok = url.scheme() == "https" || (allow_private && url.scheme() == "http");
    if !scheme_ok || s.len() > 500 || !url.username().is_empty() || url.password().is_some() {
        return Err(Msg::RobotUrlInvalid);
    }
    let inside = match url.host() {
        None => return Err(Msg::RobotUrlInvalid),
        Some(url::Host::Ipv4(ip)) => !is_public_ip(ip.into()),
        Some(url::Host::Ipv6(ip)) => !is_public_ip(ip.into()),
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost"
                || [".localhost", ".local", ".internal"]
                    .iter()
                    .any(|t| d.ends_with(t))
        }
    };
    if inside && !allow_private {
        return Err(Msg::RobotUrlPrivate);
    }
    Ok(url.to_string())
}

/// An organization's robots and its latest messages to them, for those who run it.
pub async fn robots_page(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
) -> Result<(Org, Vec<RobotRow>, Vec<DeliveryRow>), AppError> {
    let org = crate::org_life::meetings::flow::managed_org(conn, actor, org, false).await?;
    let robots = store::robots(conn, org.id).await?;
    let deliveries = store::deliveries(conn, org.id, 30).await?;
    Ok((org, robots, deliveries))
}

/// Sets (or replaces) an organization's robot of a kind; every fault of the form at once.
pub async fn set_robot(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
    kind: RobotKind,
    (url, secret): (&str, &str),
    allow_private: bool,
) -> Result<(), AppError> {
    let org = crate::org_life::meetings::flow::managed_org(conn, actor, org, false).await?;
    let url = parse_webhook(url, allow_private).map_err(|m| FieldError::new("url", m));
    let secret = match (kind, parse_secret(secret)) {
        (RobotKind::WeCom, Ok(Some(_))) => Err(FieldError::new("secret", Msg::RobotSecretNotUsed)),
        (_, s) => s.map_err(|m| FieldError::new("secret", m)),
    };
    let (url, secret) = match (url, secret) {
        (Ok(u), Ok(s)) => (u, s),
        (u, s) => {
            return Err(AppError::Invalid(
                [u.err(), s.err()].into_iter().flatten().collect(),
            ));
        }
    };
    store::set_robot(conn, org.id, kind, &url, secret.as_deref(), actor.user_id).await
}

pub async fn remove_robot(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
    kind: RobotKind,
) -> Result<(), AppError> {
    let org = crate::org_life::meetings::flow::managed_org(conn, actor, org, false).await?;
    if store::remove_robot(conn, org.id, kind).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_webhook_is_https_to_a_name_or_a_public_address() {
        let ok = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx";
        assert_eq!(parse_webhook(&format!("  {ok} "), false).as_deref(), Ok(ok));
        assert_eq!(parse_webhook("", false), Err(Msg::Required));
        for bad in [
            "qyapi.weixin.qq.com/send",
            "ftp://x.example/",
            "http://oapi.dingtalk.com/robot/send",
            "https://user:pw@oapi.dingtalk.com/robot/send",
            "javascript:alert(1)",
        ] {
            assert_eq!(
                parse_webhook(bad, false),
                Err(Msg::RobotUrlInvalid),
                "{bad}"
            );
        }
        for inside in [
            "https://127.0.0.1/x",
            "https://10.0.0.8:8443/x",
            "https://[::1]/x",
            "https://169.254.169.254/latest",
            "https://localhost/x",
            "https://db.internal/x",
            "https://0x7f000001/x",
        ] {
            assert_eq!(
                parse_webhook(inside, false),
                Err(Msg::RobotUrlPrivate),
                "{inside}"
            );
        }
        assert!(parse_webhook("http://127.0.0.1:9999/hook", true).is_ok());
    }
}
