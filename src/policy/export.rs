//! Other shapes of a composed policy: Terraform for admins who apply policies as code, and a
//! compacted policy with wildcards where they change nothing.

use crate::catalog::Catalog;
use crate::policy::compose::{Effect, Policy, Statement};
use crate::policy::review::{self, ActionPattern};

/// How a policy is written out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Json,
    Terraform,
}

impl ExportFormat {
    pub fn default_file(self) -> &'static str {
        match self {
            ExportFormat::Json => "ims-policy.json",
            ExportFormat::Terraform => "ims-policy.tf",
        }
    }
}

/// The name used when none is given.
pub const DEFAULT_ROLE_NAME: &str = "ims-custom-policy";

/// A string as an HCL quoted string: JSON escapes, plus `${` and `%{` escaped so nothing is
/// read as a template.
fn hcl_string(s: &str) -> String {
    let json = serde_json::to_string(s).expect("a string always serialises");
    // JSON leaves bidi controls and line separators as they are; HCL reads \uXXXX escapes,
    // and a file shown in a terminal or an editor must not reorder or break its text.
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if crate::text::is_unsafe_char(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.replace("${", "$${").replace("%{", "%%{")
}

/// The Terraform resource label for a role name: lower-case letters, digits and `_`.
fn resource_label(name: &str) -> String {
    let mut label: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if !label.starts_with(|c: char| c.is_ascii_alphabetic()) {
        label.insert_str(0, "role_");
    }
    label
}

/// A `huaweicloud_identity_role` resource (`type = "XA"`, for project-level services such as
/// IMS) whose `policy` is `jsonencode` of exactly the JSON format's policy.
pub fn terraform(catalog: &Catalog, operations: &[usize], policy: &Policy, name: &str) -> String {
    let ops = catalog.operations();
    let verb = match policy.statements.first().map(|s| s.effect) {
        Some(Effect::Deny) => "Denies",
        _ => "Allows",
    };
    let listed: Vec<String> = operations
        .iter()
        .map(|&i| match &ops[i].route {
            Some(route) => format!("{} ({route})", ops[i].id),
            None => ops[i].id.clone(),
        })
        .collect();
    let description = format!("{verb}: {}. Made by ims-perms.", listed.join(", "));
    terraform_described(policy, name, &description)
}

/// A `huaweicloud_identity_role` for a policy, with its description.
pub fn terraform_described(policy: &Policy, name: &str, description: &str) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "resource \"huaweicloud_identity_role\" {} {{\n",
        hcl_string(&resource_label(name))
    ));
    out.push_str(&format!("  name        = {}\n", hcl_string(name)));
    out.push_str(&format!("  description = {}\n", hcl_string(description)));
    out.push_str("  type        = \"XA\"\n");
    out.push_str("  policy = jsonencode({\n");
    out.push_str(&format!("    Version = {}\n", hcl_string(&policy.version)));
    out.push_str("    Statement = [\n");
    for st in &policy.statements {
        let effect = match st.effect {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        };
        out.push_str("      {\n");
        out.push_str(&format!("        Effect = {}\n", hcl_string(effect)));
        out.push_str("        Action = [\n");
        for a in &st.actions {
            out.push_str(&format!("          {},\n", hcl_string(a)));
        }
        out.push_str("        ]\n");
        out.push_str("      },\n");
    }
    out.push_str("    ]\n");
    out.push_str("  })\n");
    out.push_str("}\n");
    out
}

/// Why an existing policy document cannot be turned into Terraform as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConvertError {
    /// Not JSON: the parser's words (callers review the document first, so this is rare).
    NotJson { detail: String },
    /// A key this export would lose (`Condition`, `Resource`, `NotAction`, `Depends`).
    WouldLose { path: String },
}

impl std::error::Error for ConvertError {}

/// An existing policy document (already reviewed without errors) as a [`Policy`], for
/// [`terraform_described`]. Refuses what the export cannot carry rather than dropping it.
pub fn policy_from_document(text: &str) -> Result<Policy, ConvertError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root: serde_json::Value =
        serde_json::from_str(text).map_err(|e| ConvertError::NotJson {
            detail: e.to_string(),
        })?;
    let version = root["Version"].as_str().unwrap_or("1.1").to_string();
    if root.get("Depends").is_some() {
        return Err(ConvertError::WouldLose {
            path: "Depends".into(),
        });
    }
    let mut statements = Vec::new();
    for (i, st) in root["Statement"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        for key in ["Condition", "Resource", "NotResource", "NotAction"] {
            if st.get(key).is_some() {
                return Err(ConvertError::WouldLose {
                    path: format!("Statement[{i}].{key}"),
                });
            }
        }
        let effect = match st["Effect"].as_str() {
            Some("Deny") => Effect::Deny,
            _ => Effect::Allow,
        };
        let actions = match &st["Action"] {
            serde_json::Value::String(a) => vec![a.clone()],
            v => v
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str().map(str::to_string))
                .collect(),
        };
        statements.push(Statement { effect, actions });
    }
    Ok(Policy {
        version,
        statements,
    })
}

/// One replacement `--compact` made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    pub wildcard: String,
    pub replaced: Vec<String>,
}

/// A service whose actions `--compact` left as they are, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declined {
    pub service: String,
    /// Whether a catalog of the service is loaded at all (it is then not marked complete).
    pub loaded: bool,
}

/// A composed policy's statements as the reviewer reads them (a composed policy needs no
/// reading or linting).
fn read(policy: &Policy) -> Vec<review::ReadStatement> {
    policy
        .statements
        .iter()
        .enumerate()
        .map(|(index, s)| {
            review::ReadStatement::of_actions(
                index,
                s.effect == Effect::Allow,
                s.actions
                    .iter()
                    .filter_map(|a| ActionPattern::parse(a, false).ok())
                    .collect(),
            )
        })
        .collect()
}

/// What a policy grants, as `--compact` must keep it: each operation's status and conditional
/// actions covered, and which of the catalogs' known actions (operations' actions and
/// dependencies: see [`Catalog::known_actions`]) it grants, so a wildcard never reaches one the
/// actions it replaces did not.
type Grant = (Vec<(review::Status, Vec<String>)>, Vec<bool>);

fn fingerprint(catalog: &Catalog, known: &[&str], policy: &Policy) -> Grant {
    let statements = read(policy);
    let known_granted = review::effective_for(&statements, known);
    let operations = review::evaluate_statements(catalog, statements)
        .operations
        .into_iter()
        .map(|o| {
            (
                o.status,
                o.conditional_covered
                    .into_iter()
                    .map(|(a, _)| a.to_ascii_lowercase())
                    .collect(),
            )
        })
        .collect();
    (operations, known_granted)
}

/// Replaces actions with wildcards (`svc:resource:*`, `svc:*:action`, `svc:*:*`, narrowest
/// first) only where, over the loaded catalogs, the result grants exactly the same operations
/// and the same known actions, and no wildcard stands for fewer than two actions. Only within a
/// service whose loaded catalog is complete: over any other, "the same operations" would be
/// vacuous (a wildcard over a service with no catalog, or with one table of it, proves
/// nothing). A pattern a chosen wildcard covers (a documented `obs:bucket:*` under `obs:*:*`)
/// goes with the actions it replaces. The services left alone are returned.
pub fn compact(catalog: &Catalog, policy: &Policy) -> (Policy, Vec<Replacement>, Vec<Declined>) {
    let mut declined: Vec<Declined> = Vec::new();
    for a in policy.statements.iter().flat_map(|s| &s.actions) {
        let service = a.split(':').next().unwrap_or("");
        if !a.contains('*')
            && !catalog.is_complete(service)
            && !declined.iter().any(|d| d.service == service)
        {
            declined.push(Declined {
                service: service.to_string(),
                loaded: catalog.services().contains(&service),
            });
        }
    }
    let known = catalog.known_actions();
    let before = fingerprint(catalog, &known, policy);
    let mut current = policy.clone();
    let mut replacements: Vec<Replacement> = Vec::new();
    for si in 0..current.statements.len() {
        while let Some((next, replacement)) =
            narrowest_replacement(catalog, &current, si, &known, &before)
        {
            current = next;
            replacements.push(replacement);
        }
    }
    (current, replacements, declined)
}

/// The narrowest wildcard that can stand for two or more of statement `si`'s actions and
/// leaves what the policy grants as in `before`: the policy with it, and the replacement.
fn narrowest_replacement(
    catalog: &Catalog,
    current: &Policy,
    si: usize,
    known: &[&str],
    before: &Grant,
) -> Option<(Policy, Replacement)> {
    let actions = current.statements[si].actions.clone();
    let concrete: Vec<&String> = actions.iter().filter(|a| !a.contains('*')).collect();
    let mut narrow: Vec<String> = Vec::new();
    let mut whole: Vec<String> = Vec::new();
    for a in &concrete {
        let parts: Vec<&str> = a.split(':').collect();
        if let [svc, res, act] = parts.as_slice()
            && catalog.is_complete(svc)
        {
            narrow.push(format!("{svc}:{res}:*"));
            narrow.push(format!("{svc}:*:{act}"));
            whole.push(format!("{svc}:*:*"));
        }
    }
    let mut ordered: Vec<String> = Vec::new();
    for c in narrow.into_iter().chain(whole) {
        if !ordered.iter().any(|o| o.eq_ignore_ascii_case(&c)) {
            ordered.push(c);
        }
    }
    for candidate in ordered {
        let Ok(pattern) = ActionPattern::parse(&candidate, false) else {
            continue;
        };
        let covered: Vec<String> = concrete
            .iter()
            .filter(|a| pattern.matches(a))
            .map(|a| a.to_string())
            .collect();
        if covered.len() < 2 {
            continue;
        }
        // What the wildcard also covers among the statement's other patterns goes too.
        let mut replaced = covered;
        replaced.extend(
            actions
                .iter()
                .filter(|a| {
                    a.contains('*') && pattern.covers(a) && !a.eq_ignore_ascii_case(&candidate)
                })
                .cloned(),
        );
        let mut kept: Vec<String> = actions
            .iter()
            .filter(|a| !replaced.contains(a))
            .cloned()
            .collect();
        kept.push(candidate.clone());
        kept.sort_by_key(|a| a.to_ascii_lowercase());
        let mut trial = current.clone();
        trial.statements[si] = Statement {
            effect: current.statements[si].effect,
            actions: kept,
        };
        if fingerprint(catalog, known, &trial) == *before {
            return Some((
                trial,
                Replacement {
                    wildcard: candidate,
                    replaced,
                },
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::compose::{ComposeOptions, compose};

    fn policy_for(c: &Catalog, ids: &[&str]) -> (Vec<usize>, Policy) {
        let chosen: Vec<usize> = ids.iter().map(|id| c.find_id(id)[0]).collect();
        let p = compose(c, &chosen, &ComposeOptions::default())
            .unwrap()
            .policy
            .unwrap();
        (chosen, p)
    }

    #[test]
    fn terraform_holds_the_policy() {
        let c = Catalog::builtin().unwrap();
        let (chosen, p) = policy_for(&c, &["list-images", "show-image-native"]);
        let tf = terraform(&c, &chosen, &p, "ims-readers");
        assert!(tf.starts_with("resource \"huaweicloud_identity_role\" \"ims_readers\" {\n  name        = \"ims-readers\"\n"), "{tf}");
        assert!(tf.contains("  type        = \"XA\"\n"));
        assert!(tf.contains("Allows: list-images (GET /v2/cloudimages), show-image-native (GET /v2/images/{image_id})"));
        assert!(tf.contains("          \"ims:images:get\",\n          \"ims:images:list\",\n"));
    }

    #[test]
    fn hcl_strings_never_interpolate() {
        assert_eq!(hcl_string("a${b}%{c}\"d"), "\"a$${b}%%{c}\\\"d\"");
        assert_eq!(resource_label("9 Ops!"), "role_9_ops_");
    }

    #[test]
    fn compact_only_where_nothing_changes() {
        let c = Catalog::builtin().unwrap();
        // Every IMS action: the narrowest wildcards that grant exactly the same (ims:*:* would
        // too, but it also matches every IMS action added later).
        let all: Vec<&str> = c.operations().iter().map(|o| o.id.as_str()).collect();
        let (_, p) = policy_for(&c, &all);
        let (compacted, changes, _) = compact(&c, &p);
        assert_eq!(
            compacted.statements[0].actions,
            ["ims:*:create", "ims:images:*", "ims:quotas:get"]
        );
        assert_eq!(changes.len(), 2);
        // Two of the image actions: no wildcard fits without granting more.
        let (_, p) = policy_for(&c, &["list-images", "delete-image-native"]);
        let (compacted, changes, _) = compact(&c, &p);
        assert_eq!(compacted, p);
        assert!(changes.is_empty());
        // All the `create` actions but one is not enough for ims:*:create.
        let (_, p) = policy_for(
            &c,
            &[
                "create-image",
                "create-data-image",
                "create-whole-image",
                "create-image-metadata-native",
            ],
        );
        let (compacted, _, _) = compact(&c, &p);
        assert_eq!(compacted.statements[0].actions, ["ims:*:create"]);
    }

    /// A complete catalog of `svc` whose operations need `acl` get and put and one object
    /// action, and name a dependency `svc:acl:delete` no operation needs itself.
    fn acl_catalog() -> Catalog {
        use crate::testing::{catalog_json, test_op};
        let mut op = test_op("get-object", "GET", "/o", &["svc:object:get"]);
        op["dependencies"] = serde_json::json!([{"action": "svc:acl:delete", "condition": null}]);
        let mut doc: serde_json::Value = serde_json::from_str(&catalog_json(
            "svc",
            &[
                op,
                test_op("get-acl", "GET", "/acl", &["svc:acl:get"]),
                test_op("put-acl", "PUT", "/acl", &["svc:acl:put"]),
            ],
        ))
        .unwrap();
        doc["complete"] = true.into();
        let mut c = Catalog::new();
        c.add(crate::catalog::parse("svc.json", &doc.to_string()).unwrap())
            .unwrap();
        c
    }

    #[test]
    fn compact_never_reaches_a_known_action_the_policy_did_not_grant() {
        let c = acl_catalog();
        let (_, p) = policy_for(&c, &["get-acl", "put-acl"]);
        let (compacted, _, _) = compact(&c, &p);
        // svc:acl:* would also grant svc:acl:delete, which a loaded catalog names.
        assert_eq!(compacted, p);
        // Not svc:*:* (it reaches svc:acl:delete too); svc:*:get does not.
        let (_, p) = policy_for(&c, &["get-acl", "put-acl", "get-object"]);
        let (compacted, _, _) = compact(&c, &p);
        assert_eq!(
            compacted.statements[0].actions,
            ["svc:*:get", "svc:acl:put"]
        );
    }

    #[test]
    fn compact_takes_the_narrowest_wildcard_and_what_it_covers() {
        use crate::testing::{catalog_json, test_op};
        let mut doc: serde_json::Value = serde_json::from_str(&catalog_json(
            "svc",
            &[
                test_op("get-acl", "GET", "/acl", &["svc:acl:get"]),
                test_op("put-acl", "PUT", "/acl", &["svc:acl:put"]),
                test_op("get-object", "GET", "/o", &["svc:object:get"]),
                test_op("put-object", "PUT", "/o", &["svc:object:put"]),
            ],
        ))
        .unwrap();
        doc["complete"] = true.into();
        let mut c = Catalog::new();
        c.add(crate::catalog::parse("svc.json", &doc.to_string()).unwrap())
            .unwrap();
        let p = Policy {
            version: "1.1".into(),
            statements: vec![Statement {
                effect: Effect::Allow,
                actions: vec![
                    "svc:acl:get".into(),
                    "svc:acl:put".into(),
                    "svc:object:*".into(),
                ],
            }],
        };
        let (compacted, changes, _) = compact(&c, &p);
        assert_eq!(
            compacted.statements[0].actions,
            ["svc:acl:*", "svc:object:*"]
        );
        assert_eq!(changes[0].wildcard, "svc:acl:*");
        // When only the service wildcard fits, what it covers goes with it.
        let mut doc: serde_json::Value = serde_json::from_str(&catalog_json(
            "two",
            &[
                test_op("get-a", "GET", "/a", &["two:a:get"]),
                test_op("put-b", "PUT", "/b", &["two:b:put"]),
            ],
        ))
        .unwrap();
        doc["complete"] = true.into();
        let mut c = Catalog::new();
        c.add(crate::catalog::parse("two.json", &doc.to_string()).unwrap())
            .unwrap();
        let p = Policy {
            version: "1.1".into(),
            statements: vec![Statement {
                effect: Effect::Allow,
                actions: vec!["two:a:get".into(), "two:b:put".into(), "two:c:*".into()],
            }],
        };
        let (compacted, changes, _) = compact(&c, &p);
        assert_eq!(compacted.statements[0].actions, ["two:*:*"]);
        assert_eq!(changes[0].replaced, ["two:a:get", "two:b:put", "two:c:*"]);
    }
}
