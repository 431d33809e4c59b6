//! Other shapes of a composed policy: Terraform for admins who apply policies as code, and a
//! compacted policy with wildcards where they change nothing.

use std::collections::BTreeMap;

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
        .map(|&i| format!("{} ({})", ops[i].id, ops[i].route()))
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
    /// `explain` found errors: the first one's words.
    NotAPolicy(String),
    /// A key this export would lose (`Condition`, `Resource`, `NotAction`, `Depends`).
    WouldLose { path: String },
}

/// An existing policy document (already reviewed without errors) as a [`Policy`], for
/// [`terraform_described`]. Refuses what the export cannot carry rather than dropping it.
pub fn policy_from_document(text: &str) -> Result<Policy, ConvertError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root: serde_json::Value =
        serde_json::from_str(text).map_err(|e| ConvertError::NotAPolicy(e.to_string()))?;
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

/// What the policy grants, operation by operation, as the reviewer sees it: its statements
/// evaluated directly (a composed policy needs no reading or linting).
fn fingerprint(catalog: &Catalog, policy: &Policy) -> Vec<(review::Status, Vec<String>)> {
    let statements = policy
        .statements
        .iter()
        .enumerate()
        .map(|(index, s)| review::ReadStatement {
            index,
            allow: s.effect == Effect::Allow,
            actions: s
                .actions
                .iter()
                .filter_map(|a| ActionPattern::parse(a, false).ok())
                .collect(),
        })
        .collect();
    review::evaluate_statements(catalog, statements)
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
        .collect()
}

/// Replaces actions with wildcards (`svc:*:*`, `svc:resource:*`, `svc:*:action`) only where,
/// over the loaded catalogs, the result grants exactly the same operations, and no wildcard
/// stands for fewer than two actions. Only within a service whose loaded catalog is complete:
/// over any other, "the same operations" would be vacuous (a wildcard over a service with no
/// catalog, or with one table of it, proves nothing). The services left alone are returned.
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
    let before = fingerprint(catalog, policy);
    let mut current = policy.clone();
    let mut replacements = Vec::new();
    for si in 0..current.statements.len() {
        loop {
            let actions = current.statements[si].actions.clone();
            let concrete: Vec<&String> = actions.iter().filter(|a| !a.contains('*')).collect();
            let mut candidates: Vec<String> = Vec::new();
            let mut services: BTreeMap<String, ()> = BTreeMap::new();
            for a in &concrete {
                let parts: Vec<&str> = a.split(':').collect();
                if let [svc, res, act] = parts.as_slice()
                    && catalog.is_complete(svc)
                {
                    services.insert(svc.to_string(), ());
                    candidates.push(format!("{svc}:{}:*", res));
                    candidates.push(format!("{svc}:*:{}", act));
                }
            }
            let mut ordered: Vec<String> = services.keys().map(|s| format!("{s}:*:*")).collect();
            for c in candidates {
                if !ordered.iter().any(|o| o.eq_ignore_ascii_case(&c)) {
                    ordered.push(c);
                }
            }
            let mut applied = false;
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
                let mut trial = current.clone();
                let mut kept: Vec<String> = actions
                    .iter()
                    .filter(|a| !covered.contains(a))
                    .cloned()
                    .collect();
                kept.push(candidate.clone());
                kept.sort_by_key(|a| a.to_ascii_lowercase());
                trial.statements[si] = Statement {
                    effect: current.statements[si].effect,
                    actions: kept,
                };
                if fingerprint(catalog, &trial) == before {
                    replacements.push(Replacement {
                        wildcard: candidate,
                        replaced: covered,
                    });
                    current = trial;
                    applied = true;
                    break;
                }
            }
            if !applied {
                break;
            }
        }
    }
    (current, replacements, declined)
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
        // Every IMS action: ims:*:* grants exactly the same.
        let all: Vec<&str> = c.operations().iter().map(|o| o.id.as_str()).collect();
        let (_, p) = policy_for(&c, &all);
        let (compacted, changes, _) = compact(&c, &p);
        assert_eq!(compacted.statements[0].actions, ["ims:*:*"]);
        assert_eq!(changes.len(), 1);
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
}
