//! Every error worded in both languages.
use super::*;
use crate::io::output::Existing;
use crate::present::CommandError;

fn has_han(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Every variant once. Each list is checked by an exhaustive `match` below, so a variant
/// added without a wording test does not compile.
fn catalog_reasons() -> Vec<CatalogReason> {
    use CatalogReason as R;
    let s = |t: &str| t.to_string();
    vec![
        R::InvalidJson {
            detail: s("EOF while parsing"),
        },
        R::Malformed {
            detail: s("duplicate field `id`"),
        },
        R::BadValue {
            detail: s("invalid type: integer `3`, expected a string"),
        },
        R::NotAnObject,
        R::UnknownField {
            expected: vec![s("service"), s("source")],
        },
        R::UnknownField { expected: vec![] },
        R::WrongType {
            expected: JsonKind::Boolean,
            found: JsonKind::String,
        },
        R::WrongType {
            expected: JsonKind::Array,
            found: JsonKind::Object,
        },
        R::WrongType {
            expected: JsonKind::Number,
            found: JsonKind::Null,
        },
        R::MissingField,
        R::ControlCharacter {
            character: '\u{1b}',
            text: s("a\u{1b}[31m"),
        },
        R::InvalidService { name: s("IMS") },
        R::InvalidId {
            id: s("List Images"),
        },
        R::NoName,
        R::InvalidMethod { method: s("FETCH") },
        R::InvalidPath {
            path: s("v1/x"),
            problem: PathProblem::NoLeadingSlash,
        },
        R::InvalidPath {
            path: s("/a b"),
            problem: PathProblem::WhiteSpace,
        },
        R::InvalidPath {
            path: s("/a?b"),
            problem: PathProblem::QueryString,
        },
        R::InvalidPath {
            path: s("/a//b"),
            problem: PathProblem::EmptySegment,
        },
        R::InvalidPath {
            path: s("/{}"),
            problem: PathProblem::MalformedParameter { segment: s("{}") },
        },
        R::InvalidPath {
            path: s("/v1{p}"),
            problem: PathProblem::PartialParameter {
                segment: s("v1{p}"),
            },
        },
        R::InvalidAction {
            action: s("ims:images"),
        },
        R::RepeatedAction {
            action: s("ims:images:list"),
        },
        R::EmptyCondition { dependency: false },
        R::EmptyCondition { dependency: true },
        R::InvalidDependency { action: s("obs") },
        R::RepeatedDependency {
            action: s("obs:bucket:*"),
        },
        R::EmptyPrerequisite,
        R::RouteNoteWithRoute,
        R::ActionsAndNotDocumented,
        R::EmptyNote,
        R::DuplicateId {
            id: s("list-images"),
            first: 0,
        },
        R::DuplicateRoute {
            route: s("GET /v2/images"),
            first: 0,
        },
        R::DefinedElsewhere {
            clash: Clash::Id,
            value: s("list-images"),
            origin: s("a.json"),
            id: s("list-images"),
        },
        R::DefinedElsewhere {
            clash: Clash::Route,
            value: s("GET /v2/images"),
            origin: s("a.json"),
            id: s("list"),
        },
    ]
}

fn import_reasons() -> Vec<ImportReason> {
    use ImportReason as R;
    let s = |t: &str| t.to_string();
    let header = vec![s("权限"), s("授权项")];
    let catalog_error = CatalogError {
        origin: s("t.html"),
        position: None,
        operation: Some(crate::catalog::OperationAt {
            index: 0,
            id: Some(s("x")),
        }),
        field: Some(s("path")),
        reason: Box::new(CatalogReason::NoName),
    };
    vec![
        R::TooDeep { limit: 512 },
        R::NoTable,
        R::NoPermissionTable { tables: 1 },
        R::NoPermissionTable { tables: 3 },
        R::NoService,
        R::SeveralServices {
            services: vec![s("ecs"), s("ims")],
        },
        R::NotACatalog(Box::new(catalog_error)),
        R::SamePermissionTwice {
            route: s("GET /v2/images"),
            file: s("a.html"),
            table: 1,
            row: 2,
        },
        R::MissingColumn {
            header: header.clone(),
            column: NeededColumn::Name,
        },
        R::MissingColumn {
            header: header.clone(),
            column: NeededColumn::Route,
        },
        R::MissingColumn {
            header: header.clone(),
            column: NeededColumn::Actions,
        },
        R::OneScopeColumn {
            header: header.clone(),
        },
        R::NoRows,
        R::ControlCharacter {
            character: '\u{7}',
            text: s("x\u{7}"),
        },
        R::CellCount {
            found: 2,
            expected: 4,
            header,
        },
        R::EmptyName,
        R::NotARoute { text: s("images") },
        R::EmptyActions,
        R::NotAnAction { text: s("ims") },
        R::UnclosedBracket {
            text: s("ims:images:list ("),
        },
        R::ConditionWithoutAction {
            condition: s("仅")
        },
        R::RunTogether {
            text: s("ims:images:getfoo:x:y"),
        },
        R::NotYesNo { text: s("maybe") },
        R::ScopesNotStated {
            text: s("支持：项目"),
        },
        R::OnlyWildcards,
    ]
}

fn io(kind: io::ErrorKind) -> io::Error {
    io::Error::new(kind, "the system's words")
}

fn every_error() -> Vec<CommandError> {
    use CommandError as E;
    let s = |t: &str| t.to_string();
    let mut all: Vec<CommandError> = Vec::new();
    for reason in catalog_reasons() {
        all.push(E::Catalog(CatalogError {
            origin: s("c.json"),
            position: Some((1, 2)),
            operation: Some(crate::catalog::OperationAt { index: 1, id: None }),
            field: Some(s("actions[0].action")),
            reason: Box::new(reason),
        }));
    }
    for (table, row, cell) in [(None, None, None), (Some(1), Some(2), Some(s("授权项")))] {
        for reason in import_reasons() {
            all.push(E::Import(ImportError {
                file: s("t.html"),
                table,
                row,
                cell: cell.clone(),
                reason: Box::new(reason),
            }));
        }
    }
    let read = |kind: ReadErrorKind| ReadError {
        shown: s("p.json"),
        kind,
    };
    let kinds = [
        FileKind::Directory,
        FileKind::Fifo,
        FileKind::CharacterDevice,
        FileKind::BlockDevice,
        FileKind::Socket,
        FileKind::SymbolicLink,
        FileKind::Regular,
    ];
    for kind in kinds {
        all.push(E::Read(read(ReadErrorKind::NotRegular { kind })));
        all.push(E::Write {
            shown: s("out.json"),
            error: WriteError::NotRegular { kind },
        });
    }
    for kind in [
        io::ErrorKind::NotFound,
        io::ErrorKind::PermissionDenied,
        io::ErrorKind::IsADirectory,
        io::ErrorKind::NotADirectory,
        io::ErrorKind::StorageFull,
        io::ErrorKind::ReadOnlyFilesystem,
        io::ErrorKind::AlreadyExists,
        io::ErrorKind::BrokenPipe,
        io::ErrorKind::InvalidFilename,
        io::ErrorKind::Other,
    ] {
        all.push(E::Read(read(ReadErrorKind::Io(io(kind)))));
    }
    all.push(E::Read(read(ReadErrorKind::TooLarge { limit: 64 << 20 })));
    all.push(E::Read(read(ReadErrorKind::NotUtf8 { offset: 3 })));
    all.push(E::Load(LoadError::Read(read(ReadErrorKind::NotUtf8 {
        offset: 3,
    }))));
    all.push(E::Load(LoadError::Catalog(CatalogError {
        origin: s("c.json"),
        position: None,
        operation: None,
        field: None,
        reason: Box::new(CatalogReason::NotAnObject),
    })));
    for reason in [
        QueryReason::UnknownPrefix { prefix: s("kind") },
        QueryReason::NoValue {
            prefix: s("method"),
        },
        QueryReason::UnknownMethod { value: s("fetch") },
        QueryReason::UnknownScope { value: s("x") },
        QueryReason::UnknownFlag { value: s("x") },
    ] {
        all.push(E::Query(QueryError {
            term: s("kind:image"),
            reason,
        }));
    }
    for (closest, host_service, spec) in [
        (vec![], None, "nope"),
        (vec![], None, "GET /v9/x"),
        (vec![s("list-images")], None, "list-image"),
        (vec![], Some(s("ims")), "GET /v1/jobs"),
        (vec![s("GET /v2/images")], Some(s("ims")), "GET /v1/jobs"),
    ] {
        all.push(E::Resolve(ResolveError::Unknown {
            spec: s(spec),
            closest,
            host_service,
            other_service: None,
        }));
        all.push(E::Resolve(ResolveError::Unknown {
            spec: s("GET https://ecs.x.myhuaweicloud.com/v2/cloudimages"),
            closest: vec![],
            host_service: None,
            other_service: Some(s("ecs")),
        }));
    }
    all.push(E::Resolve(ResolveError::Ambiguous {
        spec: s("list"),
        candidates: vec![s("ims:list"), s("ecs:list")],
    }));
    all.push(E::Resolve(ResolveError::SharedRoute {
        spec: s("POST /v1/x"),
        candidates: vec![
            (s("a"), crate::lang::LocalText::new("甲", "A")),
            (s("b"), crate::lang::LocalText::new("乙", "B")),
        ],
    }));
    for problem in [
        RequestProblem::NotMethodAndTarget { input: s("GET") },
        RequestProblem::UnknownMethod { method: s("FETCH") },
        RequestProblem::NotPathOrUrl { target: s("v2") },
    ] {
        all.push(E::Resolve(ResolveError::BadRoute {
            spec: s("GET v2"),
            reason: problem.clone(),
        }));
        all.push(E::Request(problem));
    }
    all.push(E::Compose(ComposeError::NotConditional {
        action: s("x:y:z"),
        available: vec![],
    }));
    all.push(E::Compose(ComposeError::NotConditional {
        action: s("x:y:z"),
        available: vec![s("ims:serverImages:create")],
    }));
    all.push(E::Compose(ComposeError::TooManyStatements {
        statements: 9,
    }));
    all.push(E::Compose(ComposeError::ActionsNotDocumented {
        operations: vec![s("list-buckets")],
    }));
    all.push(E::NoOperations { files: vec![] });
    all.push(E::NoOperations {
        files: vec![s("a.json")],
    });
    all.push(E::NoOperations {
        files: vec![s("a.json"), s("b.json")],
    });
    {
        use crate::calls::{CallsError, CallsReason, Location, NotACall};
        let calls = |reason| {
            E::Calls(CallsError {
                name: s("tf.log"),
                reason,
            })
        };
        all.push(calls(CallsReason::Read(read(ReadErrorKind::TooLarge {
            limit: 1 << 26,
        }))));
        all.push(calls(CallsReason::NoCalls {
            terraform_log: true,
            first: None,
        }));
        all.push(calls(CallsReason::NoCalls {
            terraform_log: false,
            first: None,
        }));
        all.push(calls(CallsReason::NoCalls {
            terraform_log: false,
            first: Some(NotACall {
                at: Location::Line(3),
                text: s("hello"),
            }),
        }));
        all.push(calls(CallsReason::HarNotJson {
            detail: s("EOF"),
            line: 1,
            column: 2,
        }));
        all.push(calls(CallsReason::NotHar));
        for kind in [
            crate::calls::NotText::Gzip,
            crate::calls::NotText::Utf16,
            crate::calls::NotText::Binary,
        ] {
            all.push(calls(CallsReason::NotText(kind)));
        }
        all.push(E::UnusedChoice {
            id: s("list-images"),
        });
        all.push(E::ChooseWithoutCalls);
        all.push(E::NoCallMatched);
        use crate::policy::simulate::{CallProblem, FixProblem};
        all.push(E::UnknownCall {
            call: s("nope"),
            problem: CallProblem::Unknown(ResolveError::Unknown {
                spec: s("nope"),
                closest: vec![],
                host_service: None,
                other_service: None,
            }),
        });
        all.push(E::UnknownCall {
            call: s("x:y:z"),
            problem: CallProblem::UnknownAction { action: s("x:y:z") },
        });
        all.push(E::NotAPolicy {
            source: s("p.json"),
            first: s("缺少 Statement"),
        });
        for problem in [
            FixProblem::NotInScope {
                operation: s("copy-image-cross-region"),
            },
            FixProblem::ActionsNotDocumented {
                operation: s("bucket-listallmybuckets"),
            },
            FixProblem::NoRoom,
            FixProblem::NotAPolicy,
        ] {
            all.push(E::NoFix(problem));
        }
    }
    all.push(E::NoPolicy);
    all.push(E::NothingSelected);
    all.push(E::NothingMatches { query: s("zzz") });
    for (host_service, closest) in [
        (None, vec![]),
        (None, vec![s("GET /v2/images")]),
        (Some(s("ims")), vec![]),
        (Some(s("ims")), vec![s("GET /v2/images")]),
    ] {
        all.push(E::NoRouteMatches {
            method: s("GET"),
            path: s("/v9/x"),
            host_service,
            other_service: None,
            closest,
        });
        all.push(E::NoRouteMatches {
            method: s("GET"),
            path: s("/v2/cloudimages"),
            host_service: None,
            other_service: Some(s("ecs")),
            closest: vec![],
        });
    }
    all.push(E::StdoutClosed);
    all.push(E::Stdout(io(io::ErrorKind::StorageFull)));
    all.push(E::Json(s("key must be a string")));
    all.push(E::Script(io(io::ErrorKind::Other)));
    all.push(E::NoTerminal(io(io::ErrorKind::NotFound)));
    all.push(E::Explorer(io(io::ErrorKind::Other)));
    all.push(E::ClipboardSetting { value: s("xclip") });
    all.push(E::FileExists {
        shown: s("p.json"),
        existing: Existing::default(),
    });
    for error in [
        WriteError::Exists,
        WriteError::DanglingSymlink,
        WriteError::Temporary(io(io::ErrorKind::ReadOnlyFilesystem)),
        WriteError::Io(io(io::ErrorKind::StorageFull)),
    ] {
        all.push(E::Write {
            shown: s("p.json"),
            error,
        });
    }
    all.push(E::NotConverted {
        source: s("p.json"),
        first: s("“Statement” 缺失"),
    });
    for error in [
        ConvertError::NotJson { detail: s("EOF") },
        ConvertError::WouldLose {
            path: s("Statement[0].Condition"),
        },
    ] {
        all.push(E::Convert {
            source: s("p.json"),
            error,
        });
    }
    all
}

/// Fails to compile when a variant is added and not listed above.
#[allow(dead_code)]
fn listed(e: &CommandError) {
    use CommandError as E;
    match e {
        E::Read(_) | E::Load(_) | E::Catalog(_) | E::Import(_) | E::Query(_) => {}
        E::Resolve(_) | E::Compose(_) | E::Request(_) | E::NoOperations { .. } => {}
        E::Calls(_) | E::UnusedChoice { .. } | E::ChooseWithoutCalls | E::NoCallMatched => {}
        E::UnknownCall { .. } | E::NotAPolicy { .. } | E::NoFix(_) => {}
        E::NoPolicy | E::NothingSelected | E::NothingMatches { .. } => {}
        E::NoRouteMatches { .. } | E::StdoutClosed | E::Stdout(_) | E::Json(_) => {}
        E::Script(_) | E::NoTerminal(_) | E::Explorer(_) | E::ClipboardSetting { .. } => {}
        E::FileExists { .. } | E::Write { .. } | E::NotConverted { .. } => {}
        E::Convert { .. } => {}
    }
    let catalog = |r: &CatalogReason| match r {
        CatalogReason::InvalidJson { .. }
        | CatalogReason::Malformed { .. }
        | CatalogReason::BadValue { .. }
        | CatalogReason::NotAnObject
        | CatalogReason::UnknownField { .. }
        | CatalogReason::WrongType { .. }
        | CatalogReason::MissingField
        | CatalogReason::ControlCharacter { .. }
        | CatalogReason::InvalidService { .. }
        | CatalogReason::InvalidId { .. }
        | CatalogReason::NoName
        | CatalogReason::InvalidMethod { .. }
        | CatalogReason::InvalidPath { .. }
        | CatalogReason::InvalidAction { .. }
        | CatalogReason::RepeatedAction { .. }
        | CatalogReason::EmptyCondition { .. }
        | CatalogReason::InvalidDependency { .. }
        | CatalogReason::RepeatedDependency { .. }
        | CatalogReason::EmptyPrerequisite
        | CatalogReason::RouteNoteWithRoute
        | CatalogReason::ActionsAndNotDocumented
        | CatalogReason::EmptyNote
        | CatalogReason::DuplicateId { .. }
        | CatalogReason::DuplicateRoute { .. }
        | CatalogReason::DefinedElsewhere { .. } => {}
    };
    let import = |r: &ImportReason| match r {
        ImportReason::TooDeep { .. }
        | ImportReason::NoTable
        | ImportReason::NoPermissionTable { .. }
        | ImportReason::NoService
        | ImportReason::SeveralServices { .. }
        | ImportReason::NotACatalog(_)
        | ImportReason::SamePermissionTwice { .. }
        | ImportReason::MissingColumn { .. }
        | ImportReason::OneScopeColumn { .. }
        | ImportReason::NoRows
        | ImportReason::ControlCharacter { .. }
        | ImportReason::CellCount { .. }
        | ImportReason::EmptyName
        | ImportReason::NotARoute { .. }
        | ImportReason::EmptyActions
        | ImportReason::NotAnAction { .. }
        | ImportReason::UnclosedBracket { .. }
        | ImportReason::ConditionWithoutAction { .. }
        | ImportReason::RunTogether { .. }
        | ImportReason::NotYesNo { .. }
        | ImportReason::ScopesNotStated { .. }
        | ImportReason::OnlyWildcards => {}
    };
    let _ = (catalog, import);
}

#[test]
fn every_error_is_worded_in_both_languages() {
    let all = every_error();
    assert!(all.len() > 120, "{}", all.len());
    // Each reason list holds each variant (the `listed` match keeps the lists whole).
    let distinct = |names: Vec<String>| {
        names
            .into_iter()
            .collect::<std::collections::HashSet<_>>()
            .len()
    };
    let variant = |debug: String| {
        debug
            .split([' ', '(', '{'])
            .next()
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(
        distinct(
            catalog_reasons()
                .iter()
                .map(|r| variant(format!("{r:?}")))
                .collect()
        ),
        25
    );
    assert_eq!(
        distinct(
            import_reasons()
                .iter()
                .map(|r| variant(format!("{r:?}")))
                .collect()
        ),
        22
    );
    for e in &all {
        let en = e.worded(Lang::En);
        let zh = e.worded(Lang::Zh);
        assert!(!en.trim().is_empty() && !zh.trim().is_empty(), "{e:?}");
        assert!(has_han(&zh), "not Chinese: {zh}");
        assert_ne!(en, zh, "{e:?}");
        assert_eq!(en, e.to_string(), "Display is the English wording");
        // One line each, and no ASCII colon-space in a Chinese sentence's own frame.
        assert!(!en.contains('\n') && !zh.contains('\n'), "{e:?}");
    }
}

#[test]
fn quoted_values_are_shortened_and_escaped() {
    let e = CatalogError {
        origin: "a\u{1b}.json".into(),
        position: None,
        operation: None,
        field: Some("x\u{7}".into()),
        reason: Box::new(CatalogReason::InvalidId {
            id: format!("{}\u{1b}[2J", "x".repeat(10_000)),
        }),
    };
    for lang in [Lang::En, Lang::Zh] {
        let text = e.worded(lang);
        assert!(!text.chars().any(|c| c.is_control()), "{text}");
        assert!(text.chars().count() < 400, "{}", text.len());
    }
}

#[test]
fn system_errors_keep_their_code_in_chinese() {
    let e = io::Error::from_raw_os_error(libc::ENOENT);
    assert_eq!(io_error(&e, Lang::Zh), "文件或目录不存在（系统错误 2）");
    assert!(io_error(&e, Lang::En).contains("No such file"));
    let e = io::Error::from_raw_os_error(libc::ELOOP);
    assert_eq!(io_error(&e, Lang::Zh), "符号链接层数过多（系统错误 40）");
}
