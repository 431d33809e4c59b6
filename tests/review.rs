//! Policy review and exports, end to end: `explain` on real-looking policies, Terraform checked
//! by an HCL parser, `--compact`, and the round trip explain(compose(s)).

mod common;
use common::ims;
use hcl::eval::{Context, Evaluate};
use ims_perms::catalog::Catalog;
use ims_perms::policy::compose::{ComposeOptions, compose};
use ims_perms::policy::review::{Status, explain};
use proptest::prelude::*;

fn run(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut cmd = ims();
    cmd.args(args);
    if let Some(s) = stdin {
        cmd.write_stdin(s);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const ADMIN_WITH_DENY: &str = r#"{
  "Version": "1.1",
  "Statement": [
    {"Effect": "Allow", "Action": ["ims:*:*"]},
    {"Effect": "Deny", "Action": ["ims:images:delete", "ims:images:export"]}
  ]
}"#;

#[test]
fn explain_json_statuses_and_exit_codes() {
    let (code, out, _) = run(&["explain", "--json", "-"], Some(ADMIN_WITH_DENY));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let op = |id: &str| {
        v["operations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(op("list-images")["status"], "allowed");
    assert_eq!(op("export-image")["status"], "denied");
    assert_eq!(
        op("export-image")["denied_by"],
        serde_json::json!(["ims:images:export"])
    );
    assert_eq!(
        op("export-image")["missing"],
        serde_json::json!(["ims:images:export"])
    );
    assert_eq!(op("delete-image-v1-1")["method"], "DELETE");
    assert_eq!(op("delete-image-v1-1")["path"], "/v1.1/images/{image_id}");
    let findings = v["findings"].as_array().unwrap();
    assert!(findings.iter().all(|f| f["severity"] != "error"));
    assert!(
        findings
            .iter()
            .any(|f| f["path"] == "Statement[0].Action[0]" && f["severity"] == "warning")
    );
}

#[test]
fn explain_readable_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("readonly.json");
    std::fs::write(
        &path,
        r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:*:get*", "ims:*:list*", "ims:image:list", "evs:volumes:list"]}]}"#,
    )
    .unwrap();
    let (code, out, err) = run(&["explain", path.to_str().unwrap()], None);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(
            "Operations: 10 allowed, 9 partial, 0 denied, 19 not granted, 5 need no action (of 43)\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("partial          PUT /v2/images/{image_id}/file"),
        "{out}"
    );
    assert!(out.contains("did you mean \"ims:images:list\"?"), "{out}");
    assert!(
        out.contains("service `evs` is not in the loaded catalogs; noted, not evaluated"),
        "{out}"
    );
    let (code, out, _) = run(&["--lang", "zh", "explain", path.to_str().unwrap()], None);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("操作：10 允许，9 部分，0 拒绝，19 未授权，5 无需授权（共 43）"),
        "{out}"
    );
    assert!(
        out.contains("警告     Statement[0].Action[2]：未知授权项 \"ims:image:list\"：已加载目录中没有操作需要它；是否想用 \"ims:images:list\"？"),
        "{out}"
    );
}

#[test]
fn explain_errors_exit_1_usage_exit_2() {
    let (code, out, _) = run(
        &["explain", "-"],
        Some("{\"Version\": \"1.1\", \"Statement\": ["),
    );
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "Operations: not evaluated (the document could not be read)\nFindings:\n  error    invalid JSON at line 1 column 33: EOF while parsing a list\n"
    );
    let (code, out, _) = run(
        &["explain", "-"],
        Some(
            r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:images:list"], "Condition": {"StringEquals": {"g:UserName": ["a"]}}}]}"#,
        ),
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("Statement[0].Condition: Condition is not evaluated"),
        "{out}"
    );
    let (code, out, err) = run(&["explain", "/no/such/policy.json"], None);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.starts_with("ims-perms: cannot read /no/such/policy.json:"),
        "{err}"
    );
    let (code, _, _) = run(
        &["explain", "-"],
        Some(
            r#"{"Version": "5.0", "Statement": [{"Effect": "Allow", "Action": ["ims:images:*"]}]}"#,
        ),
    );
    assert_eq!(code, 0);
}

/// The `policy = jsonencode({...})` of a Terraform file, evaluated to JSON.
fn terraform_policy(tf: &str) -> (String, serde_json::Value) {
    let body = hcl::parse(tf).expect("valid HCL");
    let block = body.blocks().next().expect("one resource");
    assert_eq!(block.identifier(), "resource");
    let labels: Vec<&str> = block.labels().iter().map(|l| l.as_str()).collect();
    assert_eq!(labels[0], "huaweicloud_identity_role");
    let attr = |name: &str| {
        block
            .body()
            .attributes()
            .find(|a| a.key() == name)
            .unwrap()
            .expr()
            .clone()
    };
    assert_eq!(attr("type"), hcl::Expression::String("XA".into()));
    let hcl::Expression::FuncCall(call) = attr("policy") else {
        panic!("policy is not a function call");
    };
    assert_eq!(call.name.to_string(), "jsonencode");
    let value: hcl::Value = call.args[0].evaluate(&Context::new()).unwrap();
    let name = match attr("name") {
        hcl::Expression::String(s) => s,
        other => panic!("{other:?}"),
    };
    (name, serde_json::to_value(value).unwrap())
}

#[test]
fn terraform_parses_and_holds_the_json_policy() {
    let ops = [
        "update-image",
        "PUT /v2/images/{image_id}/file",
        "export-image",
    ];
    let (_, json, _) = run(
        &[
            &["compose"][..],
            &ops,
            &["--with", "ims:serverImages:create"],
        ]
        .concat(),
        None,
    );
    let (code, tf, _) = run(
        &[
            &["compose"][..],
            &ops,
            &[
                "--with",
                "ims:serverImages:create",
                "--format",
                "terraform",
                "--name",
                "image-uploaders",
            ],
        ]
        .concat(),
        None,
    );
    assert_eq!(code, 0);
    let (name, policy) = terraform_policy(&tf);
    assert_eq!(name, "image-uploaders");
    assert_eq!(
        policy,
        serde_json::from_str::<serde_json::Value>(&json).unwrap()
    );
    assert!(tf.contains("description = \"Allows: update-image (PATCH /v2/cloudimages/{image_id}), upload-image-native"), "{tf}");
    let (_, tf, _) = run(
        &[
            "compose",
            "delete-image-native",
            "--effect",
            "deny",
            "--format",
            "terraform",
        ],
        None,
    );
    let (name, policy) = terraform_policy(&tf);
    assert_eq!(name, "ims-custom-policy");
    assert_eq!(policy["Statement"][0]["Effect"], "Deny");
}

#[test]
fn compact_replaces_only_what_changes_nothing() {
    let all: Vec<String> = Catalog::builtin()
        .unwrap()
        .operations()
        .iter()
        .map(|o| o.id.clone())
        .collect();
    let mut args = vec!["compose".to_string()];
    args.extend(all);
    args.push("--compact".into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = run(&args, None);
    assert_eq!(code, 0);
    // The narrowest wildcards that grant the same: ims:*:* would also match IMS actions added
    // later.
    assert!(
        out.contains("\"ims:*:create\"") && out.contains("\"ims:images:*\""),
        "{out}"
    );
    assert!(!out.contains("\"ims:*:*\""), "{out}");
    assert!(
        err.contains("Compact: ims:images:* replaces ims:images:copy, ims:images:delete"),
        "{err}"
    );
    assert!(
        err.contains("Warning: wildcards also match actions added to the service later."),
        "{err}"
    );
    let (_, out, err) = run(
        &["compose", "list-images", "delete-image-native", "--compact"],
        None,
    );
    assert!(
        out.contains("\"ims:images:delete\",\n        \"ims:images:list\""),
        "{out}"
    );
    assert!(
        err.contains("Compact: no wildcard grants exactly the same operations; unchanged."),
        "{err}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// explain(compose(s)) allows every selected operation, and nothing beyond the operations
    /// sharing those actions (plus those needing none).
    #[test]
    fn explain_of_compose_allows_exactly_the_selection(selection in prop::collection::vec(0usize..18, 1..7)) {
        let catalog = Catalog::builtin().unwrap();
        let composition = compose(&catalog, &selection, &ComposeOptions::default()).unwrap();
        let Some(policy) = &composition.policy else { return Ok(()); };
        let review = explain(&catalog, &policy.to_json());
        prop_assert!(!review.has_errors());
        for o in &review.operations {
            let op = &catalog.operations()[o.index];
            let expected = if op.actions.is_empty() {
                Status::NoActionNeeded
            } else if selection.contains(&o.index)
                || composition.report.also_covers.contains(&o.index)
            {
                Status::Allowed
            } else {
                prop_assert_ne!(o.status, Status::Allowed, "{} allowed but not chosen nor sharing", op.id);
                continue;
            };
            prop_assert_eq!(o.status, expected, "{}", op.id);
        }
    }
}

const SHARED_ECS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/vendor-tables/forms/six-col-dependencies-ecs.zh.html"
);

/// The one-row ECS table imported into `dir` (with `--complete` when asked).
fn ecs_catalog(dir: &std::path::Path, complete: bool) -> String {
    let mut args = vec!["import", SHARED_ECS];
    if complete {
        args.push("--complete");
    }
    let (code, out, err) = run(&args, None);
    assert_eq!(code, 0, "{err}");
    let path = dir.join(if complete { "ecs-all.json" } else { "ecs.json" });
    std::fs::write(&path, &out).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn compact_uses_wildcards_only_over_complete_catalogs() {
    // No BMS or ECS catalog: their actions stay as they are, and the report says why.
    let (code, out, err) = run(
        &[
            "compose",
            "create-image",
            "--with-dependencies",
            "--compact",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("bms:*") && !out.contains("ecs:*"), "{out}");
    assert!(out.contains("\"ecs:cloudServers:get\""), "{out}");
    assert!(
        err.contains("Compact: ecs actions kept as they are: no catalog of `ecs` is loaded"),
        "{err}"
    );
    // Documented dependency wildcards stay as written.
    assert!(
        out.contains("\"kms:*:*\"") && out.contains("\"evs:volumes:*\""),
        "{out}"
    );
    // One imported row of ECS is not ECS.
    let dir = tempfile::tempdir().unwrap();
    let ecs = ecs_catalog(dir.path(), false);
    let (_, out, err) = run(
        &[
            "--catalog",
            &ecs,
            "compose",
            "create-image",
            "--with-dependencies",
            "--compact",
        ],
        None,
    );
    assert!(
        !out.contains("ecs:*:") && !out.contains("ecs:cloudServers:*"),
        "{out}"
    );
    assert!(
        err.contains("the loaded `ecs` catalog is not marked complete (import --complete)"),
        "{err}"
    );
    // The same file vouched complete: the loaded catalog then proves the wildcards.
    let ecs_all = ecs_catalog(dir.path(), true);
    assert!(
        std::fs::read_to_string(&ecs_all)
            .unwrap()
            .contains("\"complete\": true")
    );
    let (_, _, err) = run(
        &[
            "--catalog",
            &ecs_all,
            "compose",
            "create-image",
            "--with-dependencies",
            "--compact",
        ],
        None,
    );
    assert!(
        !err.contains("`ecs` catalog is not marked complete"),
        "{err}"
    );
    // The built-in IMS catalog is complete.
    let (_, out, _) = run(
        &[
            "compose",
            "create-image",
            "create-data-image",
            "create-whole-image",
            "create-image-metadata-native",
            "--compact",
        ],
        None,
    );
    assert!(out.contains("\"ims:*:create\""), "{out}");
}

#[test]
fn dependencies_pass_explain_with_the_catalog_that_names_them() {
    let dir = tempfile::tempdir().unwrap();
    let ecs = ecs_catalog(dir.path(), false);
    // The ECS row depends on evs:volumes:get; create-image on evs:volumes:*: one is enough.
    let (code, policy, err) = run(
        &[
            "--catalog",
            &ecs,
            "compose",
            "create-image",
            "--with-dependencies",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let (_, all_ecs, _) = run(&["--catalog", &ecs, "list", "--json"], None);
    let ecs_id = all_ecs
        .split("\"id\": \"")
        .nth(44)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let (code, policy2, err) = run(
        &[
            "--catalog",
            &ecs,
            "compose",
            "create-image",
            &ecs_id,
            "--with-dependencies",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(policy2.contains("\"evs:volumes:*\""), "{policy2}");
    assert!(!policy2.contains("\"evs:volumes:get\""), "{policy2}");
    for p in [&policy, &policy2] {
        let (_, out, _) = run(&["--catalog", &ecs, "explain", "-"], Some(p));
        assert!(!out.contains("already covered"), "{out}");
        assert!(!out.contains("unknown action"), "{out}");
    }
}

#[test]
fn duplicate_keys_are_errors_and_terraform_refuses_them() {
    for doc in [
        r#"{"Version":"1.1","Statement":[{"Effect":"Deny","Action":["ims:images:delete"],"Action":["ims:images:list"]}]}"#,
        r#"{"Version":"1.1","Statement":[{"Effect":"Deny","Effect":"Allow","Action":["ims:images:list"]}]}"#,
    ] {
        let (code, out, _) = run(&["explain", "-"], Some(doc));
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("  error    Statement[0]."), "{out}");
        assert!(out.contains("duplicate key"), "{out}");
        let (code, out, err) = run(&["terraform", "-"], Some(doc));
        assert_eq!(code, 2, "{err}");
        assert_eq!(out, "");
        assert!(err.contains("not converted: Statement[0]."), "{err}");
        assert!(err.contains("duplicate key"), "{err}");
    }
}

#[test]
fn small_untruths_of_explain() {
    // Wildcards alone: "grants N operations", nothing "beyond" explicit actions that do not exist.
    let (_, out, _) = run(
        &["explain", "-"],
        Some(
            r#"{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["ims:*:get*","ims:*:list*"]}]}"#,
        ),
    );
    assert!(out.contains("and grants "), "{out}");
    assert!(!out.contains("beyond the explicit actions"), "{out}");
    // Operations that need no action are said to need none, not "allowed".
    assert!(
        out.contains("needs no action  GET /v2/schemas/image"),
        "{out}"
    );
    assert!(out.contains("5 need no action"), "{out}");
    // A Deny of nothing says so.
    let (_, out, _) = run(
        &["explain", "-"],
        Some(
            r#"{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["ims:images:list"]},{"Effect":"Deny","Action":[]}]}"#,
        ),
    );
    assert!(
        out.contains(
            "warning  Statement[1].Action: Action is empty: this statement denies nothing"
        ),
        "{out}"
    );
}

#[test]
fn dependency_wildcards_say_what_they_grant_and_compact_reports_the_printed_policy() {
    use ims_perms::testing::{catalog_json, test_op};
    let dir = tempfile::tempdir().unwrap();
    let evs = dir.path().join("evs.json");
    std::fs::write(
        &evs,
        catalog_json(
            "evs",
            &[test_op(
                "list-volumes",
                "GET",
                "/v2/volumes",
                &["evs:volumes:list"],
            )],
        ),
    )
    .unwrap();
    let evs = evs.to_str().unwrap();
    // create-image depends on evs:volumes:*: with EVS loaded, listing volumes is granted too.
    let (code, _, err) = run(
        &[
            "--catalog",
            evs,
            "compose",
            "create-image",
            "--with-dependencies",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("The same actions also allow:\n  list-volumes (GET /v2/volumes)"),
        "{err}"
    );
    // --compact: the counts and limits are the printed policy's.
    let ids = [
        "create-image",
        "create-data-image",
        "create-whole-image",
        "create-image-metadata-native",
    ];
    let mut args = vec!["compose"];
    args.extend(ids);
    args.push("--compact");
    let (_, out, err) = run(&args, None);
    assert!(out.contains("\"ims:*:create\""), "{out}");
    assert!(
        err.contains("Policy: 4 operations, 1 action, 1 statement"),
        "{err}"
    );
    assert!(
        err.contains("Limits: 1 of 100 actions in the largest statement"),
        "{err}"
    );
}

#[test]
fn wildcard_notes_count_the_actions_dependencies_name() {
    use ims_perms::testing::{catalog_json, test_op};
    let dir = tempfile::tempdir().unwrap();
    let ecs = dir.path().join("ecs.json");
    let mut op = test_op(
        "get-server",
        "GET",
        "/v1/servers/{id}",
        &["ecs:cloudServers:get"],
    );
    op["dependencies"] =
        serde_json::json!([{"action": "ecs:cloudServers:reboot", "condition": null}]);
    std::fs::write(&ecs, catalog_json("ecs", &[op])).unwrap();
    let (_, out, _) = run(
        &["--catalog", ecs.to_str().unwrap(), "explain", "-"],
        Some(
            r#"{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["ecs:cloudServers:*"]}]}"#,
        ),
    );
    assert!(
        // get (the ECS row's own), list (a dependency of IMS's create-image), reboot (of this row).
        out.contains(
            "matches 3 (ecs:cloudServers:get, ecs:cloudServers:list, ecs:cloudServers:reboot)"
        ),
        "{out}"
    );
    let (_, out, _) = run(
        &["--catalog", ecs.to_str().unwrap(), "explain", "-"],
        Some(
            r#"{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["ecs:cloudServers:rebot"]}]}"#,
        ),
    );
    assert!(
        out.contains("did you mean \"ecs:cloudServers:reboot\""),
        "{out}"
    );
}

#[test]
fn terraform_refuses_what_it_would_lose() {
    let (code, out, err) = run(
        &["terraform", "-"],
        Some(
            r#"{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["ims:images:list"],"Condition":{"StringEquals":{"g:ProjectName":["x"]}}}]}"#,
        ),
    );
    assert_eq!(code, 2, "{err}");
    assert_eq!(out, "");
    assert!(
        err.contains("standard input: not converted: Statement[0].Condition has no place in the exported role and would be lost"),
        "{err}"
    );
}
