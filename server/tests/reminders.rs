//! Reminders as the job sends them, on the real database: a meeting's a day and an hour
//! before (once each, with two servers running the job at the same moment; none to the
//! excused; a moved meeting gets new ones; none for a lead already begun when it was
//! scheduled), and a required item's from three days before its due date to those who have
//! not finished it.

mod common;

use common::{count, notifications, signed_in, world};
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A meeting of `branch` for everyone in it, scheduled two days ago, starting in `minutes`.
async fn meeting_in(pool: &PgPool, branch: app::ids::OrgId, minutes: i32) -> i64 {
    let mut sec = signed_in(pool, "secretary").await;
    let id = common::schedule_meeting(&mut sec, branch, "三楼会议室").await;
    common::move_meeting(pool, id, minutes).await;
    sqlx::query("UPDATE meetings SET created_at = now() - interval '2 days' WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
    id
}

async fn run(pool: &PgPool) -> u64 {
    server::jobs::reminders(pool).await.unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_meeting_is_reminded_a_day_and_an_hour_before_once_each_and_not_to_the_excused(
    pool: PgPool,
) {
    let w = world(&pool).await;
    let id = meeting_in(&pool, w.branch_a, 23 * 60 + 50).await;
    // The secretary is excused.
    sqlx::query(
        "INSERT INTO meeting_leaves (meeting_id, user_id, reason, state)
         SELECT $1, id, '出差在外地', 'approved' FROM users WHERE username = 'secretary'",
    )
    .bind(id)
    .execute(&pool)
    .await
    .unwrap();
    // Two servers run the job at the same moment: one tells the member, once.
    let (a, b) = tokio::join!(run(&pool), run(&pool));
    assert_eq!(a + b, 1);
    assert_eq!(notifications(&pool, "member", "meeting_soon").await, 1);
    assert_eq!(notifications(&pool, "secretary", "meeting_soon").await, 0);
    assert_eq!(run(&pool).await, 0);

    // An hour before: the hour's reminder, once.
    common::move_meeting(&pool, id, 50).await;
    let (a, b) = tokio::join!(run(&pool), run(&pool));
    assert_eq!(a + b, 1);
    assert_eq!(notifications(&pool, "member", "meeting_soon").await, 2);
    let text: String = sqlx::query_scalar(
        "SELECT n.message::text FROM notifications n JOIN users u ON u.id = n.user_id
         WHERE u.username = 'member' AND n.kind = 'meeting_soon' ORDER BY n.id DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        text.contains("\"hours\": 1") || text.contains("\"hours\":1"),
        "{text}"
    );

    // Started: nothing more.
    common::move_meeting(&pool, id, -5).await;
    assert_eq!(run(&pool).await, 0);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM meeting_reminders").await,
        2
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_meeting_scheduled_late_gets_only_the_reminders_still_ahead(pool: PgPool) {
    let w = world(&pool).await;
    let id = meeting_in(&pool, w.branch_a, 10 * 60).await;
    // Scheduled ten hours ahead: its notice said so, no day's reminder.
    sqlx::query("UPDATE meetings SET created_at = now() WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(run(&pool).await, 0);
    // Nine hours and twenty minutes later (the clock moved: the meeting keeps its ten hours
    // between scheduling and start), the hour's reminder goes to both.
    sqlx::query(
        "UPDATE meetings SET starts_at = now() + interval '40 minutes',
                             ends_at = now() + interval '100 minutes',
                             created_at = now() - interval '9 hours 20 minutes' WHERE id = $1",
    )
    .bind(id)
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(run(&pool).await, 2);
    assert_eq!(notifications(&pool, "member", "meeting_soon").await, 1);
    // A meeting scheduled half an hour ahead gets no reminder at all.
    let late = meeting_in(&pool, w.branch_a, 30).await;
    sqlx::query("UPDATE meetings SET created_at = now() WHERE id = $1")
        .bind(late)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(run(&pool).await, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_required_item_is_reminded_three_days_before_to_those_who_have_not_finished(
    pool: PgPool,
) {
    let w = world(&pool).await;
    let item = |days: i32| {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO study_items (kind, title, length_secs, scope_org_id, required, due_on, status, published_at)
             VALUES ('article', '党章学习', 300, $1, true,
                     (now() AT TIME ZONE 'Asia/Shanghai')::date + $2, 'published', now())
             RETURNING id",
        )
        .bind(w.branch_a)
        .bind(days)
        .fetch_one(&pool)
    };
    let soon = item(2).await.unwrap();
    let later = item(5).await.unwrap();
    // The member has finished the one due soon.
    sqlx::query(
        "INSERT INTO study_progress (user_id, item_id, credited_secs, completed_at)
         SELECT id, $1, 300, now() FROM users WHERE username = 'member'",
    )
    .bind(soon)
    .execute(&pool)
    .await
    .unwrap();
    let (a, b) = tokio::join!(run(&pool), run(&pool));
    assert_eq!(a + b, 1);
    assert_eq!(notifications(&pool, "secretary", "study_due").await, 1);
    assert_eq!(notifications(&pool, "member", "study_due").await, 0);
    // Another branch is not the item's audience; the later item waits for its day.
    assert_eq!(notifications(&pool, "secretary2", "study_due").await, 0);
    let q = format!("SELECT count(*) FROM study_reminders WHERE item_id = {later}");
    assert_eq!(count(&pool, &q).await, 0);
    assert_eq!(run(&pool).await, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_member_who_asked_for_text_messages_gets_the_reminder_by_sms_after_quiet_hours(
    pool: PgPool,
) {
    let w = world(&pool).await;
    let mut member = signed_in(&pool, "member").await;
    // Bad quiet hours are refused with the field named, and nothing is saved.
    let r = member
        .call(
            "set_notice_prefs",
            &[("sms", "on"), ("quiet_from", "22"), ("quiet_to", "")],
        )
        .await;
    assert_eq!(
        common::error_msg(&r.body),
        "QuietHoursInvalid",
        "{}",
        r.body
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM notice_prefs").await, 0);
    // Quiet from this hour for two hours: whatever the time of the test, the message waits.
    let hour = (chrono::Utc::now().with_timezone(&app::time::shanghai()))
        .format("%H")
        .to_string()
        .parse::<u8>()
        .unwrap();
    let (from, to) = (hour.to_string(), ((hour + 2) % 24).to_string());
    let r = member
        .call(
            "set_notice_prefs",
            &[("sms", "on"), ("quiet_from", &from), ("quiet_to", &to)],
        )
        .await;
    assert_eq!(r.status, http::StatusCode::OK, "{}", r.body);
    let prefs = member.call("my_notice_prefs", &[]).await.json();
    assert_eq!(prefs["sms_reminders"], true);
    assert_eq!(prefs["quiet"]["from"].as_u64(), Some(u64::from(hour)));

    meeting_in(&pool, w.branch_a, 23 * 60 + 50).await;
    assert_eq!(run(&pool).await, 2);
    // The secretary did not ask for text messages; the member did, held to the hour's end.
    let (to, wait): (String, f64) = sqlx::query_as(
        "SELECT recipient, extract(epoch FROM not_before - now())::float8 FROM outbox",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(to, "13900000002");
    assert!((0.0..=7200.0).contains(&wait), "{wait}");
    // Not sent before then.
    #[derive(Default)]
    struct Vendor(std::sync::Mutex<Vec<String>>);
    impl server::sms::SmsGateway for Vendor {
        fn send<'a>(
            &'a self,
            _to: &'a str,
            body: &'a str,
        ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>> + Send + 'a>>
        {
            self.0.lock().unwrap().push(body.to_owned());
            Box::pin(async { Ok(()) })
        }
    }
    let vendor = Vendor::default();
    assert_eq!(server::sms::deliver(&pool, &vendor).await.unwrap(), 0);
    sqlx::query("UPDATE outbox SET not_before = now()")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(server::sms::deliver(&pool, &vendor).await.unwrap(), 1);
    let sent = vendor.0.lock().unwrap().clone();
    assert!(
        sent[0].starts_with("【青年e家】提醒：「十二月支部党员大会」"),
        "{}",
        sent[0]
    );
    // A second run of the job sends nothing again.
    assert_eq!(run(&pool).await, 0);
    assert_eq!(count(&pool, "SELECT count(*) FROM outbox").await, 1);
}
