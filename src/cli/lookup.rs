//! `lookup`: the operation an API call is.

use ims_perms::catalog::Catalog;
use ims_perms::catalog::route::Request;
use ims_perms::lang::Lang;
use ims_perms::present::{self};
use ims_perms::search::resolve::{self};

use super::*;

pub(super) fn lookup(catalog: &Catalog, args: &LookupArgs, lang: Lang) -> Result<Exit, Failure> {
    let input = args.request.join(" ");
    let request = Request::parse(&input).or_else(|e| fail(Exit::BadInput, e))?;
    let hits = resolve::lookup(catalog, &request);
    if hits.is_empty() {
        let closest: Vec<String> = resolve::closest(catalog, &request, 3)
            .into_iter()
            .map(|i| catalog.operations()[i].route())
            .collect();
        return fail(
            Exit::NothingFound,
            CommandError::NoRouteMatches {
                method: request.method.clone(),
                path: request.path(),
                host_service: request
                    .service_from_host(&catalog.services())
                    .map(str::to_string),
                closest,
            },
        );
    }
    if args.json {
        print_operations(catalog, &hits, true, lang)?;
        return Ok(Exit::Success);
    }
    let ops = catalog.operations();
    // Several permissions on one route are equals: each in full.
    let best = resolve::lookup_best(catalog, &request);
    let mut out = String::new();
    if best.len() > 1 {
        out.push_str(&present::shared_route(best.len(), lang));
        out.push('\n');
    }
    for &i in &best {
        out.push_str(&present::operation_detail(&ops[i], lang));
    }
    let hits: Vec<usize> = hits.into_iter().filter(|i| !best.contains(i)).collect();
    if !hits.is_empty() {
        out.push_str(present::also_matches(lang));
        out.push('\n');
        for &i in &hits {
            out.push_str(&format!(
                "  {}  ({}: {})\n",
                ops[i].route(),
                ops[i].service,
                ops[i].id
            ));
        }
    }
    emit(&out)?;
    Ok(Exit::Success)
}
