//! Quizzes and uploads through the real router: importing the question bank, answers
//! hidden until submitted, grading and points once, late and foreign answers refused,
//! the wrong-answer book, contests, and uploaded media served in ranges.

mod common;

use app::ids::OrgId;
use common::{Client, PASSWORD, client, world};
use http::{Request, StatusCode, header};
use serde_json::Value;
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

fn example(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../public/examples")
            .join(name),
    )
    .unwrap()
}

async fn signed_in(pool: &PgPool, login: &str) -> Client {
    let mut c = client(pool).await;
    assert_eq!(c.sign_in(login, PASSWORD).await.status, StatusCode::OK);
    c
}

/// Uploads a sheet as `c` and imports it; the import's answer.
async fn import(c: &mut Client, name: &str, bytes: Vec<u8>) -> Value {
    let up = c.upload("sheet", name, bytes).await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
    let id = up.json()["id"].as_str().unwrap().to_owned();
    let r = c.call("import_questions", &[("upload", &id)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

async fn bank_size(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM questions")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// The right picks for a quiz's questions, as the answer sheet sends them.
async fn right_answers(pool: &PgPool, quiz: &Value) -> String {
    let mut picks = Vec::new();
    for q in quiz["questions"].as_array().unwrap() {
        let id = q["id"].as_i64().unwrap();
        let answer: Vec<i16> = sqlx::query_scalar("SELECT answer FROM questions WHERE id = $1")
            .bind(id)
            .fetch_one(pool)
            .await
            .unwrap();
        picks.extend(answer.iter().map(|o| format!("{id}:{o}")));
    }
    picks.join(",")
}

/// Starts a quiz as its page does; a special quiz as its 开始答题 button does.
async fn start(c: &mut Client, kind: &str, set_id: Option<i64>) -> (StatusCode, Value) {
    let id = set_id.map(|i| i.to_string());
    let mut fields = vec![("kind", kind)];
    if let Some(id) = &id {
        fields.push(("set_id", id));
    }
    if kind == "special" {
        fields.push(("begin", "true"));
    }
    let r = c.call("start_quiz", &fields).await;
    let json = serde_json::from_str(&r.body).unwrap_or(Value::Null);
    (r.status, json)
}

async fn load_bank(pool: &PgPool) {
    let mut admin = signed_in(pool, "admin").await;
    let r = import(&mut admin, "题库.xlsx", example("question-bank.xlsx")).await;
    assert!(r["imported"].as_u64().unwrap() >= 10, "{r}");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_sheet_with_bad_rows_imports_nothing_and_names_every_bad_row(pool: PgPool) {
    world(&pool).await;
    let mut admin = signed_in(&pool, "admin").await;
    let csv = "题型,题干,选项A,选项B,选项C,答案,解析\n\
               单选,好的题目一,甲,乙,,A,\n\
               填空,题型不对,甲,乙,,A,\n\
               单选,答案不在选项里,甲,乙,,D,\n\
               多选,多选只有一个答案,甲,乙,丙,B,\n\
               单选,好的题目一,甲,乙,,B,\n";
    let r = import(&mut admin, "bank.csv", csv.as_bytes().to_vec()).await;
    assert_eq!(r["imported"], 0);
    let rows: Vec<u64> = r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["row"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, vec![3, 4, 5, 6]);
    assert_eq!(bank_size(&pool).await, 0, "nothing half-saved");

    let broken = admin
        .upload(
            "sheet",
            "bank.xlsx",
            b"PK\x03\x04 not really a workbook".to_vec(),
        )
        .await;
    let id = broken.json()["id"].as_str().unwrap().to_owned();
    let r = admin.call("import_questions", &[("upload", &id)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(bank_size(&pool).await, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_example_files_import_whole_and_a_second_import_reports_each_duplicate(pool: PgPool) {
    world(&pool).await;
    let mut admin = signed_in(&pool, "admin").await;
    let r = import(
        &mut admin,
        "question-bank.xlsx",
        example("question-bank.xlsx"),
    )
    .await;
    let n = r["imported"].as_u64().unwrap();
    assert!(n >= 10);
    assert_eq!(bank_size(&pool).await, n as i64);

    let again = import(
        &mut admin,
        "question-bank.csv",
        example("question-bank.csv"),
    )
    .await;
    assert_eq!(again["imported"], 0);
    assert_eq!(again["errors"].as_array().unwrap().len() as u64, n);
    assert_eq!(bank_size(&pool).await, n as i64);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn only_a_platform_admin_imports_and_only_from_their_own_upload(pool: PgPool) {
    world(&pool).await;
    let mut secretary = signed_in(&pool, "secretary").await;
    let up = secretary
        .upload("sheet", "bank.csv", example("question-bank.csv"))
        .await;
    assert_eq!(up.status, StatusCode::CREATED);
    let id = up.json()["id"].as_str().unwrap().to_owned();
    let r = secretary.call("import_questions", &[("upload", &id)]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let mut admin = signed_in(&pool, "admin").await;
    let r = admin.call("import_questions", &[("upload", &id)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = admin
        .call("import_questions", &[("upload", "not-a-uuid")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bank_size(&pool).await, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn uploads_that_are_too_large_or_not_what_they_claim_are_refused_and_not_kept(pool: PgPool) {
    world(&pool).await;
    let mut anonymous = client(&pool).await;
    let r = anonymous
        .upload("image", "a.png", b"\x89PNG\r\n\x1a\n".to_vec())
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    let mut member = signed_in(&pool, "member").await;
    let r = member
        .upload("image", "a.png", b"\x89PNG\r\n\x1a\n".to_vec())
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let mut secretary = signed_in(&pool, "secretary").await;
    let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
    big.resize(5 * 1024 * 1024 + 1, 0);
    let r = secretary.upload("image", "big.png", big).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["Invalid"][0]["msg"], "FileTooLarge");

    let r = secretary
        .upload("video", "clip.mp4", b"<script>alert(1)</script>".to_vec())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["Invalid"][0]["msg"], "FileTypeNotAllowed");

    let r = secretary.upload("video", "empty.mp4", vec![]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    let r = secretary.upload("plugin", "x.exe", b"MZ".to_vec()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM uploads")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn uploaded_media_is_served_in_ranges_to_those_who_may_see_it_only(pool: PgPool) {
    world(&pool).await;
    let mut video = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom".to_vec();
    video.extend((0..4096u32).map(|i| (i % 251) as u8));
    let mut secretary = signed_in(&pool, "secretary").await;
    let up = secretary.upload("video", "党课.mp4", video.clone()).await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
    let file = up.json();
    assert_eq!(file["file_name"], "党课.mp4");
    let url = file["url"].as_str().unwrap().to_owned();

    // Not yet part of anything: only its uploader fetches it.
    let mut member = signed_in(&pool, "member").await;
    assert_eq!(member.get(&url).await.status, StatusCode::NOT_FOUND);
    let req = Request::get(&url)
        .header(header::HOST, common::HOST)
        .header(header::RANGE, "bytes=100-199");
    let r = secretary.send(req, Vec::<u8>::new()).await;
    assert_eq!(r.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        r.headers[header::CONTENT_RANGE],
        format!("bytes 100-199/{}", video.len()).as_str()
    );
    assert_eq!(r.headers[header::CONTENT_TYPE], "video/mp4");
    assert!(
        r.headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert_eq!(r.headers[header::CONTENT_LENGTH], "100");

    let mut anonymous = client(&pool).await;
    let r = anonymous.get(&url).await;
    assert!(r.status.is_redirection(), "{}", r.status);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_daily_quiz_hides_answers_until_submitted_then_grades_and_awards_once(pool: PgPool) {
    world(&pool).await;
    load_bank(&pool).await;
    let mut member = signed_in(&pool, "member").await;
    let (status, quiz) = start(&mut member, "daily", None).await;
    assert_eq!(status, StatusCode::OK, "{quiz}");
    assert_eq!(quiz["questions"].as_array().unwrap().len(), 5);
    let text = quiz.to_string();
    assert!(
        !text.contains("answer") && !text.contains("explanation"),
        "{text}"
    );
    let (_, again) = start(&mut member, "daily", None).await;
    assert_eq!(
        again["attempt_id"], quiz["attempt_id"],
        "one daily quiz a day"
    );

    let attempt = quiz["attempt_id"].as_i64().unwrap().to_string();
    let answers = right_answers(&pool, &quiz).await;
    let r = member
        .call(
            "submit_quiz",
            &[("attempt_id", &attempt), ("answers", &answers)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let result = r.json();
    assert_eq!(result["correct"], 5);
    assert_eq!(result["points"], 5);
    assert!(
        result["items"][0]["answer"].is_array(),
        "answers shown after submitting"
    );

    let r = member
        .call(
            "submit_quiz",
            &[("attempt_id", &attempt), ("answers", &answers)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["Conflict"], "QuizSubmitted");

    let quiz_points: i64 = sqlx::query_scalar(
        "SELECT coalesce(sum(points), 0) FROM point_ledger WHERE source_kind = 'daily_quiz'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(quiz_points, 5);
    let (_, reopened) = start(&mut member, "daily", None).await;
    assert_eq!(reopened["result"]["correct"], 5);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn answers_for_questions_outside_the_quiz_are_refused_and_change_nothing(pool: PgPool) {
    world(&pool).await;
    load_bank(&pool).await;
    let mut member = signed_in(&pool, "member").await;
    let (_, quiz) = start(&mut member, "daily", None).await;
    let attempt = quiz["attempt_id"].as_i64().unwrap().to_string();
    let outside: i64 = sqlx::query_scalar(
        "SELECT id FROM questions WHERE NOT (id = ANY (SELECT unnest(question_ids) FROM quiz_attempts)) LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let first = quiz["questions"][0]["id"].as_i64().unwrap();
    for answers in [
        format!("{outside}:0"),
        format!("{first}:9"),
        "garbage".to_owned(),
    ] {
        let r = member
            .call(
                "submit_quiz",
                &[("attempt_id", &attempt), ("answers", &answers)],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{answers}: {}",
            r.body
        );
    }
    let submitted: Option<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar("SELECT submitted_at FROM quiz_attempts")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(submitted.is_none());

    let mut other = signed_in(&pool, "secretary").await;
    let r = other
        .call("submit_quiz", &[("attempt_id", &attempt), ("answers", "")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "another member's sheet");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn concurrent_submits_of_one_sheet_grade_it_once(pool: PgPool) {
    world(&pool).await;
    load_bank(&pool).await;
    let mut member = signed_in(&pool, "member").await;
    let (_, quiz) = start(&mut member, "weekly", None).await;
    let attempt = quiz["attempt_id"].as_i64().unwrap().to_string();
    let answers = right_answers(&pool, &quiz).await;
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let mut c = client(&pool).await;
        c.cookie = member.cookie.clone();
        let (attempt, answers) = (attempt.clone(), answers.clone());
        tasks.push(tokio::spawn(async move {
            c.call(
                "submit_quiz",
                &[("attempt_id", &attempt), ("answers", &answers)],
            )
            .await
            .status
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            StatusCode::OK => ok += 1,
            StatusCode::CONFLICT => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(ok, 1);
    let rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM point_ledger WHERE source_kind = 'weekly_quiz'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(rows, 1);
    let points: i32 =
        sqlx::query_scalar("SELECT points FROM point_ledger WHERE source_kind = 'weekly_quiz'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(points, 5, "100% of the weekly quiz is worth 5");
}

async fn special(
    c: &mut Client,
    title: &str,
    scope: Option<OrgId>,
    minutes: &str,
    contest: bool,
) -> i64 {
    let now = chrono::Utc::now().with_timezone(&app::time::shanghai());
    let opens = (now - chrono::Duration::hours(1))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let closes = (now + chrono::Duration::hours(2))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let scope = scope.map(|s| s.to_string()).unwrap_or_default();
    let mut fields = vec![
        ("title", title),
        ("tag", ""),
        ("count", "5"),
        ("opens", opens.as_str()),
        ("closes", closes.as_str()),
        ("minutes", minutes),
        ("scope", scope.as_str()),
    ];
    if contest {
        fields.push(("contest", "on"));
    }
    let r = c.call("create_special_quiz", &fields).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json().as_i64().unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_late_special_quiz_sheet_is_refused_and_earns_nothing(pool: PgPool) {
    world(&pool).await;
    load_bank(&pool).await;
    let mut admin = signed_in(&pool, "admin").await;
    let set = special(&mut admin, "党章专项答题", None, "10", false).await;

    let mut member = signed_in(&pool, "member").await;
    let (status, quiz) = start(&mut member, "special", Some(set)).await;
    assert_eq!(status, StatusCode::OK, "{quiz}");
    let left = quiz["seconds_left"].as_i64().unwrap();
    assert!((590..=600).contains(&left), "{left}");
    sqlx::query("UPDATE quiz_attempts SET deadline_at = now() - interval '1 minute'")
        .execute(&pool)
        .await
        .unwrap();
    let attempt = quiz["attempt_id"].as_i64().unwrap().to_string();
    let answers = right_answers(&pool, &quiz).await;
    let r = member
        .call(
            "submit_quiz",
            &[("attempt_id", &attempt), ("answers", &answers)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["Conflict"], "QuizLate");
    let awarded: i64 =
        sqlx::query_scalar("SELECT count(*) FROM point_ledger WHERE source_kind = 'special_quiz'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(awarded, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn special_quiz_settings_are_checked_and_scoped(pool: PgPool) {
    let w = world(&pool).await;
    load_bank(&pool).await;
    let mut secretary = signed_in(&pool, "secretary").await;
    let r = secretary
        .call(
            "create_special_quiz",
            &[
                ("title", "x"),
                ("tag", ""),
                ("count", "500"),
                ("opens", "tomorrow"),
                ("closes", "2026-01-01T00:00"),
                ("minutes", "0"),
                ("scope", &w.branch_a.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = r.json()["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    for f in ["title", "count", "opens", "minutes"] {
        assert!(fields.contains(&f.to_owned()), "{f} in {fields:?}");
    }
    // A secretary publishes to their own branch, not another one.
    let set = special(&mut secretary, "研发支部专项", Some(w.branch_a), "5", false).await;
    let r = secretary
        .call(
            "create_special_quiz",
            &[
                ("title", "运营支部专项"),
                ("tag", ""),
                ("count", "5"),
                ("opens", "2026-01-01T00:00"),
                ("closes", "2027-01-01T00:00"),
                ("minutes", "5"),
                ("scope", &w.branch_b.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let mut other = signed_in(&pool, "secretary2").await;
    let (status, _) = start(&mut other, "special", Some(set)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not for another branch");
    let mut member = signed_in(&pool, "member").await;
    let (status, _) = start(&mut member, "special", Some(set)).await;
    assert_eq!(status, StatusCode::OK);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn wrong_answers_go_to_the_book_and_a_right_retry_clears_them(pool: PgPool) {
    world(&pool).await;
    load_bank(&pool).await;
    let mut member = signed_in(&pool, "member").await;
    let (_, quiz) = start(&mut member, "daily", None).await;
    let attempt = quiz["attempt_id"].as_i64().unwrap().to_string();
    let r = member
        .call("submit_quiz", &[("attempt_id", &attempt), ("answers", "")])
        .await;
    assert_eq!(r.json()["correct"], 0);
    assert_eq!(r.json()["points"], 0);

    let book = member.call("wrong_book", &[]).await.json();
    assert_eq!(book.as_array().unwrap().len(), 5);
    assert!(!book.to_string().contains("answer"), "retries stay blind");
    let q = book[0]["question"]["id"].as_i64().unwrap();
    let answer: Vec<i16> = sqlx::query_scalar("SELECT answer FROM questions WHERE id = $1")
        .bind(q)
        .fetch_one(&pool)
        .await
        .unwrap();
    let wrong_pick = format!("{q}:{}", (answer[0] + 1) % 2);
    let r = member
        .call(
            "retry_wrong",
            &[("question_id", &q.to_string()), ("answers", &wrong_pick)],
        )
        .await;
    assert_eq!(r.json()["correct"], false);
    let right: String = answer
        .iter()
        .map(|o| format!("{q}:{o}"))
        .collect::<Vec<_>>()
        .join(",");
    let r = member
        .call(
            "retry_wrong",
            &[("question_id", &q.to_string()), ("answers", &right)],
        )
        .await;
    assert_eq!(r.json()["correct"], true);
    let book = member.call("wrong_book", &[]).await.json();
    assert_eq!(book.as_array().unwrap().len(), 4);
    let r = member
        .call(
            "retry_wrong",
            &[("question_id", &q.to_string()), ("answers", &right)],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "cleared questions are not retried"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_contest_ranks_members_by_score_then_time_and_branches_by_participation(pool: PgPool) {
    let w = world(&pool).await;
    load_bank(&pool).await;
    let mut admin = signed_in(&pool, "admin").await;
    let set = special(&mut admin, "知识竞赛", Some(w.committee), "10", true).await;

    for (login, right) in [("member", true), ("secretary", false)] {
        let mut c = signed_in(&pool, login).await;
        let (_, quiz) = start(&mut c, "special", Some(set)).await;
        let attempt = quiz["attempt_id"].as_i64().unwrap().to_string();
        let answers = if right {
            right_answers(&pool, &quiz).await
        } else {
            String::new()
        };
        let r = c
            .call(
                "submit_quiz",
                &[("attempt_id", &attempt), ("answers", &answers)],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }
    let mut member = signed_in(&pool, "member").await;
    let board = member
        .call("contest_board", &[("set_id", &set.to_string())])
        .await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.body);
    let board = board.json();
    assert_eq!(board["members"][0]["name"], "member");
    assert_eq!(board["members"][0]["rank"], 1);
    assert_eq!(board["members"][1]["name"], "secretary");
    let branches = board["branches"].as_array().unwrap();
    let rnd = branches.iter().find(|b| b["name"] == "研发党支部").unwrap();
    assert_eq!(
        (rnd["took"].as_u64(), rnd["rate"].as_u64()),
        (Some(2), Some(100))
    );
    let ops = branches.iter().find(|b| b["name"] == "运营党支部").unwrap();
    assert_eq!(ops["rate"], 0);

    // A member who asked for privacy is 匿名成员 to another branch's viewer.
    member
        .call("set_rank_anonymous", &[("anonymous", "on")])
        .await;
    let mut outsider = signed_in(&pool, "secretary2").await;
    let seen = outsider
        .call("contest_board", &[("set_id", &set.to_string())])
        .await
        .json();
    // No name is sent for them; the page shows 匿名成员 in the viewer's language.
    assert!(seen["members"][0]["name"].is_null(), "{seen}");
    let seen = member
        .call("contest_board", &[("set_id", &set.to_string())])
        .await
        .json();
    assert_eq!(seen["members"][0]["name"], "member");

    let points: i32 =
        sqlx::query_scalar("SELECT points FROM point_ledger WHERE source_kind = 'special_quiz'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(points, 10, "a full special quiz is worth its cap of 10");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn opening_a_special_quiz_or_a_link_to_it_does_not_start_its_one_timed_attempt(pool: PgPool) {
    world(&pool).await;
    load_bank(&pool).await;
    let mut admin = signed_in(&pool, "admin").await;
    let set = special(&mut admin, "党章专项答题", None, "10", false).await;
    let mut member = signed_in(&pool, "member").await;
    let attempts = async || -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM quiz_attempts WHERE kind = 'special'")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    // The page (a GET, so also a link from anywhere) shows the cover only.
    let page = member.get(&format!("/study/quiz/special/{set}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("开始答题"), "the start button");
    assert_eq!(attempts().await, 0);
    let r = member
        .call(
            "start_quiz",
            &[("kind", "special"), ("set_id", &set.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let cover = r.json();
    assert_eq!(cover["questions"], serde_json::json!([]));
    assert_eq!(cover["cover"]["minutes"], 10);
    assert_eq!(attempts().await, 0);
    // Only the start button's POST begins it.
    let (s, quiz) = start(&mut member, "special", Some(set)).await;
    assert_eq!(s, StatusCode::OK, "{quiz}");
    assert_eq!(quiz["questions"].as_array().unwrap().len(), 5);
    assert!(quiz["seconds_left"].as_i64().unwrap() > 590);
    assert_eq!(attempts().await, 1);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_weekly_quiz_sheet_closes_with_its_week(pool: PgPool) {
    world(&pool).await;
    load_bank(&pool).await;
    let mut member = signed_in(&pool, "member").await;
    let (s, quiz) = start(&mut member, "weekly", None).await;
    assert_eq!(s, StatusCode::OK, "{quiz}");
    assert_eq!(quiz["seconds_left"], Value::Null, "no clock on the page");
    let (deadline, closes): (
        Option<chrono::DateTime<chrono::Utc>>,
        chrono::DateTime<chrono::Utc>,
    ) = sqlx::query_as(
        "SELECT a.deadline_at, s.closes_at FROM quiz_attempts a JOIN quiz_sets s ON s.id = a.set_id
             WHERE a.kind = 'weekly'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(deadline, Some(closes));
    // The week is over: a sheet kept open cannot be handed in after it.
    sqlx::query(
        "UPDATE quiz_attempts SET deadline_at = now() - interval '1 minute' WHERE kind = 'weekly'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let answers = right_answers(&pool, &quiz).await;
    let r = member
        .call(
            "submit_quiz",
            &[
                ("attempt_id", &quiz["attempt_id"].to_string()),
                ("answers", &answers),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.json()["Conflict"], "QuizLate");
    let awarded: i64 =
        sqlx::query_scalar("SELECT count(*) FROM point_ledger WHERE source_kind = 'weekly_quiz'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(awarded, 0);
}

/// An XLSX file of one sheet with these (cell, text) pairs.
fn xlsx(cells: &[(&str, &str)], padding: usize) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut put = |name: &str, body: &[u8]| {
        zip.start_file(name, opts).unwrap();
        zip.write_all(body).unwrap();
    };
    put(
        "[Content_Types].xml",
        br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
    );
    put(
        "_rels/.rels",
        br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    put(
        "xl/workbook.xml",
        br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    put(
        "xl/_rels/workbook.xml.rels",
        br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
    );
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (cell, text) in cells {
        sheet.push_str(&format!(
            r#"<row><c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c></row>"#
        ));
    }
    sheet.push_str("</sheetData></worksheet>");
    sheet.push_str(&" ".repeat(padding));
    put("xl/worksheets/sheet1.xml", sheet.as_bytes());
    zip.finish().unwrap().into_inner()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_sheet_past_a_limit_is_refused_by_that_limit_and_the_server_keeps_serving(pool: PgPool) {
    world(&pool).await;
    let mut admin = signed_in(&pool, "admin").await;
    // 1.6 kB: a header cell and one cell at the sheet's very last place, which a reader
    // that lays out the whole range would need 500 GB for.
    let far = xlsx(&[("A1", "题目"), ("XFD1048576", "x")], 0);
    assert!(far.len() < 4096, "{}", far.len());
    // A part that unpacks past its limit (65 MB of spaces in a small zip).
    let bomb = xlsx(&[("A1", "题目")], 65 << 20);
    assert!(bomb.len() < 1 << 20, "{}", bomb.len());
    for (name, bytes, msg) in [
        ("far.xlsx", far, "SheetTooManyRows"),
        ("bomb.xlsx", bomb, "SheetTooLarge"),
    ] {
        let up = admin.upload("sheet", name, bytes).await;
        assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
        let id = up.json()["id"].as_str().unwrap().to_owned();
        let r = admin.call("import_questions", &[("upload", &id)]).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: {}",
            r.body
        );
        assert_eq!(
            r.json()["Invalid"][0],
            serde_json::json!({"field": "file", "msg": msg})
        );
        let r = admin.call("import_ledger", &[("upload", &id)]).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: {}",
            r.body
        );
    }
    assert_eq!(bank_size(&pool).await, 0);
    // Still serving: the example bank imports whole.
    let r = import(&mut admin, "题库.xlsx", example("question-bank.xlsx")).await;
    assert!(r["imported"].as_u64().unwrap() >= 10, "{r}");
}
