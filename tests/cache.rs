//! The cache of parsed catalogs, through the real binary: what a command answers is always what
//! the catalog files say now, whatever happened to them or to the cache since it was written.

mod common;

use std::path::{Path, PathBuf};

use common::ims;

/// A catalog of `ops` synthetic operations (the first operations are the same at every size).
fn catalog_text(ops: usize) -> String {
    let (_, doc) = ims_perms::testing::synthetic::catalogs(ops * 20).remove(0);
    serde_json::to_string_pretty(&doc).unwrap()
}

/// `list` over the one catalog, with the cache in `cache`; stderr must be empty.
fn list(catalog: &Path, cache: &Path) -> String {
    run(catalog, cache, &["list"])
}

/// How many operations a `list` shows.
fn rows(listed: &str) -> usize {
    listed.lines().filter(|l| l.contains(" ecs:")).count()
}

fn cache_files(cache: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(cache)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn a_cache_file_is_written_once_and_used_while_the_catalog_is_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let (catalog, cache) = (dir.path().join("ecs.json"), dir.path().join("cache"));
    std::fs::write(&catalog, catalog_text(3)).unwrap();
    let first = list(&catalog, &cache);
    assert_eq!(rows(&first), 3, "{first}");
    let files = cache_files(&cache);
    assert_eq!(files.len(), 1);
    let written = std::fs::metadata(&files[0]).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert_eq!(list(&catalog, &cache), first);
    let again = std::fs::metadata(&files[0]).unwrap().modified().unwrap();
    assert_eq!(
        written, again,
        "a good cache file is read, not written again"
    );
}

#[test]
fn a_changed_or_replaced_catalog_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let (catalog, cache) = (dir.path().join("ecs.json"), dir.path().join("cache"));
    std::fs::write(&catalog, catalog_text(3)).unwrap();
    assert_eq!(rows(&list(&catalog, &cache)), 3);
    // Replaced by a smaller one.
    std::fs::write(&catalog, catalog_text(1)).unwrap();
    assert_eq!(rows(&list(&catalog, &cache)), 1);
    // Edited to the same size and given back its old modification time: the content says.
    let text = catalog_text(1);
    let mtime = std::fs::metadata(&catalog).unwrap().modified().unwrap();
    let edited = text.replacen("Querying", "Qeurying", 1);
    assert_ne!(edited, text);
    assert_eq!(edited.len(), text.len());
    std::fs::write(&catalog, &edited).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&catalog)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    let listed = list(&catalog, &cache);
    assert!(listed.contains("Qeurying"), "{listed}");
    // And once more the first version, under another name through a link: the same answer.
    std::fs::write(&catalog, catalog_text(3)).unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&catalog, &link).unwrap();
    assert_eq!(list(&link, &cache), list(&catalog, &cache));
}

#[test]
fn a_corrupt_cache_file_is_ignored_and_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let (catalog, cache) = (dir.path().join("ecs.json"), dir.path().join("cache"));
    std::fs::write(&catalog, catalog_text(3)).unwrap();
    let expected = list(&catalog, &cache);
    let found = run(&catalog, &cache, &["search", "query"]);
    assert_eq!(rows(&found), 2, "{found}");
    let file = cache_files(&cache).remove(0);
    let good = std::fs::read(&file).unwrap();
    let flip = |at: usize| {
        let mut flipped = good.clone();
        flipped[at] ^= 0x55;
        flipped
    };
    // The first operation's name is first in its record, before the searched texts.
    let record = good.windows(8).position(|w| w == b"Querying").unwrap();
    let texts = good.len() - 3;
    for (damaged, command) in [
        (Vec::new(), "list"),
        (b"not a cache".to_vec(), "list"),
        (good[..good.len() / 2].to_vec(), "list"),
        (flip(record), "list"),
        (flip(record), "search"),
        // Only searching reads the searched texts.
        (flip(texts), "search"),
        (good[..good.len() / 2].to_vec(), "search"),
    ] {
        std::fs::write(&file, &damaged).unwrap();
        if command == "list" {
            assert_eq!(list(&catalog, &cache), expected);
        } else {
            assert_eq!(run(&catalog, &cache, &["search", "query"]), found);
        }
        assert_eq!(std::fs::read(&file).unwrap(), good, "written anew");
    }
}

/// `ARGS` over the one catalog, with the cache in `cache`; stderr must be empty.
fn run(catalog: &Path, cache: &Path, args: &[&str]) -> String {
    let out = ims()
        .env("IMS_PERMS_CACHE_DIR", cache)
        .arg("--no-builtin")
        .arg("--catalog")
        .arg(catalog)
        .args(args)
        .assert()
        .success()
        .stderr("")
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn without_a_usable_cache_directory_the_json_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("ecs.json");
    std::fs::write(&catalog, catalog_text(2)).unwrap();
    let expected = list(&catalog, &dir.path().join("cache"));
    // A path under a regular file: no directory can be made there. No notice, same answer.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, "").unwrap();
    assert_eq!(list(&catalog, &blocker.join("cache")), expected);
    // --no-cache and an empty IMS_PERMS_CACHE_DIR: no cache at all.
    let unused = dir.path().join("unused");
    ims()
        .env("IMS_PERMS_CACHE_DIR", &unused)
        .args(["--no-builtin", "--no-cache", "--catalog"])
        .arg(&catalog)
        .arg("list")
        .assert()
        .success()
        .stdout(expected.clone());
    assert!(!unused.exists());
    ims()
        .env("IMS_PERMS_CACHE_DIR", "")
        .env("HOME", &unused)
        .env_remove("XDG_CACHE_HOME")
        .args(["--no-builtin", "--catalog"])
        .arg(&catalog)
        .arg("list")
        .assert()
        .success()
        .stdout(expected);
    assert!(!unused.exists());
}

#[test]
fn a_broken_catalog_is_refused_even_with_a_cache_of_its_old_self() {
    let dir = tempfile::tempdir().unwrap();
    let (catalog, cache) = (dir.path().join("ecs.json"), dir.path().join("cache"));
    std::fs::write(&catalog, catalog_text(2)).unwrap();
    list(&catalog, &cache);
    std::fs::write(
        &catalog,
        catalog_text(2).replacen("\"GET\"", "\"FETCH\"", 1),
    )
    .unwrap();
    ims()
        .env("IMS_PERMS_CACHE_DIR", &cache)
        .args(["--no-builtin", "--catalog"])
        .arg(&catalog)
        .arg("list")
        .assert()
        .failure()
        .stdout("");
}

#[test]
fn a_fifo_in_the_cache_or_a_shared_cache_directory_is_passed_over() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (catalog, cache) = (dir.path().join("ecs.json"), dir.path().join("cache"));
    std::fs::write(&catalog, catalog_text(2)).unwrap();
    let expected = list(&catalog, &cache);
    // A FIFO where the cache file was: answered from the JSON at once, not blocked on.
    let file = cache_files(&cache).remove(0);
    std::fs::remove_file(&file).unwrap();
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&file)
            .status()
            .unwrap()
            .success()
    );
    ims()
        .env("IMS_PERMS_CACHE_DIR", &cache)
        .args(["--no-builtin", "--catalog"])
        .arg(&catalog)
        .arg("list")
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .success()
        .stdout(expected.clone());
    // A directory others can write to could hold anyone's idea of the catalog: not used.
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).unwrap();
    assert_eq!(list(&catalog, &shared), expected);
    assert!(
        cache_files(&shared).is_empty(),
        "nothing written there either"
    );
}

#[test]
fn a_given_cache_directory_is_written_only_when_it_is_the_caches_own() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("ecs.json");
    std::fs::write(&catalog, catalog_text(3)).unwrap();
    let expected = list(&catalog, &dir.path().join("fresh"));
    // A folder of other files (as /etc is): answered, never written into.
    let busy = dir.path().join("busy");
    std::fs::create_dir(&busy).unwrap();
    std::fs::write(busy.join("passwd"), "root:x:0:0").unwrap();
    assert_eq!(list(&catalog, &busy), expected);
    assert_eq!(cache_files(&busy), [busy.join("passwd")]);
    // A link to an empty folder, and a folder to be made below a link: not written either.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&empty, &link).unwrap();
    assert_eq!(list(&catalog, &link), expected);
    assert_eq!(list(&catalog, &link.join("below")), expected);
    assert!(cache_files(&empty).is_empty(), "{:?}", cache_files(&empty));
    // A folder or a FIFO named as the cache would name its files is not the cache's.
    for odd in ["dir", "fifo"] {
        let folder = dir.path().join(format!("odd-{odd}"));
        std::fs::create_dir(&folder).unwrap();
        let name = folder.join("0000000000000000.catalog");
        if odd == "dir" {
            std::fs::create_dir(&name).unwrap();
        } else {
            assert!(
                std::process::Command::new("mkfifo")
                    .arg(&name)
                    .status()
                    .unwrap()
                    .success()
            );
        }
        assert_eq!(list(&catalog, &folder), expected);
        assert_eq!(cache_files(&folder), std::slice::from_ref(&name), "{odd}");
    }
    // The cache's own folder (only cache files in it) and a new one are written.
    assert_eq!(cache_files(&dir.path().join("fresh")).len(), 1);
    let other = dir.path().join("ecs2.json");
    std::fs::write(&other, catalog_text(2)).unwrap();
    list(&other, &dir.path().join("fresh"));
    assert_eq!(cache_files(&dir.path().join("fresh")).len(), 2);
}
