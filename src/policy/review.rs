//! Policy review: what an existing policy lets a user do with the loaded catalogs' operations,
//! and what in it is wrong or too broad. `ims-perms explain` prints it; the explorer overlays it.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Serialize;
use serde_json::Value;

use crate::catalog::Catalog;
use crate::catalog::action::glob;
pub use crate::catalog::action::{ActionPattern, MalformedWhy};
use crate::lang::LocalText;
use crate::policy::compose::{MAX_ACTIONS_PER_STATEMENT, MAX_POLICY_CHARS, MAX_STATEMENTS};
use crate::text::escape_controls;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// One thing worth saying about the policy document: a fact, put into words by
/// `present::finding` (in JSON, by `present::review_json`, with the message in English).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// Where in the document: `Statement[0].Action[2]`; empty for the whole document.
    pub path: String,
    pub kind: FindingKind,
}

/// What a finding is about. Values quoted from the document are escaped and shortened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindingKind {
    InvalidJson {
        line: usize,
        column: usize,
        /// serde_json's reason, in English.
        detail: String,
    },
    NotAnObject,
    DuplicateKey,
    UnknownKey {
        key: String,
        nearest: Option<String>,
    },
    /// Version 1.0: a role.
    Role,
    /// Version 5.0: an identity policy.
    IdentityPolicy,
    BadVersion {
        found: String,
    },
    MissingVersion,
    DependsNotEvaluated,
    TooManyCharacters {
        characters: usize,
    },
    StatementNotArray,
    MissingStatement,
    TooManyStatements {
        count: usize,
    },
    StatementNotObject,
    BadEffect {
        found: String,
    },
    MissingEffect,
    /// `Condition`, `Resource` or `NotResource`.
    NotEvaluated {
        key: &'static str,
    },
    ActionNotArray,
    MissingAction,
    /// `"Action": []`: the statement allows (or denies) nothing.
    EmptyAction {
        allow: bool,
    },
    TooManyActions {
        count: usize,
    },
    ActionNotString,
    /// A statement with both `Action` and `NotAction`.
    ActionAndNotAction,
    MalformedAction {
        action: String,
        why: MalformedWhy,
    },
    WildcardsNotAllChecked {
        checked: usize,
    },
    Duplicate {
        of: String,
    },
    Covered {
        action: String,
        by: String,
    },
    OtherService {
        action: String,
        service: String,
    },
    UnknownAction {
        action: String,
        nearest: Option<String>,
    },
    /// An allowed operation's dependent actions that the policy does not allow.
    MissingDependencies {
        operation: String,
        missing: Vec<String>,
    },
    BroadWildcard {
        wildcard: String,
        /// The catalog actions it matches.
        matched: Vec<String>,
        /// Ids of the operations it grants beyond the explicit actions.
        operations: Vec<String>,
        /// Whether the policy has explicit actions at all (else the operations are simply
        /// what it grants).
        beyond_explicit: bool,
    },
}

/// What the policy does for one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Allowed,
    Denied,
    Partial,
    NotGranted,
    /// The operation needs no action (schemas, versions): any authenticated user may call it,
    /// whatever the policy says.
    NoActionNeeded,
    /// The permission table does not document the operation's actions: no verdict either way.
    ActionsNotDocumented,
    /// Reviewed for an enterprise project, and the operation does not support one: not in
    /// effect there, whatever the policy says.
    NotInScope,
}

/// The policy formats the reviewer recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Format {
    /// `"Version": "1.1"`: fine-grained custom policy, fully evaluated.
    FineGrained,
    /// `"Version": "1.0"`: a role. Its statements are evaluated; `Depends` is not.
    Role,
    /// `"Version": "5.0"`: an identity policy. `Action` and `NotAction` (with `*` and `?`) are
    /// evaluated; `Resource` and `Condition` are not.
    Identity,
    /// Missing or unknown version: evaluated as 1.1, with an error.
    Unknown,
}

pub use crate::policy::evaluate::{Decision, Decisions, Matched, ReadStatement};

/// What the policy does for one operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationReview {
    #[serde(skip)]
    pub index: usize,
    pub id: String,
    /// Method and path; absent for an operation without a route.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub status: Status,
    /// Needed actions not allowed.
    pub missing: Vec<String>,
    /// The Deny patterns that match a needed action.
    pub denied_by: Vec<String>,
    /// Conditional actions the policy allows, with their conditions (the cases it covers).
    #[serde(skip)]
    pub conditional_covered: Vec<(String, LocalText)>,
}

/// The whole review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// False when the document could not be read at all: then no operation is listed.
    pub evaluated: bool,
    pub format: Format,
    pub statements: Vec<ReadStatement>,
    pub operations: Vec<OperationReview>,
    pub findings: Vec<Finding>,
}

impl Review {
    /// How many operations have this status.
    pub fn count(&self, status: Status) -> usize {
        self.operations
            .iter()
            .filter(|o| o.status == status)
            .count()
    }

    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// Every catalog action the policy allows and does not deny (what "before" means when the
    /// explorer tightens a policy).
    pub fn effective_actions(&self, catalog: &Catalog) -> BTreeSet<String> {
        let decisions = Decisions::new(&self.statements);
        let mut out = BTreeSet::new();
        for op in catalog.operations() {
            for a in &op.actions {
                if decisions.effective(&a.action) {
                    out.insert(a.action.to_string());
                }
            }
        }
        out
    }
}

/// How a reviewed policy's statements changed in a new policy (the explorer's comparison with
/// the file): what was dropped or replaced, not only which actions are now allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternChange {
    /// None of the statement's patterns is in the new policy (a dropped Deny, most often).
    StatementDropped {
        statement: usize,
        allow: bool,
        patterns: Vec<String>,
    },
    /// A wildcard gone, the actions it matched that the new policy names standing for it.
    Replaced {
        statement: usize,
        allow: bool,
        pattern: String,
        by: Vec<String>,
    },
    /// A pattern gone, nothing in its place.
    Removed {
        statement: usize,
        allow: bool,
        pattern: String,
    },
}

/// The patterns of `before` (a reviewed document's statements) that `after` (the policy the
/// composer makes now) no longer has, statement by statement. A pattern counts as kept when
/// the new policy has it (any case) with the same effect.
pub fn pattern_changes(
    before: &[ReadStatement],
    after: &crate::policy::compose::Policy,
) -> Vec<PatternChange> {
    let kept: HashSet<(bool, String)> = after
        .statements
        .iter()
        .flat_map(|s| {
            let allow = s.effect == crate::policy::compose::Effect::Allow;
            s.actions
                .iter()
                .map(move |a| (allow, a.to_ascii_lowercase()))
        })
        .collect();
    let mut changes = Vec::new();
    for st in before {
        // A composed policy has no NotAction: such a statement is gone whole.
        if st.not_action {
            changes.push(PatternChange::StatementDropped {
                statement: st.index,
                allow: st.allow,
                patterns: vec![format!(
                    "NotAction [{}]",
                    st.actions
                        .iter()
                        .map(|p| p.raw.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )],
            });
            continue;
        }
        let gone: Vec<&ActionPattern> = st
            .actions
            .iter()
            .filter(|p| !kept.contains(&(st.allow, p.raw.to_ascii_lowercase())))
            .collect();
        if gone.is_empty() {
            continue;
        }
        if gone.len() == st.actions.len() && (!st.allow || gone.iter().all(|p| !p.is_wildcard())) {
            changes.push(PatternChange::StatementDropped {
                statement: st.index,
                allow: st.allow,
                patterns: gone.iter().map(|p| p.raw.clone()).collect(),
            });
            continue;
        }
        for p in gone {
            let by: Vec<String> = if p.is_wildcard() {
                after
                    .statements
                    .iter()
                    .filter(|s| (s.effect == crate::policy::compose::Effect::Allow) == st.allow)
                    .flat_map(|s| s.actions.iter())
                    .filter(|a| p.covers(a))
                    .cloned()
                    .collect()
            } else {
                Vec::new()
            };
            changes.push(if by.is_empty() {
                PatternChange::Removed {
                    statement: st.index,
                    allow: st.allow,
                    pattern: p.raw.clone(),
                }
            } else {
                PatternChange::Replaced {
                    statement: st.index,
                    allow: st.allow,
                    pattern: p.raw.clone(),
                    by,
                }
            });
        }
    }
    changes
}

fn finding(severity: Severity, path: impl Into<String>, kind: FindingKind) -> Finding {
    Finding {
        severity,
        path: path.into(),
        kind,
    }
}

/// A JSON value from the document, short and safe to show.
fn shown_value(value: &Value) -> String {
    escape_controls(&crate::text::shorten(&value.to_string(), 80))
}

/// Reads and evaluates a policy document against the catalog.
pub fn explain(catalog: &Catalog, text: &str) -> Review {
    explain_in(catalog, text, crate::policy::evaluate::Scope::Project)
}

/// [`explain`] for a scope: in an enterprise project, an operation that does not support one
/// is [`Status::NotInScope`].
pub fn explain_in(catalog: &Catalog, text: &str, scope: crate::policy::evaluate::Scope) -> Review {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut findings = Vec::new();
    let root: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            findings.push(finding(
                Severity::Error,
                "",
                FindingKind::InvalidJson {
                    line: e.line(),
                    column: e.column(),
                    detail: strip_position(&e.to_string()),
                },
            ));
            return unreadable(findings);
        }
    };
    let Value::Object(doc) = &root else {
        findings.push(finding(Severity::Error, "", FindingKind::NotAnObject));
        return unreadable(findings);
    };

    for path in duplicate_keys(text) {
        findings.push(finding(Severity::Error, path, FindingKind::DuplicateKey));
    }
    unknown_keys(doc, "", TOP_KEYS, &mut findings);

    let format = read_format(doc, &mut findings);

    let compact_chars = serde_json::to_string(&root)
        .map(|s| s.chars().count())
        .unwrap_or(0);
    if compact_chars > MAX_POLICY_CHARS {
        findings.push(finding(
            Severity::Warning,
            "",
            FindingKind::TooManyCharacters {
                characters: compact_chars,
            },
        ));
    }

    let statements_value = match doc.get("Statement") {
        Some(Value::Array(s)) => s.as_slice(),
        // Without statements the document is not a policy: nothing to mark, nothing to start
        // the explorer's composer from.
        Some(_) => {
            findings.push(finding(
                Severity::Error,
                "Statement",
                FindingKind::StatementNotArray,
            ));
            return unreadable(findings);
        }
        None => {
            findings.push(finding(
                Severity::Error,
                "Statement",
                FindingKind::MissingStatement,
            ));
            return unreadable(findings);
        }
    };
    if statements_value.len() > MAX_STATEMENTS {
        findings.push(finding(
            Severity::Error,
            "Statement",
            FindingKind::TooManyStatements {
                count: statements_value.len(),
            },
        ));
    }

    let mut linter = Linter::new(catalog);
    let statements: Vec<ReadStatement> = statements_value
        .iter()
        .enumerate()
        .filter_map(|(si, st)| read_statement(&mut linter, si, st, format, &mut findings))
        .collect();
    wildcard_findings(catalog, &statements, &mut findings);
    let mut review = evaluate(catalog, format, statements, findings);
    if scope == crate::policy::evaluate::Scope::EnterpriseProject {
        for o in &mut review.operations {
            if catalog.operations()[o.index]
                .scopes
                .is_some_and(|s| !s.enterprise_project)
            {
                o.status = Status::NotInScope;
            }
        }
    }
    review
}

/// The document's format from its `Version` (and, for a role, whether `Depends` is there).
fn read_format(doc: &serde_json::Map<String, Value>, findings: &mut Vec<Finding>) -> Format {
    let format = match doc.get("Version") {
        Some(Value::String(v)) if v == "1.1" => Format::FineGrained,
        Some(Value::String(v)) if v == "1.0" => {
            findings.push(finding(Severity::Info, "Version", FindingKind::Role));
            Format::Role
        }
        Some(Value::String(v)) if v == "5.0" => {
            findings.push(finding(
                Severity::Info,
                "Version",
                FindingKind::IdentityPolicy,
            ));
            Format::Identity
        }
        Some(other) => {
            findings.push(finding(
                Severity::Error,
                "Version",
                FindingKind::BadVersion {
                    found: shown_value(other),
                },
            ));
            Format::Unknown
        }
        None => {
            findings.push(finding(
                Severity::Error,
                "Version",
                FindingKind::MissingVersion,
            ));
            Format::Unknown
        }
    };
    if format == Format::Role && doc.contains_key("Depends") {
        findings.push(finding(
            Severity::Info,
            "Depends",
            FindingKind::DependsNotEvaluated,
        ));
    }
    format
}

/// One statement read: its effect and action patterns, each pattern linted; `None` when the
/// statement cannot be evaluated (its findings say why).
fn read_statement(
    linter: &mut Linter,
    si: usize,
    st: &Value,
    format: Format,
    findings: &mut Vec<Finding>,
) -> Option<ReadStatement> {
    let question_mark = format == Format::Identity;
    let at = format!("Statement[{si}]");
    let Value::Object(st) = st else {
        findings.push(finding(
            Severity::Error,
            at,
            FindingKind::StatementNotObject,
        ));
        return None;
    };
    unknown_keys(st, &at, STATEMENT_KEYS, findings);
    let allow = match st.get("Effect") {
        Some(Value::String(e)) if e == "Allow" => true,
        Some(Value::String(e)) if e == "Deny" => false,
        Some(other) => {
            findings.push(finding(
                Severity::Error,
                format!("{at}.Effect"),
                FindingKind::BadEffect {
                    found: shown_value(other),
                },
            ));
            return None;
        }
        None => {
            findings.push(finding(
                Severity::Error,
                format!("{at}.Effect"),
                FindingKind::MissingEffect,
            ));
            return None;
        }
    };
    let mut conditional = false;
    for key in ["Condition", "Resource", "NotResource"] {
        if st.contains_key(key) {
            conditional = true;
            findings.push(finding(
                Severity::Info,
                format!("{at}.{key}"),
                FindingKind::NotEvaluated { key },
            ));
        }
    }
    // `NotAction` stands where `Action` would: the statement applies to everything else. A
    // statement cannot have both (IAM refuses it; which one applies is not defined).
    if st.contains_key("Action") && st.contains_key("NotAction") {
        findings.push(finding(
            Severity::Error,
            format!("{at}.NotAction"),
            FindingKind::ActionAndNotAction,
        ));
        return None;
    }
    let not_action = st.contains_key("NotAction");
    let key = if not_action { "NotAction" } else { "Action" };
    let actions_value = match st.get(key) {
        Some(Value::Array(a)) => a.as_slice(),
        Some(Value::String(_)) if format == Format::Identity => std::slice::from_ref(&st[key]),
        Some(_) => {
            findings.push(finding(
                Severity::Error,
                format!("{at}.{key}"),
                FindingKind::ActionNotArray,
            ));
            return None;
        }
        None => {
            findings.push(finding(
                Severity::Error,
                format!("{at}.Action"),
                FindingKind::MissingAction,
            ));
            return None;
        }
    };
    if actions_value.is_empty() && !not_action {
        findings.push(finding(
            Severity::Warning,
            format!("{at}.Action"),
            FindingKind::EmptyAction { allow },
        ));
    }
    if actions_value.len() > MAX_ACTIONS_PER_STATEMENT {
        findings.push(finding(
            Severity::Error,
            format!("{at}.{key}"),
            FindingKind::TooManyActions {
                count: actions_value.len(),
            },
        ));
    }
    let mut patterns: Vec<ActionPattern> = Vec::new();
    let mut seen = SeenActions::default();
    for (ai, a) in actions_value.iter().enumerate() {
        let path = format!("{at}.{key}[{ai}]");
        let Value::String(raw) = a else {
            findings.push(finding(Severity::Error, path, FindingKind::ActionNotString));
            continue;
        };
        let pattern = match ActionPattern::parse(raw, question_mark) {
            Ok(p) => p,
            Err(why) => {
                findings.push(finding(
                    Severity::Error,
                    path,
                    FindingKind::MalformedAction {
                        action: escape_controls(&crate::text::shorten(raw, 80)),
                        why,
                    },
                ));
                continue;
            }
        };
        check_action(linter, &pattern, &mut seen, &path, findings);
        patterns.push(pattern);
    }
    if seen.wildcards_skipped {
        findings.push(finding(
            Severity::Info,
            format!("{at}.Action"),
            FindingKind::WildcardsNotAllChecked {
                checked: WILDCARDS_CHECKED,
            },
        ));
    }
    Some(ReadStatement {
        index: si,
        allow,
        not_action,
        actions: patterns,
        conditional,
    })
}

/// The keys a policy document and a statement may have (1.0, 1.1 and 5.0 together).
const TOP_KEYS: &[&str] = &["Version", "Statement", "Depends"];
const STATEMENT_KEYS: &[&str] = &[
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
    "Sid",
];

/// A warning for each key that is not part of the policy grammar (`Condtion`, `Resorce`): the
/// rule it was meant to add is not there.
fn unknown_keys(
    object: &serde_json::Map<String, Value>,
    at: &str,
    known: &[&str],
    findings: &mut Vec<Finding>,
) {
    for key in object.keys().filter(|k| !known.contains(&k.as_str())) {
        let shown = escape_controls(&crate::text::shorten(key, 60));
        let nearest = known
            .iter()
            .map(|k| {
                (
                    strsim::jaro_winkler(&key.to_ascii_lowercase(), &k.to_ascii_lowercase()),
                    *k,
                )
            })
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, k)| k.to_string());
        let path = if at.is_empty() {
            shown.clone()
        } else {
            format!("{at}.{shown}")
        };
        findings.push(finding(
            Severity::Warning,
            path,
            FindingKind::UnknownKey {
                key: shown,
                nearest,
            },
        ));
    }
}

/// The JSON paths of keys that appear twice in one object (`Statement[0].Effect`). A JSON tree
/// keeps only the last of them, so they are found while the text is read.
fn duplicate_keys(text: &str) -> Vec<String> {
    use serde::de::DeserializeSeed;
    let mut found = Vec::new();
    let mut reader = serde_json::Deserializer::from_str(text);
    let walker = KeyWalker {
        path: String::new(),
        found: &mut found,
    };
    // The text was read as a tree already; an error here says nothing new.
    let _ = walker.deserialize(&mut reader);
    found
}

struct KeyWalker<'a> {
    path: String,
    found: &'a mut Vec<String>,
}

impl<'de> serde::de::DeserializeSeed<'de> for KeyWalker<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for KeyWalker<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let KeyWalker { path, found } = self;
        let mut i = 0;
        while seq
            .next_element_seed(KeyWalker {
                path: format!("{path}[{i}]"),
                found: &mut *found,
            })?
            .is_some()
        {
            i += 1;
        }
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let KeyWalker { path, found } = self;
        let mut keys: HashSet<String> = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let shown = escape_controls(&crate::text::shorten(&key, 60));
            let child = if path.is_empty() {
                shown
            } else {
                format!("{path}.{shown}")
            };
            if !keys.insert(key) {
                found.push(child.clone());
            }
            map.next_value_seed(KeyWalker {
                path: child,
                found: &mut *found,
            })?;
        }
        Ok(())
    }
}

/// How many distinct wildcards of one statement are compared with its concrete actions (to say
/// "already covered"), and how many unknown actions get a "did you mean": beyond these, a hostile
/// document would make the review quadratic. Real policies have a handful.
const WILDCARDS_CHECKED: usize = 256;
const SUGGESTIONS: usize = 64;

/// What the action checks keep between actions: the catalog's actions for suggestions (built
/// once, when first needed) and how many suggestions were made.
struct Linter<'c> {
    catalog: &'c Catalog,
    services: Vec<&'c str>,
    known: Option<Vec<&'c str>>,
    suggested: usize,
}

impl<'c> Linter<'c> {
    fn new(catalog: &'c Catalog) -> Linter<'c> {
        Linter {
            catalog,
            services: catalog.action_services(),
            known: None,
            suggested: 0,
        }
    }

    /// The nearest catalog action to an unknown one, while suggestions last.
    fn nearest(&mut self, raw: &str) -> Option<&'c str> {
        if self.suggested >= SUGGESTIONS {
            return None;
        }
        self.suggested += 1;
        let catalog = self.catalog;
        let known = self.known.get_or_insert_with(|| catalog.known_actions());
        let lower = raw.to_ascii_lowercase();
        known
            .iter()
            .map(|k| (strsim::jaro_winkler(&lower, &k.to_ascii_lowercase()), *k))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, k)| k)
    }
}

/// One statement's actions so far: lower-case spelling → first spelling, and its wildcards.
#[derive(Default)]
struct SeenActions {
    by_key: HashMap<String, String>,
    wildcards: Vec<ActionPattern>,
    /// More distinct wildcards than are compared.
    wildcards_skipped: bool,
}

/// Duplicates, covered actions, other services, unknown actions.
fn check_action(
    linter: &mut Linter,
    pattern: &ActionPattern,
    seen: &mut SeenActions,
    path: &str,
    findings: &mut Vec<Finding>,
) {
    let key = pattern.raw.to_ascii_lowercase();
    if let Some(dup) = seen.by_key.get(&key) {
        findings.push(finding(
            Severity::Warning,
            path,
            FindingKind::Duplicate {
                of: crate::text::shorten(dup, 80),
            },
        ));
        return;
    }
    seen.by_key.insert(key, pattern.raw.clone());
    if pattern.is_wildcard() {
        if seen.wildcards.len() < WILDCARDS_CHECKED {
            seen.wildcards.push(pattern.clone());
        } else {
            seen.wildcards_skipped = true;
        }
    } else if let Some(wide) = seen.wildcards.iter().find(|w| pattern.covered_by(w)) {
        findings.push(finding(
            Severity::Warning,
            path,
            FindingKind::Covered {
                action: crate::text::shorten(&pattern.raw, 80),
                by: crate::text::shorten(&wide.raw, 80),
            },
        ));
    }
    // Every service an action of the loaded catalogs names counts (ECS operations need `vpc:`
    // actions), not only the catalogs' own services.
    let known_service = linter
        .services
        .iter()
        .any(|s| glob(&pattern.service, s, pattern.question_mark));
    if !known_service {
        findings.push(finding(
            Severity::Info,
            path,
            FindingKind::OtherService {
                action: crate::text::shorten(&pattern.raw, 80),
                service: crate::text::shorten(&pattern.service, 40),
            },
        ));
        return;
    }
    if pattern.is_wildcard() {
        return;
    }
    // A concrete action: the catalog's action index answers at once (services are lower case
    // on both sides, the rest compares case-insensitively, as `matches` does).
    if linter.catalog.with_action(&pattern.raw).is_empty()
        && !linter.catalog.names_dependency(&pattern.raw)
    {
        let nearest = linter.nearest(&pattern.raw);
        findings.push(finding(
            Severity::Warning,
            path,
            FindingKind::UnknownAction {
                action: crate::text::shorten(&pattern.raw, 80),
                nearest: nearest.map(str::to_string),
            },
        ));
    }
}

/// Wildcards in Allow statements that grant operations the explicit actions do not. One pass
/// over the operations: each operation is decided once, then compared only with the checked
/// wildcards of its actions' services.
fn wildcard_findings(catalog: &Catalog, statements: &[ReadStatement], findings: &mut Vec<Finding>) {
    // Concrete actions compare case-insensitively; the service is lower case on both sides.
    let explicit: HashSet<String> = statements
        .iter()
        .filter(|s| s.allow && !s.not_action)
        .flat_map(|s| s.actions.iter())
        .filter(|p| !p.is_wildcard())
        .map(|p| p.raw.to_ascii_lowercase())
        .collect();
    // Each distinct wildcard once, and no more of them than a real policy has.
    let mut seen: HashSet<String> = HashSet::new();
    let mut wildcards: Vec<(usize, usize, &ActionPattern)> = Vec::new();
    for st in statements.iter().filter(|s| s.allow && !s.not_action) {
        // The statement's own place in the document (a statement that is not an object is
        // not among those read).
        let si = st.index;
        for (ai, p) in st.actions.iter().enumerate() {
            if p.is_wildcard()
                && seen.len() < WILDCARDS_CHECKED
                && seen.insert(p.raw.to_ascii_lowercase())
            {
                wildcards.push((si, ai, p));
            }
        }
    }
    if wildcards.is_empty() {
        return;
    }
    let mut by_service: HashMap<Option<&str>, Vec<usize>> = HashMap::new();
    for (w, (_, _, p)) in wildcards.iter().enumerate() {
        by_service.entry(p.literal_service()).or_default().push(w);
    }
    let decisions = Decisions::new(statements);
    let mut extra: Vec<Vec<String>> = vec![Vec::new(); wildcards.len()];
    let mut matching: Vec<usize> = Vec::new();
    for op in catalog.operations() {
        let needed = op.needed_actions();
        // Only operations the policy fully allows are granted (a partial or denied one is not),
        // and only those the explicit actions alone would not grant count.
        if needed.is_empty()
            || !needed.iter().all(|a| decisions.effective(a))
            || needed
                .iter()
                .all(|a| explicit.contains(&a.to_ascii_lowercase()))
        {
            continue;
        }
        matching.clear();
        for a in &needed {
            let service = a.split(':').next().unwrap_or("");
            for &w in by_service
                .get(&Some(service))
                .into_iter()
                .chain(by_service.get(&None))
                .flatten()
            {
                if !matching.contains(&w) && wildcards[w].2.matches(a) {
                    matching.push(w);
                }
            }
        }
        for &w in &matching {
            extra[w].push(op.id.clone());
        }
    }
    // Every action the catalogs name, dependencies too: a wildcard matches those as well.
    let actions = catalog.known_actions();
    for ((si, ai, p), operations) in wildcards.into_iter().zip(extra) {
        if operations.is_empty() {
            continue;
        }
        let matched: Vec<String> = actions
            .iter()
            .filter(|a| p.matches(a))
            .map(|a| a.to_string())
            .collect();
        findings.push(finding(
            Severity::Warning,
            format!("Statement[{si}].Action[{ai}]"),
            FindingKind::BroadWildcard {
                wildcard: p.raw.clone(),
                matched,
                operations,
                beyond_explicit: !explicit.is_empty(),
            },
        ));
    }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn unreadable(findings: Vec<Finding>) -> Review {
    Review {
        evaluated: false,
        format: Format::Unknown,
        statements: Vec::new(),
        operations: Vec::new(),
        findings,
    }
}

/// For each of `actions`, whether `statements` allow it and no Deny matches it (`--compact`
/// checks that no wildcard reaches a known action the policy did not grant).
pub fn effective_for(statements: &[ReadStatement], actions: &[&str]) -> Vec<bool> {
    let decisions = Decisions::new(statements);
    actions.iter().map(|a| decisions.effective(a)).collect()
}

/// What statements already read grant, operation by operation (`--compact` compares these).
pub fn evaluate_statements(catalog: &Catalog, statements: Vec<ReadStatement>) -> Review {
    evaluate(catalog, Format::FineGrained, statements, Vec::new())
}

fn evaluate(
    catalog: &Catalog,
    format: Format,
    statements: Vec<ReadStatement>,
    mut findings: Vec<Finding>,
) -> Review {
    let decisions = Decisions::new(&statements);
    let mut operations = Vec::new();
    for (index, op) in catalog.operations().iter().enumerate() {
        let needed = op.needed_actions();
        let mut missing = Vec::new();
        let mut denied_by: Vec<String> = Vec::new();
        let mut allowed_count = 0;
        for a in &needed {
            let decision = decisions.decide(a);
            if decision.denied() {
                for x in decision.deny_patterns() {
                    if !denied_by.contains(&x) {
                        denied_by.push(x);
                    }
                }
                missing.push(a.to_string());
            } else if decision.allowed() {
                allowed_count += 1;
            } else {
                missing.push(a.to_string());
            }
        }
        let status = if op.actions_not_documented.is_some() {
            Status::ActionsNotDocumented
        } else if op.actions.is_empty() {
            Status::NoActionNeeded
        } else if !denied_by.is_empty() {
            Status::Denied
        } else if missing.is_empty() {
            Status::Allowed
        } else if allowed_count > 0 {
            Status::Partial
        } else {
            Status::NotGranted
        };
        let conditional_covered = op
            .actions
            .iter()
            .filter_map(|a| a.condition.as_ref().map(|c| (a, c)))
            .filter(|(a, _)| decisions.effective(&a.action))
            .map(|(a, c)| (a.action.to_string(), LocalText::clone(c)))
            .collect();
        operations.push(OperationReview {
            index,
            id: op.id.clone(),
            method: op.route.as_ref().map(|r| r.method.to_string()),
            path: op.route.as_ref().map(|r| r.path.clone()),
            status,
            missing,
            denied_by,
            conditional_covered,
        });
    }
    // An allowed operation whose dependent actions are not all allowed fails in the console.
    for o in operations.iter().filter(|o| o.status == Status::Allowed) {
        let op = &catalog.operations()[o.index];
        let missing: Vec<String> = op
            .dependencies
            .iter()
            .filter(|d| !decisions.allows(&d.action))
            .map(|d| d.action.to_string())
            .collect();
        if !missing.is_empty() {
            findings.push(finding(
                Severity::Warning,
                "",
                FindingKind::MissingDependencies {
                    operation: op.id.clone(),
                    missing,
                },
            ));
        }
    }
    drop(decisions);
    Review {
        evaluated: true,
        format,
        statements,
        operations,
        findings,
    }
}

#[cfg(test)]
#[path = "review_tests.rs"]
mod tests;
