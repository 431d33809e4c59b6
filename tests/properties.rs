//! Property tests: no input a user can type makes the core panic, and the composer's policy is
//! always the sorted, deduplicated union of what the chosen operations need.

use ims_perms::catalog::route::Request;
use ims_perms::catalog::{self, Catalog};
use ims_perms::policy::compose::{ComposeOptions, compose};
use ims_perms::search::query::{Query, SearchIndex};
use ims_perms::search::resolve;
use ims_perms::search::resolve::resolve_operation;
use proptest::prelude::*;

/// Words that exercise the grammar: prefixes, negation, CJK, full-width forms, punctuation.
fn query_word() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,12}",
        prop::sample::select(vec![
            "name:",
            "n:",
            "a:",
            "action:",
            "r:",
            "route:",
            "path:",
            "m:",
            "method:",
            "scope:",
            "service:",
            "is:",
            "-",
            "--",
            "ims:",
            "ims:images:",
            "删除",
            "（",
            "）",
            ":",
            "{",
            "}",
            "/v2/images/{image_id}",
            "ep",
            "project",
            "deprecated",
            "native",
            "get",
            "GET",
        ])
        .prop_map(str::to_string),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_query_parses_or_errors_without_panicking(words in prop::collection::vec(query_word(), 0..6)) {
        let catalog = Catalog::builtin().unwrap();
        let index = SearchIndex::new(&catalog);
        let input = words.concat();
        if let Ok(query) = Query::parse(&input, &catalog.services()) {
            let hits = index.search(&query);
            for pair in hits.windows(2) {
                prop_assert!(pair[0].score > pair[1].score
                    || (pair[0].score == pair[1].score && pair[0].index < pair[1].index));
            }
            for hit in &hits {
                let op = &catalog.operations()[hit.index];
                let zh_len = op.name.zh.as_deref().unwrap_or("").chars().count();
                let hl = index.highlights(&query, hit.index);
                prop_assert!(hl.name_zh.iter().all(|&p| p < zh_len));
                prop_assert!(hl.path.iter().all(|&p| p < op.path().chars().count()));
            }
        }
        let spaced = words.join(" ");
        let _ = Query::parse(&spaced, &catalog.services());
    }

    #[test]
    fn any_route_input_is_handled(method in "[a-zA-Z]{0,7}", path in "(https?://[a-z.]{0,12})?[/a-z0-9{}._?=#-]{0,40}") {
        let catalog = Catalog::builtin().unwrap();
        let input = format!("{method} {path}");
        if let Ok(request) = Request::parse(&input) {
            let hits = resolve::lookup(&catalog, &request);
            for &i in &hits {
                prop_assert_eq!(catalog.operations()[i].method(), request.method.as_str());
            }
            let _ = resolve::closest(&catalog, &request, 3);
        }
        let _ = resolve_operation(&catalog, &input);
        let _ = resolve_operation(&catalog, &path);
    }

    #[test]
    fn composed_policy_is_the_union_of_needs(selection in prop::collection::vec(0usize..18, 1..8)) {
        let catalog = Catalog::builtin().unwrap();
        let composition = compose(&catalog, &selection, &ComposeOptions::default()).unwrap();
        let mut expected: Vec<String> = selection
            .iter()
            .flat_map(|&i| catalog.operations()[i].needed_actions())
            .map(str::to_string)
            .collect();
        expected.sort_by_key(|a| a.to_ascii_lowercase());
        expected.dedup();
        let got: Vec<String> = composition
            .policy
            .map(|p| p.statements.into_iter().flat_map(|s| s.actions).collect())
            .unwrap_or_default();
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn mangled_catalogs_never_panic(cut in 0usize..20_000, insert in "\\PC{0,3}") {
        let text = catalog::BUILTIN_JSON;
        let mut at = cut.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mangled = format!("{}{}{}", &text[..at], insert, &text[at..]);
        let _ = catalog::parse("mangled.json", &mangled);
        let _ = catalog::parse("cut.json", &text[..at]);
    }

    #[test]
    fn any_policy_text_is_reviewed_without_panicking(
        pieces in prop::collection::vec(policy_piece(), 0..24),
        cut in 0usize..400,
    ) {
        let catalog = Catalog::builtin().unwrap();
        let text = pieces.concat();
        let review = ims_perms::policy::review::explain(&catalog, &text);
        // Unreadable documents list no operations; readable ones list every operation.
        prop_assert!(review.operations.is_empty() || review.operations.len() == catalog.len());
        prop_assert!(review.evaluated || review.has_errors());
        let _ = ims_perms::present::review_report(&catalog, &review, ims_perms::Lang::Zh);
        let mut at = cut.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let _ = ims_perms::policy::review::explain(&catalog, &text[..at]);
    }

    #[test]
    fn any_html_is_imported_or_refused_without_panicking(
        pieces in prop::collection::vec(html_piece(), 0..40),
    ) {
        let html = pieces.concat();
        let input = |text: &str| ims_perms::import::ImportInput {
            name: "fuzzed.html".into(),
            text: text.to_string(),
        };
        let _ = ims_perms::import::import(&[input(&html)], None, None);
        let _ = ims_perms::import::import(&[input(&html)], Some("ims"), None);
        // The same fragments as Markdown lines.
        let markdown = pieces.join("|");
        let _ = ims_perms::import::import(&[input(&markdown), input(&html)], None, None);
    }
}

/// Fragments of policy documents, valid and not, to be strung together.
fn policy_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,6}",
        prop::sample::select(vec![
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"Version\"",
            "\"1.1\"",
            "\"1.0\"",
            "\"5.0\"",
            "\"Statement\"",
            "\"Effect\"",
            "\"Allow\"",
            "\"Deny\"",
            "\"Action\"",
            "\"NotAction\"",
            "\"Condtion\"",
            "\"ims:*:*\"",
            "\"ims:images:list\"",
            "\"ims:images:g?t\"",
            "\"obs:*:*\"",
            "\"Ims:x:y\"",
            "\"ims:images\"",
            "null",
            "1",
            "true",
            "\u{feff}",
            "\"\\u001b[2J\"",
        ])
        .prop_map(str::to_string),
    ]
}

/// Fragments of permission-table pages.
fn html_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,6}",
        prop::sample::select(vec![
            "<table>",
            "</table>",
            "<thead>",
            "</thead>",
            "<tbody>",
            "<tr>",
            "</tr>",
            "<th>",
            "<td>",
            "</td>",
            "<ul>",
            "<li>",
            "<p>",
            "</p>",
            "<div class=\"note\">",
            "<div class=\"notebody\">",
            "</div>",
            "权限",
            "授权项",
            "授权范围",
            "对应API接口",
            "Permission",
            "Action",
            "API",
            "Authorization Scope",
            "支持：",
            "不支持：",
            "项目（Project）",
            "企业项目（Enterprise Project）",
            "ims:images:list",
            "（仅x需要）",
            "GET /v2/images",
            "无",
            "<h1>",
            "# ",
        ])
        .prop_map(str::to_string),
    ]
}

/// Every string value inside the operations of the built-in catalog, as JSON pointers.
fn operation_strings(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(_) => out.push(at),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                operation_strings(item, format!("{at}/{i}"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, item) in map {
                operation_strings(item, format!("{at}/{k}"), out);
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whichever reader takes the file (well formed or not), a control or bidi character in any
    /// string of any operation refuses it, naming the character.
    #[test]
    fn a_control_character_in_any_field_refuses_the_file(
        pick in any::<prop::sample::Index>(),
        at in 0usize..40,
        c in prop::sample::select(vec!['\u{1b}', '\u{7}', '\n', '\t', '\u{0}', '\u{9b}', '\u{202e}', '\u{2066}']),
        broken in any::<bool>(),
    ) {
        let mut doc: serde_json::Value = serde_json::from_str(catalog::BUILTIN_JSON).unwrap();
        let mut pointers = Vec::new();
        operation_strings(&doc["operations"], "/operations".into(), &mut pointers);
        let pointer = &pointers[pick.index(pointers.len())];
        let slot = doc.pointer_mut(pointer).unwrap();
        let text = slot.as_str().unwrap().to_string();
        let mut chars: Vec<char> = text.chars().collect();
        chars.insert(at.min(chars.len()), c);
        *slot = serde_json::Value::String(chars.into_iter().collect());
        let mut json = serde_json::to_string(&doc).unwrap();
        if broken {
            // A repeated key fails the typed reader, so the tree reader takes the file; it
            // must run the same checks.
            json = json.replacen(r#""service":"ims""#, r#""service":"ims","service":"ims""#, 1);
            prop_assert!(json.contains(r#""service":"ims","service":"ims""#));
        }
        let e = catalog::parse("fuzzed.json", &json).unwrap_err().to_string();
        let escaped: String = c.escape_unicode().collect();
        prop_assert!(e.contains(&format!("control character {escaped}")), "{pointer}: {e}");
        prop_assert!(!e.contains(c), "the error itself is escaped: {e:?}");
    }
}

/// The built-in catalog and every ECS table in `../shared` (ECS operations name `evs:`,
/// `vpc:`… dependencies, and IMS's create-image depends on `ecs:` actions).
fn catalog_with_ecs() -> Catalog {
    let mut c = Catalog::builtin().unwrap();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/vendor-tables/forms/six-col-dependencies-ecs.zh.html"
    );
    let text = std::fs::read_to_string(path).expect("the shared ECS table");
    let (parsed, _) = ims_perms::import::import(
        &[ims_perms::import::ImportInput {
            name: path.into(),
            text,
        }],
        None,
        None,
    )
    .unwrap();
    c.add(parsed).unwrap();
    c
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// `compose … --with-dependencies | explain -` finds nothing wrong but the wildcard notes:
    /// no covered action, no unknown dependency, no missing dependency of a chosen operation.
    /// (An operation the same actions also allow, outside the selection, may still lack its
    /// own dependencies: `explain` says so, truly, and the composer does not widen the policy
    /// for an operation nobody chose.)
    #[test]
    fn composed_policies_with_dependencies_pass_explain(
        selection in prop::collection::vec(0usize..44, 1..10),
        all_conditional in any::<bool>(),
    ) {
        use ims_perms::policy::review::{FindingKind, Severity};
        let c = catalog_with_ecs();
        let chosen: Vec<usize> = selection.into_iter().map(|i| i % c.len()).collect();
        let options = ComposeOptions {
            with_dependencies: true,
            all_conditional,
            ..ComposeOptions::default()
        };
        let Some(policy) = compose(&c, &chosen, &options).unwrap().policy else {
            return Ok(());
        };
        let review = ims_perms::policy::review::explain(&c, &policy.to_json());
        for f in &review.findings {
            let unchosen = |id: &str| !chosen.iter().any(|&i| c.operations()[i].id == id);
            let allowed = matches!(f.kind, FindingKind::BroadWildcard { .. })
                || matches!(&f.kind, FindingKind::MissingDependencies { operation, .. } if unchosen(operation))
                || f.severity == Severity::Info;
            prop_assert!(allowed, "{:?} in\n{}", f, policy.to_json());
        }
    }
}
