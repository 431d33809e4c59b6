//! Policy review: what an existing policy lets a user do with the loaded catalogs' operations,
//! and what in it is wrong or too broad. `ims-perms explain` prints it; the explorer overlays it.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Serialize;
use serde_json::Value;

use crate::catalog::Catalog;
use crate::lang::{Lang, LocalText};
use crate::policy::{MAX_ACTIONS_PER_STATEMENT, MAX_POLICY_CHARS, MAX_STATEMENTS};
use crate::text::escape_controls;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// One thing worth saying about the policy document: a fact, put into words by
/// [`crate::present::finding`]. In JSON it is `{severity, message, path}` with the message in
/// English, for scripts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// Where in the document: `Statement[0].Action[2]`; empty for the whole document.
    pub path: String,
    pub kind: FindingKind,
}

impl Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = serializer.serialize_struct("Finding", 3)?;
        st.serialize_field("severity", &self.severity)?;
        st.serialize_field("message", &crate::present::finding(&self.kind, Lang::En))?;
        st.serialize_field("path", &self.path)?;
        st.end()
    }
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
    NotActionNotEvaluated,
    ActionNotArray,
    MissingAction,
    TooManyActions {
        count: usize,
    },
    ActionNotString,
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
    },
}

/// Why an action is not `service:resourceType:action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MalformedWhy {
    NotThreeParts,
    BadCharacters,
    UpperCaseService,
}

impl Finding {
    /// The finding in words.
    pub fn text(&self, lang: Lang) -> String {
        crate::present::finding(&self.kind, lang)
    }
}

/// What the policy does for one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Allowed,
    Denied,
    Partial,
    NotGranted,
}

/// The policy formats the reviewer recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Format {
    /// `"Version": "1.1"`: fine-grained custom policy, fully evaluated.
    FineGrained,
    /// `"Version": "1.0"`: a role. Its statements are evaluated; `Depends` is not.
    Role,
    /// `"Version": "5.0"`: an identity policy. `Action` (with `*` and `?`) is evaluated;
    /// `NotAction`, `Resource` and `Condition` are not.
    Identity,
    /// Missing or unknown version: evaluated as 1.1, with an error.
    Unknown,
}

/// An action pattern from a policy: `ims:*:get*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionPattern {
    pub raw: String,
    service: String,
    resource: String,
    action: String,
    /// `?` matches one character (5.0 only).
    question_mark: bool,
}

impl ActionPattern {
    /// Parses `service:resourceType:action`, where each part is letters, digits, `_`, `-` and
    /// wildcards. Returns why not otherwise.
    pub fn parse(raw: &str, question_mark: bool) -> Result<ActionPattern, MalformedWhy> {
        let parts: Vec<&str> = raw.split(':').collect();
        let [service, resource, action] = parts.as_slice() else {
            return Err(MalformedWhy::NotThreeParts);
        };
        let ok = |s: &str| {
            !s.is_empty()
                && s.chars().all(|c| {
                    c.is_ascii_alphanumeric()
                        || matches!(c, '*' | '_' | '-')
                        || (question_mark && c == '?')
                })
        };
        if !(ok(service) && ok(resource) && ok(action)) {
            return Err(MalformedWhy::BadCharacters);
        }
        if service.chars().any(|c| c.is_ascii_uppercase()) {
            return Err(MalformedWhy::UpperCaseService);
        }
        Ok(ActionPattern {
            raw: raw.to_string(),
            service: service.to_string(),
            resource: resource.to_ascii_lowercase(),
            action: action.to_ascii_lowercase(),
            question_mark,
        })
    }

    pub fn is_wildcard(&self) -> bool {
        self.raw.contains('*') || (self.question_mark && self.raw.contains('?'))
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// Whether the pattern covers a concrete action: the service exactly (wildcards aside),
    /// resource type and action case-insensitively.
    pub fn matches(&self, action: &str) -> bool {
        let mut parts = action.split(':');
        let (Some(service), Some(resource), Some(act), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return false;
        };
        glob(&self.service, service, self.question_mark)
            && glob_ignoring_case(&self.resource, resource, self.question_mark)
            && glob_ignoring_case(&self.action, act, self.question_mark)
    }

    /// Whether every action this pattern matches is also matched by `other` (for "already
    /// covered by a wildcard").
    pub fn covered_by(&self, other: &ActionPattern) -> bool {
        !self.is_wildcard() && other.matches(&self.raw)
    }
}

/// `*` any run, `?` (when enabled) any one character. Over bytes: patterns and actions are
/// ASCII (both are checked when read), and this runs for every action of every operation.
fn glob(pattern: &str, text: &str, question_mark: bool) -> bool {
    glob_bytes(pattern.as_bytes(), text.as_bytes(), question_mark, false)
}

/// [`glob`] with `text` compared case-insensitively (the pattern is lower case already).
fn glob_ignoring_case(pattern: &str, text: &str, question_mark: bool) -> bool {
    glob_bytes(pattern.as_bytes(), text.as_bytes(), question_mark, true)
}

fn glob_bytes(p: &[u8], t: &[u8], question_mark: bool, fold: bool) -> bool {
    let same = |a: u8, b: u8| a == b || (fold && a == b.to_ascii_lowercase());
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (same(p[pi], t[ti]) || (question_mark && p[pi] == b'?')) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

/// The statements as lookup tables: concrete actions hashed, wildcards kept apart, so a
/// statement of 100,000 actions costs one lookup per catalog action, not 100,000.
struct Grants<'a> {
    allow_exact: HashSet<String>,
    allow_wild: Vec<&'a ActionPattern>,
    /// Lower-case action → the Deny patterns as written.
    deny_exact: HashMap<String, Vec<&'a str>>,
    deny_wild: Vec<&'a ActionPattern>,
}

impl<'a> Grants<'a> {
    fn new(statements: &'a [ReadStatement]) -> Grants<'a> {
        let mut g = Grants {
            allow_exact: HashSet::new(),
            allow_wild: Vec::new(),
            deny_exact: HashMap::new(),
            deny_wild: Vec::new(),
        };
        for st in statements {
            for p in &st.actions {
                match (st.allow, p.is_wildcard()) {
                    (true, true) => g.allow_wild.push(p),
                    (true, false) => {
                        g.allow_exact.insert(p.raw.to_ascii_lowercase());
                    }
                    (false, true) => g.deny_wild.push(p),
                    (false, false) => g
                        .deny_exact
                        .entry(p.raw.to_ascii_lowercase())
                        .or_default()
                        .push(&p.raw),
                }
            }
        }
        g
    }

    /// Whether an Allow statement matches `action`.
    fn allows(&self, action: &str) -> bool {
        self.allow_exact.contains(&action.to_ascii_lowercase())
            || self.allow_wild.iter().any(|p| p.matches(action))
    }

    /// The Deny patterns that match `action`, as written, without repeats.
    fn denied_by(&self, action: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let exact = self
            .deny_exact
            .get(&action.to_ascii_lowercase())
            .into_iter()
            .flatten()
            .copied();
        let wild = self
            .deny_wild
            .iter()
            .filter(|p| p.matches(action))
            .map(|p| p.raw.as_str());
        for raw in exact.chain(wild) {
            if !out.iter().any(|o| o == raw) {
                out.push(raw.to_string());
            }
        }
        out
    }
}

/// One statement as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadStatement {
    pub allow: bool,
    pub actions: Vec<ActionPattern>,
}

/// What the policy does for one operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationReview {
    #[serde(skip)]
    pub index: usize,
    pub id: String,
    pub method: String,
    pub path: String,
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
        let grants = Grants::new(&self.statements);
        let mut out = BTreeSet::new();
        for op in catalog.operations() {
            for a in &op.actions {
                if grants.allows(&a.action) && grants.denied_by(&a.action).is_empty() {
                    out.insert(a.action.to_string());
                }
            }
        }
        out
    }
}

/// The JSON `ims-perms explain --json` prints.
#[derive(Debug, Serialize)]
pub struct ReviewJson<'a> {
    pub operations: &'a [OperationReview],
    pub findings: &'a [Finding],
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
        findings.push(finding(Severity::Warning, path, FindingKind::DuplicateKey));
    }
    unknown_keys(doc, "", TOP_KEYS, &mut findings);

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

    let question_mark = format == Format::Identity;
    let mut linter = Linter::new(catalog);
    let mut statements = Vec::new();
    for (si, st) in statements_value.iter().enumerate() {
        let at = format!("Statement[{si}]");
        let Value::Object(st) = st else {
            findings.push(finding(
                Severity::Error,
                at,
                FindingKind::StatementNotObject,
            ));
            continue;
        };
        unknown_keys(st, &at, STATEMENT_KEYS, &mut findings);
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
                continue;
            }
            None => {
                findings.push(finding(
                    Severity::Error,
                    format!("{at}.Effect"),
                    FindingKind::MissingEffect,
                ));
                continue;
            }
        };
        for key in ["Condition", "Resource", "NotResource"] {
            if st.contains_key(key) {
                findings.push(finding(
                    Severity::Info,
                    format!("{at}.{key}"),
                    FindingKind::NotEvaluated { key },
                ));
            }
        }
        if st.contains_key("NotAction") {
            findings.push(finding(
                Severity::Warning,
                format!("{at}.NotAction"),
                FindingKind::NotActionNotEvaluated,
            ));
        }
        let actions_value = match st.get("Action") {
            Some(Value::Array(a)) => a.as_slice(),
            Some(Value::String(_)) if format == Format::Identity => {
                std::slice::from_ref(&st["Action"])
            }
            Some(_) => {
                findings.push(finding(
                    Severity::Error,
                    format!("{at}.Action"),
                    FindingKind::ActionNotArray,
                ));
                continue;
            }
            None if st.contains_key("NotAction") => &[],
            None => {
                findings.push(finding(
                    Severity::Error,
                    format!("{at}.Action"),
                    FindingKind::MissingAction,
                ));
                continue;
            }
        };
        if actions_value.len() > MAX_ACTIONS_PER_STATEMENT {
            findings.push(finding(
                Severity::Error,
                format!("{at}.Action"),
                FindingKind::TooManyActions {
                    count: actions_value.len(),
                },
            ));
        }
        let mut patterns: Vec<ActionPattern> = Vec::new();
        let mut seen = SeenActions::default();
        for (ai, a) in actions_value.iter().enumerate() {
            let path = format!("{at}.Action[{ai}]");
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
            check_action(&mut linter, &pattern, &mut seen, &path, &mut findings);
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
        statements.push(ReadStatement {
            allow,
            actions: patterns,
        });
    }
    wildcard_findings(catalog, &statements, &mut findings);
    evaluate(catalog, format, statements, findings)
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
        let known = self.known.get_or_insert_with(|| {
            let set: BTreeSet<&str> = catalog
                .operations()
                .iter()
                .flat_map(|o| o.actions.iter().map(|a| a.action.as_ref()))
                .collect();
            set.into_iter().collect()
        });
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
    if linter.catalog.with_action(&pattern.raw).is_empty() {
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

/// Wildcards in Allow statements that grant operations the explicit actions do not.
fn wildcard_findings(catalog: &Catalog, statements: &[ReadStatement], findings: &mut Vec<Finding>) {
    // Concrete actions compare case-insensitively; the service is lower case on both sides.
    let explicit: HashSet<String> = statements
        .iter()
        .filter(|s| s.allow)
        .flat_map(|s| s.actions.iter())
        .filter(|p| !p.is_wildcard())
        .map(|p| p.raw.to_ascii_lowercase())
        .collect();
    let by_explicit = |action: &str| explicit.contains(&action.to_ascii_lowercase());
    // An operation a Deny blocks is not granted, whatever the wildcard says.
    let grants = Grants::new(statements);
    let denied = |needed: &[&str]| needed.iter().any(|a| !grants.denied_by(a).is_empty());
    // Each distinct wildcard once, and no more of them than a real policy has.
    let mut checked: HashSet<String> = HashSet::new();
    for (si, st) in statements.iter().enumerate().filter(|(_, s)| s.allow) {
        for (ai, p) in st
            .actions
            .iter()
            .enumerate()
            .filter(|(_, p)| p.is_wildcard())
        {
            if checked.len() >= WILDCARDS_CHECKED || !checked.insert(p.raw.to_ascii_lowercase()) {
                continue;
            }
            let mut extra: Vec<String> = Vec::new();
            for op in catalog.operations() {
                let needed = op.needed_actions();
                if needed.is_empty() || denied(&needed) {
                    continue;
                }
                let via_wildcard = needed.iter().any(|a| p.matches(a));
                let by_explicit_alone = needed.iter().all(|a| by_explicit(a));
                // Only operations the policy fully allows are granted (a partial one is not).
                let granted = needed.iter().all(|a| grants.allows(a));
                if via_wildcard && !by_explicit_alone && granted {
                    extra.push(op.id.clone());
                }
            }
            if !extra.is_empty() {
                let matched: BTreeSet<&str> = catalog
                    .operations()
                    .iter()
                    .flat_map(|o| o.actions.iter().map(|a| a.action.as_ref()))
                    .filter(|a| p.matches(a))
                    .collect();
                let matched: Vec<String> = matched.into_iter().map(str::to_string).collect();
                findings.push(finding(
                    Severity::Warning,
                    format!("Statement[{si}].Action[{ai}]"),
                    FindingKind::BroadWildcard {
                        wildcard: p.raw.clone(),
                        matched,
                        operations: extra,
                    },
                ));
            }
        }
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
    let grants = Grants::new(&statements);
    let allows = |a: &str| grants.allows(a);
    let denies = |a: &str| grants.denied_by(a);
    let mut operations = Vec::new();
    for (index, op) in catalog.operations().iter().enumerate() {
        let needed = op.needed_actions();
        let mut missing = Vec::new();
        let mut denied_by: Vec<String> = Vec::new();
        let mut allowed_count = 0;
        for a in &needed {
            let d = denies(a);
            if !d.is_empty() {
                for x in d {
                    if !denied_by.contains(&x) {
                        denied_by.push(x);
                    }
                }
                missing.push(a.to_string());
            } else if allows(a) {
                allowed_count += 1;
            } else {
                missing.push(a.to_string());
            }
        }
        let status = if !denied_by.is_empty() {
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
            .filter(|(a, _)| allows(&a.action) && denies(&a.action).is_empty())
            .map(|(a, c)| (a.action.to_string(), LocalText::clone(c)))
            .collect();
        operations.push(OperationReview {
            index,
            id: op.id.clone(),
            method: op.method.to_string(),
            path: op.path.clone(),
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
            .filter(|d| !grants.allows(&d.action))
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
    drop(grants);
    Review {
        evaluated: true,
        format,
        statements,
        operations,
        findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(text: &str) -> Review {
        explain(&Catalog::builtin().unwrap(), text)
    }

    fn status(r: &Review, id: &str) -> Status {
        r.operations.iter().find(|o| o.id == id).unwrap().status
    }

    fn messages(r: &Review) -> Vec<String> {
        r.findings
            .iter()
            .map(|f| format!("{:?} {} {}", f.severity, f.path, f.text(Lang::En)))
            .collect()
    }

    #[test]
    fn globbing() {
        assert!(glob("*", "anything", false));
        assert!(glob("get*", "get", false));
        assert!(glob("*list*", "xlisty", false));
        assert!(!glob("get*", "list", false));
        assert!(glob("g?t", "get", true));
        assert!(!glob("g?t", "get", false));
        let p = ActionPattern::parse("ims:*:get*", false).unwrap();
        assert!(p.matches("ims:images:get"));
        assert!(p.matches("ims:Images:GET"));
        assert!(!p.matches("IMS:images:get"), "service is exact");
        assert!(!p.matches("ims:images:list"));
    }

    #[test]
    fn full_wildcard_with_a_deny() {
        let r = review(
            r#"{"Version": "1.1", "Statement": [
            {"Effect": "Allow", "Action": ["ims:*:*"]},
            {"Effect": "Deny", "Action": ["ims:images:delete"]}]}"#,
        );
        assert_eq!(status(&r, "list-images"), Status::Allowed);
        assert_eq!(status(&r, "delete-image-native"), Status::Denied);
        let o = r
            .operations
            .iter()
            .find(|o| o.id == "delete-image-v1-1")
            .unwrap();
        assert_eq!(o.denied_by, ["ims:images:delete"]);
        assert_eq!(
            status(&r, "list-versions-native"),
            Status::Allowed,
            "needs nothing"
        );
        assert!(!r.has_errors());
    }

    #[test]
    fn read_only_wildcards() {
        let r = review(
            r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:*:get*", "ims:*:list*"]}]}"#,
        );
        assert_eq!(status(&r, "show-image-native"), Status::Allowed);
        assert_eq!(status(&r, "list-images"), Status::Allowed);
        assert_eq!(status(&r, "upload-image-native"), Status::Partial);
        assert_eq!(status(&r, "delete-image-native"), Status::NotGranted);
        assert!(messages(&r).iter().any(|m| {
            m.contains("wildcard \"ims:*:get*\" matches 2 (ims:images:get, ims:quotas:get)")
        }));
    }

    #[test]
    fn quick_import_partial_and_conditional_coverage() {
        let r = review(
            r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:dataImages:create", "ims:images:update", "ims:serverImages:create"]}]}"#,
        );
        assert_eq!(status(&r, "quick-import-image"), Status::Allowed);
        let r = review(
            r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:dataImages:create"]}]}"#,
        );
        assert_eq!(status(&r, "quick-import-image"), Status::Partial);
        let text = crate::present::review_report(&Catalog::builtin().unwrap(), &r, Lang::En);
        assert!(
            text.contains("[only: only for importing a data disk image]"),
            "{text}"
        );
        let r = review(
            r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:images:update", "ims:serverImages:create"]}]}"#,
        );
        let o = r
            .operations
            .iter()
            .find(|o| o.id == "update-image")
            .unwrap();
        assert_eq!(o.status, Status::Allowed);
        assert_eq!(o.conditional_covered[0].0, "ims:serverImages:create");
        let text = crate::present::review_report(&Catalog::builtin().unwrap(), &r, Lang::En);
        assert!(text.contains("update-image: ims:serverImages:create (only for migrating the image to an enterprise project)"), "{text}");
    }

    #[test]
    fn typos_mixed_services_duplicates_and_covered() {
        let r = review(
            r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": [
            "ims:image:list", "obs:bucket:*", "ims:images:get", "ims:images:GET", "ims:images:*", "ims:images:delete", "Ims:x:y", "ims:images"]}]}"#,
        );
        let m = messages(&r).join("\n");
        assert!(m.contains("Warning Statement[0].Action[0] unknown action \"ims:image:list\": no operation in the loaded catalogs needs it; did you mean \"ims:images:list\"?"), "{m}");
        assert!(m.contains("Info Statement[0].Action[1] \"obs:bucket:*\": service `obs` is not in the loaded catalogs; noted, not evaluated"), "{m}");
        assert!(
            m.contains("Warning Statement[0].Action[3] duplicate of \"ims:images:get\""),
            "{m}"
        );
        assert!(m.contains("Warning Statement[0].Action[5] \"ims:images:delete\" is already covered by \"ims:images:*\""), "{m}");
        assert!(m.contains("Error Statement[0].Action[6] malformed action \"Ims:x:y\": the service part must be lower case"), "{m}");
        assert!(
            m.contains("Error Statement[0].Action[7] malformed action \"ims:images\""),
            "{m}"
        );
        assert!(r.has_errors());
    }

    #[test]
    fn operations_a_deny_blocks_are_not_counted_as_granted_by_a_wildcard() {
        let r = review(
            r#"{"Version": "1.1", "Statement": [
            {"Effect": "Allow", "Action": ["ims:images:*"]},
            {"Effect": "Deny", "Action": ["ims:images:delete"]}]}"#,
        );
        let m = messages(&r).join("\n");
        assert!(m.contains("wildcard \"ims:images:*\""), "{m}");
        assert!(
            !m.contains("delete-image-native"),
            "a denied operation is not granted: {m}"
        );
    }

    #[test]
    fn dependencies_not_allowed_are_named() {
        let r = review(
            r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:serverImages:create", "obs:*:*", "ecs:*:get", "ecs:*:list"]}]}"#,
        );
        assert_eq!(status(&r, "create-image"), Status::Allowed);
        let m = messages(&r).join("\n");
        assert!(m.contains("Warning  create-image is allowed, but not the actions it depends on to work from the console: kms:*:*, ecs:serverVolumes:use, evs:volumes:*, bms:servers:list, bms:servers:get, bms:serverFlavors:get"), "{m}");
        let r = review(
            r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:serverImages:create", "obs:*:*", "kms:*:*", "ecs:*:*", "evs:*:*", "bms:*:*"]}]}"#,
        );
        assert!(!messages(&r).join("\n").contains("depends on"));
    }

    #[test]
    fn versions_and_structure() {
        let r = review(
            r#"{"Version": "1.0", "Statement": [{"Effect": "Allow", "Action": ["ims:*:*", "ecs:*:list"]}], "Depends": [{"catalog": "BASE", "display_name": "Tenant Administrator"}]}"#,
        );
        assert_eq!(r.format, Format::Role);
        assert_eq!(status(&r, "export-image"), Status::Allowed);
        assert!(
            messages(&r)
                .iter()
                .any(|m| m.contains("Depends is not evaluated"))
        );
        assert!(!r.has_errors());
        let r = review(
            r#"{"Version": "5.0", "Statement": [{"Effect": "Allow", "Action": ["ims:images:g?t"], "Resource": ["*"]}, {"Effect": "Deny", "NotAction": ["ims:images:list"]}]}"#,
        );
        assert_eq!(r.format, Format::Identity);
        assert_eq!(status(&r, "show-image-native"), Status::Allowed);
        let m = messages(&r).join("\n");
        assert!(m.contains("NotAction is not evaluated"), "{m}");
        assert!(m.contains("Resource is not evaluated"), "{m}");
        let r = review(r#"{"Statement": [{"Effect": "Permit", "Action": ["ims:images:list"]}]}"#);
        let m = messages(&r).join("\n");
        assert!(m.contains("Error Version missing Version"), "{m}");
        assert!(
            m.contains(
                "Error Statement[0].Effect Effect must be \"Allow\" or \"Deny\", found \"Permit\""
            ),
            "{m}"
        );
        let r = review(r#"{"Version": "2", "Statement": []}"#);
        assert!(messages(&r)[0].contains("Version must be \"1.1\""));
    }

    #[test]
    fn broken_and_oversize_documents() {
        let r = review("{\"Version\": \"1.1\",\n \"Statement\": [}");
        assert_eq!(r.findings[0].severity, Severity::Error);
        assert!(
            r.findings[0]
                .text(Lang::En)
                .starts_with("invalid JSON at line 2 column 16"),
            "{:?}",
            r.findings
        );
        assert!(
            r.operations
                .iter()
                .all(|o| o.status == Status::NotGranted || o.id == "list-versions-native")
        );
        let many: Vec<String> = (0..101).map(|i| format!("\"ims:images:act{i}\"")).collect();
        let statements: Vec<String> = (0..9)
            .map(|_| {
                format!(
                    "{{\"Effect\": \"Allow\", \"Action\": [{}]}}",
                    many.join(",")
                )
            })
            .collect();
        let r = review(&format!(
            "{{\"Version\": \"1.1\", \"Statement\": [{}]}}",
            statements.join(",")
        ));
        let m = messages(&r).join("\n");
        assert!(
            m.contains("Error Statement 9 statements: IAM allows at most 8"),
            "{m}"
        );
        assert!(
            m.contains(
                "Error Statement[0].Action 101 actions: IAM allows at most 100 in a statement"
            ),
            "{m}"
        );
        assert!(m.contains("over IAM's 6144-character limit"), "{m}");
    }
}
