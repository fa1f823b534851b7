//! Server functions for dues: a member's dues page, declaring the year's base and paying
//! online; the branch's dues page, recording a payment, setting a base, settling a
//! payment; and a payment's receipt.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{Category, Fen, Method, Month, PaymentState};
use crate::error::AppError;
use crate::ids::{OrgId, UserId};
use crate::orgs::model::{MemberStatus, Tree};

/// A member's base of this year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseView {
    pub category: Category,
    pub base: Fen,
    pub extra: Fen,
    pub declared_by: String,
    pub declared_at: String,
    /// Why it was corrected, when it was.
    pub reason: Option<String>,
}

/// Where a member stands in one tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandingView {
    pub member: UserId,
    pub name: String,
    pub status: MemberStatus,
    pub tree: Tree,
    pub org_id: OrgId,
    pub org_name: String,
    pub month: Month,
    pub base: Option<BaseView>,
    /// This month's amount, and the rate it comes from (`1.5%`) for an income.
    pub monthly: Option<Fen>,
    pub rate: Option<String>,
    pub paid_up_to: Month,
    /// Where the next payment starts: the earliest unpaid month.
    pub first_unpaid: Month,
    /// Unpaid months before this one.
    pub behind: u32,
    /// Unpaid months before this one, in a row up to last month.
    pub unpaid_in_a_row: u32,
    /// Unpaid months up to this one, and what they cost (`None`: no base prices them yet).
    pub due_months: u32,
    pub due: Option<Fen>,
    /// The range of the fixed amount for students and members without income.
    pub fixed_range: (Fen, Fen),
}

/// A payment as the pages list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    pub id: i64,
    pub member: UserId,
    pub name: String,
    pub tree: Tree,
    pub org_name: String,
    pub first: Month,
    pub last: Month,
    pub months: u32,
    pub amount: Fen,
    pub method: Method,
    pub state: PaymentState,
    pub recorded_by: String,
    pub recorded_at: String,
    pub settled_by: Option<String>,
    pub settled_at: Option<String>,
    pub reason: Option<String>,
    pub receipt_no: Option<String>,
}

/// The viewer's dues in each tree where they pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyDuesView {
    pub trees: Vec<(StandingView, Vec<PaymentView>)>,
    /// The viewer collects a branch's dues: the page links to it.
    pub collects: bool,
    /// A payment provider collects online payments (else the branch confirms them).
    pub provider: bool,
}

/// A branch's dues for its collectors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchDuesView {
    pub org_id: OrgId,
    pub org_name: String,
    /// A branch (its members listed); else a committee (its figures only).
    pub is_branch: bool,
    pub month: Month,
    pub members: Vec<StandingView>,
    pub payments: Vec<PaymentView>,
}

/// An organization's dues figures for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryView {
    pub org_id: OrgId,
    pub org_name: String,
    pub year: i32,
    pub months: Vec<super::model::MonthTotals>,
    /// Each branch in the year's last month so far: (branch, name, figures).
    pub branches: Vec<(OrgId, String, super::model::MonthTotals)>,
}

#[cfg(feature = "ssr")]
impl From<super::flow::Account> for StandingView {
    fn from(a: super::flow::Account) -> Self {
        let now = a.standing.now;
        let table = a.pricing.table_for(now);
        let base_now = a.pricing.base_for(now).copied();
        let due = a.due();
        StandingView {
            member: a.payer.user_id,
            name: a.payer.name.clone(),
            status: a.payer.status,
            tree: a.payer.tree,
            org_id: a.payer.org_id,
            org_name: a.payer.org_name.clone(),
            month: now,
            monthly: a.pricing.month(now),
            rate: table.zip(base_now).and_then(|(t, b)| t.rate_text(&b)),
            paid_up_to: a.standing.paid_up_to(),
            first_unpaid: a.standing.first_free(),
            behind: a.standing.behind().len() as u32,
            unpaid_in_a_row: a.standing.unpaid_in_a_row(),
            due_months: a.standing.due().len() as u32,
            due,
            fixed_range: table.map_or((Fen(0), Fen(0)), |t| (Fen(t.fixed_min), Fen(t.fixed_max))),
            base: a.base.map(|b| BaseView {
                category: b.category,
                base: Fen(b.base),
                extra: Fen(b.extra),
                declared_by: b.declared_by_name,
                declared_at: crate::time::local_minute(b.declared_at),
                reason: b.reason,
            }),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<super::store::PaymentRow> for PaymentView {
    fn from(p: super::store::PaymentRow) -> Self {
        let first = Month::of(p.first_month);
        PaymentView {
            id: p.id,
            member: p.user_id,
            name: p.member_name,
            tree: p.tree,
            org_name: p.org_name,
            first,
            last: first.plus(p.months - 1),
            months: p.months as u32,
            amount: Fen(p.amount),
            method: p.method,
            state: p.state,
            recorded_by: p.recorded_by_name,
            recorded_at: crate::time::local_minute(p.recorded_at),
            settled_by: p.settled_by_name,
            settled_at: p.settled_at.map(crate::time::local_minute),
            reason: p.reason,
            receipt_no: p.receipt_no,
        }
    }
}

/// The viewer's dues: standing and latest payments in each tree where they pay.
#[server(endpoint = "my_dues")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn my_dues() -> Result<MyDuesView, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let mine = super::flow::my_dues(&mut tx, &actor, chrono::Utc::now()).await?;
    tx.commit().await?;
    Ok(MyDuesView {
        collects: super::flow::collects_somewhere(&actor),
        provider: use_context::<super::gateway::Gateway>().is_some(),
        trees: mine
            .into_iter()
            .map(|d| {
                let payments = d.payments.into_iter().map(PaymentView::from).collect();
                (StandingView::from(d.account), payments)
            })
            .collect(),
    })
}

/// The viewer declares this year's base in a tree: the category, the income (or the fixed
/// amount chosen) and a voluntary extra, in yuan. Once a year.
#[server(endpoint = "declare_dues_base")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn declare_dues_base(
    tree: String,
    category: String,
    base: String,
    extra: String,
) -> Result<(), AppError> {
    use crate::auth::session;
    let tree =
        Tree::parse(&tree).ok_or_else(|| AppError::invalid("tree", crate::error::Msg::Required))?;
    let form = super::flow::BaseForm {
        category,
        base,
        extra,
    };
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::declare_base(&mut tx, &actor, tree, &form, chrono::Utc::now()).await?;
    tx.commit().await?;
    Ok(())
}

/// The viewer pays `months` (1 to 12) months online from `from`, the earliest unpaid month
/// the page showed; the payment waits for the branch to confirm it.
#[server(endpoint = "pay_dues")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn pay_dues(tree: String, from: String, months: String) -> Result<(), AppError> {
    use crate::auth::session;
    let tree =
        Tree::parse(&tree).ok_or_else(|| AppError::invalid("tree", crate::error::Msg::Required))?;
    let ask = super::model::PayMonths::parse(&from, &months)
        .map_err(|m| AppError::invalid("months", m))?;
    let gateway = use_context::<super::gateway::Gateway>();
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let now = chrono::Utc::now();
    let ids = super::flow::pay_online(&mut tx, &actor, tree, ask, gateway.is_some(), now).await?;
    tx.commit().await?;
    if let Some(gateway) = gateway {
        let mut tx = session::begin().await?;
        super::flow::charge(&mut tx, &gateway, &ids).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// A branch's dues (`org` 0: the viewer's first branch), for its dues officer and those
/// who manage it.
#[server(endpoint = "branch_dues")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn branch_dues(org: OrgId) -> Result<BranchDuesView, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let b = super::flow::branch_dues(&mut tx, &actor, org, chrono::Utc::now()).await?;
    tx.commit().await?;
    Ok(BranchDuesView {
        org_id: b.org.id,
        is_branch: b.org.kind.is_branch() || !b.accounts.is_empty(),
        org_name: b.org.name,
        month: b.month,
        members: b.accounts.into_iter().map(StandingView::from).collect(),
        payments: b.payments.into_iter().map(PaymentView::from).collect(),
    })
}

/// The dues officer records `months` months from `from` a member paid in cash or by bank
/// transfer.
#[server(endpoint = "record_dues")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org, member)))]
pub async fn record_dues(
    org: OrgId,
    member: UserId,
    from: String,
    months: String,
    method: String,
) -> Result<(), AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    let ask = super::model::PayMonths::parse(&from, &months)
        .map_err(|m| AppError::invalid("months", m))?;
    let method =
        Method::parse(&method).ok_or_else(|| AppError::invalid("method", Msg::Required))?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::record_payment(
        &mut tx,
        &actor,
        org,
        member,
        ask,
        method,
        chrono::Utc::now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The dues officer declares a member's base of this year, or corrects it with a reason.
#[server(endpoint = "set_dues_base")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org, member)))]
pub async fn set_dues_base(
    org: OrgId,
    member: UserId,
    category: String,
    base: String,
    extra: String,
    reason: String,
) -> Result<(), AppError> {
    use crate::auth::session;
    let form = super::flow::BaseForm {
        category,
        base,
        extra,
    };
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let now = chrono::Utc::now();
    super::flow::set_base(&mut tx, &actor, org, member, &form, &reason, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Confirms or declines a pending payment, or reverses a paid one (`how`: confirm,
/// decline, reverse; declining and reversing say why).
#[server(endpoint = "settle_dues")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(payment)))]
pub async fn settle_dues(payment: i64, how: String, reason: String) -> Result<(), AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    let how =
        super::model::Settle::parse(&how).ok_or_else(|| AppError::invalid("how", Msg::Required))?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::settle(&mut tx, &actor, payment, how, &reason).await?;
    tx.commit().await?;
    Ok(())
}

/// A paid payment's receipt, for its member and the branch's collectors.
#[server(endpoint = "dues_receipt")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(payment)))]
pub async fn dues_receipt(payment: i64) -> Result<PaymentView, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let p = super::flow::receipt(&mut tx, &actor, payment).await?;
    tx.commit().await?;
    Ok(p.into())
}

/// An organization's dues figures for `year` (empty: this year): each month over everything
/// under it, and each branch in the year's last month so far.
#[server(endpoint = "dues_summary")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn dues_summary(org: OrgId, year: String) -> Result<SummaryView, AppError> {
    use crate::auth::session;
    let now = chrono::Utc::now();
    let year = match year.trim() {
        "" => chrono::Datelike::year(&crate::time::day_of(now)),
        y => y
            .parse()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| AppError::invalid("year", crate::error::Msg::BadRequest))?,
    };
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let s = super::flow::summary(&mut conn, &actor, org, year, now).await?;
    Ok(SummaryView {
        org_id: s.org.id,
        org_name: s.org.name,
        year: s.year,
        months: s.months,
        branches: s.branches,
    })
}

/// Every version of both trees' dues rates, newest first; for platform admins.
#[server(endpoint = "dues_rates")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn dues_rates() -> Result<Vec<(Tree, Month, super::model::RateTable)>, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    super::flow::rate_versions(&mut conn, &actor).await
}

/// A platform admin adds a version of the League's rates: fixed monthly amounts in yuan for
/// employed, retired, and students and members without income, from a month (`2027-01`).
#[server(endpoint = "add_league_rates")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn add_league_rates(
    from: String,
    employed: String,
    retired: String,
    fixed: String,
) -> Result<(), AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let form = [from.as_str(), &employed, &retired, &fixed];
    super::flow::add_league_rates(&mut tx, &actor, form, chrono::Utc::now()).await?;
    tx.commit().await?;
    Ok(())
}
