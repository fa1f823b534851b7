//! The branch calendar through the real router: a month's due items from the tree's
//! frequencies, where each stands, and who may see a branch's calendar.

mod common;

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

async fn calendar(c: &mut Client, org: i64, month: &str) -> (StatusCode, Value) {
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
    let (status, v) = calendar(&mut member, 0, "2025-02").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["org"][0], w.branch_a);
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
    let (_, v) = calendar(&mut member, 0, "2025-02").await;
    assert_eq!(v["items"].as_array().unwrap().len(), 7);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn another_branchs_calendar_is_closed_and_bad_months_are_refused(pool: PgPool) {
    let w = world(&pool).await;
    let mut member = signed_in(&pool, "member").await;
    let (status, _) = calendar(&mut member, w.branch_b, "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = calendar(&mut member, 0, "2026-13").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = calendar(&mut member, 999_999, "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The committee's admin manages branch B.
    let mut admin = signed_in(&pool, "orgadmin").await;
    let (status, v) = calendar(&mut admin, w.branch_b, "").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["org"][0], w.branch_b);
    // A committee is not a branch.
    let (status, _) = calendar(&mut admin, w.committee, "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut nobody = client(&pool).await;
    let (status, _) = calendar(&mut nobody, 0, "").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn schedule(
    c: &mut Client,
    org: i64,
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
    let (_, v) = calendar(&mut member, 0, "2030-03").await;
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
