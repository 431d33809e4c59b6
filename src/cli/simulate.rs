//! `simulate`: each call's decision under a policy, what decided it, and the smallest fix.

use ims_perms::catalog::Catalog;
use ims_perms::io::input::Source;
use ims_perms::lang::Lang;
use ims_perms::policy::review::{Review, Severity, explain_in};
use ims_perms::policy::simulate::{
    Scope, Simulation, Subject, Verdict, fix, simulate as run, subjects,
};
use ims_perms::present;

use super::*;

pub(super) fn simulate(
    catalog: &Catalog,
    args: &SimulateArgs,
    lang: Lang,
) -> Result<Exit, Failure> {
    let source = Source::from_arg(&args.policy);
    let text = read_input(&source)?;
    let scope: Scope = args.scope.into();
    let review = explain_in(catalog, &text, scope);
    // A policy with errors is not what IAM would evaluate (IAM refuses it): no verdict on it.
    if !review.evaluated || review.has_errors() {
        // The last error is the one that stopped the reading.
        let first = review
            .findings
            .iter()
            .rfind(|f| f.severity == Severity::Error)
            .map(|f| present::finding_line(f, lang).1)
            .unwrap_or_default();
        return fail(
            Exit::BadInput,
            CommandError::NotAPolicy {
                source: source.shown(),
                first,
            },
        );
    }
    // Each CALL, then the recorded calls' operations.
    let mut calls: Vec<(String, Subject)> = Vec::new();
    for call in &args.calls {
        let found = subjects(catalog, call).or_else(|problem| {
            fail(
                Exit::BadInput,
                CommandError::UnknownCall {
                    call: call.clone(),
                    problem,
                },
            )
        })?;
        calls.extend(found.into_iter().map(|s| (call.clone(), s)));
    }
    if !args.call_files.is_empty() {
        let read = super::calls::read_and_match(catalog, &args.call_files, &[], lang)?;
        for (recording, matched) in &read.files {
            for c in &matched.calls {
                for &i in c.outcome.operations() {
                    calls.push((c.call.call(), Subject::Operation(i)));
                }
            }
            // Calls that are no operation are not simulated: said, as compose says them.
            if matched.unmatched() > 0 || recording.not_call_count > 0 {
                note(&present::calls_report(catalog, recording, matched, lang).join("\n"));
            }
        }
    }
    let subjects: Vec<Subject> = calls.iter().map(|(_, s)| s.clone()).collect();
    // `--with` names a conditional action of a simulated operation, as `compose --with` does.
    let conditional: Vec<String> = subjects
        .iter()
        .filter_map(|s| match s {
            Subject::Operation(i) => Some(&catalog.operations()[*i]),
            Subject::Action { .. } => None,
        })
        .flat_map(|op| op.actions.iter().filter(|a| a.is_conditional()))
        .map(|a| a.action.to_string())
        .collect();
    for w in &args.with {
        if !conditional.iter().any(|a| a.eq_ignore_ascii_case(w)) {
            let mut available = conditional.clone();
            available.sort();
            available.dedup();
            return fail(
                Exit::BadInput,
                ims_perms::policy::compose::ComposeError::NotConditional {
                    action: w.clone(),
                    available,
                },
            );
        }
    }
    let simulations = run(catalog, &review.statements, &subjects, scope, &args.with);
    let all_allowed = simulations.iter().all(|s| s.verdict == Verdict::Allowed);
    if args.json {
        let rows: Vec<present::SimulationJson> = calls
            .iter()
            .zip(&simulations)
            .map(|((call, _), s)| present::simulation_json(catalog, call, s))
            .collect();
        let mut out = serde_json::to_string_pretty(&rows)
            .or_else(|e| fail(Exit::BadInput, CommandError::Json(e.to_string())))?;
        out.push('\n');
        emit(&out)?;
        return Ok(if all_allowed {
            Exit::Success
        } else {
            Exit::NothingFound
        });
    }
    if args.fix {
        return print_fix(catalog, &text, &review, &simulations, scope, args, lang);
    }
    let mut out = Vec::new();
    for ((call, _), s) in calls.iter().zip(&simulations) {
        out.extend(present::simulation_lines(catalog, call, s, lang));
        if matches!(s.verdict, Verdict::ImplicitDeny | Verdict::ExplicitDeny) {
            match fix(catalog, &text, std::slice::from_ref(s)) {
                Ok(f) => {
                    let after = explain_in(catalog, &f.document.to_string(), scope);
                    let also = also_allowed(&review, &after, std::slice::from_ref(s));
                    out.extend(present::fix_lines(catalog, &f.changes, &also, lang));
                }
                Err(problem) => out.push(format!("  {}", present::fix_problem(&problem, lang))),
            }
        }
    }
    out.push(String::new());
    emit(&out.join("\n"))?;
    Ok(if all_allowed {
        Exit::Success
    } else {
        Exit::NothingFound
    })
}

/// `--fix`: the fixed policy on stdout, what changed and what else it allows on stderr. The fix
/// is simulated again: every call must be allowed by it.
fn print_fix(
    catalog: &Catalog,
    text: &str,
    review: &Review,
    simulations: &[Simulation],
    scope: Scope,
    args: &SimulateArgs,
    lang: Lang,
) -> Result<Exit, Failure> {
    let fixed = fix(catalog, text, simulations)
        .or_else(|problem| fail(Exit::NothingFound, CommandError::NoFix(problem)))?;
    let json = serde_json::to_string_pretty(&fixed.document)
        .or_else(|e| fail(Exit::BadInput, CommandError::Json(e.to_string())))?;
    let again = explain_in(catalog, &json, scope);
    let subjects: Vec<Subject> = simulations.iter().map(|s| s.subject.clone()).collect();
    let after = run(catalog, &again.statements, &subjects, scope, &args.with);
    if after.iter().any(|s| s.verdict != Verdict::Allowed) {
        return fail(
            Exit::NothingFound,
            CommandError::NoFix(ims_perms::policy::simulate::FixProblem::Unresolved),
        );
    }
    emit(&format!("{json}\n"))?;
    let also = also_allowed(review, &again, simulations);
    if fixed.changes.is_empty() {
        note(present::fix_nothing(lang));
    } else {
        note(&present::fix_lines(catalog, &fixed.changes, &also, lang).join("\n"));
    }
    Ok(Exit::Success)
}

/// The operations `after` allows that `before` did not, other than the simulated ones.
fn also_allowed(before: &Review, after: &Review, simulations: &[Simulation]) -> Vec<usize> {
    let simulated: Vec<usize> = simulations
        .iter()
        .filter_map(|s| match s.subject {
            Subject::Operation(i) => Some(i),
            Subject::Action { .. } => None,
        })
        .collect();
    ims_perms::policy::simulate::also_allows(before, after, &simulated)
}
