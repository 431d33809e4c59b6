//! Unit tests of `review`.

use super::*;
use crate::lang::Lang;

fn review(text: &str) -> Review {
    explain(&Catalog::builtin().unwrap(), text)
}

fn status(r: &Review, id: &str) -> Status {
    r.operations.iter().find(|o| o.id == id).unwrap().status
}

fn messages(r: &Review) -> Vec<String> {
    r.findings
        .iter()
        .map(|f| {
            format!(
                "{:?} {} {}",
                f.severity,
                f.path,
                crate::present::finding(&f.kind, Lang::En)
            )
        })
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
        Status::NoActionNeeded,
        "needs nothing, whatever the policy says"
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
    // The Deny's NotAction covers everything but listing: getting is denied.
    assert_eq!(status(&r, "show-image-native"), Status::Denied);
    let m = messages(&r).join("\n");
    assert!(!m.contains("NotAction is not evaluated"), "{m}");
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
        crate::present::finding(&r.findings[0].kind, Lang::En)
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
        m.contains("Error Statement[0].Action 101 actions: IAM allows at most 100 in a statement"),
        "{m}"
    );
    assert!(m.contains("over IAM's 6144-character limit"), "{m}");
}

#[test]
fn not_action_is_evaluated() {
    // Allow everything but deleting images: every operation but the deletes.
    let r = review(
        r#"{"Version": "5.0", "Statement": [{"Effect": "Allow", "NotAction": ["ims:images:delete"]}]}"#,
    );
    let deletes: Vec<&str> = r
        .operations
        .iter()
        .filter(|o| o.status == Status::NotGranted)
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(
        deletes,
        ["delete-image-native", "delete-image-v1-1"],
        "{r:?}"
    );
    assert_eq!(
        r.count(Status::Allowed) + r.count(Status::NoActionNeeded) + 2,
        r.operations.len()
    );
    // Allow all of IMS, deny all but listing: only listing is allowed.
    let r = review(
        r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:*:*"]}, {"Effect": "Deny", "NotAction": ["ims:images:list"]}]}"#,
    );
    let allowed: Vec<&str> = r
        .operations
        .iter()
        .filter(|o| o.status == Status::Allowed)
        .map(|o| o.id.as_str())
        .collect();
    assert!(allowed.contains(&"list-images"), "{allowed:?}");
    assert!(!allowed.contains(&"delete-image-native"), "{allowed:?}");
    assert_eq!(status(&r, "delete-image-native"), Status::Denied);
    let o = r
        .operations
        .iter()
        .find(|o| o.id == "delete-image-native")
        .unwrap();
    assert_eq!(o.denied_by, ["NotAction"]);
}
