//! Group robots through the real router and a local receiver standing in for WeChat Work
//! and DingTalk: who may connect one, the address checks, a meeting told to the group once
//! with two senders at once, DingTalk's signature, retries with a growing wait and giving
//! up, and an address that resolves inside the network refused when sending.

mod common;

use std::sync::{Arc, Mutex};

use common::{client, client_with, count, error_msg, world};
use http::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");
const KEY: &str = "693a91f6-7b1c-4d2e-9f3a-0c5e8d7b6a41";

/// What the receiver was sent: each request's query string and JSON body.
type Received = Arc<Mutex<Vec<(String, Value)>>>;

/// A local receiver answering every post with `errcode`; its address.
async fn receiver(errcode: i64) -> (String, Received) {
    use axum::extract::{RawQuery, State};
    let got: Received = Arc::default();
    let app = axum::Router::new()
        .route(
            "/{*path}",
            axum::routing::post(
                move |State(got): State<Received>,
                      RawQuery(q): RawQuery,
                      axum::Json(body): axum::Json<Value>| async move {
                    got.lock().unwrap().push((q.unwrap_or_default(), body));
                    axum::Json(serde_json::json!({ "errcode": errcode, "errmsg": "test" }))
                },
            ),
        )
        .with_state(got.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), got)
}

/// A signed-in client of a server that lets robots point at the local receiver.
async fn local(pool: &PgPool, login: &str) -> common::Client {
    let mut s = common::settings();
    s.allow_private_webhooks = true;
    let mut c = client_with(pool, s).await;
    assert_eq!(
        c.sign_in(login, common::PASSWORD).await.status,
        StatusCode::OK
    );
    c
}

fn sender() -> server::webhooks::Sender {
    server::webhooks::Sender {
        allow_private: true,
        site_url: Some("https://e.example".into()),
    }
}

async fn set(
    c: &mut common::Client,
    org: &str,
    kind: &str,
    url: &str,
    secret: &str,
) -> common::Reply {
    c.call(
        "set_org_robot",
        &[
            ("org", org),
            ("kind", kind),
            ("url", url),
            ("secret", secret),
        ],
    )
    .await
}

async fn schedule(c: &mut common::Client, org: &str) {
    let org = app::ids::OrgId(org.parse().unwrap());
    common::schedule_meeting(c, org, "三楼会议室").await;
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_secretary_connects_a_group_that_hears_of_a_meeting_once(pool: PgPool) {
    let w = world(&pool).await;
    let (base, got) = receiver(0).await;
    let org = w.branch_a.0.to_string();
    let mut sec = local(&pool, "secretary").await;
    let url = format!("{base}/cgi-bin/webhook/send?key={KEY}");
    let r = set(&mut sec, &org, "wecom", &url, "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    schedule(&mut sec, &org).await;
    assert_eq!(
        count(&pool, "SELECT count(*) FROM robot_deliveries").await,
        1
    );

    // Two servers send at the same moment: the group hears it once.
    let s = sender();
    let (a, b) = tokio::join!(
        server::webhooks::deliver(&pool, &s),
        server::webhooks::deliver(&pool, &s)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    let sent = got.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, format!("key={KEY}"));
    assert_eq!(sent[0].1["msgtype"], "text");
    let text = sent[0].1["text"]["content"].as_str().unwrap();
    assert!(
        text.contains("十二月支部党员大会")
            && text.contains("2031-05-06 19:00")
            && text.contains("三楼会议室"),
        "{text}"
    );
    assert!(text.contains("https://e.example/orglife?org="), "{text}");

    // The page shows the robot without its key, and the message as sent.
    let page = sec.call("org_robots", &[("org", &org)]).await.json();
    let address = page["robots"][0]["address"].as_str().unwrap();
    assert!(
        !address.contains(KEY) && address.ends_with("6a41"),
        "{address}"
    );
    assert_eq!(page["deliveries"][0]["state"], "Sent");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn only_those_who_run_the_organization_connect_robots_and_addresses_are_checked(
    pool: PgPool,
) {
    let w = world(&pool).await;
    let org = w.branch_a.0.to_string();
    let hook = format!("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}");
    let r = client(&pool)
        .await
        .call(
            "set_org_robot",
            &[
                ("org", &org),
                ("kind", "wecom"),
                ("url", &hook),
                ("secret", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    for who in ["member", "secretary2"] {
        let mut c = common::signed_in(&pool, who).await;
        assert_eq!(
            set(&mut c, &org, "wecom", &hook, "").await.status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
        assert_eq!(
            c.call("org_robots", &[("org", &org)]).await.status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
    // A server that does not allow addresses inside the network.
    let mut sec = common::signed_in(&pool, "secretary").await;
    let cases = [
        (
            "wecom",
            "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K",
            "",
            "RobotUrlInvalid",
        ),
        (
            "wecom",
            "https://127.0.0.1:8443/hook",
            "",
            "RobotUrlPrivate",
        ),
        (
            "dingtalk",
            "https://169.254.169.254/latest/meta-data",
            "",
            "RobotUrlPrivate",
        ),
        ("wecom", &hook, "SEC1234567890", "RobotSecretNotUsed"),
        (
            "dingtalk",
            "https://oapi.dingtalk.com/robot/send?access_token=T",
            "short",
            "RobotSecretInvalid",
        ),
        ("dingtalk", "", "", "Required"),
    ];
    for (kind, url, secret, msg) in cases {
        let r = set(&mut sec, &org, kind, url, secret).await;
        assert_eq!(error_msg(&r.body), msg, "{url}: {}", r.body);
    }
    let r = set(&mut sec, &org, "slack", &hook, "").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(count(&pool, "SELECT count(*) FROM org_robots").await, 0);
    // A real address is taken, and removing it leaves none.
    assert_eq!(
        set(&mut sec, &org, "wecom", &hook, "").await.status,
        StatusCode::OK
    );
    let r = sec
        .call("remove_org_robot", &[("org", &org), ("kind", "wecom")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(count(&pool, "SELECT count(*) FROM org_robots").await, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn dingtalk_is_signed_a_refusal_is_retried_later_and_given_up_after_eight(pool: PgPool) {
    let w = world(&pool).await;
    let (base, got) = receiver(310000).await;
    let org = w.branch_a.0.to_string();
    let mut sec = local(&pool, "secretary").await;
    let secret = "SECb6f2a0c4e8d1f3a5b7c9e0d2f4a6b8c0";
    let url = format!("{base}/robot/send?access_token=T0KEN");
    assert_eq!(
        set(&mut sec, &org, "dingtalk", &url, secret).await.status,
        StatusCode::OK
    );
    schedule(&mut sec, &org).await;
    let s = sender();
    assert_eq!(server::webhooks::deliver(&pool, &s).await.unwrap(), 0);
    // Signed as DingTalk documents: HMAC-SHA256 of "timestamp\nsecret", base64.
    let (query, _) = got.lock().unwrap()[0].clone();
    let params: std::collections::HashMap<String, String> =
        url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
    let expected = {
        use base64::Engine;
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("{}\n{secret}", params["timestamp"]).as_bytes());
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    };
    assert_eq!(
        (params["access_token"].as_str(), params["sign"].as_str()),
        ("T0KEN", expected.as_str())
    );
    // The refusal waits 30 seconds, then longer each time, and after eight tries is given up.
    let (attempts, wait, error): (i32, f64, String) = sqlx::query_as(
        "SELECT attempts, extract(epoch FROM next_at - now())::float8, error FROM robot_deliveries",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(attempts, 1);
    assert!((20.0..=31.0).contains(&wait), "{wait}");
    assert!(error.contains("310000"), "{error}");
    for _ in 1..8 {
        sqlx::query("UPDATE robot_deliveries SET next_at = now()")
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(server::webhooks::deliver(&pool, &s).await.unwrap(), 0);
    }
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM robot_deliveries WHERE attempts = 8 AND failed_at IS NOT NULL"
        )
        .await,
        1
    );
    sqlx::query("UPDATE robot_deliveries SET next_at = now()")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(server::webhooks::deliver(&pool, &s).await.unwrap(), 0);
    assert_eq!(got.lock().unwrap().len(), 8);
    let page = sec.call("org_robots", &[("org", &org)]).await.json();
    assert_eq!(page["deliveries"][0]["state"], "Failed");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_name_that_resolves_inside_the_network_is_refused_when_sending(pool: PgPool) {
    let w = world(&pool).await;
    // Stored as if set before; the sender checks the address it would connect to.
    sqlx::query(
        "INSERT INTO org_robots (org_id, kind, url, added_by)
         SELECT $1, 'wecom', 'https://localhost:9/cgi-bin/webhook/send?key=K', id FROM users WHERE username = 'secretary'",
    )
    .bind(w.branch_a)
    .execute(&pool)
    .await
    .unwrap();
    let mut sec = common::signed_in(&pool, "secretary").await;
    schedule(&mut sec, &w.branch_a.0.to_string()).await;
    let strict = server::webhooks::Sender::default();
    assert_eq!(server::webhooks::deliver(&pool, &strict).await.unwrap(), 0);
    let error: String = sqlx::query_scalar("SELECT error FROM robot_deliveries")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(error.contains("inside the network"), "{error}");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_group_gets_the_day_before_reminder_too(pool: PgPool) {
    let w = world(&pool).await;
    let (base, got) = receiver(0).await;
    let org = w.branch_a.0.to_string();
    let mut sec = local(&pool, "secretary").await;
    let url = format!("{base}/cgi-bin/webhook/send?key={KEY}");
    assert_eq!(
        set(&mut sec, &org, "wecom", &url, "").await.status,
        StatusCode::OK
    );
    schedule(&mut sec, &org).await;
    sqlx::query(
        "UPDATE meetings SET starts_at = now() + interval '23 hours', ends_at = now() + interval '24 hours',
                             created_at = now() - interval '3 days'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let (a, b) = tokio::join!(
        server::jobs::reminders(&pool),
        server::jobs::reminders(&pool)
    );
    assert!(a.unwrap() + b.unwrap() > 0);
    let s = sender();
    assert_eq!(server::webhooks::deliver(&pool, &s).await.unwrap(), 2);
    assert_eq!(server::webhooks::deliver(&pool, &s).await.unwrap(), 0);
    let texts: Vec<String> = got
        .lock()
        .unwrap()
        .iter()
        .map(|(_, b)| b["text"]["content"].as_str().unwrap().to_owned())
        .collect();
    assert!(texts[1].contains("24 小时后"), "{texts:?}");
}
