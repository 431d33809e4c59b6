//! Deterministic synthetic catalogs for benchmarks: many services in the same shape as the IMS
//! table, so speed can be measured at 100,000 operations. Not used by the tool itself.

use serde_json::{Value, json};

/// Twenty service names in the shape of Huawei Cloud's.
pub const SERVICES: [&str; 20] = [
    "ecs", "evs", "vpc", "obs", "rds", "elb", "cce", "dcs", "dms", "dns", "kms", "lts", "ces",
    "bms", "sfs", "cbr", "smn", "apig", "waf", "nat",
];

const RESOURCES: [(&str, &str, &str); 12] = [
    ("servers", "云服务器", "Server"),
    ("volumes", "云硬盘", "Volume"),
    ("snapshots", "快照", "Snapshot"),
    ("networks", "网络", "Network"),
    ("buckets", "桶", "Bucket"),
    ("instances", "实例", "Instance"),
    ("listeners", "监听器", "Listener"),
    ("clusters", "集群", "Cluster"),
    ("queues", "队列", "Queue"),
    ("records", "记录集", "Record Set"),
    ("keys", "密钥", "Key"),
    ("backups", "备份", "Backup"),
];

const VERBS: [(&str, &str, &str, &str); 6] = [
    ("list", "GET", "查询", "Querying"),
    ("get", "GET", "查询详情", "Querying Details of"),
    ("create", "POST", "创建", "Creating"),
    ("update", "PUT", "更新", "Updating"),
    ("delete", "DELETE", "删除", "Deleting"),
    ("tag", "POST", "标记", "Tagging"),
];

/// A small xorshift generator: the same numbers on every machine, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `total` operations spread over the [`SERVICES`], as one catalog document per service.
pub fn catalogs(total: usize) -> Vec<(String, Value)> {
    let per = total / SERVICES.len();
    let extra = total % SERVICES.len();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    SERVICES
        .iter()
        .enumerate()
        .map(|(s, service)| {
            let count = per + usize::from(s < extra);
            let ops: Vec<Value> = (0..count)
                .map(|k| operation(service, k, &mut rng))
                .collect();
            let doc = json!({
                "service": service,
                "source": {"title": format!("synthetic {service}"), "url": null, "retrieved": null},
                "operations": ops,
            });
            (service.to_string(), doc)
        })
        .collect()
}

fn operation(service: &str, k: usize, rng: &mut Rng) -> Value {
    let (res, res_zh, res_en) = RESOURCES[rng.below(RESOURCES.len() as u64) as usize];
    let (verb, method, verb_zh, verb_en) = VERBS[rng.below(VERBS.len() as u64) as usize];
    let version = 1 + rng.below(3);
    let path = match verb {
        "list" | "create" => format!("/v{version}/{{project_id}}/{res}/g{k}"),
        _ => format!("/v{version}/{{project_id}}/{res}/g{k}/{{{res}_id}}"),
    };
    let mut actions = vec![json!({"action": format!("{service}:{res}:{verb}"), "condition": null})];
    if rng.below(4) == 0 {
        actions.push(json!({"action": format!("{service}:{res}:get"), "condition": null}));
    }
    if rng.below(10) == 0 {
        actions.push(json!({
            "action": format!("{service}:tags:update"),
            "condition": {"zh": "仅添加标签时需要", "en": "only when adding tags"}
        }));
    }
    if verb == "get" {
        actions.truncate(1);
    }
    let prerequisites = if rng.below(20) == 0 {
        vec![
            json!({"zh": "请确保用户已拥有对象存储服务的Tenant Administrator权限。", "en": "Ensure that you have the Tenant Administrator permission of OBS.", "permission": {"zh": "对象存储服务（OBS）Tenant Administrator", "en": "OBS Tenant Administrator"}}),
        ]
    } else {
        vec![]
    };
    json!({
        "id": format!("{verb}-{res}-{k}"),
        "name": {"zh": format!("{verb_zh}{res_zh}{k}"), "en": format!("{verb_en} {res_en} {k}")},
        "method": method,
        "path": path,
        "description": {"en": format!("{verb_en} a {res_en} (synthetic).")},
        "actions": actions,
        "scopes": {"project": true, "enterprise_project": rng.below(3) != 0},
        "prerequisites": prerequisites,
        "deprecated": rng.below(25) == 0,
        "openstack_native": rng.below(5) == 0,
    })
}

/// Sections of a permission reference, as imported tables have them.
const SECTIONS: [(&str, &str); 6] = [
    ("生命周期管理", "Lifecycle Management"),
    ("标签管理", "Tag Management"),
    ("共享管理", "Sharing"),
    ("配额管理", "Quota Management"),
    ("任务管理", "Task Management"),
    ("规格管理", "Flavor Management"),
];

/// [`catalogs`] with everything an imported vendor table or a hand-written catalog can add, on
/// every operation: a section, dependent actions (wildcards and conditions among them), a
/// description in both languages, prerequisites on every fifth, and every seventh operation
/// sharing its route with the one before (as ECS's `…/action` does), told apart by its action.
pub fn rich_catalogs(total: usize) -> Vec<(String, Value)> {
    let mut docs = catalogs(total);
    for (service, doc) in &mut docs {
        let ops = doc["operations"].as_array_mut().expect("operations");
        for k in 0..ops.len() {
            if k % 7 == 6 {
                let (method, path) = (ops[k - 1]["method"].clone(), ops[k - 1]["path"].clone());
                ops[k]["method"] = method;
                ops[k]["path"] = path;
                ops[k]["actions"] =
                    json!([{"action": format!("{service}:servers:reboot{k}"), "condition": null}]);
            }
            let op = &mut ops[k];
            let (zh, en) = SECTIONS[k % SECTIONS.len()];
            op["section"] = json!({"zh": zh, "en": en});
            let en_name = op["name"]["en"].as_str().unwrap_or("").to_string();
            let zh_name = op["name"]["zh"].as_str().unwrap_or("").to_string();
            op["description"] = json!({
                "zh": format!("{zh_name}：合成的说明，用于测量。"),
                "en": format!("{en_name}: a synthetic description, for measuring."),
            });
            op["dependencies"] = json!([
                {"action": format!("{service}:tags:list"), "condition": null},
                {"action": "obs:bucket:*", "condition": {"zh": "仅从OBS导入时需要", "en": "only when importing from OBS"}},
                {"action": "kms:cmk:get", "condition": null},
            ]);
            if k % 5 == 0 {
                op["prerequisites"] = json!([
                    {"zh": "请确保用户已拥有对象存储服务的Tenant Administrator权限。", "en": "Ensure that you have the Tenant Administrator permission of OBS.", "permission": {"zh": "对象存储服务（OBS）Tenant Administrator", "en": "OBS Tenant Administrator"}, "condition": {"zh": "仅从OBS导入时需要", "en": "only when importing from OBS"}},
                ]);
            }
        }
    }
    docs
}

/// One line a operation, the texts the query matches, for feeding `fzf --filter` the same rows.
pub fn text_rows(docs: &[(String, Value)]) -> String {
    let mut out = String::new();
    for (service, doc) in docs {
        for op in doc["operations"].as_array().into_iter().flatten() {
            let actions: Vec<&str> = op["actions"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a["action"].as_str())
                .collect();
            out.push_str(&format!(
                "{service} {} {} {} {} {} {}\n",
                op["id"].as_str().unwrap_or(""),
                op["name"]["zh"].as_str().unwrap_or(""),
                op["name"]["en"].as_str().unwrap_or(""),
                actions.join(" "),
                op["method"].as_str().unwrap_or(""),
                op["path"].as_str().unwrap_or("")
            ));
        }
    }
    out
}

/// The catalogs loaded, as the tool would load them from files.
pub fn catalog(total: usize) -> crate::catalog::Catalog {
    let mut catalog = crate::catalog::Catalog::new();
    for (service, doc) in catalogs(total) {
        let text = doc.to_string();
        let parsed = crate::catalog::parse(&format!("{service}.json"), &text)
            .expect("synthetic catalogs are valid");
        catalog
            .add(parsed)
            .expect("synthetic catalogs do not clash");
    }
    catalog
}

#[cfg(test)]
mod tests {
    #[test]
    fn rich_catalogs_are_valid_and_rich() {
        let mut catalog = crate::catalog::Catalog::new();
        for (service, doc) in super::rich_catalogs(2000) {
            let parsed = crate::catalog::parse(&service, &doc.to_string()).unwrap();
            catalog.add(parsed).unwrap();
        }
        let ops = catalog.operations();
        assert_eq!(ops.len(), 2000);
        assert!(catalog.has_sections());
        assert!(ops.iter().all(|o| o.dependencies.len() == 3));
        // Shared routes stay separate operations.
        let shared = ops.windows(2).filter(|w| w[0].route == w[1].route).count();
        assert!(shared > 200, "{shared}");
    }

    #[test]
    fn deterministic_and_valid() {
        let a = super::catalogs(1000);
        let b = super::catalogs(1000);
        assert_eq!(a, b);
        let c = super::catalog(1000);
        assert_eq!(c.len(), 1000);
        assert_eq!(c.services().len(), 20);
    }
}
