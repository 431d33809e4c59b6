//! `simulate`, end to end: each decision kind on the issue's policies and on 5.0 policies,
//! denial messages, the enterprise-project scope, `--fix` simulated again, and (a property)
//! `explain`'s status of every operation equals `simulate`'s decision for it.

mod common;
use common::ims;

use ims_perms::catalog::Catalog;
use ims_perms::policy::review::{Status, explain};
use ims_perms::policy::simulate::{Scope, Subject, Verdict, simulate};
use proptest::prelude::*;

const COPY_DENIED: &str = r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:images:*"]}, {"Effect": "Deny", "Action": ["ims:images:copy"]}]}"#;
const CROSS_REGION: &str = "POST /v1/cloudimages/{image_id}/cross_region_copy";

fn run(args: &[&str], stdin: &str) -> (String, String, i32) {
    let out = ims().args(args).write_stdin(stdin).output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

fn json(args: &[&str], policy: &str) -> (serde_json::Value, i32) {
    let args: Vec<&str> = ["simulate", "-", "--json"]
        .iter()
        .chain(args)
        .copied()
        .collect();
    let (out, err, code) = run(&args, policy);
    (
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}")),
        code,
    )
}

#[test]
fn an_explicit_deny_names_its_statement_and_the_fix_what_else_it_opens() {
    let (rows, code) = json(&[CROSS_REGION], COPY_DENIED);
    assert_eq!(code, 1);
    let row = &rows[0];
    assert_eq!(row["operation"], "copy-image-cross-region");
    assert_eq!(row["decision"], "explicit_deny");
    assert_eq!(
        row["denied_by"],
        serde_json::json!([{"statement": 1, "index": 0, "pattern": "ims:images:copy", "action": "ims:images:copy"}])
    );
    assert_eq!(row["allowed_by"][0]["pattern"], "ims:images:*");
    assert_eq!(row["conditional"], false);
    let (out, _, code) = run(&["simulate", "-", CROSS_REGION], COPY_DENIED);
    assert_eq!(code, 1);
    assert!(out.contains("  explicitly denied: ims:images:copy denied by Statement[1] (Deny) Action[0] \"ims:images:copy\""), "{out}");
    assert!(
        out.contains("  smallest fix: remove \"ims:images:copy\" from Statement[1] (Deny)"),
        "{out}"
    );
    // In-region copy shares the action: the fix opens it too, and says so.
    assert!(
        out.contains("  it also allows: copy-image (POST /v1/cloudimages/{image_id}/copy)"),
        "{out}"
    );
}

#[test]
fn fix_is_simulated_again_and_passes_explain() {
    let calls = [CROSS_REGION, "POST /v2/cloudimages/action", "list-images"];
    let args: Vec<&str> = ["simulate", "-", "--fix"]
        .iter()
        .chain(&calls)
        .copied()
        .collect();
    let (fixed, err, code) = run(&args, COPY_DENIED);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("add ims:serverImages:create to Statement[0] (Allow)"),
        "{err}"
    );
    let (rows, code) = json(&calls, &fixed);
    assert_eq!(code, 0, "{rows}");
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["decision"] == "allowed")
    );
    let review = explain(&Catalog::builtin().unwrap(), &fixed);
    assert!(!review.has_errors(), "{:?}", review.findings);
    // Never an Allow widened to a wildcard: the only wildcard is the one that was there.
    assert_eq!(fixed.matches('*').count(), 1, "{fixed}");
}

#[test]
fn a_deny_wildcard_is_narrowed_to_what_it_matched_but_the_needed_action() {
    let policy = r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:*:*"]}, {"Effect": "Deny", "Action": ["ims:images:*"]}]}"#;
    let (fixed, err, code) = run(&["simulate", "-", "--fix", "list-images"], policy);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("narrow \"ims:images:*\" in Statement[1] (Deny) to the "),
        "{err}"
    );
    let (rows, _) = json(
        &["list-images", "delete-image-native", "share-images-batch"],
        &fixed,
    );
    assert_eq!(rows[0]["decision"], "allowed");
    // What the wildcard denied besides stays denied.
    assert_eq!(rows[1]["decision"], "explicit_deny");
    assert_eq!(rows[2]["decision"], "explicit_deny");
}

#[test]
fn not_in_scope_in_an_enterprise_project_whatever_the_policy_says() {
    let allow_all =
        r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:*:*"]}]}"#;
    let (rows, code) = json(&["--scope", "ep", CROSS_REGION, "list-images"], allow_all);
    assert_eq!(code, 1);
    assert_eq!(rows[0]["decision"], "not_in_scope");
    assert_eq!(rows[1]["decision"], "allowed");
    let (rows, code) = json(&[CROSS_REGION], allow_all);
    assert_eq!((rows[0]["decision"].as_str(), code), (Some("allowed"), 0));
    let (out, err, code) = run(
        &["simulate", "-", "--scope", "ep", "--fix", CROSS_REGION],
        allow_all,
    );
    assert_eq!((out.as_str(), code), ("", 1));
    assert!(
        err.contains("no fix: copy-image-cross-region does not support enterprise projects"),
        "{err}"
    );
}

#[test]
fn explain_in_an_enterprise_project() {
    let allow_all =
        r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:*:*"]}]}"#;
    let (out, _, code) = run(&["explain", "-", "--scope", "ep"], allow_all);
    assert_eq!(code, 0);
    let line = out
        .lines()
        .find(|l| l.contains("cross_region_copy"))
        .unwrap();
    assert!(line.contains("not in scope"), "{line}");
    assert!(
        out.contains(" not in scope (no enterprise project support)"),
        "{out}"
    );
    let (out, _, _) = run(&["explain", "-"], allow_all);
    assert!(!out.contains("not in scope"), "{out}");
}

#[test]
fn not_action_and_5_0_policies() {
    let all_but_delete = r#"{"Version": "5.0", "Statement": [{"Effect": "Allow", "NotAction": ["ims:images:delete"]}]}"#;
    let (rows, _) = json(&["delete-image-native", "list-images"], all_but_delete);
    assert_eq!(rows[0]["decision"], "implicit_deny");
    assert_eq!(rows[0]["missing"], serde_json::json!(["ims:images:delete"]));
    assert_eq!(rows[1]["decision"], "allowed");
    assert_eq!(
        rows[1]["allowed_by"],
        serde_json::json!([{"statement": 0, "index": null, "pattern": "NotAction", "action": "ims:images:list"}])
    );
    let deny_all_but_list = r#"{"Version": "5.0", "Statement": [{"Effect": "Allow", "Action": "ims:*:*"}, {"Effect": "Deny", "NotAction": "ims:images:list", "Condition": {"StringEquals": {"g:RequestedRegion": "cn-north-4"}}}]}"#;
    let (rows, _) = json(&["list-images", "delete-image-native"], deny_all_but_list);
    assert_eq!(rows[0]["decision"], "allowed");
    assert_eq!(rows[1]["decision"], "explicit_deny");
    assert_eq!(rows[1]["conditional"], true);
    let (out, _, _) = run(&["simulate", "-", "delete-image-native"], deny_all_but_list);
    assert!(
        out.contains("explicitly denied (if the statement's Condition and Resource hold"),
        "{out}"
    );
    // The fix takes the action out of what the Deny applies to.
    let (fixed, err, code) = run(
        &["simulate", "-", "--fix", "delete-image-native"],
        deny_all_but_list,
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("add \"ims:images:delete\" to Statement[1]'s NotAction (Deny)"),
        "{err}"
    );
    let (rows, _) = json(&["delete-image-native", "share-images-batch"], &fixed);
    assert_eq!(rows[0]["decision"], "allowed");
    assert_eq!(rows[1]["decision"], "explicit_deny");
}

#[test]
fn denial_messages_name_the_action_and_the_operations_that_need_it() {
    let only_list =
        r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:images:list"]}]}"#;
    for message in [
        "User: iam-user-a is not authorized to perform: ims:images:share on resource: ims:cn-north-4:0a1b:image:* because no identity policy allows the ims:images:share action.",
        "User: iam-user-a is not authorized to perform: ims:images:share on resource: ims:cn-north-4:0a1b:image:* with an explicit deny in the identity policy.",
        "Policy doesn't allow ims:images:share to be performed.",
        "ims:images:share",
    ] {
        let (rows, code) = json(&[message], only_list);
        assert_eq!(code, 1, "{message}");
        assert_eq!(rows[0]["action"], "ims:images:share", "{message}");
        assert_eq!(rows[0]["decision"], "implicit_deny", "{message}");
        let needed_by = rows[0]["needed_by"].as_array().unwrap();
        assert!(
            needed_by.contains(&serde_json::json!("share-images-batch")),
            "{rows}"
        );
    }
}

#[test]
fn bad_calls_and_policies_are_refused_naming_them() {
    for (args, said) in [
        (
            &["simulate", "-", "GET /v9/nope"][..],
            "unknown operation \"GET /v9/nope\"",
        ),
        (
            &["simulate", "-", "x:y:z"][..],
            "\"x:y:z\": no operation of the loaded catalogs needs the action x:y:z",
        ),
        (
            &["simulate", "/nonexistent/p.json", "list-images"][..],
            "cannot read /nonexistent/p.json",
        ),
    ] {
        let (out, err, code) = run(args, COPY_DENIED);
        assert_eq!((out.as_str(), code), ("", 2), "{args:?}");
        assert!(
            err.starts_with("ims-perms: ") && err.contains(said),
            "{err}"
        );
    }
    let (out, err, code) = run(
        &["--lang", "zh", "simulate", "-", "list-images"],
        "{\"Statement\": 5}",
    );
    assert_eq!((out.as_str(), code), ("", 2));
    assert!(
        err.contains("标准输入：不是可以模拟的策略：Statement：Statement 必须是数组"),
        "{err}"
    );
}

#[test]
fn recorded_calls_are_simulated_too() {
    let log = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/calls/terraform-old.log"
    );
    let (rows, code) = json(&["--calls", log], COPY_DENIED);
    assert_eq!(code, 0, "{rows}");
    let ops: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["operation"].as_str().unwrap())
        .collect();
    assert_eq!(ops, ["list-images", "delete-image-native"]);
}

fn pattern() -> impl Strategy<Value = String> {
    let catalog = Catalog::builtin().unwrap();
    let mut actions: Vec<String> = catalog
        .known_actions()
        .iter()
        .map(|a| a.to_string())
        .collect();
    actions.extend(
        [
            "ims:*:*",
            "ims:images:*",
            "ims:*:create",
            "ims:*:get",
            "ims:images:?et",
            "ecs:*:*",
            "obs:bucket:*",
        ]
        .map(String::from),
    );
    prop::sample::select(actions)
}

fn statement() -> impl Strategy<Value = serde_json::Value> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(pattern(), 1..4),
    )
        .prop_map(|(allow, not_action, patterns)| {
            let key = if not_action { "NotAction" } else { "Action" };
            serde_json::json!({"Effect": if allow { "Allow" } else { "Deny" }, key: patterns})
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// `explain`'s status of every operation is `simulate`'s decision for it.
    #[test]
    fn explain_and_simulate_decide_alike(
        statements in prop::collection::vec(statement(), 1..5),
        enterprise in any::<bool>(),
    ) {
        let catalog = Catalog::builtin().unwrap();
        let policy = serde_json::json!({"Version": "5.0", "Statement": statements}).to_string();
        let scope = if enterprise { Scope::EnterpriseProject } else { Scope::Project };
        let review = ims_perms::policy::review::explain_in(&catalog, &policy, scope);
        prop_assume!(review.evaluated);
        let subjects: Vec<Subject> = (0..catalog.operations().len()).map(Subject::Operation).collect();
        let simulations = simulate(&catalog, &review.statements, &subjects, scope, &[]);
        for (o, s) in review.operations.iter().zip(&simulations) {
            let expected = match o.status {
                Status::Allowed | Status::NoActionNeeded => Verdict::Allowed,
                Status::Denied => Verdict::ExplicitDeny,
                Status::Partial | Status::NotGranted => Verdict::ImplicitDeny,
                Status::NotInScope => Verdict::NotInScope,
                Status::ActionsNotDocumented => Verdict::ActionsNotDocumented,
            };
            prop_assert_eq!(s.verdict, expected, "{} in {}", o.id, policy);
        }
    }
}

#[test]
fn what_a_black_box_test_found() {
    // A policy with errors is no verdict's ground: IAM refuses it.
    for policy in [
        r#"{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["ims:*:*"]},{"Effect":"Deny","Action":"ims:images:*"}]}"#,
        r#"{"Version":"1.1","Statement":[{"Effect":"Deny","Action":["ims:images:share"],"Effect":"Allow"}]}"#,
        r#"{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["ims:*:*"],"NotAction":["ims:images:list"]}]}"#,
    ] {
        let (out, err, code) = run(&["simulate", "-", "list-images"], policy);
        assert_eq!((out.as_str(), code), ("", 2), "{policy}: {err}");
        assert!(err.contains("not a policy that can be simulated"), "{err}");
    }
    // Denied and not allowed: the Deny goes and an Allow comes.
    let p6 = r#"{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["ims:images:list"]},{"Effect":"Deny","Action":["ims:quotas:get"]}]}"#;
    let (fixed, err, code) = run(&["simulate", "-", "--fix", "get-quota"], p6);
    assert_eq!(code, 0, "{err}");
    let (rows, _) = json(&["get-quota"], &fixed);
    assert_eq!(rows[0]["decision"], "allowed");
    // A 5.0 Deny whose Action is one string; a narrowed wildcard says what it no longer covers,
    // and names each action once.
    let p5 = r#"{"Version":"5.0","Statement":[{"Effect":"Allow","Action":"*:*:*"},{"Effect":"Deny","Action":["*:*:*","ims:images:*","ims:images:get"]}]}"#;
    let (fixed, err, code) = run(&["simulate", "-", "--fix", "share-images-batch"], p5);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("no longer covers actions the loaded catalogs do not list"),
        "{err}"
    );
    let doc: serde_json::Value = serde_json::from_str(&fixed).unwrap();
    let deny: Vec<String> = doc["Statement"][1]["Action"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_lowercase())
        .collect();
    let mut unique = deny.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(deny.len(), unique.len(), "{deny:?}");
    assert!(!deny.contains(&"ims:images:share".to_string()));
    let one = r#"{"Version":"5.0","Statement":[{"Effect":"Allow","Action":"ims:*:*"},{"Effect":"Deny","Action":"ims:images:list"}]}"#;
    let (fixed, err, code) = run(&["simulate", "-", "--fix", "list-images"], one);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&["list-images"], &fixed).0[0]["decision"], "allowed");
    // IAM's 100 actions a statement, a narrowed Deny too.
    let many: Vec<String> = (0..95)
        .map(|n| format!("ecs:servers:act{n}"))
        .chain(["ims:*:*".to_string()])
        .collect();
    let p = serde_json::json!({"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:*:*"]}, {"Effect": "Deny", "Action": many}]}).to_string();
    let (out, err, code) = run(&["simulate", "-", "--fix", "share-images-batch"], &p);
    assert_eq!((out.as_str(), code), ("", 1), "{err}");
    assert!(err.contains("no fix within IAM's limits"), "{err}");
    // In an enterprise project, an action only project-scoped operations need is not in scope.
    let share =
        r#"{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["ims:images:share"]}]}"#;
    let (rows, code) = json(&["--scope", "ep", "ims:images:share"], share);
    assert_eq!(
        (rows[0]["decision"].as_str(), code),
        (Some("not_in_scope"), 1)
    );
    // Denial messages in other shapes, and two actions in one.
    for message in [
        "Policy doesn't allow [ims:images:share] to be performed.",
        "Policy doesn\u{2019}t allow IMS:images:share to be performed.",
    ] {
        let (rows, _) = json(&[message], share);
        assert_eq!(rows[0]["action"], "ims:images:share", "{message}");
    }
    let (rows, _) = json(
        &["Policy doesn't allow ims:images:share,ims:images:get to be performed."],
        share,
    );
    assert_eq!(rows.as_array().unwrap().len(), 2);
    assert_eq!(rows[1]["action"], "ims:images:get");
}
