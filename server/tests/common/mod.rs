//! Drives the real router (every layer, every server function) with in-process requests,
//! keeping the session cookie like a browser would.

#![allow(
    dead_code,
    reason = "each test file uses a different part of this helper"
)]

use app::auth::session::AuthSettings;
use app::ids::{OrgId, UserId};
use axum::Router;
use axum::body::Body;
use http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use serde_json::Value;
use sqlx::PgPool;
use tower::ServiceExt;

pub const HOST: &str = "portal.test";
pub const ORIGIN: &str = "http://portal.test";

pub struct Client {
    router: Router,
    /// The test's pool, read when a request does not answer (see [`stalled`]).
    pool: PgPool,
    pub cookie: Option<String>,
    /// Sent as `X-Forwarded-For` (a client behind a trusted proxy).
    pub forwarded_for: Option<String>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as it came (a downloaded file).
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// One upload folder per test process, shared by its clients like one server's.
pub fn upload_dir_path() -> std::path::PathBuf {
    static DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        std::env::temp_dir().join(format!("qnej-test-uploads-{}", std::process::id()))
    })
    .clone()
}

/// The upload folder, as the app sees it.
pub fn upload_dir() -> app::uploads::store::UploadDir {
    app::uploads::store::UploadDir(upload_dir_path())
}

pub fn settings() -> server::Settings {
    server::Settings {
        upload_dir: upload_dir_path(),
        auth: AuthSettings {
            signin_per_account: 5,
            signin_per_ip: 1000,
            signin_account_ceiling: 20,
            signup_per_ip: 1000,
            window_secs: 900,
        },
        ballot_key: app::org_life::evaluation::ballot::BallotKey::from_hex(&"42".repeat(32)),
        ..Default::default()
    }
}

/// A live session of `user_id`, as a signed-in browser holds one, for tests that call the
/// stores that check it directly.
pub async fn live_claim(pool: &PgPool, user_id: UserId) -> app::auth::model::Claim {
    server::migrate(pool).await.expect("session store table");
    let session_id = format!("test-session-{user_id}");
    sqlx::query(
        "INSERT INTO tower_sessions.session (id, data, expiry_date)
         VALUES ($1, ''::bytea, now() + interval '1 day') ON CONFLICT (id) DO NOTHING",
    )
    .bind(&session_id)
    .execute(pool)
    .await
    .unwrap();
    app::auth::model::Claim {
        user_id,
        session_id,
        epoch: 0,
    }
}

pub async fn client(pool: &PgPool) -> Client {
    client_with(pool, settings()).await
}

pub async fn client_with(pool: &PgPool, settings: server::Settings) -> Client {
    // Server logs go to the test's output, shown when a test fails.
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter("warn,server=info,app=info")
        .try_init();
    server::migrate(pool).await.expect("session store table");
    let options = LeptosOptions::builder().output_name("qnej").build();
    Client {
        router: server::router(pool.clone(), options, settings),
        pool: pool.clone(),
        cookie: None,
        forwarded_for: None,
    }
}

fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// How long a test waits for one answer of the router.
const ANSWER_WITHIN: std::time::Duration = std::time::Duration::from_secs(120);

/// What the database was doing when a request did not answer: the pool's connections and
/// every session on the test's database with what it waits for, read on a connection of
/// its own (the pool may have none to give).
async fn stalled(pool: &PgPool) -> String {
    use sqlx::Connection;
    let mut seen = format!(
        "pool: {} connections, {} idle\n",
        pool.size(),
        pool.num_idle()
    );
    let sessions = async {
        let mut c = sqlx::PgConnection::connect_with(&pool.connect_options()).await?;
        sqlx::query_as::<_, (i32, Option<String>, Option<String>, Option<String>, Option<String>, Vec<i32>)>(
            "SELECT pid, state, wait_event_type, wait_event, left(query, 300), pg_blocking_pids(pid)
             FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .fetch_all(&mut c)
        .await
    };
    match tokio::time::timeout(std::time::Duration::from_secs(10), sessions).await {
        Ok(Ok(rows)) => {
            for (pid, state, wait_type, wait, query, blocked_by) in rows {
                seen += &format!(
                    "{pid} {state:?} waits {wait_type:?}/{wait:?} behind {blocked_by:?}: {query:?}\n"
                );
            }
        }
        Ok(Err(e)) => seen += &format!("sessions not read: {e}\n"),
        Err(_) => seen += "sessions not read within 10s\n",
    }
    seen
}

impl Client {
    /// Calls a server function the way the hydrated page does.
    pub async fn call(&mut self, name: &str, fields: &[(&str, &str)]) -> Reply {
        let req = Request::post(format!("/api/{name}"))
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        self.send(req, form_body(fields)).await
    }

    /// Sends a request built by the test, with the kept cookie.
    pub async fn send(&mut self, mut req: http::request::Builder, body: impl Into<Body>) -> Reply {
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, c);
        }
        if let Some(ip) = &self.forwarded_for {
            req = req.header("x-forwarded-for", ip);
        }
        let req = req.body(body.into()).unwrap();
        let what = format!("{} {}", req.method(), req.uri());
        // A request that never answers fails its test with its name, rather than holding
        // the whole run until the runner's own limit.
        // What had come when a request stalls: its head, and the body so far.
        let (mut head, mut sofar) = (None, Vec::new());
        let answered = tokio::time::timeout(ANSWER_WITHIN, async {
            let res = self.router.clone().oneshot(req).await.unwrap();
            let (parts, mut body) = res.into_parts();
            head = Some(parts.status);
            while let Some(frame) = body.frame().await {
                if let Ok(data) = frame.unwrap().into_data() {
                    sofar.extend_from_slice(&data);
                }
            }
            parts
        })
        .await;
        let Ok(res) = answered else {
            let seen = stalled(&self.pool).await;
            let body = String::from_utf8_lossy(&sofar);
            let tail: String = body
                .chars()
                .rev()
                .take(600)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            panic!(
                "{what}: no answer within {ANSWER_WITHIN:?}\nhead: {head:?}; body so far ({} bytes), its end: {tail}\n{seen}",
                sofar.len()
            );
        };
        let bytes = sofar;
        let status = res.status;
        let headers = res.headers;
        for value in headers.get_all(header::SET_COOKIE) {
            let v = value.to_str().unwrap();
            if let Some(pair) = v
                .split(';')
                .next()
                .filter(|p| p.starts_with("qnej_session="))
            {
                self.cookie = if v.contains("Max-Age=0") {
                    None
                } else {
                    Some(pair.to_owned())
                };
            }
        }
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    /// Sends a request with the kept cookie and hands back the answer as it comes, its body
    /// unread (a download read slowly).
    pub async fn open(&mut self, path: &str) -> http::Response<Body> {
        let mut req = Request::get(path).header(header::HOST, HOST);
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, c);
        }
        self.router
            .clone()
            .oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap()
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        let req = Request::get(path)
            .header(header::HOST, HOST)
            .header(header::ACCEPT, "text/html");
        self.send(req, String::new()).await
    }

    /// Uploads a file the way the page's file picker does.
    pub async fn upload(&mut self, purpose: &str, name: &str, bytes: Vec<u8>) -> Reply {
        let req = Request::post(format!("/api/uploads?purpose={purpose}&name={}", enc(name)))
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_LENGTH, bytes.len())
            .header(header::CONTENT_TYPE, "application/octet-stream");
        self.send(req, bytes).await
    }

    pub async fn sign_in(&mut self, login: &str, password: &str) -> Reply {
        self.call(
            "sign_in",
            &[("login", login), ("password", password), ("next", "")],
        )
        .await
    }

    pub async fn current_user(&mut self) -> Value {
        let r = self.call("current_user", &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }
}

/// A small world: a company committee with two Party branches, a secretary of the first,
/// a plain member of the first, an admin of the committee, and a platform admin. All share
/// the password `PASSWORD`.
pub struct World {
    pub committee: OrgId,
    pub branch_a: OrgId,
    pub branch_b: OrgId,
}

pub const PASSWORD: &str = "correct-horse-7";

pub async fn world(pool: &PgPool) -> World {
    use app::auth::model::Role;
    use app::orgs::model::{MemberStatus, OrgKind, Tree};
    use app::orgs::store::{NewOrg, create_org, grant_role, join, org};

    let mut c = pool.acquire().await.unwrap();
    let hash = app::auth::session::hash_password(PASSWORD.to_owned())
        .await
        .unwrap();
    let committee = create_org(
        &mut c,
        &NewOrg {
            tree: Tree::Party,
            kind: OrgKind::Committee,
            name: "甲公司党委",
            parent: None,
            enterprise_id: None,
        },
    )
    .await
    .unwrap();
    let top = org(&mut c, committee).await.unwrap().unwrap();
    let branch_a = create_org(
        &mut c,
        &NewOrg {
            tree: Tree::Party,
            kind: OrgKind::Branch,
            name: "研发党支部",
            parent: Some(&top),
            enterprise_id: None,
        },
    )
    .await
    .unwrap();
    let branch_b = create_org(
        &mut c,
        &NewOrg {
            tree: Tree::Party,
            kind: OrgKind::Branch,
            name: "运营党支部",
            parent: Some(&top),
            enterprise_id: None,
        },
    )
    .await
    .unwrap();

    let mut user = async |username: &str, phone: &str| -> UserId {
        sqlx::query_scalar("INSERT INTO users (username, phone, display_name, password_hash) VALUES ($1, $2, $1, $3) RETURNING id")
            .bind(username)
            .bind(phone)
            .bind(&hash)
            .fetch_one(&mut *c)
            .await
            .unwrap()
    };
    let secretary = user("secretary", "13900000001").await;
    let member = user("member", "13900000002").await;
    let admin = user("orgadmin", "13900000003").await;
    let platform = user("admin", "13900000004").await;
    let other_secretary = user("secretary2", "13900000005").await;

    join(&mut c, secretary, branch_a, MemberStatus::Full)
        .await
        .unwrap();
    join(&mut c, member, branch_a, MemberStatus::Full)
        .await
        .unwrap();
    join(&mut c, other_secretary, branch_b, MemberStatus::Full)
        .await
        .unwrap();
    grant_role(&mut c, secretary, Role::Secretary, Some(branch_a), None)
        .await
        .unwrap();
    grant_role(
        &mut c,
        other_secretary,
        Role::Secretary,
        Some(branch_b),
        None,
    )
    .await
    .unwrap();
    grant_role(&mut c, admin, Role::OrgAdmin, Some(committee), None)
        .await
        .unwrap();
    grant_role(&mut c, platform, Role::PlatformAdmin, None, None)
        .await
        .unwrap();
    World {
        committee,
        branch_a,
        branch_b,
    }
}

/// Adds an invitation to a branch: valid for `days` (negative: already expired).
pub async fn invitation(
    pool: &PgPool,
    code: &str,
    org_id: OrgId,
    days: i32,
    max_uses: i32,
    used: i32,
) {
    sqlx::query(
        "INSERT INTO invitations (code, org_id, status, expires_at, max_uses, used)
         VALUES ($1, $2, 'full', now() + make_interval(days => $3), $4, $5)",
    )
    .bind(code)
    .bind(org_id)
    .bind(days)
    .bind(max_uses)
    .bind(used)
    .execute(pool)
    .await
    .unwrap();
}

/// A user signing in with `username` and the password whose hash is `hash`.
pub async fn add_user(
    c: &mut sqlx::PgConnection,
    hash: &str,
    username: &str,
    phone: &str,
) -> UserId {
    sqlx::query_scalar(
        "INSERT INTO users (username, phone, display_name, password_hash) VALUES ($1, $2, $1, $3) RETURNING id",
    )
    .bind(username)
    .bind(phone)
    .bind(hash)
    .fetch_one(c)
    .await
    .unwrap()
}

/// The id of the user signing in as `username`.
pub async fn user_id(pool: &PgPool, username: &str) -> UserId {
    sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// How many notifications of `kind` the user signing in as `username` has.
pub async fn notifications(pool: &PgPool, username: &str, kind: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id
         WHERE u.username = $1 AND n.kind = $2",
    )
    .bind(username)
    .bind(kind)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// A client signed in as `login` with the shared password.
pub async fn signed_in(pool: &PgPool, login: &str) -> Client {
    let mut c = client(pool).await;
    assert_eq!(c.sign_in(login, PASSWORD).await.status, StatusCode::OK);
    c
}

/// What a refusal says: an invalid form's first message, or a conflict's.
pub fn error_msg(body: &str) -> Value {
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    match &v {
        Value::Object(o) if o.contains_key("Invalid") => v["Invalid"][0]["msg"].clone(),
        Value::Object(o) if o.contains_key("Conflict") => v["Conflict"].clone(),
        _ => v,
    }
}

/// The number a counting statement answers.
pub async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// Puts the world's organizations in one enterprise, 甲公司, and gives it a League
/// committee with one branch, 研发团支部: answers (the League committee, its branch).
pub async fn one_workplace(pool: &PgPool) -> (OrgId, OrgId) {
    use app::orgs::model::{OrgKind, Tree};
    use app::orgs::store::{NewOrg, create_org, org};
    let mut c = pool.acquire().await.unwrap();
    let ent: i64 = sqlx::query_scalar(
        "INSERT INTO enterprises (name, credit_code) VALUES ('甲公司', '91440300MA5F000001') RETURNING id",
    )
    .fetch_one(&mut *c)
    .await
    .unwrap();
    sqlx::query("UPDATE orgs SET enterprise_id = $1")
        .bind(ent)
        .execute(&mut *c)
        .await
        .unwrap();
    let committee = NewOrg {
        tree: Tree::League,
        kind: OrgKind::Committee,
        name: "甲公司团委",
        parent: None,
        enterprise_id: Some(ent),
    };
    let committee = create_org(&mut c, &committee).await.unwrap();
    let top = org(&mut c, committee).await.unwrap().unwrap();
    let branch = NewOrg {
        tree: Tree::League,
        kind: OrgKind::Branch,
        name: "研发团支部",
        parent: Some(&top),
        enterprise_id: Some(ent),
    };
    let branch = create_org(&mut c, &branch).await.unwrap();
    (committee, branch)
}

/// Schedules a general meeting of `org` for its whole branch (far ahead, at a room named
/// after `room`), as `c` (its secretary); answers the meeting's id.
pub async fn schedule_meeting(c: &mut Client, org: OrgId, room: &str) -> i64 {
    let r = c
        .call(
            "schedule_meeting",
            &[
                ("org", &org.to_string()),
                ("kind", "general_meeting"),
                ("title", "十二月支部党员大会"),
                ("starts", "2031-05-06T19:00"),
                ("ends", "2031-05-06T20:00"),
                ("place", room),
                ("online_link", ""),
                ("agenda", "学习；讨论"),
                ("chair", "李书记"),
                ("recorder", ""),
                ("attendees", "branch"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json().as_i64().unwrap()
}

/// Moves a meeting to start `minutes` from now, an hour long.
pub async fn move_meeting(pool: &PgPool, id: i64, minutes: i32) {
    sqlx::query(
        "UPDATE meetings SET starts_at = now() + make_interval(mins => $2),
                             ends_at = now() + make_interval(mins => $2 + 60) WHERE id = $1",
    )
    .bind(id)
    .bind(minutes)
    .execute(pool)
    .await
    .unwrap();
}
