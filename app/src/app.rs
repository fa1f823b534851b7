//! The HTML shell, `<App/>` and THE route table.

use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::auth::pages::{MePage, PasswordPage, SignInPage, SignUpPage};
use crate::development::pages::{BranchDevelopmentPage, CasePage, MyDevelopmentPage};
use crate::dues::pages::{BranchDuesPage, DuesRatesPage, DuesReceiptPage, MyDuesPage};
use crate::i18n::use_t;
use crate::league::coverage::pages::CoveragePage;
use crate::league::founding::pages::{
    ApplyPage, FoundingQueuePage, FoundingReviewPage, InviteEnterprisePage, OutboxPage, TrackPage,
};
use crate::league::ledger::pages::LedgerPage;
use crate::notices::pages::NoticesPage;
use crate::org_life::calendar::pages::LifeCalendarPage;
use crate::org_life::compliance::pages::CompliancePage;
use crate::org_life::evaluation::pages::EvaluationPage;
use crate::org_life::meetings::pages::{MeetingPage, MeetingPrintPage, ScheduleMeetingPage};
use crate::org_life::notices::pages::{NewOrgNoticePage, OrgNoticePage, OrgNoticesPage};
use crate::orgs::pages::{OrgPage, OrgTreePage};
use crate::points::pages::{PointsPage, RulesPage};
use crate::quiz::bank_pages::QuestionBankPage;
use crate::quiz::pages::{ContestPage, QuizHomePage, QuizPage, WrongBookPage};
use crate::quiz::special_pages::SpecialQuizNewPage;
use crate::rankings::pages::{RankingsPage, RatingsPage};
use crate::study::editor_pages::{ContentListPage, EditorPage};
use crate::study::pages::{ColumnPage, ItemPage, StudyPage};
use crate::transfers::pages::{
    LetterPage, NewTransferPage, OverduePage, QueuePage, TransferPage, TransfersPage,
    VerifyLetterPage,
};

/// The document around the app, rendered on the server only. It decides the language from
/// the request and sets the Content-Security-Policy with this response's nonce.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let locale = {
        set_csp_header();
        crate::auth::session::request_locale()
    };
    #[cfg(not(feature = "ssr"))]
    let locale = crate::i18n::Locale::default();
    provide_context(locale);
    view! {
        <!DOCTYPE html>
        <html lang=locale.tag()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
                <meta name="theme-color" content="#c8161d" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png" />
                <link id="leptos" rel="stylesheet" href=bundle_path(&options, |f| &f.css) />
                <AutoReload options=options.clone() />
                <IslandScripts options=options.clone() />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The islands' loader (`public/islands.js`) with the bundle's file names. It fetches the
/// WebAssembly once the page has loaded, not beside the stylesheet as a preload would: the
/// first paint on a slow phone network does not wait for the bundle.
#[component]
fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    // What leptos's own hydration scripts do in islands mode: the server renders islands
    // as new content, not as content to be hydrated.
    if let Some(shared) = Owner::current_shared_context() {
        shared.set_is_hydrating(false);
    }
    let js = bundle_path(&options, |f| &f.js);
    let wasm = bundle_path(&options, |f| &f.wasm);
    view! {
        <script src="/islands.js" defer data-js=js data-wasm=wasm></script>
    }
}

/// The bundle's stylesheet, script and WebAssembly file names.
struct BundleFiles {
    css: String,
    js: String,
    wasm: String,
}

/// The address of one of the bundle's files. The names are read once: the hash file does
/// not change while the server runs, and reading it on every page cost each request a
/// file read.
fn bundle_path(options: &LeptosOptions, file: fn(&BundleFiles) -> &String) -> String {
    static FILES: std::sync::OnceLock<BundleFiles> = std::sync::OnceLock::new();
    let files = FILES.get_or_init(|| bundle_files(options));
    format!("/{}/{}", options.site_pkg_dir, file(files))
}

/// The bundle's file names, with their content hashes when the build wrote a hash file
/// beside the server (`LEPTOS_HASH_FILES`).
fn bundle_files(options: &LeptosOptions) -> BundleFiles {
    let name = options.output_name.to_string();
    let hashes = options
        .hash_files
        .then(|| {
            let dir = std::env::current_exe().ok()?.parent()?.to_path_buf();
            std::fs::read_to_string(dir.join(options.hash_file.as_ref())).ok()
        })
        .flatten()
        .unwrap_or_default();
    let hash = |kind: &str| {
        hashes
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim() == kind)
            .map(|(_, h)| format!(".{}", h.trim()))
    };
    let css = format!("{name}{}.css", hash("css").unwrap_or_default());
    let (js, wasm) = match (hash("js"), hash("wasm")) {
        (Some(js), Some(wasm)) => (format!("{name}{js}.js"), format!("{name}{wasm}.wasm")),
        // Without hashes, the names cargo-leptos gives: its wasm ends in `_bg` unless the
        // output name was set when this was built.
        _ if !options.hash_files && option_env!("LEPTOS_OUTPUT_NAME").is_none() => {
            (format!("{name}.js"), format!("{name}_bg.wasm"))
        }
        _ => (format!("{name}.js"), format!("{name}.wasm")),
    };
    BundleFiles { css, js, wasm }
}

/// Scripts only from our origin or with this response's nonce (the hydration bootstrap);
/// WebAssembly may be compiled; nothing may frame the portal.
#[cfg(feature = "ssr")]
fn set_csp_header() {
    let (Some(nonce), Some(res)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
         font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&csp) {
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(crate::i18n::use_locale());

    view! {
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/") view=|| view! { <Redirect path="/study" /> } />
                <Route path=path!("/signin") view=SignInPage />
                <Route path=path!("/signup") view=SignUpPage />
                <Route path=path!("/signin/sms") view=crate::auth::recovery::pages::CodeSignInPage />
                <Route path=path!("/reset") view=crate::auth::recovery::pages::ResetPage />
                // Pages with data render whole on the server (async mode), so that they read
                // the same with JavaScript off or still loading on a slow phone.
                <Route path=path!("/study") view=StudyPage ssr=SsrMode::Async />
                <Route path=path!("/study/quiz") view=QuizHomePage ssr=SsrMode::Async />
                <Route path=path!("/study/quiz/wrong") view=WrongBookPage ssr=SsrMode::Async />
                <Route path=path!("/study/quiz/special/:id") view=QuizPage ssr=SsrMode::Async />
                <Route path=path!("/study/quiz/special/:id/board") view=ContestPage ssr=SsrMode::Async />
                <Route path=path!("/study/quiz/:kind") view=QuizPage ssr=SsrMode::Async />
                <Route path=path!("/study/column/:id") view=ColumnPage ssr=SsrMode::Async />
                <Route path=path!("/study/:item/quiz") view=QuizPage ssr=SsrMode::Async />
                <Route path=path!("/study/:id") view=ItemPage ssr=SsrMode::Async />
                <Route path=path!("/points") view=PointsPage ssr=SsrMode::Async />
                <Route path=path!("/points/rewards") view=crate::points::rewards::pages::RewardsPage ssr=SsrMode::Async />
                <Route path=path!("/points/rewards/manage") view=crate::points::rewards::pages::ManageRewardsPage ssr=SsrMode::Async />
                <Route path=path!("/rankings") view=RankingsPage ssr=SsrMode::Async />
                <Route path=path!("/rankings/ratings") view=RatingsPage ssr=SsrMode::Async />
                <Route path=path!("/transfers") view=TransfersPage ssr=SsrMode::Async />
                <Route path=path!("/transfers/new") view=NewTransferPage ssr=SsrMode::Async />
                <Route path=path!("/transfers/in") view=crate::transfers::inbound::pages::InboundPage ssr=SsrMode::Async />
                <Route path=path!("/transfers/queue") view=QueuePage ssr=SsrMode::Async />
                <Route path=path!("/transfers/overdue") view=OverduePage ssr=SsrMode::Async />
                <Route path=path!("/transfers/verify") view=VerifyLetterPage ssr=SsrMode::Async />
                <Route path=path!("/transfers/:id") view=TransferPage ssr=SsrMode::Async />
                <Route path=path!("/transfers/:id/letter") view=LetterPage ssr=SsrMode::Async />
                <Route path=path!("/me") view=MePage ssr=SsrMode::Async />
                <Route path=path!("/me/password") view=PasswordPage />
                <Route path=path!("/me/notices") view=NoticesPage ssr=SsrMode::Async />
                <Route path=path!("/me/dues") view=MyDuesPage ssr=SsrMode::Async />
                <Route path=path!("/me/join") view=MyDevelopmentPage ssr=SsrMode::Async />
                <Route path=path!("/me/following") view=crate::instructors::pages::FollowingPage ssr=SsrMode::Async />
                <Route path=path!("/development/:id") view=CasePage ssr=SsrMode::Async />
                <Route path=path!("/dues/receipt/:id") view=DuesReceiptPage ssr=SsrMode::Async />
                <Route path=path!("/admin/orgs") view=OrgTreePage ssr=SsrMode::Async />
                <Route path=path!("/admin/rules") view=RulesPage ssr=SsrMode::Async />
                <Route path=path!("/admin/dues-rates") view=DuesRatesPage ssr=SsrMode::Async />
                <Route path=path!("/admin/questions") view=QuestionBankPage ssr=SsrMode::Async />
                <Route path=path!("/admin/ledger") view=LedgerPage ssr=SsrMode::Async />
                <Route path=path!("/league/apply") view=ApplyPage ssr=SsrMode::Async />
                <Route path=path!("/league/track/:token") view=TrackPage ssr=SsrMode::Async />
                <Route path=path!("/league/review") view=FoundingQueuePage ssr=SsrMode::Async />
                <Route path=path!("/league/review/:id") view=FoundingReviewPage ssr=SsrMode::Async />
                <Route path=path!("/league/invite") view=InviteEnterprisePage ssr=SsrMode::Async />
                <Route path=path!("/league/outbox") view=OutboxPage ssr=SsrMode::Async />
                <Route path=path!("/league/coverage") view=CoveragePage ssr=SsrMode::Async />
                <Route path=path!("/orglife") view=LifeCalendarPage ssr=SsrMode::Async />
                <Route path=path!("/orglife/schedule") view=ScheduleMeetingPage ssr=SsrMode::Async />
                <Route path=path!("/orglife/evaluation") view=EvaluationPage ssr=SsrMode::Async />
                <Route path=path!("/orglife/dues") view=BranchDuesPage ssr=SsrMode::Async />
                <Route path=path!("/orglife/development") view=BranchDevelopmentPage ssr=SsrMode::Async />
                <Route path=path!("/orglife/robots") view=crate::notices::robots::pages::RobotsPage ssr=SsrMode::Async />
                <Route path=path!("/orglife/notices") view=OrgNoticesPage ssr=SsrMode::Async />
                <Route path=path!("/orglife/notices/new") view=NewOrgNoticePage ssr=SsrMode::Async />
                <Route path=path!("/orglife/notices/:id") view=OrgNoticePage ssr=SsrMode::Async />
                <Route path=path!("/orglife/compliance") view=CompliancePage ssr=SsrMode::Async />
                <Route path=path!("/dashboard") view=crate::reports::pages::DashboardPage ssr=SsrMode::Async />
                <Route path=path!("/dashboard/bulletins") view=crate::reports::bulletins::pages::BulletinsPage ssr=SsrMode::Async />
                <Route path=path!("/dashboard/bulletins/:id") view=crate::reports::bulletins::pages::BulletinPage ssr=SsrMode::Async />
                <Route path=path!("/orglife/meeting/:id") view=MeetingPage ssr=SsrMode::Async />
                <Route path=path!("/orglife/meeting/:id/print") view=MeetingPrintPage ssr=SsrMode::Async />
                <Route path=path!("/admin/quizzes/new") view=SpecialQuizNewPage ssr=SsrMode::Async />
                <Route path=path!("/admin/content") view=ContentListPage ssr=SsrMode::Async />
                <Route path=path!("/admin/content/new") view=EditorPage ssr=SsrMode::Async />
                <Route path=path!("/admin/content/:id") view=EditorPage ssr=SsrMode::Async />
                <Route path=path!("/admin/orgs/:id") view=OrgPage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}

#[component]
fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    let t = use_t();
    view! {
        <leptos_meta::Title text=t.not_found_title />
        <main class="auth">
            <section class="card center">
                <div class="big-code" aria-hidden="true">"404"</div>
                <h1>{t.not_found_title}</h1>
                <p>{t.not_found_body}</p>
                <a class="btn primary" href="/me">{t.back_to_me}</a>
            </section>
        </main>
    }
}
