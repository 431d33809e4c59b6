//! A catalog file's text to checked operations: parsed straight into types when well formed,
//! read again as a JSON tree to say where and why when not; every value checked.

use std::sync::Arc;

use serde_json::Value;

use crate::catalog::route::{HTTP_METHODS, RoutePattern};
use crate::lang::{Lang, LocalText};
use crate::text::{escape_controls, find_control};

use super::hash::{HashIndex, id_hash, route_hash, same_route};
use super::index::Catalog;
use super::model::*;

/// [`parse`] for a file that did not read as a well-formed catalog: read as a JSON tree to name
/// the line, the operation and the field at fault.
fn parse_slowly(origin: &str, json: &str) -> Result<ParsedCatalog, CatalogError> {
    let err = |operation: Option<OperationAt>, field: Option<String>, reason: CatalogReason| {
        CatalogError {
            origin: origin.to_string(),
            position: None,
            operation,
            field,
            reason: Box::new(reason),
        }
    };

    let root: Value = serde_json::from_str(json).map_err(|e| CatalogError {
        origin: origin.to_string(),
        position: Some((e.line(), e.column())),
        operation: None,
        field: None,
        reason: Box::new(CatalogReason::InvalidJson {
            detail: strip_position(&e.to_string()),
        }),
    })?;

    // A key with a control character would be echoed as an unknown field: refuse it first.
    // Values are checked once the document is typed, by the checks the fast path runs too.
    if let Some((path, text, c)) = find_control_in_keys(&root, String::new()) {
        let (operation, field) = split_path(&root, &path);
        return Err(err(operation, Some(field), control_reason(&text, c)));
    }

    let Value::Object(top) = &root else {
        return Err(err(None, None, CatalogReason::NotAnObject));
    };
    for key in top.keys() {
        if !["service", "complete", "source", "operations"].contains(&key.as_str()) {
            return Err(err(
                None,
                Some(key.clone()),
                CatalogReason::UnknownField {
                    expected: ["service", "complete", "source", "operations"]
                        .map(String::from)
                        .to_vec(),
                },
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
                CatalogReason::WrongType {
                    expected: JsonKind::Boolean,
                    found: kind_of(other),
                },
            ));
        }
    };
    let service = match top.get("service") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(err(
                None,
                Some("service".into()),
                CatalogReason::WrongType {
                    expected: JsonKind::String,
                    found: kind_of(other),
                },
            ));
        }
        None => {
            return Err(err(
                None,
                Some("service".into()),
                CatalogReason::MissingField,
            ));
        }
    };
    let source: Source = match top.get("source") {
        Some(v) => deserialize_field(v)
            .map_err(|(path, msg)| err(None, Some(join_path("source", &path)), msg))?,
        None => {
            return Err(err(
                None,
                Some("source".into()),
                CatalogReason::MissingField,
            ));
        }
    };
    let raw_ops = match top.get("operations") {
        Some(Value::Array(ops)) => ops,
        Some(other) => {
            return Err(err(
                None,
                Some("operations".into()),
                CatalogReason::WrongType {
                    expected: JsonKind::Array,
                    found: kind_of(other),
                },
            ));
        }
        None => {
            return Err(err(
                None,
                Some("operations".into()),
                CatalogReason::MissingField,
            ));
        }
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
                reason: Box::new(CatalogReason::Malformed {
                    detail: strip_position(&fast.to_string()),
                }),
            });
        }
    };
    check_document(origin, doc)
}

fn control_reason(text: &str, character: char) -> CatalogReason {
    CatalogReason::ControlCharacter {
        character,
        text: text.to_string(),
    }
}

/// The checks every catalog goes through once it is typed, whichever path read it: no control
/// or bidi character in any text, a valid service name, then each operation's values and
/// uniqueness ([`finish`]).
pub fn check_document(origin: &str, doc: CatalogDoc) -> Result<ParsedCatalog, CatalogError> {
    let err = |operation: Option<OperationAt>, field: String, reason: CatalogReason| CatalogError {
        origin: origin.to_string(),
        position: None,
        operation,
        field: Some(field),
        reason: Box::new(reason),
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
            return Err(err(None, field.to_string(), control_reason(text, c)));
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
                control_reason(text, c),
            ));
        }
    }
    if !is_service_name(&doc.service) {
        return Err(err(
            None,
            "service".into(),
            CatalogReason::InvalidService {
                name: doc.service.clone(),
            },
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
    let err = |i: usize, id: &str, field: String, reason: CatalogReason| CatalogError {
        origin: origin.to_string(),
        position: None,
        operation: Some(describe_operation(i, Some(id))),
        field: Some(field),
        reason: Box::new(reason),
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
                CatalogReason::DuplicateId {
                    id: op.id.clone(),
                    first,
                },
            ));
        }
        ids.insert(id, i);
        let route = route_hash(op);
        if let Some(first) = routes.find(route, |k| same_route(&operations[k], op)) {
            return Err(err(
                i,
                &op.id,
                "path".into(),
                CatalogReason::DuplicateRoute {
                    route: op.route_text(),
                    first,
                },
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
        if let Some(route) = &mut op.route {
            share(&mut actions, &mut route.method);
        }
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

fn deserialize_field<T: serde::de::DeserializeOwned>(
    value: &Value,
) -> Result<T, (String, CatalogReason)> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        // serde names a missing field in the message; make it the field.
        if let Some(rest) = inner.strip_prefix("missing field `") {
            let name = rest.trim_end_matches('`');
            return (join_path(&path, name), CatalogReason::MissingField);
        }
        if let Some(rest) = inner.strip_prefix("unknown field `") {
            let name = rest.split('`').next().unwrap_or("");
            let field = if path.ends_with(name) {
                path
            } else {
                join_path(&path, name)
            };
            // `…`, expected one of `a`, `b``: the names between backquotes after the first.
            let expected = rest
                .split_once(',')
                .map(|(_, list)| {
                    list.split('`')
                        .skip(1)
                        .step_by(2)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            return (field, CatalogReason::UnknownField { expected });
        }
        let reason = wrong_type(&inner).unwrap_or(CatalogReason::BadValue { detail: inner });
        (if path == "." { String::new() } else { path }, reason)
    })
}

/// serde's `invalid type: string "x", expected struct Scopes` as the kinds found and expected,
/// so it is worded like every other reason (not in serde's words, with the type's Rust name).
fn wrong_type(message: &str) -> Option<CatalogReason> {
    let rest = message.strip_prefix("invalid type: ")?;
    let (found, expected) = rest.rsplit_once(", expected ")?;
    let found = match found.split([' ', '`']).next()? {
        "string" | "character" => JsonKind::String,
        "integer" | "floating" => JsonKind::Number,
        "boolean" => JsonKind::Boolean,
        "null" | "unit" => JsonKind::Null,
        "map" => JsonKind::Object,
        "sequence" => JsonKind::Array,
        _ => return None,
    };
    let expected = match expected {
        "a string" | "a borrowed string" => JsonKind::String,
        "a boolean" => JsonKind::Boolean,
        "a sequence" => JsonKind::Array,
        e if e.starts_with("struct ") || e.starts_with("a map") => JsonKind::Object,
        e if e.starts_with('u') || e.starts_with('i') || e.starts_with('f') => JsonKind::Number,
        _ => return None,
    };
    Some(CatalogReason::WrongType { expected, found })
}

fn join_path(base: &str, name: &str) -> String {
    if name.is_empty() {
        return base.to_string();
    }
    if base.is_empty() || base == "." {
        name.to_string()
    } else {
        format!("{base}.{name}")
    }
}

fn kind_of(v: &Value) -> JsonKind {
    match v {
        Value::Null => JsonKind::Null,
        Value::Bool(_) => JsonKind::Boolean,
        Value::Number(_) => JsonKind::Number,
        Value::String(_) => JsonKind::String,
        Value::Array(_) => JsonKind::Array,
        Value::Object(_) => JsonKind::Object,
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
fn split_path(root: &Value, path: &str) -> (Option<OperationAt>, String) {
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

/// Whether `list[i]`'s action (any case) is one of those before it. A short list is scanned
/// (most operations have one or two actions); a long one is kept in `seen` as it is walked, so
/// a cell of 60,000 actions is not compared with itself 60,000 times.
fn repeats(
    list: &[ActionRequirement],
    i: usize,
    seen: &mut std::collections::HashSet<String>,
) -> bool {
    const SCANNED: usize = 16;
    if list.len() <= SCANNED {
        return list[..i]
            .iter()
            .any(|b| b.action.eq_ignore_ascii_case(&list[i].action));
    }
    !seen.insert(list[i].action.to_ascii_lowercase())
}

fn validate_operation(op: &Operation) -> Result<(), (String, CatalogReason)> {
    let bad = |field: &str, reason: CatalogReason| Err((field.to_string(), reason));
    if !is_kebab_id(&op.id) {
        return bad("id", CatalogReason::InvalidId { id: op.id.clone() });
    }
    if op.name.get(Lang::En).is_empty() {
        return bad("name", CatalogReason::NoName);
    }
    match &op.route {
        Some(route) => {
            if !HTTP_METHODS.contains(&route.method.as_ref()) {
                return bad(
                    "method",
                    CatalogReason::InvalidMethod {
                        method: route.method.to_string(),
                    },
                );
            }
            if let Err(problem) = RoutePattern::check(&route.path) {
                return bad(
                    "path",
                    CatalogReason::InvalidPath {
                        path: route.path.clone(),
                        problem,
                    },
                );
            }
            if op.route_note.is_some() {
                return bad("route_note", CatalogReason::RouteNoteWithRoute);
            }
        }
        None => {
            if op.route_note.as_ref().is_some_and(LocalText::is_empty) {
                return bad("route_note", CatalogReason::EmptyNote);
            }
        }
    }
    if let Some(cell) = &op.actions_not_documented {
        if !op.actions.is_empty() {
            return bad(
                "actions_not_documented",
                CatalogReason::ActionsAndNotDocumented,
            );
        }
        if cell.is_empty() {
            return bad("actions_not_documented", CatalogReason::EmptyNote);
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (i, a) in op.actions.iter().enumerate() {
        let field = || format!("actions[{i}].action");
        if !is_action_name(&a.action) {
            return bad(
                &field(),
                CatalogReason::InvalidAction {
                    action: a.action.to_string(),
                },
            );
        }
        if repeats(&op.actions, i, &mut seen) {
            return bad(
                &field(),
                CatalogReason::RepeatedAction {
                    action: a.action.to_string(),
                },
            );
        }
        if let Some(c) = &a.condition
            && c.is_empty()
        {
            return bad(
                &format!("actions[{i}].condition"),
                CatalogReason::EmptyCondition { dependency: false },
            );
        }
    }
    seen.clear();
    for (i, d) in op.dependencies.iter().enumerate() {
        let field = || format!("dependencies[{i}].action");
        if !is_action_pattern(&d.action) {
            return bad(
                &field(),
                CatalogReason::InvalidDependency {
                    action: d.action.to_string(),
                },
            );
        }
        if repeats(&op.dependencies, i, &mut seen) {
            return bad(
                &field(),
                CatalogReason::RepeatedDependency {
                    action: d.action.to_string(),
                },
            );
        }
        if let Some(c) = &d.condition
            && c.is_empty()
        {
            return bad(
                &format!("dependencies[{i}].condition"),
                CatalogReason::EmptyCondition { dependency: true },
            );
        }
    }
    for (i, p) in op.prerequisites.iter().enumerate() {
        let empty = |t: &Option<String>| t.as_deref().is_none_or(str::is_empty);
        if empty(&p.zh) && empty(&p.en) {
            return bad(
                &format!("prerequisites[{i}]"),
                CatalogReason::EmptyPrerequisite,
            );
        }
    }
    Ok(())
}

impl Catalog {
    /// The embedded IMS catalog.
    pub fn builtin() -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::new();
        catalog.add(parse(BUILTIN_ORIGIN, BUILTIN_JSON)?)?;
        Ok(catalog)
    }
}
