//! Demo data: a city's internet-industry committee with three companies in both trees,
//! a joint branch for small firms, about 300 members with Chinese names, a secretary per
//! branch, an organization admin, a city admin and a platform admin.
//!
//! Loading is idempotent: when the demo accounts exist it only renews the demo invitation
//! codes. Every account shares one password (and so one argon2 hash, computed once).

use app::auth::model::{InvitationCode, Role};
use app::ids::{OrgId, UserId};
use app::orgs::model::{CreditCode, MemberStatus, OrgKind, Tree};
use app::orgs::store::{NewOrg, Org, create_org, grant_role, join, org};
use app::uploads::store::UploadDir;
use sqlx::{PgConnection, PgPool};

use crate::BoxError;

pub const PASSWORD: &str = "qnej-demo-2026";
/// Sign-up codes printed in the README: a Party branch and a League branch.
pub const PARTY_CODE: &str = "QNEJ6688";
pub const LEAGUE_CODE: &str = "QNEJ7799";

/// The demo sign-ins, as the run script prints them.
pub const LOGINS: &[(&str, &str)] = &[
    ("admin", "平台管理员 platform admin"),
    (
        "cityadmin",
        "市互联网行业党委/团委管理员 city industry committee admin",
    ),
    (
        "orgadmin",
        "星云科技党委/团委管理员 company committee admin",
    ),
    ("secretary", "星云科技前端开发党支部书记 branch secretary"),
    ("member", "普通党员、团员 member"),
    ("mover", "准备转接组织关系的党员 member about to move"),
    ("treasurer", "前端开发党支部党费收缴员 branch dues officer"),
    (
        "youth",
        "申请入党的团员 League member applying to the Party",
    ),
    ("leaguesec", "前端开发团支部书记 League branch secretary"),
    ("streetadmin", "粤海街道团工委审核人 street League reviewer"),
    ("districtadmin", "南山区团委审核人 district League reviewer"),
    ("leagueadmin", "市团委审核人 city League reviewer"),
];

struct Company {
    name: &'static str,
    short: &'static str,
    code17: &'static str,
    district: &'static str,
    street: &'static str,
    /// Party: (general branch, its branches), then branches directly under the committee.
    party: (
        &'static str,
        &'static [&'static str],
        &'static [&'static str],
    ),
    league: (
        &'static str,
        &'static [&'static str],
        &'static [&'static str],
    ),
}

const COMPANIES: &[Company] = &[
    Company {
        name: "星云科技有限公司",
        short: "星云科技",
        code17: "91440300MA5F3XK2Q",
        district: "南山区",
        street: "粤海街道",
        party: (
            "研发党总支",
            &["前端开发党支部", "后端开发党支部", "测试与质量党支部"],
            &["产品运营党支部", "职能部门党支部"],
        ),
        league: (
            "研发团总支",
            &["前端开发团支部", "后端开发团支部"],
            &["产品运营团支部"],
        ),
    },
    Company {
        name: "极光网络科技有限公司",
        short: "极光网络",
        code17: "91440300MA5G7PL8R",
        district: "南山区",
        street: "西丽街道",
        party: (
            "技术党总支",
            &["平台研发党支部", "数据智能党支部"],
            &["市场销售党支部", "客户服务党支部"],
        ),
        league: ("技术团总支", &["平台研发团支部"], &["市场销售团支部"]),
    },
    Company {
        name: "青禾数据服务有限公司",
        short: "青禾数据",
        code17: "91440304MA5H2WN6T",
        district: "福田区",
        street: "沙头街道",
        party: ("", &[], &["第一党支部", "第二党支部", "第三党支部"]),
        league: ("", &[], &["青禾数据团支部"]),
    },
];

/// Small firms in one park, together in joint branches.
const SMALL_FIRMS: &[(&str, &str)] = &[
    ("微光互动网络工作室", "92440300MA5J1AB3C"),
    ("云杉软件有限公司", "91440300MA5K2CD4E"),
    ("拾光文化传媒有限公司", "91440300MA5L3EF5G"),
    ("小满科技有限公司", "91440300MA5M4GH6J"),
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "萧", "田",
];
const GIVEN: &[&str] = &[
    "子涵", "欣怡", "梓萱", "浩然", "宇轩", "雨桐", "思远", "佳琪", "俊杰", "诗涵", "一鸣", "晓彤",
    "泽宇", "雅静", "明轩", "若曦", "嘉懿", "博文", "芷若", "天佑", "可馨", "书瑶", "志强", "海燕",
    "文博", "静怡", "晨阳", "梦琪", "建国", "丽娜", "鹏飞", "婉清", "瑞霖", "紫萱", "昊天", "佳怡",
];

/// Loads the demo data unless it is there already.
pub async fn load(pool: &PgPool, uploads: &UploadDir) -> Result<(), BoxError> {
    let mut tx = pool.begin().await?;
    // Two servers starting at once must not both load.
    sqlx::query("SELECT pg_advisory_xact_lock(20261123)")
        .execute(&mut *tx)
        .await?;
    let loaded: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE username = 'admin')")
            .fetch_one(&mut *tx)
            .await?;
    if loaded {
        renew_codes(&mut tx).await?;
        articles(&mut tx).await?;
        questions(&mut tx).await?;
        media(&mut tx, uploads).await?;
        founding_dates(&mut tx).await?;
        overdue_transfer(&mut tx).await?;
        mover(&mut tx).await?;
        dues(&mut tx).await?;
        meetings(&mut tx).await?;
        development(&mut tx).await?;
        study_history(&mut tx).await?;
        instructors(&mut tx).await?;
        rewards(&mut tx).await?;
        tx.commit().await?;
        tracing::info!("demo data already present; invitation codes renewed");
        return Ok(());
    }
    let hash = app::auth::session::hash_password(PASSWORD.to_owned())
        .await
        .map_err(|e| format!("{e:?}"))?;
    let mut d = Demo {
        conn: &mut tx,
        hash,
        next_phone: 0,
    };
    d.build().await?;
    renew_codes(&mut tx).await?;
    articles(&mut tx).await?;
    questions(&mut tx).await?;
    media(&mut tx, uploads).await?;
    founding_dates(&mut tx).await?;
    overdue_transfer(&mut tx).await?;
    mover(&mut tx).await?;
    dues(&mut tx).await?;
    meetings(&mut tx).await?;
    development(&mut tx).await?;
    study_history(&mut tx).await?;
    instructors(&mut tx).await?;
    rewards(&mut tx).await?;
    tx.commit().await?;
    tracing::info!("demo data loaded");
    Ok(())
}

async fn renew_codes(conn: &mut PgConnection) -> Result<(), BoxError> {
    sqlx::query(
        "UPDATE invitations SET expires_at = now() + interval '90 days', used = 0
         WHERE code = ANY ($1)",
    )
    .bind([PARTY_CODE, LEAGUE_CODE])
    .execute(conn)
    .await?;
    Ok(())
}

/// Demo articles: (title, scope organization by name or none for the platform, required,
/// tags, Markdown). Loaded when there is no study content yet.
const ARTICLES: &[(&str, Option<&str>, bool, &str, &str)] = &[
    (
        "青年e家使用指南",
        None,
        true,
        "入门",
        "# 欢迎来到青年e家\n\n青年e家是团员青年和党员在手机上**学习、积分、参加组织生活**的地方。\n\n- 在“学习”里阅读文章、观看视频，学习时间由系统按页面实际停留计算；\n- 在“积分”里查看今天每项任务的进度和积分明细；\n- 在“我的”里查看所在组织、切换语言。\n\n积分是学习的记录，不是任务。按自己的节奏来就好。",
    ),
    (
        "三会一课是什么",
        None,
        false,
        "组织生活,党支部",
        "## 三会一课\n\n“三会”指支部党员大会、支部委员会和党小组会，“一课”指党课。\n\n支部党员大会一般每季度召开一次，支部委员会和党小组会一般每月召开一次，党课一般每季度一次。团组织的对应制度是“三会两制一课”。\n\n按时开好组织生活会，记录完整、签到真实，是支部建设的基本功。",
    ),
    (
        "组织关系转接怎么办",
        None,
        false,
        "转接",
        "## 换了工作，组织关系也要跟着走\n\n1. 在平台上发起转接，选择接收组织，写明原因和党费交至月份；\n2. 转出支部确认，上级党委审批；\n3. 接收支部接收后，本人按时报到。\n\n介绍信默认有效期 30 天，最长不超过 3 个月，过期需要重新开具。",
    ),
    (
        "星云科技青年学习月安排",
        Some("星云科技党委"),
        true,
        "星云科技,学习月",
        "## 本月学习安排\n\n本月为公司青年学习月，请各支部党员在月底前完成必修内容的学习。\n\n每周三中午在三楼多功能厅举行读书分享，欢迎报名分享自己的读书心得。",
    ),
    (
        "极光网络支部书记工作手册",
        Some("极光网络党委"),
        false,
        "极光网络,书记",
        "## 支部书记每月要做的事\n\n- 召开支部委员会，研究本月工作；\n- 组织主题党日活动；\n- 检查党员学习情况，提醒未完成必修内容的同志。",
    ),
];

/// Loads the demo articles once (when there is no study content at all).
/// A 30-second demo video (a test pattern with a tone), as a video item and a micro-lesson
/// with two questions, in a column with two of the demo articles; when there is no video yet.
/// The file goes into the upload folder like an author's upload.
async fn media(conn: &mut PgConnection, dir: &UploadDir) -> Result<(), BoxError> {
    use app::study::model::ItemKind;
    use app::study::store::{NewColumn, NewItem, insert_column, insert_item, set_lesson_questions};
    let any: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM study_items WHERE kind = 'video')")
            .fetch_one(&mut *conn)
            .await?;
    if any {
        return Ok(());
    }
    let admin: UserId = sqlx::query_scalar("SELECT id FROM users WHERE username = 'admin'")
        .fetch_one(&mut *conn)
        .await?;
    let bytes = include_bytes!("../demo/intro.webm");
    let id = uuid::Uuid::new_v4();
    let file_type = app::uploads::model::FileType::Webm;
    std::fs::create_dir_all(dir.files())?;
    std::fs::write(dir.file(id, file_type.ext()), bytes)?;
    app::uploads::store::insert(
        conn,
        id,
        admin,
        app::uploads::model::Purpose::Video,
        "青年e家演示.webm",
        file_type,
        bytes.len() as i64,
        i64::MAX,
    )
    .await
    .map_err(|e| format!("{e:?}"))?;
    let column = insert_column(
        conn,
        &NewColumn {
            title: "新时代青年学习专栏",
            description: "视频、微课和文章：组织生活和组织关系的基本功。",
            cover_upload: None,
            scope_org_id: None,
            required: false,
            due_on: None,
            by: admin,
        },
    )
    .await
    .map_err(|e| format!("{e:?}"))?;
    for (kind, title, body) in [
        (
            ItemKind::Video,
            "青年e家功能演示（视频）",
            "看一看青年e家里的学习、积分和组织生活。",
        ),
        (
            ItemKind::MicroLesson,
            "微课：三会一课入门",
            "看完短片后，回答两道小题巩固一下。",
        ),
    ] {
        let (html, text) = app::study::markdown::render(body);
        let item = insert_item(
            conn,
            &NewItem {
                kind,
                title,
                body_md: body,
                body_html: &html,
                body_text: &text,
                length_secs: 30,
                tags: &["视频".to_owned()],
                scope_org_id: None,
                required: false,
                due_on: None,
                author_id: Some(admin),
                publish: true,
                media_upload: Some(id),
                cover_upload: None,
                column_id: Some(column),
            },
        )
        .await
        .map_err(|e| format!("{e:?}"))?;
        if kind == ItemKind::MicroLesson {
            set_lesson_questions(conn, item, "三会一课", 2)
                .await
                .map_err(|e| format!("{e:?}"))?;
        }
    }
    sqlx::query("UPDATE study_items SET column_id = $1 WHERE title IN ('三会一课是什么', '组织关系转接怎么办')")
        .bind(column)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The demo organizations were founded in 2024, so that their branches can be star-rated
/// (six months old at least); 测试与质量党支部 was founded two months ago and is not rated yet.
/// Only the organizations the demo loader made (in its first minutes) are touched.
async fn founding_dates(conn: &mut PgConnection) -> Result<(), BoxError> {
    sqlx::query(
        "UPDATE orgs SET founded_on = CASE WHEN name = '测试与质量党支部' THEN current_date - 60
                                           ELSE DATE '2024-03-01' END
         WHERE created_at < (SELECT min(created_at) FROM orgs) + interval '5 minutes'
           AND founded_on = created_at::date",
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A demo account added after the first load, with the demo password: `None` when it is
/// there already (each is made once).
async fn named_user(
    conn: &mut PgConnection,
    username: &str,
    phone: &str,
    name: &str,
) -> Result<Option<UserId>, BoxError> {
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE username = $1)")
            .bind(username)
            .fetch_one(&mut *conn)
            .await?;
    if exists {
        return Ok(None);
    }
    let hash = app::auth::session::hash_password(PASSWORD.to_owned())
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok(Some(
        sqlx::query_scalar(
            "INSERT INTO users (username, phone, display_name, password_hash)
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(username)
        .bind(phone)
        .bind(name)
        .bind(hash)
        .fetch_one(&mut *conn)
        .await?,
    ))
}

/// Becoming a member, with something to show: birth dates for the generated members (born
/// mid-1998 to 2006, within the League's age), 林青 (`youth`, a
/// League member of 前端开发团支部 born 2001) and that branch's secretary 陈团
/// (`leaguesec`), this year's plan of 前端开发党支部 (three places) and one application
/// there, registered from paper with its talk. Made once.
async fn development(conn: &mut PgConnection) -> Result<(), BoxError> {
    use app::development::model::{NewStep, Stage, StepKind};
    use app::development::store::{NewStepRow, insert_case, insert_step, set_quota};
    let Some(youth) = named_user(conn, "youth", "13800138002", "林青").await? else {
        return Ok(());
    };
    let err = |e: app::error::AppError| format!("{e:?}");
    let leaguesec = named_user(conn, "leaguesec", "13800138003", "陈团")
        .await?
        .ok_or("leaguesec exists without youth")?;
    sqlx::query(
        "UPDATE users SET birth_date = CASE id WHEN $1 THEN DATE '2001-06-15' WHEN $2 THEN DATE '1999-03-02'
                                       ELSE DATE '1998-06-01' + (id * 7919 % 2900)::int END
         WHERE birth_date IS NULL",
    )
    .bind(youth)
    .bind(leaguesec)
    .execute(&mut *conn)
    .await?;
    let id_of = |name: &'static str| {
        sqlx::query_scalar::<_, i64>("SELECT id FROM orgs WHERE name = $1").bind(name)
    };
    let league = OrgId(id_of("前端开发团支部").fetch_one(&mut *conn).await?);
    let party = OrgId(id_of("前端开发党支部").fetch_one(&mut *conn).await?);
    join(conn, youth, league, MemberStatus::LeagueMember)
        .await
        .map_err(err)?;
    join(conn, leaguesec, league, MemberStatus::LeagueMember)
        .await
        .map_err(err)?;
    grant_role(conn, leaguesec, Role::Secretary, Some(league), None)
        .await
        .map_err(err)?;
    let staff = |login: &'static str| {
        sqlx::query_scalar::<_, UserId>("SELECT id FROM users WHERE username = $1").bind(login)
    };
    let secretary = staff("secretary").fetch_one(&mut *conn).await?;
    let orgadmin = staff("orgadmin").fetch_one(&mut *conn).await?;
    let year = chrono::Datelike::year(&app::time::day_of(chrono::Utc::now()));
    set_quota(conn, party, year, 3, orgadmin)
        .await
        .map_err(err)?;
    // The city's Party committee reads Party coverage; two small firms of the park are in
    // its joint Party branch.
    let city_party = OrgId(id_of("市互联网行业党委").fetch_one(&mut *conn).await?);
    let city = app::league::ledger::model::Area::city();
    app::league::founding::store::set_org_area(conn, city_party, Some(&city))
        .await
        .map_err(err)?;
    sqlx::query(
        "UPDATE enterprises SET party_joint_org_id = (SELECT id FROM orgs WHERE name = '科创园联合党支部')
         WHERE name IN ('微光互动网络工作室', '云杉软件有限公司')",
    )
    .execute(&mut *conn)
    .await?;
    // A young League member of the branch without a Party status applied on paper.
    let applicant: Option<UserId> = sqlx::query_scalar(
        "SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id AND m.ended_at IS NULL
         WHERE m.org_id = $1 AND m.status = 'league_member' AND u.username IS NULL
           AND u.birth_date BETWEEN '1999-01-01' AND '2005-01-01'
           AND NOT EXISTS (SELECT 1 FROM memberships p WHERE p.user_id = u.id AND p.tree = 'party' AND p.ended_at IS NULL)
         ORDER BY u.id LIMIT 1",
    )
    .bind(league)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(applicant) = applicant else {
        return Ok(());
    };
    join(conn, applicant, party, MemberStatus::Applicant)
        .await
        .map_err(err)?;
    let case = insert_case(
        conn,
        applicant,
        app::orgs::model::Tree::Party,
        party,
        Stage::Applicant,
    )
    .await
    .map_err(err)?
    .ok_or("a demo case exists")?;
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| e.to_string());
    for (seq, kind, on) in [
        (1, StepKind::Applied, day("2026-10-08")?),
        (2, StepKind::Talk, day("2026-10-20")?),
    ] {
        let step = NewStep::dated(kind, on);
        let row = NewStepRow {
            case_id: case,
            seq,
            step: &step,
            by: secretary,
            upload: None,
        };
        insert_step(conn, &row).await.map_err(err)?;
    }
    Ok(())
}

/// 赵一鸣 (`mover`), a member of 前端开发党支部 who is about to change jobs: the transfer
/// journey starts from this account so that the other demo accounts stay where they are.
/// Made once.
async fn mover(conn: &mut PgConnection) -> Result<(), BoxError> {
    let Some(id) = named_user(conn, "mover", "13800138000", "赵一鸣").await? else {
        return Ok(());
    };
    let branch: OrgId = sqlx::query_scalar("SELECT id FROM orgs WHERE name = '前端开发党支部'")
        .fetch_one(&mut *conn)
        .await?;
    join(conn, id, branch, MemberStatus::Full)
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok(())
}

/// Dues in 前端开发党支部 with something to show: its dues officer 孙丽 (`treasurer`), this
/// year's bases of its Party members, records opened as the branch's paper book had them
/// (most paid up to last month; 王小明 three months behind, one member seven), 李晓燕's
/// month paid in cash and an online payment waiting for confirmation. Made once.
async fn dues(conn: &mut PgConnection) -> Result<(), BoxError> {
    use app::dues::model::{Fen, Method, Month, PaymentState};
    let Some(treasurer) = named_user(conn, "treasurer", "13800138001", "孙丽").await? else {
        return Ok(());
    };
    let branch: OrgId = sqlx::query_scalar("SELECT id FROM orgs WHERE name = '前端开发党支部'")
        .fetch_one(&mut *conn)
        .await?;
    let err = |e: app::error::AppError| format!("{e:?}");
    join(conn, treasurer, branch, MemberStatus::Full)
        .await
        .map_err(err)?;
    grant_role(conn, treasurer, Role::DuesOfficer, Some(branch), None)
        .await
        .map_err(err)?;
    let now = Month::of(app::time::day_of(chrono::Utc::now()));
    // Bases of the year: incomes from 4,000 to 13,000 yuan; 王小明 8,000.
    sqlx::query(
        "INSERT INTO dues_bases (user_id, tree, year, category, base, declared_by)
         SELECT m.user_id, 'party', $2,
                'employed', CASE WHEN u.username = 'member' THEN 800000
                                 ELSE 400000 + (m.user_id % 10) * 100000 END, $3
           FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE m.org_id = $1 AND m.ended_at IS NULL AND m.status IN ('probationary', 'full')
            AND u.username IS DISTINCT FROM 'mover'",
    )
    .bind(branch)
    .bind(now.year())
    .bind(treasurer)
    .execute(&mut *conn)
    .await?;
    // Where the paper book left each record.
    sqlx::query(
        "INSERT INTO dues_openings (user_id, tree, paid_up_to, recorded_by, source)
         SELECT m.user_id, 'party',
                ($2::date - make_interval(months => CASE
                     WHEN u.username = 'member' THEN 3
                     WHEN u.username IS NULL AND row_number() OVER (
                              PARTITION BY u.username IS NULL ORDER BY m.user_id) = 2 THEN 8
                     ELSE 1 END))::date,
                $3, 'book'
           FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE m.org_id = $1 AND m.ended_at IS NULL AND m.status IN ('probationary', 'full')
            AND u.username IS DISTINCT FROM 'mover'",
    )
    .bind(branch)
    .bind(now.first_day())
    .bind(treasurer)
    .execute(&mut *conn)
    .await?;
    // 李晓燕 paid this month in cash; one member paid online and waits.
    let payers: Vec<(UserId, i64)> = sqlx::query_as(
        "SELECT b.user_id, b.base FROM dues_bases b JOIN users u ON u.id = b.user_id
           JOIN dues_openings o ON o.user_id = b.user_id AND o.tree = 'party'
          WHERE b.tree = 'party' AND (u.username = 'secretary' OR u.username IS NULL)
            AND o.paid_up_to = ($1::date - interval '1 month')::date
          ORDER BY u.username IS NULL, b.user_id LIMIT 2",
    )
    .bind(now.first_day())
    .fetch_all(&mut *conn)
    .await?;
    let party = app::dues::flow::rates_in_force(conn, Tree::Party, now)
        .await
        .map_err(err)?;
    for (i, (user, base)) in payers.into_iter().enumerate() {
        let amount = party.monthly(&app::dues::model::Base {
            category: app::dues::model::Category::Employed,
            base: Fen(base),
            extra: Fen(0),
        });
        let (method, state, by) = if i == 0 {
            (Method::Cash, PaymentState::Paid, treasurer)
        } else {
            (Method::Online, PaymentState::Pending, user)
        };
        app::dues::store::insert_payment(
            conn,
            &app::dues::store::NewPayment {
                user,
                tree: Tree::Party,
                org: branch,
                months: vec![(now, amount)],
                method,
                by,
                state,
            },
        )
        .await
        .map_err(err)?;
    }
    Ok(())
}

/// A transfer that has waited twelve days at 极光网络党委, so that the overdue board has
/// something to show: a member of 市场销售党支部 moving to 星云科技's 产品运营党支部, confirmed
/// by the branch two weeks ago. Made once.
async fn overdue_transfer(conn: &mut PgConnection) -> Result<(), BoxError> {
    use app::transfers::model::{Action, Destination, EventKind, steps};
    use app::transfers::store::{NewTransfer, chain, create, event};
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM transfers)")
        .fetch_one(&mut *conn)
        .await?;
    let ids: Option<(UserId, OrgId, OrgId)> = sqlx::query_as(
        "SELECT m.user_id, m.org_id, (SELECT id FROM orgs WHERE name = '产品运营党支部')
         FROM memberships m JOIN orgs o ON o.id = m.org_id
         WHERE o.name = '市场销售党支部' AND m.ended_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = m.user_id)
         ORDER BY m.user_id LIMIT 1",
    )
    .fetch_optional(&mut *conn)
    .await?;
    let (false, Some((user_id, from, to))) = (exists, ids) else {
        return Ok(());
    };
    let err = |e: app::error::AppError| format!("{e:?}");
    let from_chain = chain(conn, from).await.map_err(err)?;
    let to_chain = chain(conn, to).await.map_err(err)?;
    let steps = steps(&from_chain, &Destination::Branch(to_chain)).map_err(|m| format!("{m:?}"))?;
    let id = create(
        conn,
        &NewTransfer {
            user_id,
            tree: Tree::Party,
            from_org: from,
            to_org: Some(to),
            outside: None,
            reason: "入职星云科技有限公司产品运营部",
            dues_paid_to: chrono::NaiveDate::from_ymd_opt(2026, 10, 1).ok_or("date")?,
            started_by: user_id,
        },
        &steps,
    )
    .await
    .map_err(err)?;
    let secretary: UserId = sqlx::query_scalar(
        "SELECT user_id FROM role_grants WHERE org_id = $1 AND role = 'secretary' LIMIT 1",
    )
    .bind(from)
    .fetch_one(&mut *conn)
    .await?;
    event(
        conn,
        id,
        Some(0),
        secretary,
        EventKind::Acted(Action::Approve),
        "",
    )
    .await
    .map_err(err)?;
    sqlx::query(
        "UPDATE transfers SET current_step = 1, created_at = now() - interval '14 days',
                step_since = now() - interval '12 days' WHERE id = $1;",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE transfer_events SET at = now() - CASE WHEN action = 'start' THEN interval '14 days'
                                                    ELSE interval '12 days' END
         WHERE transfer_id = $1",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The city's admin follows 星云科技党委 as its instructor (named by the platform admin), so
/// that 我的 › 我跟进的 has something to show; once, and not again after it was ended.
async fn instructors(conn: &mut PgConnection) -> Result<(), BoxError> {
    sqlx::query(
        "INSERT INTO instructor_assignments (instructor_id, org_id, assigned_by)
         SELECT (SELECT id FROM users WHERE username = 'cityadmin'), o.id,
                (SELECT id FROM users WHERE username = 'admin')
         FROM orgs o
         WHERE o.name = '星云科技党委'
           AND NOT EXISTS (SELECT 1 FROM instructor_assignments i JOIN users u ON u.id = i.instructor_id
                           WHERE u.username = 'cityadmin')",
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// 星云科技党委 offers two rewards for points to its members until the end of next month:
/// a T-shirt and first choice of the youth hall's meeting room; the demo member signed in on
/// each of the 30 days before today, so that they have points to spend. Once.
async fn rewards(conn: &mut PgConnection) -> Result<(), BoxError> {
    let member: Option<UserId> =
        sqlx::query_scalar("SELECT id FROM users WHERE username = 'member'")
            .fetch_optional(&mut *conn)
            .await?;
    let now = chrono::Utc::now();
    for days in 1..=30 {
        if let Some(member) = member {
            app::points::store::award_sign_in(conn, member, now - chrono::Duration::days(days))
                .await
                .map_err(|e| format!("{e:?}"))?;
        }
    }
    sqlx::query(
        "INSERT INTO rewards (org_id, kind, title, description, cost, stock, per_member,
                              opens_at, closes_at, created_by)
         SELECT o.id, r.kind, r.title, r.description, r.cost, r.stock, r.per_member,
                date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai',
                (date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') + interval '2 months')
                    AT TIME ZONE 'Asia/Shanghai',
                (SELECT id FROM users WHERE username = 'orgadmin')
         FROM orgs o CROSS JOIN (VALUES
             ('item', '青年e家文化衫', '尺码随机，凭兑换记录到党群服务中心领取', 20, 30, 1),
             ('priority', '青年之家会议室优先预约', '周末场次优先安排一次', 10, 8, 2)
         ) AS r (kind, title, description, cost, stock, per_member)
         WHERE o.name = '星云科技党委'
           AND NOT EXISTS (SELECT 1 FROM rewards)",
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Two months of study before this one by the generated members of the company admin's
/// company, so that the dashboard, the boards and the bulletins of past months have
/// figures: on a member's study days (more of them in some branches than in others) half an
/// hour to an hour of reading and the daily quiz, its points through the ledger. Added once.
async fn study_history(conn: &mut PgConnection) -> Result<(), BoxError> {
    use app::points::model::{PointSource, RuleCode};
    use app::points::store::{NewAward, award};
    use app::reports::model::ReportPeriod;
    let today = app::time::day_of(chrono::Utc::now());
    let this_month = ReportPeriod::month_of(today).start();
    let from = ReportPeriod::month_of(today).previous().previous().start();
    let done: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM study_time WHERE day < $1)")
        .bind(this_month)
        .fetch_one(&mut *conn)
        .await?;
    if done {
        return Ok(());
    }
    let members: Vec<(UserId, OrgId)> = sqlx::query_as(
        "SELECT m.user_id, m.org_id FROM memberships m JOIN users u ON u.id = m.user_id
         JOIN orgs o ON o.id = m.org_id
         WHERE m.ended_at IS NULL AND m.mobile_home IS NULL AND u.username IS NULL
           AND o.path <@ (SELECT c.path FROM role_grants g JOIN users a ON a.id = g.user_id
                          JOIN orgs c ON c.id = g.org_id
                          WHERE a.username = 'orgadmin' AND g.role = 'org_admin' LIMIT 1)
         ORDER BY m.user_id, m.org_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut seen = std::collections::HashSet::new();
    for (i, (user, org)) in members.into_iter().enumerate() {
        if !seen.insert(user) {
            continue;
        }
        // Out of ten days, a member of this branch studies on 2 to 8.
        let keen = 2 + (org.0 % 4) * 2;
        let mut day = from;
        while day < this_month {
            let n = i as i64 * 7 + (day - from).num_days() * 3;
            if n % 10 < keen {
                let at = app::time::start_of(day).ok_or("a day without a start")?
                    + chrono::Duration::hours(12 + n % 8);
                let secs = 1800 + (n % 4) as i32 * 600;
                sqlx::query("INSERT INTO study_time (user_id, day, secs) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                    .bind(user)
                    .bind(day)
                    .bind(secs)
                    .execute(&mut *conn)
                    .await?;
                sqlx::query(
                    "INSERT INTO quiz_attempts (user_id, kind, quiz_key, question_ids, started_at, submitted_at, correct, total, points)
                     VALUES ($1, 'daily', $2, '{}', $3, $3 + interval '3 minutes', 4, 5, 2) ON CONFLICT DO NOTHING",
                )
                .bind(user)
                .bind(day.to_string())
                .bind(at)
                .execute(&mut *conn)
                .await?;
                let source = format!("demo-{day}");
                award(
                    conn,
                    &NewAward {
                        user_id: user,
                        rule: RuleCode::DailyQuiz,
                        units: 1,
                        source_kind: PointSource::DailyQuiz,
                        source_id: &source,
                        idempotency_key: &format!("demo-quiz:{user}:{day}"),
                        at,
                    },
                )
                .await
                .map_err(|e| format!("{e:?}"))?;
            }
            day = day.succ_opt().ok_or("the end of time")?;
        }
    }
    Ok(())
}

/// Half a year of organization life, so that calendars, records and the compliance page
/// have something to show: 前端开发党支部 and every third branch held everything, others
/// only some items and lately nothing, the rest nothing at all. Present: most of those
/// expected; the older records accepted. Once (skipped when any meeting exists).
async fn meetings(conn: &mut PgConnection) -> Result<(), BoxError> {
    use chrono::{Datelike, NaiveDate, TimeZone};
    let any: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM meetings)")
        .fetch_one(&mut *conn)
        .await?;
    if any {
        return Ok(());
    }
    let branches: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, tree FROM orgs WHERE kind = 'branch' ORDER BY tree, id")
            .fetch_all(&mut *conn)
            .await?;
    let shanghai = app::time::shanghai();
    let today = app::time::day_of(chrono::Utc::now());
    let month_names = [
        "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
    ];
    for (i, (org, name, tree)) in branches.iter().enumerate() {
        let pattern = if name == "前端开发党支部" {
            0
        } else {
            i % 3
        };
        if pattern == 2 {
            continue;
        }
        let party = tree == "party";
        let by: UserId = sqlx::query_scalar(
            "SELECT coalesce((SELECT user_id FROM role_grants WHERE org_id = $1 AND role = 'secretary' LIMIT 1),
                             (SELECT id FROM users WHERE username = 'admin'))",
        )
        .bind(org)
        .fetch_one(&mut *conn)
        .await?;
        for back in 1..=6u32 {
            if pattern == 1 && back <= 2 {
                continue;
            }
            let first = today.with_day(1).unwrap_or(today);
            let month = (0..back).fold(first, |d, _| {
                (d - chrono::Days::new(1)).with_day(1).unwrap_or(d)
            });
            let label = month_names[month.month0() as usize];
            let mut items = vec![
                (
                    "committee_meeting",
                    8,
                    if party { "支委会" } else { "团支委会" },
                ),
                (
                    "theme_day",
                    15,
                    if party {
                        "主题党日"
                    } else {
                        "主题团日"
                    },
                ),
            ];
            if pattern == 0 {
                items.push((
                    "group_meeting",
                    22,
                    if party {
                        "党小组会"
                    } else {
                        "团小组会"
                    },
                ));
                if month.month() % 3 == 2 {
                    items.push((
                        "general_meeting",
                        25,
                        if party {
                            "党员大会"
                        } else {
                            "团员大会"
                        },
                    ));
                    items.push(("lesson", 26, if party { "党课" } else { "团课" }));
                }
            }
            for (kind, day, what) in items {
                let Some(date) = NaiveDate::from_ymd_opt(month.year(), month.month(), day) else {
                    continue;
                };
                let Some(start) = date
                    .and_hms_opt(19, 0, 0)
                    .and_then(|t| shanghai.from_local_datetime(&t).single())
                else {
                    continue;
                };
                let start = start.with_timezone(&chrono::Utc);
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO meetings (org_id, kind, title, starts_at, ends_at, place, created_by, chair)
                     VALUES ($1, $2, $3, $4, $4 + interval '90 minutes', '星云大厦 3 楼会议室', $5,
                             (SELECT display_name FROM users WHERE id = $5))
                     RETURNING id",
                )
                .bind(org)
                .bind(kind)
                .bind(format!("{label}月{what}"))
                .bind(start)
                .bind(by)
                .fetch_one(&mut *conn)
                .await?;
                sqlx::query(
                    "INSERT INTO meeting_expected (meeting_id, user_id)
                     SELECT $1, user_id FROM memberships WHERE org_id = $2 AND ended_at IS NULL",
                )
                .bind(id)
                .bind(org)
                .execute(&mut *conn)
                .await?;
                sqlx::query(
                    "INSERT INTO meeting_attendance (meeting_id, user_id, how, at)
                     SELECT meeting_id, user_id, 'code', $2 FROM meeting_expected
                     WHERE meeting_id = $1 AND user_id % 5 <> 0",
                )
                .bind(id)
                .bind(start)
                .execute(&mut *conn)
                .await?;
                if back >= 2 {
                    sqlx::query(
                        "INSERT INTO meeting_records (meeting_id, version, minutes, resolutions, state, updated_by, updated_at)
                         VALUES ($1, 2, $2, '按计划推进。', 'accepted', $3, $4 + interval '2 days')",
                    )
                    .bind(id)
                    .bind(format!("{what}按议程进行，与会同志逐一发言，交流了学习体会。"))
                    .bind(by)
                    .bind(start)
                    .execute(&mut *conn)
                    .await?;
                }
            }
        }
    }
    Ok(())
}

/// The example question bank (the file shipped for admins to copy), when the bank is empty.
async fn questions(conn: &mut PgConnection) -> Result<(), BoxError> {
    let any: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM questions)")
        .fetch_one(&mut *conn)
        .await?;
    if any {
        return Ok(());
    }
    let text = include_str!("../../public/examples/question-bank.csv");
    let rows = app::uploads::sheet::csv_text_rows(text).map_err(|e| format!("{e:?}"))?;
    let parsed = app::quiz::model::parse_sheet(&rows).map_err(|e| format!("{e:?}"))?;
    let admin: UserId = sqlx::query_scalar("SELECT id FROM users WHERE username = 'admin'")
        .fetch_one(&mut *conn)
        .await?;
    app::quiz::store::import_questions(conn, &parsed, "question-bank.csv", admin)
        .await
        .map_err(|e| format!("{e:?}"))?
        .map_err(|e| format!("{e:?}"))?;
    Ok(())
}

async fn articles(conn: &mut PgConnection) -> Result<(), BoxError> {
    let any: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM study_items)")
        .fetch_one(&mut *conn)
        .await?;
    if any {
        return Ok(());
    }
    for (title, scope, required, tags, body) in ARTICLES {
        let scope_org_id: Option<OrgId> = match scope {
            Some(name) => Some(
                sqlx::query_scalar("SELECT id FROM orgs WHERE name = $1")
                    .bind(name)
                    .fetch_one(&mut *conn)
                    .await?,
            ),
            None => None,
        };
        let (html, text) = app::study::markdown::render(body);
        let tags = app::study::model::parse_tags(tags).map_err(|e| format!("{e:?}"))?;
        app::study::store::insert_item(
            conn,
            &app::study::store::NewItem {
                kind: app::study::model::ItemKind::Article,
                title,
                body_md: body,
                body_html: &html,
                body_text: &text,
                length_secs: app::study::model::estimated_reading_secs(&text) as i32,
                tags: &tags,
                scope_org_id,
                required: *required,
                due_on: None,
                author_id: None,
                publish: true,
                media_upload: None,
                cover_upload: None,
                column_id: None,
            },
        )
        .await
        .map_err(|e| format!("{e:?}"))?;
    }
    Ok(())
}

struct Demo<'a> {
    conn: &'a mut PgConnection,
    hash: String,
    next_phone: u32,
}

/// The branches of one tree, in creation order.
#[derive(Default)]
struct Branches(Vec<Org>);

impl Demo<'_> {
    async fn org(
        &mut self,
        tree: Tree,
        kind: OrgKind,
        name: &str,
        parent: Option<&Org>,
        enterprise_id: Option<i64>,
    ) -> Result<Org, BoxError> {
        let id = create_org(
            self.conn,
            &NewOrg {
                tree,
                kind,
                name,
                parent,
                enterprise_id,
            },
        )
        .await
        .map_err(|e| format!("{name}: {e:?}"))?;
        Ok(org(self.conn, id)
            .await
            .map_err(|e| format!("{e:?}"))?
            .ok_or("org vanished")?)
    }

    async fn enterprise(
        &mut self,
        name: &str,
        code17: &str,
        district: &str,
        street: &str,
    ) -> Result<i64, BoxError> {
        let code = CreditCode::with_check_char(code17).ok_or("bad demo credit code")?;
        Ok(sqlx::query_scalar(
            "INSERT INTO enterprises (name, credit_code, district, street) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(name)
        .bind(code.as_str())
        .bind(district)
        .bind(street)
        .fetch_one(&mut *self.conn)
        .await?)
    }

    async fn user(&mut self, name: &str, username: Option<&str>) -> Result<UserId, BoxError> {
        self.next_phone += 1;
        let phone = format!("1390000{:04}", self.next_phone);
        Ok(sqlx::query_scalar(
            "INSERT INTO users (username, phone, display_name, password_hash) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(username)
        .bind(phone)
        .bind(name)
        .bind(&self.hash)
        .fetch_one(&mut *self.conn)
        .await?)
    }

    async fn join(
        &mut self,
        user: UserId,
        branch: &Org,
        status: MemberStatus,
    ) -> Result<(), BoxError> {
        join(self.conn, user, branch.id, status)
            .await
            .map_err(|e| format!("{e:?}"))?;
        Ok(())
    }

    async fn grant(&mut self, user: UserId, role: Role, org: Option<&Org>) -> Result<(), BoxError> {
        grant_role(self.conn, user, role, org.map(|o| o.id), None)
            .await
            .map_err(|e| format!("{e:?}"))?;
        Ok(())
    }

    async fn invitation(
        &mut self,
        code: &str,
        branch: &Org,
        status: MemberStatus,
    ) -> Result<(), BoxError> {
        let code = InvitationCode::parse(code).map_err(|e| format!("{e:?}"))?;
        sqlx::query(
            "INSERT INTO invitations (code, org_id, status, expires_at, max_uses)
             VALUES ($1, $2, $3, now() + interval '90 days', 500)",
        )
        .bind(code.as_str())
        .bind(branch.id)
        .bind(status.as_str())
        .execute(&mut *self.conn)
        .await?;
        Ok(())
    }

    async fn build(&mut self) -> Result<(), BoxError> {
        let city_party = self
            .org(
                Tree::Party,
                OrgKind::IndustryCommittee,
                "市互联网行业党委",
                None,
                None,
            )
            .await?;
        let city_league = self
            .org(
                Tree::League,
                OrgKind::IndustryCommittee,
                "市互联网行业团委",
                None,
                None,
            )
            .await?;
        let mut party = Branches::default();
        let mut league = Branches::default();
        let mut company_orgs = Vec::new();

        for c in COMPANIES {
            let ent = self
                .enterprise(c.name, c.code17, c.district, c.street)
                .await?;
            for (tree, top, spec, out) in [
                (Tree::Party, &city_party, &c.party, &mut party),
                (Tree::League, &city_league, &c.league, &mut league),
            ] {
                let suffix = if tree == Tree::Party {
                    "党委"
                } else {
                    "团委"
                };
                let committee = self
                    .org(
                        tree,
                        OrgKind::Committee,
                        &format!("{}{suffix}", c.short),
                        Some(top),
                        Some(ent),
                    )
                    .await?;
                if !spec.0.is_empty() {
                    let general = self
                        .org(
                            tree,
                            OrgKind::GeneralBranch,
                            spec.0,
                            Some(&committee),
                            Some(ent),
                        )
                        .await?;
                    for name in spec.1 {
                        let b = self
                            .org(tree, OrgKind::Branch, name, Some(&general), Some(ent))
                            .await?;
                        out.0.push(b);
                    }
                }
                for name in spec.2 {
                    let b = self
                        .org(tree, OrgKind::Branch, name, Some(&committee), Some(ent))
                        .await?;
                    out.0.push(b);
                }
                company_orgs.push(committee);
            }
        }
        for (name, code17) in SMALL_FIRMS {
            self.enterprise(name, code17, "南山区", "粤海街道").await?;
        }
        let joint_party = self
            .org(
                Tree::Party,
                OrgKind::JointBranch,
                "科创园联合党支部",
                Some(&city_party),
                None,
            )
            .await?;
        let joint_league = self
            .org(
                Tree::League,
                OrgKind::JointBranch,
                "科创园联合团支部",
                Some(&city_league),
                None,
            )
            .await?;
        party.0.push(joint_party);
        league.0.push(joint_league);
        // A group inside the first branch, as the biggest branches have.
        let first = party.0[0].clone();
        self.org(
            Tree::Party,
            OrgKind::Group,
            "第一党小组",
            Some(&first),
            None,
        )
        .await?;
        self.org(
            Tree::Party,
            OrgKind::Group,
            "第二党小组",
            Some(&first),
            None,
        )
        .await?;

        // The named demo accounts.
        let admin = self.user("平台管理员", Some("admin")).await?;
        self.grant(admin, Role::PlatformAdmin, None).await?;
        let city = self.user("陈立群", Some("cityadmin")).await?;
        self.grant(city, Role::OrgAdmin, Some(&city_party)).await?;
        self.grant(city, Role::OrgAdmin, Some(&city_league)).await?;
        let company_admin = self.user("周建华", Some("orgadmin")).await?;
        self.grant(company_admin, Role::OrgAdmin, Some(&company_orgs[0]))
            .await?;
        self.grant(company_admin, Role::OrgAdmin, Some(&company_orgs[1]))
            .await?;
        self.join(company_admin, &party.0[0], MemberStatus::Full)
            .await?;
        let secretary = self.user("李晓燕", Some("secretary")).await?;
        self.join(secretary, &party.0[0], MemberStatus::Full)
            .await?;
        self.grant(secretary, Role::Secretary, Some(&party.0[0]))
            .await?;
        let member = self.user("王小明", Some("member")).await?;
        self.join(member, &party.0[0], MemberStatus::Full).await?;
        self.join(member, &league.0[0], MemberStatus::LeagueMember)
            .await?;

        // About 300 members spread over the branches; the first in each branch is its
        // secretary (the demo secretary already holds the first Party branch).
        let mut has_secretary = vec![false; party.0.len()];
        has_secretary[0] = true;
        let mut league_secretary = vec![false; league.0.len()];
        let mut seed: u64 = 0x5eed_2026;
        for i in 0..300usize {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let r = (seed >> 33) as usize;
            let name = format!(
                "{}{}",
                SURNAMES[r % SURNAMES.len()],
                GIVEN[(r / 7) % GIVEN.len()]
            );
            let uid = self.user(&name, None).await?;
            if i % 5 < 2 {
                let b = i % party.0.len();
                let status = match r % 20 {
                    0 => MemberStatus::Applicant,
                    1 => MemberStatus::Activist,
                    2 => MemberStatus::Candidate,
                    3 | 4 => MemberStatus::Probationary,
                    _ => MemberStatus::Full,
                };
                let branch = party.0[b].clone();
                self.join(uid, &branch, status).await?;
                if !has_secretary[b] && status == MemberStatus::Full {
                    self.grant(uid, Role::Secretary, Some(&branch)).await?;
                    has_secretary[b] = true;
                }
            }
            if i % 10 < 7 {
                let b = (i / 3) % league.0.len();
                let status = match r % 10 {
                    0 => MemberStatus::YoungEmployee,
                    1 => MemberStatus::LeagueActivist,
                    _ => MemberStatus::LeagueMember,
                };
                let branch = league.0[b].clone();
                self.join(uid, &branch, status).await?;
                if !league_secretary[b] && status == MemberStatus::LeagueMember {
                    self.grant(uid, Role::Secretary, Some(&branch)).await?;
                    league_secretary[b] = true;
                }
            }
        }
        self.areas(admin).await?;
        self.invitation(PARTY_CODE, &party.0[0], MemberStatus::Full)
            .await?;
        self.invitation(LEAGUE_CODE, &league.0[0], MemberStatus::LeagueMember)
            .await?;
        Ok(())
    }

    /// The city's League committees by area (the city, its districts, their streets) with a
    /// reviewer for each level, and the example enterprise ledger, so that founding
    /// applications have somewhere to go.
    async fn areas(&mut self, admin: UserId) -> Result<(), BoxError> {
        use app::league::ledger::model::{Area, AreaLevel};
        let city = self
            .org(Tree::League, OrgKind::Committee, "市团委", None, None)
            .await?;
        app::league::founding::store::set_org_area(self.conn, city.id, Some(&Area::city())).await?;
        let mut first_district = None;
        let mut first_street = None;
        for (district, streets) in AREAS {
            let d = self
                .org(
                    Tree::League,
                    OrgKind::Committee,
                    &format!("{district}团委"),
                    Some(&city),
                    None,
                )
                .await?;
            let area = Area {
                level: AreaLevel::District,
                district: (*district).to_owned(),
                street: String::new(),
            };
            app::league::founding::store::set_org_area(self.conn, d.id, Some(&area)).await?;
            for street in *streets {
                let name = format!("{}团工委", street);
                let s = self
                    .org(Tree::League, OrgKind::Committee, &name, Some(&d), None)
                    .await?;
                let area = Area {
                    level: AreaLevel::Street,
                    district: (*district).to_owned(),
                    street: (*street).to_owned(),
                };
                app::league::founding::store::set_org_area(self.conn, s.id, Some(&area)).await?;
                first_street.get_or_insert(s);
            }
            first_district.get_or_insert(d);
        }
        let (Some(district), Some(street)) = (first_district, first_street) else {
            return Err("no demo areas".into());
        };
        let reviewer = self.user("吴晓峰", Some("leagueadmin")).await?;
        self.grant(reviewer, Role::OrgAdmin, Some(&city)).await?;
        let reviewer = self.user("林海燕", Some("districtadmin")).await?;
        self.grant(reviewer, Role::OrgAdmin, Some(&district))
            .await?;
        let reviewer = self.user("黄思远", Some("streetadmin")).await?;
        self.grant(reviewer, Role::OrgAdmin, Some(&street)).await?;

        let rows =
            app::uploads::sheet::csv_text_rows(EXAMPLE_LEDGER).map_err(|e| format!("{e:?}"))?;
        let parsed =
            app::league::ledger::model::parse_ledger(&rows).map_err(|e| format!("{e:?}"))?;
        let rows: Vec<_> = parsed.into_iter().map(|(_, r)| r).collect();
        app::league::ledger::store::merge(self.conn, &rows, "enterprise-ledger.csv", admin)
            .await
            .map_err(|e| format!("{e:?}"))?;
        Ok(())
    }
}

/// The example ledger that ships in `public/examples`, imported into the demo.
const EXAMPLE_LEDGER: &str = include_str!("../../public/examples/enterprise-ledger.csv");

/// The demo city's districts and streets, each with its League committee.
const AREAS: &[(&str, &[&str])] = &[
    ("南山区", &["粤海街道", "西丽街道"]),
    ("福田区", &["沙头街道", "华富街道"]),
    ("宝安区", &["新安街道", "西乡街道"]),
];
