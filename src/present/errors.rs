//! Every error, in both languages. The error types are facts (where, and a reason enum); this
//! module words them, one `match` per reason. `Display` of each error is its English wording,
//! so `to_string()` stays meaningful for library callers and logs.
//!
//! Texts quoted from a file or typed by a user are shortened and escaped here: a message may
//! quote a value megabytes long, and must never carry a control character to the terminal.
//! What another library or the system says (serde_json's description of bad JSON, an I/O error
//! not listed below) is kept in its own words, framed in the chosen language.

use std::fmt;
use std::io;

use crate::catalog::route::{HTTP_METHODS, PathProblem, RequestProblem};
use crate::catalog::{CatalogError, CatalogReason, Clash, JsonKind};
use crate::import::{ImportError, ImportReason, NeededColumn};
use crate::io::input::{FileKind, ReadError, ReadErrorKind};
use crate::io::output::WriteError;
use crate::lang::Lang;
use crate::load::LoadError;
use crate::load::searchable::SearchError;
use crate::policy::compose::{ComposeError, MAX_ACTIONS_PER_STATEMENT, MAX_STATEMENTS};
use crate::policy::export::ConvertError;
use crate::search::query::{PREFIXES, QueryError, QueryReason};
use crate::search::resolve::ResolveError;
use crate::text::{escape_controls, quoted_input, shorten};

use super::words::{pick, plural, punct};

/// An error worded for a language.
pub trait Worded {
    fn worded(&self, lang: Lang) -> String;
}

/// A value quoted from a file: at most `max` characters, escaped.
pub(super) fn quoted(text: &str, max: usize) -> String {
    escape_controls(&shorten(text, max))
}

/// A file as errors name it (already escaped by whoever read it): the built-in catalog and
/// standard input in the chosen language, a long path cut in its middle.
pub fn file_name(name: &str, lang: Lang) -> String {
    match name {
        crate::catalog::BUILTIN_ORIGIN => pick(lang, "built-in catalog", "内置目录").into(),
        crate::io::input::STDIN_NAME => pick(lang, "standard input", "标准输入").into(),
        _ => escape_controls(&shorten(name, 200)),
    }
}

/// `"text"` in English, `“text”` in Chinese.
fn q(lang: Lang, text: &str) -> String {
    match lang {
        Lang::En => format!("\"{text}\""),
        Lang::Zh => format!("“{text}”"),
    }
}

fn list(lang: Lang, items: &[String]) -> String {
    items.join(punct(lang).sep)
}

fn json_kind(kind: JsonKind, lang: Lang) -> &'static str {
    match kind {
        JsonKind::Null => "null",
        JsonKind::Boolean => pick(lang, "a boolean", "布尔值"),
        JsonKind::Number => pick(lang, "a number", "数字"),
        JsonKind::String => pick(lang, "a string", "字符串"),
        JsonKind::Array => pick(lang, "an array", "数组"),
        JsonKind::Object => pick(lang, "an object", "对象"),
    }
}

/// `a directory` / `目录`.
pub fn file_kind(kind: FileKind, lang: Lang) -> &'static str {
    match kind {
        FileKind::Directory => pick(lang, "a directory", "文件夹"),
        FileKind::Fifo => pick(lang, "a FIFO", "命名管道（FIFO）"),
        FileKind::CharacterDevice => pick(lang, "a character device", "字符设备"),
        FileKind::BlockDevice => pick(lang, "a block device", "块设备"),
        FileKind::Socket => pick(lang, "a socket", "套接字"),
        FileKind::SymbolicLink => pick(lang, "a symbolic link", "符号链接"),
        FileKind::Regular => pick(lang, "a regular file", "普通文件"),
    }
}

/// An I/O error: the common kinds in the chosen language, any other in the system's words.
pub fn io_error(e: &io::Error, lang: Lang) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    // The system's codes first: some have no stable kind (`ELOOP`, `ENXIO`).
    let by_code = match e.raw_os_error() {
        Some(libc::ELOOP) => Some("符号链接层数过多"),
        Some(libc::ENXIO) => Some("没有这个设备或地址"),
        Some(libc::ENAMETOOLONG) => Some("文件名过长"),
        Some(libc::EMFILE) | Some(libc::ENFILE) => Some("打开的文件过多"),
        Some(libc::EBUSY) => Some("设备或资源忙"),
        Some(libc::EIO) => Some("输入输出错误"),
        _ => None,
    };
    let known = by_code.or(match e.kind() {
        io::ErrorKind::NotFound => Some("文件或目录不存在"),
        io::ErrorKind::PermissionDenied => Some("没有权限"),
        io::ErrorKind::IsADirectory => Some("是文件夹"),
        io::ErrorKind::NotADirectory => Some("路径中有一段不是文件夹"),
        io::ErrorKind::StorageFull => Some("磁盘已满"),
        io::ErrorKind::ReadOnlyFilesystem => Some("文件系统只读"),
        io::ErrorKind::AlreadyExists => Some("已存在"),
        io::ErrorKind::BrokenPipe => Some("管道已关闭"),
        io::ErrorKind::InvalidFilename => Some("文件名过长或无效"),
        _ => None,
    });
    match (known, e.raw_os_error()) {
        (Some(words), Some(code)) => format!("{words}（系统错误 {code}）"),
        (Some(words), None) => words.to_string(),
        (None, _) => format!("系统错误：{e}"),
    }
}

/// An ASCII word within Chinese text, with a space each side (`应为 null`).
fn spaced(word: &str) -> String {
    if word.is_ascii() {
        format!(" {word} ")
    } else {
        word.to_string()
    }
}

fn control(lang: Lang, character: char, text: &str) -> String {
    let c = character.escape_unicode();
    let text = quoted(text, 120);
    match lang {
        Lang::En => format!("control character {c} in \"{text}\""),
        Lang::Zh => format!("“{text}”中有控制字符 {c}"),
    }
}

fn path_problem(problem: &PathProblem, lang: Lang) -> String {
    match problem {
        PathProblem::NoLeadingSlash => pick(lang, "must start with `/`", "须以 `/` 开头").into(),
        PathProblem::WhiteSpace => pick(lang, "must not contain white space", "不得含空白").into(),
        PathProblem::QueryString => pick(
            lang,
            "must not contain a query string or fragment",
            "不得含查询字符串或片段",
        )
        .into(),
        PathProblem::EmptySegment => pick(
            lang,
            "empty segment (`//` or a trailing `/`)",
            "有空段（`//` 或末尾的 `/`）",
        )
        .into(),
        PathProblem::MalformedParameter { segment } => {
            let segment = quoted(segment, 80);
            match lang {
                Lang::En => format!("malformed parameter segment `{segment}`"),
                Lang::Zh => format!("参数段 `{segment}` 格式有误"),
            }
        }
        PathProblem::PartialParameter { segment } => {
            let segment = quoted(segment, 80);
            match lang {
                Lang::En => format!("a `{{parameter}}` must be a whole segment, found `{segment}`"),
                Lang::Zh => format!("`{{参数}}` 须独占一段，实为 `{segment}`"),
            }
        }
    }
}

/// Why a typed API call is not `METHOD PATH-OR-URL`.
pub fn request_problem(problem: &RequestProblem, lang: Lang) -> String {
    match problem {
        RequestProblem::NotMethodAndTarget { input } => {
            let input = quoted_input(input);
            match lang {
                Lang::En => format!(
                    "expected \"METHOD PATH\" or \"METHOD URL\", e.g. \"GET /v2/images\", got \"{input}\""
                ),
                Lang::Zh => {
                    format!("应为“方法 路径”或“方法 URL”，如“GET /v2/images”，实为“{input}”")
                }
            }
        }
        RequestProblem::UnknownMethod { method } => {
            let method = quoted_input(method);
            let known = HTTP_METHODS.join(punct(lang).sep);
            match lang {
                Lang::En => format!("unknown HTTP method \"{method}\": expected one of {known}"),
                Lang::Zh => format!("未知的 HTTP 方法“{method}”：应为 {known} 之一"),
            }
        }
        RequestProblem::NotPathOrUrl { target } => {
            let target = quoted_input(target);
            match lang {
                Lang::En => {
                    format!("\"{target}\" is neither a path starting with `/` nor a URL")
                }
                Lang::Zh => format!("“{target}”既不是以 `/` 开头的路径，也不是 URL"),
            }
        }
    }
}

fn catalog_reason(reason: &CatalogReason, lang: Lang) -> String {
    use CatalogReason as R;
    let zh = lang == Lang::Zh;
    match reason {
        R::InvalidJson { detail } => match zh {
            false => format!("invalid JSON: {}", quoted(detail, 300)),
            true => format!("不是有效的 JSON：{}", quoted(detail, 300)),
        },
        R::Malformed { detail } => match zh {
            false => quoted(detail, 300),
            true => format!("无法读取：{}", quoted(detail, 300)),
        },
        R::BadValue { detail } => match zh {
            false => quoted(detail, 300),
            true => format!("值的格式不正确：{}", quoted(detail, 300)),
        },
        R::NotAnObject => pick(
            lang,
            "expected a JSON object at the top",
            "顶层应为 JSON 对象",
        )
        .into(),
        R::UnknownField { expected } => {
            let names: Vec<String> = expected.iter().map(|n| format!("`{n}`")).collect();
            match (zh, names.is_empty()) {
                (false, true) => "unknown field".into(),
                (true, true) => "未知字段".into(),
                (false, false) => format!("unknown field (expected {})", names.join(", ")),
                (true, false) => format!("未知字段（应为 {}）", names.join("、")),
            }
        }
        R::WrongType { expected, found } => {
            let expected = match (expected, zh) {
                (JsonKind::Boolean, false) => "true or false",
                (JsonKind::Boolean, true) => "true 或 false",
                (kind, _) => json_kind(*kind, lang),
            };
            let found = json_kind(*found, lang);
            match zh {
                false => format!("expected {expected}, found {found}"),
                // ASCII words (`true`, `null`) set off by spaces, as Chinese typesetting does.
                true => format!("应为{}，实为{}", spaced(expected), spaced(found))
                    .trim_end()
                    .to_string(),
            }
        }
        R::MissingField => pick(lang, "missing field", "缺少此字段").into(),
        R::ControlCharacter { character, text } => control(lang, *character, text),
        R::InvalidService { name } => {
            let name = quoted(name, 80);
            match zh {
                false => format!(
                    "invalid service name \"{name}\": expected lower-case letters, digits and `-`, starting with a letter"
                ),
                true => format!("服务名“{name}”无效：应由小写字母、数字和 `-` 组成，以字母开头"),
            }
        }
        R::InvalidId { id } => {
            let id = quoted(id, 80);
            match zh {
                false => {
                    format!("invalid id \"{id}\": expected a kebab-case slug such as `list-images`")
                }
                true => format!("ID“{id}”无效：应为 `list-images` 这样的 kebab-case 短名"),
            }
        }
        R::NoName => pick(
            lang,
            "a name needs `zh` or `en` text",
            "名称需要 `zh` 或 `en` 文本",
        )
        .into(),
        R::InvalidMethod { method } => {
            let method = quoted(method, 40);
            let known = HTTP_METHODS.join(punct(lang).sep);
            match zh {
                false => format!("invalid method \"{method}\": expected one of {known}"),
                true => format!("方法“{method}”无效：应为 {known} 之一"),
            }
        }
        R::InvalidPath { path, problem } => {
            let path = quoted(path, 200);
            let why = path_problem(problem, lang);
            match zh {
                false => format!("invalid path \"{path}\": {why}"),
                true => format!("路径“{path}”无效：{why}"),
            }
        }
        R::InvalidAction { action } => {
            let action = quoted(action, 120);
            match zh {
                false => format!(
                    "invalid action \"{action}\": expected `service:resourceType:action` with a lower-case service, e.g. `ims:images:list`"
                ),
                true => format!(
                    "授权项“{action}”无效：应为 `服务:资源类型:操作`，服务名小写，如 `ims:images:list`"
                ),
            }
        }
        R::RepeatedAction { action } => {
            let action = quoted(action, 120);
            match zh {
                false => format!("action \"{action}\" is listed twice"),
                true => format!("授权项“{action}”列出了两次"),
            }
        }
        R::EmptyCondition { dependency } => match (zh, dependency) {
            (false, false) => {
                "a condition needs `zh` or `en` text (use null for an unconditional action)".into()
            }
            (false, true) => {
                "a condition needs `zh` or `en` text (use null for an unconditional dependency)"
                    .into()
            }
            (true, false) => "条件需要 `zh` 或 `en` 文本（无条件的授权项写 null）".into(),
            (true, true) => "条件需要 `zh` 或 `en` 文本（无条件的依赖写 null）".into(),
        },
        R::InvalidDependency { action } => {
            let action = quoted(action, 120);
            match zh {
                false => format!(
                    "invalid dependency \"{action}\": expected `service:resourceType:action`, `*` allowed after the service (`obs:bucket:*`)"
                ),
                true => format!(
                    "依赖的授权项“{action}”无效：应为 `服务:资源类型:操作`，服务名之后可用 `*`（`obs:bucket:*`）"
                ),
            }
        }
        R::RepeatedDependency { action } => {
            let action = quoted(action, 120);
            match zh {
                false => format!("dependency \"{action}\" is listed twice"),
                true => format!("依赖的授权项“{action}”列出了两次"),
            }
        }
        R::RouteNoteWithRoute => pick(
            lang,
            "`route_note` is for an operation without a route (`method` and `path` absent); notes on a route go in `prerequisites`",
            "`route_note` 只用于没有路由的操作（无 `method` 和 `path`）；有路由时说明写在 `prerequisites` 中",
        )
        .into(),
        R::ActionsAndNotDocumented => pick(
            lang,
            "`actions_not_documented` says the actions are unknown, yet `actions` lists some: keep one",
            "`actions_not_documented` 表示授权项未知，但 `actions` 又列出了授权项：只保留其一",
        )
        .into(),
        R::EmptyNote => pick(lang, "the note has no text", "说明没有文字").into(),
        R::EmptyPrerequisite => pick(
            lang,
            "a prerequisite needs `zh` or `en` text",
            "前提条件需要 `zh` 或 `en` 文本",
        )
        .into(),
        R::DuplicateId { id, first } => {
            let id = quoted(id, 80);
            match zh {
                false => format!("duplicate id `{id}` (also operations[{first}])"),
                true => format!("ID `{id}` 重复（operations[{first}] 也是）"),
            }
        }
        R::DuplicateRoute { route, first } => {
            let route = quoted(route, 200);
            match zh {
                false => format!(
                    "duplicate route `{route}` with the same actions (also operations[{first}])"
                ),
                true => format!("路由 `{route}` 及其授权项重复（operations[{first}] 也是）"),
            }
        }
        R::DefinedElsewhere {
            clash,
            value,
            origin,
            id,
        } => {
            let (value, origin, id) = (quoted(value, 200), file_name(origin, lang), quoted(id, 80));
            match (zh, clash) {
                (false, Clash::Id) => {
                    format!("duplicate id `{value}`: already defined by {origin} (id `{id}`)")
                }
                (false, Clash::Route) => {
                    format!("duplicate path `{value}`: already defined by {origin} (id `{id}`)")
                }
                (true, Clash::Id) => format!(
                    "ID `{value}` 重复：{}已定义（ID `{id}`）",
                    spaced(&origin).trim_start()
                ),
                (true, Clash::Route) => format!(
                    "路由 `{value}` 重复：{}已定义（ID `{id}`）",
                    spaced(&origin).trim_start()
                ),
            }
        }
    }
}

/// A catalog error without its file: the operation, the field and why.
fn catalog_error_body(e: &CatalogError, lang: Lang) -> String {
    let p = punct(lang);
    let mut out = String::new();
    if let Some(op) = &e.operation {
        out.push_str(&format!("operations[{}]", op.index));
        if let Some(id) = &op.id {
            let id = quoted(id, 60);
            out.push_str(&match lang {
                Lang::En => format!(" (id `{id}`)"),
                Lang::Zh => format!("（ID `{id}`）"),
            });
        }
        out.push_str(p.colon);
    }
    if let Some(field) = e.field.as_ref().filter(|f| !f.is_empty()) {
        let field = quoted(field, 120);
        match lang {
            Lang::En => out.push_str(&format!("field `{field}`: ")),
            Lang::Zh => out.push_str(&format!("字段 `{field}`：")),
        }
    }
    out.push_str(&catalog_reason(&e.reason, lang));
    out
}

impl Worded for CatalogError {
    fn worded(&self, lang: Lang) -> String {
        let mut out = file_name(&self.origin, lang);
        if let Some((line, column)) = self.position {
            out.push_str(&format!(":{line}:{column}"));
        }
        out.push_str(punct(lang).colon);
        out.push_str(&catalog_error_body(self, lang));
        out
    }
}

fn read_reason(kind: &ReadErrorKind, lang: Lang) -> String {
    match kind {
        ReadErrorKind::Io(e) => io_error(e, lang),
        ReadErrorKind::TooLarge { limit } => {
            let mb = limit / (1024 * 1024);
            match lang {
                Lang::En => format!("larger than the {mb} MB limit for one input"),
                Lang::Zh => format!("超过单个输入 {mb} MB 的上限"),
            }
        }
        ReadErrorKind::NotUtf8 { offset } => match lang {
            Lang::En => format!("not UTF-8 text (invalid byte at offset {offset})"),
            Lang::Zh => format!("不是 UTF-8 文本（偏移 {offset} 处有无效字节）"),
        },
        ReadErrorKind::NotRegular { kind } => match lang {
            Lang::En => format!("it is {}, not a regular file", file_kind(*kind, lang)),
            Lang::Zh => format!("它是{}，不是普通文件", file_kind(*kind, lang)),
        },
    }
}

impl Worded for ReadError {
    fn worded(&self, lang: Lang) -> String {
        let why = read_reason(&self.kind, lang);
        match lang {
            Lang::En => format!("cannot read {}: {why}", file_name(&self.shown, lang)),
            Lang::Zh => format!("无法读取 {}：{why}", file_name(&self.shown, lang)),
        }
    }
}

impl Worded for LoadError {
    fn worded(&self, lang: Lang) -> String {
        match self {
            LoadError::Read(e) => e.worded(lang),
            LoadError::Catalog(e) => e.worded(lang),
        }
    }
}

/// Why a file was not written, without its name (callers say which file).
impl Worded for WriteError {
    fn worded(&self, lang: Lang) -> String {
        match self {
            WriteError::Exists => pick(lang, "it exists", "文件已存在").into(),
            WriteError::NotRegular { kind } => match lang {
                Lang::En => format!(
                    "it is {}; only a regular file is replaced",
                    file_kind(*kind, lang)
                ),
                Lang::Zh => format!("它是{}；只会替换普通文件", file_kind(*kind, lang)),
            },
            WriteError::DanglingSymlink => pick(
                lang,
                "it is a symbolic link to a missing file; not written through it",
                "它是指向不存在文件的符号链接；不经由它写入",
            )
            .into(),
            WriteError::Temporary(e) => match lang {
                Lang::En => format!("cannot create a temporary file in its folder: {e}"),
                Lang::Zh => format!("无法在其所在文件夹创建临时文件：{}", io_error(e, lang)),
            },
            WriteError::Io(e) => io_error(e, lang),
        }
    }
}

/// The table forms `import` reads, for its errors.
fn forms(lang: Lang) -> &'static str {
    pick(
        lang,
        "expected a permission table: 权限 / 授权项 / 授权范围 / 对应API接口, API / API功能 / 授权项 [/ 授权作用域], 权限 / 对应的API接口 / 授权项（Action） [/ 依赖的授权项] [/ IAM项目 / 企业项目], or Permission / API / Action [/ Dependencies] [/ IAM Project / Enterprise Project], in any order",
        "应为权限表：权限 / 授权项 / 授权范围 / 对应API接口，API / API功能 / 授权项 [/ 授权作用域]，权限 / 对应的API接口 / 授权项（Action） [/ 依赖的授权项] [/ IAM项目 / 企业项目]，或 Permission / API / Action [/ Dependencies] [/ IAM Project / Enterprise Project]，列的顺序不限",
    )
}

fn header(cells: &[String]) -> String {
    quoted(&cells.join(" | "), 300)
}

pub(super) fn import_reason(reason: &ImportReason, lang: Lang) -> String {
    use ImportReason as R;
    let zh = lang == Lang::Zh;
    let p = punct(lang);
    match reason {
        R::TooDeep { limit } => match zh {
            false => format!("elements nest more than {limit} deep: not a permission table page"),
            true => format!("元素嵌套超过 {limit} 层：不是权限表页面"),
        },
        R::NoTable => match zh {
            false => format!("no table found ({})", forms(lang)),
            true => format!("未找到表格（{}）", forms(lang)),
        },
        R::NoPermissionTable { tables } => match zh {
            false => format!(
                "no permission table among its {tables} table{} ({})",
                plural(*tables),
                forms(lang)
            ),
            true => format!("其 {tables} 个表格中没有权限表（{}）", forms(lang)),
        },
        R::NoService => pick(
            lang,
            "no action names a service: give --service NAME",
            "没有授权项指明服务：请用 --service NAME 给出",
        )
        .into(),
        R::SeveralServices { services } => match zh {
            false => format!(
                "actions of several services ({}): give --service NAME",
                list(lang, services)
            ),
            true => format!(
                "授权项分属多个服务（{}）：请用 --service NAME 给出",
                list(lang, services)
            ),
        },
        R::NotACatalog(e) => match zh {
            false => format!(
                "the tables read, but not as a valid catalog: {}",
                catalog_error_body(e, lang)
            ),
            true => format!(
                "表格已读取，但不构成有效的目录：{}",
                catalog_error_body(e, lang)
            ),
        },
        R::SamePermissionTwice {
            route,
            file,
            table,
            row,
        } => {
            let (route, file) = (quoted(route, 200), file_name(file, lang));
            match zh {
                false => format!(
                    "{route} is also {file}, table {table}, row {row}, with the same actions: the same permission twice (two editions of one table?)"
                ),
                true => format!(
                    "{route} 与 {file} 第 {table} 个表第 {row} 行相同，授权项也相同：同一权限出现两次（同一表格的两个版本？）"
                ),
            }
        }
        R::MissingColumn {
            header: cells,
            column,
        } => {
            let column = match column {
                NeededColumn::Name => pick(
                    lang,
                    "permission (权限 / API功能 / Permission)",
                    "权限（权限 / API功能 / Permission）",
                ),
                NeededColumn::Route => {
                    pick(lang, "API (对应API接口 / API)", "API（对应API接口 / API）")
                }
                NeededColumn::Actions => pick(
                    lang,
                    "action (授权项 / Action)",
                    "授权项（授权项 / Action）",
                ),
            };
            match zh {
                false => format!(
                    "the header ({}) has no {column} column; {}",
                    header(cells),
                    forms(lang)
                ),
                true => format!("表头（{}）没有{column}列；{}", header(cells), forms(lang)),
            }
        }
        R::OneScopeColumn { header: cells } => match zh {
            false => format!(
                "the header ({}) has one of the IAM Project and Enterprise Project columns but not the other",
                header(cells)
            ),
            true => format!(
                "表头（{}）只有 IAM 项目与企业项目两列中的一列",
                header(cells)
            ),
        },
        R::NoRows => pick(lang, "the table has no rows", "表格没有数据行").into(),
        R::ControlCharacter { character, text } => control(lang, *character, text),
        R::CellCount {
            found,
            expected,
            header: cells,
        } => match zh {
            false => format!(
                "{found} cells, expected {expected} as in the header ({})",
                header(cells)
            ),
            true => format!(
                "{found} 个单元格，应与表头（{}）一样为 {expected} 个",
                header(cells)
            ),
        },
        R::EmptyName => pick(lang, "empty name", "名称为空").into(),
        R::NotARoute { text } => match zh {
            false => format!("\"{}\" is not \"METHOD /path\"", quoted(text, 200)),
            true => format!("“{}”不是“方法 /路径”", quoted(text, 200)),
        },
        R::EmptyActions => pick(
            lang,
            "the cell is empty: write 无, N/A or - for an API that needs no action",
            "单元格为空：不需要授权项的 API 请写 无、N/A 或 -",
        )
        .into(),
        R::NotAnAction { text } => match zh {
            false => format!(
                "\"{}\" is not an action of the form service:resourceType:action",
                quoted(text, 200)
            ),
            true => format!(
                "“{}”不是 服务:资源类型:操作 形式的授权项",
                quoted(text, 200)
            ),
        },
        R::UnclosedBracket { text } => match zh {
            false => format!("an unclosed bracket in \"{}\"", quoted(text, 200)),
            true => format!("“{}”中有未闭合的括号", quoted(text, 200)),
        },
        R::ConditionWithoutAction { condition } => match zh {
            false => format!(
                "a condition \"{}\" with no action before it",
                quoted(condition, 200)
            ),
            true => format!("条件“{}”之前没有授权项", quoted(condition, 200)),
        },
        R::RunTogether { text } => match zh {
            false => format!(
                "\"{}\": cannot tell where one action ends and the next begins",
                quoted(text, 200)
            ),
            true => format!(
                "“{}”：分不清一个授权项在哪里结束、下一个从哪里开始",
                quoted(text, 200)
            ),
        },
        R::NotYesNo { text } => format!(
            "{}{}{}",
            q(lang, &quoted(text, 80)),
            p.colon,
            pick(
                lang,
                "expected √ / x, ✓ / ×, Y / N, 支持 / 不支持",
                "应为 √ / x、✓ / ×、Y / N、支持 / 不支持"
            )
        ),
        R::ScopesNotStated { text } => format!(
            "{}{}{}",
            q(lang, &quoted(text, 200)),
            p.colon,
            pick(
                lang,
                "both Project and Enterprise Project must be stated as supported (支持) or not (不支持)",
                "须写明项目与企业项目各自支持（支持）或不支持（不支持）"
            )
        ),
        R::OnlyWildcards => pick(
            lang,
            "only wildcards: not which action the API checks",
            "只有通配符：未说明 API 实际校验哪个授权项",
        )
        .into(),
    }
}

impl Worded for ImportError {
    fn worded(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let mut out = file_name(&self.file, lang);
        if let Some(t) = self.table {
            out.push_str(&match zh {
                false => format!(", table {t}"),
                true => format!("，第 {t} 个表"),
            });
        }
        if let Some(r) = self.row {
            out.push_str(&match zh {
                false => format!(", row {r}"),
                true => format!("，第 {r} 行"),
            });
        }
        if let Some(c) = &self.cell {
            let c = quoted(c, 80);
            out.push_str(&match zh {
                false => format!(", cell {c}"),
                true => format!("，单元格 {c}"),
            });
        }
        out.push_str(punct(lang).colon);
        out.push_str(&import_reason(&self.reason, lang));
        out
    }
}

impl Worded for QueryError {
    fn worded(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let why = match &self.reason {
            QueryReason::UnknownPrefix { prefix } => {
                let prefix = quoted(prefix, 40);
                match zh {
                    false => format!(
                        "unknown prefix `{prefix}:`; known prefixes: {}",
                        PREFIXES.join(" ")
                    ),
                    true => format!("未知的前缀 `{prefix}:`；可用的前缀：{}", PREFIXES.join(" ")),
                }
            }
            QueryReason::NoValue { prefix } => {
                let prefix = quoted(prefix, 40);
                match zh {
                    false => format!("`{prefix}:` needs a value"),
                    true => format!("`{prefix}:` 后面需要一个值"),
                }
            }
            QueryReason::UnknownMethod { value } => {
                let value = quoted(value, 40);
                let known = HTTP_METHODS.join(punct(lang).sep);
                match zh {
                    false => format!("unknown method `{value}`; expected one of {known}"),
                    true => format!("未知的方法 `{value}`；应为 {known} 之一"),
                }
            }
            QueryReason::UnknownScope { value } => {
                let value = quoted(value, 40);
                match zh {
                    false => format!("unknown scope `{value}`; expected `ep` or `project`"),
                    true => format!("未知的授权范围 `{value}`；应为 `ep` 或 `project`"),
                }
            }
            QueryReason::UnknownFlag { value } => {
                let value = quoted(value, 40);
                match zh {
                    false => {
                        format!("unknown `is:` value `{value}`; expected `deprecated` or `native`")
                    }
                    true => format!("未知的 `is:` 值 `{value}`；应为 `deprecated` 或 `native`"),
                }
            }
        };
        let term = quoted(&self.term, 80);
        match zh {
            false => format!("in `{term}`: {why}"),
            true => format!("`{term}`：{why}"),
        }
    }
}

/// Why a call on another service's host finds nothing: no catalog of that service is loaded.
pub fn service_not_loaded(service: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "its host is `{service}`'s, and no catalog of `{service}` is loaded: import that service's permission tables with `ims-perms import` and pass the catalog with --catalog"
        ),
        Lang::Zh => format!(
            "其主机属于 `{service}`，而未加载 `{service}` 的目录：请用 `ims-perms import` 导入该服务的权限表，再用 --catalog 加载"
        ),
    }
}

/// Why a call on a loaded service's own host finds nothing: that service's reference is loaded
/// and lists no such route.
pub fn no_such_route(service: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "the host is `{service}`'s, and its loaded permission reference lists no such route (a newer API, or one the reference leaves out)"
        ),
        Lang::Zh => format!(
            "该主机属于 `{service}`，而已加载的 `{service}` 权限参考中没有这个路由（较新的 API，或参考未列出的 API）"
        ),
    }
}

impl Worded for ResolveError {
    fn worded(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let p = punct(lang);
        match self {
            ResolveError::Unknown {
                spec,
                closest,
                host_service,
                other_service,
            } => {
                let mut out = match zh {
                    false => format!("unknown operation \"{}\"", quoted_input(spec)),
                    true => format!("未知的操作“{}”", quoted_input(spec)),
                };
                let closest_words = match zh {
                    false => format!("closest: {}", closest.join(", ")),
                    true => format!("最接近的：{}", closest.join("、")),
                };
                if let Some(service) = other_service {
                    out.push_str(p.colon);
                    out.push_str(&service_not_loaded(service, lang));
                } else if let Some(service) = host_service {
                    out.push_str(p.colon);
                    out.push_str(&no_such_route(service, lang));
                    if !closest.is_empty() {
                        out.push_str(p.semi);
                        out.push_str(&closest_words);
                    }
                } else if !closest.is_empty() {
                    out.push_str(p.semi);
                    out.push_str(&closest_words);
                } else if spec.contains(char::is_whitespace) {
                    out.push_str(pick(
                        lang,
                        ": not in the loaded catalogs (another service's API? import its permission table with `ims-perms import`)",
                        "：不在已加载的目录中（其他服务的 API？请用 `ims-perms import` 导入其权限表）",
                    ));
                }
                out
            }
            ResolveError::Ambiguous { spec, candidates } => match zh {
                false => format!(
                    "operation \"{}\" is in several services; write one of: {}",
                    quoted_input(spec),
                    candidates.join(", ")
                ),
                true => format!(
                    "操作“{}”属于多个服务；请写其中之一：{}",
                    quoted_input(spec),
                    candidates.join("、")
                ),
            },
            ResolveError::SharedRoute { spec, candidates } => {
                let named: Vec<String> = candidates
                    .iter()
                    .map(|(id, name)| format!("{id}{}{}{}", p.open, name.get(lang), p.close))
                    .collect();
                match zh {
                    false => format!(
                        "\"{}\" is the route of {} permissions (the request body says which); give the id of one: {}",
                        quoted_input(spec),
                        candidates.len(),
                        named.join(", ")
                    ),
                    true => format!(
                        "“{}”是 {} 个权限共用的路由（由请求体区分）；请给出其中一个的 ID：{}",
                        quoted_input(spec),
                        candidates.len(),
                        named.join("、")
                    ),
                }
            }
            ResolveError::BadRoute { spec, reason } => match zh {
                false => format!(
                    "operation \"{}\": {}",
                    quoted_input(spec),
                    request_problem(reason, lang)
                ),
                true => format!(
                    "操作“{}”：{}",
                    quoted_input(spec),
                    request_problem(reason, lang)
                ),
            },
        }
    }
}

impl Worded for ComposeError {
    fn worded(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            ComposeError::NotConditional { action, available } => {
                let action = quoted(action, 80);
                match (zh, available.is_empty()) {
                    (false, true) => {
                        format!(
                            "--with {action}: the chosen operations have no conditional actions"
                        )
                    }
                    (true, true) => format!("--with {action}：所选操作没有条件授权项"),
                    (false, false) => format!(
                        "--with {action}: not a conditional action of the chosen operations (they have: {})",
                        available.join(", ")
                    ),
                    (true, false) => format!(
                        "--with {action}：不是所选操作的条件授权项（它们有：{}）",
                        available.join("、")
                    ),
                }
            }
            ComposeError::TooManyStatements { statements } => match zh {
                false => format!(
                    "the policy would need {statements} statements of at most {MAX_ACTIONS_PER_STATEMENT} actions; IAM allows {MAX_STATEMENTS}: split the operations over several policies"
                ),
                true => format!(
                    "该策略需要 {statements} 条语句（每条至多 {MAX_ACTIONS_PER_STATEMENT} 个授权项），IAM 只允许 {MAX_STATEMENTS} 条：请把这些操作分到几个策略中"
                ),
            },
            ComposeError::ActionsNotDocumented { operations } => match zh {
                false => format!(
                    "the permission table does not document the actions of {}: no policy can be proved to cover it; leave it out, or add its actions in a catalog of your own",
                    operations.join(", ")
                ),
                true => format!(
                    "权限表未说明 {} 的授权项：无法证明任何策略能覆盖它；请不选它，或在自己的目录中写明其授权项",
                    operations.join("、")
                ),
            },
        }
    }
}

impl Worded for ConvertError {
    fn worded(&self, lang: Lang) -> String {
        match (self, lang) {
            (ConvertError::NotJson { detail }, Lang::En) => {
                format!("not converted: {}", quoted(detail, 300))
            }
            (ConvertError::NotJson { detail }, Lang::Zh) => {
                format!("未转换：不是有效的 JSON：{}", quoted(detail, 300))
            }
            (ConvertError::WouldLose { path }, Lang::En) => format!(
                "not converted: {} has no place in the exported role and would be lost",
                quoted(path, 120)
            ),
            (ConvertError::WouldLose { path }, Lang::Zh) => format!(
                "未转换：导出的角色中没有 {} 的位置，它会丢失",
                quoted(path, 120)
            ),
        }
    }
}

impl Worded for SearchError {
    fn worded(&self, lang: Lang) -> String {
        match self {
            SearchError::Load(e) => e.worded(lang),
            SearchError::Query(e) => e.worded(lang),
            SearchError::NoOperations => {
                super::CommandError::NoOperations { files: Vec::new() }.worded(lang)
            }
        }
    }
}

/// `Display` is the English wording.
macro_rules! display_in_english {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.worded(Lang::En))
            }
        }
    )*};
}

display_in_english!(
    CatalogError,
    ReadError,
    LoadError,
    WriteError,
    ImportError,
    QueryError,
    ResolveError,
    ComposeError,
    ConvertError,
    SearchError
);

#[cfg(test)]
#[path = "errors_tests.rs"]
mod tests;
