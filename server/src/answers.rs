//! Carries a server function's answer to a posted form over to the page the browser is sent
//! back to. Forms outside the page's islands are plain posts: leptos answers them with a
//! redirect to the page they came from (a refusal rides in the address as `__err`). The
//! answer of a success is kept in the database under a random token that a short-lived
//! cookie holds, and handed to the next page this member asks for, once
//! (`app::ui::flash`). It may hold what only this member should see, such as the codes just
//! issued, so it never goes into an address; and any server of the installation may serve
//! that next page.

use app::auth::session::USER_ID_KEY;
use app::ui::flash::Answer;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderValue, Method, header};
use sqlx::PgPool;
use tower_sessions::Session;

/// The cookie that holds the token.
const COOKIE: &str = "qnej_answer";
/// How long an answer waits for its page.
const WAITS_SECS: i64 = 300;
/// The largest answer kept (an import's report of rejected rows is the longest).
const MOST: usize = 256 * 1024;

#[derive(Clone)]
pub struct Answers {
    pub pool: PgPool,
    pub secure: bool,
}

fn wants_html(req: &Request) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

fn token_of(req: &Request) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|t| !t.is_empty() && t.len() <= 64)
}

fn cookie(value: &str, max_age: i64, secure: bool) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .ok()
}

pub async fn carry(
    State(answers): State<Answers>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    if !wants_html(&req) {
        return next.run(req).await;
    }
    let path = req.uri().path().to_owned();
    let api = path.starts_with("/api/");
    if req.method() == Method::POST && api {
        let res = next.run(req).await;
        let sent_back = res.status().is_redirection()
            && res
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|l| !l.contains("__err="));
        // The member as the function left the session; a signed-out visitor's answer is
        // not kept.
        let user = session.get::<i64>(USER_ID_KEY).await.ok().flatten();
        let (true, Some(user)) = (sent_back, user) else {
            return res;
        };
        let (mut parts, body) = res.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, MOST).await else {
            return Response::from_parts(parts, Body::empty());
        };
        let token = uuid::Uuid::new_v4().simple().to_string();
        let kept = sqlx::query(
            "WITH old AS (DELETE FROM form_answers WHERE created_at < now() - interval '1 hour')
             INSERT INTO form_answers (token, user_id, path, output) VALUES ($1, $2, $3, $4)",
        )
        .bind(&token)
        .bind(user)
        .bind(&path)
        .bind(String::from_utf8_lossy(&bytes).as_ref())
        .execute(&answers.pool)
        .await;
        match kept {
            Ok(_) => {
                if let Some(c) = cookie(&token, WAITS_SECS, answers.secure) {
                    parts.headers.append(header::SET_COOKIE, c);
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not keep a form's answer"),
        }
        return Response::from_parts(parts, Body::from(bytes));
    }
    let token = (req.method() == Method::GET && !api)
        .then(|| token_of(&req))
        .flatten();
    let Some(token) = token else {
        return next.run(req).await;
    };
    // Taken whatever happens next: it is for this one page. Only this member's, and only
    // while it is fresh.
    let user = session.get::<i64>(USER_ID_KEY).await.ok().flatten();
    let taken = sqlx::query_as::<_, (String, String, Option<bool>)>(
        "DELETE FROM form_answers WHERE token = $1
         RETURNING path, output, user_id = $2 AND created_at > now() - make_interval(secs => $3)",
    )
    .bind(&token)
    .bind(user)
    .bind(WAITS_SECS as f64)
    .fetch_optional(&answers.pool)
    .await;
    match taken {
        Ok(Some((path, output, Some(true)))) => {
            req.extensions_mut().insert(Answer { path, output });
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "could not read a form's answer"),
    }
    let mut res = next.run(req).await;
    if let Some(c) = cookie("", 0, answers.secure) {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    res
}
