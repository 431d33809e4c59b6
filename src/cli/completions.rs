//! `completions SHELL`, and the candidates the shell asks for (operation ids, conditional actions).

use std::path::PathBuf;

use clap::CommandFactory;
use clap_complete::engine::CompletionCandidate;

use ims_perms::catalog::Catalog;
use ims_perms::lang::Lang;

use super::*;

/// The environment variable under which the shell asks the binary for completions.
pub const COMPLETE_VAR: &str = "IMS_PERMS_COMPLETE";

/// The command as clap sees it, for completions.
pub fn command() -> clap::Command {
    Cli::command()
}

/// The shell's registration script: it asks this binary for the candidates each time (clap's
/// dynamic completion), so operation ids come from the catalogs loaded, never a stale list.
pub(super) fn completions(shell: ShellArg) -> Result<Exit, Failure> {
    use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
    let completer: &dyn EnvCompleter = match shell {
        ShellArg::Bash => &Bash,
        ShellArg::Zsh => &Zsh,
        ShellArg::Fish => &Fish,
        ShellArg::Elvish => &Elvish,
        ShellArg::Powershell => &Powershell,
    };
    // The script calls back this very binary (a path that works wherever it is installed).
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| p.to_str().map(str::to_string))
        .unwrap_or_else(|| "ims-perms".to_string());
    let mut buf = Vec::new();
    completer
        .write_registration(COMPLETE_VAR, "ims-perms", "ims-perms", &exe, &mut buf)
        .or_else(|e| fail(Exit::BadInput, CommandError::Script(e)))?;
    emit(&String::from_utf8_lossy(&buf))?;
    Ok(Exit::Success)
}

/// The catalogs the command line being completed names: the built-in one unless
/// `--no-builtin`, and each `--catalog FILE` it holds (unreadable ones left out: completing
/// never fails).
pub(super) fn catalog_for_completion() -> Catalog {
    let args: Vec<String> = std::env::args().skip_while(|a| a != "--").collect();
    let mut catalog = if args.iter().any(|a| a == "--no-builtin") {
        Catalog::new()
    } else {
        Catalog::builtin().unwrap_or_default()
    };
    let mut files: Vec<PathBuf> = Vec::new();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        if word == "--catalog" {
            files.extend(words.next().map(|w| PathBuf::from(unquoted(w))));
        } else if let Some(file) = word.strip_prefix("--catalog=") {
            files.push(PathBuf::from(unquoted(file)));
        }
    }
    for file in files {
        // Only a regular file: a Tab must never wait on a FIFO or a device.
        if std::fs::metadata(&file).is_ok_and(|m| m.is_file()) {
            let cache = ims_perms::io::cache::default_dir();
            let _ = ims_perms::load::load_files(&mut catalog, &[file], cache.as_deref());
        }
    }
    catalog
}

/// A word as bash and zsh hand it over, quotes and backslashes still in it (`'my ecs.json'`,
/// `my\ ecs.json`): read as the shell would, when it reads as one word.
fn unquoted(word: &str) -> String {
    match shlex::split(word).as_deref() {
        Some([one]) => one.clone(),
        _ => word.to_string(),
    }
}

/// Operation ids, each with its English name.
pub(super) fn operation_ids() -> Vec<CompletionCandidate> {
    let catalog = catalog_for_completion();
    let mut seen = std::collections::HashSet::new();
    catalog
        .operations()
        .iter()
        .filter(|o| seen.insert(o.id.clone()))
        .map(|o| {
            CompletionCandidate::new(o.id.clone()).help(Some(
                ims_perms::text::escape_controls(o.name.get(Lang::En)).into(),
            ))
        })
        .collect()
}

/// Conditional actions, each with the id of an operation that has it.
pub(super) fn conditional_actions() -> Vec<CompletionCandidate> {
    let catalog = catalog_for_completion();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for op in catalog.operations() {
        for a in op.actions.iter().filter(|a| a.is_conditional()) {
            if seen.insert(a.action.to_ascii_lowercase()) {
                out.push(
                    CompletionCandidate::new(a.action.to_string())
                        .help(Some(format!("conditional for {}", op.id).into())),
                );
            }
        }
    }
    out
}
