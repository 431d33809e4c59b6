//! `terraform`: an existing policy as a Terraform role.

use ims_perms::catalog::Catalog;
use ims_perms::io::input::Source;
use ims_perms::lang::Lang;
use ims_perms::present::{self};

use super::*;

/// `terraform`: an existing policy as a Terraform role, once `explain` finds no error in it.
pub(super) fn terraform(
    catalog: &Catalog,
    args: &TerraformArgs,
    lang: Lang,
) -> Result<Exit, Failure> {
    let source = Source::from_arg(&args.file);
    let text = read_input(&source)?;
    let review = ims_perms::policy::review::explain(catalog, &text);
    if let Some(error) = review
        .findings
        .iter()
        .find(|f| f.severity == ims_perms::policy::review::Severity::Error)
    {
        let (_, words) = present::finding_line(error, lang);
        return fail(
            Exit::BadInput,
            CommandError::NotConverted {
                source: source.shown(),
                first: words,
            },
        );
    }
    let policy = ims_perms::policy::export::policy_from_document(&text).or_else(|error| {
        fail(
            Exit::BadInput,
            CommandError::Convert {
                source: source.shown(),
                error,
            },
        )
    })?;
    let description = format!("Converted from {} by ims-perms.", source.shown());
    emit(&ims_perms::policy::export::terraform_described(
        &policy,
        &args.name,
        &description,
    ))?;
    Ok(Exit::Success)
}
