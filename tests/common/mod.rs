//! What the end-to-end tests share.

use assert_cmd::Command;

/// The real binary, independent of the machine's locale (a test that wants one sets it).
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
