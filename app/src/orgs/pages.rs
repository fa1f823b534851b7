//! The organization admin pages: the tree, and one organization with its roster,
//! invitations and role holders.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::{
    AssignRole, CreateOrg, IssueInvitation, MoveOrg, OrgDetailView, OrgNodeView, RenameOrg,
    RevokeRole, TreeView, branch_roster, org_detail, org_tree,
};
use super::model::{OrgKind, Tree, TreeItem, build_forest, filter_tree};
use crate::auth::model::Role;
use crate::error::AppError;
use crate::i18n::{Strings, use_t};
use crate::ids::OrgId;
use crate::ui::action_error;
use crate::ui::{AppLayout, Empty, ErrorState, Field, FormError, FormOk, Loading};

fn tree_from_query(s: Option<String>) -> Tree {
    s.as_deref().and_then(Tree::parse).unwrap_or(Tree::Party)
}

/// The tree of the organizations the caller looks after: collapsible, searchable.
#[component]
pub fn OrgTreePage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let tree = Memo::new(move |_| tree_from_query(query.read().get("tree")));
    let search = RwSignal::new(query.get_untracked().get("q").unwrap_or_default());
    let create = crate::ui::server_action::<CreateOrg>();
    let data = Resource::new(
        move || (tree.get(), create.version().get()),
        |(tree, _)| org_tree(tree.as_str().to_owned()),
    );

    view! {
        <AppLayout title=t.org_admin_title back="/me">
            <nav class="segmented" aria-label=t.tree_switch>
                {Tree::ALL
                    .into_iter()
                    .map(|tr| {
                        view! {
                            <a href=format!("/admin/orgs?tree={}", tr.as_str()) aria-current=move || if tree.get() == tr { "page" } else { "false" }>
                                {tr.label(t)}
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
            <form class="search" method="get" role="search">
                <input type="hidden" name="tree" value=move || tree.get().as_str() />
                <input
                    type="search"
                    name="q"
                    placeholder=t.search_orgs
                    aria-label=t.search_orgs
                    value=move || search.get()
                />
            </form>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(view) => view! { <TreeList view search=search.into() create /> }.into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn TreeList(
    view: TreeView,
    search: Signal<String>,
    create: ServerAction<CreateOrg>,
) -> impl IntoView {
    let t = use_t();
    let tree = view.tree;
    let nodes = view.nodes;
    let can_add_top = view.can_add_top;
    let list = move || {
        let q = search.get();
        let shown = filter_tree(&nodes, &q);
        if shown.is_empty() {
            return view! { <Empty text=if q.trim().is_empty() { t.no_orgs_in_tree } else { t.no_search_results } /> }.into_any();
        }
        let searching = !q.trim().is_empty();
        view! {
            <ul class="tree" role="tree">
                {build_forest(&shown).into_iter().map(|item| tree_item(item, tree, t, searching, 0)).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="card tree-card">{list}</section>
        {can_add_top.then(|| view! {
            <section class="card">
                <h2>{t.add_top_org}</h2>
                <AddOrgForm action=create tree parent_id=None kinds=OrgKind::children_of(None) />
            </section>
        })}
    }
}

/// One organization in the tree with, in a `<details>` that opens without JavaScript, the
/// ones under it. The top two levels shown start open, and everything does while searching.
fn tree_item(
    item: TreeItem<OrgNodeView>,
    tree: Tree,
    t: &'static Strings,
    searching: bool,
    level: u32,
) -> AnyView {
    let n = item.node;
    let below = t
        .tree_children
        .replace("{n}", &item.children.len().to_string());
    let line = view! {
        <A href=format!("/admin/orgs/{}", n.id) attr:class="tree-link">
            <span class="tree-name">{n.name}</span>
            <span class="tree-meta">
                {n.kind.label(tree, t)}
                {(n.members > 0).then(|| format!(" · {} {}", n.members, t.people))}
            </span>
        </A>
    };
    if item.children.is_empty() {
        return view! { <li role="treeitem" class="leaf">{line}</li> }.into_any();
    }
    let open = searching || level < 2;
    view! {
        <li role="treeitem">
            {line}
            // The toggle is its own control under the link, never around it.
            <details open=open>
                <summary class="tree-toggle">{below}</summary>
                <ul role="group">
                    {item.children.into_iter().map(|c| tree_item(c, tree, t, searching, level + 1)).collect_view()}
                </ul>
            </details>
        </li>
    }
    .into_any()
}

#[component]
fn AddOrgForm(
    action: ServerAction<CreateOrg>,
    tree: Tree,
    parent_id: Option<OrgId>,
    kinds: Vec<OrgKind>,
) -> impl IntoView {
    let t = use_t();
    let error = action_error(action);
    let done = Signal::derive(move || matches!(action.value().get(), Some(Ok(_))));
    view! {
        <ActionForm action attr:class="form" attr:novalidate=true>
            <FormOk show=done text=t.org_added />
            <FormError error />
            <input type="hidden" name="tree" value=tree.as_str() />
            <input type="hidden" name="parent_id" value=parent_id.map(|p| p.to_string()).unwrap_or_default() />
            <div class="field">
                <label for="f-kind">{t.field_kind}</label>
                <select id="f-kind" name="kind">
                    {kinds.into_iter().map(|k| view! { <option value=k.as_str()>{k.label(tree, t)}</option> }).collect_view()}
                </select>
            </div>
            <Field label=t.field_org_name name="name" error />
            <Field label=t.field_credit_code name="credit_code" hint=t.hint_credit_code error />
            <button type="submit" class="btn primary block" disabled=move || action.pending().get()>{t.add}</button>
        </ActionForm>
    }
}

/// One organization: where it sits, what is under it, its members, invitations and roles.
#[component]
pub fn OrgPage() -> impl IntoView {
    let t = use_t();
    let id = crate::ui::optional_id_param::<OrgId>();
    let create = crate::ui::server_action::<CreateOrg>();
    let rename = crate::ui::server_action::<RenameOrg>();
    let moved = crate::ui::server_action::<MoveOrg>();
    let invite = crate::ui::server_action::<IssueInvitation>();
    let assign = crate::ui::server_action::<AssignRole>();
    let revoke = crate::ui::server_action::<RevokeRole>();
    let detail = Resource::new(
        move || {
            (
                id.get(),
                create.version().get()
                    + rename.version().get()
                    + moved.version().get()
                    + invite.version().get()
                    + assign.version().get()
                    + revoke.version().get(),
            )
        },
        |(id, _)| async move {
            match id {
                Some(id) => org_detail(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let actions = OrgActions {
        create,
        rename,
        moved,
        invite,
        assign,
        revoke,
    };
    view! {
        <AppLayout title=t.org_detail_title back="/admin/orgs">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => view! { <OrgDetail d actions /> }.into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

#[derive(Clone, Copy)]
struct OrgActions {
    create: ServerAction<CreateOrg>,
    rename: ServerAction<RenameOrg>,
    moved: ServerAction<MoveOrg>,
    invite: ServerAction<IssueInvitation>,
    assign: ServerAction<AssignRole>,
    revoke: ServerAction<RevokeRole>,
}

#[component]
fn OrgDetail(d: OrgDetailView, actions: OrgActions) -> impl IntoView {
    let t = use_t();
    let tree = d.tree;
    let org = d.org.clone();
    let is_branch = org.kind.is_branch();
    view! {
        <section class="card">
            <nav class="crumbs" aria-label=t.breadcrumbs>
                <A href=format!("/admin/orgs?tree={}", tree.as_str())>{tree.label(t)}</A>
                {d.ancestors.clone().into_iter().map(|(id, name)| view! { " › " <A href=format!("/admin/orgs/{id}")>{name}</A> }).collect_view()}
            </nav>
            <h2 class="org-title">{org.name.clone()}</h2>
            <p class="muted">
                {org.kind.label(tree, t)}
                {org.enterprise.clone().map(|e| format!(" · {e}"))}
                {format!(" · {} {}", org.members, t.people)}
                {(org.mobile > 0).then(|| t.mobile_count.replace("{n}", &org.mobile.to_string()))}
            </p>
            <A href=format!("/orglife/dues?org={}", org.id) attr:class="row link">{t.dues_branch_title}<span aria-hidden="true">"›"</span></A>
            <A href=format!("/orglife/development?org={}", org.id) attr:class="row link">{t.dev_branch_title}<span aria-hidden="true">"›"</span></A>
            <A href=format!("/orglife/robots?org={}", org.id) attr:class="row link">{t.robots_title}<span aria-hidden="true">"›"</span></A>
            {d.can_administer.then(|| view! { <A href=format!("/points/rewards/manage?org={}", org.id) attr:class="row link">{t.rewards_manage_link}<span aria-hidden="true">"›"</span></A> })}
        </section>
        {(!d.children.is_empty()).then(|| view! {
            <section class="card">
                <h2>{t.sub_orgs}</h2>
                {d.children.clone().into_iter().map(|c| view! {
                    <A href=format!("/admin/orgs/{}", c.id) attr:class="row link">
                        <span>{c.name.clone()} <span class="muted small block">{c.kind.label(tree, t)} {format!(" · {} {}", c.members, t.people)}</span></span>
                        <span aria-hidden="true">"›"</span>
                    </A>
                }).collect_view()}
            </section>
        })}
        {is_branch.then(|| view! { <Roster id=org.id /> })}
        {is_branch.then(|| view! { <RequiredCompletion id=org.id /> })}
        {is_branch.then(|| view! { <Invitations d=d.clone() action=actions.invite /> })}
        <Roles d=d.clone() assign=actions.assign revoke=actions.revoke />
        {d.can_administer.then(|| view! { <AdminForms d=d.clone() actions /> })}
        {d.can_administer.then(|| view! { <crate::instructors::components::InstructorsSection org=Some(org.id) application=None /> })}
        {(tree == crate::orgs::model::Tree::League && org.kind == crate::orgs::model::OrgKind::Committee)
            .then(|| view! { <crate::league::founding::pages::AreaSetting org_id=org.id /> })}
    }
}

/// Which members have not yet completed the branch's required study items.
#[component]
fn RequiredCompletion(id: OrgId) -> impl IntoView {
    let t = use_t();
    let progress = Resource::new(move || id, crate::study::api::branch_required_progress);
    let remind = ServerAction::<crate::notices::api::RemindRequired>::new();
    let remind_error = action_error(remind);
    view! {
        <section class="card">
            <h2>{t.required_completion}</h2>
            <FormError error=remind_error />
            {move || remind.value().get().and_then(Result::ok).map(|n| view! {
                <div class="alert ok" role="status">
                    {if n > 0 { t.reminded.replace("{n}", &n.to_string()) } else { t.reminded_already.to_owned() }}
                </div>
            })}
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match progress.await {
                        Ok(rows) if rows.is_empty() => view! { <Empty text=t.no_required_items /> }.into_any(),
                        Ok(rows) => rows.into_iter().map(|r| {
                            let percent = (r.done * 100).checked_div(r.total).unwrap_or(100);
                            let missing = if r.missing.is_empty() { t.everyone_done.to_owned() } else { format!("{}{}", t.not_yet_done, r.missing.join("、")) };
                            view! {
                                <div class="progress-row">
                                    <div class="progress-text">
                                        <span class="progress-name">{r.title}</span>
                                        <span class="muted small block">{r.due_on.map(|d| format!("{} {d} · ", t.due))}{missing}</span>
                                        {(!r.missing.is_empty()).then(|| view! {
                                            <ActionForm action=remind>
                                                <input type="hidden" name="org_id" value=id />
                                                <input type="hidden" name="item_id" value=r.item_id />
                                                <button type="submit" class="btn small" disabled=move || remind.pending().get()>{t.remind}</button>
                                            </ActionForm>
                                        })}
                                    </div>
                                    <div class="progress-meter">
                                        <span class="progress-count">{format!("{}/{}", r.done, r.total)}</span>
                                        <span class="bar"><span style=format!("width:{percent}%")></span></span>
                                    </div>
                                </div>
                            }
                        }).collect_view().into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Roster(id: OrgId) -> impl IntoView {
    let t = use_t();
    let roster = Resource::new(move || id, branch_roster);
    let reset = crate::ui::server_action::<crate::auth::recovery::api::IssueResetCode>();
    let reset_error = action_error(reset);
    let issued = move || {
        reset.value().get().and_then(Result::ok).map(|c| {
            t.reset_code_issued
                .replace("{name}", &c.name)
                .replace("{code}", &c.code)
                .replace("{hours}", &c.hours.to_string())
        })
    };
    view! {
        <section class="card">
            <h2>{t.roster}</h2>
            {move || issued().map(|text| view! { <div class="alert ok" role="status" data-testid="reset-code">{text}</div> })}
            <FormError error=reset_error />
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match roster.await {
                        Ok(rows) if rows.is_empty() => view! { <Empty text=t.roster_empty /> }.into_any(),
                        Ok(rows) => view! {
                            <table class="table">
                                <thead><tr><th>{t.col_name}</th><th>{t.col_status}</th><th>{t.col_since}</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| view! {
                                        <tr>
                                            <td>{r.display_name}<span class="muted small block">{r.phone}</span></td>
                                            <td>
                                                {r.status.label(t)}
                                                {r.mobile_home.map(|home| view! {
                                                    <span class="tag warn" data-testid="mobile-member">{t.mobile_member}</span>
                                                    <span class="muted small block">{t.mobile_home.replace("{home}", &home)}</span>
                                                })}
                                                <a class="small block" href=format!("/transfers/new?tree={}&member={}", r.status.tree().as_str(), r.user_id)>{t.transfer_for_member}</a>
                                                <ActionForm action=reset>
                                                    <input type="hidden" name="org" value=id.to_string() />
                                                    <input type="hidden" name="member" value=r.user_id.to_string() />
                                                    <button type="submit" class="link-button small">{t.issue_reset_code}</button>
                                                </ActionForm>
                                            </td>
                                            <td class="nowrap">{r.since}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Invitations(d: OrgDetailView, action: ServerAction<IssueInvitation>) -> impl IntoView {
    let t = use_t();
    let error = action_error(action);
    let issued = move || action.value().get().and_then(Result::ok);
    let org_id = d.org.id;
    view! {
        <section class="card">
            <h2>{t.invitations}</h2>
            <p class="muted small">{t.invitations_lead}</p>
            {move || issued().map(|code| view! {
                <div class="alert ok" role="status">
                    {t.invitation_issued} " " <strong class="code">{code.clone()}</strong>
                    <span class="block small">{t.invitation_link} " " <code>{format!("/signup?code={code}")}</code></span>
                </div>
            })}
            <ActionForm action attr:class="form inline-form" attr:novalidate=true>
                <FormError error />
                <input type="hidden" name="org_id" value=org_id />
                <div class="field">
                    <label for="f-status">{t.field_status}</label>
                    <select id="f-status" name="status">
                        {d.statuses.iter().map(|s| view! { <option value=s.as_str()>{s.label(t)}</option> }).collect_view()}
                    </select>
                </div>
                <Field label=t.field_days name="days" kind="number" inputmode="numeric" value="30".to_owned() error />
                <Field label=t.field_uses name="uses" kind="number" inputmode="numeric" value="50".to_owned() error />
                <button type="submit" class="btn primary block">{t.issue_invitation}</button>
            </ActionForm>
            {if d.invitations.is_empty() {
                view! { <Empty text=t.no_invitations /> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead><tr><th>{t.col_code}</th><th>{t.col_used}</th><th>{t.col_expires}</th></tr></thead>
                        <tbody>
                            {d.invitations.into_iter().map(|i| {
                                let dim = i.expired || i.used >= i.max_uses;
                                view! {
                                <tr class:dim=dim>
                                    <td><span class="code">{i.code}</span><span class="muted small block">{i.status.label(t)}</span></td>
                                    <td>{format!("{}/{}", i.used, i.max_uses)}</td>
                                    <td class="nowrap">{if i.expired { t.expired.to_owned() } else { i.expires }}</td>
                                </tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Roles(
    d: OrgDetailView,
    assign: ServerAction<AssignRole>,
    revoke: ServerAction<RevokeRole>,
) -> impl IntoView {
    let t = use_t();
    let error = action_error(assign);
    let revoke_error = action_error(revoke);
    let org_id = d.org.id;
    let kind = d.org.kind;
    let can_administer = d.can_administer;
    view! {
        <section class="card">
            <h2>{t.role_holders}</h2>
            <FormError error=revoke_error />
            {if d.roles.is_empty() {
                view! { <Empty text=t.no_role_holders /> }.into_any()
            } else {
                d.roles.into_iter().map(|r| view! {
                    <div class="row">
                        <span>{r.display_name} <span class="muted small block">{r.role.label(t)}</span></span>
                        {can_administer.then(|| view! {
                            <ActionForm action=revoke>
                                <input type="hidden" name="grant_id" value=r.grant_id />
                                <button type="submit" class="btn small">{t.revoke}</button>
                            </ActionForm>
                        })}
                    </div>
                }).collect_view().into_any()
            }}
            {can_administer.then(|| view! {
                <ActionForm action=assign attr:class="form" attr:novalidate=true>
                    <FormError error />
                    <input type="hidden" name="org_id" value=org_id />
                    <Field label=t.field_assignee name="login" hint=t.hint_login error />
                    <div class="field">
                        <label for="f-role">{t.field_role}</label>
                        <select id="f-role" name="role">
                            {Role::ASSIGNABLE.into_iter().filter(|r| r.fits(kind)).map(|r| view! { <option value=r.as_str()>{r.label(t)}</option> }).collect_view()}
                        </select>
                    </div>
                    <button type="submit" class="btn primary block">{t.assign_role}</button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn AdminForms(d: OrgDetailView, actions: OrgActions) -> impl IntoView {
    let t = use_t();
    let org_id = d.org.id;
    let rename_error = action_error(actions.rename);
    let move_error = action_error(actions.moved);
    let renamed = Signal::derive(move || matches!(actions.rename.value().get(), Some(Ok(()))));
    let moved = Signal::derive(move || matches!(actions.moved.value().get(), Some(Ok(()))));
    let current_name = d.org.name.clone();
    let parent_candidates =
        Resource::new(move || d.tree, |tree| org_tree(tree.as_str().to_owned()));
    let kind = d.org.kind;
    let current_parent = d.org.parent_id;
    view! {
        {(!d.child_kinds.is_empty()).then(|| view! {
            <section class="card">
                <h2>{t.add_sub_org}</h2>
                <AddOrgForm action=actions.create tree=d.tree parent_id=Some(org_id) kinds=d.child_kinds.clone() />
            </section>
        })}
        <section class="card">
            <h2>{t.rename_org}</h2>
            <ActionForm action=actions.rename attr:class="form" attr:novalidate=true>
                <FormOk show=renamed text=t.saved />
                <FormError error=rename_error />
                <input type="hidden" name="id" value=org_id />
                <Field label=t.field_org_name name="name" value=current_name error=rename_error />
                <button type="submit" class="btn primary block">{t.save}</button>
            </ActionForm>
        </section>
        {current_parent.map(|current_parent| view! {
            <section class="card">
                <h2>{t.move_org}</h2>
                <p class="muted small">{t.move_org_lead}</p>
                <ActionForm action=actions.moved attr:class="form" attr:novalidate=true>
                    <FormOk show=moved text=t.saved />
                    <FormError error=move_error />
                    <input type="hidden" name="id" value=org_id />
                    <div class="field">
                        <label for="f-parent">{t.field_new_parent}</label>
                        <Suspense fallback=Loading>
                            {move || Suspend::new(async move {
                                let nodes = parent_candidates.await.map(|v| v.nodes).unwrap_or_default();
                                view! {
                                    <select id="f-parent" name="parent_id">
                                        {nodes
                                            .into_iter()
                                            .filter(|n| n.id != org_id && kind.allowed_under(Some(n.kind)))
                                            .map(|n| {
                                                let selected = n.id == current_parent;
                                                let indent = "\u{3000}".repeat(n.depth.saturating_sub(1) as usize);
                                                view! { <option value=n.id selected=selected>{format!("{indent}{}", n.name)}</option> }
                                            })
                                            .collect_view()}
                                    </select>
                                }
                            })}
                        </Suspense>
                    </div>
                    <button type="submit" class="btn block">{t.move_here}</button>
                </ActionForm>
            </section>
        })}
    }
}
