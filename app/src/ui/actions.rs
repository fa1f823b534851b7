//! What a page reads from a server action: its last error, and how many times it
//! succeeded.

use leptos::prelude::*;

use crate::error::AppError;

/// The error of an action's last run, if it failed.
pub fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    let value = action.value();
    Signal::derive(move || value.get().and_then(Result::err))
}

/// Counts an action's successful runs: a page's data that depends on it is fetched again
/// after a success only, so that a refused form stays as the user typed it.
pub fn action_done<I, O>(action: ServerAction<I>) -> Memo<usize>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    let value = action.value();
    let version = action.version();
    Memo::new(move |prev: Option<&usize>| {
        let runs = version.get();
        match value.with(|v| matches!(v, Some(Ok(_)))) {
            true => runs,
            false => prev.copied().unwrap_or(0),
        }
    })
}
