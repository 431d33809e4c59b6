//! `search` over catalog files of distinct services builds only the operations it finds
//! (`ims_perms::load::searchable`): its answers must be exactly those of the whole catalog, searched
//! and printed in process, whether the files come from the cache or are parsed.

mod common;

use std::path::{Path, PathBuf};

use common::ims;
use ims_perms::catalog::Catalog;
use ims_perms::lang::Lang;
use ims_perms::search::query::{SearchIndex, search};
use predicates::prelude::PredicateBooleanExt;

const QUERIES: &[&str] = &[
    "servers delete",
    "imgupl",
    "ecs vol att",
    "删除",
    "m:get -is:deprecated",
    "scope:ep vol",
    "service:vpc attach",
    "section:volume",
    "n:创建 -a:delete",
    "obs",
    "is:native",
    "ＳＥＲＶＥＲＳ",
];

/// The synthetic catalogs of `docs` written to `dir`, one file a service.
fn write(dir: &Path, docs: &[(String, serde_json::Value)]) -> Vec<PathBuf> {
    docs.iter()
        .map(|(service, doc)| {
            let path = dir.join(format!("{service}.json"));
            std::fs::write(&path, serde_json::to_string(doc).unwrap()).unwrap();
            path
        })
        .collect()
}

/// What `search` prints for `query`, worked out from the whole catalog.
fn expected(catalog: &Catalog, query: &str, json: bool) -> (bool, String) {
    let index = SearchIndex::new(catalog);
    let hits = search(&catalog.services(), &index, query).unwrap();
    let found: Vec<usize> = hits.iter().map(|h| h.index).collect();
    if found.is_empty() {
        return (false, String::new());
    }
    if json {
        let ops: Vec<_> = found.iter().map(|&i| &catalog.operations()[i]).collect();
        return (
            !found.is_empty(),
            serde_json::to_string_pretty(&ops).unwrap() + "\n",
        );
    }
    let table = ims_perms::present::operations_table(catalog, &found, Lang::En);
    (!found.is_empty(), table)
}

fn check(paths: &[PathBuf], builtin: bool, cache: &Path, extra: &[&str]) {
    let mut catalog = if builtin {
        Catalog::builtin().unwrap()
    } else {
        Catalog::new()
    };
    ims_perms::load::load_files(&mut catalog, paths, None).unwrap();
    for query in QUERIES {
        for json in [false, true] {
            let mut cmd = ims();
            cmd.env("IMS_PERMS_CACHE_DIR", cache).args(extra);
            if !builtin {
                cmd.arg("--no-builtin");
            }
            for p in paths {
                cmd.arg("--catalog").arg(p);
            }
            cmd.arg("search").args(query.split(' '));
            if json {
                cmd.arg("--json");
            }
            let (some, want) = expected(&catalog, query, json);
            let out = cmd.output().unwrap();
            assert_eq!(out.status.code(), Some(if some { 0 } else { 1 }), "{query}");
            assert_eq!(
                String::from_utf8(out.stdout).unwrap(),
                want,
                "{query} {json}"
            );
        }
    }
}

#[test]
fn searching_files_apart_answers_as_the_whole_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    for (k, docs) in [
        ims_perms::testing::synthetic::catalogs(3_000),
        ims_perms::testing::synthetic::rich_catalogs(2_000),
    ]
    .into_iter()
    .enumerate()
    {
        let files = dir.path().join(k.to_string());
        std::fs::create_dir(&files).unwrap();
        let paths = write(&files, &docs);
        // Parsed (the cache written as they are), then from the cache, then without one; with
        // the built-in catalog too.
        check(&paths, false, &cache, &[]);
        check(&paths, false, &cache, &[]);
        check(&paths, false, &cache, &["--no-cache"]);
        check(&paths[..3], true, &cache, &[]);
    }
}

#[test]
fn files_of_one_service_are_searched_as_one_catalog() {
    // Two files of the same service: loaded whole, so that a repeated id is still refused.
    let dir = tempfile::tempdir().unwrap();
    let docs = ims_perms::testing::synthetic::catalogs(200);
    let paths = write(dir.path(), &docs[..2]);
    let mut twin = docs[0].1.clone();
    twin["source"]["title"] = "the same service again".into();
    let again = dir.path().join("again.json");
    std::fs::write(&again, serde_json::to_string(&twin).unwrap()).unwrap();
    let cache = dir.path().join("cache");
    for _ in 0..2 {
        over(&cache, &[&paths[0], &again], &["search", "servers"])
            .assert()
            .code(2)
            .stdout("")
            .stderr(
                predicates::str::contains("again.json: operations[0]")
                    .and(predicates::str::contains("duplicate id")),
            );
    }
    // Distinct services, but one file broken: the same error as loading them whole, first
    // file first.
    std::fs::write(&again, "{").unwrap();
    let whole = ims_perms::load::load_files(
        &mut Catalog::new(),
        &[paths[0].clone(), again.clone(), paths[1].clone()],
        None,
    )
    .unwrap_err()
    .to_string();
    over(
        &cache,
        &[&paths[0], &again, &paths[1]],
        &["search", "servers"],
    )
    .assert()
    .code(2)
    .stdout("")
    .stderr(format!("ims-perms: {whole}\n"));
}

/// `ims-perms --no-builtin --catalog PATH... ARGS`, with the cache in `cache`.
fn over(cache: &Path, paths: &[&Path], args: &[&str]) -> assert_cmd::Command {
    let mut cmd = ims();
    cmd.env("IMS_PERMS_CACHE_DIR", cache).arg("--no-builtin");
    for path in paths {
        cmd.arg("--catalog").arg(path);
    }
    cmd.args(args);
    cmd
}

#[test]
fn only_the_operations_found_are_read_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let (docs, cache) = (
        ims_perms::testing::synthetic::catalogs(60),
        dir.path().join("cache"),
    );
    let path = write(dir.path(), &docs[..1]).remove(0);
    let ops = docs[0].1["operations"].as_array().unwrap();
    let (first, last) = (
        ops[0]["id"].as_str().unwrap(),
        ops[2]["id"].as_str().unwrap(),
    );
    let run = |args: &[&str]| {
        over(&cache, &[&path], args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let found = String::from_utf8(run(&["search", first])).unwrap();
    assert!(found.contains(first) && !found.contains(last), "{found}");
    // A record damaged in the cache file (its id is first written there, before the searched
    // texts): a search that does not find it neither reads it nor notices.
    let file = std::fs::read_dir(&cache)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut bytes = std::fs::read(&file).unwrap();
    let at = bytes
        .windows(last.len())
        .position(|w| w == last.as_bytes())
        .unwrap();
    bytes[at] ^= 0x20;
    std::fs::write(&file, &bytes).unwrap();
    assert_eq!(String::from_utf8(run(&["search", first])).unwrap(), found);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        bytes,
        "not read, not rewritten"
    );
    // Found, or the catalog loaded whole: the damage is seen, the JSON read, the file rewritten.
    let listed = String::from_utf8(run(&["search", last])).unwrap();
    assert!(listed.contains(last), "{listed}");
    assert_ne!(std::fs::read(&file).unwrap(), bytes, "rewritten");
}

#[test]
fn more_catalog_files_than_open_files_allowed() {
    // A search holds no file open per catalog: 120 of them under a limit of 48 open files.
    use ims_perms::testing::{catalog_json, test_op};
    let dir = tempfile::tempdir().unwrap();
    let (cache, mut args) = (dir.path().join("cache"), String::new());
    for k in 0..120 {
        let service = format!("svc{k}");
        let op = test_op(
            &format!("delete-thing-{k}"),
            "DELETE",
            "/v1/things/{id}",
            &[&format!("{service}:things:delete")],
        );
        let path = dir.path().join(format!("{service}.json"));
        std::fs::write(&path, catalog_json(&service, &[op])).unwrap();
        args.push_str(&format!(" --catalog {}", path.display()));
    }
    let bin = assert_cmd::cargo::cargo_bin("ims-perms");
    let script = format!(
        "ulimit -n 48; exec {} --no-builtin{args} search thing",
        bin.display()
    );
    let mut outputs = Vec::new();
    // Parsed (and the cache written), then from the cache.
    for _ in 0..2 {
        let out = std::process::Command::new("sh")
            .args(["-c", &script])
            .env("IMS_PERMS_CACHE_DIR", &cache)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        outputs.push(String::from_utf8(out.stdout).unwrap());
    }
    assert_eq!(outputs[0], outputs[1]);
    let rows = outputs[0].lines().filter(|l| l.contains(":things:delete"));
    assert_eq!(rows.count(), 120, "{}", outputs[0]);
    assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 120);
}

#[test]
fn files_of_one_service_are_read_once_and_failures_come_in_order() {
    use ims_perms::testing::{catalog_json, test_op};
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    // A catalog of the built-in catalog's service through a pipe: read once, searched whole.
    let extra = catalog_json(
        "ims",
        &[test_op(
            "my-extra-op",
            "GET",
            "/v9/extra",
            &["ims:extra:get"],
        )],
    );
    let out = ims()
        .env("IMS_PERMS_CACHE_DIR", &cache)
        .args(["--catalog", "/dev/stdin", "search", "extra"])
        .write_stdin(extra)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out).unwrap().contains("my-extra-op"));
    // A repeated id before a broken file: the repeated id is the error, as for every command.
    let docs = ims_perms::testing::synthetic::catalogs(200);
    let a = write(dir.path(), &docs[..1]).remove(0);
    let mut twin = docs[0].1.clone();
    twin["source"]["title"] = "again".into();
    let (b, broken) = (dir.path().join("b.json"), dir.path().join("broken.json"));
    std::fs::write(&b, serde_json::to_string(&twin).unwrap()).unwrap();
    std::fs::write(&broken, r#"{"service": "zzz", "#).unwrap();
    let run = |command: &[&str]| {
        let out = over(&cache, &[&a, &b, &broken], command)
            .assert()
            .code(2)
            .stdout("")
            .get_output()
            .stderr
            .clone();
        String::from_utf8(out).unwrap()
    };
    let listed = run(&["list"]);
    assert!(listed.contains("b.json: operations[0]") && listed.contains("duplicate id"));
    assert_eq!(run(&["search", "servers"]), listed);
}
