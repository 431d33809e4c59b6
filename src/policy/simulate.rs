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
    let actions = actions_in(trimmed);
    if !actions.is_empty() {
        let mut out = Vec::new();
        for action in actions {
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
            out.push(Subject::Action { action, needed_by });
        }
        return Ok(out);
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

/// The actions a CALL names: the whole CALL when it is one (`ims:images:share`, any case of
/// service), else every action a denial message quotes, each once. Empty for routes and ids.
fn actions_in(call: &str) -> Vec<String> {
    // The service in lower case, as IAM writes it.
    let as_action = |w: &str| -> Option<String> {
        let parts: Vec<&str> = w.split(':').collect();
        let ok = parts.len() == 3
            && crate::catalog::is_kebab_id(&parts[0].to_ascii_lowercase())
            && parts[1..].iter().all(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            });
        ok.then(|| {
            format!(
                "{}:{}:{}",
                parts[0].to_ascii_lowercase(),
                parts[1],
                parts[2]
            )
        })
    };
    if let Some(action) = as_action(call) {
        return vec![action];
    }
    let call = call.replace(['\u{2019}', '\u{2018}'], "'");
    let lower = call.to_ascii_lowercase();
    let denial = lower.contains("not authorized to perform")
        || lower.contains("doesn't allow")
        || lower.contains("does not allow")
        || lower.contains("explicit deny")
        || lower.contains("no identity policy allows");
    if !denial {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    let words = call.split(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | '"' | '\'' | '`' | '(' | ')' | '[' | ']')
    });
    for w in words.map(|w| w.trim_end_matches(['.', ':'])) {
        if let Some(a) = as_action(w)
            && !out.iter().any(|o| o.eq_ignore_ascii_case(&a))
        {
            out.push(a);
        }
    }
    out
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
    /// The permission table does not document the operation's actions: neither allowed nor
    /// denied can be proved.
    ActionsNotDocumented,
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
        // An action is in effect in an enterprise project when some operation that needs it
        // supports one (or does not say).
        Subject::Action { action, needed_by } => {
            let scopes = (!needed_by.is_empty()
                && needed_by.iter().all(|&i| {
                    catalog.operations()[i]
                        .scopes
                        .is_some_and(|s| !s.enterprise_project)
                }))
            .then_some(crate::catalog::Scopes {
                project: true,
                enterprise_project: false,
            });
            (vec![action.clone()], scopes)
        }
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
    let undocumented = matches!(subject, Subject::Operation(i)
        if catalog.operations()[*i].actions_not_documented.is_some());
    let verdict = if !in_scope {
        Verdict::NotInScope
    } else if undocumented {
        Verdict::ActionsNotDocumented
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
        /// The wildcard reached actions no complete loaded catalog lists (another service's,
        /// or later ones): the narrowed Deny no longer covers them.
        beyond: bool,
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
    /// The table does not document the operation's actions: nothing to add (its id).
    ActionsNotDocumented { operation: String },
    /// IAM's limits: no room for the actions to add.
    NoRoom,
    /// The document cannot be changed as read (not a JSON object with a `Statement` array).
    NotAPolicy,
    /// The changes made do not allow every call (simulated again).
    Unresolved,
}

/// The fixed policy and what changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub document: Value,
    pub changes: Vec<FixChange>,
}

/// The smallest change to `text` (the policy) that allows every simulated subject: a needed
/// action is taken out of the Deny that names it, a Deny wildcard narrowed to the catalog's
/// actions it matched but the needed ones, and actions no Allow matches added to an
/// unconditional Allow (or a new one). An Allow is never widened to a wildcard; IAM's limits
/// are kept (else [`FixProblem::NoRoom`]).
pub fn fix(catalog: &Catalog, text: &str, simulations: &[Simulation]) -> Result<Fix, FixProblem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut document: Value = serde_json::from_str(text).map_err(|_| FixProblem::NotAPolicy)?;
    for s in simulations {
        let operation = || match &s.subject {
            Subject::Operation(i) => catalog.operations()[*i].id.clone(),
            Subject::Action { action, .. } => action.clone(),
        };
        match s.verdict {
            Verdict::NotInScope => {
                return Err(FixProblem::NotInScope {
                    operation: operation(),
                });
            }
            Verdict::ActionsNotDocumented => {
                return Err(FixProblem::ActionsNotDocumented {
                    operation: operation(),
                });
            }
            _ => {}
        }
    }
    let needed: Vec<String> = simulations.iter().flat_map(|s| s.needed.clone()).collect();
    let is_needed = |a: &str| needed.iter().any(|n| n.eq_ignore_ascii_case(a));
    let statements = document
        .get_mut("Statement")
        .and_then(Value::as_array_mut)
        .ok_or(FixProblem::NotAPolicy)?;
    let mut changes = lift_denies(catalog, statements, simulations, &is_needed)?;
    changes.extend(allow_missing(statements, simulations)?);
    // IAM's limit on a statement's actions, a narrowed Deny included.
    let too_long = statements.iter().any(|st| {
        ["Action", "NotAction"].iter().any(|k| {
            st.get(*k)
                .and_then(Value::as_array)
                .is_some_and(|a| a.len() > MAX_ACTIONS_PER_STATEMENT)
        })
    });
    if too_long {
        return Err(FixProblem::NoRoom);
    }
    Ok(Fix { document, changes })
}

/// The Denies of needed actions lifted, each matched pattern once: a concrete action taken
/// out, a wildcard narrowed, a `NotAction` told to skip it; a Deny left empty dropped.
fn lift_denies(
    catalog: &Catalog,
    statements: &mut Vec<Value>,
    simulations: &[Simulation],
    is_needed: &dyn Fn(&str) -> bool,
) -> Result<Vec<FixChange>, FixProblem> {
    let mut changes = Vec::new();
    // Denies first: each matched pattern once, whichever call met it.
    let mut done: Vec<(usize, Option<usize>)> = Vec::new();
    let mut removals: Vec<(usize, usize)> = Vec::new();
    let mut touched: Vec<usize> = Vec::new();
    let known = catalog.known_actions();
    for m in simulations.iter().flat_map(|s| &s.denied_by) {
        let (si, index) = (m.matched.statement, m.matched.index);
        if done.contains(&(si, index)) && index.is_some() {
            continue;
        }
        done.push((si, index));
        touched.push(si);
        let st = statements.get_mut(si).ok_or(FixProblem::NotAPolicy)?;
        let Some(k) = index else {
            let list = action_list(st, "NotAction").ok_or(FixProblem::NotAPolicy)?;
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
            continue;
        };
        let pattern =
            ActionPattern::parse(&m.matched.pattern, true).map_err(|_| FixProblem::NotAPolicy)?;
        let list = action_list(st, "Action").ok_or(FixProblem::NotAPolicy)?;
        removals.push((si, k));
        let to: Vec<String> = if pattern.is_wildcard() {
            known
                .iter()
                .filter(|a| pattern.matches(a) && !is_needed(a))
                .map(|a| a.to_string())
                .collect()
        } else {
            Vec::new()
        };
        if to.is_empty() {
            changes.push(FixChange::RemovedFromDeny {
                statement: si,
                pattern: m.matched.pattern.clone(),
            });
            continue;
        }
        // Replaced in place; the removal of the wildcard itself comes last.
        list.extend(to.iter().map(|a| Value::String(a.clone())));
        let beyond = pattern
            .literal_service()
            .is_none_or(|service| !catalog.is_complete(service));
        changes.push(FixChange::NarrowedDeny {
            statement: si,
            pattern: m.matched.pattern.clone(),
            to,
            beyond,
        });
    }
    removals.sort_unstable_by(|a, b| b.cmp(a));
    removals.dedup();
    let mut emptied: Vec<usize> = Vec::new();
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
    // A narrowed Deny names each action once.
    touched.sort_unstable();
    touched.dedup();
    for &si in &touched {
        if let Some(list) = statements[si]
            .get_mut("Action")
            .and_then(Value::as_array_mut)
        {
            let mut seen = std::collections::HashSet::new();
            list.retain(|v| seen.insert(v.as_str().unwrap_or("").to_ascii_lowercase()));
        }
    }
    emptied.sort_unstable_by(|a, b| b.cmp(a));
    emptied.dedup();
    for &si in &emptied {
        statements.remove(si);
        changes.push(FixChange::DenyRemoved { statement: si });
    }
    Ok(changes)
}

/// Every needed action no Allow matches, added to the first unconditional Allow of `Action`s
/// with room, else to a new one (its index is the fixed policy's).
fn allow_missing(
    statements: &mut Vec<Value>,
    simulations: &[Simulation],
) -> Result<Option<FixChange>, FixProblem> {
    let mut missing: Vec<String> = Vec::new();
    for s in simulations {
        for a in &s.needed {
            let allowed = s
                .allowed_by
                .iter()
                .any(|m| m.action.eq_ignore_ascii_case(a));
            if !allowed && !missing.iter().any(|m| m.eq_ignore_ascii_case(a)) {
                missing.push(a.clone());
            }
        }
    }
    if missing.is_empty() {
        return Ok(None);
    }
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
            Ok(Some(FixChange::AddedToAllow {
                statement: si,
                actions: missing,
                new: false,
            }))
        }
        None if statements.len() < MAX_STATEMENTS => {
            statements.push(serde_json::json!({"Effect": "Allow", "Action": missing}));
            Ok(Some(FixChange::AddedToAllow {
                statement: statements.len() - 1,
                actions: missing,
                new: true,
            }))
        }
        None => Err(FixProblem::NoRoom),
    }
}

/// A statement's `Action` or `NotAction` list, made an array when it was one string (5.0).
fn action_list<'v>(st: &'v mut Value, key: &str) -> Option<&'v mut Vec<Value>> {
    let slot = st.get_mut(key)?;
    if let Value::String(one) = slot {
        *slot = Value::Array(vec![Value::String(one.clone())]);
    }
    slot.as_array_mut()
}

/// The operations `after` (the review of a fixed document) allows that `before` (the policy's
/// review, in the same scope) did not, but those in `except`: what a fix opens besides what it
/// was for. The reviews are the caller's: the policy's is already made, the fix's is needed to
/// simulate it again.
pub fn also_allows(
    before: &crate::policy::review::Review,
    after: &crate::policy::review::Review,
    except: &[usize],
) -> Vec<usize> {
    use crate::policy::review::Status;
    before
        .operations
        .iter()
        .zip(&after.operations)
        .filter(|(x, y)| x.status != Status::Allowed && y.status == Status::Allowed)
        .map(|(x, _)| x.index)
        .filter(|i| !except.contains(i))
        .collect()
}
