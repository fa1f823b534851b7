//! The 指导员 section of an organization's page and of a founding application's review
//! page: who follows it, ending one, naming one by phone or login.

use leptos::prelude::*;

use super::api::{AssignInstructor, EndInstructor, instructors_of};
use crate::i18n::use_t;
use crate::ids::{ApplicationId, OrgId};
use crate::ui::{Empty, Field, FormError, FormOk, action_error};

#[component]
pub fn InstructorsSection(org: Option<OrgId>, application: Option<ApplicationId>) -> impl IntoView {
    let t = use_t();
    let assign = crate::ui::server_action::<AssignInstructor>();
    let end = crate::ui::server_action::<EndInstructor>();
    let list = Resource::new(
        move || assign.version().get() + end.version().get(),
        move |_| instructors_of(org, application),
    );
    let error = action_error(assign);
    let named = Signal::derive(move || matches!(assign.value().get(), Some(Ok(true))));
    let already = Signal::derive(move || matches!(assign.value().get(), Some(Ok(false))));
    let end_error = action_error(end);
    view! {
        <section class="card" data-testid="instructors">
            <h2>{t.instructors_title}</h2>
            <p class="muted small">{t.instructors_lead}</p>
            <FormError error=end_error />
            <Suspense fallback=|| ()>
                {move || list.get().map(|r| match r {
                    Err(_) => ().into_any(),
                    Ok(v) if v.is_empty() => view! { <Empty text=t.instructors_none /> }.into_any(),
                    Ok(v) => v.into_iter().map(|i| view! {
                        <div class="row" data-testid="instructor">
                            <span>
                                {i.name}
                                <span class="muted small block">
                                    {i.phone.map(|p| format!("{p} · ")).unwrap_or_default()}
                                    {t.instructor_since.replace("{day}", &i.since)}
                                </span>
                            </span>
                            <ActionForm action=end>
                                <input type="hidden" name="id" value=i.id />
                                <button type="submit" class="btn small">{t.instructor_end}</button>
                            </ActionForm>
                        </div>
                    }).collect_view().into_any(),
                })}
            </Suspense>
            <ActionForm action=assign attr:class="form" attr:novalidate=true>
                <FormOk show=named text=t.instructor_named />
                <FormOk show=already text=t.instructor_already />
                <FormError error />
                {org.map(|o| view! { <input type="hidden" name="org" value=o /> })}
                {application.map(|a| view! { <input type="hidden" name="application" value=a /> })}
                <Field label=t.instructor_login name="instructor" hint=t.hint_login error />
                <button type="submit" class="btn primary block">{t.instructor_assign}</button>
            </ActionForm>
        </section>
    }
}
