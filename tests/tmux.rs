//! The real binary in tmux: keys sent with `send-keys`, the screen read with `capture-pane`.
//! Needs tmux (and Xvfb and xclip for the system clipboard test): skipped with a message when run
//! by hand without them, a failure when `CI=true`.

use std::path::{Path, PathBuf};
mod common;
use common::have;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_ims-perms");

/// A tmux server of our own (own socket, no config), killed on drop.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(name: &str, width: u16, height: u16, command: &str, env: &[(&str, &str)]) -> Tmux {
        // Up when the search line shows (or, for a program that ends at once, when it ended).
        Self::start_until(name, width, height, command, env, &["│/ ", "EXIT="])
    }

    /// [`Tmux::start`], up when the screen shows one of `ready`.
    fn start_until(
        name: &str,
        width: u16,
        height: u16,
        command: &str,
        env: &[(&str, &str)],
        ready: &[&str],
    ) -> Tmux {
        let socket = format!("ims-perms-test-{name}-{}", std::process::id());
        let t = Tmux { socket };
        let mut cmd = Command::new("tmux");
        cmd.args(["-L", &t.socket, "-f", "/dev/null", "new-session", "-d"])
            .args(["-x", &width.to_string(), "-y", &height.to_string()]);
        for (k, v) in env {
            cmd.args(["-e", &format!("{k}={v}")]);
        }
        // Keep the pane after the program exits, to read its exit code and whether the
        // terminal was left in raw mode (`-icanon`) or restored (`icanon`).
        cmd.arg(format!(
            "{command}; echo EXIT=$?; stty -a | tr ' ' '\\n' | grep -x -- '-\\?icanon'; sleep 60"
        ));
        assert!(cmd.status().unwrap().success());
        t.tmux(&["set-option", "-g", "set-clipboard", "on"]);
        t.wait_for_any(ready);
        t
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Sends tmux key names (`Enter`, `Space`, `C-c`...) as keys and anything else as literal
    /// text (tmux would read `delete` as the Delete key).
    fn keys(&self, keys: &[&str]) {
        const NAMES: [&str; 9] = [
            "Enter", "Space", "Escape", "C-c", "C-z", "Tab", "BSpace", "Up", "Down",
        ];
        for k in keys {
            if NAMES.contains(k) {
                self.tmux(&["send-keys", k]);
            } else {
                self.tmux(&["send-keys", "-l", k]);
            }
            sleep(Duration::from_millis(60));
        }
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p"])
    }

    /// Waits until the screen shows `text`; fails with the screen after 30 s.
    fn wait_for(&self, text: &str) -> String {
        self.wait_for_any(&[text])
    }

    /// Waits until the program has exited and the wrapper has printed the terminal's mode
    /// (the `icanon` line comes a moment after `EXIT=`).
    fn wait_for_exit(&self) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains("EXIT=") && s.lines().any(|l| matches!(l.trim(), "icanon" | "-icanon")) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(30) {
                panic!("timed out waiting for the exit and the terminal mode; screen:\n{s}");
            }
            sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the screen shows one of `texts`; fails with the screen after 30 s.
    fn wait_for_any(&self, texts: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if texts.iter().any(|t| s.contains(t)) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(30) {
                panic!("timed out waiting for {texts:?}; screen:\n{s}");
            }
            sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

fn compose(id: &str) -> String {
    let out = Command::new(BIN).args(["compose", id]).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn osc52_copy_equals_compose_and_q_leaves_cleanly() {
    if !have("tmux") {
        return;
    }
    let t = Tmux::start(
        "osc52",
        160,
        45,
        &format!("{BIN} --clipboard osc52"),
        &[("LANG", "C.UTF-8")],
    );
    t.keys(&["/", "upload", "Enter", "Space"]);
    t.wait_for("1 selected");
    t.keys(&["y"]);
    t.wait_for("via OSC 52");
    let buffer = t.tmux(&["show-buffer"]);
    assert_eq!(buffer, compose("upload-image-native"));
    t.keys(&["?"]);
    let help = t.wait_for(" Help ");
    assert!(help.contains("copy policy"), "{help}");
    t.keys(&["Escape", "q"]);
    let after = t.wait_for("EXIT=");
    assert!(after.contains("EXIT=0"), "{after}");
    assert_eq!(
        t.tmux(&["display-message", "-p", "#{alternate_on}"]).trim(),
        "0"
    );
    assert!(
        !after.contains("Operations"),
        "the alternate screen is gone:\n{after}"
    );
}

#[test]
fn shrinking_and_growing_never_crash() {
    if !have("tmux") {
        return;
    }
    let t = Tmux::start("resize", 120, 40, BIN, &[("LANG", "zh_CN.UTF-8")]);
    t.wait_for("查询镜像列表");
    for (w, h) in [("80", "24"), ("60", "15"), ("30", "8"), ("200", "50")] {
        t.tmux(&["resize-window", "-x", w, "-y", h]);
        sleep(Duration::from_millis(200));
    }
    let screen = t.wait_for("查询镜像列表");
    assert!(!screen.contains("EXIT="), "{screen}");
    t.tmux(&["resize-window", "-x", "30", "-y", "8"]);
    t.wait_for("请放大窗口");
    t.tmux(&["resize-window", "-x", "80", "-y", "24"]);
    t.keys(&["C-c"]);
    assert!(t.wait_for("EXIT=").contains("EXIT=0"));
}

#[test]
fn print_writes_the_policy_to_stdout_after_quitting() {
    if !have("tmux") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("policy.json");
    let command = format!("{BIN} --print > {}", out.display());
    let t = Tmux::start("print", 120, 40, &command, &[("LANG", "C.UTF-8")]);
    t.keys(&["/", "export", "Enter", "Space", "q"]);
    assert!(t.wait_for("EXIT=").contains("EXIT=0"));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        compose("export-image")
    );
}

#[test]
fn write_asks_before_overwriting() {
    if !have("tmux") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let command = format!("cd {} && {BIN}", dir.path().display());
    let t = Tmux::start("write", 120, 40, &command, &[("LANG", "C.UTF-8")]);
    t.keys(&["Space", "w"]);
    t.wait_for("ims-policy.json");
    t.keys(&["Enter"]);
    t.wait_for("Wrote");
    let path = dir.path().join("ims-policy.json");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        compose("list-images")
    );
    t.keys(&["j", "Space", "w", "Enter"]);
    t.wait_for("exists.");
    t.keys(&["n"]);
    t.wait_for("Not written.");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        compose("list-images")
    );
    t.keys(&["w", "Enter"]);
    t.wait_for("exists.");
    t.keys(&["y"]);
    t.wait_for("Wrote");
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("ims:images:update")
    );
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
}

/// Starts Xvfb on a free display number; killed on drop.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    fn start() -> Xvfb {
        for n in 90..120 {
            if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                || Path::new(&format!("/tmp/.X{n}-lock")).exists()
            {
                continue;
            }
            let display = format!(":{n}");
            let child = Command::new("Xvfb")
                .args([&display, "-screen", "0", "640x480x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
            let start = Instant::now();
            while !socket.exists() && start.elapsed() < Duration::from_secs(10) {
                sleep(Duration::from_millis(50));
            }
            return Xvfb { child, display };
        }
        panic!("no free X display");
    }

    fn clipboard(&self) -> String {
        let out = Command::new("xclip")
            .args(["-o", "-selection", "clipboard"])
            .env("DISPLAY", &self.display)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        // SIGTERM, so Xvfb removes its socket as a real shutdown does.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

#[test]
fn system_clipboard_outlives_the_app_under_xvfb() {
    if !(have("tmux") && have("Xvfb") && have("xclip")) {
        return;
    }
    let x = Xvfb::start();
    let t = Tmux::start(
        "xclip",
        120,
        40,
        &format!("{BIN} --clipboard system"),
        &[("LANG", "C.UTF-8"), ("DISPLAY", &x.display)],
    );
    t.keys(&["/", "delete", "Enter", "Space"]);
    t.wait_for("1 selected");
    t.keys(&["y"]);
    t.wait_for("to the system clipboard");
    let expected = compose("delete-image-native");
    assert_eq!(x.clipboard(), expected, "while the app runs");
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    sleep(Duration::from_millis(300));
    assert_eq!(x.clipboard(), expected, "after the app quit");
    // The helper serving the clipboard goes when the display does.
    let display = x.display.clone();
    drop(x);
    let start = Instant::now();
    let serving = || {
        Command::new("pgrep")
            .args(["-f", "ims-perms __serve-clipboard"])
            .env("DISPLAY", &display)
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    while serving() && start.elapsed() < Duration::from_secs(5) {
        sleep(Duration::from_millis(100));
    }
    assert!(!serving(), "the clipboard helper outlived the display");
}

#[test]
fn policy_review_overlay_and_terraform_copy() {
    if !have("tmux") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("admin.json");
    std::fs::write(
        &first,
        r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:*:*"]}, {"Effect": "Deny", "Action": ["ims:images:delete"]}]}"#,
    )
    .unwrap();
    let second = dir.path().join("export.json");
    std::fs::write(
        &second,
        r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:images:export"]}]}"#,
    )
    .unwrap();
    let command = format!("{BIN} --clipboard osc52 --policy {}", first.display());
    let t = Tmux::start("review", 160, 45, &command, &[("LANG", "C.UTF-8")]);
    let screen = t.wait_for("Reviewed");
    assert!(screen.contains("DENY"), "{screen}");
    assert!(screen.contains(" Findings "), "{screen}");
    // 41 allowed, less the 5 that need no action.
    assert!(screen.contains("36 selected"), "{screen}");
    // Open another policy from inside.
    t.keys(&["o", second.to_str().unwrap(), "Enter"]);
    // Operations are selected: it asks before replacing them.
    t.wait_for("replace the selection");
    t.keys(&["y"]);
    // The status line's final text: "Compared with …/export.json:" in the composer shows earlier.
    let screen = t.wait_for("export.json: 1 allowed");
    assert!(screen.contains("1 selected"), "{screen}");
    // Terraform to the clipboard equals `compose --format terraform`.
    t.keys(&["t", "y"]);
    t.wait_for("via OSC 52");
    let expected = Command::new(BIN)
        .args(["compose", "export-image", "--format", "terraform"])
        .output()
        .unwrap();
    assert_eq!(
        t.tmux(&["show-buffer"]),
        String::from_utf8(expected.stdout).unwrap()
    );
    t.keys(&["q"]);
    assert!(t.wait_for("EXIT=").contains("EXIT=0"));
}

#[test]
fn a_large_catalog_searches_in_the_background() {
    if !have("tmux") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut command = format!("{BIN} --no-builtin");
    for (service, doc) in ims_perms::testing::synthetic::catalogs(30_000) {
        let path = dir.path().join(format!("{service}.json"));
        std::fs::write(&path, doc.to_string()).unwrap();
        command.push_str(&format!(" --catalog {}", path.display()));
    }
    let t = Tmux::start("large", 160, 45, &command, &[("LANG", "C.UTF-8")]);
    t.wait_for("30000/30000");
    t.keys(&["/", "ecs:servers:delete"]);
    // The count settles to the number `search` finds, and the `…` of a running search goes.
    let mut search = Command::new(BIN);
    search.arg("--no-builtin");
    for (service, _) in ims_perms::testing::synthetic::catalogs(0) {
        search.args([
            "--catalog",
            dir.path().join(format!("{service}.json")).to_str().unwrap(),
        ]);
    }
    let found = search
        .args(["search", "ecs:servers:delete", "--json"])
        .output()
        .unwrap();
    let hits: serde_json::Value = serde_json::from_slice(&found.stdout).unwrap();
    let n = hits.as_array().unwrap().len();
    let screen = t.wait_for(&format!(" {n}/30000 "));
    let search_line = screen.lines().find(|l| l.contains("/30000")).unwrap();
    assert!(!search_line.contains('…'), "{search_line}");
    assert!(n > 0);
    t.keys(&["Enter", "q"]);
    assert!(t.wait_for("EXIT=").contains("EXIT=0"));
}

#[test]
fn a_panic_restores_the_terminal_before_the_message() {
    if !have("tmux") {
        return;
    }
    let t = Tmux::start(
        "panic",
        100,
        30,
        BIN,
        &[
            ("LANG", "C.UTF-8"),
            ("RUST_BACKTRACE", "0"),
            ("IMS_PERMS_AFTER_FIRST_FRAME", "panic"),
        ],
    );
    let screen = t.wait_for_exit();
    assert!(screen.contains("EXIT=101"), "{screen}");
    assert!(
        screen.contains("IMS_PERMS_AFTER_FIRST_FRAME=panic: a test of the panic hook"),
        "{screen}"
    );
    assert!(
        screen.lines().any(|l| l.trim() == "icanon"),
        "raw mode left on:\n{screen}"
    );
    assert_eq!(
        t.tmux(&["display-message", "-p", "#{alternate_on}"]).trim(),
        "0"
    );
    assert!(
        !screen.contains("Operations"),
        "the alternate screen is gone:\n{screen}"
    );
}

#[test]
fn quitting_leaves_the_terminal_cooked() {
    if !have("tmux") {
        return;
    }
    let t = Tmux::start("cooked", 100, 30, BIN, &[("LANG", "C.UTF-8")]);
    t.keys(&["q"]);
    let screen = t.wait_for_exit();
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(
        screen.lines().any(|l| l.trim() == "icanon"),
        "raw mode left on:\n{screen}"
    );
}

/// The terminal's modes as tmux sees them: alternate screen, mouse reporting, cursor shown.
fn terminal_modes(t: &Tmux) -> String {
    t.tmux(&[
        "display-message",
        "-p",
        "alt=#{alternate_on} mouse=#{mouse_any_flag} cursor=#{cursor_flag}",
    ])
    .trim()
    .to_string()
}

/// Waits until the terminal's modes are `expected` (the cursor is hidden at the end of the
/// first frame, a moment after the screen shows).
fn wait_for_modes(t: &Tmux, expected: &str, what: &str) {
    let start = Instant::now();
    loop {
        let modes = terminal_modes(t);
        if modes == expected {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{what}: modes {modes}, expected {expected}"
        );
        sleep(Duration::from_millis(20));
    }
}

/// Waits for a file the program under test writes (its PID).
fn read_pid(path: &Path) -> String {
    let start = Instant::now();
    loop {
        if let Ok(pid) = std::fs::read_to_string(path)
            && !pid.trim().is_empty()
        {
            return pid.trim().to_string();
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no pid in {path:?}"
        );
        sleep(Duration::from_millis(20));
    }
}

#[test]
fn terminating_signals_restore_the_terminal() {
    if !have("tmux") {
        return;
    }
    for (signal, status) in [("TERM", 143), ("HUP", 129), ("INT", 130), ("QUIT", 131)] {
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("pid");
        let command = format!("sh -c 'echo $$ > {}; exec {BIN}'", pid_file.display());
        let t = Tmux::start(
            &format!("sig{signal}"),
            100,
            30,
            &command,
            &[("LANG", "C.UTF-8")],
        );
        let pid = read_pid(&pid_file);
        t.wait_for("│/ ");
        wait_for_modes(&t, "alt=1 mouse=1 cursor=0", &format!("{signal}: running"));
        let killed = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
        assert!(killed.success());
        let after = t.wait_for_exit();
        assert!(
            after.contains(&format!("EXIT={status}")),
            "{signal}: {after}"
        );
        assert!(
            after.lines().any(|l| l.trim() == "icanon"),
            "{signal}: cooked again:\n{after}"
        );
        wait_for_modes(&t, "alt=0 mouse=0 cursor=1", &format!("{signal}: restored"));
    }
}

/// The PID of the one child process of `parent` (the explorer started from a shell).
fn child_of(parent: &str) -> String {
    let start = Instant::now();
    loop {
        let out = Command::new("pgrep").args(["-P", parent]).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !text.is_empty() {
            return text.lines().next().unwrap().to_string();
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no child of {parent}"
        );
        sleep(Duration::from_millis(20));
    }
}

#[test]
fn suspend_and_resume_from_a_shell() {
    if !have("tmux") || !have("bash") {
        return;
    }
    let t = Tmux::start_until(
        "tstp",
        100,
        30,
        "PS1='shell> ' bash --norc --noprofile -i",
        &[("LANG", "C.UTF-8")],
        &["shell>"],
    );
    let shell = t.tmux(&["display-message", "-p", "#{pane_pid}"]);
    let shell = child_of(shell.trim());
    t.keys(&[BIN, "Enter"]);
    t.wait_for("│/ ");
    let explorer = child_of(&shell);
    // kill -TSTP, as a job control script or `kill %1` would.
    assert!(
        Command::new("kill")
            .args(["-TSTP", &explorer])
            .status()
            .unwrap()
            .success()
    );
    t.wait_for("Stopped");
    wait_for_modes(&t, "alt=0 mouse=0 cursor=1", "given back");
    t.keys(&["fg", "Enter"]);
    t.wait_for("│/ ");
    wait_for_modes(&t, "alt=1 mouse=1 cursor=0", "taken again");
    // Raw mode again: keys arrive one by one, without Enter, and do not echo.
    t.keys(&["/", "upload"]);
    let screen = t.wait_for("/ upload");
    assert!(screen.contains("Uploading"), "{screen}");
    // Ctrl-Z from the keyboard does the same.
    t.keys(&["Escape", "C-z"]);
    t.wait_for("Stopped");
    t.keys(&["fg", "Enter"]);
    t.wait_for("│/ ");
    t.keys(&["q"]);
    t.wait_for("shell>");
    wait_for_modes(&t, "alt=0 mouse=0 cursor=1", "after q");
}

#[test]
fn unreadable_policies_fifos_and_huge_pastes_never_break_the_explorer() {
    if !have("tmux") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.json");
    std::fs::write(&empty, "").unwrap();
    let fifo = dir.path().join("fifo.json");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    // --policy /dev/null: was a panic (index out of bounds).
    let t = Tmux::start(
        "badpolicy",
        160,
        45,
        &format!("{BIN} --policy /dev/null"),
        &[("LANG", "C.UTF-8")],
    );
    let screen = t.wait_for("Cannot review /dev/null");
    assert!(screen.contains("invalid JSON"), "{screen}");
    // Select a row, then open an empty file: the selection stays.
    t.keys(&["Space"]);
    t.wait_for("1 selected");
    t.keys(&["o", empty.to_str().unwrap(), "Enter"]);
    let screen = t.wait_for("Cannot review");
    assert!(screen.contains("1 selected"), "{screen}");
    // A FIFO is refused at once instead of blocking for good.
    t.keys(&["o", fifo.to_str().unwrap(), "Enter"]);
    t.wait_for("it is a FIFO, not a regular file");
    // A 100 KB paste is cut to the field's limit, and the explorer keeps answering.
    let paste = dir.path().join("paste.txt");
    std::fs::write(&paste, "x".repeat(100_000)).unwrap();
    t.tmux(&["load-buffer", paste.to_str().unwrap()]);
    t.keys(&["/"]);
    t.tmux(&["paste-buffer", "-p"]);
    t.wait_for("Too long: cut at 512 characters");
    t.keys(&["BSpace", "BSpace", "BSpace", "BSpace"]);
    // The end of a long query shows, with the cursor.
    t.keys(&["END"]);
    let screen = t.wait_for("xxxEND▏");
    assert!(screen.contains("│/ …x"), "{screen}");
    t.keys(&["Escape", "C-c"]);
    let after = t.wait_for_exit();
    assert!(after.contains("EXIT=0"), "{after}");
}

#[test]
fn writes_refuse_directories_and_explain_pseudo_files() {
    if !have("tmux") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let t = Tmux::start(
        "writes",
        160,
        45,
        BIN,
        &[("LANG", "C.UTF-8"), ("HOME", dir.path().to_str().unwrap())],
    );
    t.keys(&["Space", "w"]);
    t.wait_for("Write the policy to");
    // Clear the proposed name, then a directory.
    for _ in 0..20 {
        t.keys(&["BSpace"]);
    }
    t.keys(&[dir.path().to_str().unwrap(), "Enter"]);
    t.wait_for("it is a directory; only a regular file is replaced");
    t.keys(&["w"]);
    t.wait_for("Write the policy to");
    for _ in 0..20 {
        t.keys(&["BSpace"]);
    }
    // ~ is the home folder, as in a shell.
    t.keys(&["~/mine.json", "Enter"]);
    t.wait_for("bytes to ");
    assert!(dir.path().join("mine.json").exists());
    // A pseudo file: asked, then told why it cannot be written.
    t.keys(&["w"]);
    t.wait_for("Write the policy to");
    for _ in 0..20 {
        t.keys(&["BSpace"]);
    }
    t.keys(&["/proc/version", "Enter"]);
    t.wait_for("Overwrite?");
    t.keys(&["y"]);
    t.wait_for("cannot write /proc/version: cannot create a temporary file in its folder");
    t.keys(&["C-c"]);
    assert!(t.wait_for_exit().contains("EXIT=0"));
}

#[test]
fn a_closed_terminal_or_a_stuck_reader_never_leaves_the_explorer_running() {
    if !have("tmux") {
        return;
    }
    // The terminal goes away (SIGHUP): the explorer must not spin on the dead terminal.
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    let command = format!("sh -c 'echo $$ > {}; exec {BIN}'", pid_file.display());
    let t = Tmux::start("hangup", 100, 30, &command, &[("LANG", "C.UTF-8")]);
    let pid = read_pid(&pid_file);
    t.wait_for("│/ ");
    t.tmux(&["kill-server"]);
    let gone = |pid: &str| !Path::new(&format!("/proc/{pid}")).exists();
    let start = Instant::now();
    while !gone(&pid) && start.elapsed() < Duration::from_secs(10) {
        sleep(Duration::from_millis(50));
    }
    assert!(gone(&pid), "the explorer outlived its terminal");

    // A bracketed paste that never ends blocks the terminal reader: SIGTERM still works.
    let pid_file = dir.path().join("pid2");
    let command = format!("sh -c 'echo $$ > {}; exec {BIN}'", pid_file.display());
    let t = Tmux::start("stuck", 100, 30, &command, &[("LANG", "C.UTF-8")]);
    let pid = read_pid(&pid_file);
    t.wait_for("│/ ");
    t.tmux(&["send-keys", "-l", "\u{1b}[200~abc"]);
    sleep(Duration::from_millis(200));
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let after = t.wait_for_exit();
    assert!(after.contains("EXIT=143"), "{after}");
    wait_for_modes(&t, "alt=0 mouse=0 cursor=1", "restored by the watchdog");
}

#[test]
fn copy_inside_tmux_says_when_tmux_drops_it_and_policy_comes_from_stdin() {
    if !have("tmux") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("p.json");
    std::fs::write(
        &policy,
        r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:images:export"]}]}"#,
    )
    .unwrap();
    // `--policy -` reads standard input, as `explain -` does.
    let command = format!("{BIN} --clipboard osc52 --policy - < {}", policy.display());
    let t = Tmux::start("tmuxclip", 160, 45, &command, &[("LANG", "C.UTF-8")]);
    t.wait_for("Reviewed standard input: 1 allowed");
    // With set-clipboard off, tmux drops an application's OSC 52: say so, do not claim a copy.
    t.tmux(&["set-option", "-g", "set-clipboard", "off"]);
    t.keys(&["y"]);
    let screen = t.wait_for("Not copied: tmux's set-clipboard is off");
    assert!(screen.contains("tmux set -g set-clipboard on"), "{screen}");
    t.tmux(&["set-option", "-g", "set-clipboard", "on"]);
    t.keys(&["y"]);
    t.wait_for("via OSC 52");
    t.keys(&["q"]);
    assert!(t.wait_for_exit().contains("EXIT=0"));
}

#[test]
fn stopped_by_sigstop_and_brought_back_with_fg() {
    if !have("tmux") || !have("bash") {
        return;
    }
    let t = Tmux::start_until(
        "sigstop",
        100,
        30,
        "PS1='shell> ' bash --norc --noprofile -i",
        &[("LANG", "C.UTF-8")],
        &["shell>"],
    );
    let shell = t.tmux(&["display-message", "-p", "#{pane_pid}"]);
    let shell = child_of(shell.trim());
    t.keys(&[BIN, "Enter"]);
    t.wait_for("│/ ");
    let explorer = child_of(&shell);
    t.keys(&["Space"]);
    t.wait_for("1 selected");
    assert!(
        Command::new("kill")
            .args(["-STOP", &explorer])
            .status()
            .unwrap()
            .success()
    );
    t.wait_for("Stopped");
    t.keys(&["fg", "Enter"]);
    // Continued: the terminal is taken again and the screen redrawn, the session kept.
    t.wait_for("1 selected");
    wait_for_modes(&t, "alt=1 mouse=1 cursor=0", "taken again after SIGCONT");
    t.keys(&["/", "upload"]);
    let screen = t.wait_for("/ upload");
    assert!(screen.contains("Uploading"), "{screen}");
    t.keys(&["Escape", "q"]);
    t.wait_for("shell>");
    wait_for_modes(&t, "alt=0 mouse=0 cursor=1", "after q");
}

#[test]
fn calls_select_their_operations_from_a_file_and_from_a_paste() {
    if !have("tmux") {
        return;
    }
    let log = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/calls/terraform.log"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("policy.json");
    // --calls: the calls' operations selected at start, said on the status line.
    let command = format!("{BIN} --calls {log} --print > {}", out.display());
    let t = Tmux::start("calls", 160, 45, &command, &[("LANG", "C.UTF-8")]);
    let screen = t.wait_for("Read 6 calls (4 distinct)");
    assert!(screen.contains("2 selected"), "{screen}");
    assert!(
        screen.contains("selected 2 operations; 2 distinct calls not matched"),
        "{screen}"
    );
    t.keys(&["q"]);
    assert!(t.wait_for_exit().contains("EXIT=0"));
    let composed = Command::new(BIN)
        .args(["compose", "--calls", log])
        .output()
        .unwrap();
    assert_eq!(
        std::fs::read(&out).unwrap(),
        composed.stdout,
        "the explorer's policy is compose's"
    );
    drop(t);

    // A pasted block of calls asks first; a pasted block of other lines is said, the
    // search unchanged; at 80x24, in Chinese.
    let t = Tmux::start("paste-calls", 80, 24, BIN, &[("LANG", "zh_CN.UTF-8")]);
    let calls = dir.path().join("calls.txt");
    std::fs::write(&calls, "GET /v2/cloudimages\nDELETE /v2/images/ab 403\n").unwrap();
    t.tmux(&["load-buffer", calls.to_str().unwrap()]);
    t.keys(&["/"]);
    t.tmux(&["paste-buffer", "-p"]);
    let screen = t.wait_for("选择这 2 个调用需要的 2 个操作？");
    assert!(screen.contains("(y/n)"), "{screen}");
    t.keys(&["y"]);
    let screen = t.wait_for("已选中 2 个操作");
    assert!(screen.contains("已选 2 个"), "{screen}");
    let junk = dir.path().join("junk.txt");
    std::fs::write(&junk, "delete image\nshare image\n").unwrap();
    t.tmux(&["load-buffer", junk.to_str().unwrap()]);
    t.keys(&["/"]);
    t.tmux(&["paste-buffer", "-p"]);
    let screen = t.wait_for("粘贴的几行不是 API 调用");
    assert!(
        screen.contains("43/43"),
        "the search is unchanged: {screen}"
    );
    t.keys(&["Escape", "C-c"]);
    assert!(t.wait_for_exit().contains("EXIT=0"));
}

#[test]
fn the_review_detail_says_why_and_the_smallest_fix() {
    if !have("tmux") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("p.json");
    std::fs::write(
        &policy,
        r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:images:*"]}, {"Effect": "Deny", "Action": ["ims:images:copy"]}]}"#,
    )
    .unwrap();
    let command = format!("{BIN} --policy {}", policy.display());
    let t = Tmux::start("simulate", 200, 50, &command, &[("LANG", "C.UTF-8")]);
    t.wait_for("Reviewed ");
    t.keys(&["/", "cross_region", "Enter"]);
    let screen = t.wait_for("smallest fix: remove \"ims:images:copy\" from Statement[1] (Deny)");
    assert!(
        screen.contains("explicitly denied: ims:images:copy denied by Statement[1] (Deny)")
            && screen.contains("it also allows: copy-image (POST /v1/cloudimages/{image_id}/copy)"),
        "{screen}"
    );
    t.keys(&["q"]);
    assert!(t.wait_for_exit().contains("EXIT=0"));
}
