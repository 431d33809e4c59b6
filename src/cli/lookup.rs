//! `lookup`: the operation an API call is.

use ims_perms::catalog::Catalog;
use ims_perms::catalog::route::Request;
use ims_perms::lang::Lang;
use ims_perms::present::{self};
use ims_perms::search::resolve::{self};

use super::*;

pub(super) fn lookup(catalog: &Catalog, args: &LookupArgs, lang: Lang) -> Result<Exit, Failure> {
    if !args.calls.is_empty() {
        return lookup_calls(catalog, args, lang);
    }
    let input = args.request.join(" ");
    let request = Request::parse(&input).or_else(|e| fail(Exit::BadInput, e))?;
    let hits = resolve::lookup(catalog, &request);
    if hits.is_empty() {
        let other_service = resolve::other_service(catalog, &request);
        // Another service's API is no typo of one of these.
        let closest: Vec<String> = match other_service {
            Some(_) => Vec::new(),
            None => resolve::closest(catalog, &request, 3)
                .into_iter()
                .map(|i| catalog.operations()[i].route_text())
                .collect(),
        };
        return fail(
            Exit::NothingFound,
            CommandError::NoRouteMatches {
                method: request.method.clone(),
                path: request.path(),
                host_service: request
                    .service_from_host(&catalog.services())
                    .map(str::to_string),
                other_service,
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
                ops[i].route_text(),
                ops[i].service,
                ops[i].id
            ));
        }
    }
    emit(&out)?;
    Ok(Exit::Success)
}

/// `lookup --calls`: one row per distinct call (a JSON array with `--json`); 1 when some call
/// matched nothing.
fn lookup_calls(catalog: &Catalog, args: &LookupArgs, lang: Lang) -> Result<Exit, Failure> {
    let read = super::calls::read_and_match(catalog, &args.calls, &args.choose, lang)?;
    if args.json {
        let rows: Vec<present::CallJson> = read
            .files
            .iter()
            .flat_map(|(recording, matched)| present::calls_json(catalog, recording, matched))
            .collect();
        let mut text = serde_json::to_string_pretty(&rows)
            .or_else(|e| fail(Exit::BadInput, CommandError::Json(e.to_string())))?;
        text.push('\n');
        emit(&text)?;
    } else {
        let mut text = String::new();
        for (recording, matched) in &read.files {
            text.push_str(&present::calls_table(catalog, recording, matched, lang));
        }
        emit(&text)?;
        // What was read, on stderr.
        for (recording, _) in &read.files {
            note(&present::calls_read(recording, lang));
            if let Some(line) = present::not_calls_line(recording, lang) {
                note(&line);
            }
        }
    }
    Ok(if read.complete() {
        Exit::Success
    } else {
        Exit::NothingFound
    })
}
