//! `import`, end to end: every form of permission table Huawei has published, from small
//! fixtures written here (so `cargo test` covers every form without `../shared`), and every real
//! table in `../shared/vendor-tables/` when it is there (always in CI), field for field.

mod common;
use common::ims;
use ims_perms::catalog::{self, Catalog, Operation};
use std::path::{Path, PathBuf};

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/source/ims-permissions.zh.html"
);

/// Imports files; returns the catalog and stderr.
fn import(files: &[&Path], extra: &[&str]) -> (catalog::ParsedCatalog, String) {
    let out = ims()
        .arg("import")
        .args(files)
        .args(extra)
        .assert()
        .success()
        .get_output()
        .clone();
    let text = String::from_utf8(out.stdout).unwrap();
    (
        catalog::parse("imported.json", &text).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Imports a fixture's text.
fn import_text(name: &str, text: &str, extra: &[&str]) -> (catalog::ParsedCatalog, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    import(&[&path], extra)
}

/// A failing import: exit 2, nothing on stdout, one line on stderr (returned).
fn import_error(name: &str, text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let out = ims()
        .arg("import")
        .arg(&path)
        .assert()
        .code(2)
        .stdout("")
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    err.trim_end().replace(&path.display().to_string(), "FILE")
}

/// A file with `text` in a fresh folder (kept while the folder is).
fn dir_file(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// (action, condition in the table's language)
fn actions(op: &Operation) -> Vec<(String, Option<String>)> {
    op.actions
        .iter()
        .map(|a| {
            (
                a.action.to_string(),
                a.condition
                    .as_ref()
                    .map(|c| c.get(ims_perms::Lang::Zh).to_string()),
            )
        })
        .collect()
}

/// Compares an imported operation with the built-in one in every field a Chinese table carries.
fn same_as_builtin(got: &Operation, want: &Operation, names_exact: bool) {
    let at = &want.id;
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let name = got.name.zh.as_deref().unwrap_or("");
    let want_name = want.name.zh.as_deref().unwrap_or("");
    if names_exact {
        assert_eq!(name, want_name, "{at}: name");
    } else {
        assert_eq!(squeeze(name), squeeze(want_name), "{at}: name");
    }
    assert_eq!(got.name.en, None, "{at}: no English in a Chinese table");
    assert_eq!(
        (&got.method(), &got.path()),
        (&want.method(), &want.path()),
        "{at}"
    );
    assert_eq!(got.scopes, want.scopes, "{at}: scopes");
    assert_eq!(got.deprecated, want.deprecated, "{at}: deprecated");
    assert_eq!(got.openstack_native, want.openstack_native, "{at}: native");
    assert_eq!(actions(got), actions(want), "{at}: actions");
    let notes = |op: &Operation| -> Vec<Option<String>> {
        op.prerequisites.iter().map(|p| p.zh.clone()).collect()
    };
    assert_eq!(notes(got), notes(want), "{at}: notes");
    assert_eq!(
        got.section.as_ref().and_then(|s| s.zh.clone()),
        want.section.as_ref().and_then(|s| s.zh.clone()),
        "{at}: section"
    );
}

fn builtin_by_route(builtin: &Catalog, op: &Operation) -> Operation {
    builtin
        .operations()
        .iter()
        .find(|b| b.method() == op.method() && b.path() == op.path())
        .unwrap_or_else(|| panic!("{} {} is not built in", op.method(), op.path()))
        .clone()
}

#[test]
fn the_seed_imports_as_the_builtin_catalog() {
    let (imported, err) = import(&[Path::new(SEED)], &[]);
    assert_eq!(imported.info().service, "ims");
    assert_eq!(imported.info().source.title, "镜像管理");
    assert_eq!(
        err.trim(),
        "Imported 18 rows of service `ims` from 1 table in 1 file, 1 section (镜像管理)"
    );
    let builtin = Catalog::builtin().unwrap();
    assert_eq!(imported.operations().len(), 18);
    for (got, want) in imported.operations().iter().zip(builtin.operations()) {
        same_as_builtin(got, want, true);
    }
    // `import-html` is the same command.
    ims().args(["import-html", SEED]).assert().success();
}

// ---------------------------------------------------------------------------------------------
// Fixtures, one per form, written as Huawei writes them.

/// The 2022 Markdown form: actions run together, a note glued to the route, √ / x.
const MARKDOWN_2022: &str = "# 镜像管理<a name=\"ims_03_appendix_05\"></a>

|权限|对应API接口|授权项（Action）|IAM项目（Project）|企业项目（Enterprise Project）|
|--|--|--|--|--|
|更新镜像信息|PATCH /v2/cloudimages/{image_id}|ims:images:updateims:serverImages:create（仅企业项目迁移需要）|√|√|
|制作镜像|POST /v2/cloudimages/action外部文件制作镜像前请确保用户已拥有对象存储服务的Tenant Administrator权限。|ims:serverImages:create|√|√|
|查询版本(OpenStack原生）|GET /|无|√|x|

# 镜像共享<a name=\"ims_03_appendix_08\"></a>

|权限|对应API接口|授权项（Action）|IAM项目（Project）|企业项目（Enterprise Project）|
|--|--|--|--|--|
|添加镜像成员（OpenStack原生）|POST /v2/images/{image_id}/members|ims:images:getims:images:share|√|x|
";

#[test]
fn markdown_tables_with_run_together_actions_and_sections() {
    let (c, err) = import_text("appendix.md", MARKDOWN_2022, &[]);
    assert!(
        err.contains("from 2 tables in 1 file, 2 sections (镜像管理, 镜像共享)"),
        "{err}"
    );
    let ops = c.operations();
    assert_eq!(ops.len(), 4);
    assert_eq!(
        actions(&ops[0]),
        [
            ("ims:images:update".into(), None),
            (
                "ims:serverImages:create".into(),
                Some("仅企业项目迁移需要".into())
            )
        ]
    );
    assert_eq!(ops[1].path(), "/v2/cloudimages/action");
    assert_eq!(
        ops[1].prerequisites[0].zh.as_deref(),
        Some("外部文件制作镜像前请确保用户已拥有对象存储服务的Tenant Administrator权限。")
    );
    assert!(ops[2].actions.is_empty());
    let scopes = ops[2].scopes.unwrap();
    assert!(scopes.project && !scopes.enterprise_project);
    assert_eq!(
        ops[3].section.as_ref().unwrap().zh.as_deref(),
        Some("镜像共享")
    );
    assert_eq!(
        actions(&ops[3]),
        [
            ("ims:images:get".into(), None),
            ("ims:images:share".into(), None)
        ]
    );
}

/// IMS 2018: API first, 授权作用域 with `不支持` outside the list, `<p>` per action.
const API_FIRST_4COL: &str = r#"<h1>镜像配额</h1><table><thead><tr><th><p>API</p></th><th><p>API功能</p></th><th><p>授权项</p></th><th><p>授权作用域</p></th></tr></thead>
<tbody><tr><td><p>GET /v1/cloudimages/quota</p></td><td><p>查询镜像配额</p></td><td><p>ims:quotas:get</p></td>
<td><ul><li>支持：<p>项目(Project)</p><p>企业项目(Enterprise Project)</p></li></ul><p></p><p>不支持：无</p></td></tr>
<tr><td><p>POST /v1/cloudimages/{image_id}/cross_region_copy</p></td><td><p>跨Region复制镜像</p></td><td><p>ims:images:copy</p></td>
<td><ul><li>支持：<p>项目(Project)</p></li><li>不支持：<p>企业项目(Enterprise Project)</p></li></ul></td></tr></tbody></table>"#;

#[test]
fn api_first_tables_with_a_scope_column() {
    let (c, _) = import_text("quota.html", API_FIRST_4COL, &[]);
    let ops = c.operations();
    assert_eq!(ops[0].name.zh.as_deref(), Some("查询镜像配额"));
    assert_eq!(ops[0].route_text(), "GET /v1/cloudimages/quota");
    let s = ops[0].scopes.unwrap();
    assert!(s.project && s.enterprise_project);
    let s = ops[1].scopes.unwrap();
    assert!(s.project && !s.enterprise_project);
    assert_eq!(
        ops[0].section.as_ref().unwrap().zh.as_deref(),
        Some("镜像配额")
    );
}

/// ECS, no scope column, another service's action in the row, and a second table on the page
/// that is not a permission table.
const THREE_COL_ECS: &str = r#"<h2>可用分区管理</h2><table><thead><tr><th>API</th><th>API功能</th><th>授权项</th></tr></thead>
<tbody><tr><td><p>GET /v2/{tenant_id}/os-availability-zone</p></td><td><p>查询可用分区列表（OpenStack原生）</p></td><td><ul><li>ecs:availabilityZones:list</li></ul></td></tr>
<tr><td><p>POST /v1/{project_id}/cloudservers/{server_id}/nics</p></td><td><p>批量添加云服务器网卡</p></td><td><p>ecs:cloudServers:addNics</p><p>vpc:ports:create</p><p>vpc:subnets:get</p></td></tr></tbody></table>
<h2>参数说明</h2><table><tr><th>参数</th><th>类型</th></tr><tr><td>id</td><td>string</td></tr></table>"#;

#[test]
fn tables_without_scopes_say_not_documented() {
    let (c, err) = import_text("ecs.html", THREE_COL_ECS, &[]);
    assert!(
        err.contains("skipped 1 table that is not a permission table"),
        "{err}"
    );
    assert_eq!(c.info().service, "ecs");
    let ops = c.operations();
    assert!(ops.iter().all(|o| o.scopes.is_none()));
    assert_eq!(
        actions(&ops[1]),
        [
            ("ecs:cloudServers:addNics".into(), None),
            ("vpc:ports:create".into(), None),
            ("vpc:subnets:get".into(), None)
        ]
    );
    // Loaded, the scope is `?`, and the composer never says "yes".
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ecs.json");
    std::fs::write(&file, ims_perms::import::to_json(&c)).unwrap();
    let f = file.to_str().unwrap();
    let out = ims().args(["--catalog", f, "list"]).output().unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.lines()
            .any(|l| l.contains("/os-availability-zone") && l.contains(" ?  ")),
        "{out}"
    );
    let out = ims()
        .args([
            "--catalog",
            f,
            "compose",
            "ecs:get-v2-tenant-id-os-availability-zone",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("Project: unknown: the permission table does not say for get-v2-tenant-id-os-availability-zone"),
        "{err}"
    );
    assert!(!err.contains("Project: yes"), "{err}");
    // The VPC actions the row needs are evaluated like any other.
    let policy = dir.path().join("p.json");
    std::fs::write(
        &policy,
        r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ecs:cloudServers:addNics"]}]}"#,
    )
    .unwrap();
    let out = ims()
        .args(["--no-builtin", "--catalog", f, "explain"])
        .arg(&policy)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("partial          POST /v1/{project_id}/cloudservers/{server_id}/nics")
            && text.contains("missing vpc:ports:create, vpc:subnets:get"),
        "{text}"
    );
}

/// ECS with dependencies, √ / ×, and several permissions on one route.
const SIX_COL_ECS: &str = r#"<h1>云服务器生命周期管理</h1><table><thead><tr><th><p>权限</p></th><th><p>对应的API接口</p></th><th><p>授权项（Action）</p></th><th><p>依赖的授权项</p></th><th><p>IAM项目</p><p>(Project)</p></th><th><p>企业项目</p><p>(Enterprise Project)</p></th></tr></thead>
<tbody><tr><td><p>创建镜像（OpenStack原生）</p></td><td><p>POST /v2.1/{project_id}/servers/{server_id}/action</p></td><td><p>ecs:servers:createImage</p></td><td><p>evs:volumes:get</p><p>ims:images:create</p></td><td><p>√</p></td><td><p>×</p></td></tr>
<tr><td><p>启动云服务器（OpenStack原生）</p></td><td><p>POST /v2.1/{project_id}/servers/{server_id}/action</p></td><td><p>ecs:cloudServers:start</p></td><td><p>-</p></td><td><p>√</p></td><td><p>√</p></td></tr></tbody></table>"#;

#[test]
fn dependencies_and_shared_routes() {
    let (c, _) = import_text("ecs-lifecycle.html", SIX_COL_ECS, &[]);
    let ops = c.operations();
    assert_eq!(
        ops.len(),
        2,
        "two permissions on one route stay two operations"
    );
    assert_eq!(
        ops[0].id,
        "post-v2-1-project-id-servers-server-id-action-servers-createimage"
    );
    assert_eq!(
        ops[1].id,
        "post-v2-1-project-id-servers-server-id-action-cloudservers-start"
    );
    let deps: Vec<&str> = ops[0]
        .dependencies
        .iter()
        .map(|d| d.action.as_ref())
        .collect();
    assert_eq!(deps, ["evs:volumes:get", "ims:images:create"]);
    assert!(ops[1].dependencies.is_empty());
    let s = ops[0].scopes.unwrap();
    assert!(s.project && !s.enterprise_project);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ecs.json");
    std::fs::write(&file, ims_perms::import::to_json(&c)).unwrap();
    let f = file.to_str().unwrap();
    // lookup lists both; compose with the route asks which.
    let route = "POST /v2.1/abc/servers/def/action";
    let out = ims()
        .args(["--catalog", f, "lookup", route])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("servers-createimage") && text.contains("cloudservers-start"),
        "{text}"
    );
    let out = ims()
        .args(["--catalog", f, "compose", route])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("is the route of 2 permissions (the request body says which); give the id of one: post-v2-1-project-id-servers-server-id-action-servers-createimage (创建镜像（OpenStack原生）), post-v2-1-project-id-servers-server-id-action-cloudservers-start"),
        "{err}"
    );
}

/// Open Telekom Cloud's English form: Y / x, N/A, `-` for no dependencies, nested lists where
/// a conditional action's dependencies carry its condition.
const OTC_EN: &str = r#"<section><h2>Image Replication</h2><table><thead><tr><th>Permission</th><th>API</th><th>Action</th><th>Dependencies</th><th>IAM Project</th><th>Enterprise Project</th></tr></thead>
<tbody><tr><td><p>Replicating an Image Within a Region</p></td><td><p>POST /v1/cloudimages/{image_id}/copy</p></td>
<td><ul><li><p>ims:images:copy</p></li><li><p>ims:serverImages:create (required only for users who have enabled enterprise projects)</p></li></ul></td>
<td><ul><li><p>ims:images:copy</p><p>obs:bucket:*</p></li><li><p>ims:serverImages:create (required only for users who have enabled enterprise projects)</p><p>kms:<span>*</span>:*</p></li></ul></td>
<td><p>Y</p></td><td><p>Y</p></td></tr>
<tr><td><p>Querying API Versions</p></td><td><p>GET /</p></td><td><p>N/A</p></td><td><p>-</p></td><td><p>Y</p></td><td><p>x</p></td></tr></tbody></table></section>"#;

#[test]
fn english_tables_with_nested_dependencies() {
    let (c, err) = import_text("otc.en.html", OTC_EN, &[]);
    assert!(err.contains("1 section (Image Replication)"), "{err}");
    let ops = c.operations();
    assert_eq!(
        ops[0].name.en.as_deref(),
        Some("Replicating an Image Within a Region")
    );
    assert_eq!(
        ops[0].section.as_ref().unwrap().en.as_deref(),
        Some("Image Replication")
    );
    assert_eq!(
        ops[0].actions[1].condition.as_ref().unwrap().en.as_deref(),
        Some("required only for users who have enabled enterprise projects")
    );
    let deps: Vec<(&str, bool)> = ops[0]
        .dependencies
        .iter()
        .map(|d| (d.action.as_ref(), d.condition.is_some()))
        .collect();
    assert_eq!(deps, [("obs:bucket:*", false), ("kms:*:*", true)]);
    assert!(ops[1].actions.is_empty() && ops[1].dependencies.is_empty());
}

#[test]
fn several_files_make_one_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.md");
    let b = dir.path().join("b.html");
    std::fs::write(&a, MARKDOWN_2022).unwrap();
    std::fs::write(&b, API_FIRST_4COL).unwrap();
    let (c, err) = import(&[&a, &b], &[]);
    assert_eq!(c.operations().len(), 6);
    assert!(
        err.contains("Imported 6 rows of service `ims` from 3 tables in 2 files, 3 sections (镜像管理, 镜像共享, 镜像配额)"),
        "{err}"
    );
    // Standard input is one of them.
    let out = ims()
        .args(["import", "-"])
        .arg(&b)
        .pipe_stdin(&a)
        .unwrap()
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let c = catalog::parse("x.json", &String::from_utf8(out).unwrap()).unwrap();
    assert_eq!(c.operations().len(), 6);
}

#[test]
fn broken_tables_name_the_file_table_row_and_cell() {
    let seed = std::fs::read_to_string(SEED).unwrap();
    let cases = [
        (
            seed.replace("<li>不支持：无</li>", "<li>也许：无</li>")
                .replacen("<li>支持：", "<li>也许：", 1),
            "FILE, table 1, row 1, cell 授权范围: ",
        ),
        (
            MARKDOWN_2022.replace("|√|√|\n|制作镜像", "|√|maybe|\n|制作镜像"),
            "FILE, table 1, row 1, cell 企业项目（Enterprise Project）: \"maybe\": expected √ / x",
        ),
        (
            MARKDOWN_2022.replace(
                "|--|--|--|--|--|\n|更新镜像信息|",
                "|--|--|--|--|--|\n|更新镜像信息|PATCH|",
            ),
            "FILE, table 1, row 1: 6 cells, expected 5 as in the header",
        ),
        (
            API_FIRST_4COL.replace("<th><p>授权项</p></th>", "<th><p>说明</p></th>"),
            "FILE, table 1: the header (API | API功能 | 说明 | 授权作用域) has no action (授权项 / Action) column; expected a permission table",
        ),
    ];
    // Two routes in one cell (a v1 and a v2 of one API): an operation each, said.
    let two = dir_file(
        "two.md",
        &MARKDOWN_2022.replace("|GET /|无|", "|GET /v2/versions 或 GET /v1/versions|无|"),
    );
    let out = ims().arg("import").arg(&two.1).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("table 1, row 3, cell 对应API接口: warning: 2 API routes in one cell: one operation each"), "{err}");
    let catalog: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let versions: Vec<&str> = catalog["operations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["path"].as_str())
        .filter(|p| p.ends_with("/versions"))
        .collect();
    assert_eq!(versions, ["/v2/versions", "/v1/versions"]);
    // The same permission twice (name, route and actions; the name in either width of
    // bracket) is kept once, said; another name on the same route is another permission.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("table.md");
    std::fs::write(
        &path,
        MARKDOWN_2022.replace(
            "|添加镜像成员（OpenStack原生）|",
            "|查询版本(OpenStack原生）|GET /|无|√|x|\n|查询API版本|GET /|无|√|x|\n|添加镜像成员（OpenStack原生）|",
        ),
    )
    .unwrap();
    let out = ims().arg("import").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr)
        .unwrap()
        .replace(&path.display().to_string(), "FILE");
    assert!(
        err.contains("FILE, table 2, row 1: warning: GET / is also FILE, table 1, row 3, with the same name and actions: the same permission twice, kept once"),
        "{err}"
    );
    let catalog: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let roots = catalog["operations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["path"] == "/")
        .count();
    assert_eq!(roots, 2, "the repeat dropped, the other name kept");
    for (text, expected) in cases {
        let line = import_error("table.html", &text);
        assert!(
            line.starts_with(&format!("ims-perms: {expected}")),
            "{line}\n  expected: {expected}"
        );
    }
    let line = import_error("empty.html", "<p>no table here</p>");
    assert!(
        line.contains("FILE: no table found (expected a permission table"),
        "{line}"
    );
    let line = import_error(
        "params.html",
        "<table><tr><th>Parameter</th><th>Type</th></tr><tr><td>id</td><td>string</td></tr></table>",
    );
    assert!(
        line.contains("no permission table among its 1 table"),
        "{line}"
    );
}

#[test]
fn an_imported_catalog_is_usable_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ims-imported.json");
    let out = ims()
        .args(["import", "-"])
        .pipe_stdin(SEED)
        .unwrap()
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    std::fs::write(&path, out).unwrap();
    let p = path.to_str().unwrap();
    // Shown in the language it has.
    let out = ims()
        .args(["--no-builtin", "--catalog", p, "search", "a:export"])
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.contains("post-v1-cloudimages-image-id-file") && out.contains("导出镜像"),
        "{out}"
    );
    // With the built-in catalog too, the same routes with the same actions clash.
    let out = ims().args(["--catalog", p, "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("duplicate path `GET /v2/cloudimages`")
    );
}

// ---------------------------------------------------------------------------------------------
// Real tables, when `../shared` is there (always in CI).

fn vendor(rel: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/vendor-tables")
        .join(rel);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{} is missing in CI", path.display());
    }
    eprintln!("skipped: {} not found", path.display());
    None
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_vendor_file_imports_alone() {
    let Some(root) = vendor("") else { return };
    let mut seen = 0;
    for folder in ["forms", "huawei-ims-2019", "huawei-ims-2022"] {
        for file in files_in(&root.join(folder)) {
            // A table whose rows need no action names no service: the loaded catalog with
            // its routes does, and the import says so.
            let (c, err) = import(&[&file], &[]);
            assert!(!c.operations().is_empty(), "{}", file.display());
            if file.to_string_lossy().contains("schemas") {
                assert_eq!(c.info().service, "ims");
                assert!(
                    err.contains("warning: no action names a service: taken as `ims`, whose loaded catalog has all 4 routes"),
                    "{err}"
                );
                // Without a catalog that has them, the service must be given.
                let out = ims()
                    .args(["--no-builtin", "import"])
                    .arg(&file)
                    .output()
                    .unwrap();
                assert_eq!(out.status.code(), Some(2));
                assert!(out.stdout.is_empty());
                let stderr = String::from_utf8_lossy(&out.stderr);
                assert!(stderr.contains("give --service NAME"), "{stderr}");
            }
            seen += 1;
        }
    }
    assert_eq!(seen, 16, "every vendor table file");
}

#[test]
fn the_2019_edition_and_the_seed_are_the_builtin_catalog() {
    let Some(dir) = vendor("huawei-ims-2019") else {
        return;
    };
    let mut files = files_in(&dir);
    files.insert(0, PathBuf::from(SEED));
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let (c, err) = import(&paths, &[]);
    assert_eq!(c.operations().len(), 37);
    assert!(
        err.contains("6 sections (镜像管理, 镜像标签, 镜像视图, 镜像共享, 镜像复制, 镜像配额)"),
        "{err}"
    );
    let builtin = Catalog::builtin().unwrap();
    for got in c.operations() {
        same_as_builtin(got, &builtin_by_route(&builtin, got), true);
    }
}

#[test]
fn the_2022_edition_is_the_builtin_catalog() {
    let Some(dir) = vendor("huawei-ims-2022") else {
        return;
    };
    let files = files_in(&dir);
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let (c, _) = import(&paths, &[]);
    assert_eq!(c.operations().len(), 43, "every IMS permission");
    let builtin = Catalog::builtin().unwrap();
    for got in c.operations() {
        // The 2022 edition drops one space in one name (查询镜像详情（OpenStack原生v1.1…）).
        same_as_builtin(got, &builtin_by_route(&builtin, got), false);
    }
}

#[test]
fn the_forms_read_field_for_field() {
    let Some(forms) = vendor("forms") else { return };
    let (c, _) = import(&[&forms.join("six-col-dependencies-ecs.zh.html")], &[]);
    let op = &c.operations()[0];
    assert_eq!(
        op.route_text(),
        "POST /v2.1/{project_id}/servers/{server_id}/action"
    );
    assert_eq!(actions(op), [("ecs:servers:createImage".into(), None)]);
    let deps: Vec<&str> = op.dependencies.iter().map(|d| d.action.as_ref()).collect();
    assert_eq!(
        deps,
        [
            "evs:volumes:get",
            "evs:snapshots:create",
            "ims:images:create",
            "ims:images:get",
            "ims:images:list",
            "ims:images:update",
            "ims:images:delete"
        ]
    );
    let (c, _) = import(&[&forms.join("api-first-3col-ecs.zh.html")], &[]);
    assert_eq!(c.operations()[0].scopes, None);
    let (c, _) = import(&[&forms.join("otc-replication.en.html")], &[]);
    let op = &c.operations()[0];
    assert_eq!(op.dependencies.len(), 13);
    let builtin = Catalog::builtin().unwrap();
    let copy = &builtin.operations()[builtin.find_id("copy-image")[0]];
    assert_eq!(
        op.actions.iter().map(|a| &a.action).collect::<Vec<_>>(),
        copy.actions.iter().map(|a| &a.action).collect::<Vec<_>>()
    );
    for name in ["api-first-4col.zh.html", "otc-quota.en.html"] {
        let (c, _) = import(&[&forms.join(name)], &[]);
        let op = &c.operations()[0];
        assert_eq!(op.route_text(), "GET /v1/cloudimages/quota", "{name}");
        assert_eq!(actions(op), [("ims:quotas:get".into(), None)], "{name}");
        let s = op.scopes.unwrap();
        assert!(s.project && s.enterprise_project, "{name}");
    }
}

#[test]
fn service_names_in_any_case_note_titles_and_unread_columns() {
    let text = MARKDOWN_2022
        .replace("|ims:serverImages:create|√|√|", "|IMS:serverImages:create|√|√|")
        .replace("action外部文件制作", "action说明：外部文件制作")
        .replace(
            "|权限|对应API接口|授权项（Action）|IAM项目（Project）|企业项目（Enterprise Project）|\n|--|--|--|--|--|\n|更新",
            "|权限|对应API接口|授权项（Action）|IAM项目（Project）|企业项目（Enterprise Project）|备注|\n|--|--|--|--|--|--|\n|更新",
        )
        .replace("|√|√|\n|制作镜像", "|√|√|-|\n|制作镜像")
        .replace("|√|√|\n|查询版本", "|√|√|-|\n|查询版本")
        .replace("|√|x|\n\n# 镜像共享", "|√|x|-|\n\n# 镜像共享");
    let (parsed, report) = import_text("table.md", &text, &[]);
    let create = parsed
        .operations()
        .iter()
        .find(|o| o.path() == "/v2/cloudimages/action")
        .unwrap()
        .clone();
    // IAM's service names are lower case, whatever the table wrote.
    assert_eq!(
        actions(&create),
        [("ims:serverImages:create".to_string(), None)]
    );
    // The note's title is not part of the note.
    let note = create.prerequisites[0].zh.clone().unwrap();
    assert!(note.starts_with("外部文件制作"), "{note}");
    // A column the tool does not read is named, not dropped unsaid.
    assert!(report.contains("备注"), "{report}");
}

#[test]
fn merged_cells_are_read_in_every_row_they_cover() {
    // One permission over two APIs, and one action cell for both (rowspan), as pages merge them.
    let html = r#"<table>
<tr><th>权限</th><th>对应API接口</th><th>授权项</th><th>IAM项目(Project)</th><th>企业项目(Enterprise Project)</th></tr>
<tr><td rowspan="2">查询镜像</td><td>GET /v2/cloudimages</td><td rowspan="2">ims:images:list</td><td colspan="2">√</td></tr>
<tr><td>GET /v1/cloudimages/tags</td><td>√</td><td>x</td></tr>
<tr><td>删除镜像</td><td>DELETE /v2/images/{image_id}</td><td>ims:images:delete</td><td>√</td><td>x</td></tr>
</table>"#;
    let (parsed, _) = import_text("merged.html", html, &["--service", "ims"]);
    // name, route, actions, scopes (project, enterprise project)
    let got: Vec<String> = parsed
        .operations()
        .iter()
        .map(|o| {
            let scopes = o.scopes.as_ref().unwrap();
            format!(
                "{} {} {} {}/{}",
                o.name.zh.clone().unwrap_or_default(),
                o.route_text(),
                o.actions
                    .iter()
                    .map(|a| a.action.as_ref())
                    .collect::<Vec<_>>()
                    .join(","),
                scopes.project,
                scopes.enterprise_project
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "查询镜像 GET /v2/cloudimages ims:images:list true/true",
            "查询镜像 GET /v1/cloudimages/tags ims:images:list true/false",
            "删除镜像 DELETE /v2/images/{image_id} ims:images:delete true/false",
        ]
    );
}

#[test]
fn a_control_character_is_named_by_file_table_row_and_cell() {
    let table = "| 权限 | 对应API接口 | 授权项 | IAM项目(Project) | 企业项目(Enterprise Project) |\n\
                 | --- | --- | --- | --- | --- |\n\
                 | 查询 | GET /v1/{project_id}/a | svc:a:get | √ | √ |\n\
                 | 查\u{1b}[31m询 | GET /v1/{project_id}/b | svc:b:get | √ | √ |\n";
    assert_eq!(
        import_error("esc.md", table),
        "ims-perms: FILE, table 1, row 2, cell 权限: control character \\u{1b} in \"查\\u{1b}[31m询\""
    );
}

/// Cells that used to refuse the whole file are kept as far as they can be read, and said: an
/// action cell with no readable action is "actions not documented" (never "needs no action"),
/// a route cell without a route or with a wildcard makes an operation without a route.
#[test]
fn unreadable_cells_are_kept_and_said() {
    let seed = std::fs::read_to_string(SEED).unwrap();
    let text = seed
        .replace("<li>ims:images:export</li>", "<li>导出</li>")
        .replace(
            "PUT /v2/images/{image_id}/file",
            "仅支持Console调用，API方式不支持",
        )
        .replace("GET /v2/images/{image_id}<", "GET /v2/images/*<");
    let (dir, path) = dir_file("seed.html", &text);
    let out = ims().arg("import").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr)
        .unwrap()
        .replace(&path.display().to_string(), "FILE");
    for said in [
        "FILE, table 1, row 8, cell 授权项: warning: no action can be read from \"导出\" (\"导出\" is not an action of the form service:resourceType:action): kept as \"actions not documented\"",
        "FILE, table 1, row 14, cell 对应API接口: warning: no API route in \"仅支持Console调用，API方式不支持\": kept as an operation without a route",
        "cell 对应API接口: warning: \"GET /v2/images/*\" is a wildcard, not one API route: kept as the note of an operation without a route",
    ] {
        assert!(err.contains(said), "{said}\n{err}");
    }
    let catalog_file = dir.path().join("c.json");
    std::fs::write(&catalog_file, &out.stdout).unwrap();
    let c = catalog::parse("c.json", std::str::from_utf8(&out.stdout).unwrap()).unwrap();
    let export = c
        .operations()
        .iter()
        .find(|o| o.route_text() == "POST /v1/cloudimages/{image_id}/file")
        .unwrap();
    assert!(export.actions.is_empty());
    assert_eq!(
        export
            .actions_not_documented
            .as_ref()
            .unwrap()
            .zh
            .as_deref(),
        Some("导出")
    );
    let upload = c
        .operations()
        .iter()
        .find(|o| {
            o.route_note
                .as_ref()
                .is_some_and(|n| n.zh.as_deref() == Some("仅支持Console调用，API方式不支持"))
        })
        .unwrap();
    assert!(upload.route.is_none());
    let schema = c
        .operations()
        .iter()
        .find(|o| {
            o.route_note
                .as_ref()
                .is_some_and(|n| n.zh.as_deref() == Some("GET /v2/images/*"))
        })
        .unwrap();
    assert!(schema.route.is_none());

    // The catalog loads, and each front end says what it knows and no more.
    let with = |args: &[&str]| {
        ims()
            .args(["--no-builtin", "--catalog"])
            .arg(&catalog_file)
            .args(args)
            .output()
            .unwrap()
    };
    // Not composed as needing nothing: refused, named.
    let out = with(&["compose", &export.id]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "the permission table does not document the actions of {}",
            export.id
        )),
        "{stderr}"
    );
    // Composed by id without a route; its detail says there is none.
    let out = with(&["compose", &upload.id]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("ims:images:upload"));
    let out = with(&["list"]);
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(
        list.lines()
            .any(|l| l.starts_with(&upload.id) && l.contains("(no API route)")),
        "{list}"
    );
    assert!(
        list.lines()
            .any(|l| l.starts_with(&export.id) && l.contains(" ? ")),
        "{list}"
    );
    // Found by search through what the table says instead of a route.
    let out = with(&["search", "仅支持Console"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains(&upload.id));
    // lookup finds no route-less operation (its old route is no route now).
    let out = with(&["lookup", "PUT /v2/images/abc/file"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    // explain and simulate give no verdict on undocumented actions.
    let policy = dir.path().join("p.json");
    std::fs::write(
        &policy,
        r#"{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["ims:*:*"]}]}"#,
    )
    .unwrap();
    let out = with(&["explain", policy.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines()
            .any(|l| l.contains("actions not documented") && l.contains(&export.id)),
        "{text}"
    );
    assert!(
        text.contains("1 with actions not documented (no verdict)"),
        "{text}"
    );
    let out = with(&["simulate", policy.to_str().unwrap(), &export.id]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("unknown: the permission table does not document this operation's actions"),
        "{text}"
    );
    assert_ne!(out.status.code(), Some(0));
}

#[test]
fn complete_marks_the_catalog() {
    let table = "| 权限 | 对应API接口 | 授权项 | IAM项目(Project) | 企业项目(Enterprise Project) |\n\
                 | --- | --- | --- | --- | --- |\n\
                 | 查询 | GET /v1/{project_id}/a | svc:a:get | √ | √ |\n";
    let (plain, _) = import_text("t.md", table, &[]);
    assert!(!plain.info().complete);
    let (vouched, _) = import_text("t.md", table, &["--complete"]);
    assert!(vouched.info().complete);
}

/// The operation of `c` on this route (the first, when several share it).
fn on_route<'a>(c: &'a catalog::ParsedCatalog, method: &str, path: &str) -> Vec<&'a Operation> {
    c.operations()
        .iter()
        .filter(|o| o.method() == method && o.path() == path)
        .collect()
}

#[test]
fn real_tables_of_other_services_import_quirk_by_quirk() {
    let Some(real) = vendor("real") else { return };
    // Every real page imports (warnings allowed).
    let mut seen = 0;
    for service in files_in(&real) {
        for file in files_in(&service) {
            let (c, _) = import(&[&file], &[]);
            assert!(!c.operations().is_empty(), "{}", file.display());
            seen += 1;
        }
    }
    assert!(seen >= 81, "{seen} real files");
    // And each service's pages together, both editions: a repeat (parameter names aside,
    // `{tenant_id}` is `{project_id}`) is kept once, with the narrower scopes.
    for service in files_in(&real) {
        let files = files_in(&service);
        let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
        let (c, _) = import(&paths, &[]);
        assert!(!c.operations().is_empty(), "{}", service.display());
    }
    // Rows that name an operation instead of a route (OBS): operations without a route, the
    // text kept as their route note, ids from their actions, said row by row.
    let (c, err) = import(&[&real.join("obs/桶相关授权项.md")], &[]);
    assert_eq!(c.operations().len(), 50);
    assert!(c.operations().iter().all(|o| o.route.is_none()));
    let first = &c.operations()[0];
    assert_eq!(first.id, "bucket-listallmybuckets");
    assert_eq!(
        first.route_note.as_ref().unwrap().zh.as_deref(),
        Some("获取桶列表")
    );
    assert!(
        err.contains("table 1, row 1, cell 对应API接口: warning: no API route in \"获取桶列表\": kept as an operation without a route"),
        "{err}"
    );
    // Run-together operation names in the API cell, with a route-less row's actions.
    let (c, _) = import(&[&real.join("obs/对象相关授权项.md")], &[]);
    let put = c
        .operations()
        .iter()
        .find(|o| {
            o.actions
                .iter()
                .any(|a| &*a.action == "obs:object:PutObject")
        })
        .unwrap();
    assert!(put.route.is_none());

    // A query template with spaces and a query string: dropped from the route, kept in the note.
    let (c, err) = import(&[&real.join("as/20181203-弹性伸缩策略（API授权）.md")], &[]);
    let op = on_route(&c, "GET", "/autoscaling-api/v3/{project_id}/scaling_policy")[0];
    assert!(
        op.prerequisites[0]
            .zh
            .as_deref()
            .unwrap()
            .starts_with("query: {?scaling_resource_id,")
    );
    assert!(
        err.contains("table 1, row 10, cell API: warning: query \"{?scaling_resource_id,"),
        "{err}"
    );
    // A missing brace, a parameter glued to its segment, a trailing slash.
    let (c, err) = import(&[&real.join("cbr/20200708-CBR授权项分类.md")], &[]);
    assert_eq!(
        on_route(&c, "GET", "/v3/{project_id}/replication_capabilities").len(),
        1
    );
    assert!(
        err.contains("warning: a brace missing in \"{project_id\": put back"),
        "{err}"
    );
    let (c, _) = import(&[&real.join("modelarts/训练作业权限.md")], &[]);
    assert_eq!(
        on_route(
            &c,
            "POST",
            "/v1/{project_id}/training-jobs/{job_id}/versions"
        )
        .len(),
        1
    );
    let (c, _) = import(&[&real.join("elb/SSL证书管理-37.md")], &[]);
    assert!(
        c.operations()
            .iter()
            .all(|o| !o.path().ends_with('/') || o.path() == "/")
    );
    // A label before an action is its condition.
    let (c, _) = import(&[&real.join("evs/20181210-API授权项列表.md")], &[]);
    let create = on_route(&c, "POST", "/v2/{project_id}/volumes")[0];
    let labelled = create
        .actions
        .iter()
        .find(|a| &*a.action == "evs:volumes:create")
        .unwrap();
    assert_eq!(
        labelled.condition.as_ref().unwrap().zh.as_deref(),
        Some("创空白云硬盘")
    );
    // Several permissions on one route with the same actions: kept, names told apart.
    let (c, _) = import(&[&real.join("evs/云硬盘Actions.md")], &[]);
    assert!(on_route(&c, "POST", "/v2/{project_id}/volumes/{volume_id}/action").len() >= 5);
    // Two parameters in one segment, three permissions on that route.
    let (c, err) = import(&[&real.join("dns/PTR管理.md")], &[]);
    assert_eq!(
        on_route(
            &c,
            "PATCH",
            "/v2/reverse/floatingips/{region_floatingip_id}"
        )
        .len(),
        3
    );
    assert!(
        err.contains("two parameters in one segment \"{region}:{floatingip_id}\""),
        "{err}"
    );
    // Wildcards in the action cell are dependencies; header words 用途 / 接口 read.
    let (c, err) = import(&[&real.join("dns/20191210-分类.md")], &[]);
    let zone = on_route(&c, "POST", "/v2/zones")[0];
    assert_eq!(
        zone.actions.iter().map(|a| &*a.action).collect::<Vec<_>>(),
        ["dns:zone:create"]
    );
    assert!(zone.dependencies.iter().any(|d| &*d.action == "vpc:*:get*"));
    // A category column (分类) is each row's section.
    assert_eq!(
        zone.section.as_ref().unwrap().zh.as_deref(),
        Some("Zone管理")
    );
    assert!(
        err.contains("6 sections (Zone管理, Record Set管理"),
        "{err}"
    );
    assert!(!err.contains("not read"), "{err}");
    // 无需授权 is no action; a condition on a line of its own is the previous action's.
    let (c, _) = import(&[&real.join("rds/RDS授权分类.md")], &[]);
    let create = &on_route(&c, "POST", "/v3/{project_id}/instances")[0];
    assert!(create.actions.iter().any(|a| {
        a.condition
            .as_ref()
            .is_some_and(|c| c.zh.as_deref().unwrap_or("").contains("KMS Administrator"))
    }));
}

/// Actions as people write them: capitals in the service, a stray space after a colon,
/// underscores, a label before the action, and an action missing its service (given the
/// table's one service, said).
#[test]
fn actions_as_people_write_them() {
    let table = "| 权限 | 对应API接口 | 授权项 | IAM项目(Project) | 企业项目(Enterprise Project) |\n\
                 | --- | --- | --- | --- | --- |\n\
                 | 查询 | GET /v1/{project_id}/a | ECS:cloudServers:list | √ | √ |\n\
                 | 修改 | PUT /v1/{project_id}/a | ecs: cloudServers :update | √ | √ |\n\
                 | 标签 | GET /v1/{project_id}/tags | ecs:server_tags:list_all | √ | √ |\n\
                 | 创建 | POST /v1/{project_id}/a | 创建空白云服务器：ecs:cloudServers:create | √ | √ |\n\
                 | 删除 | DELETE /v1/{project_id}/a | cloudServers:delete | √ | √ |\n";
    let (c, err) = import_text("t.md", table, &[]);
    let got: Vec<Vec<(String, Option<String>)>> = c.operations().iter().map(actions).collect();
    assert_eq!(
        got,
        [
            vec![("ecs:cloudServers:list".to_string(), None)],
            vec![("ecs:cloudServers:update".to_string(), None)],
            vec![("ecs:server_tags:list_all".to_string(), None)],
            vec![(
                "ecs:cloudServers:create".to_string(),
                Some("创建空白云服务器".to_string())
            )],
            vec![("ecs:cloudServers:delete".to_string(), None)],
        ]
    );
    assert!(
        err.contains("table 1, row 5, cell 授权项: warning: \"cloudServers:delete\" has no service: read as \"ecs:cloudServers:delete\", the table's one service"),
        "{err}"
    );
    // A table that names no service: --service completes the action.
    let bare = "| 权限 | 对应API接口 | 授权项 | IAM项目(Project) | 企业项目(Enterprise Project) |\n\
                | --- | --- | --- | --- | --- |\n\
                | 删除 | DELETE /v1/{project_id}/x | images:delete | √ | √ |\n";
    let (c, err) = import_text("t.md", bare, &["--service", "ims"]);
    assert!(
        err.contains("\"images:delete\" has no service: read as \"ims:images:delete\", the service --service gave"),
        "{err}"
    );
    assert_eq!(
        actions(&c.operations()[0]),
        [("ims:images:delete".to_string(), None)]
    );
    // Only wildcards: which action the API checks is not said, never "needs no action".
    let wild = table.replace("| cloudServers:delete |", "| ecs:cloudServers:* |");
    let (c, err) = import_text("t.md", &wild, &[]);
    let delete = c
        .operations()
        .iter()
        .find(|o| o.method() == "DELETE")
        .unwrap();
    assert!(delete.actions.is_empty());
    assert!(delete.actions_not_documented.is_some());
    assert!(err.contains("only wildcards"), "{err}");
}

/// A column the importer does not read is said, and each of its cells with something in it.
#[test]
fn every_unread_cell_is_named() {
    let table = "| 权限 | 对应API接口 | 授权项 | 备注 | IAM项目(Project) | 企业项目(Enterprise Project) |\n\
                 | --- | --- | --- | --- | --- | --- |\n\
                 | 查询 | GET /v1/{project_id}/a | svc:a:get | 需先开通 | √ | √ |\n\
                 | 修改 | PUT /v1/{project_id}/a | svc:a:put | - | √ | √ |\n";
    let (_, err) = import_text("t.md", table, &[]);
    assert!(
        err.contains("t.md, table 1, cell 备注: warning: a column the importer does not read"),
        "{err}"
    );
    assert!(
        err.contains("t.md, table 1, row 1, cell 备注: warning: not read: \"需先开通\""),
        "{err}"
    );
    assert!(!err.contains("row 2, cell 备注"), "{err}");
}
