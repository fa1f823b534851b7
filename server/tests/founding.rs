//! Founding applications through the real router: the public form matched against the
//! ledger, review by the street, the district and the city, founding in one transaction,
//! the secretary's invitation, and who may see and do what.

mod common;

use app::ids::{OrgId, UserId};
use common::{Client, PASSWORD, client, world};
use http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

async fn signed_in(pool: &PgPool, login: &str) -> Client {
    let mut c = client(pool).await;
    assert_eq!(c.sign_in(login, PASSWORD).await.status, StatusCode::OK);
    c
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

fn code(seed: u32) -> String {
    app::orgs::model::CreditCode::with_check_char(&format!("91440300MA5{seed:06}"))
        .unwrap()
        .as_str()
        .to_owned()
}

/// The city's League committees (南山区 with 粤海街道 and 西丽街道, 福田区 with 沙头街道),
/// a reviewer for each (and a second one for 粤海街道), and a ledger of four firms.
async fn areas(pool: &PgPool) {
    use app::auth::model::Role;
    use app::league::ledger::model::{Area, AreaLevel};
    use app::orgs::model::{OrgKind, Tree};
    use app::orgs::store::{NewOrg, create_org, grant_role, org};
    let mut c = pool.acquire().await.unwrap();
    let hash = app::auth::session::hash_password(PASSWORD.to_owned())
        .await
        .unwrap();
    let mut make = async |name: &str, parent: Option<OrgId>, area: Area| -> OrgId {
        let parent = match parent {
            Some(p) => Some(org(&mut c, p).await.unwrap().unwrap()),
            None => None,
        };
        let id = create_org(
            &mut c,
            &NewOrg {
                tree: Tree::League,
                kind: OrgKind::Committee,
                name,
                parent: parent.as_ref(),
                enterprise_id: None,
            },
        )
        .await
        .unwrap();
        app::league::founding::store::set_org_area(&mut c, id, Some(&area))
            .await
            .unwrap();
        id
    };
    let area = |level, d: &str, s: &str| Area {
        level,
        district: d.into(),
        street: s.into(),
    };
    let city = make("市团委", None, Area::city()).await;
    let nanshan = make(
        "南山区团委",
        Some(city),
        area(AreaLevel::District, "南山区", ""),
    )
    .await;
    let yuehai = make(
        "粤海街道团工委",
        Some(nanshan),
        area(AreaLevel::Street, "南山区", "粤海街道"),
    )
    .await;
    make(
        "西丽街道团工委",
        Some(nanshan),
        area(AreaLevel::Street, "南山区", "西丽街道"),
    )
    .await;
    let futian = make(
        "福田区团委",
        Some(city),
        area(AreaLevel::District, "福田区", ""),
    )
    .await;
    make(
        "沙头街道团工委",
        Some(futian),
        area(AreaLevel::Street, "福田区", "沙头街道"),
    )
    .await;
    let mut c = pool.acquire().await.unwrap();
    for (login, phone, org) in [
        ("cityrev", "13700000001", city),
        ("districtrev", "13700000002", nanshan),
        ("streetrev", "13700000003", yuehai),
        ("streetrev2", "13700000004", yuehai),
        ("futianrev", "13700000005", futian),
    ] {
        let id = common::add_user(&mut c, &hash, login, phone).await;
        grant_role(&mut c, id, Role::OrgAdmin, Some(org), None)
            .await
            .unwrap();
    }
    for (i, (name, district, street, young, league, status)) in [
        (
            "星海互动科技有限公司",
            "南山区",
            "粤海街道",
            130,
            25,
            "operating",
        ),
        (
            "云帆数据服务有限公司",
            "南山区",
            "粤海街道",
            40,
            2,
            "operating",
        ),
        (
            "极客魔方信息技术有限公司",
            "福田区",
            "沙头街道",
            30,
            5,
            "operating",
        ),
        (
            "旧时光网络有限公司",
            "南山区",
            "粤海街道",
            10,
            1,
            "deregistered",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        sqlx::query(
            "INSERT INTO enterprises (name, name_key, credit_code, district, street, young_employees,
                                      league_members, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(name)
        .bind(app::league::ledger::model::name_key(name))
        .bind(code(i as u32 + 1))
        .bind(district)
        .bind(street)
        .bind(young)
        .bind(league)
        .bind(status)
        .execute(&mut *c)
        .await
        .unwrap();
    }
}

async fn apply(
    c: &mut Client,
    name: &str,
    code: &str,
    young: &str,
    league: &str,
) -> (StatusCode, Value) {
    apply_in(c, name, code, young, league, "", "").await
}

async fn apply_in(
    c: &mut Client,
    name: &str,
    code: &str,
    young: &str,
    league: &str,
    district: &str,
    street: &str,
) -> (StatusCode, Value) {
    let r = c
        .call(
            "submit_application",
            &[
                ("enterprise_name", name),
                ("credit_code", code),
                ("district", district),
                ("street", street),
                ("contact_name", "陈静"),
                ("contact_phone", "13912345678"),
                ("young_employees", young),
                ("league_members", league),
                ("secretary_name", "刘洋"),
                ("secretary_phone", "13987654321"),
                ("note", ""),
            ],
        )
        .await;
    (
        r.status,
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

async fn track(c: &mut Client, token: &str) -> (StatusCode, Value) {
    let r = c.call("track_application", &[("token", token)]).await;
    (
        r.status,
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

async fn review(c: &mut Client, id: i64, level: &str, action: &str, reason: &str) -> StatusCode {
    c.call(
        "review_application",
        &[
            ("id", &id.to_string()),
            ("level", level),
            ("action", action),
            ("reason", reason),
        ],
    )
    .await
    .status
}

async fn application_id(pool: &PgPool, code: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT id FROM founding_applications WHERE credit_code = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(code)
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_application_goes_street_district_city_and_founds_its_own_branch(pool: PgPool) {
    world(&pool).await;
    areas(&pool).await;
    let mut public = client(&pool).await;
    // Matched by credit code: the ledger's district and street route it; the applicant
    // sees what they typed and nothing of the ledger.
    let (status, token) = apply(&mut public, "星海互动", &code(1), "120", "20").await;
    assert_eq!(status, StatusCode::OK, "{token}");
    let token = token.as_str().unwrap().to_owned();
    let (status, a) = track(&mut public, &token).await;
    assert_eq!(status, StatusCode::OK, "{a}");
    assert_eq!(a["enterprise_name"], "星海互动");
    assert_eq!(
        (a["district"].as_str(), a["street"].as_str()),
        (Some("南山区"), Some("粤海街道"))
    );
    assert_eq!(
        (
            a["matched_by"].as_str(),
            a["state"].as_str(),
            a["level"].as_str()
        ),
        (None, Some("Reviewing"), Some("Street"))
    );
    assert_eq!(a["ledger"], Value::Null);
    let id = a["id"].as_i64().unwrap();

    let mut street = signed_in(&pool, "streetrev").await;
    let mut district = signed_in(&pool, "districtrev").await;
    let mut city = signed_in(&pool, "cityrev").await;
    let q = street.call("founding_queue", &[]).await.json();
    assert_eq!((q["todo"].as_u64(), q["open"].as_u64()), (Some(1), Some(1)));
    // The district sees it in its area but does not hold the street's step.
    let q = district.call("founding_queue", &[]).await.json();
    assert_eq!((q["todo"].as_u64(), q["open"].as_u64()), (Some(0), Some(1)));
    assert_eq!(
        review(&mut district, id, "street", "approve", "").await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        review(&mut city, id, "street", "approve", "").await,
        StatusCode::FORBIDDEN
    );

    assert_eq!(
        review(&mut street, id, "street", "approve", "材料齐全").await,
        StatusCode::OK
    );
    // Acting again on the step already handled.
    assert_eq!(
        review(&mut street, id, "street", "approve", "").await,
        StatusCode::CONFLICT
    );
    assert_eq!(
        review(&mut district, id, "district", "approve", "").await,
        StatusCode::OK
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM orgs WHERE enterprise_id IS NOT NULL AND tree = 'league' AND kind = 'branch'").await, 0);
    assert_eq!(
        review(&mut city, id, "city", "approve", "同意建立").await,
        StatusCode::OK
    );

    // One branch under 粤海街道团工委, tied to the enterprise; the ledger says it has one.
    let (name, parent): (String, String) = sqlx::query_as(
        "SELECT o.name, p.name FROM orgs o JOIN orgs p ON p.id = o.parent_id
         WHERE o.enterprise_id = (SELECT id FROM enterprises WHERE credit_code = $1)",
    )
    .bind(code(1))
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (name.as_str(), parent.as_str()),
        ("星海互动科技有限公司团支部", "粤海街道团工委")
    );
    let mut admin = signed_in(&pool, "admin").await;
    let ledger = admin
        .call(
            "enterprise_ledger",
            &[
                ("q", "星海"),
                ("district", ""),
                ("filter", "with_org"),
                ("page", "1"),
            ],
        )
        .await
        .json();
    assert_eq!(ledger["total"], 1);

    let (_, a) = track(&mut public, &token).await;
    assert_eq!(a["state"], "Approved");
    assert_eq!(a["org_name"], "星海互动科技有限公司团支部");
    let actions: Vec<&str> = a["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "submitted",
            "approved",
            "approved",
            "approved",
            "founded",
            "invited"
        ]
    );
    let link = a["invitation"].as_str().unwrap().to_owned();
    // An absolute link, to copy or send.
    let code_param = link.split("/signup?code=").nth(1).unwrap().to_owned();
    assert!(link.starts_with("http") && code_param.len() == 8, "{link}");
    // The text message to the proposed secretary waits in the outbox with the link, as a
    // key to be worded in the language the application was filled in.
    let (sms_link, locale): (String, String) = sqlx::query_as(
        "SELECT message->'SecretaryInvited'->>'link', locale FROM outbox
         WHERE recipient = '13987654321'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(sms_link, link);
    assert_eq!(locale, "zh-CN");

    // The proposed secretary signs up with it and is the new branch's secretary.
    let mut secretary = client(&pool).await;
    let r = secretary
        .call(
            "sign_up",
            &[
                ("code", &code_param),
                ("display_name", "刘洋"),
                ("phone", "13987654321"),
                ("username", "liuyang"),
                ("password", "a-long-secret-9"),
                ("password_confirm", "a-long-secret-9"),
            ],
        )
        .await;
    assert!(
        r.status.is_success() || r.status.is_redirection(),
        "{}",
        r.body
    );
    let role: String = sqlx::query_scalar(
        "SELECT g.role FROM role_grants g JOIN users u ON u.id = g.user_id JOIN orgs o ON o.id = g.org_id
         WHERE u.username = 'liuyang' AND o.name = '星海互动科技有限公司团支部'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(role, "secretary");
    // Used once, the link is gone from the tracking page.
    let (_, a) = track(&mut public, &token).await;
    assert!(a["invitation"].is_null());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn firms_with_few_league_members_join_one_joint_branch_of_their_street(pool: PgPool) {
    world(&pool).await;
    areas(&pool).await;
    let mut public = client(&pool).await;
    let mut street = signed_in(&pool, "streetrev").await;
    let mut district = signed_in(&pool, "districtrev").await;
    let mut city = signed_in(&pool, "cityrev").await;
    // One matched by name only (a different credit code: not attached to the ledger firm,
    // so its applicant gives the district and street), one not in the ledger at all.
    let (s, v) = apply_in(
        &mut public,
        "云帆数据服务有限公司",
        &code(50),
        "40",
        "2",
        "南山区",
        "粤海街道",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = apply_in(
        &mut public,
        "小蚂蚁工作室",
        &code(51),
        "4",
        "0",
        "南山区",
        "粤海街道",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let matched: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT credit_code, matched_by FROM founding_applications ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        matched,
        vec![(code(50), Some("name".into())), (code(51), None)]
    );
    for c in [code(50), code(51)] {
        let id = application_id(&pool, &c).await;
        assert_eq!(
            review(&mut street, id, "street", "approve", "").await,
            StatusCode::OK
        );
        assert_eq!(
            review(&mut district, id, "district", "approve", "").await,
            StatusCode::OK
        );
        assert_eq!(
            review(&mut city, id, "city", "approve", "").await,
            StatusCode::OK
        );
    }
    let joints: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM orgs WHERE kind = 'joint_branch'")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(joints.len(), 1);
    assert_eq!(joints[0].1, "粤海街道非公企业联合团支部");
    // Both firms are in it, each added to the ledger under the code it applied with: the
    // ledger firm of the same name is left as it was (a probable duplicate for the admins).
    assert_eq!(
        count(
            &pool,
            &format!(
                "SELECT count(*) FROM enterprises WHERE joint_org_id = {}",
                joints[0].0
            )
        )
        .await,
        2
    );
    assert_eq!(
        count(
            &pool,
            &format!(
                "SELECT count(*) FROM enterprises WHERE credit_code = '{}'",
                code(51)
            )
        )
        .await,
        1
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn bad_applications_get_a_clear_message_and_store_nothing(pool: PgPool) {
    world(&pool).await;
    areas(&pool).await;
    let mut public = client(&pool).await;
    let field = |v: &Value| -> Vec<(String, String)> {
        v["Invalid"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|f| {
                        (
                            f["field"].as_str().unwrap().to_owned(),
                            f["msg"].as_str().unwrap().to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut wrong = code(1);
    let last = if wrong.ends_with('0') { "1" } else { "0" };
    wrong.replace_range(17.., last);
    let (s, v) = apply(&mut public, "星海互动科技有限公司", &wrong, "10", "3").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(
        field(&v),
        vec![("credit_code".to_owned(), "CreditCodeInvalid".to_owned())]
    );
    let (s, v) = apply(&mut public, "旧时光网络有限公司", &code(4), "10", "1").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(
        field(&v),
        vec![(
            "credit_code".to_owned(),
            "EnterpriseDeregistered".to_owned()
        )]
    );
    let (s, v) = apply(&mut public, "某某科技", &code(60), "10", "20").await;
    assert_eq!(
        field(&v),
        vec![(
            "league_members".to_owned(),
            "LeagueMoreThanYoung".to_owned()
        )],
        "{s}"
    );
    let (s, v) = apply_in(&mut public, "某某科技", &code(61), "10", "2", "罗湖区", "").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(
        field(&v),
        vec![("district".to_owned(), "DistrictUnknown".to_owned())]
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM founding_applications").await,
        0
    );

    // A second application for the same firm while the first is open.
    let (s, _) = apply(&mut public, "星海互动科技有限公司", &code(1), "120", "20").await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = apply(&mut public, "星海互动科技有限公司", &code(1), "120", "20").await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    // Under the firm's name with another code it is a separate application, flagged for
    // the reviewers and attached to nothing.
    let (s, _) = apply(&mut public, "星海互动科技", &code(62), "120", "20").await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no district given, none from the ledger"
    );
    let (s, _) = apply_in(
        &mut public,
        "星海互动科技",
        &code(62),
        "120",
        "20",
        "南山区",
        "粤海街道",
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM founding_applications WHERE enterprise_id IS NULL AND name_match_id IS NOT NULL").await,
        1
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM founding_applications").await,
        2
    );

    // A firm that has an organization already.
    let id = application_id(&pool, &code(1)).await;
    for login in ["streetrev", "districtrev", "cityrev"] {
        let mut r = signed_in(&pool, login).await;
        let level = match login {
            "streetrev" => "street",
            "districtrev" => "district",
            _ => "city",
        };
        assert_eq!(
            review(&mut r, id, level, "approve", "").await,
            StatusCode::OK
        );
    }
    let (s, v) = apply(&mut public, "星海互动科技有限公司", &code(1), "120", "20").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(
        field(&v),
        vec![("credit_code".to_owned(), "EnterpriseHasOrg".to_owned())]
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_public_form_is_rate_limited_per_address_and_per_credit_code(pool: PgPool) {
    world(&pool).await;
    areas(&pool).await;
    let mut public = client(&pool).await;
    // The same code: accepted once, then refused as open, then limited.
    let mut seen = vec![];
    for _ in 0..4 {
        seen.push(
            apply(&mut public, "星海互动科技有限公司", &code(1), "120", "20")
                .await
                .0,
        );
    }
    assert_eq!(
        seen,
        [
            StatusCode::OK,
            StatusCode::CONFLICT,
            StatusCode::CONFLICT,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    // Other codes from the same address: ten in the window, then limited.
    let mut statuses = vec![];
    for i in 0..7 {
        statuses.push(
            apply_in(
                &mut public,
                &format!("新公司{i}"),
                &code(100 + i),
                "5",
                "0",
                "南山区",
                "西丽街道",
            )
            .await
            .0,
        );
    }
    assert_eq!(statuses[..6], [StatusCode::OK; 6]);
    assert_eq!(statuses[6], StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM founding_applications").await,
        7
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn reviewers_see_only_their_area_and_a_token_opens_only_its_application(pool: PgPool) {
    let w = world(&pool).await;
    areas(&pool).await;
    let mut public = client(&pool).await;
    let (_, t1) = apply(&mut public, "星海互动科技有限公司", &code(1), "120", "20").await;
    let (_, t2) = apply(&mut public, "极客魔方信息技术有限公司", &code(3), "30", "5").await;
    let futian_id = application_id(&pool, &code(3)).await;
    let yuehai_id = application_id(&pool, &code(1)).await;

    let mut street = signed_in(&pool, "streetrev").await;
    let q = street.call("founding_queue", &[]).await.json();
    let names: Vec<&str> = q["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["enterprise_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["星海互动科技有限公司"]);
    let r = street
        .call("founding_application", &[("id", &futian_id.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        review(&mut street, futian_id, "street", "approve", "").await,
        StatusCode::FORBIDDEN
    );
    let r = street
        .call("founding_application", &[("id", &yuehai_id.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["can_review"], true);
    // 福田区 has no say over 南山区's applications.
    let mut futian = signed_in(&pool, "futianrev").await;
    let r = futian
        .call("founding_application", &[("id", &yuehai_id.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let mut member = signed_in(&pool, "member").await;
    assert_eq!(
        member.call("founding_queue", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    // 我的 offers the review queue and coverage to the area's reviewers only: a link that
    // leads to "not allowed" is a dead end.
    assert_eq!(
        street.call("my_profile", &[]).await.json()["reviews_areas"],
        true
    );
    assert_eq!(
        member.call("my_profile", &[]).await.json()["reviews_areas"],
        false
    );
    let mut orgadmin = signed_in(&pool, "orgadmin").await;
    assert_eq!(
        orgadmin.call("my_profile", &[]).await.json()["reviews_areas"],
        false
    );
    assert_eq!(
        orgadmin.call("founding_queue", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    // A company's admin reads their own firm's ledger line, without a link to coverage.
    sqlx::query("UPDATE orgs SET enterprise_id = (SELECT min(id) FROM enterprises) WHERE id = $1")
        .bind(w.committee)
        .execute(&pool)
        .await
        .unwrap();
    let ledger = [("q", ""), ("district", ""), ("filter", ""), ("page", "1")];
    let own = orgadmin.call("enterprise_ledger", &ledger).await.json();
    assert_eq!(
        (own["total"].as_i64(), &own["reads_coverage"]),
        (Some(1), &json!(false)),
        "{own}"
    );
    let area = street.call("enterprise_ledger", &ledger).await.json();
    assert_eq!(area["reads_coverage"], true, "{area}");
    assert_eq!(
        orgadmin
            .call("coverage", &[("tree", "league"), ("district", "")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        member
            .call("founding_application", &[("id", &yuehai_id.to_string())])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let mut nobody = client(&pool).await;
    assert_eq!(
        nobody.call("founding_queue", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );

    let (s, a) = track(&mut public, t1.as_str().unwrap()).await;
    assert_eq!((s, a["id"].as_i64()), (StatusCode::OK, Some(yuehai_id)));
    let (s, a) = track(&mut public, t2.as_str().unwrap()).await;
    assert_eq!((s, a["id"].as_i64()), (StatusCode::OK, Some(futian_id)));
    let (s, _) = track(&mut public, "not-a-real-token-at-all-000000000").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The token is kept as a hash only.
    assert_eq!(
        count(
            &pool,
            &format!(
                "SELECT count(*) FROM founding_applications WHERE token_hash = '{}'",
                t1.as_str().unwrap()
            )
        )
        .await,
        0
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn asking_for_more_waits_for_the_applicant_and_two_reviewers_act_once(pool: PgPool) {
    world(&pool).await;
    areas(&pool).await;
    let mut public = client(&pool).await;
    let (_, token) = apply(&mut public, "星海互动科技有限公司", &code(1), "120", "20").await;
    let token = token.as_str().unwrap().to_owned();
    let id = application_id(&pool, &code(1)).await;
    let mut street = signed_in(&pool, "streetrev").await;
    assert_eq!(
        review(&mut street, id, "street", "ask", " ").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        review(&mut street, id, "street", "ask", "请补充团员名单").await,
        StatusCode::OK
    );
    assert_eq!(
        review(&mut street, id, "street", "approve", "").await,
        StatusCode::CONFLICT
    );
    let (_, a) = track(&mut public, &token).await;
    assert_eq!(a["state"], "NeedsInfo");
    let r = public
        .call("answer_application", &[("token", &token), ("answer", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = public
        .call(
            "answer_application",
            &[("token", &token), ("answer", "名单已发至邮箱")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let (_, a) = track(&mut public, &token).await;
    assert_eq!(
        (a["state"].as_str(), a["level"].as_str()),
        (Some("Reviewing"), Some("Street"))
    );

    // Two reviewers of the street approve at once: one does, the other is told it is done.
    let mut a1 = signed_in(&pool, "streetrev").await;
    let mut a2 = signed_in(&pool, "streetrev2").await;
    let (r1, r2) = tokio::join!(
        review(&mut a1, id, "street", "approve", ""),
        review(&mut a2, id, "street", "approve", "")
    );
    let mut got = [r1, r2];
    got.sort();
    assert_eq!(got, [StatusCode::OK, StatusCode::CONFLICT]);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM founding_events WHERE action = 'approved'"
        )
        .await,
        1
    );
    let (_, a) = track(&mut public, &token).await;
    assert_eq!(a["level"], "District");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_founding_that_fails_midway_leaves_no_organization_and_the_step_open(pool: PgPool) {
    world(&pool).await;
    areas(&pool).await;
    let mut public = client(&pool).await;
    apply(&mut public, "星海互动科技有限公司", &code(1), "120", "20").await;
    let id = application_id(&pool, &code(1)).await;
    for (login, level) in [("streetrev", "street"), ("districtrev", "district")] {
        let mut r = signed_in(&pool, login).await;
        assert_eq!(
            review(&mut r, id, level, "approve", "").await,
            StatusCode::OK
        );
    }
    // The secretary's invitation, the last write of the founding, fails.
    sqlx::raw_sql(
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$;
         CREATE TRIGGER refuse BEFORE INSERT ON invitations FOR EACH ROW EXECUTE FUNCTION refuse();",
    )
    .execute(&pool)
    .await
    .unwrap();
    let mut city = signed_in(&pool, "cityrev").await;
    assert_eq!(
        review(&mut city, id, "city", "approve", "").await,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM orgs WHERE enterprise_id IS NOT NULL"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM founding_events WHERE level = 'city'"
        )
        .await,
        0
    );
    let state: (String, String) =
        sqlx::query_as("SELECT state, level FROM founding_applications WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(state, ("reviewing".to_owned(), "city".to_owned()));
    sqlx::query("DROP TRIGGER refuse ON invitations")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        review(&mut city, id, "city", "approve", "").await,
        StatusCode::OK
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM orgs WHERE enterprise_id IS NOT NULL"
        )
        .await,
        1
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_configured_gateway_sends_the_outbox_once_and_records_failures(pool: PgPool) {
    world(&pool).await;
    areas(&pool).await;
    let mut admin = signed_in(&pool, "admin").await;
    let r = admin
        .call(
            "invite_enterprise",
            &[("credit_code", &code(2)), ("phone", "13811112222")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let link = r.json().as_str().unwrap().to_owned();
    assert!(link.contains("/league/apply?invite="), "{link}");
    // A deregistered firm and a bad number are refused with a message.
    let r = admin
        .call(
            "invite_enterprise",
            &[("credit_code", &code(4)), ("phone", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = admin
        .call(
            "invite_enterprise",
            &[("credit_code", &code(2)), ("phone", "12")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // 福田区's reviewer may not invite a firm of 南山区.
    let mut futian = signed_in(&pool, "futianrev").await;
    let r = futian
        .call(
            "invite_enterprise",
            &[("credit_code", &code(2)), ("phone", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The link opens the form with the firm filled in.
    let invite = link.split("invite=").nth(1).unwrap();
    let form = client(&pool)
        .await
        .call("founding_form", &[("invite", invite)])
        .await
        .json();
    assert_eq!(form["prefill"]["enterprise_name"], "云帆数据服务有限公司");
    let outbox = admin.call("outbox_messages", &[]).await.json();
    assert_eq!(outbox.as_array().unwrap().len(), 1);
    assert_eq!(outbox[0]["sent"], false);
    assert_eq!(
        futian.call("outbox_messages", &[]).await.status,
        StatusCode::FORBIDDEN
    );

    // A real command as the gateway: it appends each message to a file.
    let (dir, gateway, log) = logging_gateway("outbox");
    assert_eq!(server::sms::deliver(&pool, &gateway).await.unwrap(), 1);
    assert_eq!(server::sms::deliver(&pool, &gateway).await.unwrap(), 0);
    let sent = std::fs::read_to_string(&log).unwrap();
    assert_eq!(sent.lines().count(), 1);
    assert!(
        sent.starts_with("13811112222 ") && sent.contains(invite),
        "{sent}"
    );
    assert_eq!(
        admin.call("outbox_messages", &[]).await.json()[0]["sent"],
        true
    );

    // A failing command marks the message failed, with why, and does not retry it forever.
    sqlx::query("INSERT INTO outbox (channel, recipient, body) VALUES ('sms', '13800000000', 'x')")
        .execute(&pool)
        .await
        .unwrap();
    let broken = server::sms::CommandGateway {
        program: dir.join("missing.sh"),
    };
    assert_eq!(server::sms::deliver(&pool, &broken).await.unwrap(), 0);
    let error: String =
        sqlx::query_scalar("SELECT error FROM outbox WHERE recipient = '13800000000'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(error.contains("cannot run"), "{error}");

    // It is tried again after a growing wait, not before.
    let state = "SELECT attempts, not_before > now() + interval '20 seconds', failed_at IS NOT NULL
                 FROM outbox WHERE recipient = $1";
    let of = |to: &'static str| sqlx::query_as::<_, (i32, bool, bool)>(state).bind(to);
    assert_eq!(
        of("13800000000").fetch_one(&pool).await.unwrap(),
        (1, true, false)
    );
    assert_eq!(server::sms::deliver(&pool, &gateway).await.unwrap(), 0);
    let due_now = "UPDATE outbox SET not_before = now() WHERE sent_at IS NULL";
    sqlx::query(due_now).execute(&pool).await.unwrap();
    assert_eq!(server::sms::deliver(&pool, &gateway).await.unwrap(), 1);
    assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 2);
    assert_eq!(
        admin.call("outbox_messages", &[]).await.json()[0]["sent"],
        true
    );

    // One that never goes through is given up after its tries, and shown so to admins.
    sqlx::query("INSERT INTO outbox (channel, recipient, body) VALUES ('sms', '13800000003', 'y')")
        .execute(&pool)
        .await
        .unwrap();
    for _ in 0..server::sms::MAX_ATTEMPTS {
        assert_eq!(server::sms::deliver(&pool, &broken).await.unwrap(), 0);
        sqlx::query(due_now).execute(&pool).await.unwrap();
    }
    let (attempts, _, failed) = of("13800000003").fetch_one(&pool).await.unwrap();
    assert_eq!((attempts, failed), (server::sms::MAX_ATTEMPTS, true));
    assert_eq!(server::sms::deliver(&pool, &gateway).await.unwrap(), 0);
    assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 2);
    let shown = admin.call("outbox_messages", &[]).await.json();
    assert_eq!(shown[0]["failed"], true, "{shown}");
    assert_eq!(shown[0]["attempts"], server::sms::MAX_ATTEMPTS, "{shown}");
    assert!(shown[0]["error"].as_str().unwrap().contains("cannot run"));
    let page = admin.get("/league/outbox").await;
    assert!(page.body.contains("13800000003") && page.body.contains("未能发送"));
    std::fs::remove_dir_all(&dir).unwrap();
}

async fn ledger_page(admin: &mut Client) -> Value {
    admin
        .call(
            "enterprise_ledger",
            &[("q", ""), ("district", ""), ("filter", ""), ("page", "1")],
        )
        .await
        .json()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn duplicates_merge_into_one_and_stay_merged_or_are_kept_apart(pool: PgPool) {
    world(&pool).await;
    areas(&pool).await;
    let mut admin = signed_in(&pool, "admin").await;
    // The same firm twice under two codes, the second holding a joint-branch membership,
    // and another pair that are different firms.
    for (name, c, joint) in [
        ("云帆数据服务股份有限公司", code(70), true),
        ("小满科技有限公司", code(71), false),
        ("小满科技公司", code(72), false),
    ] {
        sqlx::query(
            "INSERT INTO enterprises (name, name_key, credit_code, district, street, joint_org_id)
             VALUES ($1, $2, $3, '南山区', '粤海街道',
                     CASE WHEN $4 THEN (SELECT id FROM orgs WHERE name = '粤海街道团工委') END)",
        )
        .bind(name)
        .bind(app::league::ledger::model::name_key(name))
        .bind(c)
        .bind(joint)
        .execute(&pool)
        .await
        .unwrap();
    }
    let v = ledger_page(&mut admin).await;
    let keys: Vec<&str> = v["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name_key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["云帆数据服务", "小满科技"]);

    // A member may not merge; a code outside the group is refused.
    let mut member = signed_in(&pool, "member").await;
    let r = member
        .call(
            "merge_duplicates",
            &[("name_key", "云帆数据服务"), ("keep", &code(2))],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = admin
        .call(
            "merge_duplicates",
            &[("name_key", "云帆数据服务"), ("keep", &code(71))],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = admin
        .call(
            "merge_duplicates",
            &[("name_key", "云帆数据服务"), ("keep", &code(2))],
        )
        .await;
    assert_eq!((r.status, r.json()), (StatusCode::OK, Value::from(1)));
    let (status, into, joint): (String, Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT m.status, m.merged_into, k.joint_org_id FROM enterprises m, enterprises k
         WHERE m.credit_code = $1 AND k.credit_code = $2",
    )
    .bind(code(70))
    .bind(code(2))
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(status, "merged");
    assert!(
        into.is_some() && joint.is_some(),
        "the joint branch moved to the kept row"
    );

    // Keeping the other pair apart hides it; the ledger lists neither group now.
    assert_eq!(
        admin
            .call("keep_apart", &[("name_key", "小满科技")])
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        admin
            .call("keep_apart", &[("name_key", "没有这组")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let v = ledger_page(&mut admin).await;
    assert_eq!(v["duplicates"].as_array().unwrap().len(), 0);
    let listed: Vec<&str> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["credit_code"].as_str().unwrap())
        .collect();
    assert!(
        !listed.contains(&code(70).as_str()),
        "merged rows are not listed"
    );

    // A later import with the merged code leaves it merged; a new same-named code lists the
    // kept-apart group again.
    let mut c = pool.acquire().await.unwrap();
    let row = |name: &str, credit: String| app::league::ledger::model::LedgerRow {
        name: name.into(),
        name_key: app::league::ledger::model::name_key(name),
        credit_code: credit,
        district: "南山区".into(),
        street: "粤海街道".into(),
        address: String::new(),
        employees: 9,
        young_employees: 5,
        party_members: 0,
        league_members: 1,
        deregistered: false,
    };
    let admin_id: UserId = sqlx::query_scalar("SELECT id FROM users WHERE username = 'admin'")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    app::league::ledger::store::merge(
        &mut c,
        &[
            row("云帆数据服务股份有限公司", code(70)),
            row("小满科技有限责任公司", code(73)),
        ],
        "again.csv",
        admin_id,
    )
    .await
    .unwrap();
    let status: String =
        sqlx::query_scalar("SELECT status FROM enterprises WHERE credit_code = $1")
            .bind(code(70))
            .fetch_one(&mut *c)
            .await
            .unwrap();
    assert_eq!(status, "merged");
    let v = ledger_page(&mut admin).await;
    let groups = v["duplicates"].as_array().unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0]["firms"].as_array().unwrap().len(), 3);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_platform_admin_makes_a_committee_review_a_street(pool: PgPool) {
    world(&pool).await;
    areas(&pool).await;
    let id = |name: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT id FROM orgs WHERE name = $1")
                .bind(name)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let (xili, shatou) = (id("西丽街道团工委").await, id("沙头街道团工委").await);
    let mut admin = signed_in(&pool, "admin").await;
    let set = |level: &'static str, district: &'static str, street: &'static str, org: i64| {
        vec![
            ("org_id".to_owned(), org.to_string()),
            ("level".to_owned(), level.to_owned()),
            ("district".to_owned(), district.to_owned()),
            ("street".to_owned(), street.to_owned()),
        ]
    };
    let call = async |c: &mut Client, f: Vec<(String, String)>| {
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        c.call("set_org_area", &f).await.status
    };
    // 粤海街道 is 粤海街道团工委's already.
    assert_eq!(
        call(&mut admin, set("street", "南山区", "粤海街道", xili)).await,
        StatusCode::CONFLICT
    );
    assert_eq!(
        call(&mut admin, set("street", "南山区", "", xili)).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let mut orgadmin = signed_in(&pool, "orgadmin").await;
    assert_eq!(
        call(&mut orgadmin, set("street", "南山区", "桃源街道", xili)).await,
        StatusCode::FORBIDDEN
    );
    // 沙头街道团工委 now stands for 福田区's 香蜜湖街道 instead.
    assert_eq!(
        call(&mut admin, set("street", "福田区", "香蜜湖街道", shatou)).await,
        StatusCode::OK
    );
    let r = admin
        .call("org_area", &[("org_id", &shatou.to_string())])
        .await
        .json();
    assert_eq!(r["area"]["street"], "香蜜湖街道");
    let mut public = client(&pool).await;
    let (s, _) = apply_in(
        &mut public,
        "香蜜湖小店",
        &code(80),
        "3",
        "0",
        "福田区",
        "香蜜湖街道",
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let level: String = sqlx::query_scalar("SELECT level FROM founding_applications")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(level, "street");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn coverage_counts_own_and_joint_organizations_per_area_and_week(pool: PgPool) {
    world(&pool).await;
    areas(&pool).await;
    // 星海 founds its own branch; 云帆 joins a joint branch; 极客魔方 has nothing.
    let mut public = client(&pool).await;
    apply(&mut public, "星海互动科技有限公司", &code(1), "120", "20").await;
    let id = application_id(&pool, &code(1)).await;
    for (login, level) in [
        ("streetrev", "street"),
        ("districtrev", "district"),
        ("cityrev", "city"),
    ] {
        let mut r = signed_in(&pool, login).await;
        assert_eq!(
            review(&mut r, id, level, "approve", "").await,
            StatusCode::OK
        );
    }
    sqlx::query(
        "UPDATE enterprises SET joint_org_id = (SELECT id FROM orgs WHERE name = '粤海街道团工委')
         WHERE credit_code = $1",
    )
    .bind(code(2))
    .execute(&pool)
    .await
    .unwrap();

    // The weekly snapshot, twice: the same rows.
    let week = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut c = pool.acquire().await.unwrap();
    app::league::coverage::store::snapshot(&mut c, app::orgs::model::Tree::League, week)
        .await
        .unwrap();
    app::league::coverage::store::snapshot(&mut c, app::orgs::model::Tree::League, week)
        .await
        .unwrap();
    let rows: Vec<(String, String, i32, i32, i32)> = sqlx::query_as(
        "SELECT district, street, enterprises, covered, eligible FROM coverage_snapshots ORDER BY district, street",
    )
    .fetch_all(&mut *c)
    .await
    .unwrap();
    // The deregistered firm is out of scope.
    assert_eq!(
        rows,
        vec![
            ("南山区".into(), "粤海街道".into(), 2, 2, 0),
            ("福田区".into(), "沙头街道".into(), 1, 0, 1),
        ]
    );

    let mut city = signed_in(&pool, "cityrev").await;
    let v = city
        .call("coverage", &[("tree", "league"), ("district", "")])
        .await
        .json();
    assert_eq!(v["rate"], "66.7%");
    let rows: Vec<(String, String)> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["label"].as_str().unwrap().to_owned(),
                r["rate"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("南山区".into(), "100.0%".into()),
            ("福田区".into(), "0.0%".into())
        ]
    );
    assert_eq!(v["charts"].as_array().unwrap().len(), 2);
    // The charts' numbers, worded when the page renders.
    assert_eq!(
        v["charts"][0]["labels"][1],
        serde_json::json!({ "Text": "福田区" })
    );
    assert_eq!(
        v["charts"][0]["series"]["Percents"]["values"],
        serde_json::json!([100.0, 0.0])
    );
    assert_eq!(v["to_found"][0]["firms"][0][0], "极客魔方信息技术有限公司");

    // A district admin sees its streets only, and not another district.
    let mut district = signed_in(&pool, "districtrev").await;
    let v = district
        .call("coverage", &[("tree", "league"), ("district", "")])
        .await
        .json();
    assert_eq!(v["rows"].as_array().unwrap().len(), 1);
    assert_eq!(v["rows"][0]["label"], "南山区 粤海街道");
    assert_eq!(v["to_found"].as_array().unwrap().len(), 0);
    let r = district
        .call("coverage", &[("tree", "league"), ("district", "福田区")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The city drills into a district: its streets.
    let v = city
        .call("coverage", &[("tree", "league"), ("district", "福田区")])
        .await
        .json();
    assert_eq!(v["rows"][0]["label"], "福田区 沙头街道");

    let mut member = signed_in(&pool, "member").await;
    assert_eq!(
        member
            .call("coverage", &[("tree", "league"), ("district", "")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut nobody = client(&pool).await;
    assert_eq!(
        nobody
            .call("coverage", &[("tree", "league"), ("district", "")])
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn party_coverage_counts_the_partys_own_and_joint_branches_only_by_district_and_week(
    pool: PgPool,
) {
    use app::auth::model::Role;
    use app::orgs::model::{OrgKind, Tree};
    use app::orgs::store::{NewOrg, create_org, grant_role, org};
    let w = world(&pool).await;
    areas(&pool).await;
    let id_of = async |code: String| -> i64 {
        sqlx::query_scalar("SELECT id FROM enterprises WHERE credit_code = $1")
            .bind(code)
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let (xinghai, yunfan, geek) = (
        id_of(code(1)).await,
        id_of(code(2)).await,
        id_of(code(3)).await,
    );
    // Party members: 星海 12, 云帆 1, 极客魔方 2. 星海 has its own Party branch, 云帆 is in a
    // joint Party branch, 极客魔方 has a League branch only.
    for (id, n) in [(xinghai, 12), (yunfan, 1), (geek, 2)] {
        sqlx::query("UPDATE enterprises SET party_members = $2 WHERE id = $1")
            .bind(id)
            .bind(n)
            .execute(&pool)
            .await
            .unwrap();
    }
    sqlx::query("UPDATE orgs SET enterprise_id = $1 WHERE id = $2")
        .bind(xinghai)
        .bind(w.branch_a)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE enterprises SET party_joint_org_id = $1 WHERE id = $2")
        .bind(w.branch_b)
        .bind(yunfan)
        .execute(&pool)
        .await
        .unwrap();
    let mut c = pool.acquire().await.unwrap();
    let city_league: OrgId = sqlx::query_scalar("SELECT id FROM orgs WHERE name = '市团委'")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    let parent = org(&mut c, city_league).await.unwrap().unwrap();
    let league_branch = NewOrg {
        tree: Tree::League,
        kind: OrgKind::Branch,
        name: "极客魔方团支部",
        parent: Some(&parent),
        enterprise_id: Some(geek),
    };
    create_org(&mut c, &league_branch).await.unwrap();
    // The city's Party area committee and its admin.
    let committee = NewOrg {
        tree: Tree::Party,
        kind: OrgKind::Committee,
        name: "市委两新工委",
        parent: None,
        enterprise_id: None,
    };
    let party_city = create_org(&mut c, &committee).await.unwrap();
    let city = app::league::ledger::model::Area::city();
    app::league::founding::store::set_org_area(&mut c, party_city, Some(&city))
        .await
        .unwrap();
    let hash = app::auth::session::hash_password(PASSWORD.to_owned())
        .await
        .unwrap();
    let admin = common::add_user(&mut c, &hash, "partycity", "13700000011").await;
    grant_role(&mut c, admin, Role::OrgAdmin, Some(party_city), None)
        .await
        .unwrap();

    let mut party = signed_in(&pool, "partycity").await;
    let v = party
        .call("coverage", &[("tree", "party"), ("district", "")])
        .await
        .json();
    assert_eq!(v["tree"], "Party");
    assert_eq!(v["rate"], "66.7%", "{v}");
    let rows: Vec<(&str, &str)> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["label"].as_str().unwrap(), r["rate"].as_str().unwrap()))
        .collect();
    assert_eq!(rows, vec![("南山区", "100.0%"), ("福田区", "0.0%")]);
    // 极客魔方 could found one (two Party members) and has none; its League branch does not count.
    assert_eq!(
        v["to_found"][0]["firms"][0],
        serde_json::json!(["极客魔方信息技术有限公司", code(3), 30, 2])
    );
    let v = party
        .call("coverage", &[("tree", "party"), ("district", "福田区")])
        .await
        .json();
    assert_eq!(v["rows"][0]["label"], "福田区 沙头街道");
    // The League's figures count 极客魔方's League branch and not the Party's branches.
    let mut league = signed_in(&pool, "cityrev").await;
    let v = league
        .call("coverage", &[("tree", "league"), ("district", "")])
        .await
        .json();
    assert_eq!(v["total"]["covered"], 1, "{v}");
    // Each tree's readers only.
    assert_eq!(
        league
            .call("coverage", &[("tree", "party"), ("district", "")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        party
            .call("coverage", &[("tree", "league"), ("district", "")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        party.call("my_profile", &[]).await.json()["reads_party_coverage"],
        true
    );
    assert_eq!(
        league.call("my_profile", &[]).await.json()["reads_party_coverage"],
        false
    );

    // The week's snapshot keeps each tree's rows apart.
    let week = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    for tree in [Tree::Party, Tree::League] {
        app::league::coverage::store::snapshot(&mut c, tree, week)
            .await
            .unwrap();
    }
    let covered: Vec<(String, i64)> = sqlx::query_as(
        "SELECT tree, sum(covered)::bigint FROM coverage_snapshots GROUP BY tree ORDER BY tree",
    )
    .fetch_all(&mut *c)
    .await
    .unwrap();
    assert_eq!(
        covered,
        vec![("league".to_owned(), 1), ("party".to_owned(), 2)]
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_made_up_code_with_a_real_firms_name_borrows_nothing_and_blocks_nothing(pool: PgPool) {
    world(&pool).await;
    areas(&pool).await;
    let mut attacker = client(&pool).await;
    // A check-digit-valid code the ledger does not have, and the name of a ledger firm.
    let (s, token) = apply_in(
        &mut attacker,
        "星海互动科技有限公司",
        &code(777),
        "1",
        "0",
        "南山区",
        "粤海街道",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{token}");
    let (s, seen) = track(&mut attacker, token.as_str().unwrap()).await;
    assert_eq!(s, StatusCode::OK, "{seen}");
    // Only what was typed: none of the firm's facts (130 young employees, 25 members).
    assert_eq!(seen["ledger"], Value::Null);
    assert_eq!(seen["matched_by"], Value::Null);
    assert_eq!(seen["enterprise_id"], Value::Null);
    assert_eq!(
        (
            seen["young_employees"].as_i64(),
            seen["league_members"].as_i64()
        ),
        (Some(1), Some(0))
    );
    let firm: i64 = sqlx::query_scalar("SELECT id FROM enterprises WHERE credit_code = $1")
        .bind(code(1))
        .fetch_one(&pool)
        .await
        .unwrap();
    let stored: (Option<i64>, Option<i64>, Option<String>) = sqlx::query_as(
        "SELECT enterprise_id, name_match_id, matched_by FROM founding_applications WHERE credit_code = $1",
    )
    .bind(code(777))
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(stored, (None, Some(firm), Some("name".to_owned())));

    // The firm's own application goes in while the made-up one waits.
    let mut firm_client = client(&pool).await;
    let (s, v) = apply(
        &mut firm_client,
        "星海互动科技有限公司",
        &code(1),
        "130",
        "25",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");

    // The reviewers see the name match flagged, with the ledger firm to compare against.
    let mut street = signed_in(&pool, "streetrev").await;
    let id = application_id(&pool, &code(777)).await;
    let r = street
        .call("founding_application", &[("id", &id.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let a = r.json();
    assert_eq!(a["matched_by"], "name");
    assert_eq!(a["enterprise_id"], Value::Null);
    assert_eq!(a["ledger"]["credit_code"], code(1));
    assert_eq!(a["ledger"]["young_employees"], 130);
    let q = street.call("founding_queue", &[]).await.json();
    let flagged: Vec<bool> = q["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["matched"].as_bool().unwrap())
        .collect();
    assert_eq!(flagged.iter().filter(|m| !**m).count(), 1, "{q}");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_text_message_is_worded_when_sent_in_its_recipients_language(pool: PgPool) {
    use app::i18n::Locale;
    use app::notices::model::TextMessage;
    let mut c = pool.acquire().await.unwrap();
    let message = TextMessage::SecretaryInvited {
        org: "Acme League Branch".into(),
        link: "https://e.example/signup?code=ABCD2345".into(),
    };
    app::league::founding::store::queue_sms(&mut c, "13800000001", &message, Locale::En)
        .await
        .unwrap();
    app::league::founding::store::queue_sms(&mut c, "13800000002", &message, Locale::ZhCn)
        .await
        .unwrap();
    // A message queued before messages were keys is sent as it was written.
    sqlx::query(
        "INSERT INTO outbox (channel, recipient, body) VALUES ('sms', '13800000003', '旧短信')",
    )
    .execute(&mut *c)
    .await
    .unwrap();
    drop(c);
    let (dir, gateway, log) = logging_gateway("words");
    assert_eq!(server::sms::deliver(&pool, &gateway).await.unwrap(), 3);
    let sent = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = sent.lines().collect();
    assert_eq!(
        lines,
        [
            "13800000001 [Youth e-Home] Acme League Branch has been founded. Please sign up as its secretary: https://e.example/signup?code=ABCD2345",
            "13800000002 【青年e家】Acme League Branch已批准建立，请您注册并担任团支部书记：https://e.example/signup?code=ABCD2345",
            "13800000003 旧短信",
        ]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A real command as the SMS gateway, in a folder of its own: it appends each message to
/// the returned file as "number text".
fn logging_gateway(
    name: &str,
) -> (
    std::path::PathBuf,
    server::sms::CommandGateway,
    std::path::PathBuf,
) {
    let dir = std::env::temp_dir().join(format!("qnej-sms-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("sent.txt");
    let script = dir.join("send.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho \"$1 $2\" >> {}\n", log.display()),
    )
    .unwrap();
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&script)
        .status()
        .unwrap();
    (dir, server::sms::CommandGateway { program: script }, log)
}

/// League coverage counts League organizations only: a firm with a Party committee and no
/// League one is not covered, is still on the list of firms that could found one, and may
/// apply; once it has a League branch of its own it is covered and may not apply again.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_firm_with_only_a_party_organization_is_not_covered_by_the_league(pool: PgPool) {
    use app::orgs::model::{OrgKind, Tree};
    use app::orgs::store::{NewOrg, create_org, org};
    let w = world(&pool).await;
    areas(&pool).await;
    let firm: i64 = sqlx::query_scalar("SELECT id FROM enterprises WHERE credit_code = $1")
        .bind(code(3))
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut c = pool.acquire().await.unwrap();
    let party = org(&mut c, w.committee).await.unwrap().unwrap();
    assert_eq!(party.tree, Tree::Party);
    sqlx::query("UPDATE orgs SET enterprise_id = $1 WHERE id = $2")
        .bind(firm)
        .bind(w.committee)
        .execute(&mut *c)
        .await
        .unwrap();
    let shatou = async |c: &mut sqlx::PgConnection| {
        let streets = app::league::coverage::store::live(c, app::orgs::model::Tree::League)
            .await
            .unwrap();
        let s = streets.iter().find(|s| s.street == "沙头街道").unwrap();
        (s.figures.enterprises, s.figures.covered, s.figures.eligible)
    };
    assert_eq!(shatou(&mut c).await, (1, 0, 1));
    let mut city = signed_in(&pool, "cityrev").await;
    let v = city
        .call("coverage", &[("tree", "league"), ("district", "福田区")])
        .await
        .json();
    assert_eq!(v["rows"][0]["rate"], "0.0%", "{v}");
    assert_eq!(v["to_found"][0]["firms"][0][0], "极客魔方信息技术有限公司");
    let mut public = client(&pool).await;
    let (s, v) = apply(&mut public, "极客魔方信息技术有限公司", &code(3), "30", "5").await;
    assert_eq!(s, StatusCode::OK, "{v}");

    // A League branch of the firm's own: covered, and a second application is refused.
    create_org(
        &mut c,
        &NewOrg {
            tree: Tree::League,
            kind: OrgKind::Committee,
            name: "极客魔方团委",
            parent: None,
            enterprise_id: Some(firm),
        },
    )
    .await
    .unwrap();
    assert_eq!(shatou(&mut c).await, (1, 1, 0));
    // Refused for the organization it has, before the application it left open.
    let (s, v) = apply(&mut public, "极客魔方信息技术有限公司", &code(3), "30", "5").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["Invalid"][0]["msg"], "EnterpriseHasOrg", "{v}");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_instructor_follows_an_application_from_its_review_to_the_first_meeting(pool: PgPool) {
    world(&pool).await;
    areas(&pool).await;
    let mut public = client(&pool).await;
    let (status, token) = apply(&mut public, "星海互动", &code(1), "120", "20").await;
    assert_eq!(status, StatusCode::OK, "{token}");
    let id = application_id(&pool, &code(1)).await;
    let app = id.to_string();
    let name = async |c: &mut Client| {
        c.call(
            "assign_instructor",
            &[("application", &app), ("instructor", "member")],
        )
        .await
        .status
    };
    // Another district's reviewer and a branch secretary do not find it.
    for login in ["futianrev", "secretary"] {
        let mut other = signed_in(&pool, login).await;
        assert_eq!(name(&mut other).await, StatusCode::NOT_FOUND, "{login}");
    }
    let mut street = signed_in(&pool, "streetrev").await;
    assert_eq!(name(&mut street).await, StatusCode::OK);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM instructor_assignments WHERE ended_at IS NULL"
        )
        .await,
        1
    );

    let mut member = signed_in(&pool, "member").await;
    let next = async |c: &mut Client| -> Value {
        let v = c.call("my_following", &[]).await.json();
        assert_eq!(v["items"].as_array().unwrap().len(), 1, "{v}");
        v["items"][0].clone()
    };
    let item = next(&mut member).await;
    assert_eq!(item["name"], "星海互动");
    assert!(item["next"]["Review"].is_object(), "{item}");

    let mut district = signed_in(&pool, "districtrev").await;
    let mut city = signed_in(&pool, "cityrev").await;
    assert_eq!(
        review(&mut street, id, "street", "approve", "").await,
        StatusCode::OK
    );
    assert_eq!(
        review(&mut district, id, "district", "approve", "").await,
        StatusCode::OK
    );
    assert_eq!(
        review(&mut city, id, "city", "approve", "").await,
        StatusCode::OK
    );
    let org: i64 = sqlx::query_scalar("SELECT org_id FROM founding_applications WHERE id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    let item = next(&mut member).await;
    assert_eq!(item["next"]["FirstMeeting"]["org"], org, "{item}");

    // Its first meeting held, the new branch's own next step follows: nothing from before
    // it was founded is owed.
    sqlx::query(
        "WITH m AS (
             INSERT INTO meetings (org_id, kind, title, starts_at, ends_at, place, created_by)
             VALUES ($1, 'general_meeting', '成立大会', now() - interval '2 hours', now() - interval '1 hour', '会议室',
                     (SELECT id FROM users WHERE username = 'member'))
             RETURNING id)
         INSERT INTO meeting_attendance (meeting_id, user_id, how)
         SELECT m.id, (SELECT id FROM users WHERE username = 'member'), 'code' FROM m",
    )
    .bind(org)
    .execute(&pool)
    .await
    .unwrap();
    let item = next(&mut member).await;
    assert!(
        item["next"]["Due"].is_object() || item["next"] == "UpToDate",
        "{item}"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_street_committees_dashboard_shows_its_coverage_against_the_period_before(pool: PgPool) {
    world(&pool).await;
    areas(&pool).await;
    let street: i64 = sqlx::query_scalar("SELECT id FROM orgs WHERE name = '粤海街道团工委'")
        .fetch_one(&pool)
        .await
        .unwrap();
    // 粤海街道 has two operating firms (the third is deregistered), none with a League
    // organization now; the week last month ended in, one of two had one.
    let today = app::time::day_of(chrono::Utc::now());
    let this = app::reports::model::ReportPeriod::month_of(today);
    let week = app::time::week_start(this.previous().end());
    sqlx::query(
        "INSERT INTO coverage_snapshots (week, tree, district, street, enterprises, covered, eligible)
         VALUES ($1, 'league', '南山区', '粤海街道', 2, 1, 1), ($1, 'league', '福田区', '沙头街道', 9, 9, 0)",
    )
    .bind(week)
    .execute(&pool)
    .await
    .unwrap();
    let mut reviewer = signed_in(&pool, "streetrev").await;
    let r = reviewer
        .call("dashboard", &[("org", &street.to_string()), ("period", "")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    let c = &v["coverage"];
    assert_eq!(c["tree"], "League", "{v}");
    assert_eq!(
        (c["covered"].as_i64(), c["enterprises"].as_i64()),
        (Some(0), Some(2)),
        "{c}"
    );
    assert_eq!(c["compared"]["now"].as_f64(), Some(0.0), "{c}");
    assert_eq!(c["compared"]["before"].as_f64(), Some(50.0), "{c}");
    let page = reviewer.get(&format!("/dashboard?org={street}")).await;
    assert!(
        page.body.contains("团组织覆盖率") && page.body.contains("−50.0个百分点"),
        "{}",
        page.body
    );
    // A company committee stands for no area: no coverage tile.
    let mut admin = signed_in(&pool, "orgadmin").await;
    let v = admin
        .call("dashboard", &[("org", "0"), ("period", "")])
        .await
        .json();
    assert!(v["coverage"].is_null(), "{v}");
    // Another district's reviewer does not see this street's dashboard.
    let mut other = signed_in(&pool, "futianrev").await;
    let r = other
        .call("dashboard", &[("org", &street.to_string()), ("period", "")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
