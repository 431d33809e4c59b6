//! The real binary, end to end: what a user or a script sees on stdout, stderr and in the exit
//! code.

mod common;
use common::ims;
use predicates::prelude::*;
use predicates::str::contains;

/// stdout of a successful run.
fn stdout_of(args: &[&str]) -> String {
    let out = ims()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

/// Runs a failing command: checks the exit code, that stdout is empty and stderr is one line,
/// and returns that line.
fn failure(args: &[&str], code: i32) -> String {
    let assert = ims().args(args).assert().code(code).stdout("");
    let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    let last = err.lines().last().unwrap_or("").to_string();
    assert!(last.starts_with("ims-perms: "), "stderr: {err}");
    last
}

const UPLOAD_POLICY: &str = r#"{
  "Version": "1.1",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "ims:images:get",
        "ims:images:update",
        "ims:images:upload"
      ]
    }
  ]
}
"#;

#[test]
fn compose_upload_gives_three_actions_project_only() {
    let assert = ims()
        .args(["compose", "PUT /v2/images/{image_id}/file"])
        .assert()
        .success()
        .stdout(UPLOAD_POLICY);
    let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(err.contains("  Project: yes"), "{err}");
    assert!(
        err.contains("  Enterprise Project: no, because of upload-image-native"),
        "{err}"
    );
}

#[test]
fn compose_accepts_ids_concrete_paths_and_any_case() {
    for spec in [
        "upload-image-native",
        "put /v2/images/3f1c0a9e/file",
        "Put https://ims.ap-southeast-1.myhuaweicloud.com/v2/images/3f1c/file/",
    ] {
        assert_eq!(stdout_of(&["compose", spec]), UPLOAD_POLICY, "{spec}");
    }
}

#[test]
fn compose_reports_what_else_is_allowed_and_prerequisites() {
    let assert = ims()
        .args([
            "compose",
            "GET /v2/cloudimages",
            "export-image",
            "create-whole-image",
        ])
        .assert()
        .success();
    let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(err.contains("The same actions also allow:\n  list-images-native (GET /v2/images)\n  list-image-details-v1-1 (GET /v1.1/images/detail)"), "{err}");
    assert!(err.contains("Prerequisites on other services:\n  OBS Tenant Administrator (export-image)\n  CSBS Administrator or CBR Admin (create-whole-image)"), "{err}");
    assert!(err.contains("Enterprise Project: yes"), "{err}");
    assert!(err.contains("Limits: 3 of 100 actions"), "{err}");
}

#[test]
fn compose_conditional_actions() {
    let out = stdout_of(&["compose", "update-image"]);
    assert!(!out.contains("serverImages"), "{out}");
    let assert = ims().args(["compose", "update-image"]).assert().success();
    let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(err.contains("Conditional actions left out:\n  ims:serverImages:create (update-image: only for migrating the image to an enterprise project)\n  Add them with --with ACTION or --all-conditional."), "{err}");
    let out = stdout_of(&[
        "compose",
        "update-image",
        "--with",
        "ims:serverImages:create",
    ]);
    assert!(out.contains("\"ims:serverImages:create\""), "{out}");
    let out = stdout_of(&["compose", "update-image", "--all-conditional"]);
    assert!(out.contains("\"ims:serverImages:create\""), "{out}");
    // Quick import: every action conditional, so all go in unless --with picks.
    let out = stdout_of(&["compose", "quick-import-image"]);
    assert!(out.contains("ims:dataImages:create") && out.contains("ims:serverImages:create"));
    let out = stdout_of(&[
        "compose",
        "quick-import-image",
        "--with",
        "ims:dataImages:create",
    ]);
    assert!(out.contains("ims:dataImages:create") && !out.contains("serverImages"));
    let line = failure(
        &["compose", "list-images", "--with", "ims:images:delete"],
        2,
    );
    assert!(
        line.contains("the chosen operations have no conditional actions"),
        "{line}"
    );
}

#[test]
fn compose_deny() {
    let out = stdout_of(&[
        "compose",
        "delete-image-native",
        "delete-image-v1-1",
        "--effect",
        "deny",
    ]);
    assert!(out.contains("\"Effect\": \"Deny\""));
    assert_eq!(out.matches("ims:images:delete").count(), 1, "deduplicated");
}

#[test]
fn compose_no_action_is_no_policy() {
    let line = failure(&["compose", "GET /"], 1);
    assert_eq!(
        line,
        "ims-perms: no policy: the chosen operations need no IAM action"
    );
}

#[test]
fn compose_unknown_operation_names_the_closest() {
    let line = failure(&["compose", "list-images", "list-imagez"], 2);
    assert!(
        line.starts_with("ims-perms: unknown operation \"list-imagez\"; closest: list-images"),
        "{line}"
    );
    let line = failure(&["compose", "POST /v2/cloudimages/x"], 2);
    assert!(line.contains("not in the loaded catalogs"), "{line}");
    let line = failure(&["compose", "GET /v2/cloudimage"], 2);
    assert!(line.ends_with("closest: GET /v2/cloudimages"), "{line}");
    let line = failure(&["compose", "FETCH /v2/images"], 2);
    assert!(line.contains("unknown HTTP method \"FETCH\""), "{line}");
}

#[test]
fn compose_output_file_never_overwrites_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policy.json");
    let p = path.to_str().unwrap();
    ims()
        .args(["compose", "upload-image-native", "--output", p])
        .assert()
        .success()
        .stdout("")
        .stderr(contains(format!(
            "Wrote {} bytes to {p}",
            UPLOAD_POLICY.len()
        )));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), UPLOAD_POLICY);
    std::fs::write(&path, "mine").unwrap();
    let line = failure(&["compose", "list-images", "-o", p], 2);
    assert_eq!(
        line,
        format!("ims-perms: {p} exists. Use --force to overwrite it.")
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
    ims()
        .args(["compose", "list-images", "-o", p, "--force"])
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("ims:images:list")
    );
    let missing = dir.path().join("no/such/dir/p.json");
    let line = failure(
        &["compose", "list-images", "-o", missing.to_str().unwrap()],
        2,
    );
    assert!(line.contains("cannot write"), "{line}");
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn lookup_names_the_operation_and_its_action() {
    let out = stdout_of(&["lookup", "get https://ims.example.com/v2/images/ab12?x=1"]);
    assert!(
        out.starts_with("GET /v2/images/{image_id}  (ims: show-image-native)\n"),
        "{out}"
    );
    assert!(out.contains("Actions:  ims:images:get\n"), "{out}");
    // Method and path as two arguments, a trailing slash.
    let out = stdout_of(&["lookup", "DELETE", "/v1.1/images/abc/"]);
    assert!(
        out.contains("delete-image-v1-1") && out.contains("deprecated"),
        "{out}"
    );
}

#[test]
fn lookup_json_is_an_array_best_first() {
    let out = stdout_of(&["lookup", "--json", "PUT /v2/images/x/file"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 1);
    assert_eq!(arr[0]["id"], "upload-image-native");
    assert_eq!(arr[0]["actions"].as_array().unwrap().len(), 3);
}

#[test]
fn lookup_failures() {
    let line = failure(&["lookup", "GET /v2/imagez/ab12"], 1);
    assert!(
        line.starts_with("ims-perms: no operation in the loaded catalogs matches GET /v2/imagez/ab12; did you mean: GET /v2/images/{image_id}"),
        "{line}"
    );
    let line = failure(&["lookup", "/v2/images"], 2);
    assert!(line.contains("expected \"METHOD PATH\""), "{line}");
    let line = failure(&["lookup", "GRAB /v2/images"], 2);
    assert!(line.contains("unknown HTTP method"), "{line}");
}

#[test]
fn list_shows_every_operation() {
    let out = stdout_of(&["list"]);
    assert_eq!(out.lines().filter(|l| l.contains(" /")).count(), 43);
    assert!(out.contains("quick-import-image              POST    /v2/cloudimages/quickimport/action                 P+EP   ims:serverImages:create*, ims:dataImages:create*"), "{out}");
    assert!(
        out.contains(
            "list-versions-native            GET     /                                                  P      -"
        ),
        "{out}"
    );
}

#[test]
fn list_json_is_the_catalog_format() {
    let out = stdout_of(&["list", "--json"]);
    let listed: serde_json::Value = serde_json::from_str(&out).unwrap();
    let asset: serde_json::Value =
        serde_json::from_str(include_str!("../assets/ims-permissions.json")).unwrap();
    assert_eq!(listed, asset["operations"]);
}

#[test]
fn search_ranks_and_filters() {
    let out = stdout_of(&["search", "upload", "-is:native"]);
    let rows: Vec<&str> = out.lines().filter(|l| l.contains(" /")).collect();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].starts_with("register-image "));
    let out = stdout_of(&["search", "删除", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "delete-image-native",
            "delete-image-v1-1",
            "delete-tag-native",
            "delete-image-tag",
            "delete-member-native",
            "batch-add-delete-image-tags",
            "delete-members-batch"
        ]
    );
    let out = stdout_of(&["search", "scope:ep", "m:get", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 3);
}

#[test]
fn search_failures() {
    let line = failure(&["search", "nothing-like-this-zzz"], 1);
    assert_eq!(
        line,
        "ims-perms: no operation matches \"nothing-like-this-zzz\""
    );
    let line = failure(&["search", "kind:image"], 2);
    assert!(
        line.contains("unknown prefix `kind:`; known prefixes: name: n: action: a:"),
        "{line}"
    );
}

#[test]
fn language_from_flag_and_environment() {
    let out = stdout_of(&["--lang", "zh", "search", "a:export"]);
    assert!(out.contains("导出镜像"), "{out}");
    let out = ims()
        .env("LANG", "zh_CN.UTF-8")
        .args(["search", "a:export"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out).unwrap().contains("导出镜像"));
    let assert = ims()
        .env("LC_ALL", "zh_CN.UTF-8")
        .args(["compose", "list-images"])
        .assert()
        .success();
    let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(err.contains("授权范围："), "{err}");
}

const USER_CATALOG: &str = r#"{
  "service": "ims",
  "source": {"title": "newer edition", "url": null, "retrieved": "2026-11-01"},
  "operations": [
    {"id": "list-os-versions", "name": {"zh": "查询镜像支持的OS列表", "en": "Querying Supported OSs"},
     "method": "GET", "path": "/v1/cloudimages/os_version", "description": {"en": "List supported OSs."},
     "actions": [{"action": "ims:images:list", "condition": null}],
     "scopes": {"project": true, "enterprise_project": false},
     "prerequisites": [], "deprecated": false, "openstack_native": false}
  ]
}
"#;

#[test]
fn user_catalogs_add_operations() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("extra.json");
    std::fs::write(&path, USER_CATALOG).unwrap();
    let p = path.to_str().unwrap();
    let out = stdout_of(&["--catalog", p, "lookup", "GET /v1/cloudimages/os_version"]);
    assert!(out.contains("list-os-versions"), "{out}");
    let out = stdout_of(&["list", "--catalog", p]);
    assert_eq!(out.lines().filter(|l| l.contains(" /")).count(), 44);
    let assert = ims()
        .args(["--catalog", p, "compose", "list-os-versions"])
        .assert()
        .success();
    let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(err.contains("list-images (GET /v2/cloudimages)"), "{err}");
}

#[test]
fn broken_catalogs_stop_everything() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    };
    let good = write("good.json", USER_CATALOG);
    let syntax = write(
        "syntax.json",
        "{\n  \"service\": \"ims\",\n  \"source\": {\n}}}",
    );
    let line = failure(&["--catalog", &good, "--catalog", &syntax, "list"], 2);
    assert_eq!(
        line,
        format!("ims-perms: {syntax}:4:3: invalid JSON: trailing characters")
    );

    let control = write(
        "control.json",
        &USER_CATALOG.replace("Querying Supported OSs", "Evil\\u001b]52;c;AAAA\\u0007"),
    );
    let line = failure(&["--catalog", &control, "list"], 2);
    assert_eq!(
        line,
        format!(
            "ims-perms: {control}: operations[0] (id `list-os-versions`): field `name.en`: control character \\u{{1b}} in \"Evil\\u{{1b}}]52;c;AAAA\\u{{7}}\""
        )
    );

    let dup = write(
        "dup.json",
        &USER_CATALOG.replace("list-os-versions", "list-images"),
    );
    let line = failure(&["--catalog", &dup, "search", "x"], 2);
    assert!(
        line.contains(
            "field `id`: duplicate id `list-images`: already defined by built-in catalog"
        ),
        "{line}"
    );

    // Another permission on the same route with the same actions is kept (a shared route);
    // the same name too is the same operation written twice.
    let shared = write(
        "shared.json",
        &USER_CATALOG.replace("/v1/cloudimages/os_version", "/v2/images"),
    );
    ims()
        .args(["--catalog", &shared, "list"])
        .assert()
        .success();
    let route = write(
        "route.json",
        &USER_CATALOG
            .replace("/v1/cloudimages/os_version", "/v2/images")
            .replace(
                "Querying Supported OSs",
                "Querying Images (Native OpenStack API)",
            )
            .replace("查询镜像支持的OS列表", "查询镜像列表（OpenStack原生）"),
    );
    let line = failure(&["--catalog", &route, "list"], 2);
    assert!(
        line.contains("field `path`: duplicate path `GET /v2/images`"),
        "{line}"
    );

    let action = write(
        "action.json",
        &USER_CATALOG.replace("ims:images:list", "IMS:images"),
    );
    let line = failure(&["--catalog", &action, "list"], 2);
    assert!(
        line.contains("field `actions[0].action`: invalid action \"IMS:images\""),
        "{line}"
    );

    let method = write("method.json", &USER_CATALOG.replace("\"GET\"", "\"GRAB\""));
    let line = failure(&["--catalog", &method, "list"], 2);
    assert!(
        line.contains("field `method`: invalid method \"GRAB\""),
        "{line}"
    );

    let path = write(
        "path.json",
        &USER_CATALOG.replace("\"/v1/cloudimages/os_version\"", "\"v1/x\""),
    );
    let line = failure(&["--catalog", &path, "list"], 2);
    assert!(
        line.contains("field `path`: invalid path \"v1/x\": must start with `/`"),
        "{line}"
    );

    let missing = write(
        "missing.json",
        &USER_CATALOG.replace("\"deprecated\": false, ", ""),
    );
    let line = failure(&["--catalog", &missing, "list"], 2);
    assert!(
        line.ends_with("field `deprecated`: missing field"),
        "{line}"
    );

    let absent = dir.path().join("absent.json");
    let line = failure(&["--catalog", absent.to_str().unwrap(), "list"], 2);
    assert!(
        line.starts_with("ims-perms: cannot read ") && line.contains("absent.json: No such file"),
        "{line}"
    );
}

#[test]
fn errors_follow_the_language() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(&page, "<p>no table here</p>").unwrap();
    let page = page.to_str().unwrap();
    let cases: [(&[&str], i32, &str, &str); 6] = [
        (
            &["search", "kind:image"],
            2,
            "unknown prefix `kind:`",
            "未知的前缀 `kind:`",
        ),
        (
            &["compose", "nope"],
            2,
            "unknown operation \"nope\"",
            "未知的操作“nope”",
        ),
        (&["import", page], 2, "no table found", "未找到表格"),
        (
            &["lookup", "GET", "/v9/x"],
            1,
            "no operation in the loaded catalogs matches",
            "已加载的目录中没有",
        ),
        (
            &["explain", "/nonexistent/p.json"],
            2,
            "cannot read /nonexistent/p.json: No such file",
            "无法读取 /nonexistent/p.json：文件或目录不存在",
        ),
        (
            &["compose", "list-images", "--with", "x:y:z"],
            2,
            "the chosen operations have no conditional actions",
            "所选操作没有条件授权项",
        ),
    ];
    for (args, code, en, zh) in cases {
        let line = failure(&[&["--lang", "en"], args].concat(), code);
        assert!(line.contains(en), "{line}");
        let line = failure(&[&["--lang", "zh"], args].concat(), code);
        assert!(line.contains(zh), "{line}");
    }
}

#[test]
fn completions_and_help() {
    // The script asks the binary itself (tests/completion.rs runs it in the shells).
    let out = stdout_of(&["completions", "bash"]);
    assert!(out.contains("complete -o nospace") && out.contains("IMS_PERMS_COMPLETE=\"bash\""));
    ims()
        .arg("--help")
        .assert()
        .success()
        .stdout(contains("Usage: ims-perms [OPTIONS] [COMMAND]").and(contains("lookup")));
    ims().args(["nonsense"]).assert().code(2).stdout("");
}

#[test]
fn a_closed_pipe_is_not_a_crash() {
    // `ims-perms list | head -1`: stdout closes early; the program must not panic.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ims-perms"))
        .args(["list", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn every_ims_permission_is_built_in() {
    let out = stdout_of(&[
        "lookup",
        "POST https://ims.ap-southeast-1.myhuaweicloud.com/v1/cloudimages/members",
    ]);
    assert!(out.contains("ims:images:share"), "{out}");
    assert!(out.contains("Section:  Image Sharing / 镜像共享"), "{out}");
    let assert = ims()
        .args([
            "compose",
            "copy-image-cross-region",
            "share-images-batch",
            "get-quota",
        ])
        .assert()
        .success();
    let out = assert.get_output();
    let policy: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        policy["Statement"][0]["Action"],
        serde_json::json!(["ims:images:copy", "ims:images:share", "ims:quotas:get"])
    );
    let report = String::from_utf8(out.stderr.clone()).unwrap();
    assert!(
        report.contains("Enterprise Project: no, because of copy-image-cross-region"),
        "{report}"
    );
    let out = stdout_of(&["search", "section:共享", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 8);
}

#[test]
fn dependent_actions_are_named_and_added_on_request() {
    let assert = ims()
        .args(["compose", "POST /v2/cloudimages/action"])
        .assert()
        .success();
    let out = assert.get_output();
    let policy: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        policy["Statement"],
        serde_json::json!([{"Effect": "Allow", "Action": ["ims:serverImages:create"]}])
    );
    let report = String::from_utf8(out.stderr.clone()).unwrap();
    assert!(
        report.contains("create-image also needs, to work from the console: obs:bucket:*, obs:object:*, kms:*:*, ecs:cloudServers:get, ecs:servers:get, ecs:serverVolumes:use, ecs:cloudServers:list, ecs:serverVolumeAttachments:list, ecs:servers:list, evs:volumes:*, bms:servers:list, bms:servers:get, bms:serverFlavors:get — add them with --with-dependencies"),
        "{report}"
    );
    let assert = ims()
        .args([
            "compose",
            "POST /v2/cloudimages/action",
            "--with-dependencies",
        ])
        .assert()
        .success();
    let out = assert.get_output();
    let policy: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let statements = policy["Statement"].as_array().unwrap();
    // One statement per service: bms, ecs, evs, ims, kms, obs.
    assert_eq!(statements.len(), 6);
    let actions: usize = statements
        .iter()
        .map(|s| s["Action"].as_array().unwrap().len())
        .sum();
    assert_eq!(actions, 14);
    let report = String::from_utf8(out.stderr.clone()).unwrap();
    assert!(
        report.contains("Warning: 4 of them are wildcards"),
        "{report}"
    );
    // And explain names what a policy without them lacks.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.json");
    std::fs::write(
        &file,
        r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:serverImages:create"]}]}"#,
    )
    .unwrap();
    let out = ims().arg("explain").arg(&file).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("create-image is allowed, but not the actions it depends on"),
        "{text}"
    );
}

#[test]
fn an_existing_policy_becomes_terraform_and_search_takes_api_calls() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.json");
    std::fs::write(
        &file,
        r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:*:list*", "ims:images:get"]}]}"#,
    )
    .unwrap();
    let out = stdout_of(&["terraform", file.to_str().unwrap(), "--name", "readers"]);
    assert!(
        out.contains("resource \"huaweicloud_identity_role\" \"readers\""),
        "{out}"
    );
    assert!(out.contains("\"ims:*:list*\","), "{out}");
    let body = hcl::parse(&out).expect("valid HCL");
    assert_eq!(body.blocks().count(), 1);
    // What the export cannot carry is refused, not dropped.
    std::fs::write(
        &file,
        r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:images:get"], "Condition": {"Bool": {"g:MFAPresent": ["true"]}}}]}"#,
    )
    .unwrap();
    let line = failure(&["terraform", file.to_str().unwrap()], 2);
    assert!(
        line.contains("Statement[0].Condition has no place in the exported role"),
        "{line}"
    );
    // A pasted call as a search finds its operation.
    let out = stdout_of(&[
        "search",
        "POST https://ims.ap-southeast-1.myhuaweicloud.com/v1/cloudimages/members",
    ]);
    assert!(out.contains("share-images-batch"), "{out}");
    assert_eq!(out.lines().filter(|l| l.contains(" /")).count(), 1, "{out}");
}

#[test]
fn a_route_shared_by_permissions_shows_each_and_hosts_pick_the_service() {
    use ims_perms::testing::{catalog_json, test_op};
    let ops = [
        test_op(
            "backup-create",
            "POST",
            "/v1/{project_id}/backups/action",
            &["csbs:backup:create"],
        ),
        test_op(
            "backup-restore",
            "POST",
            "/v1/{project_id}/backups/action",
            &["csbs:backup:restore"],
        ),
        test_op("list-buckets", "GET", "/", &["obs:bucket:ListAllMyBuckets"]),
    ];
    let dir = tempfile::tempdir().unwrap();
    let csbs = dir.path().join("csbs.json");
    std::fs::write(&csbs, catalog_json("csbs", &ops[..2])).unwrap();
    let obs = dir.path().join("obs.json");
    std::fs::write(&obs, catalog_json("obs", &ops[2..])).unwrap();
    let (csbs, obs) = (csbs.to_str().unwrap(), obs.to_str().unwrap());

    // Both permissions of the route, in full, not one of them and a footnote.
    let out = stdout_of(&["--catalog", csbs, "lookup", "POST /v1/p1/backups/action"]);
    assert!(out.contains("This route is 2 permissions"), "{out}");
    assert!(
        out.contains("csbs:backup:create") && out.contains("csbs:backup:restore"),
        "{out}"
    );

    // `GET /` is IMS's API versions and OBS's bucket list: the host says which, even a
    // bucket's virtual host.
    let out = stdout_of(&[
        "--catalog",
        obs,
        "lookup",
        "GET https://mybucket.obs.cn-north-4.myhuaweicloud.com/",
    ]);
    assert!(out.contains("obs:bucket:ListAllMyBuckets"), "{out}");
    let out = stdout_of(&[
        "--catalog",
        obs,
        "lookup",
        "GET https://ims.cn-north-4.myhuaweicloud.com/",
    ]);
    assert!(!out.contains("obs:bucket"), "{out}");

    // An id, as compose and the README write it, is found by search.
    let out = stdout_of(&["--catalog", csbs, "search", "backup-restore"]);
    assert!(
        out.lines()
            .nth(1)
            .unwrap_or("")
            .contains("csbs:backup:restore"),
        "{out}"
    );
}

#[test]
fn overwriting_names_a_links_target_and_says_what_hard_links_keep() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    std::fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let err = failure(&["compose", "list-images", "-o", link.to_str().unwrap()], 2);
    let through = ims()
        .args([
            "compose",
            "list-images",
            "--force",
            "-o",
            link.to_str().unwrap(),
        ])
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    let through = String::from_utf8(through).unwrap();
    assert!(
        through.contains(&format!(
            "to {} (through the link {})",
            real.display(),
            link.display()
        )),
        "{through}"
    );
    std::fs::write(&real, "old").unwrap();
    assert!(
        err.contains(&format!(
            "link.json exists: a link to {}, which will be rewritten",
            real.display()
        )),
        "{err}"
    );
    // --force onto a hard link writes a new file and says the other name keeps the old text.
    let hard = dir.path().join("hard.json");
    std::fs::hard_link(&real, &hard).unwrap();
    let out = ims()
        .args([
            "compose",
            "list-images",
            "--force",
            "-o",
            hard.to_str().unwrap(),
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("as a new file: its other hard link keeps the old text."),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "old");
    assert!(
        std::fs::read_to_string(&hard)
            .unwrap()
            .contains("ims:images:list")
    );
}

#[test]
fn empty_catalogs_and_long_inputs_are_said_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.json");
    std::fs::write(
        &empty,
        r#"{"service":"ecs","source":{"title":"t"},"operations":[]}"#,
    )
    .unwrap();
    let err = failure(
        &["--no-builtin", "--catalog", empty.to_str().unwrap(), "list"],
        2,
    );
    assert!(
        err.contains("empty.json holds none, and --no-builtin leaves out the built-in catalog"),
        "{err}"
    );
    // A 120 KB URL is quoted short.
    let url = format!("GET https://ims.example.com/{}", "x".repeat(120_000));
    let err = failure(&["lookup", &url], 1);
    assert!(err.len() < 600, "{} characters", err.len());
    let err = failure(&["compose", &url], 2);
    assert!(err.len() < 600, "{} characters", err.len());
}

#[test]
fn calls_on_a_loaded_services_host_and_dot_segments() {
    let err = failure(
        &[
            "lookup",
            "POST https://ims.ap-southeast-1.myhuaweicloud.com/v1/cloudimages/tags/action",
        ],
        1,
    );
    assert!(
        err.contains(
            "the host is `ims`'s, and its loaded permission reference lists no such route"
        ),
        "{err}"
    );
    assert!(!err.contains("another service"), "{err}");
    // `..` and encoded slashes never stand for a parameter.
    for path in ["/v2/images/..", "/v2/images/%2e%2e", "/v2/images/a%2Fb"] {
        failure(&["lookup", &format!("DELETE {path}")], 1);
    }
}

#[test]
fn chinese_reports_use_one_style_of_punctuation() {
    let out = ims()
        .args([
            "--lang",
            "zh",
            "compose",
            "create-image",
            "share-images-batch",
            "copy-image-cross-region",
            "quick-import-image",
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    for line in err.lines() {
        for ascii in [" (", ", ", "; "] {
            assert!(!line.contains(ascii), "{ascii:?} in: {line}");
        }
    }
    // "4 of 100 in the largest statement", not "at most 4 (at most 100)".
    assert!(
        err.contains("限制：最大的语句含 4 个授权项（上限 100），共 1 条语句（上限 8）"),
        "{err}"
    );
}
