//! The command line's own failures, as facts, and their words in both languages (the errors
//! they wrap are worded in [`super::errors`]).

use std::io;

use crate::calls::CallsError;
use crate::catalog::CatalogError;
use crate::catalog::route::RequestProblem;
use crate::import::ImportError;
use crate::io::input::ReadError;
use crate::io::output::{Existing, WriteError};
use crate::lang::Lang;
use crate::load::LoadError;
use crate::policy::compose::ComposeError;
use crate::policy::export::ConvertError;
use crate::search::query::QueryError;
use crate::search::resolve::ResolveError;
use crate::text::quoted_input;

use super::errors::{
    Worded, file_name, io_error, no_such_route, quoted, request_problem, service_not_loaded,
};
use super::words::{pick, plural, punct};

/// What the command line says when a command stops: each way it can fail, as facts.
#[derive(Debug)]
pub enum CommandError {
    Read(ReadError),
    Load(LoadError),
    Catalog(CatalogError),
    Import(ImportError),
    Query(QueryError),
    Resolve(ResolveError),
    Compose(ComposeError),
    /// An API call as typed (`lookup`).
    Request(RequestProblem),
    /// A file of recorded calls (`--calls`).
    Calls(CallsError),
    /// `--choose ID`: no call read is on a route that operation shares.
    UnusedChoice {
        id: String,
    },
    /// `--choose` without `--calls`.
    ChooseWithoutCalls,
    /// `compose --calls`: no call matched an operation.
    NoCallMatched,
    /// `simulate`: a CALL that is no operation, route, action or denial message.
    UnknownCall {
        call: String,
        problem: crate::policy::simulate::CallProblem,
    },
    /// `simulate`: the policy cannot be read as one; the first error, worded.
    NotAPolicy {
        source: String,
        first: String,
    },
    /// `simulate --fix`: no change allows every call.
    NoFix(crate::policy::simulate::FixProblem),
    /// `--no-builtin` and the `--catalog` files given (none, or only empty ones).
    NoOperations {
        files: Vec<String>,
    },
    /// `compose`: the operations chosen need no action.
    NoPolicy,
    /// The explorer's `--print`: nothing selected needs an action.
    NothingSelected,
    NothingMatches {
        query: String,
    },
    /// `lookup`: no operation has the call's route.
    NoRouteMatches {
        method: String,
        path: String,
        host_service: Option<String>,
        /// The service the host names when no catalog of it is loaded.
        other_service: Option<String>,
        closest: Vec<String>,
    },
    StdoutClosed,
    Stdout(io::Error),
    Json(String),
    /// The completion script could not be generated.
    Script(io::Error),
    NoTerminal(io::Error),
    Explorer(io::Error),
    /// `$IMS_PERMS_CLIPBOARD` holds no mode.
    ClipboardSetting {
        value: String,
    },
    FileExists {
        shown: String,
        existing: Existing,
    },
    Write {
        shown: String,
        error: WriteError,
    },
    /// `terraform`: the policy has errors; the first one, worded.
    NotConverted {
        source: String,
        first: String,
    },
    Convert {
        source: String,
        error: ConvertError,
    },
}

impl Worded for CommandError {
    fn worded(&self, lang: Lang) -> String {
        use CommandError as E;
        let zh = lang == Lang::Zh;
        match self {
            E::Read(e) => e.worded(lang),
            E::Load(e) => e.worded(lang),
            E::Catalog(e) => e.worded(lang),
            E::Import(e) => e.worded(lang),
            E::Query(e) => match zh {
                false => format!("query {}", e.worded(lang)),
                true => format!("查询词 {}", e.worded(lang)),
            },
            E::Resolve(e) => e.worded(lang),
            E::Compose(e) => e.worded(lang),
            E::Request(problem) => request_problem(problem, lang),
            E::Calls(e) => e.worded(lang),
            E::UnusedChoice { id } => match zh {
                false => format!(
                    "--choose {}: no call read is on a route that operation shares with another",
                    quoted_input(id)
                ),
                true => format!(
                    "--choose {}：读取的调用中没有一个落在该操作与其他操作共用的路由上",
                    quoted_input(id)
                ),
            },
            E::UnknownCall { call, problem } => match problem {
                crate::policy::simulate::CallProblem::Unknown(e) => e.worded(lang),
                crate::policy::simulate::CallProblem::UnknownAction { action } => match zh {
                    false => format!(
                        "\"{}\": no operation of the loaded catalogs needs the action {}",
                        quoted_input(call),
                        quoted(action, 80)
                    ),
                    true => format!(
                        "“{}”：已加载目录中没有操作需要授权项 {}",
                        quoted_input(call),
                        quoted(action, 80)
                    ),
                },
            },
            E::NotAPolicy { source, first } => match (zh, file_name(source, lang)) {
                (false, source) => format!("{source}: not a policy that can be simulated: {first}"),
                (true, source) => format!("{source}：不是可以模拟的策略：{first}"),
            },
            E::NoFix(problem) => super::fix_problem(problem, lang),
            E::NoCallMatched => pick(
                lang,
                "no policy: no call read matched an operation of the loaded catalogs",
                "没有策略：读取的调用都未匹配已加载目录中的操作",
            )
            .into(),
            E::ChooseWithoutCalls => pick(
                lang,
                "--choose picks among the operations of calls read with --calls",
                "--choose 用于在 --calls 读取的调用的操作之间选择",
            )
            .into(),
            E::NoOperations { files } if files.is_empty() => pick(
                lang,
                "no operations: --no-builtin needs at least one --catalog file",
                "没有操作：--no-builtin 需要至少一个 --catalog 文件",
            )
            .into(),
            E::NoOperations { files } => {
                let shown: Vec<String> = files.iter().map(|f| quoted_input(f)).collect();
                match zh {
                    false => format!(
                        "no operations: the --catalog file{} {} hold{} none, and --no-builtin leaves out the built-in catalog",
                        plural(files.len()),
                        shown.join(", "),
                        if files.len() == 1 { "s" } else { "" }
                    ),
                    true => format!(
                        "没有操作：--catalog 文件 {} 中没有操作，而 --no-builtin 排除了内置目录",
                        shown.join("、")
                    ),
                }
            }
            E::NoPolicy => pick(
                lang,
                "no policy: the chosen operations need no IAM action",
                "无策略：所选操作不需要任何授权项",
            )
            .into(),
            E::NothingSelected => pick(
                lang,
                "no policy: nothing selected that needs an IAM action",
                "没有策略：未选中需要 IAM 授权项的操作",
            )
            .into(),
            E::NothingMatches { query } => match zh {
                false => format!("no operation matches \"{}\"", quoted_input(query)),
                true => format!("没有与“{}”匹配的操作", quoted_input(query)),
            },
            E::NoRouteMatches {
                method,
                path,
                host_service,
                other_service,
                closest,
            } => match other_service {
                Some(service) => format!(
                    "{}{}{}",
                    no_route_matches(method, path, None, &[], lang)
                        .split(punct(lang).semi)
                        .next()
                        .unwrap_or(""),
                    punct(lang).semi,
                    service_not_loaded(service, lang)
                ),
                None => no_route_matches(method, path, host_service.as_deref(), closest, lang),
            },
            E::StdoutClosed => pick(
                lang,
                "cannot write to stdout: it is closed",
                "无法写入标准输出：它已关闭",
            )
            .into(),
            E::Stdout(e) => match zh {
                false => format!("cannot write to stdout: {e}"),
                true => format!("无法写入标准输出：{}", io_error(e, lang)),
            },
            E::Json(detail) => match zh {
                false => format!("cannot write JSON: {detail}"),
                true => format!("无法生成 JSON：{detail}"),
            },
            E::Script(e) => match zh {
                false => format!("cannot write the script: {e}"),
                true => format!("无法生成补全脚本：{}", io_error(e, lang)),
            },
            E::NoTerminal(e) => match zh {
                false => format!(
                    "the explorer needs a terminal, and /dev/tty cannot be opened ({e}); in scripts use a subcommand: list, search, compose, lookup, explain"
                ),
                true => format!(
                    "浏览界面需要终端，而 /dev/tty 无法打开（{}）；脚本中请用子命令：list、search、compose、lookup、explain",
                    io_error(e, lang)
                ),
            },
            E::Explorer(e) => match zh {
                false => format!("cannot run the explorer: {e}"),
                true => format!("无法运行浏览界面：{}", io_error(e, lang)),
            },
            E::ClipboardSetting { value } => match zh {
                false => format!(
                    "IMS_PERMS_CLIPBOARD=\"{}\": expected auto, system, osc52 or none",
                    quoted_input(value)
                ),
                true => format!(
                    "IMS_PERMS_CLIPBOARD=“{}”：应为 auto、system、osc52 或 none",
                    quoted_input(value)
                ),
            },
            E::FileExists { shown, existing } => format!(
                "{}{}",
                super::file_exists(shown, existing, lang),
                pick(
                    lang,
                    " Use --force to overwrite it.",
                    "要覆盖它请加 --force。"
                )
            ),
            E::Write { shown, error } => match (zh, file_name(shown, lang)) {
                (false, shown) => format!("cannot write {shown}: {}", error.worded(lang)),
                (true, shown) => format!("无法写入 {shown}：{}", error.worded(lang)),
            },
            E::NotConverted { source, first } => match (zh, file_name(source, lang)) {
                (false, source) => format!("{source}: not converted: {first}"),
                (true, source) => format!("{source}：未转换：{first}"),
            },
            E::Convert { source, error } => format!(
                "{}{}{}",
                file_name(source, lang),
                punct(lang).colon,
                error.worded(lang)
            ),
        }
    }
}

fn no_route_matches(
    method: &str,
    path: &str,
    host_service: Option<&str>,
    closest: &[String],
    lang: Lang,
) -> String {
    let p = punct(lang);
    let mut out = match lang {
        Lang::En => format!(
            "no operation in the loaded catalogs matches {method} {}",
            quoted_input(path)
        ),
        Lang::Zh => format!(
            "已加载的目录中没有与 {method} {} 匹配的操作",
            quoted_input(path)
        ),
    };
    if let Some(service) = host_service {
        out.push_str(p.semi);
        out.push_str(&no_such_route(service, lang));
    }
    if !closest.is_empty() {
        out.push_str(p.semi);
        out.push_str(&match lang {
            Lang::En => format!("did you mean: {}", closest.join(", ")),
            Lang::Zh => format!("是否要找：{}", closest.join("、")),
        });
    } else if host_service.is_none() {
        out.push_str(p.semi);
        out.push_str(pick(
            lang,
            "it may be another service's API or a newer one: import its permission table with `ims-perms import`",
            "它可能是其他服务的 API 或较新的 API：请用 `ims-perms import` 导入其权限表",
        ));
    }
    out
}

macro_rules! command_error_from {
    ($($variant:ident($t:ty)),*) => {$(
        impl From<$t> for CommandError {
            fn from(e: $t) -> Self {
                CommandError::$variant(e)
            }
        }
    )*};
}

command_error_from!(
    Read(ReadError),
    Load(LoadError),
    Catalog(CatalogError),
    Import(ImportError),
    Query(QueryError),
    Resolve(ResolveError),
    Compose(ComposeError),
    Request(RequestProblem),
    Calls(CallsError)
);

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.worded(Lang::En))
    }
}
