//! Several services at once: the service column, `service:` queries, one statement per service
//! in `compose`, at most eight statements, and `lookup` choosing the service by host.

mod common;
use assert_cmd::Command;
use common::ims;
use serde_json::Value;

fn op(id: &str, method: &str, path: &str, action: &str) -> Value {
    ims_perms::testing::test_op(id, method, path, &[action])
}

fn catalog_file(dir: &std::path::Path, service: &str, ops: Vec<Value>) -> String {
    let path = dir.join(format!("{service}.json"));
    std::fs::write(&path, ims_perms::testing::catalog_json(service, &ops)).unwrap();
    path.to_str().unwrap().to_string()
}

struct Fixture {
    _dir: tempfile::TempDir,
    evs: String,
    ecs: String,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let evs = catalog_file(
        dir.path(),
        "evs",
        vec![
            op(
                "list-volumes",
                "GET",
                "/v2/{project_id}/cloudvolumes",
                "evs:volumes:list",
            ),
            // The same route as IMS's native image list, in another service.
            op("list-images-evs", "GET", "/v2/images", "evs:images:list"),
        ],
    );
    let ecs = catalog_file(
        dir.path(),
        "ecs",
        vec![op(
            "list-servers",
            "GET",
            "/v1/{project_id}/cloudservers",
            "ecs:cloudServers:list",
        )],
    );
    Fixture {
        _dir: dir,
        evs,
        ecs,
    }
}

fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

#[test]
fn list_and_search_show_the_service() {
    let f = fixture();
    let out = stdout(ims().args(["--catalog", &f.evs, "--catalog", &f.ecs, "list"]));
    let header = out.lines().next().unwrap();
    assert!(header.starts_with("SERVICE  ID "), "{header}");
    assert!(out.contains("\nevs      list-volumes "), "{out}");
    let out = stdout(ims().args([
        "--catalog",
        &f.evs,
        "--catalog",
        &f.ecs,
        "search",
        "service:evs",
        "--json",
    ]));
    let v: Value = serde_json::from_str(&out).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["list-volumes", "list-images-evs"]);
    // One service: no column.
    let out = stdout(ims().args(["list"]));
    assert!(out.starts_with("ID "), "{out}");
}

#[test]
fn compose_writes_one_statement_per_service() {
    let f = fixture();
    let out = stdout(ims().args([
        "--catalog",
        &f.evs,
        "--catalog",
        &f.ecs,
        "compose",
        "list-images",
        "list-volumes",
        "list-servers",
    ]));
    let v: Value = serde_json::from_str(&out).unwrap();
    let statements: Vec<Vec<&str>> = v["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            s["Action"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(
        statements,
        [
            vec!["ecs:cloudServers:list"],
            vec!["evs:volumes:list"],
            vec!["ims:images:list"]
        ]
    );
}

#[test]
fn more_than_eight_statements_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for n in 0..8 {
        let service = format!("svc{n}");
        let id = format!("op-{n}");
        args.push("--catalog".into());
        args.push(catalog_file(
            dir.path(),
            &service,
            vec![op(&id, "GET", "/v1/x", &format!("{service}:things:list"))],
        ));
        ids.push(id);
    }
    args.push("compose".into());
    args.extend(ids);
    args.push("list-images".into());
    let out = ims()
        .args(&args)
        .assert()
        .code(2)
        .stdout("")
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("the policy would need 9 statements"), "{err}");
}

#[test]
fn lookup_uses_the_host_and_lists_every_match_without_one() {
    let f = fixture();
    let out = stdout(ims().args([
        "--catalog",
        &f.evs,
        "lookup",
        "GET https://evs.cn-north-4.myhuaweicloud.com/v2/images",
    ]));
    assert!(
        out.starts_with("GET /v2/images  (evs: list-images-evs)"),
        "{out}"
    );
    let out = stdout(ims().args([
        "--catalog",
        &f.evs,
        "lookup",
        "GET https://ims.cn-north-4.myhuaweicloud.com/v2/images",
    ]));
    assert!(
        out.starts_with("GET /v2/images  (ims: list-images-native)"),
        "{out}"
    );
    let out = stdout(ims().args(["--catalog", &f.evs, "lookup", "--json", "GET /v2/images"]));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    let out = stdout(ims().args(["--catalog", &f.evs, "lookup", "GET /v2/images"]));
    assert!(out.contains("Also matches (less specific, or another service):\n  GET /v2/images  (evs: list-images-evs)"), "{out}");
    // A route in two services is ambiguous for compose; a service-qualified id is not.
    let err = ims()
        .args(["--catalog", &f.evs, "compose", "GET /v2/images"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).unwrap();
    assert!(
        err.contains(
            "is in several services; write one of: ims:list-images-native, evs:list-images-evs"
        ),
        "{err}"
    );
    let out = stdout(ims().args(["--catalog", &f.evs, "compose", "evs:list-images-evs"]));
    assert!(out.contains("evs:images:list"));
}

#[test]
fn synthetic_catalogs_load_with_no_builtin() {
    let dir = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = vec!["--no-builtin".into()];
    for (service, doc) in ims_perms::testing::synthetic::catalogs(2000) {
        let path = dir.path().join(format!("{service}.json"));
        std::fs::write(&path, doc.to_string()).unwrap();
        args.push("--catalog".into());
        args.push(path.to_str().unwrap().into());
    }
    args.extend(["search".into(), "service:ecs".into(), "--json".into()]);
    let out = stdout(ims().args(&args));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 100);
}
