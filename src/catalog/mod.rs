//! The permission catalog: operations, the IAM actions each needs, the scopes it supports.
//!
//! A catalog file is JSON (format in the README). The built-in IMS catalog is embedded in the
//! binary; user catalogs in the same format are added with `--catalog`. Loading validates
//! everything and refuses a file whole, with an error naming the file, the operation and the
//! field, so nothing is ever half-loaded.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub mod action;
pub mod route;

use crate::catalog::route::{HTTP_METHODS, RoutePattern, normalised_segments};
use crate::lang::{Lang, LocalText};
use crate::text::{escape_controls, find_control, shorten};

/// The built-in catalog, transcribed from Huawei's IMS permission table (see `assets/`).
pub const BUILTIN_JSON: &str = include_str!("../../assets/ims-permissions.json");
/// The name the built-in catalog goes by in messages.
pub const BUILTIN_ORIGIN: &str = "built-in catalog";

/// One API operation and the permissions it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// The service of the catalog the operation came from (not part of the operation's JSON).
    #[serde(skip)]
    pub service: Arc<str>,
    pub id: String,
    pub name: LocalText,
    pub method: Arc<str>,
    pub path: String,
    /// The table of the permission reference the operation is listed in (`镜像共享` / `Image
    /// Sharing`); optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<Arc<LocalText>>,
    pub description: LocalText,
    pub actions: Vec<ActionRequirement>,
    /// Actions the operation's actions only work with (依赖的授权项): left out of a composed
    /// policy unless asked for. Wildcards allowed (`obs:bucket:*`), as vendors write them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<ActionRequirement>,
    /// `None` (`null`): the table does not say which scopes the operation supports.
    pub scopes: Option<Scopes>,
    pub prerequisites: Vec<Prerequisite>,
    pub deprecated: bool,
    pub openstack_native: bool,
}

/// An IAM action an operation needs, and when it needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionRequirement {
    pub action: Arc<str>,
    /// `None`: always needed. Otherwise needed only in the case the condition describes.
    /// Shared: the same few conditions recur across a catalog's operations (one value each,
    /// made so when the catalog is checked).
    pub condition: Option<Arc<LocalText>>,
}

impl ActionRequirement {
    pub fn is_conditional(&self) -> bool {
        self.condition.is_some()
    }
}

/// The authorization scopes an operation can be granted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scopes {
    pub project: bool,
    pub enterprise_project: bool,
}

impl Scopes {
    /// `P`, `P+EP`, `EP` or `-`: symbols, so scope never depends on colour; `?` where the table
    /// does not say.
    pub fn symbol(scopes: Option<Scopes>) -> &'static str {
        match scopes.map(|s| (s.project, s.enterprise_project)) {
            Some((true, true)) => "P+EP",
            Some((true, false)) => "P",
            Some((false, true)) => "EP",
            Some((false, false)) => "-",
            None => "?",
        }
    }
}

/// A permission on another service the user must hold before the operation works (the table's
/// 说明 notes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prerequisite {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
    /// Optional short name of the permission the note asks for (`OBS Tenant Administrator`), so
    /// several differently worded notes asking for the same thing count once in a report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<LocalText>,
    /// Optional: the case it is needed in, when not always (create-image needs OBS only when
    /// creating from an external image file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<LocalText>,
}

impl Prerequisite {
    /// The full note.
    pub fn note(&self) -> LocalText {
        LocalText {
            zh: self.zh.clone(),
            en: self.en.clone(),
        }
    }

    /// What the note asks for, short: the `permission` when given, else the note itself.
    pub fn summary(&self, lang: Lang) -> String {
        match &self.permission {
            Some(p) => p.get(lang).to_string(),
            None => self.note().get(lang).to_string(),
        }
    }
}

impl Operation {
    /// `GET /v2/images`.
    pub fn route(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// Its actions, lower case and sorted: what two operations on one route must differ in.
    pub fn action_set(&self) -> Vec<String> {
        let mut actions: Vec<String> = self
            .actions
            .iter()
            .map(|a| a.action.to_ascii_lowercase())
            .collect();
        actions.sort();
        actions
    }

    /// The actions the operation needs when nothing else is said: its unconditional actions, or,
    /// where every action is conditional (quick import), all of them.
    pub fn needed_actions(&self) -> Vec<&str> {
        let unconditional: Vec<&str> = self
            .actions
            .iter()
            .filter(|a| !a.is_conditional())
            .map(|a| a.action.as_ref())
            .collect();
        if unconditional.is_empty() {
            self.actions.iter().map(|a| a.action.as_ref()).collect()
        } else {
            unconditional
        }
    }

    /// Every text of the operation with the field it is in, for checks such as control
    /// characters. The field's path is only written out when it is shown.
    pub fn texts(&self) -> impl Iterator<Item = (TextField, &str)> {
        fn field(list: &'static str, index: Option<usize>, key: &'static str) -> TextField {
            TextField { list, index, key }
        }
        fn local<'a>(
            list: &'static str,
            index: Option<usize>,
            keys: [&'static str; 2],
            t: &'a LocalText,
        ) -> impl Iterator<Item = (TextField, &'a str)> {
            [(keys[0], t.zh.as_deref()), (keys[1], t.en.as_deref())]
                .into_iter()
                .filter_map(move |(k, v)| v.map(|v| (field(list, index, k), v)))
        }
        let fixed = [
            (field("id", None, ""), self.id.as_str()),
            (field("method", None, ""), self.method.as_ref()),
            (field("path", None, ""), self.path.as_str()),
        ];
        let actions = self.actions.iter().enumerate().flat_map(|(i, a)| {
            std::iter::once((field("actions", Some(i), "action"), a.action.as_ref())).chain(
                a.condition.iter().flat_map(move |c| {
                    local("actions", Some(i), ["condition.zh", "condition.en"], c)
                }),
            )
        });
        let dependencies = self.dependencies.iter().enumerate().flat_map(|(i, a)| {
            std::iter::once((field("dependencies", Some(i), "action"), a.action.as_ref())).chain(
                a.condition.iter().flat_map(move |c| {
                    local("dependencies", Some(i), ["condition.zh", "condition.en"], c)
                }),
            )
        });
        let section = self
            .section
            .iter()
            .flat_map(|t| local("section", None, ["zh", "en"], t));
        let prerequisites = self.prerequisites.iter().enumerate().flat_map(|(i, p)| {
            [("zh", p.zh.as_deref()), ("en", p.en.as_deref())]
                .into_iter()
                .filter_map(move |(k, v)| v.map(|v| (field("prerequisites", Some(i), k), v)))
                .chain(p.permission.iter().flat_map(move |t| {
                    local(
                        "prerequisites",
                        Some(i),
                        ["permission.zh", "permission.en"],
                        t,
                    )
                }))
                .chain(p.condition.iter().flat_map(move |t| {
                    local(
                        "prerequisites",
                        Some(i),
                        ["condition.zh", "condition.en"],
                        t,
                    )
                }))
        });
        fixed
            .into_iter()
            .chain(local("name", None, ["zh", "en"], &self.name))
            .chain(local("description", None, ["zh", "en"], &self.description))
            .chain(section)
            .chain(actions)
            .chain(dependencies)
            .chain(prerequisites)
    }

    /// True when the operation has actions and every one is conditional.
    pub fn all_conditional(&self) -> bool {
        !self.actions.is_empty() && self.actions.iter().all(|a| a.is_conditional())
    }
}

/// Where in an operation a text is: `name.en`, `actions[1].condition.zh`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextField {
    list: &'static str,
    index: Option<usize>,
    key: &'static str,
}

impl fmt::Display for TextField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.list)?;
        if let Some(i) = self.index {
            write!(f, "[{i}]")?;
        }
        if !self.key.is_empty() {
            write!(f, ".{}", self.key)?;
        }
        Ok(())
    }
}

/// Where a catalog's data comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub retrieved: Option<String>,
}

/// One loaded catalog file (or the built-in one).
#[derive(Debug, Clone)]
pub struct CatalogInfo {
    /// The file name, or [`BUILTIN_ORIGIN`].
    pub origin: String,
    pub service: String,
    /// Whether the file says it holds every permission of its service.
    pub complete: bool,
    pub source: Source,
    /// How many operations it added.
    pub operations: usize,
}

/// A validated catalog file, not yet merged. Read-only outside the crate: the hashes go with
/// the operations as they were checked.
#[derive(Debug, Clone)]
pub struct ParsedCatalog {
    pub(crate) info: CatalogInfo,
    pub(crate) operations: Vec<Operation>,
    /// Each operation's id and route hashes, worked out by the checks (on the thread that read
    /// the file), so adding the catalog does not hash 100,000 routes again on one thread.
    hashes: Vec<(u64, u64)>,
}

impl ParsedCatalog {
    pub fn info(&self) -> &CatalogInfo {
        &self.info
    }

    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    pub fn into_operations(self) -> Vec<Operation> {
        self.operations
    }

    /// Marks the catalog as holding every permission of its service (`import --complete`:
    /// the user vouches that all of the service's tables were read).
    pub fn mark_complete(&mut self) {
        self.info.complete = true;
    }
}

/// Every operation of every loaded catalog, in load order.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    catalogs: Vec<CatalogInfo>,
    operations: Vec<Operation>,
    /// (service, id) → operation.
    by_id: HashIndex,
    /// (service, method, normalised path) → operation.
    by_route: HashIndex,
    /// lower-case action → the operations that list it, in catalog order.
    by_action: HashMap<String, Vec<usize>, xxhash_rust::xxh3::Xxh3Builder>,
    /// Lower-case dependent actions the operations name (`ecs:cloudServers:get`): documented
    /// actions too, though no loaded operation needs them as its own.
    dependency_actions: std::collections::HashSet<String, xxhash_rust::xxh3::Xxh3Builder>,
    /// Whether the operations are filed in more than one section (kept as they are added, so
    /// drawing a frame never scans them), and the first section named.
    several_sections: bool,
    first_section: Option<Arc<LocalText>>,
}

/// Why a catalog was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError {
    /// The file, or [`BUILTIN_ORIGIN`].
    pub origin: String,
    /// Line and column, for JSON syntax errors.
    pub position: Option<(usize, usize)>,
    /// `operations[3] (id `list-images`)`, when the error is in one operation.
    pub operation: Option<String>,
    /// The field, as a path inside the operation (or the file): `actions[1].action`.
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", escape_controls(&self.origin))?;
        if let Some((line, column)) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": ")?;
        if let Some(op) = &self.operation {
            write!(f, "{op}: ")?;
        }
        if let Some(field) = &self.field {
            write!(f, "field `{}`: ", escape_controls(&shorten(field, 120)))?;
        }
        // A message may quote a value from the file, which can be megabytes long, and must
        // never carry a control character to the terminal.
        write!(f, "{}", escape_controls(&shorten(&self.message, 300)))
    }
}

impl std::error::Error for CatalogError {}

impl Catalog {
    /// A catalog with nothing in it.
    pub fn new() -> Catalog {
        Catalog::default()
    }

    /// The embedded IMS catalog.
    pub fn builtin() -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::new();
        catalog.add(parse(BUILTIN_ORIGIN, BUILTIN_JSON)?)?;
        Ok(catalog)
    }

    /// Adds catalogs read apart (in parallel, by [`crate::load::load_files`]) in the order
    /// given. The first that failed, or that clashes with what is loaded, stops everything;
    /// nothing is added then.
    pub fn add_all(
        &mut self,
        parsed: Vec<Result<ParsedCatalog, CatalogError>>,
    ) -> Result<(), CatalogError> {
        let mut staged = self.clone();
        // One exact allocation for all operations: growing by doubling would leave up to half
        // of it unused at 100,000 operations.
        let adding: usize = parsed
            .iter()
            .map(|r| r.as_ref().map_or(0, |p| p.operations.len()))
            .sum();
        staged.operations.reserve_exact(adding);
        for result in parsed {
            staged.add(result?)?;
        }
        *self = staged;
        Ok(())
    }

    /// Adds a validated catalog, refusing it whole if an id or a route repeats one already
    /// loaded for the same service.
    pub fn add(&mut self, parsed: ParsedCatalog) -> Result<(), CatalogError> {
        let ParsedCatalog {
            info,
            operations,
            hashes,
        } = parsed;
        let ops = &self.operations;
        for (i, (op, &(id, route))) in operations.iter().zip(&hashes).enumerate() {
            let clash = |what: &str, other: usize| CatalogError {
                origin: info.origin.clone(),
                position: None,
                operation: Some(describe_operation(i, Some(&op.id))),
                field: Some(what.to_string()),
                message: format!(
                    "duplicate {what} `{}`: already defined by {} (id `{}`)",
                    if what == "id" {
                        op.id.clone()
                    } else {
                        op.route()
                    },
                    self.origin_of(other),
                    ops[other].id
                ),
            };
            let same_id = |k: usize| ops[k].service == op.service && ops[k].id == op.id;
            if let Some(other) = self.by_id.find(id, same_id) {
                return Err(clash("id", other));
            }
            if let Some(other) = self.by_route.find(route, |k| same_route(&ops[k], op)) {
                return Err(clash("path", other));
            }
        }
        let start = self.operations.len();
        self.operations.reserve(operations.len());
        let mut lower = String::new();
        self.by_id.first.reserve(operations.len());
        self.by_route.first.reserve(operations.len());
        for (i, (op, (id, route))) in operations.into_iter().zip(hashes).enumerate() {
            if let Some(section) = &op.section {
                match &self.first_section {
                    None => self.first_section = Some(Arc::clone(section)),
                    Some(first) => self.several_sections |= first != section,
                }
            }
            self.by_id.insert(id, start + i);
            self.by_route.insert(route, start + i);
            for a in &op.actions {
                // One reused buffer: only a new action allocates its key.
                lower.clear();
                lower.extend(a.action.chars().map(|c| c.to_ascii_lowercase()));
                match self.by_action.get_mut(lower.as_str()) {
                    Some(list) => list.push(start + i),
                    None => {
                        self.by_action.insert(lower.clone(), vec![start + i]);
                    }
                }
            }
            for d in &op.dependencies {
                self.dependency_actions
                    .insert(d.action.to_ascii_lowercase());
            }
            self.operations.push(op);
        }
        self.catalogs.push(info);
        Ok(())
    }

    /// The operations that list `action` (any case), conditionally or not, in catalog order.
    pub fn with_action(&self, action: &str) -> &[usize] {
        self.by_action
            .get(&action.to_ascii_lowercase())
            .map_or(&[], Vec::as_slice)
    }

    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// Whether a loaded operation names `action` (any case) among its dependent actions.
    pub fn names_dependency(&self, action: &str) -> bool {
        self.dependency_actions
            .contains(action.to_ascii_lowercase().as_str())
    }

    pub fn len(&self) -> usize {
        self.operations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
    }

    /// The catalogs loaded, in order.
    pub fn catalogs(&self) -> &[CatalogInfo] {
        &self.catalogs
    }

    /// Every service the loaded operations name in their actions, sorted: the catalogs' own
    /// and others they need (an ECS catalog names `vpc:` actions).
    pub fn action_services(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .by_action
            .keys()
            .filter_map(|a| a.split(':').next())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether the operations are filed in more than one section.
    pub fn has_sections(&self) -> bool {
        self.several_sections
    }

    /// Whether a loaded catalog of `service` says it holds every permission of the service.
    pub fn is_complete(&self, service: &str) -> bool {
        self.catalogs
            .iter()
            .any(|c| c.complete && c.service == service)
    }

    /// The distinct services loaded, in load order.
    pub fn services(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for c in &self.catalogs {
            if !out.contains(&c.service.as_str()) {
                out.push(&c.service);
            }
        }
        out
    }

    /// Indices of the operations with this id (one per service at most).
    pub fn find_id(&self, id: &str) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .services()
            .into_iter()
            .filter_map(|s| {
                let ops = &self.operations;
                self.by_id
                    .find(id_hash(s, id), |k| &*ops[k].service == s && ops[k].id == id)
            })
            .collect();
        out.sort_unstable();
        out
    }

    /// The file the operation at `index` came from.
    pub fn origin_of(&self, index: usize) -> &str {
        let mut end = 0;
        for c in &self.catalogs {
            end += c.operations;
            if index < end {
                return &c.origin;
            }
        }
        ""
    }
}

/// An exact index from 64-bit hashes to operations: a hit is confirmed by the caller's
/// comparison, and further operations with the same hash are kept aside. At 100,000 operations
/// this is far smaller and faster than keeping every id and route as a string key.
#[derive(Debug, Clone, Default)]
struct HashIndex {
    first: HashMap<u64, usize, std::hash::BuildHasherDefault<IdentityHasher>>,
    /// Further keys with a hash already in `first`. Not rare for routes: operations that share
    /// a route (ECS's `POST …/action`, one per action) have the same route hash, and a list
    /// searched from the start made loading quadratic in them.
    more: HashMap<u64, Vec<usize>, std::hash::BuildHasherDefault<IdentityHasher>>,
}

impl HashIndex {
    fn find(&self, hash: u64, is: impl Fn(usize) -> bool) -> Option<usize> {
        let &i = self.first.get(&hash)?;
        if is(i) {
            return Some(i);
        }
        self.more.get(&hash)?.iter().copied().find(|&i| is(i))
    }

    fn insert(&mut self, hash: u64, index: usize) {
        match self.first.entry(hash) {
            std::collections::hash_map::Entry::Occupied(_) => {
                self.more.entry(hash).or_default().push(index)
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(index);
            }
        }
    }
}

/// The keys are hashes already.
#[derive(Debug, Clone, Copy, Default)]
struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

// xxh3 rather than the standard SipHash: the keys are the catalogs' own, not an attacker's
// choice against a server, and at 100,000 operations SipHash was a tenth of loading.
fn id_hash(service: &str, id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    service.hash(&mut h);
    id.hash(&mut h);
    h.finish()
}

/// Hash of (service, method, normalised path), without building the normalised string.
fn route_hash(op: &Operation) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    op.service.hash(&mut h);
    op.method.hash(&mut h);
    for seg in normalised_segments(&op.path) {
        seg.hash(&mut h);
    }
    h.finish()
}

/// Whether two operations are one operation written twice: the same route of the same service
/// (`{id}` and `{image_id}` are the same segment) needing the same actions. Several permissions
/// may share a route (ECS's `POST …/servers/{server_id}/action` starts, stops, reboots… by
/// request body): those differ in their actions and stay separate operations.
fn same_route(a: &Operation, b: &Operation) -> bool {
    a.service == b.service
        && a.method == b.method
        && RoutePattern::same_route(&a.path, &b.path)
        && same_actions(a, b)
}

fn same_actions(a: &Operation, b: &Operation) -> bool {
    a.action_set() == b.action_set()
}

fn describe_operation(index: usize, id: Option<&str>) -> String {
    match id {
        Some(id) => format!(
            "operations[{index}] (id `{}`)",
            escape_controls(&shorten(id, 60))
        ),
        None => format!("operations[{index}]"),
    }
}

/// [`parse`] for a file that did not read as a well-formed catalog: read as a JSON tree to name
/// the line, the operation and the field at fault.
fn parse_slowly(origin: &str, json: &str) -> Result<ParsedCatalog, CatalogError> {
    let err = |operation: Option<String>, field: Option<String>, message: String| CatalogError {
        origin: origin.to_string(),
        position: None,
        operation,
        field,
        message,
    };

    let root: Value = serde_json::from_str(json).map_err(|e| CatalogError {
        origin: origin.to_string(),
        position: Some((e.line(), e.column())),
        operation: None,
        field: None,
        message: format!("invalid JSON: {}", strip_position(&e.to_string())),
    })?;

    // A key with a control character would be echoed as an unknown field: refuse it first.
    // Values are checked once the document is typed, by the checks the fast path runs too.
    if let Some((path, text, c)) = find_control_in_keys(&root, String::new()) {
        let (operation, field) = split_path(&root, &path);
        return Err(err(operation, Some(field), control_message(&text, c)));
    }

    let Value::Object(top) = &root else {
        return Err(err(None, None, "expected a JSON object at the top".into()));
    };
    for key in top.keys() {
        if !["service", "complete", "source", "operations"].contains(&key.as_str()) {
            return Err(err(
                None,
                Some(key.clone()),
                "unknown field (expected `service`, `complete`, `source`, `operations`)".into(),
            ));
        }
    }
    let complete = match top.get("complete") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(err(
                None,
                Some("complete".into()),
                format!("expected true or false, found {other}"),
            ));
        }
    };
    let service = match top.get("service") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(err(
                None,
                Some("service".into()),
                format!("expected a string, found {other}"),
            ));
        }
        None => return Err(err(None, Some("service".into()), "missing field".into())),
    };
    let source: Source = match top.get("source") {
        Some(v) => deserialize_field(v)
            .map_err(|(path, msg)| err(None, Some(join_path("source", &path)), msg))?,
        None => return Err(err(None, Some("source".into()), "missing field".into())),
    };
    let raw_ops = match top.get("operations") {
        Some(Value::Array(ops)) => ops,
        Some(other) => {
            return Err(err(
                None,
                Some("operations".into()),
                format!("expected an array, found {}", kind_of(other)),
            ));
        }
        None => return Err(err(None, Some("operations".into()), "missing field".into())),
    };

    let mut operations = Vec::with_capacity(raw_ops.len());
    for (i, raw) in raw_ops.iter().enumerate() {
        let id_hint = raw.get("id").and_then(Value::as_str);
        let op: Operation = deserialize_field(raw)
            .map_err(|(path, msg)| err(Some(describe_operation(i, id_hint)), Some(path), msg))?;
        operations.push(op);
    }
    check_document(
        origin,
        CatalogDoc {
            service,
            complete,
            source,
            operations,
        },
    )
}

/// A whole catalog file: read in one pass when it is well formed (the fast path), and written
/// by the importer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogDoc {
    pub service: String,
    /// The catalog holds every permission of its service (all of its reference's tables), so
    /// a wildcard over the service grants nothing it does not list (`--compact` relies on it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub complete: bool,
    pub source: Source,
    pub operations: Vec<Operation>,
}

/// Parses and validates one catalog file's text. `origin` names it in errors.
///
/// A well-formed file is read straight into typed values; only when that fails is it read again
/// as a JSON tree, slowly, to say exactly where and why.
pub fn parse(origin: &str, json: &str) -> Result<ParsedCatalog, CatalogError> {
    let json = json.strip_prefix('\u{feff}').unwrap_or(json);
    let doc = match serde_json::from_str::<CatalogDoc>(json) {
        Ok(doc) => doc,
        Err(fast) => {
            // The tree the slow path reads keeps only the last of two equal keys; when it finds
            // nothing wrong, the typed reader's complaint (a duplicate key) is the answer.
            parse_slowly(origin, json)?;
            return Err(CatalogError {
                origin: origin.to_string(),
                position: Some((fast.line(), fast.column())),
                operation: None,
                field: None,
                message: strip_position(&fast.to_string()),
            });
        }
    };
    check_document(origin, doc)
}

/// "control character \u{1b} in \"…\"".
fn control_message(text: &str, c: char) -> String {
    format!(
        "control character {} in \"{}\"",
        c.escape_unicode(),
        escape_controls(&shorten(text, 120))
    )
}

/// The checks every catalog goes through once it is typed, whichever path read it: no control
/// or bidi character in any text, a valid service name, then each operation's values and
/// uniqueness ([`finish`]).
pub fn check_document(origin: &str, doc: CatalogDoc) -> Result<ParsedCatalog, CatalogError> {
    let err = |operation: Option<String>, field: String, message: String| CatalogError {
        origin: origin.to_string(),
        position: None,
        operation,
        field: Some(field),
        message,
    };
    let top = [
        ("service", Some(doc.service.as_str())),
        ("source.title", Some(doc.source.title.as_str())),
        ("source.url", doc.source.url.as_deref()),
        ("source.retrieved", doc.source.retrieved.as_deref()),
    ];
    for (field, text) in top {
        if let Some(text) = text
            && let Some(c) = find_control(text)
        {
            return Err(err(None, field.to_string(), control_message(text, c)));
        }
    }
    for (i, op) in doc.operations.iter().enumerate() {
        let found = op
            .texts()
            .find_map(|(field, text)| find_control(text).map(|c| (field, text, c)));
        if let Some((field, text, c)) = found {
            let id = find_control(&op.id).is_none().then_some(op.id.as_str());
            return Err(err(
                Some(describe_operation(i, id)),
                field.to_string(),
                control_message(text, c),
            ));
        }
    }
    if !is_service_name(&doc.service) {
        return Err(err(
            None,
            "service".into(),
            format!(
                "invalid service name \"{}\": expected lower-case letters, digits and `-`, starting with a letter",
                doc.service
            ),
        ));
    }
    let mut parsed = finish(origin, doc.service, doc.source, doc.operations)?;
    parsed.info.complete = doc.complete;
    Ok(parsed)
}

/// The checks every catalog goes through once its structure is read: each operation's values,
/// then ids and routes unique within the file.
fn finish(
    origin: &str,
    service: String,
    source: Source,
    mut operations: Vec<Operation>,
) -> Result<ParsedCatalog, CatalogError> {
    let err = |i: usize, id: &str, field: String, message: String| CatalogError {
        origin: origin.to_string(),
        position: None,
        operation: Some(describe_operation(i, Some(id))),
        field: Some(field),
        message,
    };
    operations.shrink_to_fit();
    let shared_service: Arc<str> = Arc::from(service.as_str());
    for (i, op) in operations.iter_mut().enumerate() {
        // Lists grow by doubling while parsed; at 100,000 operations the slack adds up.
        op.actions.shrink_to_fit();
        op.dependencies.shrink_to_fit();
        op.prerequisites.shrink_to_fit();
        op.service = Arc::clone(&shared_service);
        validate_operation(op).map_err(|(field, msg)| err(i, &op.id, field, msg))?;
    }
    share_repeated_texts(&mut operations);
    let mut ids = HashIndex::default();
    let mut routes = HashIndex::default();
    let mut hashes = Vec::with_capacity(operations.len());
    for (i, op) in operations.iter().enumerate() {
        let id = id_hash(&op.service, &op.id);
        if let Some(first) = ids.find(id, |k| operations[k].id == op.id) {
            return Err(err(
                i,
                &op.id,
                "id".into(),
                format!("duplicate id `{}` (also operations[{first}])", op.id),
            ));
        }
        ids.insert(id, i);
        let route = route_hash(op);
        if let Some(first) = routes.find(route, |k| same_route(&operations[k], op)) {
            return Err(err(
                i,
                &op.id,
                "path".into(),
                format!(
                    "duplicate route `{}` with the same actions (also operations[{first}])",
                    op.route()
                ),
            ));
        }
        routes.insert(route, i);
        hashes.push((id, route));
    }
    Ok(ParsedCatalog {
        info: CatalogInfo {
            origin: origin.to_string(),
            service,
            complete: false,
            source,
            operations: operations.len(),
        },
        operations,
        hashes,
    })
}

/// Makes equal actions, conditions and sections one shared value. A catalog repeats a few of
/// them over many operations (a dependency, its condition, a table's name): with dependencies
/// at 100,000 operations, their copies were tens of megabytes.
fn share_repeated_texts(operations: &mut [Operation]) {
    type Seen<T> = std::collections::HashSet<Arc<T>, xxhash_rust::xxh3::Xxh3Builder>;
    fn share<T: Eq + std::hash::Hash + ?Sized>(seen: &mut Seen<T>, value: &mut Arc<T>) {
        match seen.get(value) {
            Some(first) => *value = Arc::clone(first),
            None => {
                seen.insert(Arc::clone(value));
            }
        }
    }
    let (mut actions, mut texts) = (Seen::<str>::default(), Seen::<LocalText>::default());
    for op in operations {
        share(&mut actions, &mut op.method);
        if let Some(section) = &mut op.section {
            share(&mut texts, section);
        }
        for a in op.actions.iter_mut().chain(op.dependencies.iter_mut()) {
            share(&mut actions, &mut a.action);
            if let Some(condition) = &mut a.condition {
                share(&mut texts, condition);
            }
        }
    }
}

/// serde_json puts " at line L column C" in its messages; the position is shown separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn deserialize_field<T: serde::de::DeserializeOwned>(value: &Value) -> Result<T, (String, String)> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        // serde names a missing field in the message; make it the field.
        if let Some(rest) = inner.strip_prefix("missing field `") {
            let name = rest.trim_end_matches('`');
            return (join_path(&path, name), "missing field".to_string());
        }
        if let Some(rest) = inner.strip_prefix("unknown field `") {
            let name = rest.split('`').next().unwrap_or("");
            let field = if path.ends_with(name) {
                path
            } else {
                join_path(&path, name)
            };
            return (
                field,
                format!(
                    "unknown field{}",
                    rest.split_once(',')
                        .map(|x| x.1)
                        .map(|x| format!(" ({})", x.trim()))
                        .unwrap_or_default()
                ),
            );
        }
        (if path == "." { String::new() } else { path }, inner)
    })
}

fn join_path(base: &str, name: &str) -> String {
    if base.is_empty() || base == "." {
        name.to_string()
    } else {
        format!("{base}.{name}")
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The first key holding a control character: its JSON path, the key, the char.
fn find_control_in_keys(v: &Value, path: String) -> Option<(String, String, char)> {
    match v {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| find_control_in_keys(item, format!("{path}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, item)| {
            let child = join_path(&path, &escape_controls(k));
            match find_control(k) {
                Some(c) => Some((child, k.clone(), c)),
                None => find_control_in_keys(item, child),
            }
        }),
        _ => None,
    }
}

/// Splits `operations[3].name.zh` into the operation's description and `name.zh`.
fn split_path(root: &Value, path: &str) -> (Option<String>, String) {
    if let Some(rest) = path.strip_prefix("operations[")
        && let Some((index, field)) = rest.split_once(']')
        && let Ok(i) = index.parse::<usize>()
    {
        let id = root
            .get("operations")
            .and_then(|ops| ops.get(i))
            .and_then(|op| op.get("id"))
            .and_then(Value::as_str)
            .filter(|id| find_control(id).is_none());
        let field = field.trim_start_matches('.').to_string();
        return (Some(describe_operation(i, id)), field);
    }
    (None, path.to_string())
}

fn is_service_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A stable slug: lower-case letters and digits in words joined by single hyphens.
pub fn is_kebab_id(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// `service:resourceType:action`, the service in lower case. Wildcards are not allowed in a
/// catalog: it lists real actions.
pub fn is_action_name(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    let [service, resource, action] = parts.as_slice() else {
        return false;
    };
    let word = |w: &str| {
        let mut chars = w.chars();
        matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    is_service_name(service) && word(resource) && word(action)
}

/// An action as a vendor's dependency column writes it: [`is_action_name`], or with `*` in the
/// resource type or action (`obs:bucket:*`, `kms:*:*`).
pub fn is_action_pattern(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    let [service, resource, action] = parts.as_slice() else {
        return false;
    };
    let word = |w: &str| {
        w == "*"
            || (!w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '*')))
    };
    is_service_name(service) && word(resource) && word(action)
}

fn validate_operation(op: &Operation) -> Result<(), (String, String)> {
    let bad = |field: &str, msg: String| Err((field.to_string(), msg));
    if !is_kebab_id(&op.id) {
        return bad(
            "id",
            format!(
                "invalid id \"{}\": expected a kebab-case slug such as `list-images`",
                op.id
            ),
        );
    }
    if op.name.get(Lang::En).is_empty() {
        return bad("name", "a name needs `zh` or `en` text".into());
    }
    if !HTTP_METHODS.contains(&op.method.as_ref()) {
        return bad(
            "method",
            format!(
                "invalid method \"{}\": expected one of {}",
                op.method,
                HTTP_METHODS.join(", ")
            ),
        );
    }
    if let Err(msg) = RoutePattern::check(&op.path) {
        return bad("path", format!("invalid path \"{}\": {msg}", op.path));
    }
    for (i, a) in op.actions.iter().enumerate() {
        let field = || format!("actions[{i}].action");
        if !is_action_name(&a.action) {
            return bad(
                &field(),
                format!(
                    "invalid action \"{}\": expected `service:resourceType:action` with a lower-case service, e.g. `ims:images:list`",
                    a.action
                ),
            );
        }
        if op.actions[..i]
            .iter()
            .any(|b| b.action.eq_ignore_ascii_case(&a.action))
        {
            return bad(&field(), format!("action \"{}\" is listed twice", a.action));
        }
        if let Some(c) = &a.condition
            && c.is_empty()
        {
            return bad(
                &format!("actions[{i}].condition"),
                "a condition needs `zh` or `en` text (use null for an unconditional action)".into(),
            );
        }
    }
    for (i, d) in op.dependencies.iter().enumerate() {
        let field = || format!("dependencies[{i}].action");
        if !is_action_pattern(&d.action) {
            return bad(
                &field(),
                format!(
                    "invalid dependency \"{}\": expected `service:resourceType:action`, `*` allowed after the service (`obs:bucket:*`)",
                    d.action
                ),
            );
        }
        if op.dependencies[..i]
            .iter()
            .any(|b| b.action.eq_ignore_ascii_case(&d.action))
        {
            return bad(
                &field(),
                format!("dependency \"{}\" is listed twice", d.action),
            );
        }
        if let Some(c) = &d.condition
            && c.is_empty()
        {
            return bad(
                &format!("dependencies[{i}].condition"),
                "a condition needs `zh` or `en` text (use null for an unconditional dependency)"
                    .into(),
            );
        }
    }
    for (i, p) in op.prerequisites.iter().enumerate() {
        let empty = |t: &Option<String>| t.as_deref().is_none_or(str::is_empty);
        if empty(&p.zh) && empty(&p.en) {
            return bad(
                &format!("prerequisites[{i}]"),
                "a prerequisite needs `zh` or `en` text".into(),
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL_OP: &str = r#"{"id": "list-things", "name": {"zh": "查询", "en": "List"},
        "method": "GET", "path": "/v1/things", "description": {"en": "Lists."},
        "actions": [{"action": "svc:things:list", "condition": null}],
        "scopes": {"project": true, "enterprise_project": false},
        "prerequisites": [], "deprecated": false, "openstack_native": false}"#;

    fn doc(ops: &[&str]) -> String {
        format!(
            r#"{{"service": "svc", "source": {{"title": "t", "url": null, "retrieved": null}}, "operations": [{}]}}"#,
            ops.join(",")
        )
    }

    fn with(field: &str, value: &str) -> String {
        let mut v: Value = serde_json::from_str(MINIMAL_OP).unwrap();
        let pointer_parent = v.as_object_mut().unwrap();
        pointer_parent.insert(field.to_string(), serde_json::from_str(value).unwrap());
        v.to_string()
    }

    fn error_of(json: &str) -> String {
        parse("user.json", json).unwrap_err().to_string()
    }

    #[test]
    fn builtin_loads_every_ims_operation() {
        let c = Catalog::builtin().unwrap();
        assert_eq!(c.len(), 43);
        assert_eq!(c.services(), vec!["ims"]);
        assert_eq!(c.operations()[0].id, "list-images");
        assert_eq!(c.operations()[14].actions.len(), 0);
    }

    #[test]
    fn minimal_catalog_parses_and_round_trips() {
        let parsed = parse("user.json", &doc(&[MINIMAL_OP])).unwrap();
        assert_eq!(parsed.operations.len(), 1);
        let op = &parsed.operations[0];
        assert_eq!(&*op.service, "svc");
        let again: Operation = serde_json::from_value(serde_json::to_value(op).unwrap()).unwrap();
        assert_eq!(again.id, op.id);
        assert_eq!(again.actions, op.actions);
    }

    #[test]
    fn json_syntax_error_names_line_and_column() {
        let e = error_of("{\n  \"service\": \"svc\",\n  oops\n}");
        assert!(e.starts_with("user.json:3:3: invalid JSON: "), "{e}");
    }

    #[test]
    fn missing_field_is_named_with_operation() {
        let mut v: Value = serde_json::from_str(MINIMAL_OP).unwrap();
        v.as_object_mut().unwrap().remove("method");
        let e = error_of(&doc(&[&v.to_string()]));
        assert_eq!(
            e,
            "user.json: operations[0] (id `list-things`): field `method`: missing field"
        );
        let e = error_of(r#"{"service": "svc", "operations": []}"#);
        assert_eq!(e, "user.json: field `source`: missing field");
        let mut v: Value = serde_json::from_str(MINIMAL_OP).unwrap();
        v["scopes"].as_object_mut().unwrap().remove("project");
        let e = error_of(&doc(&[&v.to_string()]));
        assert!(e.ends_with("field `scopes.project`: missing field"), "{e}");
    }

    #[test]
    fn wrong_type_is_named() {
        let e = error_of(&doc(&[&with("deprecated", "\"no\"")]));
        assert!(
            e.contains("field `deprecated`: invalid type: string \"no\", expected a boolean"),
            "{e}"
        );
    }

    #[test]
    fn unknown_field_is_refused() {
        let e = error_of(&doc(&[&with("deprecatd", "false")]));
        assert!(e.contains("field `deprecatd`: unknown field"), "{e}");
    }

    #[test]
    fn bad_values_are_refused_with_the_value() {
        let cases = [
            (
                "method",
                "\"FETCH\"",
                "field `method`: invalid method \"FETCH\"",
            ),
            ("method", "\"get\"", "invalid method \"get\""),
            (
                "path",
                "\"v1/things\"",
                "field `path`: invalid path \"v1/things\": must start with `/`",
            ),
            (
                "id",
                "\"List_Things\"",
                "field `id`: invalid id \"List_Things\"",
            ),
            (
                "actions",
                r#"[{"action": "IMS:images:list", "condition": null}]"#,
                "field `actions[0].action`: invalid action \"IMS:images:list\"",
            ),
            (
                "actions",
                r#"[{"action": "ims:images", "condition": null}]"#,
                "invalid action \"ims:images\"",
            ),
            (
                "actions",
                r#"[{"action": "ims:*:*", "condition": null}]"#,
                "invalid action \"ims:*:*\"",
            ),
            (
                "name",
                r#"{"zh": "", "en": ""}"#,
                "field `name`: a name needs",
            ),
        ];
        for (field, value, expected) in cases {
            let e = error_of(&doc(&[&with(field, value)]));
            assert!(e.contains(expected), "{field}={value}: {e}");
            assert!(e.starts_with("user.json: operations[0]"), "{e}");
        }
    }

    #[test]
    fn control_characters_anywhere_are_refused() {
        let e = error_of(&doc(&[&with(
            "name",
            r#"{"zh": "a", "en": "evil\u001b[2J"}"#,
        )]));
        assert_eq!(
            e,
            "user.json: operations[0] (id `list-things`): field `name.en`: control character \\u{1b} in \"evil\\u{1b}[2J\""
        );
        let e = error_of(&doc(&[MINIMAL_OP]).replace("\"t\"", "\"t\\n\""));
        assert!(
            e.contains("field `source.title`: control character \\u{a}"),
            "{e}"
        );
    }

    #[test]
    fn duplicates_within_a_file_are_refused() {
        let e = error_of(&doc(&[MINIMAL_OP, MINIMAL_OP]));
        assert!(e.contains("operations[1] (id `list-things`): field `id`: duplicate id `list-things` (also operations[0])"), "{e}");
        let other = with("id", "\"list-things-again\"").replace("/v1/things", "/v1/things/");
        let other = other.replace("/v1/things/", "/v1/things");
        let e = error_of(&doc(&[MINIMAL_OP, &other]));
        assert!(
            e.contains("field `path`: duplicate route `GET /v1/things`"),
            "{e}"
        );
        // Parameter names do not make two routes different.
        let a = with("path", "\"/v1/things/{id}\"");
        let b = with("path", "\"/v1/things/{thing_id}\"").replace("list-things", "get-thing");
        let e = error_of(&doc(&[&a, &b]));
        assert!(e.contains("duplicate route"), "{e}");
    }

    #[test]
    fn duplicates_across_files_refuse_the_whole_file() {
        let mut c = Catalog::builtin().unwrap();
        let clash = crate::testing::catalog_json(
            "ims",
            &[
                crate::testing::test_op(
                    "os-version",
                    "GET",
                    "/v1/cloudimages/os_version",
                    &["ims:images:list"],
                ),
                crate::testing::test_op("list-images", "GET", "/v9/x", &[]),
            ],
        );
        let e = c
            .add(parse("mine.json", &clash).unwrap())
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "mine.json: operations[1] (id `list-images`): field `id`: duplicate id `list-images`: already defined by built-in catalog (id `list-images`)"
        );
        assert_eq!(c.len(), 43, "nothing of the refused file is added");
        // The same ids in another service are fine.
        let other = clash
            .replace("\"service\":\"ims\"", "\"service\":\"ecs2\"")
            .replace("ims:images:list", "ecs2:x:list");
        c.add(parse("other.json", &other).unwrap()).unwrap();
        assert_eq!(c.len(), 45);
        assert_eq!(c.find_id("list-images").len(), 2);
        assert_eq!(c.origin_of(44), "other.json");
    }

    #[test]
    fn duplicate_keys_a_bom_and_huge_values() {
        let dup = doc(&[MINIMAL_OP]).replace(
            r#""deprecated": false"#,
            r#""deprecated": false, "deprecated": true"#,
        );
        let e = error_of(&dup);
        assert!(e.contains("duplicate field `deprecated`"), "{e}");
        assert!(e.starts_with("user.json:5:"), "{e}");
        let dup = doc(&[MINIMAL_OP]).replace(r#""en": "List""#, r#""en": "List", "en": "Again""#);
        assert!(error_of(&dup).contains("duplicate field `en`"));
        let bom = format!("\u{feff}{}", doc(&[MINIMAL_OP]));
        assert_eq!(parse("user.json", &bom).unwrap().operations.len(), 1);
        let huge = format!("\"{}\"", "x".repeat(2_000_000));
        let e = error_of(&doc(&[&with("deprecated", &huge)]));
        assert!(e.len() < 600, "{} bytes", e.len());
        assert!(e.contains("expected a boolean"), "{e}");
    }

    #[test]
    fn hash_index_keeps_colliding_keys_apart() {
        let mut h = HashIndex::default();
        h.insert(7, 0);
        h.insert(7, 1);
        assert_eq!(h.find(7, |i| i == 1), Some(1));
        assert_eq!(h.find(7, |i| i == 0), Some(0));
        assert_eq!(h.find(7, |i| i == 2), None);
        assert_eq!(h.find(8, |_| true), None);
    }

    #[test]
    fn needed_actions_follow_the_conditional_rule() {
        let c = Catalog::builtin().unwrap();
        let ops = c.operations();
        assert_eq!(ops[1].needed_actions(), vec!["ims:images:update"]);
        assert!(ops[3].all_conditional());
        assert_eq!(
            ops[3].needed_actions(),
            vec!["ims:serverImages:create", "ims:dataImages:create"]
        );
        assert!(ops[14].needed_actions().is_empty());
        assert!(!ops[14].all_conditional());
    }

    #[test]
    fn repeated_texts_are_one_shared_value_however_read() {
        // The rich synthetic catalogs repeat dependencies, conditions, sections and methods.
        let (_, doc) = crate::testing::synthetic::rich_catalogs(400).remove(0);
        let json = serde_json::to_string(&doc).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (path, cache) = (dir.path().join("ecs.json"), dir.path().join("cache"));
        std::fs::write(&path, &json).unwrap();
        let parsed = parse("x", &json).unwrap();
        let written = crate::load::read_file(&path, Some(&cache)).unwrap(); // parsed, cache file written
        let cached = crate::load::read_file(&path, Some(&cache)).unwrap(); // from the cache file
        assert_eq!(cached.operations, parsed.operations);
        for catalog in [&parsed, &written, &cached] {
            let ops = &catalog.operations;
            let (a, b) = (&ops[0], &ops[1]);
            assert!(Arc::ptr_eq(&a.service, &b.service));
            for o in ops {
                for p in &ops[..20] {
                    let same = o.method == p.method;
                    assert_eq!(
                        same,
                        Arc::ptr_eq(&o.method, &p.method),
                        "equal methods are one"
                    );
                }
            }
            let dependency = |o: &Operation| o.dependencies[0].clone();
            assert_eq!(dependency(a).action, dependency(b).action);
            assert!(Arc::ptr_eq(&dependency(a).action, &dependency(b).action));
            let conditioned =
                |o: &'_ Operation| o.dependencies.iter().find_map(|d| d.condition.clone());
            assert!(Arc::ptr_eq(
                &conditioned(a).unwrap(),
                &conditioned(b).unwrap()
            ));
            let sections: Vec<&Arc<LocalText>> =
                ops.iter().filter_map(|o| o.section.as_ref()).collect();
            for (x, y) in sections.iter().zip(&sections[1..]) {
                assert_eq!(x == y, Arc::ptr_eq(x, y), "equal sections are one value");
            }
        }
    }
}
