//! `compose`: the smallest policy for operations.

use ims_perms::catalog::Catalog;
use ims_perms::lang::Lang;
use ims_perms::policy::compose::{ComposeOptions, Effect, compose};
use ims_perms::policy::export::ExportFormat;
use ims_perms::present::{self, Advice, Said};
use ims_perms::search::resolve::resolve_operation;

use super::*;

pub(super) fn compose_policy(
    catalog: &Catalog,
    args: &ComposeArgs,
    lang: Lang,
) -> Result<Exit, Failure> {
    let mut chosen = Vec::new();
    for spec in &args.operations {
        let i = resolve_operation(catalog, spec).or_else(|e| fail(Exit::BadInput, e))?;
        chosen.push(i);
    }
    // The calls' operations after those given; the report on them comes first.
    let calls = match args.calls.is_empty() {
        true => None,
        false => Some(super::calls::read_and_match(
            catalog,
            &args.calls,
            &args.choose,
            lang,
        )?),
    };
    let mut calls_report = Vec::new();
    if let Some(calls) = &calls {
        for i in calls.operations() {
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        calls_report = calls.report(catalog, lang);
        if chosen.is_empty() {
            note(&calls_report.join("\n"));
            return fail(Exit::NothingFound, CommandError::NoCallMatched);
        }
    }
    // 1 when some call matched nothing: the policy printed is the rest's.
    let exit = match &calls {
        Some(calls) if !calls.complete() => Exit::NothingFound,
        _ => Exit::Success,
    };
    let effect = Effect::from(args.effect);
    let options = ComposeOptions {
        with: args.with.clone(),
        all_conditional: args.all_conditional,
        with_dependencies: args.with_dependencies,
        dependencies_of: Vec::new(),
        effect,
    };
    let mut composition =
        compose(catalog, &chosen, &options).or_else(|e| fail(Exit::BadInput, e))?;
    // --compact before the report, so its counts and limits are the printed policy's.
    let mut compacted = Vec::new();
    if args.compact
        && let Some(policy) = &composition.policy
    {
        let (smaller, changes, declined) = ims_perms::policy::export::compact(catalog, policy);
        composition.set_policy(smaller);
        compacted = present::compact_report(&changes, &declined, lang);
    }
    let mut report = calls_report;
    report.extend(present::compose_report(
        catalog,
        &composition,
        effect,
        lang,
        Advice::Cli,
    ));
    report.extend(compacted);
    let Some(policy) = composition.policy.clone() else {
        // The report's headline is the error line, said last.
        let headline = present::compose_report(catalog, &composition, effect, lang, Advice::Cli)
            .into_iter()
            .next();
        report.retain(|line| Some(line) != headline.as_ref());
        note(&report.join("\n"));
        return fail(Exit::NothingFound, CommandError::NoPolicy);
    };
    let text = match ExportFormat::from(args.format) {
        ExportFormat::Json => policy.to_json(),
        ExportFormat::Terraform => ims_perms::policy::export::terraform(
            catalog,
            &composition.report.operations,
            &policy,
            &args.name,
        ),
    };
    // The policy first: the report is commentary, and a stderr that cannot be written must not
    // cost the policy.
    match args.output.as_ref().filter(|p| p.as_os_str() != "-") {
        Some(path) => {
            write_new_file(path, &text, args.force, lang)?;
            note(&report.join("\n"));
            let (written, link) = ims_perms::io::output::written_through(path);
            note(&present::said(
                &Said::Wrote {
                    bytes: text.len(),
                    path: ims_perms::io::input::shown_path(&written),
                    through: link.map(|l| ims_perms::io::input::shown_path(&l)),
                },
                lang,
            ));
        }
        None => {
            emit(&text)?;
            note(&report.join("\n"));
        }
    }
    Ok(exit)
}
