//! Fixtures for tests and benchmarks (unit, integration, property): one way to write a small
//! catalog in the file format, instead of a copy of the JSON in every test.

pub mod synthetic;

use serde_json::{Value, json};

/// One operation in the catalog file format: named after its id, both scopes, no conditions,
/// prerequisites or flags. Tests change what they need (`op["scopes"]["project"] = false.into()`).
pub fn test_op(id: &str, method: &str, path: &str, actions: &[&str]) -> Value {
    let actions: Vec<Value> = actions
        .iter()
        .map(|a| json!({"action": a, "condition": null}))
        .collect();
    json!({
        "id": id,
        "name": {"en": id},
        "method": method,
        "path": path,
        "description": {},
        "actions": actions,
        "scopes": {"project": true, "enterprise_project": true},
        "prerequisites": [],
        "deprecated": false,
        "openstack_native": false,
    })
}

/// A whole catalog file of `service` with these operations.
pub fn catalog_json(service: &str, operations: &[Value]) -> String {
    json!({
        "service": service,
        "source": {"title": service},
        "operations": operations,
    })
    .to_string()
}
