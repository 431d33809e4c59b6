//! The composer: the smallest custom IAM policy for a set of operations, and a report of what
//! it does and does not cover. The CLI and the explorer both call [`compose`], so the policy is
//! byte-for-byte the same wherever it is made.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::action::ActionPattern;
use crate::catalog::{Catalog, Operation};
use crate::lang::LocalText;

/// Most actions Huawei IAM accepts in one statement.
pub const MAX_ACTIONS_PER_STATEMENT: usize = 100;
/// Most statements in one policy.
pub const MAX_STATEMENTS: usize = 8;
/// Most characters in one policy document (a warning threshold: not confirmed on Huawei's own
/// pages).
pub const MAX_POLICY_CHARS: usize = 6144;

/// Allow or Deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Effect {
    Allow,
    Deny,
}

/// A fine-grained custom policy, `Version` 1.1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    #[serde(rename = "Version")]
    pub version: String,
    #[serde(rename = "Statement")]
    pub statements: Vec<Statement>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    #[serde(rename = "Effect")]
    pub effect: Effect,
    #[serde(rename = "Action")]
    pub actions: Vec<String>,
}

impl Policy {
    /// The policy as pasted into the console: two-space indent, trailing newline.
    pub fn to_json(&self) -> String {
        let mut out = serde_json::to_string_pretty(self).expect("a policy always serialises");
        out.push('\n');
        out
    }

    /// Length in characters of the compact JSON, which is what a size limit counts.
    pub fn compact_chars(&self) -> usize {
        serde_json::to_string(self)
            .expect("a policy always serialises")
            .chars()
            .count()
    }

    pub fn action_count(&self) -> usize {
        self.statements.iter().map(|s| s.actions.len()).sum()
    }
}

/// The operations chosen, in the order chosen, each once: what the composer composes and the
/// explorer's `Space` builds. Membership is a hash lookup, so selecting every row of 100,000
/// (`a`) or composing them stays linear.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    order: Vec<usize>,
    members: std::collections::HashSet<usize>,
}

impl Selection {
    pub fn new() -> Selection {
        Selection::default()
    }

    /// Whether operation `i` is chosen.
    pub fn contains(&self, i: usize) -> bool {
        self.members.contains(&i)
    }

    /// Chooses `i` (at the end) unless it is chosen already; whether it was added.
    pub fn insert(&mut self, i: usize) -> bool {
        let added = self.members.insert(i);
        if added {
            self.order.push(i);
        }
        added
    }

    /// Chooses `i`, or unchooses it when it was chosen.
    pub fn toggle(&mut self, i: usize) {
        if self.members.remove(&i) {
            self.order.retain(|&o| o != i);
        } else {
            self.insert(i);
        }
    }

    pub fn clear(&mut self) {
        self.order.clear();
        self.members.clear();
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The chosen operations in the order chosen.
    pub fn as_slice(&self) -> &[usize] {
        &self.order
    }

    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.order.iter().copied()
    }
}

impl FromIterator<usize> for Selection {
    /// Each index once, in the order first given.
    fn from_iter<I: IntoIterator<Item = usize>>(indices: I) -> Selection {
        let mut selection = Selection::new();
        for i in indices {
            selection.insert(i);
        }
        selection
    }
}

/// What the user asked for besides the operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeOptions {
    /// Conditional actions to include (any case).
    pub with: Vec<String>,
    /// Include every conditional action.
    pub all_conditional: bool,
    /// Include the dependent actions of every chosen operation (`--with-dependencies`).
    pub with_dependencies: bool,
    /// Include the dependent actions of these operations (the explorer's toggles).
    pub dependencies_of: Vec<usize>,
    pub effect: Effect,
}

impl Default for ComposeOptions {
    fn default() -> Self {
        ComposeOptions {
            with: Vec::new(),
            all_conditional: false,
            with_dependencies: false,
            dependencies_of: Vec::new(),
            effect: Effect::Allow,
        }
    }
}

/// A conditional action of one chosen operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionalAction {
    pub operation: usize,
    pub action: String,
    pub condition: LocalText,
    /// Included although not asked for: another chosen operation needs the action (the policy
    /// grants it anyway).
    pub needed_by: Option<usize>,
}

/// A permission on another service that some chosen operations need first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrerequisiteNeed {
    /// Short: `OBS Tenant Administrator`.
    pub permission: LocalText,
    /// The operations that need it, each with the case it is needed in (`None`: always).
    pub operations: Vec<(usize, Option<LocalText>)>,
}

/// The dependent actions of one chosen operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DependencyNeed {
    pub operation: usize,
    pub actions: Vec<crate::catalog::ActionRequirement>,
}

/// An operation outside the selection whose actions the policy partly grants (quick import,
/// where each action serves one case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartialGrant {
    pub operation: usize,
    pub granted: Vec<ConditionalAction>,
}

/// Everything the composer has to say about a policy besides the policy itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// The chosen operations, without repeats, in the order given.
    pub operations: Vec<usize>,
    /// Chosen operations that need no action.
    pub no_action: Vec<usize>,
    /// Chosen operations that cannot be granted in Project scope.
    pub project_blockers: Vec<usize>,
    /// Chosen operations that cannot be granted in Enterprise Project scope.
    pub enterprise_project_blockers: Vec<usize>,
    /// Chosen operations whose table does not say which scopes they support.
    pub scopes_unknown: Vec<usize>,
    /// Dependent actions of chosen operations, included or left out.
    pub dependencies_included: Vec<DependencyNeed>,
    pub dependencies_left_out: Vec<DependencyNeed>,
    pub prerequisites: Vec<PrerequisiteNeed>,
    pub conditional_included: Vec<ConditionalAction>,
    pub conditional_left_out: Vec<ConditionalAction>,
    /// Other operations the same actions fully allow (or deny).
    pub also_covers: Vec<usize>,
    pub partly_covers: Vec<PartialGrant>,
    /// Actions in the largest statement.
    pub largest_statement: usize,
    pub statements: usize,
    /// Characters of the compact policy JSON.
    pub characters: usize,
}

/// A policy (when any action results) and its report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composition {
    pub policy: Option<Policy>,
    pub report: Report,
}

impl Composition {
    /// Puts `policy` in place of the one composed (`--compact`'s), with the report's counts of
    /// statements, actions and characters made its.
    pub fn set_policy(&mut self, policy: Policy) {
        self.report.largest_statement = policy
            .statements
            .iter()
            .map(|s| s.actions.len())
            .max()
            .unwrap_or(0);
        self.report.statements = policy.statements.len();
        self.report.characters = policy.compact_chars();
        self.policy = Some(policy);
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComposeError {
    /// `--with` named an action that is not a conditional action of any chosen operation.
    NotConditional {
        action: String,
        available: Vec<String>,
    },
    /// More statements than IAM allows.
    TooManyStatements { statements: usize },
    /// Chosen operations whose actions the permission table does not document (their ids): a
    /// policy without them would not cover them, and none can be proved to.
    ActionsNotDocumented { operations: Vec<String> },
}

impl std::error::Error for ComposeError {}

/// Case-insensitive identity of an action (resource type and action are case-insensitive in
/// IAM; the service is lower case by validation).
fn action_key(action: &str) -> String {
    action.to_ascii_lowercase()
}

/// The actions `op` contributes under `options`.
fn actions_for(op: &Operation, with: &[String], all_conditional: bool) -> Vec<String> {
    let picked = |a: &str| with.contains(&action_key(a));
    if op.all_conditional() && !all_conditional {
        let chosen: Vec<String> = op
            .actions
            .iter()
            .filter(|a| picked(&a.action))
            .map(|a| a.action.to_string())
            .collect();
        if !chosen.is_empty() {
            return chosen;
        }
        return op.actions.iter().map(|a| a.action.to_string()).collect();
    }
    op.actions
        .iter()
        .filter(|a| !a.is_conditional() || all_conditional || picked(&a.action))
        .map(|a| a.action.to_string())
        .collect()
}

/// Composes the smallest policy for `operations` (indices into the catalog).
pub fn compose(
    catalog: &Catalog,
    operations: &[usize],
    options: &ComposeOptions,
) -> Result<Composition, ComposeError> {
    let selection: Selection = operations.iter().copied().collect();
    let chosen = selection.as_slice();
    let undocumented: Vec<String> = chosen
        .iter()
        .map(|&i| &catalog.operations()[i])
        .filter(|op| op.actions_not_documented.is_some())
        .map(|op| op.id.clone())
        .collect();
    if !undocumented.is_empty() {
        return Err(ComposeError::ActionsNotDocumented {
            operations: undocumented,
        });
    }
    check_with(catalog, chosen, options)?;
    let with: Vec<String> = options.with.iter().map(|a| action_key(a)).collect();
    let (mut report, mut granted) = gather(catalog, chosen, options, &with);
    say_why_conditionals_are_in(catalog, chosen, options, &with, &granted, &mut report);
    let wildcards = wildcards_of(&granted);
    what_else_is_granted(catalog, &selection, &granted, &wildcards, &mut report);
    if granted.is_empty() {
        return Ok(Composition {
            policy: None,
            report,
        });
    }
    drop_covered_actions(&mut granted, &wildcards);
    let policy = statements_by_service(granted, options.effect)?;
    let mut composition = Composition {
        policy: None,
        report,
    };
    composition.set_policy(policy);
    Ok(composition)
}

/// Every `--with` must be one of the chosen operations' conditional actions.
fn check_with(
    catalog: &Catalog,
    chosen: &[usize],
    options: &ComposeOptions,
) -> Result<(), ComposeError> {
    let ops = catalog.operations();
    let mut available: Vec<String> = Vec::new();
    for &i in chosen {
        for a in ops[i].actions.iter().filter(|a| a.is_conditional()) {
            if !available
                .iter()
                .any(|x| action_key(x) == action_key(&a.action))
            {
                available.push(a.action.to_string());
            }
        }
    }
    for w in &options.with {
        if !available.iter().any(|a| action_key(a) == action_key(w)) {
            return Err(ComposeError::NotConditional {
                action: w.clone(),
                available,
            });
        }
    }
    Ok(())
}

/// The actions granted (lower-case key → spelling, first seen wins) and what the report says of
/// each chosen operation: no action, scopes, dependencies, conditional actions, prerequisites.
fn gather(
    catalog: &Catalog,
    chosen: &[usize],
    options: &ComposeOptions,
    with: &[String],
) -> (Report, BTreeMap<String, String>) {
    let ops = catalog.operations();
    let mut report = Report {
        operations: chosen.to_vec(),
        ..Report::default()
    };
    let mut granted: BTreeMap<String, String> = BTreeMap::new();
    for &i in chosen {
        let op = &ops[i];
        if op.actions.is_empty() {
            report.no_action.push(i);
        }
        match op.scopes {
            Some(scopes) => {
                if !scopes.project {
                    report.project_blockers.push(i);
                }
                if !scopes.enterprise_project {
                    report.enterprise_project_blockers.push(i);
                }
            }
            None => report.scopes_unknown.push(i),
        }
        if !op.dependencies.is_empty() {
            let need = DependencyNeed {
                operation: i,
                actions: op.dependencies.clone(),
            };
            if options.with_dependencies || options.dependencies_of.contains(&i) {
                for d in &op.dependencies {
                    granted
                        .entry(action_key(&d.action))
                        .or_insert_with(|| d.action.to_string());
                }
                report.dependencies_included.push(need);
            } else {
                report.dependencies_left_out.push(need);
            }
        }
        let included = actions_for(op, with, options.all_conditional);
        for a in &op.actions {
            let Some(condition) = &a.condition else {
                continue;
            };
            let entry = ConditionalAction {
                operation: i,
                action: a.action.to_string(),
                condition: LocalText::clone(condition),
                needed_by: None,
            };
            if included.iter().any(|x| **x == *a.action) {
                report.conditional_included.push(entry);
            } else {
                report.conditional_left_out.push(entry);
            }
        }
        for a in included {
            granted.entry(action_key(&a)).or_insert(a);
        }
        add_prerequisites(&mut report, i, op);
    }
    (report, granted)
}

/// The permissions on other services `op` needs first, merged by permission.
fn add_prerequisites(report: &mut Report, i: usize, op: &Operation) {
    for p in &op.prerequisites {
        let permission = p.permission.clone().unwrap_or_else(|| p.note());
        let need = (i, p.condition.clone());
        match report
            .prerequisites
            .iter_mut()
            .find(|n| n.permission == permission)
        {
            Some(existing) => existing.operations.push(need),
            None => report.prerequisites.push(PrerequisiteNeed {
                permission,
                operations: vec![need],
            }),
        }
    }
}

/// A conditional action left out for one operation but needed by another is in the policy all
/// the same: say so, and why, never "left out".
fn say_why_conditionals_are_in(
    catalog: &Catalog,
    chosen: &[usize],
    options: &ComposeOptions,
    with: &[String],
    granted: &BTreeMap<String, String>,
    report: &mut Report,
) {
    let ops = catalog.operations();
    let left_out = std::mem::take(&mut report.conditional_left_out);
    for mut c in left_out {
        if granted.contains_key(&action_key(&c.action)) {
            c.needed_by = chosen.iter().copied().find(|&o| {
                o != c.operation
                    && actions_for(&ops[o], with, options.all_conditional)
                        .iter()
                        .any(|a| action_key(a) == action_key(&c.action))
            });
            report.conditional_included.push(c);
        } else {
            report.conditional_left_out.push(c);
        }
    }
}

/// What else the same actions grant, fully or (where each action serves one case) partly: only
/// operations listing one of them can be granted.
fn what_else_is_granted(
    catalog: &Catalog,
    chosen: &Selection,
    granted: &BTreeMap<String, String>,
    wildcards: &[ActionPattern],
    report: &mut Report,
) {
    let ops = catalog.operations();
    // A documented dependency wildcard (`kms:*:*`) grants every loaded action it matches.
    let grants = |action: &str| {
        granted.contains_key(&action_key(action)) || wildcards.iter().any(|w| w.matches(action))
    };
    // Only when there are wildcards: the explorer composes on every key that changes the
    // selection, and listing 100,000 known actions each time would be felt.
    let through_wildcards: Vec<String> = if wildcards.is_empty() {
        Vec::new()
    } else {
        catalog
            .known_actions()
            .into_iter()
            .filter(|a| wildcards.iter().any(|w| w.matches(a)))
            .map(action_key)
            .collect()
    };
    let mut others: Vec<usize> = granted
        .keys()
        .chain(through_wildcards.iter())
        .flat_map(|key| catalog.with_action(key).iter().copied())
        .filter(|&i| !chosen.contains(i))
        .collect();
    others.sort_unstable();
    others.dedup();
    for i in others {
        let op = &ops[i];
        let needed = op.needed_actions();
        if needed.iter().all(|a| grants(a)) {
            report.also_covers.push(i);
        } else if op.all_conditional() {
            let partial: Vec<ConditionalAction> = op
                .actions
                .iter()
                .filter(|a| grants(&a.action))
                .map(|a| ConditionalAction {
                    operation: i,
                    action: a.action.to_string(),
                    condition: a.condition.as_deref().cloned().unwrap_or_default(),
                    needed_by: None,
                })
                .collect();
            if !partial.is_empty() {
                report.partly_covers.push(PartialGrant {
                    operation: i,
                    granted: partial,
                });
            }
        }
    }
}

/// The wildcards among the granted actions (documented dependencies: `obs:bucket:*`).
fn wildcards_of(granted: &BTreeMap<String, String>) -> Vec<ActionPattern> {
    granted
        .values()
        .filter(|a| a.contains('*'))
        .filter_map(|a| ActionPattern::parse(a, false).ok())
        .collect()
}

/// An action a wildcard of the same policy already grants (`evs:volumes:get` beside the
/// documented `evs:volumes:*`) is left out: it adds nothing, and `explain` would call it
/// covered.
fn drop_covered_actions(granted: &mut BTreeMap<String, String>, wildcards: &[ActionPattern]) {
    if !wildcards.is_empty() {
        granted.retain(|key, spelling| {
            !wildcards
                .iter()
                .any(|w| w.raw.to_ascii_lowercase() != *key && w.covers(spelling))
        });
    }
}

/// One statement per service, each cut at the per-statement limit. Sorted by the
/// case-insensitive key, so the order never depends on the choice order.
fn statements_by_service(
    granted: BTreeMap<String, String>,
    effect: Effect,
) -> Result<Policy, ComposeError> {
    let mut by_service: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, spelling) in granted {
        let service = key.split(':').next().unwrap_or("").to_string();
        by_service.entry(service).or_default().push(spelling);
    }
    let mut statements = Vec::new();
    for actions in by_service.into_values() {
        for chunk in actions.chunks(MAX_ACTIONS_PER_STATEMENT) {
            statements.push(Statement {
                effect,
                actions: chunk.to_vec(),
            });
        }
    }
    if statements.len() > MAX_STATEMENTS {
        return Err(ComposeError::TooManyStatements {
            statements: statements.len(),
        });
    }
    Ok(Policy {
        version: "1.1".into(),
        statements,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selection_keeps_order_and_each_operation_once() {
        let mut s: Selection = [3, 1, 3, 2, 1].into_iter().collect();
        assert_eq!(s.as_slice(), [3, 1, 2]);
        s.toggle(1);
        assert_eq!(s.as_slice(), [3, 2]);
        assert!(!s.contains(1) && s.contains(2));
        s.toggle(1);
        assert!(!s.insert(3));
        assert_eq!(s.as_slice(), [3, 2, 1]);
        s.clear();
        assert!(s.is_empty());
    }
    use crate::lang::Lang;

    fn idx(c: &Catalog, id: &str) -> usize {
        c.find_id(id)[0]
    }

    fn actions_of(c: &Catalog, ids: &[&str], options: &ComposeOptions) -> Vec<String> {
        let chosen: Vec<usize> = ids.iter().map(|id| idx(c, id)).collect();
        match compose(c, &chosen, options).unwrap().policy {
            Some(p) => p.statements.into_iter().flat_map(|s| s.actions).collect(),
            None => vec![],
        }
    }

    fn with(actions: &[&str]) -> ComposeOptions {
        ComposeOptions {
            with: actions.iter().map(|s| s.to_string()).collect(),
            ..ComposeOptions::default()
        }
    }

    #[test]
    fn upload_native_needs_three_actions_project_only() {
        let c = Catalog::builtin().unwrap();
        let comp = compose(
            &c,
            &[idx(&c, "upload-image-native")],
            &ComposeOptions::default(),
        )
        .unwrap();
        let p = comp.policy.unwrap();
        assert_eq!(
            p.to_json(),
            "{\n  \"Version\": \"1.1\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\n        \"ims:images:get\",\n        \"ims:images:update\",\n        \"ims:images:upload\"\n      ]\n    }\n  ]\n}\n"
        );
        assert!(comp.report.project_blockers.is_empty());
        assert_eq!(
            comp.report.enterprise_project_blockers,
            vec![idx(&c, "upload-image-native")]
        );
    }

    #[test]
    fn dedups_and_sorts_and_ignores_choice_order() {
        let c = Catalog::builtin().unwrap();
        let a = actions_of(
            &c,
            &["list-images", "list-images-native", "delete-image-native"],
            &ComposeOptions::default(),
        );
        let b = actions_of(
            &c,
            &[
                "delete-image-native",
                "list-images-native",
                "list-images",
                "list-images",
            ],
            &ComposeOptions::default(),
        );
        assert_eq!(a, ["ims:images:delete", "ims:images:list"]);
        assert_eq!(a, b);
    }

    #[test]
    fn conditional_actions_left_out_unless_asked() {
        let c = Catalog::builtin().unwrap();
        assert_eq!(
            actions_of(&c, &["update-image"], &ComposeOptions::default()),
            ["ims:images:update"]
        );
        assert_eq!(
            actions_of(&c, &["update-image"], &with(&["ims:serverimages:CREATE"])),
            ["ims:images:update", "ims:serverImages:create"]
        );
        let all = ComposeOptions {
            all_conditional: true,
            ..ComposeOptions::default()
        };
        assert_eq!(
            actions_of(&c, &["update-image"], &all),
            ["ims:images:update", "ims:serverImages:create"]
        );
        let comp = compose(&c, &[idx(&c, "update-image")], &ComposeOptions::default()).unwrap();
        assert_eq!(comp.report.conditional_left_out.len(), 1);
        assert_eq!(
            comp.report.conditional_left_out[0].action,
            "ims:serverImages:create"
        );
    }

    #[test]
    fn all_conditional_operation_takes_all_unless_with_picks() {
        let c = Catalog::builtin().unwrap();
        assert_eq!(
            actions_of(&c, &["quick-import-image"], &ComposeOptions::default()),
            ["ims:dataImages:create", "ims:serverImages:create"]
        );
        assert_eq!(
            actions_of(
                &c,
                &["quick-import-image"],
                &with(&["ims:dataImages:create"])
            ),
            ["ims:dataImages:create"]
        );
        let comp = compose(
            &c,
            &[idx(&c, "quick-import-image")],
            &with(&["ims:dataImages:create"]),
        )
        .unwrap();
        assert_eq!(comp.report.conditional_left_out.len(), 1);
        assert_eq!(comp.report.conditional_included.len(), 1);
    }

    #[test]
    fn with_must_name_a_conditional_action_of_the_choice() {
        let c = Catalog::builtin().unwrap();
        let e = compose(
            &c,
            &[idx(&c, "update-image")],
            &with(&["ims:images:delete"]),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "--with ims:images:delete: not a conditional action of the chosen operations (they have: ims:serverImages:create)"
        );
        let e = compose(&c, &[idx(&c, "list-images")], &with(&["ims:images:delete"])).unwrap_err();
        assert!(e.to_string().contains("have no conditional actions"));
    }

    #[test]
    fn an_action_a_wildcard_of_the_policy_grants_is_left_out() {
        let mut c = Catalog::builtin().unwrap();
        let mut extra = c.operations()[0].clone();
        extra.service = "evs".into();
        extra.id = "attach".into();
        extra.actions = vec![crate::catalog::ActionRequirement {
            action: "evs:volumes:attach".into(),
            condition: None,
        }];
        extra.dependencies = vec![crate::catalog::ActionRequirement {
            action: "evs:volumes:get".into(),
            condition: None,
        }];
        let doc = crate::catalog::CatalogDoc {
            service: "evs".into(),
            complete: false,
            source: crate::catalog::Source {
                title: "t".into(),
                url: None,
                retrieved: None,
            },
            operations: vec![extra],
        };
        c.add(crate::catalog::check_document("evs.json", doc).unwrap())
            .unwrap();
        let chosen = [idx(&c, "create-image"), c.len() - 1];
        let options = ComposeOptions {
            with_dependencies: true,
            ..ComposeOptions::default()
        };
        let policy = compose(&c, &chosen, &options).unwrap().policy.unwrap();
        let evs: Vec<&str> = policy
            .statements
            .iter()
            .flat_map(|s| s.actions.iter().map(String::as_str))
            .filter(|a| a.starts_with("evs:"))
            .collect();
        // evs:volumes:get and evs:volumes:attach are within the documented evs:volumes:*.
        assert_eq!(evs, ["evs:volumes:*"]);
    }

    #[test]
    fn no_action_gives_no_policy() {
        let c = Catalog::builtin().unwrap();
        let comp = compose(
            &c,
            &[idx(&c, "list-versions-native")],
            &ComposeOptions::default(),
        )
        .unwrap();
        assert!(comp.policy.is_none());
        assert_eq!(comp.report.no_action, vec![idx(&c, "list-versions-native")]);
        let comp = compose(
            &c,
            &[idx(&c, "list-versions-native"), idx(&c, "list-images")],
            &ComposeOptions::default(),
        )
        .unwrap();
        assert!(comp.policy.is_some());
        assert_eq!(comp.report.no_action.len(), 1);
    }

    #[test]
    fn reports_what_else_the_actions_allow() {
        let c = Catalog::builtin().unwrap();
        let comp = compose(&c, &[idx(&c, "list-images")], &ComposeOptions::default()).unwrap();
        let also: Vec<&str> = comp
            .report
            .also_covers
            .iter()
            .map(|&i| c.operations()[i].id.as_str())
            .collect();
        assert_eq!(
            also,
            [
                "list-images-native",
                "list-image-details-v1-1",
                "list-tags",
                "list-images-by-tag",
                "list-image-tags",
                "list-all-image-tags"
            ]
        );
        // serverImages:create (create-image) grants quick import for system disks only.
        let comp = compose(&c, &[idx(&c, "create-image")], &ComposeOptions::default()).unwrap();
        assert_eq!(comp.report.partly_covers.len(), 1);
        assert_eq!(
            c.operations()[comp.report.partly_covers[0].operation].id,
            "quick-import-image"
        );
        // images:update alone fully allows update-image (its other action is conditional).
        let comp = compose(
            &c,
            &[idx(&c, "update-image-native")],
            &ComposeOptions::default(),
        )
        .unwrap();
        let also: Vec<&str> = comp
            .report
            .also_covers
            .iter()
            .map(|&i| c.operations()[i].id.as_str())
            .collect();
        assert_eq!(
            also,
            [
                "update-image",
                "batch-add-delete-image-tags",
                "add-image-tag",
                "delete-image-tag"
            ]
        );
    }

    #[test]
    fn scopes_and_prerequisites_are_reported_once() {
        let c = Catalog::builtin().unwrap();
        let ids = [
            "create-image",
            "export-image",
            "create-whole-image",
            "list-images",
        ];
        let chosen: Vec<usize> = ids.iter().map(|id| idx(&c, id)).collect();
        let comp = compose(&c, &chosen, &ComposeOptions::default()).unwrap();
        assert!(comp.report.enterprise_project_blockers.is_empty());
        let perms: Vec<&str> = comp
            .report
            .prerequisites
            .iter()
            .map(|p| p.permission.get(Lang::En))
            .collect();
        assert_eq!(
            perms,
            [
                "OBS Tenant Administrator",
                "CSBS Administrator or CBR Admin"
            ]
        );
        assert_eq!(comp.report.prerequisites[0].operations.len(), 2);
        let lines = crate::present::compose_report(
            &c,
            &comp,
            Effect::Allow,
            Lang::En,
            crate::present::Advice::Cli,
        )
        .join("\n");
        assert!(lines.contains("Enterprise Project: yes"), "{lines}");
        assert!(
            lines.contains("  OBS Tenant Administrator (create-image: only when creating the image from an external image file; export-image)"),
            "{lines}"
        );
    }

    #[test]
    fn a_conditional_action_another_operation_needs_is_included_and_says_why() {
        let c = Catalog::builtin().unwrap();
        let comp = compose(
            &c,
            &[idx(&c, "create-image"), idx(&c, "update-image")],
            &ComposeOptions::default(),
        )
        .unwrap();
        assert!(comp.report.conditional_left_out.is_empty());
        let included = &comp.report.conditional_included[0];
        assert_eq!(included.action, "ims:serverImages:create");
        assert_eq!(included.needed_by, Some(idx(&c, "create-image")));
        let lines = crate::present::compose_report(
            &c,
            &comp,
            Effect::Allow,
            Lang::En,
            crate::present::Advice::Cli,
        )
        .join("\n");
        assert!(
            lines.contains("in the policy because create-image needs it"),
            "{lines}"
        );
        assert!(!lines.contains("left out"), "{lines}");
    }

    #[test]
    fn deny_and_limits() {
        let c = Catalog::builtin().unwrap();
        let opts = ComposeOptions {
            effect: Effect::Deny,
            ..ComposeOptions::default()
        };
        let comp = compose(&c, &[idx(&c, "delete-image-native")], &opts).unwrap();
        let p = comp.policy.unwrap();
        assert!(p.to_json().contains("\"Effect\": \"Deny\""));
        assert_eq!(comp.report.characters, p.compact_chars());
        assert_eq!(comp.report.largest_statement, 1);
    }

    #[test]
    fn large_selections_split_into_statements_and_stop_past_eight() {
        let mut c = Catalog::new();
        let ops: Vec<serde_json::Value> = (0..801)
            .map(|n| {
                crate::testing::test_op(
                    &format!("op-{n}"),
                    "GET",
                    &format!("/v1/x{n}"),
                    &[&format!("svc:things:act{n}")],
                )
            })
            .collect();
        let json = crate::testing::catalog_json("svc", &ops);
        c.add(crate::catalog::parse("big.json", &json).unwrap())
            .unwrap();
        let first_350: Vec<usize> = (0..350).collect();
        let comp = compose(&c, &first_350, &ComposeOptions::default()).unwrap();
        let p = comp.policy.unwrap();
        assert_eq!(
            p.statements
                .iter()
                .map(|s| s.actions.len())
                .collect::<Vec<_>>(),
            [100, 100, 100, 50]
        );
        let lines = crate::present::compose_report(
            &c,
            &compose(&c, &first_350, &ComposeOptions::default()).unwrap(),
            Effect::Allow,
            Lang::En,
            crate::present::Advice::Cli,
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("Warning: the policy is over 6144"))
        );
        let all: Vec<usize> = (0..801).collect();
        assert_eq!(
            compose(&c, &all, &ComposeOptions::default()).unwrap_err(),
            ComposeError::TooManyStatements { statements: 9 }
        );
    }
}
