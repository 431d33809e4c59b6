//! `import`: permission tables into a catalog.

use ims_perms::io::input::Source;
use ims_perms::lang::Lang;
use ims_perms::present::{self};

use super::*;

/// `import`: the tables as one catalog on stdout (checked by the catalog's own checks, so it
/// always loads), and what was read on stderr.
pub(super) fn import(args: &ImportArgs, global: &Global, lang: Lang) -> Result<Exit, Failure> {
    let mut inputs = Vec::new();
    for file in &args.files {
        let source = Source::from_arg(file);
        inputs.push(ims_perms::import::ImportInput {
            name: source.shown(),
            text: read_input(&source)?,
        });
    }
    // A page whose actions name no service (APIs that need none) takes the service of the
    // loaded catalog that has its routes.
    let known = match &args.service {
        Some(_) => None,
        None => Some(load_catalogs_or_none(global)?),
    };
    let (mut catalog, report) =
        ims_perms::import::import(&inputs, args.service.as_deref(), known.as_ref())
            .or_else(|e| fail(Exit::BadInput, e))?;
    if args.complete {
        catalog.mark_complete();
    }
    emit(&ims_perms::import::to_json(&catalog))?;
    note(&present::import_report(
        &report,
        &catalog.info().service,
        lang,
    ));
    Ok(Exit::Success)
}
