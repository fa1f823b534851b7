//! Dues use cases on the server: a member's standing and payments, declaring the year's
//! base, paying months online (through the payment provider, or held until the branch
//! confirms), the branch's dues page, recording cash or bank payments, correcting a base,
//! confirming, declining or reversing a payment, the provider's answers and notifications,
//! reminders and warnings, the figures by month and branch, and the League's rates.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::model::{
    Base, Fen, Method, Month, PayMonths, PaymentState, Pricing, Settle, Standing, parse_base,
    price, runs,
};
use super::store::{self, BaseRow, NewBase, NewPayment, PayerRow, PaymentRow};
use crate::auth::model::{Actor, Role};
use crate::error::{AppError, FieldError, Msg};
use crate::ids::{OrgId, UserId};
use crate::orgs::model::Tree;

/// Payments listed on a member's page and on a branch's.
const LIST: i64 = 30;

/// This month in Asia/Shanghai.
pub fn this_month(now: DateTime<Utc>) -> Month {
    Month::of(crate::time::day_of(now))
}

/// A payer's months and what prices them, with their current base of this year.
pub struct Account {
    pub payer: PayerRow,
    pub pricing: Pricing,
    pub standing: Standing,
    /// This year's base, as declared or corrected.
    pub base: Option<BaseRow>,
}

impl Account {
    /// What the unpaid months up to this one cost, or `None` when one has no base yet.
    pub fn due(&self) -> Option<Fen> {
        self.standing
            .due()
            .into_iter()
            .map(|m| self.pricing.month(m))
            .sum()
    }
}

/// The rate table versions of a tree as the model reads them.
async fn rates(
    conn: &mut PgConnection,
    tree: Tree,
) -> Result<Vec<(Month, super::model::RateTable)>, AppError> {
    Ok(store::rate_tables(conn, tree)
        .await?
        .into_iter()
        .map(|(from, t)| (Month::of(from), t.0))
        .collect())
}

/// The month a member's dues are paid up to by the record (confirmed payments only), when
/// their branch keeps their dues on the platform: what a transfer letter states.
pub async fn paid_up_to_on_record(
    conn: &mut PgConnection,
    user: UserId,
    tree: Tree,
    now: Month,
) -> Result<Option<Month>, AppError> {
    Ok(store::record(conn, user, tree).await?.map(|(since, paid)| {
        Standing {
            from: Month::of(since),
            now,
            held: paid.into_iter().map(Month::of).collect(),
        }
        .paid_up_to()
    }))
}

/// The table of a tree in force in a month.
pub async fn rates_in_force(
    conn: &mut PgConnection,
    tree: Tree,
    month: Month,
) -> Result<super::model::RateTable, AppError> {
    let pricing = Pricing {
        rates: rates(conn, tree).await?,
        bases: vec![],
    };
    pricing
        .table_for(month)
        .cloned()
        .ok_or_else(|| AppError::internal("no dues rate table"))
}

/// The accounts of some payers of one tree, in their order.
async fn accounts(
    conn: &mut PgConnection,
    payers: Vec<PayerRow>,
    tree: Tree,
    now: Month,
) -> Result<Vec<Account>, AppError> {
    let rates = rates(conn, tree).await?;
    let users: Vec<UserId> = payers.iter().map(|p| p.user_id).collect();
    let mut bases: HashMap<UserId, Vec<BaseRow>> = HashMap::new();
    for b in store::bases(conn, &users, tree).await? {
        bases.entry(b.user_id).or_default().push(b);
    }
    let mut held: HashMap<UserId, BTreeSet<Month>> = HashMap::new();
    for (u, m) in store::held_months(conn, &users, tree).await? {
        held.entry(u).or_default().insert(Month::of(m));
    }
    Ok(payers
        .into_iter()
        .map(|payer| {
            let mine = bases.remove(&payer.user_id).unwrap_or_default();
            let pricing = Pricing {
                rates: rates.clone(),
                bases: mine.iter().map(|b| (b.year, b.base())).collect(),
            };
            let base = mine.into_iter().find(|b| b.year == now.year());
            let standing = Standing {
                from: Month::of(payer.since),
                now,
                held: held.remove(&payer.user_id).unwrap_or_default(),
            };
            Account {
                payer,
                pricing,
                standing,
                base,
            }
        })
        .collect())
}

/// A member's dues in one tree, with their latest payments.
pub struct MyDues {
    pub account: Account,
    pub payments: Vec<PaymentRow>,
}

/// The actor's dues in each tree where they pay.
pub async fn my_dues(
    conn: &mut PgConnection,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<MyDues>, AppError> {
    let month = this_month(now);
    let mut out = vec![];
    for payer in store::payer_of(conn, actor.user_id).await? {
        let tree = payer.tree;
        let account = accounts(conn, vec![payer], tree, month)
            .await?
            .pop()
            .ok_or(AppError::NotFound)?;
        let payments = store::payments_of(conn, actor.user_id, tree, LIST).await?;
        out.push(MyDues { account, payments });
    }
    Ok(out)
}

/// The actor's own account in a tree; not paying dues there is not found.
async fn own_account(
    conn: &mut PgConnection,
    user: UserId,
    tree: Tree,
    now: Month,
) -> Result<Account, AppError> {
    let payer = store::payer_of(conn, user)
        .await?
        .into_iter()
        .find(|p| p.tree == tree)
        .ok_or(AppError::Conflict(Msg::DuesNotPayer))?;
    accounts(conn, vec![payer], tree, now)
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// A base as typed on a form.
pub struct BaseForm {
    pub category: String,
    pub base: String,
    pub extra: String,
}

/// Reads a base against the table in force this month.
fn read_base(account: &Account, form: &BaseForm) -> Result<Base, AppError> {
    let table = account
        .pricing
        .table_for(account.standing.now)
        .ok_or_else(|| AppError::internal("no dues rate table"))?;
    parse_base(&form.category, &form.base, &form.extra, table).map_err(AppError::Invalid)
}

/// The member declares this year's base; once a year (a second declaration is a conflict:
/// the dues officer corrects it with a reason).
pub async fn declare_base(
    conn: &mut PgConnection,
    actor: &Actor,
    tree: Tree,
    form: &BaseForm,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let month = this_month(now);
    let account = own_account(conn, actor.user_id, tree, month).await?;
    let base = read_base(&account, form)?;
    if account.base.is_some() {
        return Err(AppError::Conflict(Msg::DuesBaseDeclared));
    }
    store::insert_base(
        conn,
        &NewBase {
            user: actor.user_id,
            tree,
            year: month.year(),
            base,
            by: actor.user_id,
            replaces: None,
        },
    )
    .await?;
    Ok(())
}

/// Takes the asked months (the earliest free ones), priced, as payments of consecutive
/// months; returns their ids.
async fn pay(
    conn: &mut PgConnection,
    account: &Account,
    ask: PayMonths,
    method: Method,
    by: UserId,
) -> Result<Vec<i64>, AppError> {
    if account.standing.first_free() != ask.from {
        return Err(AppError::Conflict(Msg::DuesMonthPaid));
    }
    let months = account
        .standing
        .next_free(ask.months)
        .map_err(|m| AppError::invalid("months", m))?;
    let priced = price(&months, &account.pricing).map_err(|m| AppError::invalid("months", m))?;
    let state = if method == Method::Online {
        PaymentState::Pending
    } else {
        PaymentState::Paid
    };
    let mut ids = vec![];
    for run in runs(&priced) {
        let p = NewPayment {
            user: account.payer.user_id,
            tree: account.payer.tree,
            org: account.payer.org_id,
            months: run,
            method,
            by,
            state,
        };
        ids.push(store::insert_payment(conn, &p).await?);
    }
    Ok(ids)
}

/// The member pays months online. Without a provider (`by_provider` false) the payment
/// waits for the branch to confirm, and its collectors are told; its months are held
/// meanwhile.
pub async fn pay_online(
    conn: &mut PgConnection,
    actor: &Actor,
    tree: Tree,
    ask: PayMonths,
    by_provider: bool,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, AppError> {
    let account = own_account(conn, actor.user_id, tree, this_month(now)).await?;
    let ids = pay(conn, &account, ask, Method::Online, actor.user_id).await?;
    if !by_provider {
        let first = ids.first().copied().unwrap_or_default();
        tell_collectors(conn, account.payer.org_id, &account.payer.name, first).await?;
    }
    Ok(ids)
}

/// Tells a branch's dues officers (else those who run it) that a payment waits for them.
async fn tell_collectors(
    conn: &mut PgConnection,
    org: OrgId,
    name: &str,
    payment: i64,
) -> Result<(), AppError> {
    let mut collectors = store::officers(conn, org).await?;
    if collectors.is_empty() {
        collectors = crate::notices::store::holders(conn, org, true).await?;
    }
    crate::notices::store::notify(
        conn,
        &collectors,
        &crate::notices::model::Message::DuesToConfirm {
            name: name.to_owned(),
        },
        &format!("/orglife/dues?org={org}"),
        &format!("dues:{payment}"),
    )
    .await
}

/// May the actor collect a branch's dues: its dues officer, or whoever manages it.
async fn collecting(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
) -> Result<crate::orgs::store::Org, AppError> {
    let o = crate::orgs::store::org(conn, org)
        .await?
        .ok_or(AppError::NotFound)?;
    if !actor.can_collect_dues(&o.path) {
        return Err(AppError::Forbidden);
    }
    Ok(o)
}

/// The branch asked for, or (`0`) the first branch the actor serves.
fn branch_or_own(actor: &Actor, org: OrgId) -> Result<OrgId, AppError> {
    if org.0 != 0 {
        return Ok(org);
    }
    actor
        .grants
        .iter()
        .filter(|g| !matches!(g.role, Role::OrgAdmin | Role::PlatformAdmin))
        .find_map(|g| g.path.as_ref()?.0.last().copied())
        .map(OrgId)
        .ok_or(AppError::NotFound)
}

/// Whether the actor collects some branch's dues (as its dues officer, secretary or
/// committee member), for the link to the branch's dues page.
pub fn collects_somewhere(actor: &Actor) -> bool {
    branch_or_own(actor, OrgId(0)).is_ok()
}

/// A branch's dues as its collectors see them.
pub struct BranchDues {
    pub org: crate::orgs::store::Org,
    pub month: Month,
    pub accounts: Vec<Account>,
    pub payments: Vec<PaymentRow>,
}

/// A branch's members who pay dues with their standing, and its payments (pending first).
pub async fn branch_dues(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
    now: DateTime<Utc>,
) -> Result<BranchDues, AppError> {
    let org = collecting(conn, actor, branch_or_own(actor, org)?).await?;
    let month = this_month(now);
    let payers = store::payers_in(conn, org.id).await?;
    let mut accounts_all = vec![];
    for tree in Tree::ALL {
        let of_tree: Vec<PayerRow> = payers.iter().filter(|p| p.tree == tree).cloned().collect();
        if !of_tree.is_empty() {
            accounts_all.extend(accounts(conn, of_tree, tree, month).await?);
        }
    }
    let payments = store::payments_in(conn, org.id, LIST).await?;
    Ok(BranchDues {
        org,
        month,
        accounts: accounts_all,
        payments,
    })
}

/// A member's account in a branch the actor collects for.
async fn member_account(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
    member: UserId,
    now: DateTime<Utc>,
) -> Result<Account, AppError> {
    let org = collecting(conn, actor, org).await?;
    let payer = store::payers_in(conn, org.id)
        .await?
        .into_iter()
        .find(|p| p.user_id == member)
        .ok_or_else(|| AppError::invalid("member", Msg::DuesNotPayer))?;
    let tree = payer.tree;
    accounts(conn, vec![payer], tree, this_month(now))
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// The dues officer records months paid in cash or by bank transfer: paid at once, with
/// a receipt.
pub async fn record_payment(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
    member: UserId,
    ask: PayMonths,
    method: Method,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, AppError> {
    if method == Method::Online {
        return Err(AppError::invalid("method", Msg::Required));
    }
    let account = member_account(conn, actor, org, member, now).await?;
    pay(conn, &account, ask, method, actor.user_id).await
}

/// The dues officer declares a member's base of this year, or corrects it with a reason.
pub async fn set_base(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
    member: UserId,
    form: &BaseForm,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let account = member_account(conn, actor, org, member, now).await?;
    let base = read_base(&account, form)?;
    let replaces = match &account.base {
        None => None,
        Some(current) => {
            let reason = super::model::parse_reason(reason)
                .map_err(|m| AppError::Invalid(vec![FieldError::new("reason", m)]))?;
            Some((current.id, reason))
        }
    };
    store::insert_base(
        conn,
        &NewBase {
            user: member,
            tree: account.payer.tree,
            year: account.standing.now.year(),
            base,
            by: actor.user_id,
            replaces,
        },
    )
    .await?;
    Ok(())
}

/// Confirms or declines a pending payment, or reverses a paid one with a reason; for those
/// who collect the payment's branch. The member is told of a decline or a reversal.
pub async fn settle(
    conn: &mut PgConnection,
    actor: &Actor,
    payment: i64,
    how: Settle,
    reason: &str,
) -> Result<PaymentState, AppError> {
    let p = store::payment(conn, payment, true)
        .await?
        .ok_or(AppError::NotFound)?;
    if !actor.can_collect_dues(&p.org_path) {
        return Err(AppError::Forbidden);
    }
    let reason = if how.needs_reason() {
        Some(
            super::model::parse_reason(reason)
                .map_err(|m| AppError::Invalid(vec![FieldError::new("reason", m)]))?,
        )
    } else {
        None
    };
    let to = how.apply(p.state).map_err(AppError::Conflict)?;
    store::settle(conn, p.id, to, Some(actor.user_id), reason.as_deref()).await?;
    if to != PaymentState::Paid {
        tell_member(conn, &p, to).await?;
    }
    Ok(to)
}

/// Tells a member their payment was declined or reversed.
async fn tell_member(
    conn: &mut PgConnection,
    p: &PaymentRow,
    to: PaymentState,
) -> Result<(), AppError> {
    crate::notices::store::notify(
        conn,
        &[p.user_id],
        &crate::notices::model::Message::DuesSettled { state: to },
        "/me/dues",
        &format!("dues:{}:{}", p.id, to.as_str()),
    )
    .await
}

/// Asks the provider to collect the payments just made online, and records its answer:
/// paid, started (its notification follows), or refused (the months are free again). A
/// provider that cannot be reached leaves them waiting for the branch to confirm.
pub async fn charge(
    conn: &mut PgConnection,
    gateway: &super::gateway::Gateway,
    ids: &[i64],
) -> Result<(), AppError> {
    use super::gateway::{Charge, Order};
    for id in ids {
        let p = store::payment(conn, *id, true)
            .await?
            .ok_or(AppError::NotFound)?;
        if p.state != PaymentState::Pending || p.provider_ref.is_some() {
            continue;
        }
        let order = Order {
            payment: p.id,
            amount: Fen(p.amount),
            kind: match p.tree {
                Tree::Party => "DF",
                Tree::League => "TF",
            },
        };
        match gateway.0.charge(&order).await {
            Ok(Charge::Paid(r)) => store::provider_reference(conn, p.id, &r, true).await?,
            Ok(Charge::Waiting(r)) => store::provider_reference(conn, p.id, &r, false).await?,
            Ok(Charge::Refused(why)) => {
                let why = super::model::parse_reason(&why).unwrap_or_else(|_| "—".to_owned());
                store::settle(conn, p.id, PaymentState::Declined, None, Some(&why)).await?;
                tell_member(conn, &p, PaymentState::Declined).await?;
            }
            Err(e) => {
                tracing::error!(payment = p.id, error = %e, "the payment provider did not answer; the payment waits for the branch");
                tell_collectors(conn, p.org_id, &p.member_name, p.id).await?;
            }
        }
    }
    Ok(())
}

/// A provider's (verified) notification of a payment's result, recorded once: the same
/// notification again changes nothing; one that disagrees with what is recorded (another
/// reference, another amount, a payment no longer waiting) is a conflict.
pub async fn notified(
    conn: &mut PgConnection,
    n: &super::gateway::Notification,
) -> Result<(), AppError> {
    let p = store::payment(conn, n.payment, true)
        .await?
        .ok_or(AppError::NotFound)?;
    if n.amount != p.amount || p.provider_ref.as_deref().is_some_and(|r| r != n.reference) {
        return Err(AppError::Conflict(Msg::DuesProviderMismatch));
    }
    match (n.status.as_str(), p.state) {
        ("paid", PaymentState::Pending) => {
            store::provider_reference(conn, p.id, &n.reference, true).await
        }
        ("paid", PaymentState::Paid) if p.provider_ref.is_some() => Ok(()),
        ("refused", PaymentState::Pending) => {
            if p.provider_ref.is_none() {
                store::provider_reference(conn, p.id, &n.reference, false).await?;
            }
            store::settle(conn, p.id, PaymentState::Declined, None, Some("—")).await?;
            tell_member(conn, &p, PaymentState::Declined).await
        }
        ("refused", PaymentState::Declined) => Ok(()),
        ("paid" | "refused", _) => Err(AppError::Conflict(Msg::DuesAlreadySettled)),
        _ => Err(AppError::invalid("status", Msg::Required)),
    }
}

/// A payment's receipt, for its member and those who collect its branch; only once paid.
pub async fn receipt(
    conn: &mut PgConnection,
    actor: &Actor,
    payment: i64,
) -> Result<PaymentRow, AppError> {
    let p = store::payment(conn, payment, false)
        .await?
        .ok_or(AppError::NotFound)?;
    if p.user_id != actor.user_id && !actor.can_collect_dues(&p.org_path) {
        return Err(AppError::Forbidden);
    }
    if p.state != PaymentState::Paid {
        return Err(AppError::NotFound);
    }
    Ok(p)
}

/// From the 5th of a month, reminds each member behind with dues (once a month); and
/// warns the branch and its superior of each member with six or more unpaid months in a
/// row (Party constitution, article 9), once per run of unpaid months. Returns how many
/// members were reminded and how many warnings went out (including those sent before).
pub async fn run_alerts(
    conn: &mut PgConnection,
    today: chrono::NaiveDate,
) -> Result<(usize, usize), AppError> {
    use crate::notices::model::Message;
    use crate::notices::store::{holders, notify, notify_new};
    use chrono::Datelike;
    let now = Month::of(today);
    let mut held: HashMap<(UserId, Tree), BTreeSet<Month>> = HashMap::new();
    for (u, tree, m) in store::all_held(conn).await? {
        held.entry((u, tree)).or_default().insert(Month::of(m));
    }
    let (mut reminded, mut warned) = (0, 0);
    for p in store::all_payers(conn).await? {
        let s = Standing {
            from: Month::of(p.since),
            now,
            held: held.remove(&(p.user_id, p.tree)).unwrap_or_default(),
        };
        let behind = s.behind().len() as u32;
        if behind > 0 && today.day() >= 5 {
            let message = Message::DuesReminder {
                tree: p.tree,
                months: behind,
            };
            let key = format!("dues:remind:{}:{now}", p.tree.as_str());
            let told = notify_new(conn, &[p.user_id], &message, "/me/dues", &key).await?;
            crate::notices::flow::beyond_portal(conn, &told, &message, "/me/dues", Utc::now())
                .await?;
            reminded += 1;
        }
        let run = s.unpaid_in_a_row();
        if run >= super::model::MONTHS_TO_LAPSE {
            let org = crate::orgs::store::org(conn, p.org_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let mut to = holders(conn, org.id, true).await?;
            if let Some(parent) = org.parent_id {
                to.extend(holders(conn, parent, false).await?);
            }
            let message = Message::DuesLapse {
                name: p.name.clone(),
                months: run,
            };
            let start = now.plus(-(run as i32));
            let key = format!("dues:lapse:{}:{}:{start}", p.user_id, p.tree.as_str());
            let link = format!("/orglife/dues?org={}", org.id);
            notify(conn, &to, &message, &link, &key).await?;
            warned += 1;
        }
    }
    Ok((reminded, warned))
}

/// Dues figures of an organization and everything under it: each month of a year, and each
/// branch in the year's last month so far.
pub struct Summary {
    pub org: crate::orgs::store::Org,
    pub year: i32,
    pub months: Vec<super::model::MonthTotals>,
    /// (branch, its name, its figures).
    pub branches: Vec<(OrgId, String, super::model::MonthTotals)>,
}

/// The figures of an organization's dues for a year, for its collectors and the admins
/// above.
pub async fn summary(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
    year: i32,
    now: DateTime<Utc>,
) -> Result<Summary, AppError> {
    use super::model::{MonthTotals, months_of};
    let org = collecting(conn, actor, branch_or_own(actor, org)?).await?;
    let now = this_month(now);
    let months = months_of(year, now);
    let payers = store::payers_under(conn, org.id).await?;
    let mut totals: Vec<MonthTotals> = months.iter().map(|m| MonthTotals::new(*m)).collect();
    let mut branches: Vec<(OrgId, String, MonthTotals)> = vec![];
    for tree in Tree::ALL {
        let of_tree: Vec<PayerRow> = payers.iter().filter(|p| p.tree == tree).cloned().collect();
        if of_tree.is_empty() {
            continue;
        }
        let users: Vec<UserId> = of_tree.iter().map(|p| p.user_id).collect();
        let paid: HashMap<(UserId, Month), Fen> = store::paid_amounts(conn, &users, tree)
            .await?
            .into_iter()
            .map(|(u, m, a)| ((u, Month::of(m)), Fen(a)))
            .collect();
        for a in accounts(conn, of_tree, tree, now).await? {
            let (user, from) = (a.payer.user_id, a.standing.from);
            for t in &mut totals {
                t.add(
                    from,
                    a.pricing.month(t.month),
                    paid.get(&(user, t.month)).copied(),
                );
            }
            let Some(last) = months.last() else { continue };
            let at = match branches.iter().position(|b| b.0 == a.payer.org_id) {
                Some(i) => i,
                None => {
                    branches.push((
                        a.payer.org_id,
                        a.payer.org_name.clone(),
                        MonthTotals::new(*last),
                    ));
                    branches.len() - 1
                }
            };
            branches[at].2.add(
                from,
                a.pricing.month(*last),
                paid.get(&(user, *last)).copied(),
            );
        }
    }
    Ok(Summary {
        org,
        year,
        months: totals,
        branches,
    })
}

/// Every version of both trees' rates, newest first; for platform admins.
pub async fn rate_versions(
    conn: &mut PgConnection,
    actor: &Actor,
) -> Result<Vec<(Tree, Month, super::model::RateTable)>, AppError> {
    if !actor.is_platform_admin() {
        return Err(AppError::Forbidden);
    }
    Ok(store::all_rate_tables(conn)
        .await?
        .into_iter()
        .map(|(tree, from, t)| (tree, Month::of(from), t.0))
        .collect())
}

/// A platform admin adds a version of the League's rates (fixed monthly amounts), in force
/// from this month or later.
pub async fn add_league_rates(
    conn: &mut PgConnection,
    actor: &Actor,
    form: [&str; 4],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if !actor.is_platform_admin() {
        return Err(AppError::Forbidden);
    }
    let [from, employed, retired, fixed] = form;
    let (from, table) =
        super::model::parse_league_rates(from, employed, retired, fixed, this_month(now))
            .map_err(AppError::Invalid)?;
    store::insert_rate_table(conn, Tree::League, from.first_day(), &table, actor.user_id).await
}
