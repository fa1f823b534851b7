//! Pages for becoming a member: `/me/join` (the viewer's birth date, applying, their cases
//! and those they look after), `/development/:id` (a case: its steps as a timeline, what is
//! due, and the form of the next step the viewer may record, chosen by `?step=`) and
//! `/orglife/development?org=..` (a branch's cases; a League branch's members and 推优; a
//! committee's figures and the branches' plans).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::{
    ApplyToJoin, BranchDevelopmentView, CasePageView, CaseView, MyDevelopmentView, RecommendMember,
    RecordDevelopmentStep, RegisterApplication, SetBirthDate, SetDevelopmentQuota, StepView,
    branch_development, development_case, my_development,
};
use super::model::{Stage, StepKind};
use crate::i18n::{Strings, use_t};
use crate::orgs::model::{MemberStatus, Tree};
use crate::ui::{
    AppLayout, ErrorState, Field, FormError, FormOk, Loading, action_done, action_error, field_msg,
};

fn stage_class(s: Stage) -> &'static str {
    match s {
        Stage::Full | Stage::LeagueMember => "tag ok",
        Stage::Cancelled => "tag muted-tag",
        _ => "tag warn",
    }
}

/// A League branch's recommendation in one line: who, when, the vote.
fn tuiyou_line(r: &super::api::RecommendationView, t: &Strings) -> String {
    t.dev_tuiyou_line
        .replace("{org}", &r.org_name)
        .replace("{on}", &r.on)
        .replace("{eligible}", &r.vote.0.to_string())
        .replace("{present}", &r.vote.1.to_string())
        .replace("{favour}", &r.vote.2.to_string())
}

/// What falls due next, in one line, red once the day has passed.
fn due_line(c: &CaseView, t: &'static Strings) -> Option<impl IntoView + use<>> {
    c.due.clone().map(|(kind, on, late)| {
        let late_text = late.then(|| format!(" · {}", t.dev_overdue));
        view! {
            <span class="muted small block" class:warn-text=late data-testid="dev-due">
                {format!("{}{}{on}", kind.label(t), t.colon)}{late_text}
            </span>
        }
    })
}

/// A case in a list: name, branch, stage and what is due.
#[component]
fn CaseRow(c: CaseView, #[prop(default = true)] with_name: bool) -> impl IntoView {
    let t = use_t();
    let title = if with_name {
        format!("{} · {}", c.name, c.org_name)
    } else {
        c.org_name.clone()
    };
    let due = due_line(&c, t);
    view! {
        <A href=format!("/development/{}", c.id) attr:class="row link" attr:data-testid="dev-case">
            <span class="row-main">
                <span>
                    <span class=stage_class(c.stage)>{c.stage.label(t)}</span>
                    {(!c.recommendations.is_empty()).then(|| view! { <span class="tag league">{t.dev_tuiyou}</span> })}
                    {title}
                </span>
                {due}
            </span>
            <span aria-hidden="true">"›"</span>
        </A>
    }
}

/// `/me/join`: the viewer's birth date, an application, their cases and those they look
/// after.
#[component]
pub fn MyDevelopmentPage() -> impl IntoView {
    let t = use_t();
    let birth = crate::ui::server_action::<SetBirthDate>();
    let apply = crate::ui::server_action::<ApplyToJoin>();
    let (a, b) = (action_done(birth), action_done(apply));
    let data = Resource::new(move || a.get() + b.get(), |_| my_development());
    view! {
        <AppLayout title=t.dev_title back="/me">
            <Suspense fallback=Loading>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(v) => view! { <MyDevelopment v birth apply /> }.into_any(),
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn MyDevelopment(
    v: MyDevelopmentView,
    birth: ServerAction<SetBirthDate>,
    apply: ServerAction<ApplyToJoin>,
) -> impl IntoView {
    let t = use_t();
    let birth_error = action_error(birth);
    let apply_error = action_error(apply);
    let birth_card = match (&v.birth_date, v.age) {
        (Some(d), Some(age)) => view! {
            <p data-testid="dev-birth">{format!("{}{}{d} · {}", t.dev_birth_date, t.colon, t.dev_age.replace("{age}", &age.to_string()))}</p>
        }
        .into_any(),
        _ => view! {
            <ActionForm action=birth attr:class="form" attr:novalidate=true>
                <FormError error=birth_error />
                <Field label=t.dev_birth_date name="birth_date" kind="date" hint=t.dev_birth_hint error=birth_error />
                <button type="submit" class="btn block">{t.save}</button>
            </ActionForm>
        }
        .into_any(),
    };
    let apply_card = (!v.may_apply.is_empty()).then(|| {
        let options: Vec<_> = v
            .may_apply
            .iter()
            .flat_map(|(tree, branches)| {
                let verb = match tree {
                    Tree::Party => t.dev_apply_party,
                    Tree::League => t.dev_apply_league,
                };
                branches.iter().map(move |(id, name)| (format!("{}-{id}", tree.as_str()), format!("{verb} · {name}")))
            })
            .collect();
        let form = if options.is_empty() {
            view! { <p class="muted">{t.dev_apply_none}</p> }.into_any()
        } else {
            view! {
                <ActionForm action=apply attr:class="form" attr:novalidate=true>
                    <FormError error=apply_error />
                    <div class="field">
                        <label for="f-target">{t.dev_apply_branch}</label>
                        <select id="f-target" name="target">
                            {options.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                        </select>
                        {field_msg(apply_error, "org", t)}
                        {field_msg(apply_error, "birth_date", t)}
                    </div>
                    <p class="muted small">{t.dev_apply_lead}</p>
                    <button type="submit" class="btn primary block" disabled=move || apply.pending().get()>{t.dev_submit}</button>
                </ActionForm>
            }
            .into_any()
        };
        view! { <section class="card"><h2>{t.dev_apply_party}" / "{t.dev_apply_league}</h2>{form}</section> }
    });
    let cases = if v.cases.is_empty() {
        view! { <p class="muted">{t.dev_no_cases}</p> }.into_any()
    } else {
        v.cases
            .into_iter()
            .map(|c| view! { <CaseRow c with_name=false /> })
            .collect_view()
            .into_any()
    };
    let looked_after = (!v.looked_after.is_empty()).then(|| {
        view! {
            <section class="card list" data-testid="dev-looked-after">
                <h2>{t.dev_looked_after}</h2>
                {v.looked_after.into_iter().map(|c| view! { <CaseRow c /> }).collect_view()}
            </section>
        }
    });
    view! {
        <section class="card">
            <p class="muted small">{t.dev_lead}</p>
            {birth_card}
        </section>
        {apply_card}
        <section class="card list" data-testid="dev-my-cases">
            <h2>{t.dev_my_cases}</h2>
            {cases}
        </section>
        {looked_after}
    }
}

/// `/development/:id`: a case.
#[component]
pub fn CasePage() -> impl IntoView {
    let t = use_t();
    let id = crate::ui::id_param::<i64>();
    let record = crate::ui::server_action::<RecordDevelopmentStep>();
    let done = action_done(record);
    let data = Resource::new(
        move || (id.get(), done.get()),
        |(id, _)| development_case(id),
    );
    view! {
        <AppLayout title=t.dev_title back="/me/join">
            <Suspense fallback=Loading>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(v) => view! { <Case v record /> }.into_any(),
                })}
            </Suspense>
        </AppLayout>
    }
}

fn step_item(s: StepView, t: &'static Strings) -> impl IntoView {
    let vote = s.vote.map(|(e, p, f)| {
        t.dev_vote_line
            .replace("{eligible}", &e.to_string())
            .replace("{present}", &p.to_string())
            .replace("{favour}", &f.to_string())
    });
    let extra = [
        vote,
        s.hours.map(|h| format!("{} {h}", t.dev_hours)),
        s.months.map(|m| format!("{} {m}", t.dev_months)),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <li class="step done" data-testid="dev-step">
            <span class="step-title">{format!("{} · {}", s.on, s.kind.label(t))}</span>
            {(!extra.is_empty()).then(|| view! { <span class="small">{extra}</span> })}
            {(!s.note.is_empty()).then(|| view! { <span class="small pre">{s.note.clone()}</span> })}
            {s.document.map(|(href, name)| view! { <a class="small" href=href target="_blank" rel="noopener">{name}</a> })}
            <span class="muted small">{t.dev_by.replace("{by}", &s.by).replace("{at}", &s.recorded_at)}</span>
        </li>
    }
}

#[component]
fn Case(v: CasePageView, record: ServerAction<RecordDevelopmentStep>) -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let chosen = query
        .read_untracked()
        .get("step")
        .and_then(|s| StepKind::parse(&s))
        .filter(|k| v.next.contains(k));
    let c = v.case.clone();
    let age = c
        .age
        .map(|a| format!(" · {}", t.dev_age.replace("{age}", &a.to_string())));
    let people = |label: &'static str, names: &[String]| {
        (!names.is_empty()).then(
            || view! { <p class="small">{format!("{label}{}{}", t.colon, names.join("、"))}</p> },
        )
    };
    let recs = c
        .recommendations
        .iter()
        .map(|r| {
            let line = tuiyou_line(r, t);
            view! { <p class="small" data-testid="dev-tuiyou"><span class="tag league">{t.dev_tuiyou}</span>{line}</p> }
        })
        .collect_view();
    let training = (c.tree == Tree::Party && matches!(c.stage, Stage::Candidate)).then(|| {
        let total = c.training_hours + v.portal_hours;
        view! {
            <p class="small" data-testid="dev-training">
                {t.dev_training_total.replace("{hours}", &total.to_string()).replace("{portal}", &v.portal_hours.to_string())}
            </p>
        }
    });
    let seen = c.steps.len();
    let case_id = c.id;
    let chips = v
        .next
        .clone()
        .into_iter()
        .map(move |k| {
            let on = Some(k) == chosen;
            view! {
                <A href=format!("/development/{case_id}?step={}", k.as_str()) attr:class=if on { "btn small primary" } else { "btn small" }>
                    {k.label(t)}
                </A>
            }
        })
        .collect_view();
    let next = if v.next.is_empty() {
        view! { <p class="muted">{t.dev_nothing_next}</p> }.into_any()
    } else {
        view! {
            <div class="chip-row" data-testid="dev-next">{chips}</div>
            {chosen.map(|kind| view! { <StepFormCard v=v.clone() kind seen record /> })}
        }
        .into_any()
    };
    let talk_late = c
        .talk_late
        .then(|| view! { <span class="tag warn">{t.dev_talk_late}</span> });
    view! {
        <section class="card">
            <h2>
                <span class=stage_class(c.stage) data-testid="dev-stage">{c.stage.label(t)}</span>
                {c.name.clone()}
            </h2>
            <p class="muted small">{format!("{}{}", c.org_name, age.unwrap_or_default())}</p>
            {due_line(&c, t)}
            {talk_late}
            {people(t.dev_contacts, &c.contacts)}
            {people(t.dev_sponsors, &c.sponsors)}
            {recs}
            {training}
        </section>
        <section class="card">
            <h2>{t.dev_record}</h2>
            <FormOk show=Signal::derive(move || record.value().with(|v| matches!(v, Some(Ok(_))))) text=t.dev_recorded />
            {next}
        </section>
        <section class="card">
            <ol class="timeline" data-testid="dev-timeline">
                {c.steps.into_iter().rev().map(|s| step_item(s, t)).collect_view()}
            </ol>
        </section>
    }
}

/// The form of one step: the date, and what this kind of step records.
#[component]
fn StepFormCard(
    v: CasePageView,
    kind: StepKind,
    seen: usize,
    record: ServerAction<RecordDevelopmentStep>,
) -> impl IntoView {
    let t = use_t();
    let error = action_error(record);
    let c = v.case.clone();
    let full_members = v.full_members.clone();
    let no_members = full_members.is_empty();
    let vote = kind.has_vote().then(|| {
        view! {
            <Field label=t.dev_eligible name="eligible" kind="number" inputmode="numeric" error />
            <Field label=t.dev_present name="present" kind="number" inputmode="numeric" error />
            <Field label=t.dev_in_favour name="in_favour" kind="number" inputmode="numeric" error />
        }
    });
    let hours = (kind == StepKind::Training)
        .then(|| view! { <Field label=t.dev_hours name="hours" kind="number" inputmode="numeric" error /> });
    let months = (kind == StepKind::Extended)
        .then(|| view! { <Field label=t.dev_months name="months" kind="number" inputmode="numeric" error /> });
    let people = kind.people().map(|_| {
        let select = |name: &'static str, label: &'static str, optional: bool| {
            view! {
                <div class="field">
                    <label for=format!("f-{name}")>{label}</label>
                    <select id=format!("f-{name}") name=name>
                        {optional.then(|| view! { <option value="">"—"</option> })}
                        {full_members.iter().map(|(id, n)| view! { <option value=id.0.to_string()>{n.clone()}</option> }).collect_view()}
                    </select>
                </div>
            }
        };
        let second_optional = kind == StepKind::Activist;
        view! {
            {select("person1", t.dev_person1, false)}
            {select("person2", t.dev_person2, second_optional)}
            <p class="hint">{t.dev_people_hint}</p>
            {field_msg(error, "people", t)}
        }
    });
    let recommended = (kind == StepKind::Activist).then(|| {
        view! {
            <div class="field">
                <label for="f-recommended">{t.dev_tuiyou}</label>
                <select id="f-recommended" name="recommended">
                    <option value="">{t.dev_from_members}</option>
                    {c.recommendations.iter().map(|r| view! {
                        <option value=r.id.to_string() selected=true>{format!("{} · {} {}", t.dev_from_tuiyou, r.org_name, r.on)}</option>
                    }).collect_view()}
                </select>
                {field_msg(error, "recommended", t)}
            </div>
        }
    });
    let document = (kind.decider() != super::model::Decider::ContactOrBranch || no_members).then(|| {
        view! {
            <input type="hidden" id="f-upload" name="upload" value="" />
            <crate::ui::Uploader label=t.dev_document.to_owned() purpose=crate::uploads::model::Purpose::Attachment fill="f-upload".to_owned() submit=false length_field=None shown=None />
        }
    });
    view! {
        <ActionForm action=record attr:class="form" attr:novalidate=true attr:data-testid="dev-form">
            <h3>{kind.label(t)}</h3>
            <FormError error />
            <input type="hidden" name="id" value=c.id.to_string() />
            <input type="hidden" name="seen" value=seen.to_string() />
            <input type="hidden" name="kind" value=kind.as_str() />
            <Field label=t.dev_date name="on" kind="date" value=v.today.clone() error />
            {vote}
            {hours}
            {months}
            {people}
            {recommended}
            <div class="field">
                <label for="f-note">{t.dev_note}</label>
                <textarea id="f-note" name="note" rows="3"></textarea>
                <p class="hint">{t.dev_note_hint}</p>
                {field_msg(error, "note", t)}
            </div>
            {field_msg(error, "kind", t)}
            {document}
            <button type="submit" class="btn primary block" disabled=move || record.pending().get()>{t.dev_submit}</button>
        </ActionForm>
    }
}

/// `/orglife/development?org=..`: a branch's cases and members (and a League branch's
/// recommendations), a committee's figures and its branches' plans.
#[component]
pub fn BranchDevelopmentPage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let recommend = crate::ui::server_action::<RecommendMember>();
    let quota = crate::ui::server_action::<SetDevelopmentQuota>();
    let register = crate::ui::server_action::<RegisterApplication>();
    let (a, b, c) = (
        action_done(recommend),
        action_done(quota),
        action_done(register),
    );
    let data = Resource::new(
        move || {
            let q = query.read();
            let year = q.get("year").and_then(|y| y.parse().ok()).unwrap_or(0);
            (
                crate::ui::org_in_query(&q),
                year,
                a.get() + b.get() + c.get(),
            )
        },
        |(org, year, _)| branch_development(org, year),
    );
    view! {
        <AppLayout title=t.dev_branch_title back="/orglife">
            <Suspense fallback=Loading>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(v) => view! { <BranchDevelopment v recommend quota register /> }.into_any(),
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn BranchDevelopment(
    v: BranchDevelopmentView,
    recommend: ServerAction<RecommendMember>,
    quota: ServerAction<SetDevelopmentQuota>,
    register: ServerAction<RegisterApplication>,
) -> impl IntoView {
    let t = use_t();
    let today = v.today.clone();
    let register_form = v.is_branch.then(|| {
        let error = action_error(register);
        view! {
            <section class="card">
                <h2>{t.dev_register}</h2>
                <p class="muted small">{t.dev_register_lead}</p>
                <ActionForm action=register attr:class="form" attr:novalidate=true attr:data-testid="dev-register">
                    <FormError error />
                    <input type="hidden" name="org" value=v.org_id.0.to_string() />
                    <Field label=t.dev_login name="login" error />
                    <Field label=t.dev_applied_on name="on" kind="date" value=today error />
                    {field_msg(error, "birth_date", t)}
                    <button type="submit" class="btn block">{t.dev_submit}</button>
                </ActionForm>
            </section>
        }
    });
    let figures = v.figures.clone().map(|f| {
        let cell =
            |label: &'static str, n: String| view! { <div><dt>{label}</dt><dd>{n}</dd></div> };
        let share = f
            .tuiyou_share()
            .map_or_else(|| "—".to_owned(), |s| format!("{s}%"));
        view! {
            <section class="card" data-testid="dev-figures">
                <h2>{t.dev_figures.replace("{year}", &v.year.to_string())}</h2>
                <dl class="dev-figures">
                    {cell(t.dev_fig_applicants, f.applicants.to_string())}
                    {cell(t.dev_fig_activists, f.activists.to_string())}
                    {cell(t.dev_fig_candidates, f.candidates.to_string())}
                    {cell(t.dev_fig_probationary, f.probationary.to_string())}
                    {cell(t.dev_fig_new, f.new_this_year.to_string())}
                    {cell(t.dev_fig_tuiyou, share)}
                </dl>
            </section>
        }
    });
    let plans = (!v.plans.is_empty()).then(|| {
        let error = action_error(quota);
        let (all_plans, sets_plans) = (v.plans.clone(), v.sets_plans.clone());
        let form = (!sets_plans.is_empty()).then(|| {
            view! {
                <ActionForm action=quota attr:class="form" attr:novalidate=true>
                    <h3>{t.dev_set_quota}</h3>
                    <FormError error />
                    <input type="hidden" name="year" value=v.year.to_string() />
                    <div class="field">
                        <label for="f-plan-org">{t.dev_plan_branch}</label>
                        <select id="f-plan-org" name="org">
                            {all_plans.iter().filter(|p| sets_plans.contains(&p.org_id)).map(|p| view! { <option value=p.org_id.0.to_string()>{p.name.clone()}</option> }).collect_view()}
                        </select>
                    </div>
                    <Field label=t.dev_quota name="quota" kind="number" inputmode="numeric" error />
                    <button type="submit" class="btn block">{t.save}</button>
                </ActionForm>
            }
        });
        view! {
            <section class="card list" data-testid="dev-plans">
                <h2>{t.dev_plans}</h2>
                {v.plans.iter().map(|p| {
                    let line = match p.quota {
                        Some(q) => t.dev_plan_line.replace("{used}", &p.used.to_string()).replace("{quota}", &q.to_string()),
                        None => format!("{} · {}", p.used, t.dev_plan_none),
                    };
                    view! { <div class="row"><span class="row-main">{p.name.clone()}</span><span class="muted small">{line}</span></div> }
                }).collect_view()}
                {form}
            </section>
        }
    });
    let cases = v.is_branch.then(|| {
        let list = if v.cases.is_empty() {
            view! { <p class="muted">{t.dev_no_branch_cases}</p> }.into_any()
        } else {
            v.cases.iter().cloned().map(|c| view! { <CaseRow c /> }).collect_view().into_any()
        };
        view! { <section class="card list" data-testid="dev-cases"><h2>{t.dev_cases}</h2>{list}</section> }
    });
    let league = (v.tree == Tree::League && v.is_branch).then(|| {
        let error = action_error(recommend);
        let league_members = v.members.clone();
        let eligible = v.members.iter().filter(|m| m.status == MemberStatus::LeagueMember).count();
        let recs = v.recommendations.iter().map(|r| {
            let line = t
                .dev_vote_line
                .replace("{eligible}", &r.vote.0.to_string())
                .replace("{present}", &r.vote.1.to_string())
                .replace("{favour}", &r.vote.2.to_string());
            view! { <div class="row"><span class="row-main">{format!("{} · {}", r.name, r.on)}<span class="muted small block">{line}</span></span></div> }
        }).collect_view();
        view! {
            <section class="card">
                <h2>{t.dev_recommend}</h2>
                <p class="muted small">{t.dev_recommend_lead}</p>
                <ActionForm action=recommend attr:class="form" attr:novalidate=true attr:data-testid="dev-recommend">
                    <FormOk show=Signal::derive(move || recommend.value().with(|v| matches!(v, Some(Ok(_))))) text=t.dev_recorded />
                    <FormError error />
                    <input type="hidden" name="org" value=v.org_id.0.to_string() />
                    <div class="field">
                        <label for="f-member">{t.dev_member}</label>
                        <select id="f-member" name="member">
                            {league_members.iter().filter(|m| m.status == MemberStatus::LeagueMember).map(|m| {
                                let age = m.age.map(|a| format!(" · {}", t.dev_age.replace("{age}", &a.to_string()))).unwrap_or_default();
                                view! { <option value=m.id.0.to_string()>{format!("{}{age}", m.name)}</option> }
                            }).collect_view()}
                        </select>
                        {field_msg(error, "member", t)}
                    </div>
                    <Field label=t.dev_date name="on" kind="date" value=v.today.clone() error />
                    <Field label=t.dev_eligible name="eligible" kind="number" inputmode="numeric" value=eligible.to_string() error />
                    <Field label=t.dev_present name="present" kind="number" inputmode="numeric" error />
                    <Field label=t.dev_in_favour name="in_favour" kind="number" inputmode="numeric" error />
                    <div class="field">
                        <label for="f-note">{t.dev_note}</label>
                        <textarea id="f-note" name="note" rows="2"></textarea>
                    </div>
                    <button type="submit" class="btn primary block">{t.dev_submit}</button>
                </ActionForm>
            </section>
            <section class="card list" data-testid="dev-recommendations">
                <h2>{t.dev_recommendations}</h2>
                {recs}
            </section>
        }
    });
    let put_forward = (v.tree == Tree::Party && !v.recommendations.is_empty()).then(|| {
        view! {
            <section class="card list" data-testid="dev-put-forward">
                <h2>{t.dev_put_forward}</h2>
                <p class="muted small">{t.dev_put_forward_lead}</p>
                {v.recommendations.iter().map(|r| view! {
                    <div class="row">
                        <span class="row-main">
                            <span><span class="tag league">{t.dev_tuiyou}</span>{r.name.clone()}</span>
                            <span class="muted small block">{tuiyou_line(r, t)}</span>
                        </span>
                    </div>
                }).collect_view()}
            </section>
        }
    });
    let members = (v.is_branch && !v.members.is_empty()).then(|| {
        view! {
            <section class="card list">
                <h2>{t.dev_members}</h2>
                {v.members.iter().map(|m| {
                    let age = m.age.map(|a| t.dev_age.replace("{age}", &a.to_string()));
                    view! {
                        <div class="row" data-testid="dev-member">
                            <span class="row-main">{m.name.clone()}<span class="muted small block">{format!("{} {}", m.status.label(t), age.unwrap_or_default())}</span></span>
                            {m.over_age.then(|| view! { <span class="tag warn">{t.dev_over_age}</span> })}
                        </div>
                    }
                }).collect_view()}
            </section>
        }
    });
    view! {
        <p class="muted small page-lead">{v.org_name.clone()}</p>
        {figures}
        {plans}
        {cases}
        {put_forward}
        {register_form}
        {league}
        {members}
    }
}
