//! `explain`: what a policy allows, denies, and what is wrong in it.

use ims_perms::catalog::Catalog;
use ims_perms::io::input::Source;
use ims_perms::lang::Lang;
use ims_perms::present::{self};

use super::*;

pub(super) fn explain(catalog: &Catalog, args: &ExplainArgs, lang: Lang) -> Result<Exit, Failure> {
    let text = read_input(&Source::from_arg(&args.file))?;
    let review = ims_perms::policy::review::explain_in(catalog, &text, args.scope.into());
    if args.json {
        let doc = present::review_json(&review);
        let mut out = serde_json::to_string_pretty(&doc)
            .or_else(|e| fail(Exit::BadInput, CommandError::Json(e.to_string())))?;
        out.push('\n');
        emit(&out)?;
    } else {
        emit(&present::review_report(catalog, &review, lang))?;
    }
    Ok(if review.has_errors() {
        Exit::NothingFound
    } else {
        Exit::Success
    })
}
