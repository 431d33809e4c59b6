//! The command line's grammar (clap): options, subcommands and their arguments.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::engine::ArgValueCandidates;

use ims_perms::lang::Lang;
use ims_perms::policy::compose::Effect;
use ims_perms::policy::export::ExportFormat;
use ims_perms::tui::clipboard::ClipboardMode;

use super::completions::{conditional_actions, operation_ids};

pub(super) const AFTER_HELP: &str = "\
Examples:
  ims-perms list
  ims-perms search upload -is:native
  ims-perms compose list-images \"PUT /v2/images/{image_id}/file\" > policy.json
  ims-perms lookup \"GET https://ims.example.com/v2/images/ab12?x=1\"";

/// Huawei Cloud IMS permissions: search them and compose least-privilege IAM policies.
#[derive(Debug, Parser)]
#[command(name = "ims-perms", version, after_help = AFTER_HELP)]
pub(super) struct Cli {
    #[command(flatten)]
    pub(super) global: Global,

    #[command(flatten)]
    pub(super) explorer: ExplorerArgs,

    #[command(subcommand)]
    pub(super) command: Option<Command>,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub(super) struct Global {
    /// Add operations from a catalog file in the ims-perms JSON format (repeatable).
    #[arg(long, global = true, value_name = "FILE")]
    pub(super) catalog: Vec<PathBuf>,

    /// Leave the built-in IMS catalog out (use only --catalog files).
    #[arg(long, global = true)]
    pub(super) no_builtin: bool,

    /// Parse every --catalog file, without the cache of parsed catalogs (see README).
    #[arg(long, global = true)]
    pub(super) no_cache: bool,

    /// Language of names, notes and reports [default: from LC_ALL / LC_MESSAGES / LANG].
    #[arg(long, global = true, value_enum)]
    pub(super) lang: Option<LangArg>,
}

/// The explorer's options (no subcommand).
#[derive(Debug, Args)]
pub(super) struct ExplorerArgs {
    /// Explorer: how `y` copies the policy (auto: OSC 52 over SSH or without a display, else
    /// the system clipboard, falling back to OSC 52) [default: $IMS_PERMS_CLIPBOARD, else auto].
    #[arg(long, value_enum)]
    pub(super) clipboard: Option<ClipboardArg>,

    /// Explorer: print the composed policy on stdout after quitting (`ims-perms --print > p.json`).
    #[arg(long)]
    pub(super) print: bool,

    /// Explorer: review this policy file: rows marked allowed / denied / partial / not granted,
    /// findings shown, the composer starting from what it fully allows.
    #[arg(long, value_name = "FILE")]
    pub(super) policy: Option<PathBuf>,

    /// Explorer: show the last keys pressed in the footer (for demos).
    #[arg(long)]
    pub(super) show_keys: bool,

    /// Explorer: open with the operations of the API calls recorded in FILE selected (as
    /// `compose --calls` reads them).
    #[arg(long, value_name = "FILE")]
    pub(super) calls: Option<PathBuf>,
}

/// For benchmarks and tests only, and so not an option a user could meet in `--help` or a
/// completion: `exit` quits right after the explorer's first frame, `panic` panics there (to
/// check the terminal is restored).
pub(super) const AFTER_FIRST_FRAME_VAR: &str = "IMS_PERMS_AFTER_FIRST_FRAME";

#[derive(Debug, Subcommand)]
pub(super) enum Command {
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
    /// Why a call is allowed or denied by a policy, and the smallest fix:
    /// `ims-perms simulate policy.json "POST /v1/cloudimages/{image_id}/cross_region_copy"`.
    Simulate(SimulateArgs),
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
pub(super) struct ListArgs {
    /// Print the operations as a JSON array in the catalog format.
    #[arg(long)]
    pub(super) json: bool,
}

#[derive(Debug, Args)]
pub(super) struct SearchArgs {
    /// Query terms, all of which must match (a leading `-` negates a term).
    #[arg(required = true, value_name = "QUERY")]
    pub(super) query: Vec<String>,
    /// Print the results as a JSON array in the catalog format, best first.
    #[arg(long)]
    pub(super) json: bool,
}

#[derive(Debug, Args)]
pub(super) struct ComposeArgs {
    /// An operation id (`list-images`) or route (`"PUT /v2/images/{image_id}/file"`; a
    /// concrete path or URL works too).
    #[arg(required_unless_present = "calls", value_name = "OPERATION", add = ArgValueCandidates::new(operation_ids))]
    pub(super) operations: Vec<String>,
    /// The operations of the API calls recorded in FILE (repeatable; `-` is standard input):
    /// lines `METHOD URL-or-path`, a Terraform debug log (TF_LOG=DEBUG), a HAR file or
    /// `curl -v` output. The report on stderr names every call and what it is.
    #[arg(long = "calls", value_name = "FILE")]
    pub(super) calls: Vec<OsString>,
    /// Where several permissions share a call's route: this one (repeatable).
    #[arg(long = "choose", value_name = "ID", requires = "calls", add = ArgValueCandidates::new(operation_ids))]
    pub(super) choose: Vec<String>,
    /// Include this conditional action (repeatable).
    #[arg(long = "with", value_name = "ACTION", add = ArgValueCandidates::new(conditional_actions))]
    pub(super) with: Vec<String>,
    /// Include every conditional action of the chosen operations.
    #[arg(long)]
    pub(super) all_conditional: bool,
    /// Include the actions the chosen operations depend on to work from the console (the
    /// report names them otherwise; some are broad wildcards).
    #[arg(long)]
    pub(super) with_dependencies: bool,
    /// The statement's Effect.
    #[arg(long, value_enum, default_value = "allow")]
    pub(super) effect: EffectArg,
    /// Write the policy to FILE instead of stdout (`-` is stdout).
    #[arg(long, short, value_name = "FILE")]
    pub(super) output: Option<PathBuf>,
    /// Overwrite FILE if it exists (a symbolic link is kept and the file it points to rewritten).
    #[arg(long, requires = "output")]
    pub(super) force: bool,
    /// Output format: the policy JSON, or a Terraform `huaweicloud_identity_role`.
    #[arg(long, value_enum, default_value = "json")]
    pub(super) format: FormatArg,
    /// Terraform: the role's name.
    #[arg(long, default_value = ims_perms::policy::export::DEFAULT_ROLE_NAME)]
    pub(super) name: String,
    /// Replace actions with wildcards where, over the loaded catalogs, that grants exactly
    /// the same operations.
    #[arg(long)]
    pub(super) compact: bool,
}

#[derive(Debug, Args)]
pub(super) struct ExplainArgs {
    /// A policy file, or `-` for standard input.
    #[arg(value_name = "FILE|-")]
    pub(super) file: OsString,
    /// Print `{"operations": [...], "findings": [...]}`.
    #[arg(long)]
    pub(super) json: bool,
    /// Review for an IAM project, or an enterprise project (where an operation that does not
    /// support one is not in scope).
    #[arg(long, value_enum, default_value = "project")]
    pub(super) scope: ScopeArg,
}

#[derive(Debug, Args)]
pub(super) struct LookupArgs {
    /// `METHOD PATH` or `METHOD URL` (one argument, or the method and the path as two).
    #[arg(required_unless_present = "calls", conflicts_with = "calls", num_args = 1..=2, value_name = "METHOD PATH-OR-URL")]
    pub(super) request: Vec<String>,
    /// Every API call recorded in FILE (as `compose --calls` reads them), one row per distinct
    /// call: how often, the call, its operation or why none (repeatable; `-` is standard input).
    #[arg(long = "calls", value_name = "FILE")]
    pub(super) calls: Vec<OsString>,
    /// With --calls: where several permissions share a call's route, this one (repeatable).
    #[arg(long = "choose", value_name = "ID", requires = "calls")]
    pub(super) choose: Vec<String>,
    /// Print the matching operations as a JSON array, best first.
    #[arg(long)]
    pub(super) json: bool,
}

#[derive(Debug, Args)]
pub(super) struct TerraformArgs {
    /// A policy file, or `-` for standard input.
    #[arg(value_name = "FILE|-")]
    pub(super) file: OsString,
    /// The role's name.
    #[arg(long, default_value = ims_perms::policy::export::DEFAULT_ROLE_NAME)]
    pub(super) name: String,
}

#[derive(Debug, Args)]
pub(super) struct ImportArgs {
    /// Pages or files with permission tables (HTML, Markdown), or `-` for standard input.
    #[arg(required = true, value_name = "FILE|-")]
    pub(super) files: Vec<OsString>,
    /// The catalog's service (default: the service of the rows' first actions).
    #[arg(long)]
    pub(super) service: Option<String>,
    /// Mark the catalog complete: these are all of the service's permission tables, so
    /// `--compact` may use wildcards over the service.
    #[arg(long)]
    pub(super) complete: bool,
}

// The core's enums as the command line spells them: clap stays out of the library.

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum LangArg {
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

#[derive(Debug, Args)]
pub(super) struct SimulateArgs {
    /// The policy file, or `-` for standard input.
    #[arg(value_name = "POLICY|-")]
    pub(super) policy: OsString,
    /// `METHOD URL-or-path`, an operation id, an action, or a pasted denial message.
    #[arg(value_name = "CALL", required_unless_present = "call_files")]
    pub(super) calls: Vec<String>,
    /// The API calls recorded in FILE too (as `compose --calls` reads them; repeatable).
    #[arg(long = "calls", value_name = "FILE")]
    pub(super) call_files: Vec<OsString>,
    /// Where the authorization is: an IAM project, or an enterprise project (where an
    /// operation that does not support one is not in effect).
    #[arg(long, value_enum, default_value = "project")]
    pub(super) scope: ScopeArg,
    /// Count this conditional action as needed (repeatable; as `compose --with`).
    #[arg(long = "with", value_name = "ACTION")]
    pub(super) with: Vec<String>,
    /// Print the policy with the smallest change that allows every call (what changed, and
    /// what else it allows, on stderr).
    #[arg(long)]
    pub(super) fix: bool,
    /// One JSON object per call.
    #[arg(long, conflicts_with = "fix")]
    pub(super) json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum ScopeArg {
    Project,
    Ep,
}

impl From<ScopeArg> for ims_perms::policy::evaluate::Scope {
    fn from(s: ScopeArg) -> Self {
        match s {
            ScopeArg::Project => Self::Project,
            ScopeArg::Ep => Self::EnterpriseProject,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum EffectArg {
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
pub(super) enum FormatArg {
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
pub(super) enum ClipboardArg {
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

/// Options that take a value (as a separate word, or after `=`).
pub(super) const VALUE_OPTIONS: [&str; 3] = ["--catalog", "--lang", "--clipboard"];

/// Query terms may start with `-` (`-is:native`), which clap would take for unknown options, while
/// options after them (`--json`, `--no-builtin`, `--catalog=c.json`) must stay options. So after
/// `search`, every `--word` (and `-h`) moves in front of the terms, with its value, and a `--`
/// goes between: `search upload -is:native --json` becomes `search --json -- upload -is:native`.
/// A single-dash word stays a (negated) term. A command line that already has `--` is left alone.
pub(super) fn search_terms_after_flags(args: Vec<OsString>) -> Vec<OsString> {
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

/// The shells a completion script is written for.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum ShellArg {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}
