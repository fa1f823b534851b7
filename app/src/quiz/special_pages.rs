//! The page that creates a special quiz (专项答题), optionally a knowledge contest, for those
//! who serve an organization.

use leptos::prelude::*;

use super::api::{CreateSpecialQuiz, special_quiz_form};
use crate::i18n::use_t;
use crate::study::editor_pages::ScopeSelect;
use crate::ui::action_error;
use crate::ui::{AppLayout, ErrorState, Field, FormError, Loading};

/// `/admin/quizzes/new`: a special quiz (专项答题), optionally a knowledge contest.
#[component]
pub fn SpecialQuizNewPage() -> impl IntoView {
    let t = use_t();
    let form = Resource::new(|| (), |_| special_quiz_form());
    let create = crate::ui::server_action::<CreateSpecialQuiz>();
    let error = action_error(create);
    view! {
        <AppLayout title=t.special_new back="/me">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok(v) => view! {
                            <section class="card">
                                <p class="muted small">{t.special_bank_size.replace("{n}", &v.bank_size.to_string())}</p>
                                <ActionForm action=create attr:class="form" attr:novalidate=true>
                                    <FormError error />
                                    <Field label=t.field_title name="title" error />
                                    <ScopeSelect scopes=v.scopes.clone() selected=None />
                                    <Field label=t.special_count name="count" kind="number" inputmode="numeric" value="10".to_owned() error />
                                    <Field label=t.special_tag name="tag" hint=t.special_tag_hint error />
                                    <Field label=t.special_opens name="opens" kind="datetime-local" error />
                                    <Field label=t.special_closes name="closes" kind="datetime-local" error />
                                    <Field label=t.special_minutes name="minutes" kind="number" inputmode="numeric" value="10".to_owned() error />
                                    <label class="check">
                                        <input type="checkbox" name="contest" />
                                        {t.special_contest}
                                    </label>
                                    <button type="submit" class="btn primary block" disabled=move || create.pending().get()>{t.special_create}</button>
                                </ActionForm>
                            </section>
                        }.into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}
