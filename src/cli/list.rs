//! `list`: every operation.

use ims_perms::catalog::Catalog;
use ims_perms::lang::Lang;

use super::*;

pub(super) fn list(catalog: &Catalog, args: &ListArgs, lang: Lang) -> Result<Exit, Failure> {
    let all: Vec<usize> = (0..catalog.len()).collect();
    print_operations(catalog, &all, args.json, lang)?;
    Ok(Exit::Success)
}
