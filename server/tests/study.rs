//! The 学习 tab through the real router: who sees which item, and what heartbeats credit.

mod common;

use common::{PASSWORD, client, world};
use http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

async fn article(
    pool: &PgPool,
    title: &str,
    scope: Option<i64>,
    markdown: &str,
    publish: bool,
) -> i64 {
    let (html, text) = app::study::markdown::render(markdown);
    let mut c = pool.acquire().await.unwrap();
    app::study::store::insert_article(
        &mut c,
        &app::study::store::NewArticle {
            title,
            body_md: markdown,
            body_html: &html,
            body_text: &text,
            length_secs: 60,
            tags: &["测试".to_owned()],
            scope_org_id: scope,
            required: scope.is_some(),
            author_id: None,
            publish,
        },
    )
    .await
    .unwrap()
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
    let points = c.call("my_points", &[]).await.json();
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
    let points = c.call("my_points", &[]).await.json();
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
