//! SQL for founding applications: matching against the ledger, the application and its
//! history, the reviewers' queue, founding the organization, and the outbox.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Row};

use super::model::{AppState, FoundingEvent, LedgerFacts, NewApplication};
use crate::error::{AppError, Msg};
use crate::i18n::Locale;
use crate::ids::{ApplicationId, OrgId, UserId};
use crate::league::ledger::model::{Area, AreaLevel};
use crate::notices::model::TextMessage;
use crate::orgs::model::OrgPath;

/// An application as stored, with the ledger's facts of the enterprise it matched.
pub struct ApplicationRow {
    pub id: ApplicationId,
    pub enterprise_name: String,
    pub credit_code: String,
    pub matched_by: Option<String>,
    pub district: String,
    pub street: String,
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub young_employees: i32,
    pub league_members: i32,
    pub secretary_name: String,
    pub secretary_phone: String,
    pub note: String,
    pub state: AppState,
    pub level: AreaLevel,
    pub org_id: Option<OrgId>,
    pub org_name: Option<String>,
    pub enterprise_id: Option<i64>,
    pub ledger: Option<LedgerFacts>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The language the application was filled in.
    pub locale: Locale,
}

/// A step of an application's history.
#[derive(sqlx::FromRow)]
pub struct EventRow {
    pub level: Option<AreaLevel>,
    pub action: FoundingEvent,
    pub message: String,
    pub by: Option<String>,
    pub at: DateTime<Utc>,
}

/// An application in a reviewer's areas.
#[derive(sqlx::FromRow)]
pub struct QueuedRow {
    pub id: ApplicationId,
    pub enterprise_name: String,
    pub district: String,
    pub street: String,
    pub state: AppState,
    pub level: AreaLevel,
    pub matched_by: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// A message of the outbox.
pub struct OutboxEntry {
    pub recipient: String,
    pub body: String,
    pub sent_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
    pub attempts: i32,
    pub error: String,
    pub created_at: DateTime<Utc>,
}

/// The ledger row an application matched, and how.
pub struct Matched {
    pub enterprise_id: i64,
    pub by: &'static str,
    pub name: String,
    pub district: String,
    pub street: String,
    pub address: String,
    pub deregistered: bool,
    pub has_org: bool,
}

/// Finds the enterprise by credit code, else by normalised name when exactly one operating
/// enterprise has it.
pub async fn match_ledger(
    conn: &mut PgConnection,
    credit_code: &str,
    name_key: &str,
) -> Result<Option<Matched>, AppError> {
    let sql = format!(
        "SELECT e.id, e.name, e.district, e.street, e.address, e.status = 'deregistered' AS deregistered,
                {HAS_LEAGUE_ORG} AS has_org
         FROM enterprises e WHERE e.credit_code = $1",
        HAS_LEAGUE_ORG = crate::league::ledger::store::HAS_LEAGUE_ORG
    );
    let row = sqlx::query(&sql)
        .bind(credit_code)
        .fetch_optional(&mut *conn)
        .await?;
    let (row, by) = match row {
        Some(r) => (Some(r), "code"),
        None if !name_key.is_empty() => {
            let sql = format!(
                "SELECT e.id, e.name, e.district, e.street, e.address, false AS deregistered,
                        {HAS_LEAGUE_ORG} AS has_org, count(*) OVER () AS n
                 FROM enterprises e WHERE e.name_key = $1 AND e.status = 'operating' LIMIT 2",
                HAS_LEAGUE_ORG = crate::league::ledger::store::HAS_LEAGUE_ORG
            );
            let rows = sqlx::query(&sql)
                .bind(name_key)
                .fetch_all(&mut *conn)
                .await?;
            (
                (rows.len() == 1).then(|| rows.into_iter().next()).flatten(),
                "name",
            )
        }
        None => (None, "name"),
    };
    Ok(row.map(|r| Matched {
        enterprise_id: r.get("id"),
        by,
        name: r.get("name"),
        district: r.get("district"),
        street: r.get("street"),
        address: r.get("address"),
        deregistered: r.get("deregistered"),
        has_org: r.get("has_org"),
    }))
}

/// The area committees for a district and street: each level present, with the committee.
pub async fn committees(
    conn: &mut PgConnection,
    district: &str,
    street: &str,
) -> Result<Vec<(AreaLevel, OrgId, OrgPath)>, AppError> {
    let rows = sqlx::query(
        "SELECT area_level, id, path::text AS path FROM orgs
         WHERE tree = 'league' AND (area_level = 'city'
            OR (area_level = 'district' AND district = $1)
            OR (area_level = 'street' AND district = $1 AND street = $2))",
    )
    .bind(district)
    .bind(street)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some((
                AreaLevel::parse(r.get("area_level"))?,
                r.get("id"),
                OrgPath::parse(r.get("path"))?,
            ))
        })
        .collect())
}

/// The districts and streets that have a League committee, for the form's choices.
pub async fn known_areas(conn: &mut PgConnection) -> Result<Vec<(String, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT district, street FROM orgs WHERE area_level IN ('district', 'street') AND tree = 'league'
         ORDER BY district, street",
    )
    .fetch_all(conn)
    .await?)
}

/// Stores a new application held at `level`, with what the applicant typed (the ledger's
/// district and street, when matched by code, route it); a second open one for the same
/// credit code is a conflict. The tracking token is kept as its hash only. `by_name` is a
/// ledger firm of the same name, kept only as a suggestion for the reviewers.
pub async fn insert(
    conn: &mut PgConnection,
    a: &NewApplication,
    matched: Option<&Matched>,
    by_name: Option<&Matched>,
    level: AreaLevel,
    token: &str,
) -> Result<ApplicationId, AppError> {
    let (district, street) = match matched {
        Some(m) => (m.district.as_str(), m.street.as_str()),
        None => (a.district.as_str(), a.street.as_str()),
    };
    sqlx::query_scalar(
        "INSERT INTO founding_applications
             (token_hash, enterprise_name, credit_code, enterprise_id, matched_by, district, street,
              address, contact_name, contact_phone, young_employees, league_members,
              secretary_name, secretary_phone, note, level, name_match_id, locale)
         VALUES (encode(sha256(convert_to($1, 'UTF8')), 'hex'), $2, $3, $4, $5, $6, $7, '', $8,
                 $9, $10, $11, $12, $13, $14, $15, $16, $17)
         RETURNING id",
    )
    .bind(token)
    .bind(&a.enterprise_name)
    .bind(a.credit_code.as_str())
    .bind(matched.map(|m| m.enterprise_id))
    .bind(matched.or(by_name).map(|m| m.by))
    .bind(district)
    .bind(street)
    .bind(&a.contact_name)
    .bind(a.contact_phone.as_str())
    .bind(a.young_employees)
    .bind(a.league_members)
    .bind(&a.secretary_name)
    .bind(a.secretary_phone.as_str())
    .bind(&a.note)
    .bind(level.as_str())
    .bind(by_name.map(|m| m.enterprise_id))
    .bind(a.locale.tag())
    .fetch_one(conn)
    .await
    .map_err(|e| match crate::error::unique_violation(&e).as_deref() {
        Some("founding_applications_open") => AppError::Conflict(Msg::ApplicationOpen),
        _ => e.into(),
    })
}

/// Whether the enterprise already has an application under review.
pub async fn open_for_enterprise(
    conn: &mut PgConnection,
    enterprise_id: i64,
) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM founding_applications
                        WHERE enterprise_id = $1 AND state IN ('reviewing', 'needs_info'))",
    )
    .bind(enterprise_id)
    .fetch_one(conn)
    .await?)
}

/// Records a step of an application's history.
pub async fn event(
    conn: &mut PgConnection,
    id: ApplicationId,
    level: Option<AreaLevel>,
    action: FoundingEvent,
    by: Option<UserId>,
    message: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO founding_events (application_id, level, action, by_user, message)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(level.map(AreaLevel::as_str))
    .bind(action)
    .bind(by)
    .bind(message)
    .execute(conn)
    .await?;
    Ok(())
}

const COLUMNS: &str = "a.id, a.enterprise_name, a.credit_code, a.enterprise_id, a.matched_by,
    a.district, a.street, a.address, a.contact_name, a.contact_phone, a.young_employees,
    a.league_members, a.secretary_name, a.secretary_phone, a.note, a.state, a.level, a.org_id,
    a.created_at, a.updated_at, a.locale,
    e.name AS l_name, e.credit_code AS l_code, e.address AS l_address, e.employees AS l_employees,
    e.young_employees AS l_young, e.party_members AS l_party, e.league_members AS l_league,
    e.status AS l_status, (SELECT name FROM orgs WHERE id = a.org_id) AS org_name";

fn application_row(r: &sqlx::postgres::PgRow) -> Result<ApplicationRow, AppError> {
    Ok(ApplicationRow {
        id: r.get("id"),
        enterprise_name: r.get("enterprise_name"),
        credit_code: r.get("credit_code"),
        matched_by: r.get("matched_by"),
        district: r.get("district"),
        street: r.get("street"),
        address: r.get("address"),
        contact_name: r.get("contact_name"),
        contact_phone: r.get("contact_phone"),
        young_employees: r.get("young_employees"),
        league_members: r.get("league_members"),
        secretary_name: r.get("secretary_name"),
        secretary_phone: r.get("secretary_phone"),
        note: r.get("note"),
        state: r.try_get("state")?,
        level: r.try_get("level")?,
        org_id: r.get("org_id"),
        org_name: r.get("org_name"),
        enterprise_id: r.get("enterprise_id"),
        ledger: r
            .get::<Option<String>, _>("l_name")
            .map(|name| LedgerFacts {
                name,
                credit_code: r.get("l_code"),
                address: r.get("l_address"),
                employees: r.get("l_employees"),
                young_employees: r.get("l_young"),
                party_members: r.get("l_party"),
                league_members: r.get("l_league"),
                deregistered: r.get::<String, _>("l_status") == "deregistered",
            }),
        created_at: r.get("created_at"),
        updated_at: r.get("updated_at"),
        locale: Locale::parse(r.get("locale")).unwrap_or_default(),
    })
}

/// An application by id; `lock` takes its row for the rest of the transaction.
pub async fn application(
    conn: &mut PgConnection,
    id: ApplicationId,
    lock: bool,
) -> Result<Option<ApplicationRow>, AppError> {
    if lock {
        sqlx::query("SELECT 1 FROM founding_applications WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    }
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM founding_applications a
         LEFT JOIN enterprises e ON e.id = coalesce(a.enterprise_id, a.name_match_id)
         WHERE a.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(application_row).transpose()
}

/// The application a tracking token belongs to.
pub async fn by_token(
    conn: &mut PgConnection,
    token: &str,
) -> Result<Option<ApplicationId>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM founding_applications
         WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')",
    )
    .bind(token)
    .fetch_optional(conn)
    .await?)
}

/// An application's history, oldest first, with the reviewers' names.
pub async fn events(conn: &mut PgConnection, id: ApplicationId) -> Result<Vec<EventRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT ev.level, ev.action, ev.message, ev.created_at AS at, u.display_name AS by
         FROM founding_events ev LEFT JOIN users u ON u.id = ev.by_user
         WHERE ev.application_id = $1 ORDER BY ev.id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?)
}

/// Moves an application to `state` at `level`.
pub async fn set_state(
    conn: &mut PgConnection,
    id: ApplicationId,
    state: AppState,
    level: AreaLevel,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE founding_applications SET state = $2, level = $3, updated_at = now() WHERE id = $1",
    )
    .bind(id)
    .bind(state.as_str())
    .bind(level.as_str())
    .execute(conn)
    .await?;
    Ok(())
}

/// The applications in the reviewer's areas, open ones first then the latest closed, with
/// how long each has waited since its last change (at most 200).
pub async fn queue(conn: &mut PgConnection, areas: &[Area]) -> Result<Vec<QueuedRow>, AppError> {
    let city = areas.iter().any(|a| a.level == AreaLevel::City);
    let districts: Vec<&str> = areas
        .iter()
        .filter(|a| a.level == AreaLevel::District)
        .map(|a| a.district.as_str())
        .collect();
    let (sd, ss): (Vec<&str>, Vec<&str>) = areas
        .iter()
        .filter(|a| a.level == AreaLevel::Street)
        .map(|a| (a.district.as_str(), a.street.as_str()))
        .unzip();
    Ok(sqlx::query_as(
        "SELECT id, enterprise_name, district, street, state, level, matched_by, updated_at
         FROM founding_applications a
         WHERE $1 OR a.district = ANY ($2)
            OR (a.district, a.street) IN (SELECT * FROM unnest($3::text[], $4::text[]))
         ORDER BY a.state NOT IN ('reviewing', 'needs_info'), a.updated_at
         LIMIT 200",
    )
    .bind(city)
    .bind(&districts)
    .bind(&sd)
    .bind(&ss)
    .fetch_all(conn)
    .await?)
}

/// Founds the organization of an approved application and marks the ledger: its own
/// branch under `parent`, or membership of the joint branch there (founded when missing).
/// An application without a ledger match adds the enterprise to the ledger first. Returns
/// the organization.
pub async fn found(
    conn: &mut PgConnection,
    app: &ApplicationRow,
    parent: &crate::orgs::store::Org,
    outcome: super::model::Outcome,
) -> Result<(OrgId, String), AppError> {
    use super::model::{Outcome, branch_name, joint_branch_name};
    use crate::orgs::model::{OrgKind, Tree};
    use crate::orgs::store::{NewOrg, create_org};
    let enterprise_id = match app.enterprise_id {
        Some(id) => id,
        None => sqlx::query_scalar(
            "INSERT INTO enterprises (name, name_key, credit_code, district, street, young_employees,
                                      league_members)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&app.enterprise_name)
        .bind(crate::league::ledger::model::name_key(&app.enterprise_name))
        .bind(&app.credit_code)
        .bind(&app.district)
        .bind(&app.street)
        .bind(app.young_employees)
        .bind(app.league_members)
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| match crate::error::unique_violation(&e) {
            Some(_) => AppError::Conflict(Msg::ApplicationHandled),
            None => e.into(),
        })?,
    };
    let (org_id, name) = match outcome {
        Outcome::OwnBranch => {
            // A firm matched by its code is named as the ledger has it.
            let firm = match (&app.ledger, app.enterprise_id) {
                (Some(l), Some(_)) => l.name.as_str(),
                _ => app.enterprise_name.as_str(),
            };
            let name = branch_name(firm);
            let id = create_org(
                conn,
                &NewOrg {
                    tree: Tree::League,
                    kind: OrgKind::Branch,
                    name: &name,
                    parent: Some(parent),
                    enterprise_id: Some(enterprise_id),
                },
            )
            .await?;
            (id, name)
        }
        Outcome::JointBranch => {
            // One joint branch per committee: the lock keeps two foundings from making two.
            sqlx::query("SELECT 1 FROM orgs WHERE id = $1 FOR UPDATE")
                .bind(parent.id)
                .execute(&mut *conn)
                .await?;
            let found: Option<(OrgId, String)> = sqlx::query_as(
                "SELECT id, name FROM orgs WHERE parent_id = $1 AND kind = 'joint_branch'
                 ORDER BY id LIMIT 1",
            )
            .bind(parent.id)
            .fetch_optional(&mut *conn)
            .await?;
            let (id, name) = match found {
                Some(f) => f,
                None => {
                    let name = joint_branch_name(&app.street, &app.district);
                    let id = create_org(
                        conn,
                        &NewOrg {
                            tree: Tree::League,
                            kind: OrgKind::JointBranch,
                            name: &name,
                            parent: Some(parent),
                            enterprise_id: None,
                        },
                    )
                    .await?;
                    (id, name)
                }
            };
            sqlx::query(
                "UPDATE enterprises SET joint_org_id = $2, updated_at = now() WHERE id = $1",
            )
            .bind(enterprise_id)
            .bind(id)
            .execute(&mut *conn)
            .await?;
            (id, name)
        }
    };
    sqlx::query(
        "UPDATE founding_applications SET state = 'approved', org_id = $2, enterprise_id = $3,
                updated_at = now()
         WHERE id = $1",
    )
    .bind(app.id)
    .bind(org_id)
    .bind(enterprise_id)
    .execute(conn)
    .await?;
    Ok((org_id, name))
}

/// Marks an invitation as making its user the secretary of its organization.
pub async fn invitation_makes_secretary(
    conn: &mut PgConnection,
    code: &str,
) -> Result<(), AppError> {
    sqlx::query("UPDATE invitations SET grants_role = 'secretary' WHERE code = $1")
        .bind(code)
        .execute(conn)
        .await?;
    Ok(())
}

/// The sign-up code that makes the secretary of an application's organization, while unused.
pub async fn secretary_invitation(
    conn: &mut PgConnection,
    org_id: OrgId,
) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT code FROM invitations
         WHERE org_id = $1 AND grants_role = 'secretary' AND used < max_uses AND expires_at > now()
         ORDER BY id DESC LIMIT 1",
    )
    .bind(org_id)
    .fetch_optional(conn)
    .await?)
}

/// Queues a text message for someone outside the portal, to be worded in `locale` when sent.
pub async fn queue_sms(
    conn: &mut PgConnection,
    to: &str,
    message: &TextMessage,
    locale: Locale,
) -> Result<(), AppError> {
    queue_secret_sms(conn, to, message, locale, None).await
}

/// Queues a text message with a secret (a one-time code) that is put into its text only when
/// it is sent, and forgotten then.
pub async fn queue_secret_sms(
    conn: &mut PgConnection,
    to: &str,
    message: &TextMessage,
    locale: Locale,
    secret: Option<&str>,
) -> Result<(), AppError> {
    let when = SmsTiming {
        secret,
        ..SmsTiming::default()
    };
    queue_sms_at(conn, to, message, locale, when).await
}

/// When a queued text message goes, and what it carries beside its words.
#[derive(Debug, Default, Clone, Copy)]
pub struct SmsTiming<'a> {
    /// A one-time code, put into the text only when it is sent.
    pub secret: Option<&'a str>,
    /// Not sent before (a reader's quiet hours, or the digest's hour).
    pub not_before: Option<DateTime<Utc>>,
    /// Held for this day's digest to its recipient.
    pub digest_day: Option<chrono::NaiveDate>,
}

/// Queues a text message, to be sent as `when` says.
pub async fn queue_sms_at(
    conn: &mut PgConnection,
    to: &str,
    message: &TextMessage,
    locale: Locale,
    when: SmsTiming<'_>,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO outbox (channel, recipient, message, locale, secret, not_before, digest_day)
         VALUES ('sms', $1, $2, $3, $4, $5, $6)",
    )
    .bind(to)
    .bind(sqlx::types::Json(message))
    .bind(locale.tag())
    .bind(when.secret)
    .bind(when.not_before)
    .bind(when.digest_day)
    .execute(conn)
    .await?;
    Ok(())
}

/// Reminders queued by text message to `to` since `since` (codes and invitations do not
/// count toward a day's digest).
pub async fn reminders_since(
    conn: &mut PgConnection,
    to: &str,
    since: DateTime<Utc>,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM outbox
         WHERE recipient = $1 AND created_at >= $2 AND message ? 'Reminder'",
    )
    .bind(to)
    .bind(since)
    .fetch_one(conn)
    .await?)
}

/// A text message due to be sent, claimed for the caller's transaction: one message, or a
/// day's digest of several reminders (`ids`) in one text.
#[derive(Debug)]
pub struct SmsDue {
    pub ids: Vec<i64>,
    pub to: String,
    pub text: String,
    /// Tries so far.
    pub attempts: i32,
}

/// The oldest text message due now, locked so that another server skips it. A digest is
/// claimed by its first message only (so two servers never split one), then all of its
/// messages, worded as one text.
pub async fn next_unsent(conn: &mut PgConnection) -> Result<Option<SmsDue>, AppError> {
    let Some(r) = sqlx::query(
        "SELECT id, recipient, body, message, locale, secret, attempts, digest_day FROM outbox o
         WHERE sent_at IS NULL AND failed_at IS NULL AND (not_before IS NULL OR not_before <= now())
           AND (digest_day IS NULL
                OR id = (SELECT min(g.id) FROM outbox g
                         WHERE g.recipient = o.recipient AND g.digest_day = o.digest_day
                           AND g.sent_at IS NULL AND g.failed_at IS NULL))
         ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let id: i64 = r.try_get("id")?;
    let to: String = r.try_get("recipient")?;
    let attempts = r.try_get("attempts")?;
    let day: Option<chrono::NaiveDate> = r.try_get("digest_day")?;
    let Some(day) = day else {
        let secret: Option<String> = r.try_get("secret")?;
        let text = worded(&r).replace("{code}", secret.as_deref().unwrap_or_default());
        return Ok(Some(SmsDue {
            ids: vec![id],
            to,
            text,
            attempts,
        }));
    };
    let rows = sqlx::query(
        "SELECT id, message FROM outbox
         WHERE recipient = $1 AND digest_day = $2 AND sent_at IS NULL AND failed_at IS NULL
         ORDER BY id FOR UPDATE",
    )
    .bind(&to)
    .bind(day)
    .fetch_all(&mut *conn)
    .await?;
    let (mut ids, mut reminders) = (vec![], vec![]);
    for row in rows {
        ids.push(row.try_get("id")?);
        let message: Option<sqlx::types::Json<TextMessage>> = row.try_get("message")?;
        if let Some(sqlx::types::Json(TextMessage::Reminder { message })) = message {
            reminders.push(*message);
        }
    }
    let locale = Locale::parse(r.try_get("locale")?).unwrap_or_default();
    Ok(Some(SmsDue {
        ids,
        to,
        text: crate::notices::model::sms_digest_text(&reminders, locale.strings()),
        attempts,
    }))
}

/// An outbox message's text: its key worded in its recipient's language, or the text of a
/// message queued before messages were kept as keys. A secret stays a placeholder.
fn worded(r: &sqlx::postgres::PgRow) -> String {
    let message: Option<sqlx::types::Json<TextMessage>> = r.get("message");
    let locale = Locale::parse(r.get("locale")).unwrap_or_default();
    match message {
        Some(m) => m.0.render(locale.strings()),
        None => r.get("body"),
    }
}

/// Records text messages as sent, their secret forgotten.
pub async fn sms_sent(conn: &mut PgConnection, ids: &[i64]) -> Result<(), AppError> {
    sqlx::query("UPDATE outbox SET sent_at = now(), error = '', secret = NULL WHERE id = ANY ($1)")
        .bind(ids)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records a failed try: tried again after `retry_in_secs`, or given up (`None`) and its
/// secret forgotten.
pub async fn sms_failed(
    conn: &mut PgConnection,
    ids: &[i64],
    error: &str,
    retry_in_secs: Option<i64>,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, error = $2,
             not_before = now() + make_interval(secs => COALESCE($3, 0)::float8),
             failed_at = CASE WHEN $3::bigint IS NULL THEN now() END,
             secret = CASE WHEN $3::bigint IS NULL THEN NULL ELSE secret END
         WHERE id = ANY ($1)",
    )
    .bind(ids)
    .bind(error)
    .bind(retry_in_secs)
    .execute(conn)
    .await?;
    Ok(())
}

/// The latest messages of the outbox, sent or waiting.
pub async fn outbox(conn: &mut PgConnection, limit: i64) -> Result<Vec<OutboxEntry>, AppError> {
    let rows = sqlx::query(
        "SELECT recipient, body, message, locale, sent_at, failed_at, attempts, error, created_at
         FROM outbox ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| OutboxEntry {
            recipient: r.get("recipient"),
            body: worded(r).replace("{code}", "******"),
            sent_at: r.get("sent_at"),
            failed_at: r.get("failed_at"),
            attempts: r.get("attempts"),
            error: r.get("error"),
            created_at: r.get("created_at"),
        })
        .collect())
}

/// Stores an invitation for an enterprise of the ledger to apply.
pub async fn invite_enterprise(
    conn: &mut PgConnection,
    enterprise_id: i64,
    code: &str,
    phone: &str,
    by: UserId,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "INSERT INTO enterprise_invitations (code, enterprise_id, phone, by_user)
         VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING",
    )
    .bind(code)
    .bind(enterprise_id)
    .bind(phone)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The enterprise an invitation code was sent to: name, credit code, district, street.
pub async fn invited_enterprise(
    conn: &mut PgConnection,
    code: &str,
) -> Result<Option<(String, String, String, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT e.name, e.credit_code, e.district, e.street
         FROM enterprise_invitations i JOIN enterprises e ON e.id = i.enterprise_id
         WHERE i.code = $1",
    )
    .bind(code)
    .fetch_optional(conn)
    .await?)
}

/// An enterprise of the ledger, for an invitation: name, district, street, whether it has
/// an organization, whether it is deregistered.
pub async fn enterprise_for_invitation(
    conn: &mut PgConnection,
    credit_code: &str,
) -> Result<Option<(i64, String, String, String, bool, bool)>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT e.id, e.name, e.district, e.street, {HAS_LEAGUE_ORG}, e.status = 'deregistered'
         FROM enterprises e WHERE e.credit_code = $1",
        HAS_LEAGUE_ORG = crate::league::ledger::store::HAS_LEAGUE_ORG
    ))
    .bind(credit_code)
    .fetch_optional(conn)
    .await?)
}

/// The area a League committee stands for.
pub async fn org_area(conn: &mut PgConnection, org_id: OrgId) -> Result<Option<Area>, AppError> {
    let row: Option<(Option<String>, String, String)> =
        sqlx::query_as("SELECT area_level, district, street FROM orgs WHERE id = $1")
            .bind(org_id)
            .fetch_optional(conn)
            .await?;
    Ok(row.and_then(|(level, district, street)| {
        Some(Area {
            level: AreaLevel::parse(level.as_deref()?)?,
            district,
            street,
        })
    }))
}

/// Sets or clears the area of a committee; an area another committee has is a conflict.
pub async fn set_org_area(
    conn: &mut PgConnection,
    org_id: OrgId,
    area: Option<&Area>,
) -> Result<(), AppError> {
    sqlx::query("UPDATE orgs SET area_level = $2, district = $3, street = $4 WHERE id = $1")
        .bind(org_id)
        .bind(area.map(|a| a.level.as_str()))
        .bind(area.map(|a| a.district.as_str()).unwrap_or(""))
        .bind(area.map(|a| a.street.as_str()).unwrap_or(""))
        .execute(conn)
        .await
        .map_err(|e| match crate::error::unique_violation(&e).as_deref() {
            Some("orgs_area") => AppError::Conflict(Msg::AreaTaken),
            _ => e.into(),
        })?;
    Ok(())
}
