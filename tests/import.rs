//! `import-html`, end to end: the user's own table imported equals the built-in catalog in every
//! field the table carries; broken tables are refused with the row and the cell.

mod common;
use common::ims;
use ims_perms::catalog::{self, Catalog};

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/source/ims-permissions.zh.html"
);

#[test]
fn the_seed_imports_as_the_builtin_catalog() {
    let out = ims()
        .args(["import-html", SEED])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let imported = catalog::parse("imported.json", &text).unwrap();
    assert_eq!(imported.info.service, "ims");
    assert_eq!(imported.info.source.title, "镜像管理");
    let builtin = Catalog::builtin().unwrap();
    assert_eq!(imported.operations.len(), builtin.len());
    for (got, want) in imported.operations.iter().zip(builtin.operations()) {
        let at = &want.id;
        assert_eq!(got.name.zh, want.name.zh, "{at}: name");
        assert_eq!(
            got.name.en.as_deref(),
            Some(""),
            "{at}: no English in a Chinese table"
        );
        assert_eq!(got.method, want.method, "{at}");
        assert_eq!(got.path, want.path, "{at}");
        assert_eq!(got.scopes, want.scopes, "{at}");
        assert_eq!(got.deprecated, want.deprecated, "{at}: deprecated");
        assert_eq!(got.openstack_native, want.openstack_native, "{at}: native");
        let actions = |op: &ims_perms::Operation| -> Vec<(String, Option<String>)> {
            op.actions
                .iter()
                .map(|a| {
                    (
                        a.action.clone(),
                        a.condition.as_ref().and_then(|c| c.zh.clone()),
                    )
                })
                .collect()
        };
        assert_eq!(actions(got), actions(want), "{at}: actions");
        let notes = |op: &ims_perms::Operation| -> Vec<Option<String>> {
            op.prerequisites.iter().map(|p| p.zh.clone()).collect()
        };
        assert_eq!(notes(got), notes(want), "{at}: notes");
    }
}

#[test]
fn an_imported_catalog_is_usable_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ims-imported.json");
    let out = ims()
        .args(["import-html", "-"])
        .pipe_stdin(SEED)
        .unwrap()
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    std::fs::write(&path, out).unwrap();
    let p = path.to_str().unwrap();
    // Shown in the language it has: the English names are empty, so Chinese shows.
    let out = ims()
        .args(["--no-builtin", "--catalog", p, "search", "a:export"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("post-v1-cloudimages-image-id-file") && out.contains("导出镜像"),
        "{out}"
    );
    // With the built-in catalog too, the same routes clash.
    let err = ims()
        .args(["--catalog", p, "list"])
        .assert()
        .code(2)
        .stdout("")
        .get_output()
        .stderr
        .clone();
    assert!(
        String::from_utf8(err)
            .unwrap()
            .contains("duplicate path `GET /v2/cloudimages`")
    );
    ims()
        .args(["--no-builtin", "list"])
        .assert()
        .code(2)
        .stdout("");
}

#[test]
fn broken_tables_name_the_row_and_cell() {
    let seed = std::fs::read_to_string(SEED).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            seed.replace("<li>ims:images:export</li>", "<li>导出</li>"),
            "row 8, cell 授权项: \"导出\" is not an action",
        ),
        (
            seed.replace(
                "PUT /v2/images/{image_id}/file",
                "/v2/images/{image_id}/file",
            ),
            "row 14, cell 对应API接口: \"/v2/images/{image_id}/file\" is not \"METHOD /path\"",
        ),
        (
            seed.replace("<li>不支持：无</li>", "<li>也许：无</li>"),
            "row 1, cell 授权范围: \"也许：无\": expected 支持/不支持",
        ),
    ];
    for (n, (html, expected)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("bad{n}.html"));
        std::fs::write(&path, html).unwrap();
        let err = ims()
            .args(["import-html", path.to_str().unwrap()])
            .assert()
            .code(2)
            .stdout("")
            .get_output()
            .stderr
            .clone();
        let err = String::from_utf8(err).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with(&format!("ims-perms: {}: {expected}", path.display())),
            "{err}"
        );
    }
}
