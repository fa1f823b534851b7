//! The workflow's server-side pieces shared by the server functions: view conversions,
//! who may act on a step, letters and notifications.

use chrono::NaiveDate;
use sqlx::PgConnection;

use super::api::{LetterView, TransferSummary};
use super::model::Status;
use crate::auth::model::Actor;
use crate::error::AppError;

pub fn summary(r: super::store::SummaryRow, today: NaiveDate) -> TransferSummary {
    use super::model::{days_pending, is_overdue};
    let open = r.status == Status::Open;
    TransferSummary {
        id: r.id,
        member: r.member,
        from: r.from_name,
        to: r.to_name,
        status: r.status,
        step: r.step.filter(|_| r.status.is_open()),
        holder: r.holder,
        days: if open {
            days_pending(r.since, today)
        } else {
            0
        },
        overdue: open && is_overdue(r.since, today),
    }
}

pub fn today() -> NaiveDate {
    crate::time::day_of(chrono::Utc::now())
}

pub fn letter_view(l: &super::store::LetterRow, today: NaiveDate) -> LetterView {
    LetterView {
        number: super::model::letter_number(l.year, l.seq),
        issuer: l.issuer.clone(),
        issued_on: l.issued_on.to_string(),
        valid_until: l.valid_until.to_string(),
        void: l.void,
        expired: today > l.valid_until,
        verify_code: l.verify_code.clone(),
    }
}

/// May the actor act on this step: a branch's secretary and committee for branch steps, the
/// committee's admins (and those above) for committee steps.
pub fn may_act(actor: &Actor, step: &super::store::StepRow) -> bool {
    if step.step.kind.held_by_branch() {
        actor.can_manage(&step.holder_path)
    } else {
        actor.can_administer(&step.holder_path)
    }
}

/// Tells the people who hold `step` that a transfer waits for them.
pub async fn notify_holders(
    conn: &mut PgConnection,
    id: i64,
    step: &super::model::Step,
) -> Result<(), AppError> {
    let member: String = sqlx::query_scalar(
        "SELECT u.display_name FROM transfers t JOIN users u ON u.id = t.user_id WHERE t.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let users =
        crate::notices::store::holders(conn, step.holder, step.kind.held_by_branch()).await?;
    crate::notices::store::notify(
        conn,
        &users,
        &crate::notices::model::Message::TransferTodo { name: member },
        &format!("/transfers/{id}"),
        &format!("transfer:{id}:{}", step.kind.as_str()),
    )
    .await
}

pub async fn issue(
    conn: &mut PgConnection,
    id: i64,
    issuer: i64,
    today: NaiveDate,
    until: NaiveDate,
) -> Result<super::store::LetterRow, AppError> {
    use rand::Rng;
    let idx: [u8; crate::auth::model::INVITATION_LEN] = rand::thread_rng().r#gen();
    let code = crate::auth::model::InvitationCode::from_indexes(idx);
    super::store::issue_letter(conn, id, issuer, today, until, code.as_str()).await
}

pub async fn notify_member(
    conn: &mut PgConnection,
    t: &super::store::TransferRow,
    status: Status,
    step: usize,
) -> Result<(), AppError> {
    crate::notices::store::notify(
        conn,
        &[t.user_id],
        &crate::notices::model::Message::TransferProgress { status },
        &format!("/transfers/{}", t.id),
        &format!("transfer:{}:{}:{}", t.id, status.as_str(), step),
    )
    .await
}

/// Organization and platform admins see the overdue board.
pub fn sees_overdue(actor: &Actor) -> bool {
    actor.is_platform_admin()
        || actor
            .grants
            .iter()
            .any(|g| g.role == crate::auth::model::Role::OrgAdmin)
}
