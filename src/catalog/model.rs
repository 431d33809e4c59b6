//! The catalog's types: an operation, the actions it needs, its scopes and prerequisites; a
//! catalog file as read and as checked; why a file is refused.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::lang::{Lang, LocalText};

/// The built-in catalog, transcribed from Huawei's IMS permission table (see `assets/`).
pub const BUILTIN_JSON: &str = include_str!("../../assets/ims-permissions.json");
/// The name the built-in catalog goes by in messages.
pub const BUILTIN_ORIGIN: &str = "built-in catalog";

/// One API operation and the permissions it needs.
///
/// In a catalog file its route is two fields, `method` and `path`, both present or both absent
/// (see [`OperationFields`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "OperationFields", into = "OperationFields")]
pub struct Operation {
    /// The service of the catalog the operation came from (not part of the operation's JSON).
    pub service: Arc<str>,
    pub id: String,
    pub name: LocalText,
    /// `None`: the table names no API route for it (a console-only permission, an operation
    /// named instead of a route). Searchable and composable by id; `lookup` never finds it.
    pub route: Option<Route>,
    /// What the table says in place of a route (`仅支持Console调用`, `获取桶列表`, a wildcard
    /// route such as `/api/*`); only without a route.
    pub route_note: Option<LocalText>,
    /// The table of the permission reference the operation is listed in (`镜像共享` / `Image
    /// Sharing`); optional.
    pub section: Option<Arc<LocalText>>,
    pub description: LocalText,
    pub actions: Vec<ActionRequirement>,
    /// `Some`: the table's action cell names no action that could be read (kept as written).
    /// The operation's actions are then not documented, which is not "needs no action":
    /// `actions` is empty and nothing is composed or decided for it.
    pub actions_not_documented: Option<LocalText>,
    /// Actions the operation's actions only work with (依赖的授权项): left out of a composed
    /// policy unless asked for. Wildcards allowed (`obs:bucket:*`), as vendors write them.
    pub dependencies: Vec<ActionRequirement>,
    /// `None` (`null`): the table does not say which scopes the operation supports.
    pub scopes: Option<Scopes>,
    pub prerequisites: Vec<Prerequisite>,
    pub deprecated: bool,
    pub openstack_native: bool,
}

/// An operation's API route: `GET /v2/cloudimages/{image_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Route {
    pub method: Arc<str>,
    pub path: String,
}

impl Route {
    /// `GET /v2/images/{}`: the route with parameter names left out, as two routes are compared
    /// (`{tenant_id}` is `{project_id}`); a path that is no route template stays as written.
    pub fn normalised(&self) -> String {
        match crate::catalog::route::RoutePattern::parse(&self.path) {
            Ok(p) => format!("{} {}", self.method, p.normalised()),
            Err(_) => self.to_string(),
        }
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// An operation as a catalog file writes it: the route as two optional fields.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationFields {
    id: String,
    name: LocalText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    method: Option<Arc<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    route_note: Option<LocalText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    section: Option<Arc<LocalText>>,
    description: LocalText,
    actions: Vec<ActionRequirement>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    actions_not_documented: Option<LocalText>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    dependencies: Vec<ActionRequirement>,
    scopes: Option<Scopes>,
    prerequisites: Vec<Prerequisite>,
    deprecated: bool,
    openstack_native: bool,
}

impl TryFrom<OperationFields> for Operation {
    /// Worded as serde words a missing field, so the reader names the field like any other.
    type Error = String;

    fn try_from(f: OperationFields) -> Result<Self, Self::Error> {
        let route = match (f.method, f.path) {
            (Some(method), Some(path)) => Some(Route { method, path }),
            (None, None) => None,
            (Some(_), None) => return Err("missing field `path`".into()),
            (None, Some(_)) => return Err("missing field `method`".into()),
        };
        Ok(Operation {
            service: Arc::from(""),
            id: f.id,
            name: f.name,
            route,
            route_note: f.route_note,
            section: f.section,
            description: f.description,
            actions: f.actions,
            actions_not_documented: f.actions_not_documented,
            dependencies: f.dependencies,
            scopes: f.scopes,
            prerequisites: f.prerequisites,
            deprecated: f.deprecated,
            openstack_native: f.openstack_native,
        })
    }
}

impl From<Operation> for OperationFields {
    fn from(op: Operation) -> Self {
        let Operation {
            service: _,
            id,
            name,
            route,
            route_note,
            section,
            description,
            actions,
            actions_not_documented,
            dependencies,
            scopes,
            prerequisites,
            deprecated,
            openstack_native,
        } = op;
        let (method, path) = match route {
            Some(r) => (Some(r.method), Some(r.path)),
            None => (None, None),
        };
        OperationFields {
            id,
            name,
            method,
            path,
            route_note,
            section,
            description,
            actions,
            actions_not_documented,
            dependencies,
            scopes,
            prerequisites,
            deprecated,
            openstack_native,
        }
    }
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
    /// `GET /v2/images`, or the empty string for an operation without a route (callers that
    /// show it say "no route" themselves).
    pub fn route_text(&self) -> String {
        self.route
            .as_ref()
            .map(Route::to_string)
            .unwrap_or_default()
    }

    /// Its method, or "" without a route.
    pub fn method(&self) -> &str {
        self.route.as_ref().map_or("", |r| r.method.as_ref())
    }

    /// Its path, or "" without a route.
    pub fn path(&self) -> &str {
        self.route.as_ref().map_or("", |r| r.path.as_str())
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
            (field("method", None, ""), self.method()),
            (field("path", None, ""), self.path()),
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
        let notes = self
            .route_note
            .iter()
            .flat_map(|t| local("route_note", None, ["zh", "en"], t))
            .chain(
                self.actions_not_documented
                    .iter()
                    .flat_map(|t| local("actions_not_documented", None, ["zh", "en"], t)),
            );
        fixed
            .into_iter()
            .chain(local("name", None, ["zh", "en"], &self.name))
            .chain(notes)
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
    pub(super) hashes: Vec<(u64, u64)>,
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

/// Why a catalog was refused: where (the file, a line and column, an operation, a field) and
/// the reason, as facts; `present` words them in each language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError {
    /// The file, or [`BUILTIN_ORIGIN`].
    pub origin: String,
    /// Line and column, for JSON syntax errors.
    pub position: Option<(usize, usize)>,
    /// The operation the error is in, when it is in one.
    pub operation: Option<OperationAt>,
    /// The field, as a path inside the operation (or the file): `actions[1].action`.
    pub field: Option<String>,
    pub reason: Box<CatalogReason>,
}

/// Where in a catalog file an operation is: its index in `operations`, and its id when it has a
/// readable one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationAt {
    pub index: usize,
    pub id: Option<String>,
}

/// A JSON value's kind, as a reason names what was found or expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}

/// Why a catalog was refused. Values quoted from the file are kept whole; wording shortens and
/// escapes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogReason {
    /// Not JSON: the parser's own words (English, from serde_json).
    InvalidJson {
        detail: String,
    },
    /// A value the typed reader refused and the tree reader could not place (a duplicate
    /// key): the parser's words.
    Malformed {
        detail: String,
    },
    /// A value of the wrong type, in the parser's words (`invalid type: integer `3`, expected
    /// a string`).
    BadValue {
        detail: String,
    },
    NotAnObject,
    /// A key the format does not have; the keys it has there, when known.
    UnknownField {
        expected: Vec<String>,
    },
    WrongType {
        expected: JsonKind,
        found: JsonKind,
    },
    MissingField,
    ControlCharacter {
        character: char,
        text: String,
    },
    InvalidService {
        name: String,
    },
    InvalidId {
        id: String,
    },
    NoName,
    InvalidMethod {
        method: String,
    },
    InvalidPath {
        path: String,
        problem: crate::catalog::route::PathProblem,
    },
    InvalidAction {
        action: String,
    },
    RepeatedAction {
        action: String,
    },
    /// A condition with no text (`dependency`: of a dependency, not an action).
    EmptyCondition {
        dependency: bool,
    },
    InvalidDependency {
        action: String,
    },
    RepeatedDependency {
        action: String,
    },
    EmptyPrerequisite,
    /// `route_note` on an operation that has a route (its notes are `prerequisites`).
    RouteNoteWithRoute,
    /// `actions_not_documented` beside actions.
    ActionsAndNotDocumented,
    /// A note (`route_note`, `actions_not_documented`) with no text.
    EmptyNote,
    /// The same id twice in one file; the index of the first.
    DuplicateId {
        id: String,
        first: usize,
    },
    /// The same route with the same actions twice in one file.
    DuplicateRoute {
        route: String,
        first: usize,
    },
    /// An id or route another loaded catalog already defines.
    DefinedElsewhere {
        clash: Clash,
        value: String,
        origin: String,
        id: String,
    },
}

/// What two catalogs both define.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clash {
    Id,
    Route,
}

impl std::error::Error for CatalogError {}

pub(super) fn describe_operation(index: usize, id: Option<&str>) -> OperationAt {
    OperationAt {
        index,
        id: id.map(str::to_string),
    }
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
