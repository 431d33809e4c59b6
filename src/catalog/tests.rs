//! The catalog's unit tests.

use std::sync::Arc;

use serde_json::Value;

use super::hash::HashIndex;
use super::*;
use crate::lang::LocalText;

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
        e.contains("field `deprecated`: expected true or false, found a string"),
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
    assert!(e.contains("expected true or false"), "{e}");
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
                let (o, p) = (o.route.as_ref().unwrap(), p.route.as_ref().unwrap());
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

#[test]
fn a_long_list_of_actions_still_refuses_a_repeat() {
    let actions: Vec<String> = (0..40)
        .map(|i| format!(r#"{{"action": "svc:things:a{i}", "condition": null}}"#))
        .chain(std::iter::once(
            r#"{"action": "svc:things:A7", "condition": null}"#.to_string(),
        ))
        .collect();
    let op = MINIMAL_OP.replace(
        r#"[{"action": "svc:things:list", "condition": null}]"#,
        &format!("[{}]", actions.join(",")),
    );
    let err = parse("t.json", &doc(&[&op])).unwrap_err().to_string();
    assert!(
        err.contains("action \"svc:things:A7\" is listed twice"),
        "{err}"
    );
}

#[test]
fn operations_without_a_route_or_with_undocumented_actions() {
    let mut routeless: Value = serde_json::from_str(MINIMAL_OP).unwrap();
    let o = routeless.as_object_mut().unwrap();
    o.remove("method");
    o.remove("path");
    o.insert("id".into(), "list-buckets".into());
    o.insert(
        "route_note".into(),
        serde_json::json!({"zh": "仅支持Console调用"}),
    );
    let undocumented = with("actions", "[]").replace(
        r#""actions":[]"#,
        r#""actions":[],"actions_not_documented":{"zh":"见说明"}"#,
    );
    let json = doc(&[&routeless.to_string(), &undocumented]);
    let parsed = parse("user.json", &json).unwrap();
    let ops = parsed.operations();
    assert!(ops[0].route.is_none());
    assert_eq!(
        ops[0].route_note.as_ref().unwrap().zh.as_deref(),
        Some("仅支持Console调用")
    );
    assert_eq!(ops[1].route_text(), "GET /v1/things");
    assert!(ops[1].actions_not_documented.is_some());
    // Written back, the same document: the route as two fields, absent when there is none.
    let written = crate::import::to_json(&parsed);
    let again: Value = serde_json::from_str(&written).unwrap();
    assert!(again["operations"][0].get("method").is_none());
    assert_eq!(parse("again.json", &written).unwrap().operations(), ops);
    // Through the cache too.
    let dir = tempfile::tempdir().unwrap();
    let (path, cache) = (dir.path().join("c.json"), dir.path().join("cache"));
    std::fs::write(&path, &json).unwrap();
    let first = crate::load::read_file(&path, Some(&cache)).unwrap();
    let cached = crate::load::read_file(&path, Some(&cache)).unwrap();
    assert_eq!(first.operations, cached.operations);
    assert_eq!(cached.operations(), ops);

    // Half a route, a note beside a route, actions beside "not documented": refused, named.
    let mut half: Value = serde_json::from_str(MINIMAL_OP).unwrap();
    half.as_object_mut().unwrap().remove("path");
    assert!(
        error_of(&doc(&[&half.to_string()])).ends_with("field `path`: missing field"),
        "{}",
        error_of(&doc(&[&half.to_string()]))
    );
    let e = error_of(&doc(&[&with("route_note", r#"{"en": "console only"}"#)]));
    assert!(
        e.contains("field `route_note`: `route_note` is for an operation without a route"),
        "{e}"
    );
    let e = error_of(&doc(&[&with(
        "actions_not_documented",
        r#"{"zh": "见说明"}"#,
    )]));
    assert!(e.contains("field `actions_not_documented`"), "{e}");
}

#[test]
fn a_catalog_with_undocumented_actions_is_never_complete() {
    let complete = |ops: &[&str]| {
        let json = doc(ops).replacen(
            r#""service": "svc","#,
            r#""service": "svc", "complete": true,"#,
            1,
        );
        let mut c = Catalog::new();
        c.add(parse("c.json", &json).unwrap()).unwrap();
        c.is_complete("svc")
    };
    assert!(complete(&[MINIMAL_OP]));
    let mut undocumented: Value = serde_json::from_str(MINIMAL_OP).unwrap();
    undocumented["id"] = "export-things".into();
    undocumented["path"] = "/v1/things/export".into();
    undocumented["actions"] = serde_json::json!([]);
    undocumented["actions_not_documented"] = serde_json::json!({"zh": "见说明"});
    assert!(!complete(&[MINIMAL_OP, &undocumented.to_string()]));
}
