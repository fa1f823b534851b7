//! The question bank's page, for platform administrators: importing a sheet (every bad row
//! shown), then browsing and searching the bank.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{BankView, ImportQuestions, question_bank};
use crate::i18n::use_t;
use crate::ui::action_error;
use crate::ui::{AppLayout, Empty, ErrorState, FormError, Loading, Pager, RowErrors, Uploader};
use crate::uploads::model::Purpose;

/// `/admin/questions`: import a sheet, then browse and search the bank.
#[component]
pub fn QuestionBankPage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let page = Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
    });
    let import = crate::ui::server_action::<ImportQuestions>();
    let bank = Resource::new(
        move || (q.get(), page.get(), import.version().get()),
        |(q, page, _)| question_bank(q, page),
    );
    view! {
        <AppLayout title=t.bank_title back="/me">
            <section class="card">
                <h2>{t.bank_import}</h2>
                <p class="muted small">
                    {t.bank_import_lead} " "
                    <a href="/examples/question-bank.xlsx" download>{t.example_xlsx}</a>
                    " · "
                    <a href="/examples/question-bank.csv" download>{t.example_csv}</a>
                </p>
                <ActionForm action=import>
                    <input type="hidden" id="f-bank-sheet" name="upload" value="" />
                    <Uploader label=t.bank_file.to_owned() purpose=Purpose::Sheet fill="f-bank-sheet".to_owned() submit=true length_field=None shown=None />
                </ActionForm>
                <ImportOutcome import />
            </section>
            <form class="search" method="get" role="search" action="/admin/questions">
                <input type="search" name="q" placeholder=t.bank_search aria-label=t.bank_search value=move || q.get() />
            </form>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match bank.await {
                        Ok(v) => view! { <Bank v q=q.get_untracked() /> }.into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn ImportOutcome(import: ServerAction<ImportQuestions>) -> impl IntoView {
    let t = use_t();
    let error = action_error(import);
    view! {
        {move || import.pending().get().then(|| view! { <p class="muted" role="status">{t.bank_importing}</p> })}
        <FormError error />
        {move || import.value().get().and_then(Result::ok).map(|r| {
            if r.errors.is_empty() {
                view! { <div class="alert ok" role="status">{t.bank_imported.replace("{n}", &r.imported.to_string())}</div> }.into_any()
            } else {
                view! {
                    <RowErrors errors=r.errors />
                }.into_any()
            }
        })}
    }
}

#[component]
fn Bank(v: BankView, q: String) -> impl IntoView {
    let t = use_t();
    let link = move |page: i64| format!("/admin/questions?q={}&page={page}", q);
    view! {
        <section class="card">
            <h2>{t.bank_count.replace("{n}", &v.total.to_string())}</h2>
            {if v.rows.is_empty() {
                view! { <Empty text=t.bank_empty /> }.into_any()
            } else {
                view! {
                    <ol class="bank">
                        {v.rows.into_iter().map(|r| view! {
                            <li>
                                <p><span class="tag kind">{r.kind.label(t)}</span> " " {r.stem}</p>
                                <p class="muted small">
                                    {r.options.iter().enumerate().map(|(i, o)| format!("{}. {o}", char::from(b'A' + i as u8))).collect::<Vec<_>>().join("  ")}
                                </p>
                                <p class="small">
                                    {t.quiz_right_answer} " "
                                    {r.answer.iter().map(|i| char::from(b'A' + *i as u8)).collect::<String>()}
                                    {(!r.tags.is_empty()).then(|| format!(" · {}", r.tags.join(" / ")))}
                                </p>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            <Pager page=v.page pages=v.pages link />
        </section>
    }
}
