//! The 学习 tab through the real router: who sees which item, and what heartbeats credit.

mod common;

use app::ids::OrgId;
use common::{PASSWORD, client, world};
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

async fn article(
    pool: &PgPool,
    title: &str,
    scope: Option<OrgId>,
    markdown: &str,
    publish: bool,
) -> i64 {
    let (html, text) = app::study::markdown::render(markdown);
    let mut c = pool.acquire().await.unwrap();
    app::study::store::insert_item(
        &mut c,
        &app::study::store::NewItem {
            kind: app::study::model::ItemKind::Article,
            title,
            body_md: markdown,
            body_html: &html,
            body_text: &text,
            length_secs: 60,
            tags: &["测试".to_owned()],
            scope_org_id: scope,
            required: scope.is_some(),
            due_on: None,
            author_id: None,
            publish,
            media_upload: None,
            cover_upload: None,
            column_id: None,
        },
    )
    .await
    .unwrap()
    .0
}

/// Moves the member's study clock back, as if the last beat came `secs` ago.
async fn wait(pool: &PgPool, secs: i32) {
    sqlx::query("UPDATE study_clocks SET beat_at = beat_at - make_interval(secs => $1)")
        .bind(secs)
        .execute(pool)
        .await
        .unwrap();
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_member_studies_platform_and_own_branch_items_but_not_another_branchs(pool: PgPool) {
    let w = world(&pool).await;
    let everyone = article(&pool, "全平台文章", None, "大家都能看", true).await;
    let own = article(&pool, "研发支部必修", Some(w.branch_a), "本支部必修", true).await;
    let other = article(
        &pool,
        "运营支部通知",
        Some(w.branch_b),
        "只给运营支部",
        true,
    )
    .await;
    let company = article(&pool, "公司党委文章", Some(w.committee), "全公司", true).await;
    let draft = article(&pool, "草稿", None, "还没发布", false).await;

    let mut c = client(&pool).await;
    c.sign_in("member", PASSWORD).await;
    for id in [everyone, own, company] {
        assert_eq!(
            c.call("study_item", &[("id", &id.to_string())])
                .await
                .status,
            StatusCode::OK
        );
    }
    for id in [other, draft] {
        let r = c.call("study_item", &[("id", &id.to_string())]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{id}");
        let beat = c.call("study_beat", &[("id", &id.to_string())]).await;
        assert_eq!(beat.status, StatusCode::NOT_FOUND);
    }
    let home = c.call("study_home", &[("q", "")]).await.json();
    let ids = |list: &serde_json::Value| {
        list.as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect::<Vec<_>>()
    };
    let mut recent = ids(&home["recent"]);
    recent.sort();
    assert_eq!(recent, vec![everyone, own, company]);
    let mut required = ids(&home["required"]);
    required.sort();
    assert_eq!(required, vec![own, company]);
    let found = c.call("study_home", &[("q", "运营")]).await.json();
    assert!(
        ids(&found["recent"]).is_empty(),
        "another branch's item must not be found"
    );
    let found = c.call("study_home", &[("q", "平台")]).await.json();
    assert_eq!(ids(&found["recent"]), vec![everyone]);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_start_beat_restarts_the_clock_so_paused_time_never_counts(pool: PgPool) {
    world(&pool).await;
    let id = article(&pool, "一段视频的替身", None, "正文", true)
        .await
        .to_string();
    let mut c = client(&pool).await;
    c.sign_in("member", PASSWORD).await;
    let credited = |v: serde_json::Value| v["credited_secs"].as_u64().unwrap();
    c.call("study_beat", &[("id", &id), ("start", "true")])
        .await;
    wait(&pool, 12).await;
    let played = credited(c.call("study_beat", &[("id", &id)]).await.json());
    assert!((12..=13).contains(&played), "{played}");
    // Paused for 15 s, then playing again: the resume beat starts the clock afresh.
    wait(&pool, 15).await;
    let resumed = c
        .call("study_beat", &[("id", &id), ("start", "true")])
        .await
        .json();
    assert_eq!(credited(resumed), played, "paused time never counts");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn heartbeats_credit_server_time_and_replays_credit_nothing(pool: PgPool) {
    world(&pool).await;
    let id = article(&pool, "一篇文章", None, "正文", true)
        .await
        .to_string();
    let mut c = client(&pool).await;
    c.sign_in("member", PASSWORD).await;
    let beat = |v: serde_json::Value| v["credited_secs"].as_u64().unwrap();

    assert_eq!(
        beat(c.call("study_beat", &[("id", &id)]).await.json()),
        0,
        "the first beat starts the clock"
    );
    assert_eq!(
        beat(c.call("study_beat", &[("id", &id)]).await.json()),
        0,
        "a replay credits nothing"
    );
    wait(&pool, 12).await;
    let first = c.call("study_beat", &[("id", &id)]).await.json();
    assert!((12..=13).contains(&beat(first.clone())), "{first}");
    wait(&pool, 3600).await;
    let after_gap = beat(c.call("study_beat", &[("id", &id)]).await.json());
    assert!(
        after_gap <= 33,
        "a long gap credits one interval at most: {after_gap}"
    );
    wait(&pool, 15).await;
    let done = c.call("study_beat", &[("id", &id)]).await.json();
    // 60 s article: read after 30 s; one reading minute crossed at 60 s at the latest.
    assert_eq!(done["done"], json!(true), "{done}");
    let points = c.call("points_page", &[]).await.json()["summary"].clone();
    let earned = |code: &str| {
        points["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == code)
            .unwrap()["earned"]
            .clone()
    };
    assert_eq!(earned("ArticleRead"), json!(1));
    // Never more than the article's length, however long the member stays.
    for _ in 0..5 {
        wait(&pool, 20).await;
        c.call("study_beat", &[("id", &id)]).await;
    }
    let item = c.call("study_item", &[("id", &id)]).await.json();
    assert_eq!(item["credited_secs"], json!(60));
    let points = c.call("points_page", &[]).await.json()["summary"].clone();
    let earned = |code: &str| {
        points["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == code)
            .unwrap()["earned"]
            .clone()
    };
    assert_eq!(earned("ReadingTime"), json!(1));
    assert_eq!(earned("ArticleRead"), json!(1));
    let hours = c.call("study_home", &[("q", "")]).await.json();
    assert_eq!(hours["year_secs"], json!(60));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_article_reaches_the_browser_sanitised(pool: PgPool) {
    world(&pool).await;
    let id = article(
        &pool,
        "带脚本的文章",
        None,
        "好文章<script>alert(1)</script><img src=x onerror=alert(2)>",
        true,
    )
    .await;
    let mut c = client(&pool).await;
    c.sign_in("member", PASSWORD).await;
    let item = c
        .call("study_item", &[("id", &id.to_string())])
        .await
        .json();
    let html = item["html"].as_str().unwrap();
    assert!(html.contains("好文章"));
    assert!(
        !html.contains("<script") && !html.contains("onerror"),
        "{html}"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_secretary_writes_publishes_and_unpublishes_for_the_own_branch_only(pool: PgPool) {
    let w = world(&pool).await;
    let a = w.branch_a.to_string();
    let mut sec = client(&pool).await;
    sec.sign_in("secretary", PASSWORD).await;
    let form = |scope: &str| -> Vec<(&'static str, String)> {
        vec![
            ("id", String::new()),
            ("title", "支部学习通知".into()),
            (
                "body",
                "## 本周学习\n\n请大家阅读<script>x()</script>。".into(),
            ),
            ("tags", "通知, 学习".into()),
            ("scope", scope.into()),
            ("required", "on".into()),
            ("due_on", "2026-12-31".into()),
            ("kind", "article".into()),
            ("media", String::new()),
            ("cover", String::new()),
            ("length", String::new()),
            ("column", String::new()),
            ("quiz_tag", String::new()),
            ("quiz_count", String::new()),
        ]
    };
    let own_form = form(&a);
    let own: Vec<(&str, &str)> = own_form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = sec.call("save_item", &own).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = r.json().as_i64().unwrap().to_string();

    // A draft is not offered to members yet.
    let mut member = client(&pool).await;
    member.sign_in("member", PASSWORD).await;
    assert_eq!(
        member.call("study_item", &[("id", &id)]).await.status,
        StatusCode::NOT_FOUND
    );

    assert_eq!(
        sec.call("set_item_status", &[("id", &id), ("publish", "true")])
            .await
            .status,
        StatusCode::OK
    );
    let item = member.call("study_item", &[("id", &id)]).await.json();
    assert_eq!(item["required"], json!(true));
    assert_eq!(item["due_on"], json!("2026-12-31"));
    assert!(!item["html"].as_str().unwrap().contains("<script"));

    assert_eq!(
        sec.call("set_item_status", &[("id", &id), ("publish", "false")])
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        member.call("study_item", &[("id", &id)]).await.status,
        StatusCode::NOT_FOUND
    );

    // Not for another branch, not for the platform, and not by a member.
    for scope in [w.branch_b.to_string(), String::new()] {
        let f = form(&scope);
        let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            sec.call("save_item", &fields).await.status,
            StatusCode::FORBIDDEN,
            "scope {scope:?}"
        );
    }
    assert_eq!(
        member.call("save_item", &own).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        member
            .call("set_item_status", &[("id", &id), ("publish", "true")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        member.call("content_list", &[]).await.status,
        StatusCode::FORBIDDEN
    );

    let bad = sec
        .call(
            "save_item",
            &[
                ("id", ""),
                ("title", ""),
                ("body", " "),
                ("tags", ""),
                ("scope", &a),
                ("due_on", "明天"),
                ("kind", "article"),
                ("media", ""),
                ("cover", ""),
                ("length", ""),
                ("column", ""),
                ("quiz_tag", ""),
                ("quiz_count", ""),
            ],
        )
        .await;
    assert_eq!(
        bad.json(),
        json!({"Invalid": [
            {"field": "title", "msg": "Required"},
            {"field": "body", "msg": "Required"},
            {"field": "due_on", "msg": "DateInvalid"},
        ]})
    );
    let list = sec.call("content_list", &[]).await.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["status"], "unpublished");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_secretary_sees_who_has_not_finished_the_required_items(pool: PgPool) {
    let w = world(&pool).await;
    let required = article(&pool, "支部必修", Some(w.branch_a), "必读内容", true).await;
    article(
        &pool,
        "别的支部必修",
        Some(w.branch_b),
        "与本支部无关",
        true,
    )
    .await;
    // The member finishes it (60 s article: three beats 15 s apart and a long one).
    let mut member = client(&pool).await;
    member.sign_in("member", PASSWORD).await;
    let id = required.to_string();
    member.call("study_beat", &[("id", &id)]).await;
    for _ in 0..2 {
        wait(&pool, 20).await;
        member.call("study_beat", &[("id", &id)]).await;
    }
    let mut sec = client(&pool).await;
    sec.sign_in("secretary", PASSWORD).await;
    let progress = sec
        .call(
            "branch_required_progress",
            &[("id", &w.branch_a.to_string())],
        )
        .await;
    assert_eq!(progress.status, StatusCode::OK, "{}", progress.body);
    assert_eq!(
        progress.json(),
        json!([{"item_id": required, "title": "支部必修", "due_on": null, "done": 1, "total": 2, "missing": ["secretary"]}])
    );
    let other = sec
        .call(
            "branch_required_progress",
            &[("id", &w.branch_b.to_string())],
        )
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    assert_eq!(
        member
            .call(
                "branch_required_progress",
                &[("id", &w.branch_a.to_string())]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

/// Adds `secs` of verified study on the day `days_ago` days before today (Asia/Shanghai).
async fn studied(pool: &PgPool, user: app::ids::UserId, days_ago: i64, secs: i32) {
    let day = app::time::day_of(chrono::Utc::now()) - chrono::Duration::days(days_ago);
    sqlx::query(
        "INSERT INTO study_time (user_id, day, secs) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, day) DO UPDATE SET secs = EXCLUDED.secs",
    )
    .bind(user)
    .bind(day)
    .bind(secs)
    .execute(pool)
    .await
    .unwrap();
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_streak_counts_days_of_ten_minutes_or_the_daily_quiz_and_a_freeze_covers_a_gap(
    pool: PgPool,
) {
    world(&pool).await;
    let member = common::user_id(&pool, "member").await;
    let mut c = client(&pool).await;
    assert_eq!(
        c.call("my_streak", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    c.sign_in("member", PASSWORD).await;
    let s = c.call("my_streak", &[]).await.json();
    assert_eq!(
        (s["current"].clone(), s["today_done"].clone()),
        (json!(0), json!(false))
    );

    // Two days ago and yesterday ten minutes each; today nine: a streak of two, today open.
    studied(&pool, member, 2, 600).await;
    studied(&pool, member, 1, 600).await;
    studied(&pool, member, 0, 540).await;
    let s = c.call("my_streak", &[]).await.json();
    assert_eq!(
        (s["current"].clone(), s["today_done"].clone()),
        (json!(2), json!(false))
    );
    // Today's daily quiz makes three.
    sqlx::query(
        "INSERT INTO quiz_attempts (user_id, kind, quiz_key, question_ids, submitted_at, correct, total, points)
         VALUES ($1, 'daily', 'today', '{}', now(), 3, 5, 1)",
    )
    .bind(member)
    .execute(&pool)
    .await
    .unwrap();
    let s = c.call("my_streak", &[]).await.json();
    assert_eq!(
        (s["current"].clone(), s["today_done"].clone()),
        (json!(3), json!(true))
    );
    let page = c.get("/study").await;
    assert!(page.body.contains("连续学习 3 天"), "{}", page.body);
    assert!(c.get("/me").await.body.contains("连续学习 3 天"));

    // Seven days before a gap earn a freeze that keeps the run over it: 10 … 4 days ago,
    // nothing 3 days ago, then 2, 1 and today.
    for days_ago in 4..=10 {
        studied(&pool, member, days_ago, 900).await;
    }
    let s = c.call("my_streak", &[]).await.json();
    assert_eq!(
        (s["current"].clone(), s["freezes"].clone()),
        (json!(10), json!(0))
    );
    assert_eq!(s["longest"], 10);
    // A stricter rule version from today on asks 30 minutes without the quiz.
    sqlx::query("INSERT INTO streak_rules VALUES (2, 30, false, 7, 2, $1)")
        .bind(app::time::day_of(chrono::Utc::now()))
        .execute(&pool)
        .await
        .unwrap();
    let s = c.call("my_streak", &[]).await.json();
    assert_eq!(
        (s["current"].clone(), s["today_done"].clone()),
        (json!(9), json!(false))
    );
    assert_eq!(s["min_minutes"], 30);
}
