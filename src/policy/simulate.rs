//! `simulate`: why a call is allowed or denied, as IAM decides it, and the smallest change to a
//! policy that allows it. Decisions come from the one evaluator ([`crate::policy::evaluate`]),
//! as `explain`'s do.

use serde_json::Value;

use crate::catalog::Catalog;
use crate::catalog::action::ActionPattern;
use crate::policy::compose::{MAX_ACTIONS_PER_STATEMENT, MAX_STATEMENTS};
pub use crate::policy::evaluate::Scope;
use crate::policy::evaluate::{Decisions, Matched, ReadStatement};
use crate::search::resolve::{RouteMatch, resolve_operation, route_match};

/// What is simulated: an operation, or an action (from a denial message, or typed) with the
/// operations that need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Operation(usize),
    Action {
        action: String,
        needed_by: Vec<usize>,
    },
}

/// Why a CALL is not something to simulate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallProblem {
    /// Not an operation, a route, an action or a denial message of the loaded catalogs; the
    /// resolver's words when it had some.
    Unknown(crate::search::resolve::ResolveError),
    /// An action no loaded operation needs.
    UnknownAction { action: String },
}

/// A CALL as typed: `METHOD URL-or-path`, an operation id, an action, or a pasted denial
/// message (IAM 5.0's `… is not authorized to perform: ims:images:share …`, IAM 1.1's
/// `Policy doesn't allow ims:images:share to be performed.`). A route several permissions
/// share gives each of them.
pub fn subjects(catalog: &Catalog, call: &str) -> Result<Vec<Subject>, CallProblem> {
    let trimmed = call.trim();
    if let Some(action) = action_in(trimmed) {
        let needed_by: Vec<usize> = catalog
            .operations()
            .iter()
            .enumerate()
            .filter(|(_, op)| {
                op.actions
                    .iter()
                    .any(|a| a.action.eq_ignore_ascii_case(&action))
            })
            .map(|(i, _)| i)
            .collect();
        if needed_by.is_empty() && !catalog.names_dependency(&action) {
            return Err(CallProblem::UnknownAction { action });
        }
        return Ok(vec![Subject::Action { action, needed_by }]);
    }
    if trimmed.contains(char::is_whitespace)
        && let Some(request) = crate::search::resolve::as_request(trimmed)
        && let RouteMatch::Shared(candidates) = route_match(catalog, &request)
    {
        return Ok(candidates.into_iter().map(Subject::Operation).collect());
    }
    resolve_operation(catalog, trimmed)
        .map(|i| vec![Subject::Operation(i)])
        .map_err(CallProblem::Unknown)
}

/// The action a CALL names: the whole CALL when it is one (`ims:images:share`), else the
/// action a denial message quotes. `None` for routes and ids.
fn action_in(call: &str) -> Option<String> {
    let is_action = |w: &str| {
        let parts: Vec<&str> = w.split(':').collect();
        parts.len() == 3
            && crate::catalog::is_kebab_id(parts[0])
            && parts[1..].iter().all(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            })
    };
    if is_action(call) {
        return Some(call.to_string());
    }
    let lower = call.to_ascii_lowercase();
    let denial = lower.contains("not authorized to perform")
        || lower.contains("doesn't allow")
        || lower.contains("does not allow")
        || lower.contains("explicit deny")
        || lower.contains("no identity policy allows");
    if !denial {
        return None;
    }
    call.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '"' | '\'' | '`' | '(' | ')'))
        .map(|w| w.trim_end_matches(['.', ':']))
        .find(|w| is_action(w))
        .map(str::to_string)
}

/// What IAM decides for a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Allowed,
    ImplicitDeny,
    ExplicitDeny,
    /// The operation does not support the enterprise-project scope it was asked in.
    NotInScope,
}

/// A statement and pattern that matched, with the action it matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedAction {
    pub action: String,
    pub matched: Matched,
}

/// One subject simulated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simulation {
    pub subject: Subject,
    pub verdict: Verdict,
    /// The actions needed (the operation's, with `--with`; or the one action).
    pub needed: Vec<String>,
    pub allowed_by: Vec<MatchedAction>,
    pub denied_by: Vec<MatchedAction>,
    /// Needed actions no Allow matches.
    pub missing: Vec<String>,
    /// A Condition or Resource of a deciding statement could change the answer.
    pub conditional: bool,
    /// Asked in an enterprise project, and the operation's scopes are not documented.
    pub scope_unknown: bool,
}

/// Simulates each subject against the statements, in `scope`. `with`: conditional actions to
/// count as needed (as `compose --with`).
pub fn simulate(
    catalog: &Catalog,
    statements: &[ReadStatement],
    subjects: &[Subject],
    scope: Scope,
    with: &[String],
) -> Vec<Simulation> {
    let decisions = Decisions::new(statements);
    subjects
        .iter()
        .map(|s| simulate_one(catalog, &decisions, s, scope, with))
        .collect()
}

fn simulate_one(
    catalog: &Catalog,
    decisions: &Decisions,
    subject: &Subject,
    scope: Scope,
    with: &[String],
) -> Simulation {
    let (needed, scopes) = match subject {
        Subject::Operation(i) => {
            let op = &catalog.operations()[*i];
            let mut needed: Vec<String> =
                op.needed_actions().iter().map(|a| a.to_string()).collect();
            for a in &op.actions {
                if with.iter().any(|w| w.eq_ignore_ascii_case(&a.action))
                    && !needed.iter().any(|n| n.eq_ignore_ascii_case(&a.action))
                {
                    needed.push(a.action.to_string());
                }
            }
            (needed, op.scopes)
        }
        Subject::Action { action, .. } => (vec![action.clone()], None),
    };
    let (mut allowed_by, mut denied_by, mut missing) = (Vec::new(), Vec::new(), Vec::new());
    for action in &needed {
        let d = decisions.decide(action);
        let with_action = |m: &Matched| MatchedAction {
            action: action.clone(),
            matched: m.clone(),
        };
        allowed_by.extend(d.allowed_by.iter().map(with_action));
        denied_by.extend(d.denied_by.iter().map(with_action));
        if !d.allowed() && !d.denied() {
            missing.push(action.clone());
        }
    }
    let in_scope = match (scope, scopes) {
        (Scope::EnterpriseProject, Some(s)) => s.enterprise_project,
        _ => true,
    };
    let scope_unknown = scope == Scope::EnterpriseProject
        && scopes.is_none()
        && matches!(subject, Subject::Operation(_));
    let verdict = if !in_scope {
        Verdict::NotInScope
    } else if !denied_by.is_empty() {
        Verdict::ExplicitDeny
    } else if missing.is_empty() && !needed.is_empty() {
        Verdict::Allowed
    } else if needed.is_empty() {
        // An operation that needs no action: any authenticated user may call it.
        Verdict::Allowed
    } else {
        Verdict::ImplicitDeny
    };
    let deciding: Box<dyn Iterator<Item = &MatchedAction>> = match verdict {
        Verdict::ExplicitDeny => Box::new(denied_by.iter()),
        _ => Box::new(allowed_by.iter()),
    };
    let conditional = deciding.into_iter().any(|m| m.matched.conditional);
    Simulation {
        subject: subject.clone(),
        verdict,
        needed,
        allowed_by,
        denied_by,
        missing,
        conditional,
        scope_unknown,
    }
}

/// One change `--fix` made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixChange {
    /// A concrete action taken out of a Deny's `Action`.
    RemovedFromDeny { statement: usize, pattern: String },
    /// A Deny wildcard replaced by the catalog actions it matched, but the needed ones.
    NarrowedDeny {
        statement: usize,
        pattern: String,
        to: Vec<String>,
    },
    /// A needed action added to a Deny's `NotAction` (so the Deny no longer applies to it).
    ExcludedFromDeny { statement: usize, action: String },
    /// A Deny statement left with no action, removed.
    DenyRemoved { statement: usize },
    /// Missing actions added to an Allow statement (`new`: a statement added for them).
    AddedToAllow {
        statement: usize,
        actions: Vec<String>,
        new: bool,
    },
}

/// Why `--fix` cannot allow everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixProblem {
    /// Not in effect in an enterprise project whatever the policy says (the operation's id).
    NotInScope { operation: String },
    /// IAM's limits: no room for the actions to add.
    NoRoom,
    /// The document cannot be changed as read (not a JSON object with a `Statement` array).
    NotAPolicy,
}

/// The fixed policy and what changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub document: Value,
    pub changes: Vec<FixChange>,
}

/// The smallest change to `text` (the policy) that allows every simulated subject: a needed
/// action is taken out of the Deny that names it, a Deny wildcard narrowed to the catalog's
/// actions it matched but the needed ones, and missing actions added to an unconditional
/// Allow (or a new one). An Allow is never widened to a wildcard.
pub fn fix(catalog: &Catalog, text: &str, simulations: &[Simulation]) -> Result<Fix, FixProblem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut document: Value = serde_json::from_str(text).map_err(|_| FixProblem::NotAPolicy)?;
    for s in simulations {
        if s.verdict == Verdict::NotInScope
            && let Subject::Operation(i) = s.subject
        {
            return Err(FixProblem::NotInScope {
                operation: catalog.operations()[i].id.clone(),
            });
        }
    }
    let needed: Vec<String> = simulations.iter().flat_map(|s| s.needed.clone()).collect();
    let is_needed = |a: &str| needed.iter().any(|n| n.eq_ignore_ascii_case(a));
    let statements = document
        .get_mut("Statement")
        .and_then(Value::as_array_mut)
        .ok_or(FixProblem::NotAPolicy)?;
    let mut changes = Vec::new();
    // Denies first: each matched pattern once, whichever call met it.
    let mut done: Vec<(usize, Option<usize>)> = Vec::new();
    let mut emptied: Vec<usize> = Vec::new();
    let mut removals: Vec<(usize, usize)> = Vec::new();
    let known = catalog.known_actions();
    for m in simulations.iter().flat_map(|s| &s.denied_by) {
        let (si, index) = (m.matched.statement, m.matched.index);
        if done.contains(&(si, index)) && index.is_some() {
            continue;
        }
        done.push((si, index));
        let st = statements.get_mut(si).ok_or(FixProblem::NotAPolicy)?;
        match index {
            None => {
                let list = not_action_list(st).ok_or(FixProblem::NotAPolicy)?;
                if !list.iter().any(|v| {
                    v.as_str()
                        .is_some_and(|a| a.eq_ignore_ascii_case(&m.action))
                }) {
                    list.push(Value::String(m.action.clone()));
                    changes.push(FixChange::ExcludedFromDeny {
                        statement: si,
                        action: m.action.clone(),
                    });
                }
            }
            Some(k) => {
                let pattern = ActionPattern::parse(&m.matched.pattern, true)
                    .map_err(|_| FixProblem::NotAPolicy)?;
                if pattern.is_wildcard() {
                    let to: Vec<String> = known
                        .iter()
                        .filter(|a| pattern.matches(a) && !is_needed(a))
                        .map(|a| a.to_string())
                        .collect();
                    let list = st
                        .get_mut("Action")
                        .and_then(Value::as_array_mut)
                        .ok_or(FixProblem::NotAPolicy)?;
                    // Replaced in place; the removal of the wildcard itself comes last.
                    list.extend(to.iter().map(|a| Value::String(a.clone())));
                    removals.push((si, k));
                    changes.push(FixChange::NarrowedDeny {
                        statement: si,
                        pattern: m.matched.pattern.clone(),
                        to,
                    });
                } else {
                    removals.push((si, k));
                    changes.push(FixChange::RemovedFromDeny {
                        statement: si,
                        pattern: m.matched.pattern.clone(),
                    });
                }
            }
        }
    }
    removals.sort_unstable_by(|a, b| b.cmp(a));
    removals.dedup();
    for (si, k) in removals {
        if let Some(list) = statements[si]
            .get_mut("Action")
            .and_then(Value::as_array_mut)
        {
            if k < list.len() {
                list.remove(k);
            }
            if list.is_empty() {
                emptied.push(si);
            }
        }
    }
    emptied.sort_unstable_by(|a, b| b.cmp(a));
    emptied.dedup();
    for &si in &emptied {
        statements.remove(si);
        changes.push(FixChange::DenyRemoved { statement: si });
    }
    // Missing actions: into the first unconditional Allow of `Action`s with room, else a new one
    // (its index is the fixed policy's).
    let mut missing: Vec<String> = Vec::new();
    for a in simulations.iter().flat_map(|s| &s.missing) {
        if !missing.iter().any(|m| m.eq_ignore_ascii_case(a)) {
            missing.push(a.clone());
        }
    }
    if !missing.is_empty() {
        let room = statements.iter().position(|st| {
            st.get("Effect").and_then(Value::as_str) == Some("Allow")
                && ["Condition", "Resource", "NotResource", "NotAction"]
                    .iter()
                    .all(|k| st.get(*k).is_none())
                && st
                    .get("Action")
                    .and_then(Value::as_array)
                    .is_some_and(|a| a.len() + missing.len() <= MAX_ACTIONS_PER_STATEMENT)
        });
        match room {
            Some(si) => {
                let list = statements[si]["Action"]
                    .as_array_mut()
                    .ok_or(FixProblem::NotAPolicy)?;
                list.extend(missing.iter().map(|a| Value::String(a.clone())));
                changes.push(FixChange::AddedToAllow {
                    statement: si,
                    actions: missing,
                    new: false,
                });
            }
            None if statements.len() < MAX_STATEMENTS => {
                statements.push(serde_json::json!({"Effect": "Allow", "Action": missing}));
                changes.push(FixChange::AddedToAllow {
                    statement: statements.len() - 1,
                    actions: missing,
                    new: true,
                });
            }
            None => return Err(FixProblem::NoRoom),
        }
    }
    Ok(Fix { document, changes })
}

/// A Deny's `NotAction` list, made an array when it was one string.
fn not_action_list(st: &mut Value) -> Option<&mut Vec<Value>> {
    let slot = st.get_mut("NotAction")?;
    if let Value::String(one) = slot {
        *slot = Value::Array(vec![Value::String(one.clone())]);
    }
    slot.as_array_mut()
}

/// The operations `after` (a fixed document) allows that `before` (the policy's text) did
/// not, but those in `except`: what a fix opens besides what it was for.
pub fn also_allows(catalog: &Catalog, before: &str, after: &Value, except: &[usize]) -> Vec<usize> {
    use crate::policy::review::{Status, explain};
    let (a, b) = (
        explain(catalog, before),
        explain(catalog, &after.to_string()),
    );
    a.operations
        .iter()
        .zip(&b.operations)
        .filter(|(x, y)| x.status != Status::Allowed && y.status == Status::Allowed)
        .map(|(x, _)| x.index)
        .filter(|i| !except.contains(i))
        .collect()
}
