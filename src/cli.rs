//! Subcommands. Results go to stdout, diagnostics to stderr. Exit codes: 0 success, 1 nothing
//! found (no match, no policy), 2 bad input (arguments, catalogs, unknown operations, files).

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::{CommandFactory, Parser, Subcommand};
use clap_complete::Shell;

use ims_perms::catalog::Catalog;
use ims_perms::export::ExportFormat;
use ims_perms::input::{ReadOptions, Source, read_text};
use ims_perms::lang::Lang;
use ims_perms::output::{operation_detail, operations_table};
use ims_perms::policy::{ComposeOptions, Effect, compose, report_lines};
use ims_perms::query::{SearchIndex, search};
use ims_perms::resolve::resolve_operation;
use ims_perms::route::{self, Request};
use ims_perms::tui::clipboard::ClipboardMode;

const AFTER_HELP: &str = "\
Examples:
  ims-perms list
  ims-perms search upload -is:native
  ims-perms compose list-images \"PUT /v2/images/{image_id}/file\" > policy.json
  ims-perms lookup \"GET https://ims.example.com/v2/images/ab12?x=1\"";

/// Huawei Cloud IMS permissions: search them and compose least-privilege IAM policies.
#[derive(Debug, Parser)]
#[command(name = "ims-perms", version, after_help = AFTER_HELP)]
struct Cli {
    /// Add operations from a catalog file in the ims-perms JSON format (repeatable).
    #[arg(long, global = true, value_name = "FILE")]
    catalog: Vec<PathBuf>,

    /// Leave the built-in IMS catalog out (use only --catalog files).
    #[arg(long, global = true)]
    no_builtin: bool,

    /// Language of names, notes and reports [default: from LC_ALL / LC_MESSAGES / LANG].
    #[arg(long, global = true, value_enum)]
    lang: Option<Lang>,

    /// Explorer: how `y` copies the policy (auto: OSC 52 over SSH or without a display, else
    /// the system clipboard, falling back to OSC 52) [default: $IMS_PERMS_CLIPBOARD, else auto].
    #[arg(long, value_enum)]
    clipboard: Option<ClipboardMode>,

    /// Explorer: print the composed policy on stdout after quitting (`ims-perms --print > p.json`).
    #[arg(long)]
    print: bool,

    /// Explorer: review this policy file: rows marked allowed / denied / partial / not granted,
    /// findings shown, the composer starting from what it fully allows.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,

    /// Explorer: show the last keys pressed in the footer (for demos).
    #[arg(long)]
    show_keys: bool,

    /// Benchmarks only: quit right after the explorer's first frame is drawn.
    #[arg(long, hide = true)]
    exit_after_first_frame: bool,

    /// Tests only: panic right after the first frame, to check the terminal is restored.
    #[arg(long, hide = true)]
    panic_after_first_frame: bool,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List every operation: its actions, scopes and route.
    List {
        /// Print the operations as a JSON array in the catalog format.
        #[arg(long)]
        json: bool,
    },
    /// Search operations with the query language (see README): `ims-perms search delete -is:deprecated`.
    Search {
        /// Query terms, all of which must match (a leading `-` negates a term).
        #[arg(required = true, value_name = "QUERY")]
        query: Vec<String>,
        /// Print the results as a JSON array in the catalog format, best first.
        #[arg(long)]
        json: bool,
    },
    /// Compose the smallest custom policy allowing the given operations.
    Compose {
        /// An operation id (`list-images`) or route (`"PUT /v2/images/{image_id}/file"`; a
        /// concrete path or URL works too).
        #[arg(required = true, value_name = "OPERATION")]
        operations: Vec<String>,
        /// Include this conditional action (repeatable).
        #[arg(long = "with", value_name = "ACTION")]
        with: Vec<String>,
        /// Include every conditional action of the chosen operations.
        #[arg(long)]
        all_conditional: bool,
        /// The statement's Effect.
        #[arg(long, value_enum, default_value = "allow")]
        effect: Effect,
        /// Write the policy to FILE instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Overwrite FILE if it exists.
        #[arg(long, requires = "output")]
        force: bool,
        /// Output format: the policy JSON, or a Terraform `huaweicloud_identity_role`.
        #[arg(long, value_enum, default_value = "json")]
        format: ExportFormat,
        /// Terraform: the role's name.
        #[arg(long, default_value = ims_perms::export::DEFAULT_ROLE_NAME)]
        name: String,
        /// Replace actions with wildcards where, over the loaded catalogs, that grants exactly
        /// the same operations.
        #[arg(long)]
        compact: bool,
    },
    /// Explain and lint an existing policy: what it allows, denies, and what is wrong or too broad.
    Explain {
        /// A policy file, or `-` for standard input.
        #[arg(value_name = "FILE|-")]
        file: OsString,
        /// Print `{"operations": [...], "findings": [...]}`.
        #[arg(long)]
        json: bool,
    },
    /// Which operation an API call is, and the actions it needs: `ims-perms lookup "GET /v2/images/ab12"`.
    Lookup {
        /// `METHOD PATH` or `METHOD URL` (one argument, or the method and the path as two).
        #[arg(required = true, num_args = 1..=2, value_name = "METHOD PATH-OR-URL")]
        request: Vec<String>,
        /// Print the matching operations as a JSON array, best first.
        #[arg(long)]
        json: bool,
    },
    /// Read a Huawei Cloud permission table (HTML, Chinese or English) and print it as a catalog.
    ImportHtml {
        /// The HTML page, or `-` for standard input.
        #[arg(value_name = "FILE|-")]
        file: OsString,
        /// The catalog's service (default: the service part of the table's actions).
        #[arg(long)]
        service: Option<String>,
    },
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
}

/// Options that take a value (as a separate word, or after `=`).
const VALUE_OPTIONS: [&str; 3] = ["--catalog", "--lang", "--clipboard"];

/// Query terms may start with `-` (`-is:native`), which clap would take for unknown options, while
/// options after them (`--json`, `--no-builtin`, `--catalog=c.json`) must stay options. So after
/// `search`, every `--word` (and `-h`) moves in front of the terms, with its value, and a `--`
/// goes between: `search upload -is:native --json` becomes `search --json -- upload -is:native`.
/// A single-dash word stays a (negated) term. A command line that already has `--` is left alone.
fn search_terms_after_flags(args: Vec<OsString>) -> Vec<OsString> {
    let text: Vec<Option<&str>> = args.iter().map(|a| a.to_str()).collect();
    if text.contains(&Some("--")) {
        return args;
    }
    // Find the subcommand: the first word that is neither an option nor an option's value.
    let mut i = 1;
    while i < args.len() {
        match text[i] {
            Some(a) if VALUE_OPTIONS.contains(&a) => i += 2,
            Some(a) if a.starts_with('-') => i += 1,
            _ => break,
        }
    }
    if i >= args.len() || text[i] != Some("search") {
        return args;
    }
    let mut front: Vec<OsString> = args[..=i].to_vec();
    let mut terms: Vec<OsString> = Vec::new();
    let mut j = i + 1;
    while j < args.len() {
        let word = text[j];
        let takes_value = word.is_some_and(|w| VALUE_OPTIONS.contains(&w));
        let is_option = word.is_some_and(|w| w.starts_with("--") || w == "-h");
        if takes_value {
            front.push(args[j].clone());
            if let Some(value) = args.get(j + 1) {
                front.push(value.clone());
            }
            j += 2;
        } else {
            if is_option {
                front.push(args[j].clone());
            } else {
                terms.push(args[j].clone());
            }
            j += 1;
        }
    }
    front.push(OsString::from("--"));
    front.extend(terms);
    front
}

/// A failure: its exit code and one line for stderr.
struct Failure {
    code: i32,
    message: String,
}

fn fail<T>(code: i32, message: impl Into<String>) -> Result<T, Failure> {
    Err(Failure {
        code,
        message: message.into(),
    })
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

/// Parses arguments and runs; returns the process exit code.
pub fn run() -> i32 {
    let args = search_terms_after_flags(std::env::args_os().collect());
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with exit 0, usage errors to stderr with 2.
            let _ = e.print();
            return e.exit_code();
        }
    };
    match execute(cli) {
        Ok(code) => code,
        Err(f) => {
            note(&format!("ims-perms: {}", f.message));
            f.code
        }
    }
}

fn execute(cli: Cli) -> Result<i32, Failure> {
    let lang = cli.lang.unwrap_or_else(Lang::from_env);
    let command = match cli.command {
        Some(c) => c,
        None => {
            let catalog = load_catalogs(&cli.catalog, cli.no_builtin)?;
            let clipboard = clipboard_mode(cli.clipboard)?;
            let policy = match &cli.policy {
                Some(path) => {
                    let source = Source::from_arg(path.as_os_str());
                    match read_text(&source, ReadOptions::default()) {
                        Ok(text) => Some((source.shown(), text)),
                        Err(e) => return fail(2, e.to_string()),
                    }
                }
                None => None,
            };
            let options = ims_perms::tui::Options {
                exit_after_first_frame: cli.exit_after_first_frame,
                panic_after_first_frame: cli.panic_after_first_frame,
                policy,
                lang,
                clipboard,
                show_keys: cli.show_keys,
                no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            };
            let policy = match ims_perms::tui::run(catalog, options) {
                Ok(p) => p,
                Err(e) => return fail(2, format!("cannot run the explorer: {e}")),
            };
            if cli.print {
                match policy {
                    Some(json) => emit(&json),
                    None => return fail(1, "no policy: nothing selected that needs an IAM action"),
                }
            }
            return Ok(0);
        }
    };
    if let Command::Completions { shell } = command {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "ims-perms", &mut buf);
        emit(&String::from_utf8_lossy(&buf));
        return Ok(0);
    }
    if let Command::ImportHtml { file, service } = &command {
        return import_html(file, service.as_deref());
    }
    let catalog = load_catalogs(&cli.catalog, cli.no_builtin)?;
    match command {
        Command::List { json } => {
            let all: Vec<usize> = (0..catalog.len()).collect();
            print_operations(&catalog, &all, json, lang)?;
            Ok(0)
        }
        Command::Search { query, json } => {
            let index = SearchIndex::new(&catalog);
            let input = query.join(" ");
            let hits = match search(&catalog, &index, &input) {
                Ok(hits) => hits,
                Err(e) => return fail(2, format!("query {e}")),
            };
            if hits.is_empty() {
                return fail(
                    1,
                    format!(
                        "no operation matches \"{}\"",
                        ims_perms::text::escape_controls(&input)
                    ),
                );
            }
            let found: Vec<usize> = hits.iter().map(|h| h.index).collect();
            print_operations(&catalog, &found, json, lang)?;
            Ok(0)
        }
        Command::Compose {
            operations,
            with,
            all_conditional,
            effect,
            output,
            force,
            format,
            name,
            compact,
        } => {
            let mut chosen = Vec::new();
            for spec in &operations {
                match resolve_operation(&catalog, spec) {
                    Ok(i) => chosen.push(i),
                    Err(e) => return fail(2, e.to_string()),
                }
            }
            let options = ComposeOptions {
                with,
                all_conditional,
                effect,
            };
            let composition = match compose(&catalog, &chosen, &options) {
                Ok(c) => c,
                Err(e) => return fail(2, e.to_string()),
            };
            let report = report_lines(&catalog, &composition, effect, lang);
            let Some(policy) = &composition.policy else {
                note(&report.join("\n"));
                return fail(1, "no policy: the chosen operations need no IAM action");
            };
            let mut policy = policy.clone();
            let mut report = report;
            if compact {
                let (compacted, changes) = ims_perms::export::compact(&catalog, &policy);
                if changes.is_empty() {
                    report.push(match lang {
                        Lang::En => {
                            "Compact: no wildcard grants exactly the same operations; unchanged."
                                .into()
                        }
                        Lang::Zh => "精简：没有通配符能授予完全相同的操作；未改变。".into(),
                    });
                } else {
                    for c in &changes {
                        report.push(match lang {
                            Lang::En => format!(
                                "Compact: {} replaces {}",
                                c.wildcard,
                                c.replaced.join(", ")
                            ),
                            Lang::Zh => {
                                format!("精简：{} 替代 {}", c.wildcard, c.replaced.join(", "))
                            }
                        });
                    }
                    report.push(match lang {
                        Lang::En => {
                            "Warning: wildcards also match actions added to the service later."
                                .into()
                        }
                        Lang::Zh => "警告：通配符也会匹配服务以后新增的授权项。".into(),
                    });
                }
                policy = compacted;
            }
            let json = match format {
                ExportFormat::Json => policy.to_json(),
                ExportFormat::Terraform => ims_perms::export::terraform(
                    &catalog,
                    &composition.report.operations,
                    &policy,
                    &name,
                ),
            };
            // The policy first: the report is commentary, and a stderr that cannot be written
            // must not cost the policy.
            match output {
                Some(path) => {
                    write_new_file(&path, &json, force)?;
                    note(&report.join("\n"));
                    let shown = ims_perms::input::shown_path(&path);
                    note(&match lang {
                        Lang::En => format!("Wrote {} bytes to {shown}", json.len()),
                        Lang::Zh => format!("已写入 {} 字节到 {shown}", json.len()),
                    });
                }
                None => {
                    emit(&json);
                    note(&report.join("\n"));
                }
            }
            Ok(0)
        }
        Command::Lookup { request, json } => {
            let input = request.join(" ");
            let parsed = match Request::parse(&input) {
                Ok(r) => r,
                Err(e) => return fail(2, e),
            };
            let hits = route::lookup(&catalog, &parsed);
            if hits.is_empty() {
                let closest: Vec<String> = route::closest(&catalog, &parsed, 3)
                    .into_iter()
                    .map(|i| catalog.operations()[i].route())
                    .collect();
                return fail(
                    1,
                    format!(
                        "no operation matches {} {}; closest: {}",
                        parsed.method,
                        ims_perms::text::escape_controls(&parsed.path()),
                        closest.join(", ")
                    ),
                );
            }
            if json {
                print_operations(&catalog, &hits, true, lang)?;
            } else {
                let ops = catalog.operations();
                let mut out = operation_detail(&ops[hits[0]], lang);
                if hits.len() > 1 {
                    out.push_str(match lang {
                        Lang::En => "Also matches (less specific, or another service):\n",
                        Lang::Zh => "也匹配（不够具体，或其他服务）：\n",
                    });
                    for &i in &hits[1..] {
                        out.push_str(&format!(
                            "  {}  ({}: {})\n",
                            ops[i].route(),
                            ops[i].service,
                            ops[i].id
                        ));
                    }
                }
                emit(&out);
            }
            Ok(0)
        }
        Command::Explain { file, json } => {
            let text = match read_text(&Source::from_arg(&file), ReadOptions::default()) {
                Ok(t) => t,
                Err(e) => return fail(2, e.to_string()),
            };
            let review = ims_perms::review::explain(&catalog, &text);
            if json {
                let doc = ims_perms::review::ReviewJson {
                    operations: &review.operations,
                    findings: &review.findings,
                };
                let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
                out.push('\n');
                emit(&out);
            } else {
                emit(&ims_perms::review::report_text(&catalog, &review, lang));
            }
            Ok(if review.has_errors() { 1 } else { 0 })
        }
        Command::Completions { .. } | Command::ImportHtml { .. } => {
            unreachable!("answered before the catalogs load")
        }
    }
}

/// `import-html`: the table as a catalog on stdout, checked by the catalog loader first so the
/// output always loads.
fn import_html(file: &std::ffi::OsStr, service: Option<&str>) -> Result<i32, Failure> {
    let source = Source::from_arg(file);
    let shown = source.shown();
    let html = match read_text(&source, ReadOptions::default()) {
        Ok(t) => t,
        Err(e) => return fail(2, e.to_string()),
    };
    let title = ims_perms::import::title_of(&html).unwrap_or_else(|| shown.clone());
    let catalog = match ims_perms::import::import_html(&html, service, &title) {
        Ok(v) => v,
        Err(e) => return fail(2, format!("{shown}: {e}")),
    };
    let mut text = serde_json::to_string_pretty(&catalog).unwrap_or_default();
    text.push('\n');
    if let Err(e) = ims_perms::catalog::parse(&shown, &text) {
        return fail(2, format!("the imported table is not a valid catalog: {e}"));
    }
    emit(&text);
    Ok(0)
}

/// The built-in catalog (unless `no_builtin`) plus every `--catalog` file; the first broken file
/// stops everything.
fn load_catalogs(files: &[PathBuf], no_builtin: bool) -> Result<Catalog, Failure> {
    let mut catalog = if no_builtin {
        Catalog::new()
    } else {
        match Catalog::builtin() {
            Ok(c) => c,
            Err(e) => return fail(2, e.to_string()),
        }
    };
    if let Err(e) = catalog.load_files(files) {
        return fail(2, e.to_string());
    }
    if catalog.is_empty() {
        return fail(
            2,
            "no operations: --no-builtin needs at least one --catalog file",
        );
    }
    Ok(catalog)
}

fn print_operations(
    catalog: &Catalog,
    indices: &[usize],
    json: bool,
    lang: Lang,
) -> Result<(), Failure> {
    if json {
        let ops: Vec<_> = indices.iter().map(|&i| &catalog.operations()[i]).collect();
        let mut text = match serde_json::to_string_pretty(&ops) {
            Ok(t) => t,
            Err(e) => return fail(2, format!("cannot write JSON: {e}")),
        };
        text.push('\n');
        emit(&text);
    } else {
        emit(&operations_table(catalog, indices, lang));
    }
    Ok(())
}

/// Writes to stdout; a closed pipe (`| head`) ends the program quietly instead of panicking.
fn emit(text: &str) {
    if stdout_was_closed() {
        note("ims-perms: cannot write to stdout: it is closed");
        std::process::exit(2);
    }
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        if e.kind() == io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        note(&format!("ims-perms: cannot write to stdout: {e}"));
        std::process::exit(2);
    }
}

/// Writes `text` to `path` (see [`ims_perms::output::write_file`]): refused when the file
/// exists unless `force`.
fn write_new_file(path: &Path, text: &str, force: bool) -> Result<(), Failure> {
    let shown = ims_perms::input::shown_path(path);
    ims_perms::output::write_file(path, text, force).map_err(|e| Failure {
        code: 2,
        message: match e {
            ims_perms::output::WriteError::Exists => {
                format!("{shown} exists; use --force to overwrite it")
            }
            e => format!("cannot write {shown}: {e}"),
        },
    })
}

/// The explorer's clipboard mode: `--clipboard`, else `$IMS_PERMS_CLIPBOARD`, else auto. The
/// variable is read only when the explorer starts, so a bad value never breaks `list`.
fn clipboard_mode(flag: Option<ClipboardMode>) -> Result<ClipboardMode, Failure> {
    use clap::ValueEnum;
    if let Some(mode) = flag {
        return Ok(mode);
    }
    match std::env::var_os("IMS_PERMS_CLIPBOARD") {
        None => Ok(ClipboardMode::Auto),
        Some(v) if v.is_empty() => Ok(ClipboardMode::Auto),
        Some(v) => {
            let text = v.to_string_lossy();
            ClipboardMode::from_str(text.trim(), true).or_else(|_| {
                fail(
                    2,
                    format!(
                        "IMS_PERMS_CLIPBOARD=\"{}\": expected auto, system, osc52 or none",
                        ims_perms::text::escape_controls(&text)
                    ),
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
