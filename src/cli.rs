//! Subcommands. Results go to stdout, diagnostics to stderr. Exit codes: 0 success, 1 nothing
//! found (no match, no policy, findings that are errors), 2 bad input (arguments, catalogs,
//! unknown operations, files). Each subcommand is one function over its own arguments; all of
//! them return a [`Failure`] instead of exiting, and [`run`] turns it into the exit code.

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};

use ims_perms::catalog::route::Request;
use ims_perms::catalog::{Catalog, Operation};
use ims_perms::io::input::{ReadOptions, Source, read_text};
use ims_perms::lang::Lang;
use ims_perms::policy::compose::{ComposeOptions, Effect, compose};
use ims_perms::policy::export::ExportFormat;
use ims_perms::present::{self, Advice, Said};
use ims_perms::search::resolve::{self, resolve_operation};
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
    #[command(flatten)]
    global: Global,

    #[command(flatten)]
    explorer: ExplorerArgs,

    #[command(subcommand)]
    command: Option<Command>,
}

/// Options every command takes.
#[derive(Debug, Args)]
struct Global {
    /// Add operations from a catalog file in the ims-perms JSON format (repeatable).
    #[arg(long, global = true, value_name = "FILE")]
    catalog: Vec<PathBuf>,

    /// Leave the built-in IMS catalog out (use only --catalog files).
    #[arg(long, global = true)]
    no_builtin: bool,

    /// Parse every --catalog file, without the cache of parsed catalogs (see README).
    #[arg(long, global = true)]
    no_cache: bool,

    /// Language of names, notes and reports [default: from LC_ALL / LC_MESSAGES / LANG].
    #[arg(long, global = true, value_enum)]
    lang: Option<LangArg>,
}

/// The explorer's options (no subcommand).
#[derive(Debug, Args)]
struct ExplorerArgs {
    /// Explorer: how `y` copies the policy (auto: OSC 52 over SSH or without a display, else
    /// the system clipboard, falling back to OSC 52) [default: $IMS_PERMS_CLIPBOARD, else auto].
    #[arg(long, value_enum)]
    clipboard: Option<ClipboardArg>,

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
}

/// For benchmarks and tests only, and so not an option a user could meet in `--help` or a
/// completion: `exit` quits right after the explorer's first frame, `panic` panics there (to
/// check the terminal is restored).
const AFTER_FIRST_FRAME_VAR: &str = "IMS_PERMS_AFTER_FIRST_FRAME";

#[derive(Debug, Subcommand)]
enum Command {
    /// List every operation: its actions, scopes and route.
    List(ListArgs),
    /// Search operations with the query language (see README): `ims-perms search delete -is:deprecated`.
    Search(SearchArgs),
    /// Compose the smallest custom policy allowing the given operations.
    Compose(ComposeArgs),
    /// Explain and lint an existing policy: what it allows, denies, and what is wrong or too broad.
    Explain(ExplainArgs),
    /// Which operation an API call is, and the actions it needs: `ims-perms lookup "GET /v2/images/ab12"`.
    Lookup(LookupArgs),
    /// Read Huawei Cloud permission tables (HTML or Markdown, Chinese or English, every published
    /// form) from one or more files and print them as one catalog.
    #[command(alias = "import-html")]
    Import(ImportArgs),
    /// Turn an existing JSON policy into a Terraform `huaweicloud_identity_role`.
    Terraform(TerraformArgs),
    /// Print a shell completion script (`source <(ims-perms completions bash)`): subcommands,
    /// options, and the operation ids and conditional actions of the loaded catalogs.
    Completions {
        #[arg(value_enum)]
        shell: ShellArg,
    },
}

#[derive(Debug, Args)]
struct ListArgs {
    /// Print the operations as a JSON array in the catalog format.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct SearchArgs {
    /// Query terms, all of which must match (a leading `-` negates a term).
    #[arg(required = true, value_name = "QUERY")]
    query: Vec<String>,
    /// Print the results as a JSON array in the catalog format, best first.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct ComposeArgs {
    /// An operation id (`list-images`) or route (`"PUT /v2/images/{image_id}/file"`; a
    /// concrete path or URL works too).
    #[arg(required = true, value_name = "OPERATION", add = ArgValueCandidates::new(operation_ids))]
    operations: Vec<String>,
    /// Include this conditional action (repeatable).
    #[arg(long = "with", value_name = "ACTION", add = ArgValueCandidates::new(conditional_actions))]
    with: Vec<String>,
    /// Include every conditional action of the chosen operations.
    #[arg(long)]
    all_conditional: bool,
    /// Include the actions the chosen operations depend on to work from the console (the
    /// report names them otherwise; some are broad wildcards).
    #[arg(long)]
    with_dependencies: bool,
    /// The statement's Effect.
    #[arg(long, value_enum, default_value = "allow")]
    effect: EffectArg,
    /// Write the policy to FILE instead of stdout (`-` is stdout).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Overwrite FILE if it exists (a symbolic link is kept and the file it points to rewritten).
    #[arg(long, requires = "output")]
    force: bool,
    /// Output format: the policy JSON, or a Terraform `huaweicloud_identity_role`.
    #[arg(long, value_enum, default_value = "json")]
    format: FormatArg,
    /// Terraform: the role's name.
    #[arg(long, default_value = ims_perms::policy::export::DEFAULT_ROLE_NAME)]
    name: String,
    /// Replace actions with wildcards where, over the loaded catalogs, that grants exactly
    /// the same operations.
    #[arg(long)]
    compact: bool,
}

#[derive(Debug, Args)]
struct ExplainArgs {
    /// A policy file, or `-` for standard input.
    #[arg(value_name = "FILE|-")]
    file: OsString,
    /// Print `{"operations": [...], "findings": [...]}`.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct LookupArgs {
    /// `METHOD PATH` or `METHOD URL` (one argument, or the method and the path as two).
    #[arg(required = true, num_args = 1..=2, value_name = "METHOD PATH-OR-URL")]
    request: Vec<String>,
    /// Print the matching operations as a JSON array, best first.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct TerraformArgs {
    /// A policy file, or `-` for standard input.
    #[arg(value_name = "FILE|-")]
    file: OsString,
    /// The role's name.
    #[arg(long, default_value = ims_perms::policy::export::DEFAULT_ROLE_NAME)]
    name: String,
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// Pages or files with permission tables (HTML, Markdown), or `-` for standard input.
    #[arg(required = true, value_name = "FILE|-")]
    files: Vec<OsString>,
    /// The catalog's service (default: the service of the rows' first actions).
    #[arg(long)]
    service: Option<String>,
    /// Mark the catalog complete: these are all of the service's permission tables, so
    /// `--compact` may use wildcards over the service.
    #[arg(long)]
    complete: bool,
}

// The core's enums as the command line spells them: clap stays out of the library.

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum EffectArg {
    Allow,
    Deny,
}

impl From<EffectArg> for Effect {
    fn from(e: EffectArg) -> Effect {
        match e {
            EffectArg::Allow => Effect::Allow,
            EffectArg::Deny => Effect::Deny,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Json,
    Terraform,
}

impl From<FormatArg> for ExportFormat {
    fn from(f: FormatArg) -> ExportFormat {
        match f {
            FormatArg::Json => ExportFormat::Json,
            FormatArg::Terraform => ExportFormat::Terraform,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ClipboardArg {
    Auto,
    System,
    Osc52,
    None,
}

impl From<ClipboardArg> for ClipboardMode {
    fn from(c: ClipboardArg) -> ClipboardMode {
        match c {
            ClipboardArg::Auto => ClipboardMode::Auto,
            ClipboardArg::System => ClipboardMode::System,
            ClipboardArg::Osc52 => ClipboardMode::Osc52,
            ClipboardArg::None => ClipboardMode::None,
        }
    }
}

/// How the program ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exit {
    Success = 0,
    /// No match, no policy, a policy with errors.
    NothingFound = 1,
    /// Bad arguments, catalogs, operations or files.
    BadInput = 2,
}

/// A failure: its exit code and one line for stderr (none when the output pipe was closed by
/// its reader, `| head`, which is no failure to report).
struct Failure {
    exit: Exit,
    message: Option<String>,
}

fn fail<T>(exit: Exit, message: impl Into<String>) -> Result<T, Failure> {
    Err(Failure {
        exit,
        message: Some(message.into()),
    })
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
            if let Some(message) = failure.message {
                note(&format!("ims-perms: {message}"));
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
        // These two need no catalog.
        Command::Completions { shell } => completions(shell),
        Command::Import(args) => import(&args, lang),
        Command::List(args) => list(&load_catalogs(global)?, &args, lang),
        Command::Search(args) => search(global, &args, lang),
        Command::Compose(args) => compose_policy(&load_catalogs(global)?, &args, lang),
        Command::Explain(args) => explain(&load_catalogs(global)?, &args, lang),
        Command::Lookup(args) => lookup(&load_catalogs(global)?, &args, lang),
        Command::Terraform(args) => terraform(&load_catalogs(global)?, &args, lang),
    }
}

/// No subcommand: the explorer.
fn explore(global: &Global, args: &ExplorerArgs) -> Result<Exit, Failure> {
    let catalog = load_catalogs(global)?;
    let clipboard = clipboard_mode(args.clipboard)?;
    let policy = match &args.policy {
        Some(path) => {
            let source = Source::from_arg(path.as_os_str());
            Some((source.shown(), read_input(&source)?))
        }
        None => None,
    };
    let options = ims_perms::tui::Options {
        exit_after_first_frame: std::env::var(AFTER_FIRST_FRAME_VAR).as_deref() == Ok("exit"),
        panic_after_first_frame: std::env::var(AFTER_FIRST_FRAME_VAR).as_deref() == Ok("panic"),
        policy,
        lang: lang_of(global),
        clipboard,
        show_keys: args.show_keys,
        no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
    };
    let policy = ims_perms::tui::run(catalog, options)
        .or_else(|e| fail(Exit::BadInput, format!("cannot run the explorer: {e}")))?;
    if args.print {
        match policy {
            Some(json) => emit(&json)?,
            None => {
                return fail(
                    Exit::NothingFound,
                    "no policy: nothing selected that needs an IAM action",
                );
            }
        }
    }
    Ok(Exit::Success)
}

/// The environment variable under which the shell asks the binary for completions.
pub const COMPLETE_VAR: &str = "IMS_PERMS_COMPLETE";

/// The command as clap sees it, for completions.
pub fn command() -> clap::Command {
    Cli::command()
}

/// The shells a completion script is written for.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum ShellArg {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

/// The shell's registration script: it asks this binary for the candidates each time (clap's
/// dynamic completion), so operation ids come from the catalogs loaded, never a stale list.
fn completions(shell: ShellArg) -> Result<Exit, Failure> {
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
        .or_else(|e| fail(Exit::BadInput, format!("cannot write the script: {e}")))?;
    emit(&String::from_utf8_lossy(&buf))?;
    Ok(Exit::Success)
}

/// The catalogs the command line being completed names: the built-in one unless
/// `--no-builtin`, and each `--catalog FILE` it holds (unreadable ones left out: completing
/// never fails).
fn catalog_for_completion() -> Catalog {
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
            files.extend(words.next().map(PathBuf::from));
        } else if let Some(file) = word.strip_prefix("--catalog=") {
            files.push(PathBuf::from(file));
        }
    }
    for file in files {
        let _ = ims_perms::load::load_files(&mut catalog, &[file], None);
    }
    catalog
}

/// Operation ids, each with its English name.
fn operation_ids() -> Vec<CompletionCandidate> {
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
fn conditional_actions() -> Vec<CompletionCandidate> {
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

fn list(catalog: &Catalog, args: &ListArgs, lang: Lang) -> Result<Exit, Failure> {
    let all: Vec<usize> = (0..catalog.len()).collect();
    print_operations(catalog, &all, args.json, lang)?;
    Ok(Exit::Success)
}

fn search(global: &Global, args: &SearchArgs, lang: Lang) -> Result<Exit, Failure> {
    use ims_perms::load::searchable::{SearchError, search_files};
    let input = args.query.join(" ");
    let found = search_files(
        !global.no_builtin,
        &global.catalog,
        cache_dir(global).as_deref(),
        &input,
    )
    .or_else(|e| match e {
        SearchError::Catalog(e) => fail(Exit::BadInput, e.to_string()),
        SearchError::Query(e) => fail(Exit::BadInput, format!("query {e}")),
        SearchError::NoOperations => fail(Exit::BadInput, no_operations(global)),
    })?;
    if found.operations.is_empty() {
        return nothing_matches(&input);
    }
    let ops: Vec<&Operation> = found.operations.iter().collect();
    print_found(&ops, found.several_services, args.json, lang)?;
    Ok(Exit::Success)
}

fn nothing_matches(input: &str) -> Result<Exit, Failure> {
    fail(
        Exit::NothingFound,
        format!(
            "no operation matches \"{}\"",
            ims_perms::text::quoted_input(input)
        ),
    )
}

fn compose_policy(catalog: &Catalog, args: &ComposeArgs, lang: Lang) -> Result<Exit, Failure> {
    let mut chosen = Vec::new();
    for spec in &args.operations {
        let i =
            resolve_operation(catalog, spec).or_else(|e| fail(Exit::BadInput, e.to_string()))?;
        chosen.push(i);
    }
    let effect = Effect::from(args.effect);
    let options = ComposeOptions {
        with: args.with.clone(),
        all_conditional: args.all_conditional,
        with_dependencies: args.with_dependencies,
        dependencies_of: Vec::new(),
        effect,
    };
    let composition =
        compose(catalog, &chosen, &options).or_else(|e| fail(Exit::BadInput, e.to_string()))?;
    let mut report = present::compose_report(catalog, &composition, effect, lang, Advice::Cli);
    let Some(policy) = &composition.policy else {
        note(&report.join("\n"));
        return fail(
            Exit::NothingFound,
            "no policy: the chosen operations need no IAM action",
        );
    };
    let mut policy = policy.clone();
    if args.compact {
        let (compacted, changes, declined) = ims_perms::policy::export::compact(catalog, &policy);
        report.extend(present::compact_report(&changes, &declined, lang));
        policy = compacted;
    }
    let text = match ExportFormat::from(args.format) {
        ExportFormat::Json => policy.to_json(),
        ExportFormat::Terraform => ims_perms::policy::export::terraform(
            catalog,
            &composition.report.operations,
            &policy,
            &args.name,
        ),
    };
    // The policy first: the report is commentary, and a stderr that cannot be written must not
    // cost the policy.
    match args.output.as_ref().filter(|p| p.as_os_str() != "-") {
        Some(path) => {
            write_new_file(path, &text, args.force, lang)?;
            note(&report.join("\n"));
            note(&present::said(
                &Said::Wrote {
                    bytes: text.len(),
                    path: ims_perms::io::input::shown_path(path),
                },
                lang,
            ));
        }
        None => {
            emit(&text)?;
            note(&report.join("\n"));
        }
    }
    Ok(Exit::Success)
}

fn lookup(catalog: &Catalog, args: &LookupArgs, lang: Lang) -> Result<Exit, Failure> {
    let input = args.request.join(" ");
    let request = Request::parse(&input).or_else(|e| fail(Exit::BadInput, e))?;
    let hits = resolve::lookup(catalog, &request);
    if hits.is_empty() {
        let closest: Vec<String> = resolve::closest(catalog, &request, 3)
            .into_iter()
            .map(|i| catalog.operations()[i].route())
            .collect();
        let host_service = request.service_from_host(&catalog.services());
        let hint = match (host_service, closest.is_empty()) {
            (Some(service), true) => format!("; {}", resolve::no_such_route(service)),
            (Some(service), false) => format!(
                "; {}; did you mean: {}",
                resolve::no_such_route(service),
                closest.join(", ")
            ),
            (None, true) => "; it may be another service's API or a newer one: import its permission table with `ims-perms import`".to_string(),
            (None, false) => format!("; did you mean: {}", closest.join(", ")),
        };
        return fail(
            Exit::NothingFound,
            format!(
                "no operation in the loaded catalogs matches {} {}{hint}",
                request.method,
                ims_perms::text::quoted_input(&request.path()),
            ),
        );
    }
    if args.json {
        print_operations(catalog, &hits, true, lang)?;
        return Ok(Exit::Success);
    }
    let ops = catalog.operations();
    // Several permissions on one route are equals: each in full.
    let best = resolve::lookup_best(catalog, &request);
    let mut out = String::new();
    if best.len() > 1 {
        out.push_str(&present::shared_route(best.len(), lang));
        out.push('\n');
    }
    for &i in &best {
        out.push_str(&present::operation_detail(&ops[i], lang));
    }
    let hits: Vec<usize> = hits.into_iter().filter(|i| !best.contains(i)).collect();
    if !hits.is_empty() {
        out.push_str(present::also_matches(lang));
        out.push('\n');
        for &i in &hits {
            out.push_str(&format!(
                "  {}  ({}: {})\n",
                ops[i].route(),
                ops[i].service,
                ops[i].id
            ));
        }
    }
    emit(&out)?;
    Ok(Exit::Success)
}

fn explain(catalog: &Catalog, args: &ExplainArgs, lang: Lang) -> Result<Exit, Failure> {
    let text = read_input(&Source::from_arg(&args.file))?;
    let review = ims_perms::policy::review::explain(catalog, &text);
    if args.json {
        let doc = present::review_json(&review);
        let mut out = serde_json::to_string_pretty(&doc)
            .or_else(|e| fail(Exit::BadInput, format!("cannot write JSON: {e}")))?;
        out.push('\n');
        emit(&out)?;
    } else {
        emit(&present::review_report(catalog, &review, lang))?;
    }
    Ok(if review.has_errors() {
        Exit::NothingFound
    } else {
        Exit::Success
    })
}

/// `import`: the tables as one catalog on stdout (checked by the catalog's own checks, so it
/// always loads), and what was read on stderr.
fn import(args: &ImportArgs, lang: Lang) -> Result<Exit, Failure> {
    let mut inputs = Vec::new();
    for file in &args.files {
        let source = Source::from_arg(file);
        inputs.push(ims_perms::import::ImportInput {
            name: source.shown(),
            text: read_input(&source)?,
        });
    }
    let (mut catalog, report) = ims_perms::import::import(&inputs, args.service.as_deref())
        .or_else(|e| fail(Exit::BadInput, e.to_string()))?;
    if args.complete {
        catalog.mark_complete();
    }
    emit(&ims_perms::import::to_json(&catalog))?;
    note(&present::import_report(
        &report,
        &catalog.info().service,
        lang,
    ));
    Ok(Exit::Success)
}

/// `terraform`: an existing policy as a Terraform role, once `explain` finds no error in it.
fn terraform(catalog: &Catalog, args: &TerraformArgs, lang: Lang) -> Result<Exit, Failure> {
    let source = Source::from_arg(&args.file);
    let text = read_input(&source)?;
    let review = ims_perms::policy::review::explain(catalog, &text);
    if let Some(error) = review
        .findings
        .iter()
        .find(|f| f.severity == ims_perms::policy::review::Severity::Error)
    {
        let (_, words) = present::finding_line(error, lang);
        return fail(
            Exit::BadInput,
            format!("{}: not converted: {words}", source.shown()),
        );
    }
    let policy = ims_perms::policy::export::policy_from_document(&text).or_else(|e| {
        fail(
            Exit::BadInput,
            match e {
                ims_perms::policy::export::ConvertError::NotAPolicy(why) => {
                    format!("{}: not converted: {why}", source.shown())
                }
                ims_perms::policy::export::ConvertError::WouldLose { path } => format!(
                    "{}: not converted: {path} has no place in the exported role and would be lost",
                    source.shown()
                ),
            },
        )
    })?;
    let description = format!("Converted from {} by ims-perms.", source.shown());
    emit(&ims_perms::policy::export::terraform_described(
        &policy,
        &args.name,
        &description,
    ))?;
    Ok(Exit::Success)
}

/// A file or standard input, bounded and checked (see [`ims_perms::io::input`]).
fn read_input(source: &Source) -> Result<String, Failure> {
    read_text(source, ReadOptions::default()).or_else(|e| fail(Exit::BadInput, e.to_string()))
}

/// The built-in catalog (unless `--no-builtin`) plus every `--catalog` file; the first broken
/// file stops everything.
fn load_catalogs(global: &Global) -> Result<Catalog, Failure> {
    let mut catalog = if global.no_builtin {
        Catalog::new()
    } else {
        Catalog::builtin().or_else(|e| fail(Exit::BadInput, e.to_string()))?
    };
    ims_perms::load::load_files(&mut catalog, &global.catalog, cache_dir(global).as_deref())
        .or_else(|e| fail(Exit::BadInput, e.to_string()))?;
    non_empty(catalog, global)
}

/// The catalog, unless it has no operations (`--no-builtin` with empty catalog files).
fn non_empty(catalog: Catalog, global: &Global) -> Result<Catalog, Failure> {
    if catalog.is_empty() {
        return fail(Exit::BadInput, no_operations(global));
    }
    Ok(catalog)
}

/// Why there is nothing to answer from: no catalog given, or the ones given are empty.
fn no_operations(global: &Global) -> String {
    if global.catalog.is_empty() {
        return "no operations: --no-builtin needs at least one --catalog file".into();
    }
    let files: Vec<String> = global
        .catalog
        .iter()
        .map(|p| ims_perms::text::quoted_input(&p.to_string_lossy()))
        .collect();
    format!(
        "no operations: the --catalog file{} {} hold{} none, and --no-builtin leaves out the built-in catalog",
        if files.len() == 1 { "" } else { "s" },
        files.join(", "),
        if files.len() == 1 { "s" } else { "" }
    )
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
            .or_else(|e| fail(Exit::BadInput, format!("cannot write JSON: {e}")))?;
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
        return fail(Exit::BadInput, "cannot write to stdout: it is closed");
    }
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(Failure {
            exit: Exit::Success,
            message: None,
        }),
        Err(e) => fail(Exit::BadInput, format!("cannot write to stdout: {e}")),
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
            format!(
                "{} Use --force to overwrite it.",
                present::file_exists(&shown, &existing.clone().unwrap_or_default(), lang)
            ),
        ),
        e => fail(Exit::BadInput, format!("cannot write {shown}: {e}")),
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

/// The explorer's clipboard mode: `--clipboard`, else `$IMS_PERMS_CLIPBOARD`, else auto. The
/// variable is read only when the explorer starts, so a bad value never breaks `list`.
fn clipboard_mode(flag: Option<ClipboardArg>) -> Result<ClipboardMode, Failure> {
    if let Some(mode) = flag {
        return Ok(mode.into());
    }
    match std::env::var_os("IMS_PERMS_CLIPBOARD") {
        None => Ok(ClipboardMode::Auto),
        Some(v) if v.is_empty() => Ok(ClipboardMode::Auto),
        Some(v) => {
            let text = v.to_string_lossy();
            ClipboardArg::from_str(text.trim(), true)
                .map(ClipboardMode::from)
                .or_else(|_| {
                    fail(
                        Exit::BadInput,
                        format!(
                            "IMS_PERMS_CLIPBOARD=\"{}\": expected auto, system, osc52 or none",
                            ims_perms::text::quoted_input(&text)
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
