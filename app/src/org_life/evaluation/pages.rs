//! `/orglife/evaluation?org=..`: the annual member evaluation (民主评议) of a branch: the
//! secretary opens the secret ballot; each member grades everyone on the roll, themselves
//! included, once; once it closes, the tallies (never who voted what) and the confirmation
//! into each member's record.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{
    BallotView, CastBallot, ConfirmEvaluation, EvaluationView, OpenEvaluation, evaluation,
};
use super::model::{BallotState, Grade};
use crate::i18n::{Strings, use_t};
use crate::ui::{AppLayout, ErrorState, Field, FormError, Loading};
use crate::ui::{action_done, action_error};

/// A grade as the reader's language names it.
pub fn grade_label(g: Grade, t: &Strings) -> &'static str {
    match g {
        Grade::Excellent => t.grade_excellent,
        Grade::Qualified => t.grade_qualified,
        Grade::BasicallyQualified => t.grade_basic,
        Grade::Unqualified => t.grade_unqualified,
    }
}

/// `/orglife/evaluation?org=..`: this year's evaluation of a branch.
#[component]
pub fn EvaluationPage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let open = crate::ui::server_action::<OpenEvaluation>();
    let cast = crate::ui::server_action::<CastBallot>();
    let confirm = crate::ui::server_action::<ConfirmEvaluation>();
    let (open_done, cast_done, confirm_done) =
        (action_done(open), action_done(cast), action_done(confirm));
    let data = Resource::new(
        move || {
            (
                crate::ui::org_in_query(&query.read()),
                open_done.get() + cast_done.get() + confirm_done.get(),
            )
        },
        |(org, _)| evaluation(org),
    );
    view! {
        <AppLayout title=t.evaluation_title back="/orglife">
            <Suspense fallback=Loading>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(v) => view! { <EvaluationBody v open cast confirm /> }.into_any(),
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn EvaluationBody(
    v: EvaluationView,
    open: ServerAction<OpenEvaluation>,
    cast: ServerAction<CastBallot>,
    confirm: ServerAction<ConfirmEvaluation>,
) -> impl IntoView {
    let t = use_t();
    let open_error = action_error(open);
    let head = view! {
        <section class="card">
            <h2>{format!("{} · {}", v.org_name, v.year)}</h2>
            <p class="muted small">{t.evaluation_lead}</p>
            <details class="help">
                <summary>{t.evaluation_privacy_title}</summary>
                <ul class="small">
                    <li>{t.evaluation_privacy_open}</li>
                    <li>{t.evaluation_privacy_close}</li>
                    <li>{t.evaluation_privacy_operator}</li>
                    <li>{t.evaluation_privacy_counts}</li>
                </ul>
            </details>
        </section>
    };
    let body = match v.ballot.clone() {
        None if v.organizer => view! {
            <section class="card">
                <ActionForm action=open attr:class="form" attr:novalidate=true>
                    <FormError error=open_error />
                    <input type="hidden" name="org" value=v.org_id />
                    <Field label=t.evaluation_days name="days" kind="number" inputmode="numeric" value=Signal::stored("7".to_owned()) error=open_error />
                    <button type="submit" class="btn primary block">{t.evaluation_open}</button>
                </ActionForm>
            </section>
        }
        .into_any(),
        None => view! { <section class="card"><p class="muted">{t.evaluation_none}</p></section> }.into_any(),
        Some(b) => view! { <Ballot b organizer=v.organizer cast confirm /> }.into_any(),
    };
    let results = (!v.my_results.is_empty()).then(|| {
        view! {
            <section class="card">
                <h2>{t.evaluation_my_results}</h2>
                {v.my_results.iter().map(|(y, org, g)| view! { <p>{format!("{y} · {org} · {}", grade_label(*g, t))}</p> }).collect_view()}
            </section>
        }
    });
    view! { {head} {body} {results} }
}

#[component]
fn Ballot(
    b: BallotView,
    organizer: bool,
    cast: ServerAction<CastBallot>,
    confirm: ServerAction<ConfirmEvaluation>,
) -> impl IntoView {
    let t = use_t();
    let cast_error = action_error(cast);
    let confirm_error = action_error(confirm);
    let status = match b.state {
        BallotState::NotYetOpen | BallotState::Open => {
            t.evaluation_open_until.replace("{at}", &b.closes)
        }
        BallotState::Closed => t.evaluation_closed_at.replace("{at}", &b.closes),
    };
    let progress = t
        .evaluation_progress
        .replace("{voted}", &b.voted.to_string())
        .replace("{total}", &b.roll.len().to_string());
    let form = (b.state == BallotState::Open && b.on_roll && !b.has_voted).then(|| {
        view! {
            <ActionForm action=cast attr:class="form ballot" attr:novalidate=true>
                <FormError error=cast_error />
                <input type="hidden" name="evaluation" value=b.id />
                {b.roll.iter().map(|(id, name)| view! {
                    <fieldset class="grade-row">
                        <legend>{name.clone()}</legend>
                        {Grade::ALL.into_iter().map(|g| view! {
                            <label class="grade">
                                <input type="radio" name=format!("grades[{id}]") value=g.as_str() />
                                {grade_label(g, t)}
                            </label>
                        }).collect_view()}
                    </fieldset>
                }).collect_view()}
                <p class="muted small">{t.evaluation_secret}</p>
                <button type="submit" class="btn primary block" disabled=move || cast.pending().get()>{t.evaluation_cast}</button>
            </ActionForm>
        }
    });
    let voted = b
        .has_voted
        .then(|| view! { <p class="ok-text" role="status">{t.evaluation_voted}</p> });
    let tallies = (b.state == BallotState::Closed).then(|| {
        view! {
            <table class="table tallies">
                <thead>
                    <tr>
                        <th>{t.evaluation_member}</th>
                        {Grade::ALL.into_iter().map(|g| view! { <th class="num">{grade_label(g, t)}</th> }).collect_view()}
                        <th>{t.evaluation_result}</th>
                    </tr>
                </thead>
                <tbody>
                    {b.tallies.iter().map(|r| view! {
                        <tr>
                            <td>{r.name.clone()}</td>
                            {r.votes.iter().map(|n| view! { <td class="num">{*n}</td> }).collect_view()}
                            <td>{r.leading.map(|g| grade_label(g, t)).unwrap_or("—")}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {(organizer && !b.confirmed).then(|| view! {
                <ActionForm action=confirm>
                    <FormError error=confirm_error />
                    <input type="hidden" name="evaluation" value=b.id />
                    <button type="submit" class="btn primary block">{t.evaluation_confirm}</button>
                </ActionForm>
            })}
            {b.confirmed.then(|| view! { <p class="ok-text" role="status">{t.evaluation_confirmed}</p> })}
        }
    });
    view! {
        <section class="card">
            <p>{status}</p>
            <p class="small" data-testid="ballot-progress">{progress}</p>
            {voted}
            {form}
            {tallies}
        </section>
    }
}
