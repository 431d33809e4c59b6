//! Hostile input from the command line: files that are not what they claim, special files,
//! planted links, huge or deep inputs, broken streams. Each case ends with a clear one-line
//! message or the right result, and no file but the one named changes.

mod common;
use common::ims;
use predicates::str::contains;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_ims-perms");

/// Runs a failing command: exit code, empty stdout, one `ims-perms:` line on stderr (returned).
fn failure(args: &[&str], code: i32) -> String {
    let assert = ims().args(args).assert().code(code).stdout("");
    let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("ims-perms: "), "stderr: {err}");
    err.trim_end().to_string()
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

#[test]
fn unbounded_inputs_are_refused_at_the_limit() {
    for args in [
        vec!["explain", "/dev/zero"],
        vec!["import-html", "/dev/zero"],
        vec!["--catalog", "/dev/zero", "list"],
    ] {
        let line = failure(&args, 2);
        assert!(
            line.contains("larger than the 64 MB limit"),
            "{args:?}: {line}"
        );
    }
    // Standard input too.
    for sub in ["explain", "import-html"] {
        let out = Command::new(BIN)
            .args([sub, "-"])
            .stdin(std::fs::File::open("/dev/zero").unwrap())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{sub}");
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("cannot read standard input: larger than the 64 MB limit"),
            "{err}"
        );
    }
}

#[test]
fn special_files_are_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.json");
    mkfifo(&fifo);
    let line = failure(
        &[
            "compose",
            "list-images",
            "-o",
            fifo.to_str().unwrap(),
            "--force",
        ],
        2,
    );
    assert!(
        line.ends_with("it is a FIFO; only a regular file is replaced"),
        "{line}"
    );
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    let line = failure(&["compose", "list-images", "-o", "/dev/null", "--force"], 2);
    assert!(line.contains("it is a character device"), "{line}");
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    let line = failure(
        &[
            "compose",
            "list-images",
            "-o",
            dir.path().to_str().unwrap(),
            "--force",
        ],
        2,
    );
    assert!(line.contains("it is a directory"), "{line}");
}

#[test]
fn a_planted_temporary_symlink_is_not_followed() {
    // The old temporary name was `.NAME.PID.tmp`; `exec` keeps the shell's PID, so the link
    // below sits exactly where that code would have written.
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let script = format!(
        "cd '{}' && ln -s victim.txt .out.json.$$.tmp && exec '{BIN}' compose list-images -o out.json",
        dir.path().display()
    );
    let status = Command::new("sh")
        .args(["-c", &script])
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert!(
        std::fs::read_to_string(dir.path().join("out.json"))
            .unwrap()
            .contains("ims:images:list")
    );
}

#[test]
fn force_keeps_modes_and_symlinks_and_dangling_links_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    std::fs::write(&real, "old").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    ims()
        .args(["compose", "list-images", "--force", "-o"])
        .arg(&link)
        .assert()
        .success();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .contains("ims:images:list")
    );
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let dangling = dir.path().join("dangling.json");
    std::os::unix::fs::symlink(dir.path().join("nowhere.json"), &dangling).unwrap();
    let line = failure(
        &["compose", "list-images", "-o", dangling.to_str().unwrap()],
        2,
    );
    assert!(line.contains("symbolic link to a missing file"), "{line}");
    assert!(!dir.path().join("nowhere.json").exists());
}

#[test]
fn an_unwritable_stderr_does_not_cost_the_policy() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p.json");
    let status = Command::new(BIN)
        .args(["compose", "upload-image-native"])
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(
            std::fs::File::options()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("ims:images:upload")
    );
}

#[test]
fn a_closed_or_full_stdout_is_a_failure() {
    let out = Command::new("sh")
        .args(["-c", &format!("exec '{BIN}' list >&-")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write to stdout: it is closed"));
    // Output thrown away on purpose is not an error.
    let ok = Command::new("sh")
        .args(["-c", &format!("exec '{BIN}' list >/dev/null")])
        .status()
        .unwrap();
    assert!(ok.success());
    let out = Command::new(BIN)
        .arg("list")
        .stdout(
            std::fs::File::options()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write to stdout"));
}

#[test]
fn options_after_search_terms_are_options() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("c.json");
    std::fs::write(&catalog, ecs_catalog()).unwrap();
    let arg = format!("--catalog={}", catalog.display());
    let out = ims()
        .args([
            "search",
            "server",
            "--no-builtin",
            &arg,
            "-is:native",
            "--json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let ops: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let ids: Vec<&str> = ops
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["create-server"], "no built-in rows");
}

/// An ECS operation that needs a VPC action, as real ECS tables have.
fn ecs_catalog() -> String {
    ims_perms::testing::catalog_json(
        "ecs",
        &[ims_perms::testing::test_op(
            "create-server",
            "POST",
            "/v1/{project_id}/cloudservers",
            &["ecs:cloudServers:create", "vpc:ports:create"],
        )],
    )
}

#[test]
fn other_services_actions_a_catalog_names_are_evaluated() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("ecs.json");
    std::fs::write(&catalog, ecs_catalog()).unwrap();
    let policy = dir.path().join("p.json");
    std::fs::write(
        &policy,
        r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ecs:cloudServers:create", "vpc:ports:create"]}]}"#,
    )
    .unwrap();
    let out = ims()
        .args(["--no-builtin", "--catalog"])
        .arg(&catalog)
        .arg("explain")
        .arg(&policy)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("allowed          POST /v1/{project_id}/cloudservers"),
        "{text}"
    );
    assert!(!text.contains("not evaluated"), "{text}");
}

#[test]
fn catalogs_with_duplicate_keys_a_bom_or_huge_values() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.json");
    let dup = ecs_catalog().replace(
        r#""deprecated":false"#,
        r#""deprecated":false,"deprecated":true"#,
    );
    std::fs::write(&file, dup).unwrap();
    let line = failure(&["--catalog", file.to_str().unwrap(), "list"], 2);
    assert!(line.contains("duplicate field `deprecated`"), "{line}");
    std::fs::write(&file, format!("\u{feff}{}", ecs_catalog())).unwrap();
    ims()
        .args(["--catalog", file.to_str().unwrap(), "list"])
        .assert()
        .success()
        .stdout(contains("create-server"));
    let huge = ecs_catalog().replace(
        r#""deprecated":false"#,
        &format!(r#""deprecated":"{}""#, "x".repeat(2_000_000)),
    );
    std::fs::write(&file, huge).unwrap();
    let line = failure(&["--catalog", file.to_str().unwrap(), "list"], 2);
    assert!(line.len() < 1000, "{} bytes", line.len());
    assert!(
        line.contains("expected true or false, found a string"),
        "{line}"
    );
}

#[test]
fn policies_with_a_bom_misspelled_or_repeated_keys() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.json");
    std::fs::write(
        &file,
        "\u{feff}{\"Version\": \"1.1\", \"Statement\": [{\"Effect\": \"Allow\", \"Effect\": \"Deny\", \"Action\": [\"ims:images:list\"], \"Condtion\": {}, \"Resorce\": []}]}",
    )
    .unwrap();
    let out = ims()
        .args(["explain", "--json"])
        .arg(&file)
        .assert()
        .get_output()
        .stdout
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let findings: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["path"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect();
    let all = findings.join("\n");
    assert!(!all.contains("invalid JSON"), "the BOM is dropped: {all}");
    assert!(all.contains("Statement[0].Effect duplicate key"), "{all}");
    assert!(
        all.contains(
            "Statement[0].Condtion unknown key \"Condtion\" (did you mean \"Condition\"?)"
        ),
        "{all}"
    );
    assert!(
        all.contains("Statement[0].Resorce unknown key \"Resorce\" (did you mean \"Resource\"?)"),
        "{all}"
    );
}

#[test]
fn explain_is_linear_in_actions_per_statement() {
    // 100,000 actions in one statement took 9 minutes when every action was compared with
    // every earlier one; this finishes in about a second.
    let actions: Vec<String> = (0..100_000)
        .map(|i| format!("\"ims:images:act{i}\""))
        .collect();
    let policy = format!(
        "{{\"Version\": \"1.1\", \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": [{}, \"ims:images:list\"]}}]}}",
        actions.join(",")
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.json");
    std::fs::write(&file, policy).unwrap();
    let out = ims()
        .args(["explain"])
        .arg(&file)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("100001 actions: IAM allows at most 100"),
        "{}",
        &text[..500]
    );
    assert!(text.contains("allowed          GET /v2/cloudimages"));
}

#[test]
fn deeply_nested_html_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("deep.html");
    std::fs::write(
        &file,
        format!(
            "{}<table></table>{}",
            "<div>".repeat(40_000),
            "</div>".repeat(40_000)
        ),
    )
    .unwrap();
    let line = failure(&["import-html", file.to_str().unwrap()], 2);
    assert!(line.contains("nest more than 512 deep"), "{line}");
}

#[test]
fn file_names_never_reach_the_terminal_raw() {
    let dir = tempfile::tempdir().unwrap();
    let evil = dir.path().join("a\u{1b}[2J\u{202e}nosj.json");
    std::fs::write(&evil, "x").unwrap();
    let line = failure(&["compose", "list-images", "-o", evil.to_str().unwrap()], 2);
    assert!(
        !line.contains('\u{1b}') && !line.contains('\u{202e}'),
        "{line:?}"
    );
    assert!(
        line.contains("a\\u{1b}[2J\\u{202e}nosj.json exists"),
        "{line}"
    );
    let out = ims()
        .arg("explain")
        .arg(&evil)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !all.contains('\u{1b}') && !all.contains('\u{202e}'),
        "{all:?}"
    );
}

#[test]
fn non_utf8_file_names_work_everywhere() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"policy-\xff.json");
    let file = dir.path().join(name);
    std::fs::write(
        &file,
        r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:images:list"]}]}"#,
    )
    .unwrap();
    ims().arg("explain").arg(&file).assert().success();
    let html = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"table-\xff.html"));
    std::fs::write(&html, "<p>no table</p>").unwrap();
    let assert = ims().arg("import-html").arg(&html).assert().code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(err.contains("table-\u{fffd}.html: no table found"), "{err}");
}

#[test]
fn a_bad_clipboard_variable_only_matters_to_the_explorer() {
    ims()
        .env("IMS_PERMS_CLIPBOARD", "bogus")
        .arg("list")
        .assert()
        .success()
        .stdout(contains("list-images"));
    let assert = ims()
        .env("IMS_PERMS_CLIPBOARD", "bogus")
        .assert()
        .code(2)
        .stdout("");
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        err.contains("IMS_PERMS_CLIPBOARD=\"bogus\": expected auto, system, osc52 or none"),
        "{err}"
    );
}

#[test]
fn the_explorer_without_a_terminal_says_so() {
    // setsid: a new session has no controlling terminal, so /dev/tty cannot be opened.
    let out = Command::new("setsid")
        .args(["-w", BIN])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the explorer needs a terminal"), "{err}");
    assert!(err.contains("in scripts use a subcommand"), "{err}");
}

#[test]
fn an_empty_or_odd_policy_is_findings_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    for (n, text) in [
        "",
        "\u{feff}",
        "{}",
        "[]",
        "{\"Version\": \"1.1\"} trailing",
    ]
    .iter()
    .enumerate()
    {
        let file = dir.path().join(format!("p{n}.json"));
        std::fs::write(&file, text).unwrap();
        let assert = ims().arg("explain").arg(&file).assert().code(1);
        let out = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
        assert!(out.contains("error"), "{text:?}: {out}");
    }
}

#[test]
fn second_round_of_hostile_cases() {
    // Typed text is quoted escaped in every message (query terms, --with values).
    let line = failure(&["search", "kind\u{1b}[2J:x"], 2);
    assert!(!line.contains('\u{1b}'), "{line:?}");
    let line = failure(&["compose", "list-images", "--with", "a\u{1b}[2J"], 2);
    assert!(!line.contains('\u{1b}'), "{line:?}");
    // A 2 MB id is not echoed whole.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.json");
    let mut op = ims_perms::testing::test_op("x", "GET", "/v1/x", &["svc:x:get"]);
    op["id"] = serde_json::Value::String("a".repeat(2_000_000));
    op["method"] = serde_json::json!(5);
    std::fs::write(&file, ims_perms::testing::catalog_json("svc", &[op])).unwrap();
    let line = failure(&["--catalog", file.to_str().unwrap(), "list"], 2);
    assert!(line.len() < 1000, "{} bytes", line.len());
    // Nor a 2 MB action in a finding.
    let policy = dir.path().join("p.json");
    std::fs::write(
        &policy,
        format!(
            r#"{{"Version": "1.1", "Statement": [{{"Effect": "Allow", "Action": ["ims:images:{}"]}}]}}"#,
            "l".repeat(2_000_000)
        ),
    )
    .unwrap();
    let out = ims().arg("explain").arg(&policy).output().unwrap();
    assert!(out.stdout.len() < 20_000, "{} bytes", out.stdout.len());
    // Terraform never carries a bidi control raw.
    let out = ims()
        .args([
            "compose",
            "list-images",
            "--format",
            "terraform",
            "--name",
            "a\u{202e}b",
        ])
        .output()
        .unwrap();
    let hcl = String::from_utf8(out.stdout).unwrap();
    assert!(
        !hcl.contains('\u{202e}') && hcl.contains("a\\u202eb"),
        "{hcl}"
    );
    // A statement's misspelled keys are named even when Effect is missing.
    std::fs::write(
        &policy,
        r#"{"Version": "1.1", "Statement": [{"effect": "Allow", "action": ["ims:images:list"]}]}"#,
    )
    .unwrap();
    let out = ims()
        .args(["explain", "--json"])
        .arg(&policy)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("unknown key \\\"effect\\\" (did you mean \\\"Effect\\\"?)"),
        "{text}"
    );
    // `-o -` is stdout.
    ims()
        .current_dir(dir.path())
        .args(["compose", "list-images", "-o", "-"])
        .assert()
        .success()
        .stdout(contains("ims:images:list"));
    assert!(!dir.path().join("-").exists());
    // A loop of links is named as what it is.
    let a = dir.path().join("loop-a.json");
    let b = dir.path().join("loop-b.json");
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    let line = failure(
        &[
            "compose",
            "list-images",
            "--force",
            "-o",
            a.to_str().unwrap(),
        ],
        2,
    );
    assert!(line.contains("symbolic links"), "{line}");
    // --force keeps the set-user-ID bit of the file it replaces.
    let setuid = dir.path().join("s.json");
    std::fs::write(&setuid, "old").unwrap();
    std::fs::set_permissions(&setuid, std::fs::Permissions::from_mode(0o4755)).unwrap();
    ims()
        .args(["compose", "list-images", "--force", "-o"])
        .arg(&setuid)
        .assert()
        .success();
    let mode = std::fs::metadata(&setuid).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode, 0o4755);
    // Help that cannot be written is not a success.
    let out = Command::new(BIN)
        .arg("--help")
        .stdout(
            std::fs::File::options()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
        .status()
        .unwrap();
    assert_ne!(out.code(), Some(0));
}
