//! What the end-to-end tests share.

use assert_cmd::Command;

/// The real binary, independent of the machine's locale (a test that wants one sets it).
#[allow(dead_code)] // not every test file runs the binary through assert_cmd
pub fn ims() -> Command {
    let mut cmd = Command::cargo_bin("ims-perms").expect("the binary is built");
    cmd.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        // The cache of parsed catalogs under target/, not the user's: every test goes through
        // it (a test that wants another sets its own).
        .env(
            "IMS_PERMS_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/catalog-cache"),
        );
    cmd
}

/// Whether a system tool is installed: a skip (with a message) when run by hand without it, a
/// failure when `CI=true` (`.ci/run` installs it).
#[allow(dead_code)] // not every test file needs a system tool
pub fn have(tool: &str) -> bool {
    let found = std::process::Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{tool} is required in CI (.ci/run installs it)");
        }
        eprintln!("skipped: {tool} is not installed");
    }
    found
}
