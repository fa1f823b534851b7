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
            &[
                ("channels[sms:meeting]", "on"),
                ("email", ""),
                ("quiet_from", "22"),
                ("quiet_to", ""),
            ],
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
            &[
                ("channels[sms:meeting]", "on"),
                ("email", ""),
                ("quiet_from", &from),
                ("quiet_to", &to),
            ],
        )
        .await;
    assert_eq!(r.status, http::StatusCode::OK, "{}", r.body);
    let prefs = member.call("my_notice_prefs", &[]).await.json();
    assert_eq!(prefs["channels"], serde_json::json!([["Meeting", "Sms"]]));
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

/// A local SMTP server: takes every message, keeps its recipients and its text.
async fn smtp_receiver() -> (u16, std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = std::sync::Arc::new(std::sync::Mutex::new(vec![]));
    let kept = got.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let kept = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 localhost ESMTP\r\n").await.unwrap();
                let (mut to, mut data, mut in_data) = (String::new(), String::new(), false);
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            kept.lock().unwrap().push((to.clone(), data.clone()));
                            write.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            data.push_str(&line);
                            data.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_uppercase();
                    let answer: &[u8] = if upper.starts_with("EHLO") {
                        b"250-localhost\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        to = line[8..].trim().to_owned();
                        b"250 ok\r\n"
                    } else if upper.starts_with("DATA") {
                        in_data = true;
                        data.clear();
                        b"354 go on\r\n"
                    } else if upper.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    write.write_all(answer).await.unwrap();
                }
            });
        }
    });
    (port, got)
}

/// The text of a message as the receiver got it: its base64 body decoded.
fn mail_body(data: &str) -> String {
    use base64::Engine;
    let body = data.split_once("\n\n").map(|(_, b)| b).unwrap_or_default();
    let joined: String = body.lines().collect();
    String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(joined.trim())
            .unwrap(),
    )
    .unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_member_who_chose_e_mail_gets_the_meeting_reminder_once_and_failures_are_kept(
    pool: PgPool,
) {
    let w = world(&pool).await;
    let mut member = signed_in(&pool, "member").await;
    let prefs = async |c: &mut common::Client, email: &str, ticked: &[&str]| {
        let mut fields = vec![("email", email), ("quiet_from", ""), ("quiet_to", "")];
        let names: Vec<String> = ticked.iter().map(|t| format!("channels[{t}]")).collect();
        fields.extend(names.iter().map(|n| (n.as_str(), "on")));
        c.call("set_notice_prefs", &fields).await
    };
    // A wrong address, a made-up channel, and e-mail without an address: each refused with
    // its message, and nothing saved.
    let r = prefs(&mut member, "wang@example", &["email:meeting"]).await;
    assert_eq!(common::error_msg(&r.body), "EmailInvalid", "{}", r.body);
    let r = prefs(&mut member, "", &["fax:meeting"]).await;
    assert_eq!(common::error_msg(&r.body), "BadRequest", "{}", r.body);
    let r = prefs(&mut member, "", &["email:meeting"]).await;
    assert_eq!(common::error_msg(&r.body), "ChannelNoAddress", "{}", r.body);
    let saved = "SELECT (SELECT count(*) FROM notice_channels) + (SELECT count(*) FROM users WHERE email IS NOT NULL)";
    assert_eq!(count(&pool, saved).await, 0);
    let r = prefs(
        &mut member,
        " wang@example.com ",
        &["email:meeting", "email:dues"],
    )
    .await;
    assert_eq!(r.status, http::StatusCode::OK, "{}", r.body);
    let v = member.call("my_notice_prefs", &[]).await.json();
    assert_eq!(v["email"], "wang@example.com");
    assert_eq!(v["channels"].as_array().unwrap().len(), 2, "{v}");

    // The day's reminder: one e-mail, to the member only (the secretary chose none).
    let meeting = meeting_in(&pool, w.branch_a, 23 * 60 + 50).await;
    assert_eq!(run(&pool).await, 2);
    assert_eq!(count(&pool, "SELECT count(*) FROM mail_outbox").await, 1);
    assert_eq!(count(&pool, "SELECT count(*) FROM outbox").await, 0);

    // Two servers send at once: the receiver gets it once, in the member's words.
    let (port, got) = smtp_receiver().await;
    let smtp = server::mail::Smtp::new(
        &format!("smtp://127.0.0.1:{port}"),
        "青年e家 <noreply@example.com>",
    )
    .unwrap();
    let site = Some("https://qnej.example.com");
    let (a, b) = tokio::join!(
        server::mail::deliver(&pool, &smtp, site),
        server::mail::deliver(&pool, &smtp, site)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    let mails = got.lock().unwrap().clone();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].0, "<wang@example.com>");
    let text = mail_body(&mails[0].1);
    assert!(text.contains("十二月支部党员大会"), "{text}");
    assert!(
        text.contains(&format!(
            "https://qnej.example.com/orglife/meeting/{meeting}"
        )),
        "{text}"
    );
    assert_eq!(server::mail::deliver(&pool, &smtp, site).await.unwrap(), 0);
    assert_eq!(run(&pool).await, 0);

    // The hour's reminder meets a server that does not answer: tried again later, then
    // given up, and the platform's admins see why.
    common::move_meeting(&pool, meeting, 50).await;
    assert_eq!(run(&pool).await, 2);
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let down =
        server::mail::Smtp::new(&format!("smtp://127.0.0.1:{closed}"), "noreply@example.com")
            .unwrap();
    assert_eq!(server::mail::deliver(&pool, &down, site).await.unwrap(), 0);
    let (attempts, waits): (i32, bool) = sqlx::query_as(
        "SELECT attempts, next_at > now() + interval '20 seconds' FROM mail_outbox WHERE sent_at IS NULL",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((attempts, waits), (1, true));
    assert_eq!(server::mail::deliver(&pool, &down, site).await.unwrap(), 0);
    sqlx::query("UPDATE mail_outbox SET next_at = now(), attempts = $1 - 1 WHERE sent_at IS NULL")
        .bind(server::mail::MAX_ATTEMPTS)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(server::mail::deliver(&pool, &down, site).await.unwrap(), 0);
    let failed = "SELECT count(*) FROM mail_outbox WHERE failed_at IS NOT NULL AND error <> ''";
    assert_eq!(count(&pool, failed).await, 1);
    let mut admin = signed_in(&pool, "admin").await;
    let list = admin.call("mail_outbox", &[]).await.json();
    assert_eq!(list[0]["failed"], true, "{list}");
    assert!(
        list[0]["error"].as_str().unwrap().contains("SMTP"),
        "{list}"
    );
    assert_eq!(list[1]["sent"], true, "{list}");
    assert_eq!(
        member.call("mail_outbox", &[]).await.status,
        http::StatusCode::FORBIDDEN
    );
    let page = admin.get("/league/outbox").await;
    assert!(page.body.contains("wang@example.com"), "{}", page.body);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn past_three_e_mails_a_day_the_rest_go_together_in_one_digest(pool: PgPool) {
    use app::notices::model::Message;
    world(&pool).await;
    let member = common::user_id(&pool, "member").await;
    sqlx::query("UPDATE users SET email = 'wang@example.com' WHERE id = $1;")
        .bind(member)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO notice_channels (user_id, kind, channel) VALUES ($1, 'study', 'email')",
    )
    .bind(member)
    .execute(&pool)
    .await
    .unwrap();
    // Five required items fall due for the member this morning (Asia/Shanghai).
    let today = app::time::day_of(chrono::Utc::now());
    let morning = app::time::start_of(today).unwrap() + chrono::Duration::hours(9);
    let mut c = pool.acquire().await.unwrap();
    for n in 1..=5 {
        let message = Message::StudyDue {
            title: format!("必修第{n}课"),
            due: today.to_string(),
        };
        app::notices::flow::beyond_portal(
            &mut c,
            &[member],
            &message,
            &format!("/study/{n}"),
            morning,
        )
        .await
        .unwrap();
    }
    let held = "SELECT count(*) FROM mail_outbox WHERE digest_day IS NOT NULL";
    assert_eq!(count(&pool, held).await, 2);

    // Two servers send at once, and again once the evening has come: three e-mails alone
    // and one digest of the other two, each once.
    let (port, got) = smtp_receiver().await;
    let smtp = server::mail::Smtp::new(&format!("smtp://127.0.0.1:{port}"), "noreply@example.com")
        .unwrap();
    let (a, b) = tokio::join!(
        server::mail::deliver(&pool, &smtp, None),
        server::mail::deliver(&pool, &smtp, None)
    );
    let mut sent = a.unwrap() + b.unwrap();
    sqlx::query("UPDATE mail_outbox SET next_at = now() WHERE sent_at IS NULL")
        .execute(&pool)
        .await
        .unwrap();
    let (a, b) = tokio::join!(
        server::mail::deliver(&pool, &smtp, None),
        server::mail::deliver(&pool, &smtp, None)
    );
    sent += a.unwrap() + b.unwrap();
    assert_eq!(sent, 4);
    let mails = got.lock().unwrap().clone();
    assert_eq!(mails.len(), 4);
    // Whichever went first (the digest is due at once after 20:00): items 1 to 3 alone,
    // 4 and 5 together.
    let bodies: Vec<String> = mails.iter().map(|m| mail_body(&m.1)).collect();
    three_alone_then_together(&bodies);
    assert!(bodies.iter().any(|b| b.contains("/study/5")));
    let unsent = "SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL";
    assert_eq!(count(&pool, unsent).await, 0);
}

/// Each of the five required items (必修第1课 …) was sent once: the first three alone and
/// the last two together in the day's digest.
fn three_alone_then_together(sent: &[String]) {
    for n in 1..=5 {
        let with: Vec<&String> = sent
            .iter()
            .filter(|b| b.contains(&format!("必修第{n}课")))
            .collect();
        assert_eq!(with.len(), 1, "item {n}: {sent:?}");
        let together = with[0].matches("必修第").count();
        assert_eq!(
            together,
            if n <= 3 { 1 } else { 2 },
            "item {n}: {}",
            with[0]
        );
    }
}

/// A text-message vendor that accepts every message and keeps its text.
#[derive(Default)]
struct Vendor(std::sync::Mutex<Vec<String>>);

impl server::sms::SmsGateway for Vendor {
    fn send<'a>(
        &'a self,
        _to: &'a str,
        body: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>> + Send + 'a>> {
        self.0.lock().unwrap().push(body.to_owned());
        Box::pin(async { Ok(()) })
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn past_three_text_reminders_a_day_the_rest_go_together_in_one_text(pool: PgPool) {
    use app::i18n::Locale;
    use app::notices::model::{Message, TextMessage};
    world(&pool).await;
    let member = common::user_id(&pool, "member").await;
    sqlx::query("INSERT INTO notice_channels (user_id, kind, channel) VALUES ($1, 'study', 'sms')")
        .bind(member)
        .execute(&pool)
        .await
        .unwrap();
    let today = app::time::day_of(chrono::Utc::now());
    let morning = app::time::start_of(today).unwrap() + chrono::Duration::hours(9);
    let mut c = pool.acquire().await.unwrap();
    // A sign-in code to the same number is neither held nor counted among the reminders.
    let code = TextMessage::AccountCode {
        sign_in: true,
        minutes: 10,
    };
    app::league::founding::store::queue_secret_sms(
        &mut c,
        "13900000002",
        &code,
        Locale::ZhCn,
        Some("123456"),
    )
    .await
    .unwrap();
    for n in 1..=5 {
        let message = Message::StudyDue {
            title: format!("必修第{n}课"),
            due: today.to_string(),
        };
        app::notices::flow::beyond_portal(&mut c, &[member], &message, "/study", morning)
            .await
            .unwrap();
    }
    let held = "SELECT count(*) FROM outbox WHERE digest_day IS NOT NULL";
    assert_eq!(count(&pool, held).await, 2);

    // Two servers send at once, and again once the evening has come: the code and three
    // reminders alone, and one text of the other two, each once.
    let vendor = Vendor::default();
    let (a, b) = tokio::join!(
        server::sms::deliver(&pool, &vendor),
        server::sms::deliver(&pool, &vendor)
    );
    let mut sent = a.unwrap() + b.unwrap();
    sqlx::query("UPDATE outbox SET not_before = now() WHERE sent_at IS NULL")
        .execute(&pool)
        .await
        .unwrap();
    let (a, b) = tokio::join!(
        server::sms::deliver(&pool, &vendor),
        server::sms::deliver(&pool, &vendor)
    );
    sent += a.unwrap() + b.unwrap();
    assert_eq!(sent, 5);
    let texts = vendor.0.lock().unwrap().clone();
    assert_eq!(texts.len(), 5, "{texts:?}");
    three_alone_then_together(&texts);
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("【青年e家】今日提醒 2 条：")),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t.contains("123456")), "{texts:?}");
    let unsent = "SELECT count(*) FROM outbox WHERE sent_at IS NULL OR secret IS NOT NULL";
    assert_eq!(count(&pool, unsent).await, 0);
}
