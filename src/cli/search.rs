//! `search`: operations by the query language.

use ims_perms::catalog::Operation;
use ims_perms::lang::Lang;

use super::*;

pub(super) fn search(global: &Global, args: &SearchArgs, lang: Lang) -> Result<Exit, Failure> {
    use ims_perms::load::searchable::{SearchError, search_files};
    let input = args.query.join(" ");
    let found = search_files(
        !global.no_builtin,
        &global.catalog,
        cache_dir(global).as_deref(),
        &input,
    )
    .or_else(|e| match e {
        SearchError::Load(e) => fail(Exit::BadInput, e),
        SearchError::Query(e) => fail(Exit::BadInput, e),
        SearchError::NoOperations => fail(Exit::BadInput, no_operations(global)),
    })?;
    if found.operations.is_empty() {
        return nothing_matches(&input);
    }
    let ops: Vec<&Operation> = found.operations.iter().collect();
    print_found(&ops, found.several_services, args.json, lang)?;
    Ok(Exit::Success)
}

pub(super) fn nothing_matches(input: &str) -> Result<Exit, Failure> {
    fail(
        Exit::NothingFound,
        CommandError::NothingMatches {
            query: input.to_string(),
        },
    )
}
