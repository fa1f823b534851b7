//! Organization life through the real router: a month's due items from the tree's
//! frequencies and who may see a branch's calendar; meetings with leave, check-in by the
//! rotating code, attendance by hand, and the record with its versioned saves and review.

mod common;

use app::ids::{OrgId, UserId};
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

async fn calendar(c: &mut Client, org: OrgId, month: &str) -> (StatusCode, Value) {
    let r = c
        .call(
            "life_calendar",
            &[("org", &org.to_string()), ("month", month)],
        )
        .await;
    (
        r.status,
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_member_sees_the_months_quarters_and_years_items_of_their_branch(pool: PgPool) {
    let w = world(&pool).await;
    sqlx::query("UPDATE orgs SET theme_day = 31 WHERE id = $1")
        .bind(w.branch_a)
        .execute(&pool)
        .await
        .unwrap();
    let mut member = signed_in(&pool, "member").await;
    // A past month: everything due in it is overdue, as nothing was held.
    let (status, v) = calendar(&mut member, OrgId(0), "2025-02").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["org"][0], w.branch_a.0);
    let items = v["items"].as_array().unwrap();
    let kinds: Vec<&str> = items.iter().map(|i| i["kind"].as_str().unwrap()).collect();
    // Three monthly, two quarterly (general meeting, lesson), three yearly.
    assert_eq!(items.len(), 8, "{kinds:?}");
    assert!(items.iter().all(|i| i["state"] == "Overdue"));
    let theme = items.iter().find(|i| i["kind"] == "ThemeDay").unwrap();
    assert_eq!(theme["on"], "2025-02-28");
    let general = items
        .iter()
        .find(|i| i["kind"] == "GeneralMeeting")
        .unwrap();
    assert_eq!(general["period"], "2025-01-01 – 2025-03-31");
    assert_eq!(
        (v["prev"].as_str(), v["next"].as_str()),
        (Some("2025-01"), Some("2025-03"))
    );
    // A month to come: all still due.
    let (_, v) = calendar(&mut member, w.branch_a, "2099-12").await;
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["state"] == "Due")
    );

    // Frequencies are data: without group meetings the month has one item less.
    sqlx::query("DELETE FROM life_requirements WHERE tree = 'party' AND kind = 'group_meeting'")
        .execute(&pool)
        .await
        .unwrap();
    let (_, v) = calendar(&mut member, OrgId(0), "2025-02").await;
    assert_eq!(v["items"].as_array().unwrap().len(), 7);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn another_branchs_calendar_is_closed_and_bad_months_are_refused(pool: PgPool) {
    let w = world(&pool).await;
    let mut member = signed_in(&pool, "member").await;
    let (status, _) = calendar(&mut member, w.branch_b, "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = calendar(&mut member, OrgId(0), "2026-13").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = calendar(&mut member, OrgId(999_999), "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The committee's admin manages branch B.
    let mut admin = signed_in(&pool, "orgadmin").await;
    let (status, v) = calendar(&mut admin, w.branch_b, "").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["org"][0], w.branch_b.0);
    // A committee is not a branch.
    let (status, _) = calendar(&mut admin, w.committee, "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut nobody = client(&pool).await;
    let (status, _) = calendar(&mut nobody, OrgId(0), "").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn schedule(
    c: &mut Client,
    org: OrgId,
    kind: &str,
    starts: &str,
    ends: &str,
    place: &str,
) -> (StatusCode, Value) {
    let r = c
        .call(
            "schedule_meeting",
            &[
                ("org", &org.to_string()),
                ("kind", kind),
                ("title", "十一月支委会"),
                ("starts", starts),
                ("ends", ends),
                ("place", place),
                ("online_link", ""),
                ("agenda", "学习；讨论发展对象"),
                ("chair", "王书记"),
                ("recorder", ""),
                ("attendees", "branch"),
            ],
        )
        .await;
    (
        r.status,
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_secretary_schedules_a_meeting_the_branch_is_told_and_the_room_is_kept(pool: PgPool) {
    let w = world(&pool).await;
    let mut secretary = signed_in(&pool, "secretary").await;
    let (s, v) = schedule(
        &mut secretary,
        w.branch_a,
        "committee_meeting",
        "2030-03-12T19:00",
        "2030-03-12T20:30",
        "3 楼会议室",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let id = v.as_i64().unwrap();
    let expected: i64 =
        sqlx::query_scalar("SELECT count(*) FROM meeting_expected WHERE meeting_id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    let members: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM memberships WHERE org_id = $1 AND ended_at IS NULL",
    )
    .bind(w.branch_a)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(expected, members);
    assert_eq!(
        common::notifications(&pool, "member", "meeting_scheduled").await,
        1
    );

    // The member's calendar of March 2030: the meeting, and the committee item scheduled.
    let mut member = signed_in(&pool, "member").await;
    let (_, v) = calendar(&mut member, OrgId(0), "2030-03").await;
    assert_eq!(v["meetings"][0]["title"], "十一月支委会");
    assert_eq!(v["meetings"][0]["when"], "2030-03-12 19:00–20:30");
    assert_eq!(v["can_schedule"], false);
    let committee = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "CommitteeMeeting")
        .unwrap();
    assert_eq!(committee["scheduled"], true);
    let group = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "GroupMeeting")
        .unwrap();
    assert_eq!(group["scheduled"], false);

    // Members do not schedule; bad times and a taken room are refused with a message.
    let (s, _) = schedule(
        &mut member,
        w.branch_a,
        "lesson",
        "2030-03-13T19:00",
        "2030-03-13T20:00",
        "报告厅",
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = schedule(
        &mut secretary,
        w.branch_a,
        "lesson",
        "2030-03-13T19:00",
        "2030-03-13T18:00",
        "报告厅",
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["Invalid"][0]["field"], "ends");
    let mut other = signed_in(&pool, "secretary2").await;
    let (s, v) = schedule(
        &mut other,
        w.branch_b,
        "lesson",
        "2030-03-12T20:00",
        "2030-03-12T21:00",
        "3 楼会议室",
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["Invalid"][0]["msg"], "MeetingRoomTaken");
    let (s, _) = schedule(
        &mut other,
        w.branch_b,
        "lesson",
        "2030-03-12T20:30",
        "2030-03-12T21:30",
        "3 楼会议室",
    )
    .await;
    assert_eq!(s, StatusCode::OK);
}

/// A meeting of branch A starting `minutes` from now (negative: already started).
async fn meeting_at(pool: &PgPool, secretary: &mut Client, branch: OrgId, minutes: i32) -> i64 {
    let (s, v) = schedule(
        secretary,
        branch,
        "group_meeting",
        "2031-05-06T19:00",
        "2031-05-06T20:00",
        "",
    )
    .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a place or a link is needed: {v}"
    );
    let (s, v) = schedule(
        secretary,
        branch,
        "group_meeting",
        "2031-05-06T19:00",
        "2031-05-06T20:00",
        &format!("会议室 {minutes}"),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let id = v.as_i64().unwrap();
    common::move_meeting(pool, id, minutes).await;
    id
}

async fn call(c: &mut Client, name: &str, fields: &[(&str, &str)]) -> (StatusCode, Value) {
    let r = c.call(name, fields).await;
    (
        r.status,
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

async fn save(
    c: &mut Client,
    meeting: &str,
    version: &str,
    minutes: &str,
    resolutions: &str,
) -> (StatusCode, Value) {
    let fields = [
        ("meeting", meeting),
        ("version", version),
        ("minutes", minutes),
        ("resolutions", resolutions),
    ];
    call(c, "save_minutes", &fields).await
}

async fn submit(c: &mut Client, meeting: &str, version: &str) -> (StatusCode, Value) {
    call(
        c,
        "submit_minutes",
        &[("meeting", meeting), ("version", version)],
    )
    .await
}

async fn review(c: &mut Client, meeting: &str, accept: bool, reason: &str) -> (StatusCode, Value) {
    let accept = accept.to_string();
    call(
        c,
        "review_minutes",
        &[
            ("meeting", meeting),
            ("accept", &accept),
            ("reason", reason),
        ],
    )
    .await
}

/// The answer refused the input with this message.
fn refused(s: StatusCode, v: &Value, msg: &str) {
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["Invalid"][0]["msg"], msg, "{v}");
}

async fn code_of(c: &mut Client, meeting: i64) -> String {
    let (s, v) = call(c, "check_in_code", &[("meeting", &meeting.to_string())]).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["code"].as_str().unwrap().to_owned()
}

async fn count(pool: &PgPool, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_member_asks_for_leave_the_organizer_answers_and_each_is_told(pool: PgPool) {
    let w = world(&pool).await;
    let mut secretary = signed_in(&pool, "secretary").await;
    let mut member = signed_in(&pool, "member").await;
    let id = meeting_at(&pool, &mut secretary, w.branch_a, 120).await;
    let m = id.to_string();
    let (s, v) = call(
        &mut member,
        "ask_leave",
        &[("meeting", &m), ("reason", "病")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["Invalid"][0]["msg"], "LeaveReasonInvalid");
    let (s, v) = call(
        &mut member,
        "ask_leave",
        &[("meeting", &m), ("reason", "出差在外地")],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        common::notifications(&pool, "secretary", "leave_asked").await,
        1
    );

    // The member sees their own request; only the organizer sees everyone's.
    let (_, v) = call(&mut member, "meeting_detail", &[("id", &m)]).await;
    assert_eq!(v["my_leave"][0], "Asked");
    assert_eq!(v["attendees"].as_array().unwrap().len(), 0);
    let (_, v) = call(&mut secretary, "meeting_detail", &[("id", &m)]).await;
    assert_eq!(v["attendees"].as_array().unwrap().len(), 2);

    let member_id: UserId = sqlx::query_scalar("SELECT id FROM users WHERE username = 'member'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let answer = [
        ("meeting", m.as_str()),
        ("member", &member_id.to_string()),
        ("approve", "true"),
    ];
    let (s, _) = call(&mut member, "answer_leave", &answer).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a member does not answer leave");
    let (s, v) = call(&mut secretary, "answer_leave", &answer).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        common::notifications(&pool, "member", "leave_answered").await,
        1
    );
    let (s, v) = call(&mut secretary, "answer_leave", &answer).await;
    assert_eq!(
        (s, v["Conflict"].as_str()),
        (StatusCode::CONFLICT, Some("LeaveAnswered"))
    );
    let (s, _) = call(
        &mut member,
        "ask_leave",
        &[("meeting", &m), ("reason", "改个理由")],
    )
    .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "an answered request stays as answered"
    );
    let (_, v) = call(&mut member, "meeting_detail", &[("id", &m)]).await;
    assert_eq!(v["my_leave"][0], "Approved");
    assert_eq!(v["leave_count"], 1);

    // Closer than 20 minutes to the start, leave is closed.
    let soon = meeting_at(&pool, &mut secretary, w.branch_a, 15).await;
    let (s, v) = call(
        &mut member,
        "ask_leave",
        &[("meeting", &soon.to_string()), ("reason", "临时加班")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["Invalid"][0]["msg"], "LeaveClosed");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn only_the_organizer_sees_the_code_and_a_member_checks_in_once_for_the_points(pool: PgPool) {
    let w = world(&pool).await;
    let mut secretary = signed_in(&pool, "secretary").await;
    let mut member = signed_in(&pool, "member").await;
    let mut outsider = signed_in(&pool, "secretary2").await;
    let id = meeting_at(&pool, &mut secretary, w.branch_a, 5).await;
    let m = id.to_string();
    let (s, _) = call(&mut member, "check_in_code", &[("meeting", &m)]).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a member never sees the code");
    let (s, _) = call(&mut outsider, "check_in_code", &[("meeting", &m)]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = call(&mut secretary, "check_in_code", &[("meeting", &m)]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(v["qr_svg"].as_str().unwrap().contains("<svg"));
    let code = v["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 6);
    // The meeting's page brings the organizer the same code (a member's page has none), so
    // the screen shows it without asking again.
    // (The code changes every 30 seconds: it is the one read before or the one after.)
    let (_, v) = call(&mut secretary, "meeting_detail", &[("id", &m)]).await;
    let (_, after) = call(&mut secretary, "check_in_code", &[("meeting", &m)]).await;
    let shown = v["code"]["code"].as_str().unwrap();
    assert!(shown == code || shown == after["code"], "{v}");
    assert!(v["code"]["qr_svg"].as_str().unwrap().contains("<svg"));
    let (_, v) = call(&mut member, "meeting_detail", &[("id", &m)]).await;
    assert!(v["code"].is_null(), "{v}");

    // Branch B's secretary can neither see branch A's meeting nor check in to it.
    let (s, _) = call(&mut outsider, "meeting_detail", &[("id", &m)]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = call(
        &mut outsider,
        "check_in",
        &[("meeting", &m), ("code", &code)],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (s, v) = call(&mut member, "check_in", &[("meeting", &m), ("code", wrong)]).await;
    refused(s, &v, "CheckInCodeWrong");
    let (s, v) = call(
        &mut member,
        "check_in",
        &[("meeting", &m), ("code", "12ab")],
    )
    .await;
    assert_eq!(v["Invalid"][0]["msg"], "CheckInCodeFormat", "{s}");
    let code = code_of(&mut secretary, id).await;
    let (s, v) = call(&mut member, "check_in", &[("meeting", &m), ("code", &code)]).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let code = code_of(&mut secretary, id).await;
    let (s, v) = call(&mut member, "check_in", &[("meeting", &m), ("code", &code)]).await;
    assert_eq!(
        (s, v["Conflict"].as_str()),
        (StatusCode::CONFLICT, Some("CheckInTwice"))
    );
    let points: i64 = sqlx::query_scalar(
        "SELECT coalesce(sum(l.points), 0) FROM point_ledger l JOIN users u ON u.id = l.user_id
         WHERE u.username = 'member' AND l.source_kind = 'meeting' AND l.source_id = $1",
    )
    .bind(&m)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        points, 5,
        "attending with check-in pays the meeting's points once"
    );
    let (_, v) = call(&mut member, "meeting_detail", &[("id", &m)]).await;
    assert_eq!(
        (v["checked_in"].as_bool(), v["present_count"].as_i64()),
        (Some(true), Some(1))
    );
    // The points history names the meeting, not "meeting #id".
    let (_, page) = call(&mut member, "points_page", &[]).await;
    let ledger = &page["ledger"];
    assert_eq!(ledger["rows"][0]["source_title"], v["title"], "{ledger}");

    // Outside the window: too early.
    let later = meeting_at(&pool, &mut secretary, w.branch_a, 90).await;
    let (s, v) = call(
        &mut member,
        "check_in",
        &[("meeting", &later.to_string()), ("code", &code)],
    )
    .await;
    refused(s, &v, "CheckInTooEarly");
    let (s, v) = call(
        &mut secretary,
        "check_in_code",
        &[("meeting", &later.to_string())],
    )
    .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::OK, Some("")),
        "no code before the window"
    );

    // By hand, with a reason, recorded as such and without points.
    let secretary_id: UserId =
        sqlx::query_scalar("SELECT id FROM users WHERE username = 'secretary'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let who = secretary_id.to_string();
    // Only once the meeting has started, though check-in is already open.
    let (s, v) = call(
        &mut secretary,
        "mark_attendance",
        &[("meeting", &m), ("member", &who), ("reason", "忘带手机")],
    )
    .await;
    refused(s, &v, "NotYetHeld");
    sqlx::query("UPDATE meetings SET starts_at = now() - interval '1 minute' WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    let (s, v) = call(
        &mut secretary,
        "mark_attendance",
        &[("meeting", &m), ("member", &who), ("reason", "")],
    )
    .await;
    assert_eq!(
        (s, v["Invalid"][0]["msg"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("AttendanceReasonRequired")
        )
    );
    let (s, _) = call(
        &mut member,
        "mark_attendance",
        &[("meeting", &m), ("member", &who), ("reason", "手机没电")],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = call(
        &mut secretary,
        "mark_attendance",
        &[("meeting", &m), ("member", &who), ("reason", "手机没电")],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let manual = count(
        &pool,
        "SELECT count(*) FROM meeting_attendance WHERE meeting_id = $1 AND how = 'manual'",
        id,
    )
    .await;
    assert_eq!(manual, 1);
    let paid = count(
        &pool,
        "SELECT count(*) FROM point_ledger WHERE user_id = $1 AND source_kind = 'meeting'",
        secretary_id.0,
    )
    .await;
    assert_eq!(paid, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn concurrent_check_ins_of_one_member_give_one_attendance_and_one_award(pool: PgPool) {
    let w = world(&pool).await;
    let mut secretary = signed_in(&pool, "secretary").await;
    let id = meeting_at(&pool, &mut secretary, w.branch_a, 0).await;
    let m = id.to_string();
    // One member on three phones, the same code, at once.
    let mut one = signed_in(&pool, "member").await;
    let mut two = signed_in(&pool, "member").await;
    let mut three = signed_in(&pool, "member").await;
    let code = code_of(&mut secretary, id).await;
    let fields = [("meeting", m.as_str()), ("code", code.as_str())];
    let (a, b, c) = tokio::join!(
        one.call("check_in", &fields),
        two.call("check_in", &fields),
        three.call("check_in", &fields),
    );
    let replies = [a.status, b.status, c.status];
    assert_eq!(
        replies.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{replies:?}"
    );
    assert!(
        replies
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT)
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM meeting_attendance WHERE meeting_id = $1",
            id
        )
        .await,
        1
    );
    let awards: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM point_ledger WHERE source_kind = 'meeting' AND source_id = $1",
    )
    .bind(&m)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(awards, 1);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn two_concurrent_saves_of_minutes_one_wins_and_the_superior_sends_the_record_back(
    pool: PgPool,
) {
    let w = world(&pool).await;
    let mut secretary = signed_in(&pool, "secretary").await;
    let mut admin = signed_in(&pool, "orgadmin").await;
    let mut member = signed_in(&pool, "member").await;
    let future = meeting_at(&pool, &mut secretary, w.branch_a, 60).await;
    let (s, v) = save(&mut secretary, &future.to_string(), "0", "x", "").await;
    refused(s, &v, "NotYetHeld");

    let id = meeting_at(&pool, &mut secretary, w.branch_a, -30).await;
    let m = id.to_string();
    let first = [
        ("meeting", m.as_str()),
        ("version", "0"),
        ("minutes", "书记的纪要"),
        ("resolutions", ""),
    ];
    let second = [
        ("meeting", m.as_str()),
        ("version", "0"),
        ("minutes", "委员的纪要"),
        ("resolutions", ""),
    ];
    let (a, b) = tokio::join!(
        secretary.call("save_minutes", &first),
        admin.call("save_minutes", &second),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{} {}",
        a.body,
        b.body
    );
    let loser = if a.status == StatusCode::CONFLICT {
        &a
    } else {
        &b
    };
    assert!(loser.body.contains("RecordChanged"), "{}", loser.body);
    let (_, v) = call(&mut secretary, "meeting_detail", &[("id", &m)]).await;
    assert_eq!(v["record"]["version"], 1);
    let winner = v["record"]["minutes"].as_str().unwrap().to_owned();
    assert!(winner == "书记的纪要" || winner == "委员的纪要");

    let (s, _) = save(&mut member, &m, "1", "成员改的", "").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = submit(&mut secretary, &m, "0").await;
    assert_eq!(
        (s, v["Conflict"].as_str()),
        (StatusCode::CONFLICT, Some("RecordChanged"))
    );
    let (s, v) = submit(&mut secretary, &m, "1").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        common::notifications(&pool, "orgadmin", "record_submitted").await,
        1
    );
    let (s, v) = save(&mut secretary, &m, "2", "再改", "").await;
    assert_eq!(
        (s, v["Conflict"].as_str()),
        (StatusCode::CONFLICT, Some("RecordLocked"))
    );

    // The secretary is no superior; the superior must give a reason to send it back.
    let (s, _) = review(&mut secretary, &m, true, "").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = review(&mut admin, &m, false, "").await;
    assert_eq!(
        (s, v["Invalid"][0]["msg"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("ReturnReasonRequired")
        )
    );
    let (s, v) = review(&mut admin, &m, false, "缺少讨论内容").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        common::notifications(&pool, "secretary", "record_returned").await,
        1
    );
    let (s, _) = review(&mut admin, &m, true, "").await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "a returned record is not under review"
    );

    // Revised and submitted again; accepted; the history keeps every step.
    let (s, _) = save(&mut secretary, &m, "3", "补充了讨论内容", "通过").await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = submit(&mut secretary, &m, "4").await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = review(&mut admin, &m, true, "").await;
    assert_eq!(s, StatusCode::OK);
    let (_, v) = call(&mut admin, "meeting_detail", &[("id", &m)]).await;
    assert_eq!(v["record"]["state"], "Accepted");
    let actions: Vec<&str> = v["record"]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["accept", "submit", "save", "return", "submit", "save"]
    );
    // Members read the accepted record but not its history; branch B sees nothing of it.
    let (_, v) = call(&mut member, "meeting_detail", &[("id", &m)]).await;
    assert_eq!(v["record"]["minutes"], "补充了讨论内容");
    assert_eq!(v["record"]["history"].as_array().unwrap().len(), 0);
    let mut outsider = signed_in(&pool, "secretary2").await;
    let (s, _) = call(&mut outsider, "meeting_detail", &[("id", &m)]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

async fn run_alerts(pool: &PgPool, today: chrono::NaiveDate) -> (usize, usize) {
    let mut tx = pool.begin().await.unwrap();
    let sent = app::org_life::compliance::flow::run_alerts(&mut tx, today)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    sent
}

fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn warnings_and_escalations_go_out_once_even_when_two_processes_run_them(pool: PgPool) {
    let w = world(&pool).await;
    // Branch A held its November committee meeting (its secretary checked in); nothing else
    // was held. Branch B put one in the calendar that nobody attended.
    sqlx::query(
        "WITH m AS (
             INSERT INTO meetings (org_id, kind, title, starts_at, ends_at, place, created_by)
             SELECT $1, 'committee_meeting', '十一月支委会', '2026-11-10 11:00+00', '2026-11-10 12:00+00', '会议室',
                    (SELECT id FROM users WHERE username = 'secretary')
             RETURNING id)
         INSERT INTO meeting_attendance (meeting_id, user_id, how)
         SELECT m.id, (SELECT id FROM users WHERE username = 'secretary'), 'code' FROM m",
    )
    .bind(w.branch_a)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO meetings (org_id, kind, title, starts_at, ends_at, place, created_by)
         SELECT $1, 'group_meeting', '十月小组会', '2026-10-10 11:00+00', '2026-10-10 12:00+00', '会议室',
                (SELECT id FROM users WHERE username = 'secretary2')",
    )
    .bind(w.branch_b)
    .execute(&pool)
    .await
    .unwrap();
    // The last week of November: branch A is warned of the month's other two items, branch
    // B of all three; October's three monthly items of each branch go up as escalations.
    let (a, b) = tokio::join!(
        run_alerts(&pool, day(2026, 11, 24)),
        run_alerts(&pool, day(2026, 11, 24))
    );
    assert_eq!((a.0 + b.0, a.1 + b.1), (2 + 3, 6), "{a:?} {b:?}");
    assert_eq!(
        common::notifications(&pool, "secretary", "life_warning").await,
        2
    );
    assert_eq!(
        common::notifications(&pool, "secretary2", "life_warning").await,
        3
    );
    assert_eq!(
        run_alerts(&pool, day(2026, 11, 25)).await,
        (0, 0),
        "once per item and period"
    );

    // After the month: escalated to the committee's admin, once, by two processes at once.
    let (a, b) = tokio::join!(
        run_alerts(&pool, day(2026, 12, 1)),
        run_alerts(&pool, day(2026, 12, 1))
    );
    assert_eq!(a.1 + b.1, 5, "{a:?} {b:?}");
    assert_eq!(
        common::notifications(&pool, "orgadmin", "life_escalation").await,
        6 + 5
    );
    assert_eq!(run_alerts(&pool, day(2026, 12, 2)).await, (0, 0));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_superior_sees_its_branches_by_on_time_rate_and_members_do_not(pool: PgPool) {
    let w = world(&pool).await;
    // Last month each branch has a meeting with an accepted record; only branch A's was
    // attended. A meeting row nobody attended counts for nothing.
    for (branch, held) in [(w.branch_a, true), (w.branch_b, false)] {
        sqlx::query(
            "WITH m AS (
                 INSERT INTO meetings (org_id, kind, title, starts_at, ends_at, place, created_by)
                 SELECT $1, 'committee_meeting', '上月支委会', date_trunc('month', now()) - interval '10 days',
                        date_trunc('month', now()) - interval '10 days' + interval '1 hour', '会议室',
                        (SELECT id FROM users WHERE username = 'secretary')
                 RETURNING id),
             r AS (
                 INSERT INTO meeting_records (meeting_id, version, minutes, state, updated_by)
                 SELECT m.id, 3, '纪要', 'accepted', (SELECT id FROM users WHERE username = 'secretary') FROM m)
             INSERT INTO meeting_attendance (meeting_id, user_id, how)
             SELECT m.id, (SELECT id FROM users WHERE username = 'secretary'), 'code' FROM m WHERE $2",
        )
        .bind(branch)
        .bind(held)
        .execute(&pool)
        .await
        .unwrap();
    }
    let mut admin = signed_in(&pool, "orgadmin").await;
    let (s, v) = call(&mut admin, "life_compliance", &[("org", "0")]).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["org_id"], w.committee.0);
    let branches = v["branches"].as_array().unwrap();
    assert_eq!(branches.len(), 2);
    // Branch B held nothing: lowest rate first, and idle for six months.
    assert_eq!(branches[0]["id"], w.branch_b.0);
    assert_eq!(branches[0]["rate"], 0);
    assert_eq!(branches[0]["idle"], true);
    assert_eq!(branches[1]["id"], w.branch_a.0);
    assert_eq!(branches[1]["on_time"], 1);
    assert_eq!(branches[1]["idle"], false);
    assert_eq!(v["idle"], 1);

    let mut member = signed_in(&pool, "member").await;
    let (s, _) = call(&mut member, "life_compliance", &[("org", "0")]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let mut secretary = signed_in(&pool, "secretary").await;
    let (s, _) = call(
        &mut secretary,
        "life_compliance",
        &[("org", &w.committee.to_string())],
    )
    .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "a secretary does not oversee the committee"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn meetings_held_on_time_and_records_accepted_feed_the_star_rating(pool: PgPool) {
    let w = world(&pool).await;
    sqlx::query("UPDATE orgs SET founded_on = DATE '2024-01-01' WHERE id = $1")
        .bind(w.branch_a)
        .execute(&pool)
        .await
        .unwrap();
    // A committee meeting every month of 2025, attended in January to November; the
    // records of the first six and of December's (which nobody attended) accepted.
    sqlx::query(
        "WITH m AS (
             INSERT INTO meetings (org_id, kind, title, starts_at, ends_at, place, created_by)
             SELECT $1, 'committee_meeting', month || '月支委会',
                    make_timestamptz(2025, month, 10, 19, 0, 0, 'Asia/Shanghai'),
                    make_timestamptz(2025, month, 10, 20, 0, 0, 'Asia/Shanghai'), '会议室',
                    (SELECT id FROM users WHERE username = 'secretary')
             FROM generate_series(1, 12) AS month
             RETURNING id, starts_at),
         r AS (
             INSERT INTO meeting_records (meeting_id, version, minutes, state, updated_by)
             SELECT id, 2, '纪要',
                    CASE WHEN extract(month FROM starts_at) IN (1, 2, 3, 4, 5, 6, 12) THEN 'accepted' ELSE 'submitted' END,
                    (SELECT id FROM users WHERE username = 'secretary')
             FROM m)
         INSERT INTO meeting_attendance (meeting_id, user_id, how)
         SELECT id, (SELECT id FROM users WHERE username = 'member'), 'code' FROM m
         WHERE extract(month FROM starts_at AT TIME ZONE 'Asia/Shanghai') <= 11",
    )
    .bind(w.branch_a)
    .execute(&pool)
    .await
    .unwrap();
    let mut admin = signed_in(&pool, "orgadmin").await;
    let org = w.committee.to_string();
    let (s, v) = call(
        &mut admin,
        "compute_ratings",
        &[("org", &org), ("period", "2025")],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, v) = call(
        &mut admin,
        "star_ratings",
        &[("org", &org), ("period", "2025")],
    )
    .await;
    let row = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "研发党支部")
        .unwrap()
        .clone();
    // 2025 required 36 monthly, 8 quarterly and 3 yearly items; 6 were held with their
    // record accepted.
    assert_eq!(row["meetings"], 6 * 100 / 47);
    // Six of the eleven meetings held have their record accepted; December's, attended by
    // nobody, counts for nothing.
    assert_eq!(row["records"], 6 * 100 / 11);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_notice_reaches_the_subtree_and_acknowledging_in_time_pays_once(pool: PgPool) {
    let w = world(&pool).await;
    let mut admin = signed_in(&pool, "orgadmin").await;
    let mut member = signed_in(&pool, "member").await;
    let org = w.committee.to_string();
    let (s, v) = call(
        &mut member,
        "send_notice",
        &[
            ("org", &org),
            ("title", "学习通知"),
            ("body", "请学习"),
            ("days", "3"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let (s, v) = call(
        &mut admin,
        "send_notice",
        &[
            ("org", &org),
            ("title", "学习通知"),
            ("body", ""),
            ("days", "99"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = v["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["body", "days"]);
    let (s, v) = call(
        &mut admin,
        "send_notice",
        &[
            ("org", &org),
            ("title", "关于学习全会精神的通知"),
            ("body", "请各位同志本周内完成学习。"),
            ("days", "3"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let id = v.as_i64().unwrap().to_string();
    // Both branches' members received it and were told.
    assert_eq!(common::notifications(&pool, "member", "notice").await, 1);
    assert_eq!(
        common::notifications(&pool, "secretary2", "notice").await,
        1
    );

    let (s, v) = call(&mut member, "notice_detail", &[("id", &id)]).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["received"].as_bool(), v["sees_receipts"].as_bool()),
        (Some(true), Some(false))
    );
    let (s, v) = call(&mut member, "acknowledge_notice", &[("id", &id)]).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = call(&mut member, "acknowledge_notice", &[("id", &id)]).await;
    assert_eq!(
        (s, v["Conflict"].as_str()),
        (StatusCode::CONFLICT, Some("NoticeAcked"))
    );
    let points: i64 = sqlx::query_scalar(
        "SELECT coalesce(sum(points), 0) FROM point_ledger WHERE source_kind = 'notice' AND source_id = $1",
    )
    .bind(&id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(points, 1);
    // The points history names the notice, not "notice #id".
    let title: String = sqlx::query_scalar("SELECT title FROM org_notices WHERE id::text = $1")
        .bind(&id)
        .fetch_one(&pool)
        .await
        .unwrap();
    let (_, page) = call(&mut member, "points_page", &[]).await;
    let ledger = &page["ledger"];
    assert_eq!(
        ledger["rows"][0]["source_title"],
        title.as_str(),
        "{ledger}"
    );

    // The sender sees who has and who has not acknowledged.
    let (_, v) = call(&mut admin, "notice_detail", &[("id", &id)]).await;
    assert_eq!(v["acked"][0][0], "member");
    let pending: Vec<&str> = v["pending"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(pending, ["secretary", "secretary2"]);

    // Late: acknowledged, no point. Someone outside the subtree cannot read it.
    sqlx::query(
        "UPDATE org_notices SET ack_by = now() - interval '1 minute' WHERE id = $1::bigint",
    )
    .bind(&id)
    .execute(&pool)
    .await
    .unwrap();
    let mut late = signed_in(&pool, "secretary2").await;
    let (s, _) = call(&mut late, "acknowledge_notice", &[("id", &id)]).await;
    assert_eq!(s, StatusCode::OK);
    let paid: i64 =
        sqlx::query_scalar("SELECT count(*) FROM point_ledger WHERE source_kind = 'notice'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(paid, 1, "a late acknowledgement earns nothing");
    let mut platform = signed_in(&pool, "admin").await;
    let (s, _) = call(&mut platform, "acknowledge_notice", &[("id", &id)]).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "not a recipient");
    let (s, v) = call(&mut member, "org_notices", &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["received"][0]["acked"], true);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_secret_ballot_takes_one_ballot_per_voter_and_shows_only_tallies_after_it_closes(
    pool: PgPool,
) {
    let w = world(&pool).await;
    let mut secretary = signed_in(&pool, "secretary").await;
    let mut member = signed_in(&pool, "member").await;
    let org = w.branch_a.to_string();
    let (s, _) = call(
        &mut member,
        "open_evaluation",
        &[("org", &org), ("days", "7")],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = call(
        &mut secretary,
        "open_evaluation",
        &[("org", &org), ("days", "30")],
    )
    .await;
    refused(s, &v, "EvaluationDays");
    let (s, v) = call(
        &mut secretary,
        "open_evaluation",
        &[("org", &org), ("days", "7")],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let id = v.as_i64().unwrap().to_string();
    let (s, _) = call(
        &mut secretary,
        "open_evaluation",
        &[("org", &org), ("days", "7")],
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "one a year");
    assert_eq!(
        common::notifications(&pool, "member", "evaluation_opened").await,
        1
    );

    let ids: Vec<(i64, String)> = sqlx::query_as(
        "SELECT u.id, u.username FROM evaluation_members m JOIN users u ON u.id = m.user_id
         WHERE m.evaluation_id = $1::bigint ORDER BY u.username",
    )
    .bind(&id)
    .fetch_all(&pool)
    .await
    .unwrap();
    let names: Vec<&str> = ids.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(
        names,
        ["member", "secretary"],
        "the branch's members are on the roll"
    );
    let (m, sec) = (ids[0].0.to_string(), ids[1].0.to_string());
    let key = |u: &str| format!("grades[{u}]");
    let (km, ks) = (key(&m), key(&sec));

    // A ballot must grade everyone; then it counts once, even when sent twice at once.
    let (s, v) = call(
        &mut member,
        "cast_ballot",
        &[("evaluation", &id), (&km, "excellent")],
    )
    .await;
    refused(s, &v, "BallotIncomplete");
    let mut again = signed_in(&pool, "member").await;
    let ballot = [
        ("evaluation", id.as_str()),
        (&km, "excellent"),
        (&ks, "qualified"),
    ];
    let (a, b) = tokio::join!(
        member.call("cast_ballot", &ballot),
        again.call("cast_ballot", &ballot)
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{} {}",
        a.body,
        b.body
    );
    let (s, _) = call(
        &mut secretary,
        "cast_ballot",
        &[("evaluation", &id), (&km, "qualified"), (&ks, "qualified")],
    )
    .await;
    assert_eq!(s, StatusCode::OK);

    // While open, nobody sees tallies, the secretary included; confirming must wait.
    let (_, v) = call(&mut secretary, "evaluation", &[("org", &org)]).await;
    assert_eq!(v["ballot"]["voted"], 2);
    assert_eq!(v["ballot"]["tallies"].as_array().unwrap().len(), 0);
    let (s, v) = call(&mut secretary, "confirm_evaluation", &[("evaluation", &id)]).await;
    assert_eq!(
        (s, v["Invalid"][0]["msg"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("EvaluationNotClosed")
        )
    );

    // What is stored cannot be joined back to voters: the voters table holds only who voted,
    // the counters only totals, and neither has a time or an order to line up.
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_name IN ('evaluation_voters', 'evaluation_tallies') ORDER BY 1, ordinal_position",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let columns: Vec<String> = columns.iter().map(|(t, c)| format!("{t}.{c}")).collect();
    assert_eq!(
        columns,
        [
            "evaluation_tallies.evaluation_id",
            "evaluation_tallies.subject_id",
            "evaluation_tallies.grade",
            "evaluation_tallies.votes",
            "evaluation_voters.evaluation_id",
            "evaluation_voters.user_id",
        ]
    );

    sqlx::query("UPDATE evaluations SET opens_at = now() - interval '8 days', closes_at = now() - interval '1 second'")
        .execute(&pool)
        .await
        .unwrap();
    let (s, v) = call(
        &mut member,
        "cast_ballot",
        &[("evaluation", &id), (&km, "excellent"), (&ks, "excellent")],
    )
    .await;
    refused(s, &v, "BallotClosed");
    let (_, v) = call(&mut member, "evaluation", &[("org", &org)]).await;
    let tallies = v["ballot"]["tallies"].as_array().unwrap();
    let of = |name: &str| tallies.iter().find(|t| t["name"] == name).unwrap().clone();
    // member: one 优秀, one 合格 → a tie goes to the lower grade; secretary: two 合格.
    assert_eq!(of("member")["votes"], serde_json::json!([1, 1, 0, 0]));
    assert_eq!(of("member")["leading"], "Qualified");
    assert_eq!(of("secretary")["votes"], serde_json::json!([0, 2, 0, 0]));
    let (s, _) = call(&mut member, "confirm_evaluation", &[("evaluation", &id)]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = call(&mut secretary, "confirm_evaluation", &[("evaluation", &id)]).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, v) = call(&mut member, "evaluation", &[("org", &org)]).await;
    assert_eq!(v["my_results"][0][2], "Qualified");
    let (s, _) = call(&mut secretary, "confirm_evaluation", &[("evaluation", &id)]).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let mut outsider = signed_in(&pool, "secretary2").await;
    let (s, _) = call(&mut outsider, "evaluation", &[("org", &org)]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_organizer_attaches_a_sign_in_sheet_while_the_record_is_open(pool: PgPool) {
    let w = world(&pool).await;
    let mut secretary = signed_in(&pool, "secretary").await;
    let id = meeting_at(&pool, &mut secretary, w.branch_a, -10).await;
    let m = id.to_string();
    let r = secretary
        .upload(
            "attachment",
            "签到表.pdf",
            b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n".to_vec(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let upload = r.json()["id"].as_str().unwrap().to_owned();
    let r = secretary
        .upload(
            "attachment",
            "会议.mp4",
            b"\0\0\0\x18ftypmp42\0\0\0\0".to_vec(),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a video is no attachment"
    );

    let mut member = signed_in(&pool, "member").await;
    let fields = [
        ("meeting", m.as_str()),
        ("upload", upload.as_str()),
        ("kind", "sign_in"),
    ];
    let (s, _) = call(&mut member, "attach_file", &fields).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = call(&mut secretary, "attach_file", &fields).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, v) = call(&mut secretary, "meeting_detail", &[("id", &m)]).await;
    let files = v["record"]["attachments"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["file_name"], "签到表.pdf");
    assert_eq!(files[0]["kind"], "sign_in");
    let r = secretary.get(files[0]["url"].as_str().unwrap()).await;
    assert_eq!(r.status, StatusCode::OK, "the file is on disk and served");

    // Once submitted, the record's attachments stay as they are.
    let (s, _) = save(&mut secretary, &m, "0", "纪要", "").await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = submit(&mut secretary, &m, "1").await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = call(
        &mut secretary,
        "detach_file",
        &[("meeting", &m), ("upload", &upload)],
    )
    .await;
    assert_eq!(
        (s, v["Conflict"].as_str()),
        (StatusCode::CONFLICT, Some("RecordLocked"))
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_meeting_expects_the_branch_its_committee_or_members_chosen_by_hand(pool: PgPool) {
    let w = world(&pool).await;
    let mut secretary = signed_in(&pool, "secretary").await;
    let member: UserId = sqlx::query_scalar("SELECT id FROM users WHERE username = 'member'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let outsider: UserId = sqlx::query_scalar("SELECT id FROM users WHERE username = 'secretary2'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let org = w.branch_a.to_string();
    let base = |title: &'static str, place: &'static str| {
        vec![
            ("org", org.clone()),
            ("kind", "committee_meeting".to_owned()),
            ("title", title.to_owned()),
            ("starts", "2031-06-03T19:00".to_owned()),
            ("ends", "2031-06-03T20:00".to_owned()),
            ("place", place.to_owned()),
            ("online_link", String::new()),
            ("agenda", String::new()),
            ("chair", String::new()),
            ("recorder", String::new()),
        ]
    };
    let send = async |c: &mut Client, fields: Vec<(&str, String)>| {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        call(c, "schedule_meeting", &fields).await
    };
    let expected = async |id: &Value| -> Vec<String> {
        sqlx::query_scalar(
            "SELECT u.username FROM meeting_expected e JOIN users u ON u.id = e.user_id
             WHERE e.meeting_id = $1 ORDER BY 1",
        )
        .bind(id.as_i64().unwrap())
        .fetch_all(&pool)
        .await
        .unwrap()
    };

    let mut committee = base("六月支委会", "一号会议室");
    committee.push(("attendees", "committee".to_owned()));
    let (s, v) = send(&mut secretary, committee).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(expected(&v).await, ["secretary"]);

    let mut nobody = base("六月小组会", "二号会议室");
    nobody.push(("attendees", "chosen".to_owned()));
    let (s, v) = send(&mut secretary, nobody).await;
    refused(s, &v, "NoAttendees");

    // Chosen by hand: only members of the branch count, whoever is ticked.
    let mut chosen = base("六月小组会", "二号会议室");
    chosen.push(("attendees", "chosen".to_owned()));
    chosen.push(("members[a]", member.to_string()));
    chosen.push(("members[b]", outsider.to_string()));
    let (s, v) = send(&mut secretary, chosen).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(expected(&v).await, ["member"]);

    let (s, v) = call(&mut secretary, "schedule_options", &[("org", "0")]).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["members"].as_array().unwrap().len(), 2);
    let mut member_client = signed_in(&pool, "member").await;
    let (s, _) = call(&mut member_client, "schedule_options", &[("org", &org)]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_organizer_changes_a_meeting_before_it_starts_and_everyone_expected_is_told(
    pool: PgPool,
) {
    let w = world(&pool).await;
    let mut secretary = signed_in(&pool, "secretary").await;
    let id = meeting_at(&pool, &mut secretary, w.branch_a, 120).await;
    let m = id.to_string();
    let fields = |starts: &'static str, ends: &'static str, place: &'static str| {
        vec![
            ("meeting", m.clone()),
            ("title", "改期的小组会".to_owned()),
            ("starts", starts.to_owned()),
            ("ends", ends.to_owned()),
            ("place", place.to_owned()),
            ("online_link", String::new()),
            ("agenda", String::new()),
            ("chair", String::new()),
            ("recorder", String::new()),
        ]
    };
    let send = async |c: &mut Client, f: Vec<(&str, String)>| {
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        call(c, "change_meeting", &f).await
    };
    let mut member = signed_in(&pool, "member").await;
    let (s, _) = send(
        &mut member,
        fields("2031-07-01T19:00", "2031-07-01T20:00", "三号会议室"),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = send(
        &mut secretary,
        fields("2031-07-01T19:00", "2031-07-01T18:00", "三号会议室"),
    )
    .await;
    refused(s, &v, "MeetingEndBeforeStart");
    // Another meeting holds room four then.
    schedule(
        &mut secretary,
        w.branch_a,
        "lesson",
        "2031-07-01T19:30",
        "2031-07-01T21:00",
        "四号会议室",
    )
    .await;
    let (s, v) = send(
        &mut secretary,
        fields("2031-07-01T19:00", "2031-07-01T20:00", "四号会议室"),
    )
    .await;
    refused(s, &v, "MeetingRoomTaken");
    let (s, v) = send(
        &mut secretary,
        fields("2031-07-01T19:00", "2031-07-01T20:00", "三号会议室"),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        common::notifications(&pool, "member", "meeting_changed").await,
        1
    );
    let (_, v) = call(&mut member, "meeting_detail", &[("id", &m)]).await;
    assert_eq!(v["when"], "2031-07-01 19:00–20:00");
    // Its own room at its own new time is no clash; once started it stays as it was.
    let (s, _) = send(
        &mut secretary,
        fields("2031-07-01T19:15", "2031-07-01T20:15", "三号会议室"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    sqlx::query("UPDATE meetings SET starts_at = now() - interval '1 minute' WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    let (s, v) = send(
        &mut secretary,
        fields("2031-07-02T19:00", "2031-07-02T20:00", "三号会议室"),
    )
    .await;
    assert_eq!(
        (s, v["Conflict"].as_str()),
        (StatusCode::CONFLICT, Some("MeetingStarted"))
    );
}

/// A start time `minutes` from now, as the scheduling form takes it (Asia/Shanghai).
fn local_in(minutes: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::minutes(minutes))
        .with_timezone(&app::time::shanghai())
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_meeting_cannot_be_scheduled_to_start_in_the_past_or_within_twenty_minutes(pool: PgPool) {
    let w = world(&pool).await;
    let mut secretary = signed_in(&pool, "secretary").await;
    for (minutes, place) in [(-9, "会议室 A"), (-3, "会议室 B"), (10, "会议室 C")] {
        let (s, v) = schedule(
            &mut secretary,
            w.branch_a,
            "group_meeting",
            &local_in(minutes),
            &local_in(minutes + 60),
            place,
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{minutes}: {v}");
        assert_eq!(v["Invalid"][0]["field"], "starts");
        assert_eq!(v["Invalid"][0]["msg"], "MeetingTooSoon");
    }
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM meetings WHERE org_id = $1",
            w.branch_a.0
        )
        .await,
        0
    );
    let (s, v) = schedule(
        &mut secretary,
        w.branch_a,
        "group_meeting",
        &local_in(40),
        &local_in(100),
        "会议室 D",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Nor moved to start sooner.
    let m = v.as_i64().unwrap().to_string();
    let (s, v) = call(
        &mut secretary,
        "change_meeting",
        &[
            ("meeting", &m),
            ("title", "十一月支委会"),
            ("starts", &local_in(5)),
            ("ends", &local_in(65)),
            ("place", "会议室 D"),
            ("online_link", ""),
            ("agenda", ""),
            ("chair", ""),
            ("recorder", ""),
        ],
    )
    .await;
    refused(s, &v, "MeetingTooSoon");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn meetings_pay_at_most_the_days_cap_however_many_are_held(pool: PgPool) {
    let w = world(&pool).await;
    let mut secretary = signed_in(&pool, "secretary").await;
    let mut member = signed_in(&pool, "member").await;
    for minutes in [5, 6, 7] {
        let id = meeting_at(&pool, &mut secretary, w.branch_a, minutes).await;
        let code = code_of(&mut secretary, id).await;
        let (s, v) = call(
            &mut member,
            "check_in",
            &[("meeting", &id.to_string()), ("code", &code)],
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    let points: i64 = sqlx::query_scalar(
        "SELECT coalesce(sum(l.points), 0)::bigint FROM point_ledger l
         JOIN point_rules r ON r.id = l.rule_id JOIN users u ON u.id = l.user_id
         WHERE u.username = 'member' AND r.code = 'meeting_attend'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(points, 10, "5 a meeting, 10 a day");
    // The 积分 page shows the day's meeting points against that cap.
    let v = member.call("points_page", &[]).await.json()["summary"].clone();
    let row = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "MeetingAttend")
        .unwrap()
        .clone();
    assert_eq!(row["day_cap"], serde_json::json!([10, 10]), "{row}");
    assert_eq!(row["week_cap"], serde_json::json!([10, 20]), "{row}");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn wrong_check_in_codes_stop_after_five_tries_even_for_the_right_one(pool: PgPool) {
    let w = world(&pool).await;
    let mut secretary = signed_in(&pool, "secretary").await;
    let mut member = signed_in(&pool, "member").await;
    let id = meeting_at(&pool, &mut secretary, w.branch_a, 5).await;
    let m = id.to_string();
    let code = code_of(&mut secretary, id).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let (s, v) = call(&mut member, "check_in", &[("meeting", &m), ("code", wrong)]).await;
        refused(s, &v, "CheckInCodeWrong");
    }
    let code = code_of(&mut secretary, id).await;
    let r = member
        .call("check_in", &[("meeting", &m), ("code", &code)])
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.headers.contains_key(http::header::RETRY_AFTER));
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM meeting_attendance WHERE meeting_id = $1",
            id
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM point_ledger WHERE source_kind = 'meeting' AND source_id = $1::text",
            id
        )
        .await,
        0
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn no_table_or_system_column_joins_a_ballot_to_its_voter(pool: PgPool) {
    let w = world(&pool).await;
    let mut secretary = signed_in(&pool, "secretary").await;
    let (s, v) = call(
        &mut secretary,
        "open_evaluation",
        &[("org", &w.branch_a.to_string()), ("days", "7")],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let e = v.as_i64().unwrap();
    let roll: Vec<i64> = sqlx::query_scalar(
        "SELECT user_id FROM evaluation_members WHERE evaluation_id = $1 ORDER BY user_id",
    )
    .bind(e)
    .fetch_all(&pool)
    .await
    .unwrap();
    let grades = ["excellent", "qualified"];
    for (voter, login) in ["secretary", "member"].into_iter().enumerate() {
        let mut c = signed_in(&pool, login).await;
        let mut fields = vec![("evaluation".to_owned(), e.to_string())];
        for (i, m) in roll.iter().enumerate() {
            fields.push((format!("grades[{m}]"), grades[(i + voter) % 2].to_owned()));
        }
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let (s, v) = call(&mut c, "cast_ballot", &fields).await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    // While it is open: "has voted" marks and sealed ballots, no counters, nothing readable.
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM evaluation_tallies WHERE evaluation_id = $1",
            e
        )
        .await,
        0
    );
    let sealed: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT sealed FROM evaluation_ballots WHERE evaluation_id = $1")
            .bind(e)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(sealed.len(), 2);
    assert_eq!(sealed[0].len(), sealed[1].len());
    let other_key =
        app::org_life::evaluation::ballot::BallotKey::from_hex(&"17".repeat(32)).unwrap();
    assert!(sealed.iter().all(|b| other_key.open(e, b).is_none()));
    for b in &sealed {
        for id in &roll {
            assert!(
                !b.windows(8).any(|w| w == id.to_be_bytes()),
                "a member's id in the clear"
            );
        }
    }
    // At the close the ballots become counters and are gone.
    sqlx::query("UPDATE evaluations SET opens_at = now() - interval '2 days', closes_at = now() - interval '1 second' WHERE id = $1")
        .bind(e)
        .execute(&pool)
        .await
        .unwrap();
    let (s, v) = call(
        &mut secretary,
        "evaluation",
        &[("org", &w.branch_a.to_string())],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let tallies = v["ballot"]["tallies"].as_array().unwrap().clone();
    assert_eq!(tallies.len(), roll.len());
    for t in &tallies {
        assert_eq!(t["votes"], serde_json::json!([1, 1, 0, 0]), "{t}");
    }
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM evaluation_ballots WHERE evaluation_id = $1",
            e
        )
        .await,
        0
    );
    // Whoever reads every table and system column finds no voter beside a grade.
    for join in [
        "SELECT count(*) FROM evaluation_voters v JOIN evaluation_tallies t ON t.xmin = v.xmin WHERE v.evaluation_id = $1",
        "SELECT count(*) FROM evaluation_voters v JOIN evaluation_tallies t ON t.evaluation_id = v.evaluation_id AND t.subject_id = v.user_id AND t.xmin = v.xmin WHERE v.evaluation_id = $1",
    ] {
        assert_eq!(count(&pool, join, e).await, 0, "{join}");
    }
    // A second look tallies nothing twice.
    let (_, v) = call(
        &mut secretary,
        "evaluation",
        &[("org", &w.branch_a.to_string())],
    )
    .await;
    assert_eq!(v["ballot"]["tallies"], serde_json::Value::Array(tallies));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_exported_year_writes_formula_like_cells_as_text(pool: PgPool) {
    let w = world(&pool).await;
    let mut secretary = signed_in(&pool, "secretary").await;
    let id = meeting_at(&pool, &mut secretary, w.branch_a, 30).await;
    sqlx::query("UPDATE meetings SET chair = $2, title = $3 WHERE id = $1")
        .bind(id)
        .bind("=HYPERLINK(\"http://evil.example\",\"点我\")")
        .bind("+1+cmd|' /C calc'!A0")
        .execute(&pool)
        .await
        .unwrap();
    let year = chrono::Utc::now()
        .with_timezone(&app::time::shanghai())
        .format("%Y")
        .to_string();
    let r = secretary
        .get(&format!(
            "/orglife/export.csv?org={}&year={year}",
            w.branch_a
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mut rows = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(r.body.trim_start_matches('\u{feff}').as_bytes());
    let cells: Vec<String> = rows
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    assert!(
        cells.contains(&"'=HYPERLINK(\"http://evil.example\",\"点我\")".to_owned()),
        "{cells:?}"
    );
    assert!(
        cells.contains(&"'+1+cmd|' /C calc'!A0".to_owned()),
        "{cells:?}"
    );
    assert!(
        cells.iter().all(|c| !c.starts_with(['=', '+', '-', '@'])),
        "{cells:?}"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_attachment_is_served_only_to_those_who_may_see_its_meeting(pool: PgPool) {
    let w = world(&pool).await;
    let mut secretary = signed_in(&pool, "secretary").await;
    let id = meeting_at(&pool, &mut secretary, w.branch_a, 5).await;
    let mut pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    pdf.resize(4096, b' ');
    let r = secretary
        .upload("attachment", "签到表.pdf", pdf.clone())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let upload = r.json();
    let url = upload["url"].as_str().unwrap().to_owned();
    // Not yet attached: its uploader only.
    let mut member = signed_in(&pool, "member").await;
    assert_eq!(member.get(&url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(secretary.get(&url).await.status, StatusCode::OK);
    let (s, v) = call(
        &mut secretary,
        "attach_file",
        &[
            ("meeting", &id.to_string()),
            ("upload", upload["id"].as_str().unwrap()),
            ("kind", "sign_in"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let r = member.get(&url).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers[http::header::CONTENT_LENGTH],
        pdf.len().to_string().as_str()
    );
    // The committee's admin (above the branch) too.
    let mut admin = signed_in(&pool, "orgadmin").await;
    assert_eq!(admin.get(&url).await.status, StatusCode::OK);
    // Another branch's secretary and someone of another company: nothing, not even HEAD.
    let mut other = signed_in(&pool, "secretary2").await;
    assert_eq!(other.get(&url).await.status, StatusCode::NOT_FOUND);
    let head = other
        .send(
            http::Request::head(&url).header(http::header::HOST, common::HOST),
            String::new(),
        )
        .await;
    assert_eq!(head.status, StatusCode::NOT_FOUND);
    let mut c = pool.acquire().await.unwrap();
    let hash = app::auth::session::hash_password(PASSWORD.to_owned())
        .await
        .unwrap();
    common::add_user(&mut c, &hash, "stranger", "13900000099").await;
    let mut stranger = signed_in(&pool, "stranger").await;
    assert_eq!(stranger.get(&url).await.status, StatusCode::NOT_FOUND);
    // A made-up name, and the right id with another type.
    assert_eq!(
        member
            .get("/media/0123456789abcdef0123456789abcdef.pdf")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        member.get(&url.replace(".pdf", ".png")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn two_companies_may_book_rooms_of_the_same_name_at_once(pool: PgPool) {
    let w = world(&pool).await;
    sqlx::query("INSERT INTO enterprises (name, credit_code, district, street) VALUES ('甲公司', '91440300MA5N000015', '南山区', '粤海街道')")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE orgs SET enterprise_id = (SELECT id FROM enterprises WHERE name = '甲公司') WHERE id = $1")
        .bind(w.committee)
        .execute(&pool)
        .await
        .unwrap();
    // A second company (no enterprise recorded) with a branch and its secretary.
    let mut c = pool.acquire().await.unwrap();
    let top = app::orgs::store::create_org(
        &mut c,
        &app::orgs::store::NewOrg {
            tree: app::orgs::model::Tree::Party,
            kind: app::orgs::model::OrgKind::Committee,
            name: "乙公司党委",
            parent: None,
            enterprise_id: None,
        },
    )
    .await
    .unwrap();
    let top = app::orgs::store::org(&mut c, top).await.unwrap().unwrap();
    let other = app::orgs::store::create_org(
        &mut c,
        &app::orgs::store::NewOrg {
            tree: app::orgs::model::Tree::Party,
            kind: app::orgs::model::OrgKind::Branch,
            name: "乙公司党支部",
            parent: Some(&top),
            enterprise_id: None,
        },
    )
    .await
    .unwrap();
    let hash = app::auth::session::hash_password(PASSWORD.to_owned())
        .await
        .unwrap();
    let sec = common::add_user(&mut c, &hash, "secretary3", "13900000077").await;
    app::orgs::store::join(&mut c, sec, other, app::orgs::model::MemberStatus::Full)
        .await
        .unwrap();
    app::orgs::store::grant_role(
        &mut c,
        sec,
        app::auth::model::Role::Secretary,
        Some(other),
        None,
    )
    .await
    .unwrap();
    let mut ours = signed_in(&pool, "secretary").await;
    let mut theirs = signed_in(&pool, "secretary3").await;
    let mut ours_too = signed_in(&pool, "secretary2").await;
    let at = ("2031-05-06T19:00", "2031-05-06T20:00");
    let (s, v) = schedule(
        &mut ours,
        w.branch_a,
        "group_meeting",
        at.0,
        at.1,
        "3 楼会议室",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = schedule(
        &mut theirs,
        other,
        "group_meeting",
        at.0,
        at.1,
        "3 楼会议室",
    )
    .await;
    assert_eq!(
        s,
        StatusCode::OK,
        "another company's room of the same name: {v}"
    );
    // Within one company the room is still kept.
    let (s, v) = schedule(
        &mut ours_too,
        w.branch_b,
        "group_meeting",
        at.0,
        at.1,
        "3 楼会议室",
    )
    .await;
    refused(s, &v, "MeetingRoomTaken");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_feed_address_asked_for_twice_at_once_is_made_once_and_given_to_both(pool: PgPool) {
    // The first visit to 组织生活 asks for the address twice at once (the page's server
    // render and the browser): the second must wait for the first and answer its secret.
    world(&pool).await;
    let user: UserId = sqlx::query_scalar("SELECT id FROM users WHERE username = 'member'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let first = "a".repeat(32);
    let mut making = pool.begin().await.unwrap();
    sqlx::query("INSERT INTO calendar_feeds (user_id, secret) VALUES ($1, $2)")
        .bind(user)
        .bind(&first)
        .execute(&mut *making)
        .await
        .unwrap();
    let other = {
        let pool = pool.clone();
        tokio::spawn(async move {
            let mut c = pool.acquire().await.unwrap();
            app::org_life::calendar::store::feed_secret(&mut c, user, false).await
        })
    };
    // The second request is now waiting on the first one's row.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    making.commit().await.unwrap();
    let got = other
        .await
        .unwrap()
        .expect("the second request gets the address");
    assert_eq!(got, first);
    let feeds: i64 = sqlx::query_scalar("SELECT count(*) FROM calendar_feeds WHERE user_id = $1")
        .bind(user)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(feeds, 1);
}

/// An organization of `kind` under `parent`; a branch gets the world's `secretary` as its
/// secretary and one member.
async fn org_under(
    pool: &PgPool,
    parent: OrgId,
    name: &str,
    kind: app::orgs::model::OrgKind,
) -> OrgId {
    use app::orgs::model::Tree;
    use app::orgs::store::{NewOrg, create_org, grant_role, org};
    let mut c = pool.acquire().await.unwrap();
    let top = org(&mut c, parent).await.unwrap().unwrap();
    let id = create_org(
        &mut c,
        &NewOrg {
            tree: Tree::Party,
            kind,
            name,
            parent: Some(&top),
            enterprise_id: None,
        },
    )
    .await
    .unwrap();
    if kind == app::orgs::model::OrgKind::Branch {
        let secretary: UserId =
            sqlx::query_scalar("SELECT id FROM users WHERE username = 'secretary'")
                .fetch_one(&mut *c)
                .await
                .unwrap();
        grant_role(
            &mut c,
            secretary,
            app::auth::model::Role::Secretary,
            Some(id),
            None,
        )
        .await
        .unwrap();
        let hash = app::auth::session::hash_password(PASSWORD.to_owned())
            .await
            .unwrap();
        let member =
            common::add_user(&mut c, &hash, &format!("m{id}"), &format!("1370000{id:04}")).await;
        app::orgs::store::join(&mut c, member, id, app::orgs::model::MemberStatus::Full)
            .await
            .unwrap();
    }
    id
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn minutes_go_to_the_nearest_organization_above_where_someone_can_review_them(pool: PgPool) {
    use app::orgs::model::OrgKind;
    let w = world(&pool).await;
    // 研发党总支 has no admin of its own: its branch's minutes go to the committee's admin,
    // and wait on the committee's compliance page until they are reviewed.
    let general = org_under(&pool, w.committee, "研发党总支", OrgKind::GeneralBranch).await;
    let branch = org_under(&pool, general, "算法党支部", OrgKind::Branch).await;
    let mut secretary = signed_in(&pool, "secretary").await;
    let id = meeting_at(&pool, &mut secretary, branch, -30).await;
    let m = id.to_string();
    let (s, v) = save(&mut secretary, &m, "0", "学习了党章。", "").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = submit(&mut secretary, &m, "1").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        common::notifications(&pool, "orgadmin", "record_submitted").await,
        1
    );
    assert_eq!(
        common::notifications(&pool, "admin", "record_submitted").await,
        0,
        "the platform admins are asked only when nobody on the way up can act"
    );
    let mut admin = signed_in(&pool, "orgadmin").await;
    let (s, v) = call(&mut admin, "life_compliance", &[("org", "0")]).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let waiting = v["waiting"].as_array().unwrap();
    assert_eq!(waiting.len(), 1, "{v}");
    assert_eq!(waiting[0]["meeting_id"], id);
    assert_eq!(waiting[0]["branch"], "算法党支部");
    assert_eq!(waiting[0]["days"], 0);
    let (s, v) = review(&mut admin, &m, true, "").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, v) = call(&mut admin, "life_compliance", &[("org", "0")]).await;
    assert_eq!(v["waiting"].as_array().unwrap().len(), 0, "{v}");

    // A company committee with no admin anywhere above its branch: the platform admins.
    let lone = {
        use app::orgs::model::Tree;
        use app::orgs::store::{NewOrg, create_org};
        let mut c = pool.acquire().await.unwrap();
        create_org(
            &mut c,
            &NewOrg {
                tree: Tree::Party,
                kind: OrgKind::Committee,
                name: "乙公司党委",
                parent: None,
                enterprise_id: None,
            },
        )
        .await
        .unwrap()
    };
    let branch = org_under(&pool, lone, "乙公司第一党支部", OrgKind::Branch).await;
    let id = meeting_at(&pool, &mut secretary, branch, -30).await;
    let m = id.to_string();
    let (s, _) = save(&mut secretary, &m, "0", "学习了党章。", "").await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = submit(&mut secretary, &m, "1").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        common::notifications(&pool, "admin", "record_submitted").await,
        1
    );
    assert_eq!(
        common::notifications(&pool, "orgadmin", "record_submitted").await,
        1,
        "another company's admin is not asked"
    );
    let (s, v) = {
        let mut platform = signed_in(&pool, "admin").await;
        call(
            &mut platform,
            "life_compliance",
            &[("org", &lone.to_string())],
        )
        .await
    };
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["waiting"][0]["meeting_id"], id, "{v}");
}

/// Names `login` instructor of `org` as `c`.
async fn name_instructor(c: &mut Client, org: &str, login: &str) -> (StatusCode, Value) {
    call(
        c,
        "assign_instructor",
        &[("org", org), ("instructor", login)],
    )
    .await
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_committee_names_an_instructor_once_who_sees_the_oldest_overdue_item_first(pool: PgPool) {
    let w = world(&pool).await;
    // 研发党支部 has existed for over a year and held nothing; 运营党支部 was founded today.
    sqlx::query("UPDATE orgs SET founded_on = current_date - 400 WHERE id = $1")
        .bind(w.branch_a)
        .execute(&pool)
        .await
        .unwrap();
    let (a, b) = (w.branch_a.to_string(), w.branch_b.to_string());
    let mut admin = signed_in(&pool, "orgadmin").await;
    let mut admin2 = signed_in(&pool, "orgadmin").await;
    // Named twice at once, by phone and by user name: one assignment, one message.
    let (x, y) = tokio::join!(
        name_instructor(&mut admin, &a, "13900000002"),
        name_instructor(&mut admin2, &a, "member")
    );
    assert_eq!((x.0, y.0), (StatusCode::OK, StatusCode::OK), "{x:?} {y:?}");
    let mut added = [x.1.as_bool().unwrap(), y.1.as_bool().unwrap()];
    added.sort();
    assert_eq!(added, [false, true]);
    let (s, v) = name_instructor(&mut admin, &b, "member").await;
    assert_eq!((s, v), (StatusCode::OK, Value::Bool(true)));
    let live = "SELECT count(*) FROM instructor_assignments WHERE ended_at IS NULL AND $1 > 0";
    assert_eq!(count(&pool, live, 1).await, 2);
    assert_eq!(
        common::notifications(&pool, "member", "instructor_named").await,
        2
    );

    // Nobody else names one, and wrong names are told apart.
    for login in ["secretary2", "member"] {
        let mut other = signed_in(&pool, login).await;
        let (s, _) = name_instructor(&mut other, &a, "secretary").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{login}");
    }
    let (s, v) = name_instructor(&mut admin, &a, "13999999999").await;
    refused(s, &v, "UserUnknown");
    let (s, v) = name_instructor(&mut admin, &a, "").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = call(&mut admin, "assign_instructor", &[("instructor", "member")]).await;
    refused(s, &v, "BadRequest");
    let (s, _) = name_instructor(&mut admin, "999999", "member").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(count(&pool, live, 1).await, 2);

    // The instructor's list: the branch with an overdue item first, then the new branch,
    // which owes nothing from before it was founded and has this period's items coming.
    let mut member = signed_in(&pool, "member").await;
    let (s, v) = call(&mut member, "my_following", &[]).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{v}");
    assert_eq!(items[0]["name"], "研发党支部");
    assert_eq!(items[0]["target"]["Org"], w.branch_a.0);
    let since = items[0]["next"]["Overdue"]["since"].as_str().unwrap();
    assert!(since < v["today"].as_str().unwrap(), "{v}");
    assert_eq!(items[1]["name"], "运营党支部");
    assert!(items[1]["next"]["Due"].is_object(), "{v}");
    let page = member.get("/me/following").await;
    assert!(page.body.contains("研发党支部") && page.body.contains("未按期开展"));
    assert!(member.get("/me").await.body.contains("/me/following"));
    // The secretary follows nothing and sees no link.
    let mut secretary = signed_in(&pool, "secretary").await;
    assert!(!secretary.get("/me").await.body.contains("/me/following"));

    // Ending: only those who name instructors, once.
    let id = items[0]["assignment"].to_string();
    let mut other = signed_in(&pool, "secretary2").await;
    let (s, _) = call(&mut other, "end_instructor", &[("id", &id)]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = call(&mut admin, "end_instructor", &[("id", &id)]).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, _) = call(&mut admin, "end_instructor", &[("id", &id)]).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let ended_by: String = sqlx::query_scalar(
        "SELECT u.username FROM instructor_assignments i JOIN users u ON u.id = i.ended_by WHERE i.id = $1",
    )
    .bind(id.parse::<i64>().unwrap())
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(ended_by, "orgadmin");
    let (_, v) = call(&mut member, "my_following", &[]).await;
    assert_eq!(v["items"].as_array().unwrap().len(), 1, "{v}");
    // The committee's page lists who follows a branch.
    let (s, v) = call(&mut admin, "instructors_of", &[("org", &b)]).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v[0]["name"], "member");
    let (s, _) = call(&mut other, "instructors_of", &[("org", &b)]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Following the committee: its most pressing item, with the branch it is about.
    let (s, _) = name_instructor(&mut admin, &w.committee.to_string(), "member").await;
    assert_eq!(s, StatusCode::OK);
    let (_, v) = call(&mut member, "my_following", &[]).await;
    let committee = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["target"]["Org"] == w.committee.0)
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(committee["branch"], "研发党支部", "{v}");
    assert!(committee["next"]["Overdue"].is_object(), "{v}");
    assert!(
        member
            .get("/me/following")
            .await
            .body
            .contains("研发党支部 · ")
    );
}
