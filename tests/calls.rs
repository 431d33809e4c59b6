//! `compose --calls` and `lookup --calls`, end to end, on real-shaped recordings
//! (`tests/fixtures/calls/`): a Terraform debug log of each provider generation, a HAR file as
//! a browser writes it, a `curl -v` transcript, and a plain list.

mod common;
use common::ims;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/calls");

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

/// stdout, stderr and exit code of a run.
fn run(args: &[&str]) -> (String, String, i32) {
    let out = ims().args(args).output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

/// The policy `compose` prints for these operations.
fn composed(extra: &[&str], ids: &[&str]) -> String {
    let args: Vec<&str> = ["compose"]
        .iter()
        .chain(extra)
        .chain(ids)
        .copied()
        .collect();
    let (out, _, code) = run(&args);
    assert_eq!(code, 0, "{args:?}");
    out
}

#[test]
fn each_form_gives_the_policy_compose_gives_for_the_same_operations() {
    let cases: [(&str, &[&str], i32); 4] = [
        ("terraform.log", &["list-images", "create-image"], 1),
        (
            "terraform-old.log",
            &["list-images", "delete-image-native"],
            0,
        ),
        ("browser.har", &["list-images", "share-images-batch"], 1),
        ("curl-v.txt", &["register-image"], 1),
    ];
    for (file, ids, exit) in cases {
        let path = fixture(file);
        for extra in [
            &[][..],
            &["--with-dependencies"][..],
            &["--format", "terraform"][..],
            &["--compact"][..],
        ] {
            let args: Vec<&str> = ["compose", "--calls", &path]
                .iter()
                .chain(extra)
                .copied()
                .collect();
            let (out, err, code) = run(&args);
            assert_eq!(code, exit, "{file} {extra:?}: {err}");
            assert_eq!(out, composed(extra, ids), "{file} {extra:?}");
        }
    }
}

#[test]
fn the_report_names_every_call_once_with_its_line_and_what_was_refused() {
    let (_, err, code) = run(&["compose", "--calls", &fixture("terraform.log")]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines[0].starts_with("Read 6 calls from ")
            && lines[0].ends_with("(a Terraform debug log): 4 distinct."),
        "{err}"
    );
    // Repeats count once; the query does not make another call.
    assert!(
        lines.contains(
            &"  2 × GET https://ims.ap-southeast-3.myhuaweicloud.com/v2/cloudimages → list-images"
        ),
        "{err}"
    );
    // A 403 when recorded is marked.
    assert!(
        err.contains("/v2/cloudimages/action → create-image [refused when recorded"),
        "{err}"
    );
    // IMS's own job query is not in its permission reference: named with its line.
    assert!(
        err.contains("jobs/ff8080828a07ffea018a1e2b3c4d5e6f: not matched ("),
        "{err}"
    );
    assert!(
        err.contains("terraform.log:43): the host is `ims`'s"),
        "{err}"
    );
    // Another service's call: its host names it, with the hint to import it.
    assert!(
        err.contains("terraform.log:47): its host is `ecs`'s, and no catalog of `ecs` is loaded"),
        "{err}"
    );
    assert!(
        err.contains("The policy is partial: it covers 2 of 4 distinct calls; 2 not matched."),
        "{err}"
    );
    // HAR entries are named by their number.
    let (_, err, _) = run(&["compose", "--calls", &fixture("browser.har")]);
    assert!(
        err.contains("browser.har entry 4): no loaded catalog has this route"),
        "{err}"
    );
    // In Chinese.
    let (_, err, _) = run(&[
        "--lang",
        "zh",
        "compose",
        "--calls",
        &fixture("terraform.log"),
    ]);
    assert!(
        err.contains("（Terraform 调试日志）读取了 6 个调用，其中 4 个不同。"),
        "{err}"
    );
    assert!(err.contains("［记录时被拒绝"), "{err}");
    assert!(
        err.contains("该策略不完整：覆盖了 4 个不同调用中的 2 个；2 个未匹配。"),
        "{err}"
    );
}

#[test]
fn calls_from_standard_input_and_operations_together() {
    let out = ims()
        .args(["compose", "list-tags", "--calls", "-"])
        .write_stdin("GET /v2/cloudimages\n# done\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        composed(&[], &["list-tags", "list-images"])
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("Read 1 call from standard input (a list of calls): 1 distinct."),
        "{err}"
    );
    assert!(
        err.contains("The policy covers all 1 distinct calls."),
        "{err}"
    );
}

#[test]
fn bad_recordings_are_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let empty = write("empty.txt", "");
    let junk = write("junk.txt", "hello\nworld\n");
    let info = write(
        "info.log",
        "2026-11-30T09:12:01.512+0800 [INFO]  Terraform version: 1.9.8\n",
    );
    let not_har = write("x.json", "{\"entries\": []}");
    let broken = write("broken.har", "{\"log\": {\"entries\": [\n");
    let cases: [(&str, &str); 6] = [
        (&empty, "empty.txt: no API call in it"),
        (
            &junk,
            "junk.txt: no API call in it (expected lines `METHOD URL-or-path`, a Terraform debug log, a HAR file or curl -v output); the first entry that is not one: ",
        ),
        (
            &info,
            "a Terraform log names its requests only at TF_LOG=DEBUG",
        ),
        (
            &not_har,
            "x.json: JSON without `log.entries`: not a HAR file",
        ),
        (&broken, "broken.har:2:0: not a HAR file: invalid JSON"),
        (
            "/nonexistent/calls.txt",
            "cannot read /nonexistent/calls.txt: No such file",
        ),
    ];
    for (file, said) in cases {
        let (out, err, code) = run(&["compose", "--calls", file]);
        assert_eq!((out.as_str(), code), ("", 2), "{file}: {err}");
        assert!(
            err.starts_with("ims-perms: ") && err.contains(said),
            "{file}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
        let (out, _, code) = run(&["lookup", "--calls", file]);
        assert_eq!((out.as_str(), code), ("", 2), "{file}");
    }
    let (out, err, code) = run(&["--lang", "zh", "compose", "--calls", &empty]);
    assert_eq!((out.as_str(), code), ("", 2));
    assert!(err.contains("empty.txt：其中没有 API 调用"), "{err}");
    // A directory.
    let (out, err, code) = run(&["compose", "--calls", dir.path().to_str().unwrap()]);
    assert_eq!((out.as_str(), code), ("", 2), "{err}");
    // Nothing matched: no policy, exit 1, the report still said why.
    let other = write(
        "other.txt",
        "GET https://ecs.x.myhuaweicloud.com/v1/p/cloudservers\n",
    );
    let (out, err, code) = run(&["compose", "--calls", &other]);
    assert_eq!((out.as_str(), code), ("", 1), "{err}");
    assert!(
        err.contains("its host is `ecs`'s")
            && err.ends_with(
                "ims-perms: no policy: no call read matched an operation of the loaded catalogs\n"
            ),
        "{err}"
    );
}

#[test]
fn a_shared_route_is_chosen_with_choose() {
    use ims_perms::testing::{catalog_json, test_op};
    let ops = [
        test_op(
            "backup-create",
            "POST",
            "/v1/{project_id}/backups/action",
            &["csbs:backup:create"],
        ),
        test_op(
            "backup-restore",
            "POST",
            "/v1/{project_id}/backups/action",
            &["csbs:backup:restore"],
        ),
        test_op(
            "list-backups",
            "GET",
            "/v1/{project_id}/backups",
            &["csbs:backup:list"],
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("csbs.json");
    std::fs::write(&catalog, catalog_json("csbs", &ops)).unwrap();
    let calls = dir.path().join("calls.txt");
    std::fs::write(&calls, "GET https://csbs.x.myhuaweicloud.com/v1/p1/backups\nPOST https://csbs.x.myhuaweicloud.com/v1/p1/backups/action\n").unwrap();
    let (catalog, calls) = (catalog.to_str().unwrap(), calls.to_str().unwrap());
    let base = ["--no-builtin", "--catalog", catalog];
    let with =
        |more: &[&str]| -> Vec<String> { base.iter().chain(more).map(|s| s.to_string()).collect() };
    let args = with(&["compose", "--calls", calls]);
    let (out, err, code) = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("csbs:backup:list") && !out.contains("csbs:backup:create"),
        "{out}"
    );
    assert!(
        err.contains("several permissions share this route (")
            && err.contains("): backup-create, backup-restore; say which with --choose ID"),
        "{err}"
    );
    let args = with(&["compose", "--calls", calls, "--choose", "backup-restore"]);
    let (out, err, code) = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("csbs:backup:restore") && !out.contains("csbs:backup:create"),
        "{out}"
    );
    assert!(
        err.contains("→ backup-restore (chosen of backup-create, backup-restore)"),
        "{err}"
    );
    // A choice no call needs is a mistake, said.
    let args = with(&["compose", "--calls", calls, "--choose", "list-backups"]);
    let (out, err, code) = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!((out.as_str(), code), ("", 2));
    assert!(
        err.contains("--choose list-backups: no call read is on a route that operation shares"),
        "{err}"
    );
    // lookup --calls --json says it for scripts.
    let args = with(&["lookup", "--calls", calls, "--json"]);
    let (out, _, code) = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 1);
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(rows[1]["status"], "shared_route");
    assert_eq!(
        rows[1]["candidates"],
        serde_json::json!(["backup-create", "backup-restore"])
    );
    assert_eq!(rows[0]["operations"], serde_json::json!(["list-backups"]));
}

#[test]
fn lookup_calls_is_one_row_per_distinct_call() {
    let (out, err, code) = run(&["lookup", "--calls", &fixture("curl-v.txt")]);
    assert_eq!(code, 1, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("COUNT CALL") && lines[0].ends_with("OPERATION"),
        "{out}"
    );
    assert!(lines[1].starts_with("    1 PUT https://ims.ap-southeast-3.myhuaweicloud.com/v1/cloudimages/9d1b2b4c-1111-4a6e-9c0e-2f7a6f0f7a10/upload ") && lines[1].contains(" register-image [refused when recorded"), "{out}");
    assert!(
        lines[2].contains("os_version")
            && lines[2].contains("not matched (")
            && lines[2].contains("curl-v.txt:23)"),
        "{out}"
    );
    assert!(
        err.contains("Read 2 calls from ") && err.contains("(a curl -v transcript): 2 distinct."),
        "{err}"
    );
    let (out, _, code) = run(&["lookup", "--calls", &fixture("terraform-old.log"), "--json"]);
    assert_eq!(code, 0);
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 2);
    assert_eq!(
        rows[1]["call"],
        "DELETE https://ims.cn-north-4.myhuaweicloud.com/v2/images/9d1b2b4c-1111-4a6e-9c0e-2f7a6f0f7a10"
    );
    assert_eq!(rows[1]["refused"], 1);
    assert_eq!(rows[1]["line"], 6);
    assert_eq!(
        rows[1]["operations"],
        serde_json::json!(["delete-image-native"])
    );
    // A call and --calls together is a usage error.
    let (out, _, code) = run(&[
        "lookup",
        "GET /v2/cloudimages",
        "--calls",
        &fixture("curl-v.txt"),
    ]);
    assert_eq!((out.as_str(), code), ("", 2));
}

#[test]
fn another_services_host_is_never_an_ims_operation() {
    // ECS's and EVS's routes can look like IMS's: the host says they are not.
    let dir = tempfile::tempdir().unwrap();
    let calls = dir.path().join("hosts.txt");
    std::fs::write(
        &calls,
        "GET https://ecs.ap-southeast-3.myhuaweicloud.com/v2/cloudimages\nGET https://evs.ap-southeast-3.myhuaweicloud.com/v2/p1/images/tags\nGET https://ims.ap-southeast-3.myhuaweicloud.com/v2/cloudimages\n",
    )
    .unwrap();
    let (out, err, code) = run(&["compose", "--calls", calls.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(out, composed(&[], &["list-images"]));
    assert!(
        err.contains("ecs.ap-southeast-3.myhuaweicloud.com/v2/cloudimages: not matched"),
        "{err}"
    );
    assert!(
        err.contains("its host is `evs`'s, and no catalog of `evs` is loaded"),
        "{err}"
    );
    let (out, err, code) = run(&[
        "lookup",
        "GET https://ecs.x.myhuaweicloud.com/v2/cloudimages",
    ]);
    assert_eq!((out.as_str(), code), ("", 1));
    assert!(
        err.contains("its host is `ecs`'s") && !err.contains("did you mean"),
        "{err}"
    );
}
