//! Video, audio and micro-lessons with uploaded files, columns, and a secretary's reminder,
//! through the real router.

mod common;

use app::ids::OrgId;
use common::{Client, PASSWORD, client, world};
use http::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

async fn signed_in(pool: &PgPool, login: &str) -> Client {
    let mut c = client(pool).await;
    assert_eq!(c.sign_in(login, PASSWORD).await.status, StatusCode::OK);
    c
}

fn video_bytes() -> Vec<u8> {
    let mut v = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom".to_vec();
    v.resize(2048, 7);
    v
}

async fn upload(c: &mut Client, purpose: &str, name: &str, bytes: Vec<u8>) -> String {
    let r = c.upload(purpose, name, bytes).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_str().unwrap().to_owned()
}

/// Saves an item with the editor's fields; `extra` overrides them.
async fn save(c: &mut Client, scope: OrgId, extra: &[(&str, &str)]) -> (StatusCode, Value) {
    let scope = scope.to_string();
    let mut fields: Vec<(&str, &str)> = vec![
        ("id", ""),
        ("kind", "video"),
        ("title", "支部视频课"),
        ("body", ""),
        ("tags", ""),
        ("scope", &scope),
        ("due_on", ""),
        ("media", ""),
        ("cover", ""),
        ("length", "0:40"),
        ("column", ""),
        ("quiz_tag", ""),
        ("quiz_count", ""),
    ];
    for (k, v) in extra {
        fields.retain(|(f, _)| f != k);
        fields.push((k, v));
    }
    let r = c.call("save_item", &fields).await;
    let json = serde_json::from_str(&r.body).unwrap_or(Value::Null);
    (r.status, json)
}

async fn publish(c: &mut Client, id: i64) {
    let r = c
        .call(
            "set_item_status",
            &[("id", &id.to_string()), ("publish", "true")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_video_needs_its_own_uploaded_file_and_a_length(pool: PgPool) {
    let w = world(&pool).await;
    let mut sec = signed_in(&pool, "secretary").await;
    let (status, body) = save(&mut sec, w.branch_a, &[("length", "abc")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = body["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["media", "length"]);

    // Somebody else's upload cannot be borrowed.
    let mut other = signed_in(&pool, "secretary2").await;
    let theirs = upload(&mut other, "video", "theirs.mp4", video_bytes()).await;
    let (status, body) = save(&mut sec, w.branch_a, &[("media", &theirs)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["Invalid"][0]["msg"], "UploadMissing");

    // An image is not a video.
    let png = upload(
        &mut sec,
        "image",
        "c.png",
        b"\x89PNG\r\n\x1a\n0000".to_vec(),
    )
    .await;
    let (status, _) = save(&mut sec, w.branch_a, &[("media", &png)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let mine = upload(&mut sec, "video", "党课.mp4", video_bytes()).await;
    let (status, id) = save(&mut sec, w.branch_a, &[("media", &mine), ("cover", &png)]).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let id = id.as_i64().unwrap();
    publish(&mut sec, id).await;

    let mut member = signed_in(&pool, "member").await;
    let item = member
        .call("study_item", &[("id", &id.to_string())])
        .await
        .json();
    assert_eq!(item["kind"], "Video");
    assert_eq!(item["length_secs"], 40);
    let url = item["media_url"].as_str().unwrap();
    assert!(url.starts_with("/media/") && url.ends_with(".mp4"), "{url}");
    assert!(item["cover_url"].as_str().unwrap().ends_with(".png"));
    let r = member.get(url).await;
    assert_eq!(r.status, StatusCode::OK);

    // Saving again without a new file keeps the one it had.
    let editor = sec
        .call("content_editor", &[("id", &id.to_string())])
        .await
        .json();
    let kept = editor["media"].as_str().unwrap().to_owned();
    let (status, _) = save(
        &mut sec,
        w.branch_a,
        &[
            ("id", &id.to_string()),
            ("media", &kept),
            ("title", "支部视频课（修订）"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_micro_lessons_questions_are_answered_after_it_and_only_in_scope(pool: PgPool) {
    let w = world(&pool).await;
    let mut admin = signed_in(&pool, "admin").await;
    let sheet = upload(
        &mut admin,
        "sheet",
        "bank.csv",
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../public/examples/question-bank.csv"),
        )
        .unwrap(),
    )
    .await;
    admin.call("import_questions", &[("upload", &sheet)]).await;

    let mut sec = signed_in(&pool, "secretary").await;
    let (status, body) = save(
        &mut sec,
        w.branch_a,
        &[
            ("kind", "micro_lesson"),
            ("body", "先读后答"),
            ("quiz_count", "50"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, id) = save(
        &mut sec,
        w.branch_a,
        &[
            ("kind", "micro_lesson"),
            ("body", "先读后答"),
            ("quiz_count", "2"),
            ("quiz_tag", "三会一课"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let id = id.as_i64().unwrap();
    publish(&mut sec, id).await;

    let mut member = signed_in(&pool, "member").await;
    let item = member
        .call("study_item", &[("id", &id.to_string())])
        .await
        .json();
    assert_eq!(item["lesson_questions"], 2);
    let r = member
        .call(
            "start_quiz",
            &[("kind", "lesson"), ("set_id", &id.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["questions"].as_array().unwrap().len(), 2);

    let mut outsider = signed_in(&pool, "secretary2").await;
    let r = outsider
        .call(
            "start_quiz",
            &[("kind", "lesson"), ("set_id", &id.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_required_column_makes_its_items_required_for_its_scope_only(pool: PgPool) {
    let w = world(&pool).await;
    let mut sec = signed_in(&pool, "secretary").await;
    let r = sec
        .call(
            "create_column",
            &[
                ("title", "研发支部专栏"),
                ("description", "本支部的必修课"),
                ("scope", &w.branch_a.to_string()),
                ("required", "on"),
                ("due_on", "2026-12-31"),
                ("cover", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let column = r.json().as_i64().unwrap().to_string();
    let r = sec
        .call(
            "create_column",
            &[
                ("title", "运营支部专栏"),
                ("description", ""),
                ("scope", &w.branch_b.to_string()),
                ("due_on", ""),
                ("cover", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let (status, id) = save(
        &mut sec,
        w.branch_a,
        &[
            ("kind", "article"),
            ("body", "专栏里的第一篇文章"),
            ("length", ""),
            ("column", &column),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{id}");
    publish(&mut sec, id.as_i64().unwrap()).await;

    let mut member = signed_in(&pool, "member").await;
    let home = member.call("study_home", &[("q", "")]).await.json();
    assert_eq!(home["columns"][0]["title"], "研发支部专栏");
    assert_eq!(home["columns"][0]["items"], 1);
    assert_eq!(home["required"][0]["due_on"], "2026-12-31");
    assert_eq!(
        home["suggested"].as_array().unwrap().len(),
        1,
        "not opened yet"
    );
    let item = home["suggested"][0]["id"].to_string();
    member
        .call("study_beat", &[("id", &item), ("start", "true")])
        .await;
    let home = member.call("study_home", &[("q", "")]).await.json();
    assert!(
        home["suggested"].as_array().unwrap().is_empty(),
        "opened items are not suggested"
    );
    let col = member.call("study_column", &[("id", &column)]).await;
    assert_eq!(col.status, StatusCode::OK);
    assert_eq!(col.json()["items"].as_array().unwrap().len(), 1);

    let mut outsider = signed_in(&pool, "secretary2").await;
    let home = outsider.call("study_home", &[("q", "")]).await.json();
    assert!(home["columns"].as_array().unwrap().is_empty());
    let col = outsider.call("study_column", &[("id", &column)]).await;
    assert_eq!(col.status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_secretary_reminds_those_who_have_not_finished_once_a_day(pool: PgPool) {
    let w = world(&pool).await;
    let mut sec = signed_in(&pool, "secretary").await;
    let (_, id) = save(
        &mut sec,
        w.branch_a,
        &[
            ("kind", "article"),
            ("body", "必修文章"),
            ("length", ""),
            ("required", "on"),
        ],
    )
    .await;
    let id = id.as_i64().unwrap();
    publish(&mut sec, id).await;
    let fields = [
        ("org_id", w.branch_a.to_string()),
        ("item_id", id.to_string()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();

    let mut member = signed_in(&pool, "member").await;
    assert_eq!(
        member.call("remind_required", &fields).await.status,
        StatusCode::FORBIDDEN
    );
    let mut other = signed_in(&pool, "secretary2").await;
    assert_eq!(
        other.call("remind_required", &fields).await.status,
        StatusCode::FORBIDDEN
    );

    let r = sec.call("remind_required", &fields).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.json(),
        2,
        "the secretary and the member have not finished"
    );
    assert_eq!(sec.call("remind_required", &fields).await.json(), 0);

    assert_eq!(member.call("unread_notices", &[]).await.json(), 1);
    let list = member.call("my_notices", &[]).await.json();
    assert_eq!(
        list[0]["message"],
        serde_json::json!({"StudyReminder": {"title": "支部视频课"}})
    );
    assert_eq!(list[0]["link"], format!("/study/{id}"));
    assert_eq!(member.call("unread_notices", &[]).await.json(), 0);

    let r = sec
        .call(
            "remind_required",
            &[("org_id", &w.branch_a.to_string()), ("item_id", "999999")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_upload_past_its_uploaders_quota_is_refused_and_nothing_of_it_is_kept(pool: PgPool) {
    world(&pool).await;
    let mut settings = common::settings();
    settings.upload_quota = 5000;
    let dir = std::env::temp_dir().join(format!("qnej-quota-{}", uuid::Uuid::new_v4().simple()));
    settings.upload_dir = dir.clone();
    let mut sec = common::client_with(&pool, settings).await;
    assert_eq!(
        sec.sign_in("secretary", PASSWORD).await.status,
        StatusCode::OK
    );
    upload(&mut sec, "video", "第一课.mp4", video_bytes()).await;
    upload(&mut sec, "video", "第二课.mp4", video_bytes()).await;
    let r = sec.upload("video", "第三课.mp4", video_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["Invalid"][0]["msg"], "UploadQuotaFull");
    let stored: Vec<(String, i64)> =
        sqlx::query_as("SELECT file_name, size FROM uploads ORDER BY created_at")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        stored,
        vec![
            ("第一课.mp4".to_owned(), 2048),
            ("第二课.mp4".to_owned(), 2048)
        ]
    );
    let files = |sub: &str| std::fs::read_dir(dir.join(sub)).map_or(0, |d| d.count());
    assert_eq!(
        (files("files"), files("incoming")),
        (2, 0),
        "the refused file is not kept"
    );
    // Another member's space is their own.
    let mut other = signed_in(&pool, "secretary2").await;
    upload(&mut other, "video", "第一课.mp4", video_bytes()).await;
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn uploads_nothing_uses_are_removed_after_the_grace_period(pool: PgPool) {
    let w = world(&pool).await;
    let mut sec = signed_in(&pool, "secretary").await;
    let used = upload(&mut sec, "video", "用上的.mp4", video_bytes()).await;
    let unused = upload(&mut sec, "video", "没用上的.mp4", video_bytes()).await;
    let fresh = upload(&mut sec, "video", "刚传的.mp4", video_bytes()).await;
    let (status, id) = save(&mut sec, w.branch_a, &[("media", &used)]).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    sqlx::query(
        "UPDATE uploads SET created_at = now() - interval '8 days' WHERE id::text = ANY ($1)",
    )
    .bind(vec![used.clone(), unused.clone()])
    .execute(&pool)
    .await
    .unwrap();
    let dir = common::upload_dir();
    let path = |id: &str| dir.file(uuid::Uuid::parse_str(id).unwrap(), "mp4");
    assert!(path(&unused).exists());
    // Two processes at once remove it once.
    let (a, b) = tokio::join!(
        server::jobs::remove_orphan_uploads(&pool, &dir),
        server::jobs::remove_orphan_uploads(&pool, &dir)
    );
    a.unwrap();
    b.unwrap();
    let left: Vec<String> = sqlx::query_scalar("SELECT id::text FROM uploads ORDER BY file_name")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(left.contains(&used) && left.contains(&fresh));
    assert!(!path(&unused).exists(), "its file is gone");
    assert!(path(&used).exists() && path(&fresh).exists());
    let runs: i64 =
        sqlx::query_scalar("SELECT count(*) FROM job_runs WHERE job = 'orphan_uploads'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(runs, 1, "once a day");
}
