//! Shell completion in the real shells: the script `completions SHELL` prints is loaded in
//! bash, zsh and fish, and asked for candidates as the shell would on Tab. Needs zsh and fish
//! besides bash: skipped with a message when run by hand without them, a failure when `CI=true`.

mod common;
use common::have;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_ims-perms");

/// The script for `shell`, written to a file in `dir`.
fn script(shell: &str, dir: &std::path::Path) -> std::path::PathBuf {
    let out = Command::new(BIN)
        .args(["completions", shell])
        .output()
        .unwrap();
    assert!(out.status.success());
    let path = dir.join(format!("ims-perms.{shell}"));
    std::fs::write(&path, out.stdout).unwrap();
    path
}

/// Runs `code` in `shell` and returns its stdout, one candidate a line, each cut at `sep` (where
/// the shell's description starts).
fn run_shell(shell: &str, args: &[&str], code: &str, sep: &str) -> Vec<String> {
    // Bounded: a completion that blocks (on a FIFO, say) fails the test instead of hanging it.
    let out = Command::new("timeout")
        .arg("30")
        .arg(shell)
        .args(args)
        .arg(code)
        .env_remove("LC_ALL")
        .env("LANG", "C.UTF-8")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{shell}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| l.split(sep).next().unwrap_or("").to_string())
        .collect()
}

/// What bash offers for `words`, the last being the word under the cursor: the function
/// `complete -F` registered, called as bash calls it.
fn bash(script: &std::path::Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let code = format!(
        r#"source '{}'
fn=$(complete -p ims-perms | sed -n 's/.*-F \([^ ]*\) .*/\1/p')
COMP_WORDS=({words}); COMP_CWORD={cword}; COMP_LINE="${{COMP_WORDS[*]}}"; COMP_POINT=${{#COMP_LINE}}; COMP_TYPE=9
"$fn" ims-perms "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#,
        script.display(),
        words = quoted.join(" "),
        cword = words.len() - 1,
    );
    run_shell("bash", &["--norc", "--noprofile", "-c"], &code, "\n")
}

/// What zsh's completion function hands to `_describe` for `words`.
fn zsh(script: &std::path::Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let code = format!(
        "compdef() {{}}; _describe() {{ print -rl -- ${{(P)3}}; }}; source '{}'; words=({}); CURRENT={}; _clap_dynamic_completer_ims_perms",
        script.display(),
        quoted.join(" "),
        words.len()
    );
    // zsh's items are `value:description`, a `:` in the value written `\:`.
    let items = run_shell("zsh", &["-f", "-c"], &code, "\n");
    items
        .into_iter()
        .map(|i| {
            let mut value = String::new();
            let mut chars = i.chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    ':' => break,
                    c => value.push(c),
                }
            }
            value
        })
        .collect()
}

/// What fish's `complete -C` answers for the command line.
fn fish(script: &std::path::Path, line: &str) -> Vec<String> {
    let code = format!("source '{}'; complete -C '{line}'", script.display());
    run_shell("fish", &["--no-config", "-c"], &code, "\t")
}

fn assert_offers(offered: &[String], expected: &[&str], shell: &str) {
    for e in expected {
        assert!(
            offered.iter().any(|o| o == e),
            "{shell} does not offer {e}: {offered:?}"
        );
    }
}

#[test]
fn bash_completes_subcommand_options_ids_and_conditional_actions() {
    let dir = tempfile::tempdir().unwrap();
    let s = script("bash", dir.path());
    // A subcommand's options (the static script's were dead: `compose --fo<Tab>` gave nothing).
    assert_eq!(
        bash(&s, &["ims-perms", "compose", "--fo"]),
        ["--force", "--format"]
    );
    assert_offers(&bash(&s, &["ims-perms", "sea"]), &["search"], "bash");
    // Operation ids of the loaded catalogs, and conditional actions after --with.
    let ids = bash(&s, &["ims-perms", "compose", "get-q"]);
    assert_eq!(ids, ["get-quota"]);
    let with = bash(
        &s,
        &["ims-perms", "compose", "create-image", "--with", "ims:"],
    );
    assert_offers(&with, &["ims:serverImages:create"], "bash");
    // Internal switches are no options at all: nothing to offer, even typed in part.
    assert!(bash(&s, &["ims-perms", "--exit"]).is_empty());
    assert!(bash(&s, &["ims-perms", "--pan"]).is_empty());
}

#[test]
fn ids_come_from_the_catalogs_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let s = script("bash", dir.path());
    // The one-row ECS table of ../shared, imported.
    let table = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/vendor-tables/forms/six-col-dependencies-ecs.zh.html"
    );
    let imported = Command::new(BIN).args(["import", table]).output().unwrap();
    assert!(imported.status.success());
    let catalog = dir.path().join("ecs.json");
    std::fs::write(&catalog, imported.stdout).unwrap();
    let path = catalog.to_str().unwrap();
    assert!(bash(&s, &["ims-perms", "compose", "post-v2-1"]).is_empty());
    assert_eq!(
        bash(
            &s,
            &["ims-perms", "--catalog", path, "compose", "post-v2-1"]
        ),
        ["post-v2-1-project-id-servers-server-id-action"]
    );
    assert_eq!(
        bash(
            &s,
            &[
                "ims-perms",
                &format!("--catalog={path}"),
                "compose",
                "post-v2-1"
            ]
        ),
        ["post-v2-1-project-id-servers-server-id-action"]
    );
}

#[test]
fn zsh_completes_options_and_ids() {
    if !have("zsh") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let s = script("zsh", dir.path());
    assert_eq!(
        zsh(&s, &["ims-perms", "compose", "--fo"]),
        ["--force", "--format"]
    );
    assert_eq!(zsh(&s, &["ims-perms", "compose", "get-q"]), ["get-quota"]);
    let with = zsh(
        &s,
        &["ims-perms", "compose", "create-image", "--with", "ims:"],
    );
    assert_offers(&with, &["ims:serverImages:create"], "zsh");
    assert!(zsh(&s, &["ims-perms", "--exit"]).is_empty());
}

#[test]
fn fish_completes_options_and_ids() {
    if !have("fish") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let s = script("fish", dir.path());
    assert_eq!(fish(&s, "ims-perms compose --fo"), ["--force", "--format"]);
    assert_eq!(fish(&s, "ims-perms compose get-q"), ["get-quota"]);
    let with = fish(&s, "ims-perms compose create-image --with ims:");
    assert_offers(&with, &["ims:serverImages:create"], "fish");
    assert!(fish(&s, "ims-perms --exit").is_empty());
}
