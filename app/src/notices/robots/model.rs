//! The robots' kinds, the check of a webhook address, and how long a failed message waits.

use serde::{Deserialize, Serialize};

use crate::error::Msg;

/// A group chat platform with a webhook robot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RobotKind {
    /// 企业微信 (WeChat Work): `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`.
    WeCom,
    /// 钉钉 (DingTalk): `https://oapi.dingtalk.com/robot/send?access_token=…`, signed with
    /// the robot's secret when it has one (加签).
    DingTalk,
}

impl RobotKind {
    pub const ALL: [RobotKind; 2] = [RobotKind::WeCom, RobotKind::DingTalk];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::WeCom => "wecom",
            Self::DingTalk => "dingtalk",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self, t: &crate::i18n::Strings) -> &'static str {
        match self {
            Self::WeCom => t.robot_wecom,
            Self::DingTalk => t.robot_dingtalk,
        }
    }
}

/// Tries before a message is given up (about four hours of waiting in all).
pub const MAX_ATTEMPTS: i32 = 8;

/// Seconds to wait after the `attempts`-th failure: 30 s, doubling, at most an hour.
pub fn backoff_secs(attempts: i32) -> i64 {
    (30i64 << attempts.clamp(1, 8).saturating_sub(1)).min(3600)
}

/// A robot's secret as typed: blank for none (WeChat Work never has one), else 8 to 200
/// visible characters.
pub fn parse_secret(input: &str) -> Result<Option<String>, Msg> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if (8..=200).contains(&s.len()) && s.chars().all(|c| c.is_ascii_graphic()) {
        Ok(Some(s.to_owned()))
    } else {
        Err(Msg::RobotSecretInvalid)
    }
}

/// Whether an address may be reached by a webhook: not loopback, private, link-local,
/// shared, documentation, multicast or unspecified (nothing inside the server's network).
pub fn is_public_ip(ip: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_ip(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_message_waits_longer_each_time_up_to_an_hour() {
        let waits: Vec<i64> = (1..=9).map(backoff_secs).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(backoff_secs(0), 30);
    }

    #[test]
    fn addresses_inside_the_network_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public_ip(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["101.226.141.1", "203.119.1.1", "2408:8000::1"] {
            assert!(is_public_ip(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn secrets_are_blank_or_a_visible_token() {
        assert_eq!(parse_secret("  "), Ok(None));
        assert_eq!(
            parse_secret(" SECabc123456 ").unwrap().as_deref(),
            Some("SECabc123456")
        );
        assert_eq!(parse_secret("short"), Err(Msg::RobotSecretInvalid));
        assert_eq!(
            parse_secret("has space inside"),
            Err(Msg::RobotSecretInvalid)
        );
        assert_eq!(RobotKind::parse("dingtalk"), Some(RobotKind::DingTalk));
        assert_eq!(RobotKind::parse("slack"), None);
    }
}
