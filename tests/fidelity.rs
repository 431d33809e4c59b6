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
    read_seed_form(&std::fs::read_to_string(manifest_path(SEED_COPY)).unwrap())
}

/// A table in the seed's form (the seed and its five 2019 siblings).
fn read_seed_form(html: &str) -> Vec<SeedRow> {
    let doc = Html::parse_document(html);
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
    let ops = &catalog.operations()[..18];
    for op in ops {
        let section = op.section.as_ref().unwrap();
        assert_eq!(section.zh.as_deref(), Some("镜像管理"), "{}", op.id);
        assert_eq!(section.en.as_deref(), Some("Image Management"), "{}", op.id);
    }
    compare_rows(&seed, ops);
}

/// Rows of a vendor table against the operations they are, in order: name, actions and their
/// conditions, both scopes, method, path and note, exactly; English present for each.
fn compare_rows(rows: &[SeedRow], ops: &[ims_perms::Operation]) {
    assert_eq!(ops.len(), rows.len(), "one operation per row");
    for (n, (row, op)) in rows.iter().zip(ops).enumerate() {
        let at = format!("row {} ({})", n + 1, op.id);
        assert_eq!(op.name.zh.as_deref(), Some(row.name.as_str()), "{at}: name");
        assert_eq!(op.method(), &*row.method, "{at}: method");
        assert_eq!(op.path(), row.path, "{at}: path");
        assert_eq!(
            op.scopes.unwrap().project,
            row.project,
            "{at}: project scope"
        );
        assert_eq!(
            op.scopes.unwrap().enterprise_project,
            row.enterprise_project,
            "{at}: enterprise project scope"
        );
        let actions: Vec<(String, Option<String>)> = op
            .actions
            .iter()
            .map(|a| {
                (
                    a.action.to_string(),
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
        for text in [&op.description, op.section.as_ref().unwrap()] {
            assert!(
                text.zh.is_some() && text.en.is_some(),
                "{at}: description and section in both languages"
            );
        }
    }
}

/// The five 2019 sibling tables (镜像标签, 镜像视图, 镜像共享, 镜像复制, 镜像配额) and the six tag
/// APIs of the 2022 edition are the other 25 built-in operations, in that order.
#[test]
fn every_other_ims_table_is_in_the_catalog_exactly() {
    let catalog = Catalog::builtin().unwrap();
    assert_eq!(catalog.len(), 43, "every IMS permission");
    let by_route = |method: &str, path: &str| {
        catalog
            .operations()
            .iter()
            .find(|o| o.method() == method && o.path() == path)
            .unwrap_or_else(|| panic!("{method} {path} is not built in"))
            .clone()
    };
    let sections = [
        ("0125866391-tags.zh.md", "镜像标签", "Image Tags", 4),
        ("0125866392-schemas.zh.md", "镜像视图", "Image Schemas", 4),
        ("0125866393-sharing.zh.md", "镜像共享", "Image Sharing", 8),
        (
            "0125866394-replication.zh.md",
            "镜像复制",
            "Image Replication",
            2,
        ),
        ("0125866395-quota.zh.md", "镜像配额", "Image Quota", 1),
    ];
    for (file, zh, en, count) in sections {
        let Some(html) = shared(&format!("vendor-tables/huawei-ims-2019/{file}")) else {
            return;
        };
        assert!(html.starts_with(&format!("# {zh}")), "{file}: its heading");
        let rows = read_seed_form(&html);
        assert_eq!(rows.len(), count, "{file}");
        let ops: Vec<_> = rows.iter().map(|r| by_route(&r.method, &r.path)).collect();
        for op in &ops {
            let s = op.section.as_ref().unwrap();
            assert_eq!(
                (s.zh.as_deref(), s.en.as_deref()),
                (Some(zh), Some(en)),
                "{}",
                op.id
            );
        }
        compare_rows(&rows, &ops);
    }
    // The 2022 edition's Markdown: every row of every table; actions run together there, so the
    // catalog's actions (conditions in （…）) joined must be the cell exactly.
    for file in [
        "appendix_05-management.zh.md",
        "appendix_06-tags.zh.md",
        "appendix_07-schemas.zh.md",
        "appendix_08-sharing.zh.md",
        "appendix_09-replication.zh.md",
        "appendix_10-quota.zh.md",
    ] {
        let Some(md) = shared(&format!("vendor-tables/huawei-ims-2022/{file}")) else {
            return;
        };
        let rows: Vec<Vec<&str>> = md
            .lines()
            .filter(|l| l.starts_with('|') && !l.starts_with("|--") && !l.starts_with("|权限"))
            .map(|l| l.trim_matches('|').split('|').collect())
            .collect();
        assert!(!rows.is_empty(), "{file}");
        for cells in rows {
            let (route, note) = match cells[1].find(|c: char| !c.is_ascii()) {
                Some(i) => (&cells[1][..i], Some(&cells[1][i..])),
                None => (cells[1], None),
            };
            let (method, path) = route.split_once(' ').unwrap();
            let op = by_route(method, path);
            let squeeze = |s: &str| s.split_whitespace().collect::<String>();
            assert_eq!(
                squeeze(op.name.zh.as_deref().unwrap()),
                squeeze(cells[0]),
                "{file}: {route}: name"
            );
            let joined: String = op
                .actions
                .iter()
                .map(|a| match &a.condition {
                    Some(c) => format!("{}（{}）", a.action, c.zh.as_deref().unwrap()),
                    None => a.action.to_string(),
                })
                .collect();
            let joined = if joined.is_empty() {
                "无".to_string()
            } else {
                joined
            };
            assert_eq!(joined, cells[2], "{file}: {route}: actions");
            let scopes = op.scopes.unwrap();
            assert_eq!(scopes.project, cells[3] == "√", "{file}: {route}: project");
            assert_eq!(
                scopes.enterprise_project,
                cells[4] == "√",
                "{file}: {route}: enterprise project"
            );
            let notes: Vec<&str> = op
                .prerequisites
                .iter()
                .map(|p| p.zh.as_deref().unwrap())
                .collect();
            assert_eq!(
                notes,
                note.into_iter().collect::<Vec<_>>(),
                "{file}: {route}: note"
            );
        }
    }
}

/// The English names of the 25 other operations are the reference's, and create-image depends
/// on exactly the 13 actions the IMS user guide lists.
#[test]
fn english_names_sections_and_dependencies_match_the_reference() {
    let Some(reference) = shared("reference/ims-sections.md") else {
        return;
    };
    let catalog = Catalog::builtin().unwrap();
    let rows: Vec<Vec<String>> = reference
        .lines()
        .filter(|l| l.starts_with("| 2019 ") || l.starts_with("| 2022 "))
        .map(|l| l.split('|').map(|c| c.trim().to_string()).collect())
        .collect();
    assert_eq!(rows.len(), 25);
    for (row, op) in rows.iter().zip(&catalog.operations()[18..]) {
        assert_eq!(&*row[2], op.method(), "{}", op.id);
        assert_eq!(row[3].trim_matches('`'), op.path(), "{}", op.id);
        assert_eq!(Some(row[8].as_str()), op.name.en.as_deref(), "{}", op.id);
        assert_eq!(Some(row[7].as_str()), op.name.zh.as_deref(), "{}", op.id);
    }
    let create = &catalog.operations()[catalog.find_id("create-image")[0]];
    let deps: Vec<&str> = create
        .dependencies
        .iter()
        .map(|d| d.action.as_ref())
        .collect();
    let listed = reference
        .split("create-image (`POST /v2/cloudimages/action`) depends on:")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap();
    let listed: Vec<&str> = listed
        .split([',', '.', '\n'])
        .map(str::trim)
        .filter(|s| s.contains(':'))
        .collect();
    assert_eq!(deps, listed);
    assert_eq!(deps.len(), 13);
    let with_dependencies = catalog
        .operations()
        .iter()
        .filter(|o| !o.dependencies.is_empty())
        .count();
    assert_eq!(with_dependencies, 1, "none invented for other rows");
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
    for (row, op) in rows.iter().zip(&catalog.operations()[..18]) {
        assert_eq!(row[2], op.route_text(), "route of {}", op.id);
        assert_eq!(
            Some(row[3].as_str()),
            op.name.en.as_deref(),
            "English name of {}",
            op.id
        );
        assert_eq!(
            row[4] == "yes",
            op.scopes.unwrap().enterprise_project,
            "EP of {}",
            op.id
        );
    }
}
