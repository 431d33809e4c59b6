//! The built-in catalog against the user's document: every row of Huawei's permission table
//! (the seed HTML, kept in `assets/source/`) is read here with an HTML parser and compared with
//! `assets/ims-permissions.json`, so the asset can never drift from the document unnoticed.

use std::path::PathBuf;

use ims_perms::catalog::Catalog;
use scraper::{ElementRef, Html, Selector};

fn manifest_path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

const SEED_COPY: &str = "assets/source/ims-permissions.zh.html";

/// One row of the seed table, as the document states it.
#[derive(Debug)]
struct SeedRow {
    name: String,
    /// (action, condition in the full-width brackets, if any)
    actions: Vec<(String, Option<String>)>,
    project: bool,
    enterprise_project: bool,
    method: String,
    path: String,
    note: Option<String>,
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text_of(e: ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

fn read_seed() -> Vec<SeedRow> {
    let html = std::fs::read_to_string(manifest_path(SEED_COPY)).unwrap();
    let doc = Html::parse_document(&html);
    let header: Vec<String> = doc.select(&sel("thead th")).map(text_of).collect();
    assert_eq!(header, ["权限", "授权项", "授权范围", "对应API接口"]);
    let mut rows = Vec::new();
    for tr in doc.select(&sel("tbody > tr")) {
        let cells: Vec<ElementRef> = tr.select(&sel("td")).collect();
        assert_eq!(cells.len(), 4, "every row has four cells");
        // Long names wrap over two <p>: the text is one name.
        let name: String = cells[0].select(&sel("p")).map(text_of).collect();
        let mut actions = Vec::new();
        for li in cells[1].select(&sel("li")) {
            let t = text_of(li);
            if t == "无" {
                continue;
            }
            match t.split_once('（') {
                Some((action, rest)) => actions.push((
                    action.to_string(),
                    Some(rest.trim_end_matches('）').to_string()),
                )),
                None => actions.push((t, None)),
            }
        }
        let mut project = None;
        let mut enterprise_project = None;
        for li in cells[2].select(&sel("li")) {
            let t = text_of(li);
            let supported = if t.starts_with("支持：") {
                true
            } else if t.starts_with("不支持：") {
                false
            } else {
                panic!("unexpected scope item {t}")
            };
            for p in li.select(&sel("p")).map(text_of) {
                match p.as_str() {
                    "项目（Project）" => project = Some(supported),
                    "企业项目（Enterprise Project）" => enterprise_project = Some(supported),
                    other => panic!("unexpected scope {other}"),
                }
            }
        }
        let route = cells[3]
            .select(&sel(":scope > p"))
            .map(text_of)
            .next()
            .unwrap();
        let (method, path) = route.split_once(' ').unwrap();
        let note = cells[3]
            .select(&sel("div.note div.notebody"))
            .map(text_of)
            .next();
        rows.push(SeedRow {
            name,
            actions,
            project: project.expect("project scope stated"),
            enterprise_project: enterprise_project.expect("enterprise project scope stated"),
            method: method.to_string(),
            path: path.to_string(),
            note,
        });
    }
    rows
}

#[test]
fn every_row_of_the_seed_is_in_the_catalog_exactly() {
    let seed = read_seed();
    assert_eq!(seed.len(), 18, "the seed has 18 rows");
    let catalog = Catalog::builtin().unwrap();
    let ops = catalog.operations();
    assert_eq!(ops.len(), seed.len(), "one operation per row");
    for (n, (row, op)) in seed.iter().zip(ops).enumerate() {
        let at = format!("row {} ({})", n + 1, op.id);
        assert_eq!(op.name.zh.as_deref(), Some(row.name.as_str()), "{at}: name");
        assert_eq!(op.method, row.method, "{at}: method");
        assert_eq!(op.path, row.path, "{at}: path");
        assert_eq!(op.scopes.project, row.project, "{at}: project scope");
        assert_eq!(
            op.scopes.enterprise_project, row.enterprise_project,
            "{at}: enterprise project scope"
        );
        let actions: Vec<(String, Option<String>)> = op
            .actions
            .iter()
            .map(|a| {
                (
                    a.action.clone(),
                    a.condition.as_ref().and_then(|c| c.zh.clone()),
                )
            })
            .collect();
        assert_eq!(actions, row.actions, "{at}: actions and their conditions");
        let notes: Vec<Option<String>> = op.prerequisites.iter().map(|p| p.zh.clone()).collect();
        match &row.note {
            Some(note) => assert_eq!(notes, vec![Some(note.clone())], "{at}: note"),
            None => assert!(notes.is_empty(), "{at}: no note in the seed"),
        }
        // Every row carries English too.
        assert!(
            op.name.exactly(ims_perms::Lang::En).is_some(),
            "{at}: English name"
        );
        for a in &op.actions {
            if let Some(c) = &a.condition {
                assert!(
                    c.en.as_deref().is_some_and(|s| !s.is_empty()),
                    "{at}: English condition"
                );
            }
        }
        for p in &op.prerequisites {
            assert!(
                p.en.as_deref().is_some_and(|s| !s.is_empty()),
                "{at}: English note"
            );
        }
    }
}

#[test]
fn the_seed_itself_reads_as_expected() {
    // Guards the reader above: if it silently read nothing, the comparison would be empty.
    let seed = read_seed();
    assert_eq!(seed.iter().filter(|r| r.note.is_some()).count(), 6);
    assert_eq!(seed[13].actions.len(), 3);
    assert!(seed[14].actions.is_empty());
    assert_eq!(seed[14].name, "查询版本(OpenStack原生）");
    assert_eq!(
        seed[15].name,
        "查询镜像详情（OpenStack原生 v1.1--已废弃，不推荐使用）"
    );
    assert_eq!(
        seed[3].actions[1],
        (
            "ims:dataImages:create".into(),
            Some("仅快速导入数据盘镜像需要".into())
        )
    );
}

/// Where the shared folder beside the checkout is there (always in CI), the copy in `assets/`
/// must be the user's document byte for byte, and the English names and scopes must be those
/// of the reference table.
fn shared(rel: &str) -> Option<String> {
    let path = manifest_path("..").join("shared").join(rel);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(_) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("{} is missing in CI", path.display())
        }
        Err(_) => {
            eprintln!("skipped: {} not found", path.display());
            None
        }
    }
}

#[test]
fn the_seed_copy_is_the_users_document() {
    if let Some(original) = shared("seeds/000_e9af37dcb5a88155.txt") {
        let copy = std::fs::read_to_string(manifest_path(SEED_COPY)).unwrap();
        assert!(
            copy == original,
            "{SEED_COPY} differs from the user's document"
        );
    }
}

#[test]
fn english_names_and_scopes_match_the_reference() {
    let Some(reference) = shared("reference/ims-catalog.md") else {
        return;
    };
    let catalog = Catalog::builtin().unwrap();
    let rows: Vec<Vec<String>> = reference
        .lines()
        .filter(|l| {
            l.starts_with("| ")
                && l.split('|')
                    .nth(1)
                    .is_some_and(|c| c.trim().parse::<u32>().is_ok())
        })
        .map(|l| l.split('|').map(|c| c.trim().to_string()).collect())
        .collect();
    assert_eq!(rows.len(), 18);
    for (row, op) in rows.iter().zip(catalog.operations()) {
        assert_eq!(row[2], op.route(), "route of {}", op.id);
        assert_eq!(
            Some(row[3].as_str()),
            op.name.en.as_deref(),
            "English name of {}",
            op.id
        );
        assert_eq!(
            row[4] == "yes",
            op.scopes.enterprise_project,
            "EP of {}",
            op.id
        );
    }
}
