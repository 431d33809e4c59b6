//! Subcommands. Results go to stdout, diagnostics to stderr. Exit codes: 0 success, 1 nothing
//! found (no match, no policy, findings that are errors), 2 bad input (arguments, catalogs,
//! unknown operations, files). Each subcommand is one function over its own arguments; all of
//! them return a [`Failure`] instead of exiting, and [`run`] turns it into the exit code.

mod args;
mod calls;
mod completions;
mod compose;
mod explain;
mod explore;
mod import;
mod list;
mod lookup;
mod search;
mod simulate;
mod terraform;

use args::*;
use completions::completions;
pub use completions::{COMPLETE_VAR, command};
use compose::compose_policy;
use explain::explain;
use explore::explore;
use import::import;
use list::list;
use lookup::lookup;
use search::search;
use simulate::simulate;
use terraform::terraform;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::Parser;

use ims_perms::catalog::{Catalog, Operation};
use ims_perms::io::input::{ReadOptions, Source, read_text};
use ims_perms::lang::Lang;
use ims_perms::present::{self, CommandError, Worded};

/// How the program ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exit {
    Success = 0,
    /// No match, no policy, a policy with errors.
    NothingFound = 1,
    /// Bad arguments, catalogs, operations or files.
    BadInput = 2,
}

/// A failure: its exit code and why, worded on stderr in the chosen language (none when the
/// output pipe was closed by its reader, `| head`, which is no failure to report).
struct Failure {
    exit: Exit,
    error: Option<Box<CommandError>>,
}

fn fail<T>(exit: Exit, error: impl Into<CommandError>) -> Result<T, Failure> {
    Err(Failure {
        exit,
        error: Some(Box::new(error.into())),
    })
}

/// Parses arguments and runs; returns the process exit code.
pub fn run() -> i32 {
    let args = search_terms_after_flags(std::env::args_os().collect());
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with exit 0, usage errors to stderr with 2;
            // help that cannot be written is not a success.
            return match e.print() {
                Ok(()) => e.exit_code(),
                Err(_) if e.exit_code() == 0 => Exit::BadInput as i32,
                Err(_) => e.exit_code(),
            };
        }
    };
    let result = match cli.command {
        None => explore(&cli.global, &cli.explorer),
        Some(command) => execute(&cli.global, command),
    };
    match result {
        Ok(exit) => exit as i32,
        Err(failure) => {
            if let Some(error) = failure.error {
                note(&format!(
                    "ims-perms: {}",
                    error.worded(lang_of(&cli.global))
                ));
            }
            failure.exit as i32
        }
    }
}

fn lang_of(global: &Global) -> Lang {
    global.lang.map_or_else(Lang::from_env, Lang::from)
}

fn execute(global: &Global, command: Command) -> Result<Exit, Failure> {
    let lang = lang_of(global);
    match command {
        Command::Completions { shell } => completions(shell),
        // Loads the catalogs only to name the service of a page whose actions name none.
        Command::Import(args) => import(&args, global, lang),
        Command::List(args) => list(&load_catalogs(global)?, &args, lang),
        Command::Search(args) => search(global, &args, lang),
        Command::Compose(args) => compose_policy(&load_catalogs(global)?, &args, lang),
        Command::Explain(args) => explain(&load_catalogs(global)?, &args, lang),
        Command::Lookup(args) => lookup(&load_catalogs(global)?, &args, lang),
        Command::Simulate(args) => simulate(&load_catalogs(global)?, &args, lang),
        Command::Terraform(args) => terraform(&load_catalogs(global)?, &args, lang),
    }
}

/// A file or standard input, bounded and checked (see [`ims_perms::io::input`]).
fn read_input(source: &Source) -> Result<String, Failure> {
    read_text(source, ReadOptions::default()).or_else(|e| fail(Exit::BadInput, e))
}

/// The built-in catalog (unless `--no-builtin`) plus every `--catalog` file; the first broken
/// file stops everything.
fn load_catalogs(global: &Global) -> Result<Catalog, Failure> {
    non_empty(load_catalogs_or_none(global)?, global)
}

/// [`load_catalogs`], none at all allowed (`import` asks them only for routes).
fn load_catalogs_or_none(global: &Global) -> Result<Catalog, Failure> {
    let mut catalog = if global.no_builtin {
        Catalog::new()
    } else {
        Catalog::builtin().or_else(|e| fail(Exit::BadInput, e))?
    };
    ims_perms::load::load_files(&mut catalog, &global.catalog, cache_dir(global).as_deref())
        .or_else(|e| fail(Exit::BadInput, e))?;
    Ok(catalog)
}

/// The catalog, unless it has no operations (`--no-builtin` with empty catalog files).
fn non_empty(catalog: Catalog, global: &Global) -> Result<Catalog, Failure> {
    if catalog.is_empty() {
        return fail(Exit::BadInput, no_operations(global));
    }
    Ok(catalog)
}

/// Why there is nothing to answer from: no catalog given, or the ones given are empty.
fn no_operations(global: &Global) -> CommandError {
    CommandError::NoOperations {
        files: global
            .catalog
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect(),
    }
}

/// The cache of parsed catalogs, unless `--no-cache`.
fn cache_dir(global: &Global) -> Option<PathBuf> {
    (!global.no_cache)
        .then(ims_perms::io::cache::default_dir)
        .flatten()
}

fn print_operations(
    catalog: &Catalog,
    indices: &[usize],
    json: bool,
    lang: Lang,
) -> Result<(), Failure> {
    let ops: Vec<&Operation> = indices.iter().map(|&i| &catalog.operations()[i]).collect();
    print_found(&ops, catalog.services().len() > 1, json, lang)
}

/// Operations as a table (with a service column when `with_service`), or as JSON.
fn print_found(
    ops: &[&Operation],
    with_service: bool,
    json: bool,
    lang: Lang,
) -> Result<(), Failure> {
    if json {
        let mut text = serde_json::to_string_pretty(&ops)
            .or_else(|e| fail(Exit::BadInput, CommandError::Json(e.to_string())))?;
        text.push('\n');
        emit(&text)
    } else {
        emit(&present::table_of_operations(ops, with_service, lang))
    }
}

/// A line on stderr. A stderr that cannot be written (`2>/dev/full`, closed) must not stop the
/// program: the results on stdout matter more than the commentary.
fn note(text: &str) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "{text}");
}

/// Whether standard output was closed when the program started (`ims-perms list >&-`). Rust's
/// runtime reopens a closed descriptor 1 on /dev/null, read-write, before `main`, so the results
/// would silently vanish. A shell's `>/dev/null` opens it write-only, so it is not mistaken.
fn stdout_was_closed() -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: F_GETFL on a descriptor number only queries the process's descriptor table.
    let flags = unsafe { libc::fcntl(1, libc::F_GETFL) };
    if flags == -1 {
        return true;
    }
    if flags & libc::O_ACCMODE != libc::O_RDWR {
        return false;
    }
    let (Ok(out), Ok(null)) = (
        std::fs::metadata("/dev/stdout"),
        std::fs::metadata("/dev/null"),
    ) else {
        return false;
    };
    out.rdev() == null.rdev() && out.dev() == null.dev() && out.ino() == null.ino()
}

/// Writes results to stdout. A pipe closed by its reader (`| head`) ends the program quietly;
/// any other failure (a full disk, a closed stdout) is exit 2.
fn emit(text: &str) -> Result<(), Failure> {
    if stdout_was_closed() {
        return fail(Exit::BadInput, CommandError::StdoutClosed);
    }
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(Failure {
            exit: Exit::Success,
            error: None,
        }),
        Err(e) => fail(Exit::BadInput, CommandError::Stdout(e)),
    }
}

/// Writes `text` to `path` (see [`ims_perms::io::output::write_file`]): refused when the file
/// exists unless `force`.
fn write_new_file(path: &Path, text: &str, force: bool, lang: Lang) -> Result<(), Failure> {
    let shown = ims_perms::io::input::shown_path(path);
    let existing = ims_perms::io::output::existing(path);
    ims_perms::io::output::write_file(path, text, force).or_else(|e| match e {
        ims_perms::io::output::WriteError::Exists => fail(
            Exit::BadInput,
            CommandError::FileExists {
                shown: shown.clone(),
                existing: existing.clone().unwrap_or_default(),
            },
        ),
        error => fail(
            Exit::BadInput,
            CommandError::Write {
                shown: shown.clone(),
                error,
            },
        ),
    })?;
    // Said after the fact too: the other names of a hard-linked file still hold the old text.
    if let Some(existing) = existing.filter(|e| e.hard_links > 1) {
        note(&present::hard_links_kept(
            &shown,
            existing.hard_links - 1,
            lang,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use std::ffi::OsString;

    fn rewrite(line: &str) -> String {
        let args = line.split(' ').map(OsString::from).collect();
        search_terms_after_flags(args)
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn search_flags_move_before_the_terms() {
        assert_eq!(
            rewrite("ims-perms search upload -is:native --json"),
            "ims-perms search --json -- upload -is:native"
        );
        assert_eq!(
            rewrite("ims-perms --lang zh --catalog x.json search -m:get --catalog y.json a"),
            "ims-perms --lang zh --catalog x.json search --catalog y.json -- -m:get a"
        );
        assert_eq!(
            rewrite("ims-perms search --lang=en -x"),
            "ims-perms search --lang=en -- -x"
        );
        assert_eq!(
            rewrite("ims-perms search -- -x --json"),
            "ims-perms search -- -x --json"
        );
        assert_eq!(rewrite("ims-perms list --json"), "ims-perms list --json");
        assert_eq!(
            rewrite("ims-perms search op --no-builtin --catalog=c.json -m:get --lang zh"),
            "ims-perms search --no-builtin --catalog=c.json --lang zh -- op -m:get"
        );
        assert_eq!(
            rewrite("ims-perms compose search"),
            "ims-perms compose search"
        );
    }

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
