//! The explorer's model driven by key sequences, and its screens drawn on ratatui's
//! `TestBackend` (insta snapshots), without a terminal.

use ims_perms::catalog::Catalog;
use ims_perms::lang::Lang;
use ims_perms::policy::compose::{ComposeOptions, compose};
use ims_perms::policy::review::PatternChange;
use ims_perms::tui::app::{Action, App, Focus, Overlay};
use ims_perms::tui::field::TextField;
use ims_perms::tui::keymap::KEYMAP;
use ims_perms::tui::ui::{self, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn app(lang: Lang) -> App {
    App::new(Catalog::builtin().unwrap(), lang)
}

/// Types keys: plain characters as themselves, `<Enter>`-style names for the rest.
fn keys(app: &mut App, seq: &[&str]) {
    for k in seq {
        let code = match *k {
            "<Enter>" => KeyCode::Enter,
            "<Esc>" => KeyCode::Esc,
            "<Tab>" => KeyCode::Tab,
            "<Down>" => KeyCode::Down,
            "<Up>" => KeyCode::Up,
            "<Bksp>" => KeyCode::Backspace,
            "<End>" => KeyCode::End,
            "<Home>" => KeyCode::Home,
            "<Left>" => KeyCode::Left,
            "<PgDn>" => KeyCode::PageDown,
            "<PgUp>" => KeyCode::PageUp,
            s => {
                for c in s.chars() {
                    app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
                }
                continue;
            }
        };
        app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    }
}

fn draw(app: &mut App, width: u16, height: u16) -> String {
    ui::sync_view(app, ratatui::layout::Rect::new(0, 0, width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| ui::render(app, Theme { color: false }, f))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            line.push_str(symbol);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn ids(app: &App) -> Vec<String> {
    app.selected()
        .iter()
        .map(|&i| app.catalog().operations()[i].id.clone())
        .collect()
}

fn cli_policy(app: &App, ids: &[&str], with: &[&str]) -> String {
    let c = &app.catalog();
    let chosen: Vec<usize> = ids.iter().map(|id| c.find_id(id)[0]).collect();
    let options = ComposeOptions {
        with: with.iter().map(|s| s.to_string()).collect(),
        ..ComposeOptions::default()
    };
    compose(c, &chosen, &options)
        .unwrap()
        .policy
        .unwrap()
        .to_json()
}

#[test]
fn search_enter_space_selects_the_best_match() {
    let mut a = app(Lang::En);
    keys(&mut a, &["/", "upload", "<Enter>"]);
    assert_eq!(a.focus(), Focus::Table);
    assert_eq!(a.query(), "upload");
    assert_eq!(a.hits().len(), 2);
    keys(&mut a, &[" "]);
    assert_eq!(ids(&a), ["upload-image-native"]);
    assert_eq!(
        a.policy_json().unwrap(),
        cli_policy(&a, &["upload-image-native"], &[])
    );
    keys(&mut a, &[" "]);
    assert!(a.selected().is_empty(), "Space again unselects");
    assert_eq!(a.policy_json(), None);
}

#[test]
fn typing_moves_the_highlight_to_the_best_match() {
    let mut a = app(Lang::En);
    keys(&mut a, &["jjj"]);
    assert_eq!(a.cursor(), 3);
    keys(&mut a, &["/", "export"]);
    assert_eq!(a.cursor(), 0);
    assert_eq!(
        a.catalog().operations()[a.current().unwrap()].id,
        "export-image"
    );
    keys(&mut a, &["<Esc>"]);
    assert!(a.query().is_empty());
    assert_eq!(a.hits().len(), 43);
    assert_eq!(a.focus(), Focus::Table);
}

#[test]
fn a_bad_query_keeps_the_previous_results() {
    let mut a = app(Lang::En);
    keys(&mut a, &["/", "m"]);
    let before = a.hits().to_vec();
    keys(&mut a, &[":del"]);
    assert!(a.query_error().unwrap().contains("unknown method"));
    assert_eq!(a.hits(), before);
    keys(&mut a, &["ete"]);
    assert_eq!(a.query_error(), None);
    assert_eq!(a.hits().len(), 6);

    // In the explorer's language.
    let mut a = app(Lang::Zh);
    keys(&mut a, &["/", "m:del"]);
    assert_eq!(
        a.query_error().as_deref(),
        Some(
            "`m:del`：未知的方法 `del`；应为 GET、HEAD、POST、PUT、PATCH、DELETE、OPTIONS、TRACE、CONNECT 之一"
        )
    );
    // Worded when shown: switching the language rewords it.
    keys(&mut a, &["<Enter>", "L"]);
    assert_eq!(a.lang(), Lang::En);
    assert!(a.query_error().unwrap().contains("unknown method `del`"));
}

#[test]
fn movement_keys() {
    let mut a = app(Lang::En);
    keys(&mut a, &["G"]);
    assert_eq!(a.cursor(), 42);
    keys(&mut a, &["g"]);
    assert_eq!(a.cursor(), 0);
    keys(&mut a, &["<End>", "<Up>", "k"]);
    assert_eq!(a.cursor(), 40);
    // A screen 13 rows high leaves the table 5 rows (border, header, border aside).
    ui::sync_view(&mut a, ratatui::layout::Rect::new(0, 0, 120, 13));
    assert_eq!(a.table_rows(), 5);
    keys(&mut a, &["g", "<PgDn>"]);
    assert_eq!(a.cursor(), 5);
    assert!(a.scroll() >= 1, "the highlight stays visible");
    // The table's border is screen row 3 and its header row 4: row 7 is the third row shown.
    a.update(Action::ClickAt { column: 5, row: 7 });
    assert_eq!(a.cursor(), a.scroll() + 2);
    a.update(Action::ScrollAt {
        column: 5,
        row: 7,
        delta: 100,
    });
    assert_eq!(a.scroll(), 38, "43 rows, 5 shown: the last page");
    assert!(a.cursor() >= 38);
}

#[test]
fn select_all_shown_and_clear() {
    let mut a = app(Lang::En);
    keys(&mut a, &["/", "is:deprecated", "<Enter>", "a"]);
    assert_eq!(a.selected().len(), 3);
    assert_eq!(
        a.policy_json().unwrap(),
        cli_policy(
            &a,
            &[
                "list-image-details-v1-1",
                "show-image-metadata-v1",
                "delete-image-v1-1"
            ],
            &[]
        )
    );
    keys(&mut a, &["x"]);
    assert!(a.selected().is_empty());
}

#[test]
fn composer_toggles_conditional_actions_like_with() {
    let mut a = app(Lang::En);
    keys(&mut a, &["/", "a:images:update", "<Enter>"]);
    let row = a
        .hits()
        .iter()
        .position(|h| a.catalog().operations()[h.index].id == "update-image")
        .unwrap();
    for _ in 0..row {
        keys(&mut a, &["<Down>"]);
    }
    assert_eq!(a.cursor(), row);
    keys(&mut a, &[" ", "<Tab>"]);
    assert_eq!(a.focus(), Focus::Composer);
    assert_eq!(a.toggles().len(), 1);
    assert!(!a.toggles()[0].included);
    keys(&mut a, &[" "]);
    assert!(a.toggles()[0].included);
    assert_eq!(
        a.policy_json().unwrap(),
        cli_policy(&a, &["update-image"], &["ims:serverImages:create"])
    );
    keys(&mut a, &[" "]);
    assert_eq!(
        a.policy_json().unwrap(),
        cli_policy(&a, &["update-image"], &[])
    );
}

#[test]
fn quick_import_toggles_pick_one_case_but_never_none() {
    let mut a = app(Lang::En);
    keys(&mut a, &["/", "r:quickimport", "<Enter>", " ", "<Tab>"]);
    let t = a.toggles();
    assert_eq!(t.len(), 2);
    assert!(t.iter().all(|t| t.included), "both by default");
    keys(&mut a, &[" "]); // serverImages off
    assert_eq!(
        a.policy_json().unwrap(),
        cli_policy(&a, &["quick-import-image"], &["ims:dataImages:create"])
    );
    keys(&mut a, &["<Down>", " "]); // dataImages off: refused, one must stay
    assert!(a.status().as_deref().unwrap().contains("at least one"));
    assert!(a.toggles()[1].included);
}

#[test]
fn copy_and_write_are_effects() {
    use ims_perms::tui::app::Effect;
    let mut a = app(Lang::En);
    assert!(
        a.handle_key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE))
            .is_empty()
    );
    assert!(
        a.status()
            .as_deref()
            .unwrap()
            .starts_with("Nothing selected")
    );
    keys(&mut a, &[" "]);
    let effects = a.handle_key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE));
    assert_eq!(
        effects,
        [Effect::Copy {
            text: cli_policy(&a, &["list-images"], &[]),
            actions: 1
        }]
    );
    keys(&mut a, &["w"]);
    assert_eq!(
        a.overlay().cloned(),
        Some(Overlay::Prompt {
            path: TextField::proposed("ims-policy.json")
        })
    );
    // The proposed name is selected: End keeps it and moves to its end.
    keys(
        &mut a,
        &["<End>", "<Bksp>", "<Bksp>", "<Bksp>", "<Bksp>", "txt"],
    );
    let effects = a.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    assert_eq!(
        effects,
        [Effect::Write {
            path: "ims-policy.txt".into(),
            text: cli_policy(&a, &["list-images"], &[]),
            overwrite: false
        }]
    );
    a.update(Action::FileExists {
        path: "ims-policy.txt".into(),
        existing: ims_perms::io::output::Existing {
            link_target: Some("/home/me/policies/real.json".into()),
            hard_links: 2,
        },
    });
    // The prompt names the file the link points to, and what a hard link keeps.
    let screen = draw(&mut a, 120, 30);
    assert!(
        screen.contains("ims-policy.txt exists: a link to /home/me/policies/real.json"),
        "{screen}"
    );
    assert!(
        screen.contains("another hard link: a new file is written"),
        "{screen}"
    );
    let effects = a.handle_key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE));
    assert!(matches!(
        &effects[..],
        [Effect::Write {
            overwrite: true,
            ..
        }]
    ));
    let quit = a.handle_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(quit, [Effect::Quit]);
}

#[test]
fn help_lists_every_binding_from_the_keymap() {
    let mut a = app(Lang::En);
    keys(&mut a, &["?"]);
    assert_eq!(a.overlay().cloned(), Some(Overlay::Help));
    let screen = draw(&mut a, 120, 100);
    assert!(screen.contains(" Help "));
    for b in KEYMAP {
        let said = b.describe(Lang::En);
        assert!(screen.contains(said), "help is missing {said:?}");
    }
    keys(&mut a, &["<Esc>"]);
    assert_eq!(a.overlay().cloned(), None);
}

#[test]
fn language_switches_with_l() {
    let mut a = app(Lang::En);
    keys(&mut a, &["L"]);
    assert_eq!(a.lang(), Lang::Zh);
    assert!(draw(&mut a, 120, 40).contains("查询镜像列表"));
    keys(&mut a, &["L"]);
    assert_eq!(a.lang(), Lang::En);
}

#[test]
fn any_size_draws_without_panicking() {
    let mut a = app(Lang::Zh);
    keys(&mut a, &[" ", "j", " ", "<Tab>", " "]);
    for w in (1..=200).step_by(7) {
        for h in (1..=60).step_by(5) {
            draw(&mut a, w, h);
        }
    }
    let tiny = draw(&mut a, 40, 10);
    assert!(tiny.contains("请放大窗口"), "{tiny}");
}

fn selected_with_toggle(lang: Lang) -> App {
    let mut a = app(lang);
    // update-image (row 2) with its conditional action on, and upload-image-native.
    keys(
        &mut a,
        &[
            "j", " ", "/", "upload", "<Enter>", " ", "<Tab>", " ", "<Tab>",
        ],
    );
    a
}

#[test]
fn snapshot_wide_english() {
    let mut a = selected_with_toggle(Lang::En);
    insta::assert_snapshot!(draw(&mut a, 120, 40));
}

#[test]
fn snapshot_wide_chinese() {
    let mut a = selected_with_toggle(Lang::Zh);
    insta::assert_snapshot!(draw(&mut a, 120, 40));
}

#[test]
fn snapshot_narrow_english() {
    let mut a = selected_with_toggle(Lang::En);
    insta::assert_snapshot!(draw(&mut a, 80, 24));
}

#[test]
fn snapshot_narrow_chinese_composer() {
    let mut a = selected_with_toggle(Lang::Zh);
    keys(&mut a, &["<Tab>"]);
    insta::assert_snapshot!(draw(&mut a, 80, 24));
}

#[test]
fn snapshot_help_chinese() {
    let mut a = app(Lang::Zh);
    keys(&mut a, &["?"]);
    insta::assert_snapshot!(draw(&mut a, 120, 40));
}

#[test]
fn show_keys_lists_the_last_keys_in_the_footer() {
    let mut a = app(Lang::En).showing_keys();
    keys(&mut a, &["j", "j", " ", "<Tab>"]);
    assert_eq!(a.last_keys(), ["j", "j", "Space", "Tab"]);
    let screen = draw(&mut a, 160, 40);
    assert!(screen.contains("⌨ j j Space Tab"), "{screen}");
    keys(&mut a, &["kkkkkkk"]);
    assert_eq!(a.last_keys().len(), 6, "only the last few");
}

#[test]
fn no_color_draws_without_colours() {
    use ratatui::style::Color;
    let mut a = app(Lang::En);
    keys(&mut a, &["/", "export", "<Enter>", " "]);
    for color in [false, true] {
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        terminal
            .draw(|f| ui::render(&a, Theme { color }, f))
            .unwrap();
        let buffer = terminal.backend().buffer();
        let coloured = buffer
            .content()
            .iter()
            .any(|c| c.fg != Color::Reset || c.bg != Color::Reset);
        assert_eq!(coloured, color, "color: {color}");
        // The match highlight is still there as a modifier.
        let underlined = buffer
            .content()
            .iter()
            .any(|c| c.modifier.contains(ratatui::style::Modifier::UNDERLINED));
        assert!(underlined);
    }
}

#[test]
fn the_composer_scrolls_to_the_end_of_a_long_policy() {
    let mut a = selected_with_toggle(Lang::En);
    keys(&mut a, &["<Tab>"]);
    let first = draw(&mut a, 80, 24);
    assert!(!first.contains("Limits:"), "{first}");
    for _ in 0..10 {
        keys(&mut a, &["<PgDn>"]);
        draw(&mut a, 80, 24);
    }
    let last = draw(&mut a, 80, 24);
    assert!(last.contains("Limits:"), "{last}");
    for _ in 0..10 {
        keys(&mut a, &["<PgUp>"]);
    }
    assert_eq!(a.composer_scroll(), 0);
    assert_eq!(draw(&mut a, 80, 24), first);
}

const READ_ONLY_WITH_DENY: &str = r#"{"Version": "1.1", "Statement": [
  {"Effect": "Allow", "Action": ["ims:*:get*", "ims:*:list*", "ims:image:list"]},
  {"Effect": "Deny", "Action": ["ims:images:delete"]}]}"#;

#[test]
fn a_loaded_policy_marks_rows_and_seeds_the_composer() {
    use ims_perms::policy::review::Status;
    let mut a = app(Lang::En);
    a.load_policy("readonly.json", READ_ONLY_WITH_DENY);
    let loaded = a.loaded().unwrap();
    let status = |id: &str| {
        let i = a.catalog().find_id(id)[0];
        loaded.review.operations[i].status
    };
    assert_eq!(status("list-images"), Status::Allowed);
    assert_eq!(status("delete-image-native"), Status::Denied);
    assert_eq!(status("upload-image-native"), Status::Partial);
    assert_eq!(status("export-image"), Status::NotGranted);
    // The composer starts from what the policy fully allows (GET / needs nothing: left out).
    assert_eq!(
        ids(&a),
        [
            "list-images",
            "list-images-native",
            "show-image-native",
            "list-image-details-v1-1",
            "show-image-metadata-v1",
            "list-tags",
            "list-images-by-tag",
            "list-image-tags",
            "list-all-image-tags",
            "get-quota"
        ]
    );
    assert_eq!(a.policy_difference(), Some((vec![], vec![])));
    assert!(a.status().as_deref().unwrap().starts_with(
        "Reviewed readonly.json: 10 allowed, 9 partial, 2 denied, 17 not granted, 5 need no action;"
    ));
    // Tighten: drop the list operations; the difference says what goes.
    keys(&mut a, &["/", "a:list", "<Enter>", "x"]);
    keys(&mut a, &["<Esc>", "/", "r:/v2/images/{", "<Enter>", " "]);
    assert_eq!(ids(&a), ["show-image-native"]);
    assert_eq!(
        a.policy_difference(),
        Some((
            vec![],
            vec!["ims:images:list".to_string(), "ims:quotas:get".to_string()]
        ))
    );
    // Extend: add export.
    keys(&mut a, &["<Esc>", "/", "a:export", "<Enter>", " "]);
    assert_eq!(
        a.policy_difference(),
        Some((
            vec!["ims:images:export".to_string()],
            vec!["ims:images:list".to_string(), "ims:quotas:get".to_string()]
        ))
    );
}

#[test]
fn a_policy_covering_a_conditional_action_keeps_it() {
    let mut a = app(Lang::En);
    a.load_policy("p", r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:images:update", "ims:serverImages:create"]}]}"#);
    assert_eq!(a.policy_difference(), Some((vec![], vec![])));
    assert!(a.policy_json().unwrap().contains("ims:serverImages:create"));
}

#[test]
fn o_opens_a_policy_and_t_switches_the_export() {
    use ims_perms::tui::app::Effect;
    let mut a = app(Lang::En);
    keys(&mut a, &["o", "p.json"]);
    assert_eq!(
        a.overlay().cloned(),
        Some(Overlay::Open {
            path: TextField::new("p.json")
        })
    );
    let effects = a.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    assert_eq!(
        effects,
        [Effect::OpenPolicy {
            path: "p.json".into()
        }]
    );
    keys(&mut a, &[" ", "t"]);
    let effects = a.handle_key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE));
    let [Effect::Copy { text, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    let chosen = vec![a.catalog().find_id("list-images")[0]];
    let policy = compose(a.catalog(), &chosen, &ComposeOptions::default())
        .unwrap()
        .policy
        .unwrap();
    assert_eq!(
        *text,
        ims_perms::policy::export::terraform(
            a.catalog(),
            &chosen,
            &policy,
            ims_perms::policy::export::DEFAULT_ROLE_NAME
        )
    );
    keys(&mut a, &["w"]);
    assert_eq!(
        a.overlay().cloned(),
        Some(Overlay::Prompt {
            path: TextField::proposed("ims-policy.tf")
        })
    );
}

#[test]
fn snapshot_review_wide_english() {
    let mut a = app(Lang::En);
    a.load_policy("readonly.json", READ_ONLY_WITH_DENY);
    insta::assert_snapshot!(draw(&mut a, 120, 40));
}

#[test]
fn snapshot_review_narrow_chinese() {
    let mut a = app(Lang::Zh);
    a.load_policy("readonly.json", READ_ONLY_WITH_DENY);
    keys(&mut a, &["G"]);
    insta::assert_snapshot!(draw(&mut a, 80, 24));
}

#[test]
fn snapshot_two_services_show_a_service_column() {
    let mut catalog = Catalog::builtin().unwrap();
    let mut volumes = ims_perms::testing::test_op(
        "list-volumes",
        "GET",
        "/v2/{project_id}/cloudvolumes",
        &["evs:volumes:list"],
    );
    volumes["name"] = serde_json::json!({"zh": "查询云硬盘列表", "en": ""});
    let evs = ims_perms::testing::catalog_json("evs", &[volumes]);
    catalog
        .add(ims_perms::catalog::parse("evs.json", &evs).unwrap())
        .unwrap();
    let mut a = App::new(catalog, Lang::En);
    keys(&mut a, &["/", "list", "<Enter>"]);
    let screen = draw(&mut a, 120, 40);
    assert!(screen.contains("Service"), "{screen}");
    // An English screen shows the Chinese name where the catalog has no English one.
    assert!(screen.contains("查询云硬盘"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn backspace_and_narrowing_give_what_a_fresh_search_gives() {
    let mut a = App::new(ims_perms::testing::synthetic::catalog(5000), Lang::En);
    keys(
        &mut a,
        &["/", "delete vol", "<Bksp>", "<Bksp>", "<Bksp>", "<Bksp>"],
    );
    let mut fresh = App::new(ims_perms::testing::synthetic::catalog(5000), Lang::En);
    keys(&mut fresh, &["/", "delete"]);
    assert_eq!(a.query(), "delete");
    assert_eq!(a.hits(), fresh.hits());
    keys(&mut a, &[" v"]);
    keys(&mut fresh, &[" v"]);
    assert_eq!(a.hits(), fresh.hits());
}

#[test]
fn large_catalogs_search_in_the_background_with_the_same_results() {
    use ims_perms::search::query::{Query, SearchIndex};
    let catalog = ims_perms::testing::synthetic::catalog(30_000);
    let index = SearchIndex::new(&catalog);
    let expected = |text: &str| {
        let q = Query::parse(text, &catalog.services()).unwrap();
        index.search(&q)
    };
    // The explorer ranks as far as it shows: what it has ranked is the full ranking's start.
    let ranked_as_far_as_shown = |a: &App, text: &str| {
        let all = expected(text);
        assert_eq!(a.match_count(), all.len(), "{text}");
        assert!(!a.hits().is_empty() && a.hits().len() <= all.len());
        assert_eq!(a.hits(), &all[..a.hits().len()], "{text}");
    };
    let mut a = App::new(catalog.clone(), Lang::En);
    keys(&mut a, &["/", "d"]);
    assert!(
        a.searching(),
        "30,000 operations are searched off the input thread"
    );
    // Typing on while it runs: the old search is dropped, the newest query wins.
    keys(&mut a, &["elete"]);
    a.wait_for_search();
    assert!(!a.searching());
    ranked_as_far_as_shown(&a, "delete");
    keys(&mut a, &[" vol"]);
    a.wait_for_search();
    ranked_as_far_as_shown(&a, "delete vol");
    assert!(
        a.hits().len() < a.match_count(),
        "only the first screenful is ranked"
    );
    // Paging down ranks the rows it reaches; the last row ranks them all.
    draw(&mut a, 120, 40);
    keys(&mut a, &["<Enter>", "<PgDn>", "<PgDn>", "<PgDn>"]);
    let shown = draw(&mut a, 120, 40);
    ranked_as_far_as_shown(&a, "delete vol");
    assert!(a.hits().len() > a.cursor(), "{shown}");
    keys(&mut a, &["<End>"]);
    assert_eq!(a.hits(), expected("delete vol"));
    // Back to a query seen before: answered from memory, at once.
    keys(&mut a, &["/", "<Bksp>", "<Bksp>", "<Bksp>", "<Bksp>"]);
    assert!(!a.searching());
    ranked_as_far_as_shown(&a, "delete");
    // The screen says a search is running.
    keys(&mut a, &["<Esc>", "/", "x"]);
    if a.searching() {
        assert!(draw(&mut a, 120, 40).contains("/30000 …"));
    }
    a.wait_for_search();
    assert!(draw(&mut a, 120, 40).contains(&format!("{}/30000 ", expected("x").len())));
}

#[test]
fn an_unreadable_policy_keeps_the_session_and_draws_at_every_size() {
    for text in [
        "",
        "{}",
        "[]",
        "{\"Version\": \"1.1\"} trailing",
        "\u{feff}",
    ] {
        let mut app = app(Lang::En);
        keys(&mut app, &[" ", "<Down>", " "]);
        assert_eq!(ids(&app).len(), 2);
        app.load_policy("p.json", text);
        assert_eq!(ids(&app).len(), 2, "{text:?}: the selection stays");
        for (w, h) in [(160, 45), (120, 40), (80, 24)] {
            let screen = draw(&mut app, w, h);
            assert!(
                screen.contains("2 selected"),
                "{text:?} at {w}x{h}:\n{screen}"
            );
        }
        let status = app.status().clone().unwrap_or_default();
        assert!(status.starts_with("Cannot review p.json: "), "{status}");
    }
}

#[test]
fn alt_keys_are_not_their_letters_and_pastes_are_bounded() {
    let mut app = app(Lang::En);
    app.handle_key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::ALT));
    app.handle_key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT));
    assert!(app.query().is_empty());
    keys(&mut app, &["/"]);
    app.update(Action::Paste("line two\u{1b}[2J\u{202e}".into()));
    assert_eq!(app.query(), "line two[2J");
    // Several lines that are not API calls: said, escaped, and the search left as it was.
    app.update(Action::Paste(
        "GET /v2/cloudimages\nline two\u{1b}[2J\u{202e}".into(),
    ));
    assert_eq!(app.query(), "line two[2J");
    let status = app.status().unwrap_or_default();
    assert!(
        status.starts_with("The pasted lines are not API calls (line 2: \"line two\\u{202e}\")"),
        "{status}"
    );
    keys(&mut app, &["<End>"]);
    for _ in 0..11 {
        keys(&mut app, &["<Bksp>"]);
    }
    assert!(app.query().is_empty());
    app.update(Action::Paste("x".repeat(100_000)));
    assert_eq!(
        app.query().chars().count(),
        ims_perms::tui::app::MAX_QUERY_CHARS
    );
    assert!(app.status().as_deref().unwrap_or("").contains("cut at 512"));
}

#[test]
fn typed_file_names_start_at_home() {
    let home = std::env::var("HOME").unwrap_or_default();
    if home.is_empty() {
        return;
    }
    use ims_perms::tui::field::expand_home;
    assert_eq!(
        expand_home("~/p.json"),
        std::path::Path::new(&home).join("p.json")
    );
    assert_eq!(expand_home("~"), std::path::PathBuf::from(&home));
    assert_eq!(expand_home("a/~/b"), std::path::PathBuf::from("a/~/b"));
    assert_eq!(expand_home("~user/x"), std::path::PathBuf::from("~user/x"));
}

#[test]
fn the_status_line_follows_the_language() {
    let mut a = app(Lang::En);
    keys(&mut a, &[" "]);
    let copy = a.handle_key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE));
    let [ims_perms::tui::app::Effect::Copy { text, actions }] = &copy[..] else {
        panic!("{copy:?}");
    };
    // What the loop feeds back after copying.
    a.update(Action::Copied {
        outcome: ims_perms::present::CopyOutcome::Osc52 {
            fallback: None,
            large: false,
            tmux_setting: None,
        },
        actions: *actions,
        bytes: text.len(),
    });
    assert!(
        a.status().unwrap().starts_with("Sent 1 action"),
        "{:?}",
        a.status()
    );
    keys(&mut a, &["L"]);
    assert!(
        a.status()
            .unwrap()
            .starts_with("已通过 OSC 52 发送 1 个授权项"),
        "{:?}",
        a.status()
    );
    let screen = draw(&mut a, 120, 40);
    assert!(screen.contains("已通过 OSC 52 发送"), "{screen}");
    keys(&mut a, &["L"]);
    assert!(a.status().unwrap().starts_with("Sent 1 action"));
}

#[test]
fn the_readme_key_table_is_the_keymap() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let table = ims_perms::tui::keymap::markdown_table();
    assert!(
        readme.contains(&table),
        "the README's key table differs from the keymap; it should read:\n\n{table}"
    );
}

#[test]
fn dependent_actions_have_a_toggle_in_the_composer() {
    let mut a = app(Lang::En);
    keys(
        &mut a,
        &["/", "r:/v2/cloudimages/action", "<Enter>", " ", "<Tab>"],
    );
    let toggles = a.toggles();
    assert_eq!(toggles.len(), 1);
    assert_eq!(
        toggles[0].kind,
        ims_perms::tui::app::ToggleKind::Dependencies
    );
    assert!(!toggles[0].included);
    let before = a.policy_json().unwrap();
    assert_eq!(before, cli_policy(&a, &["create-image"], &[]));
    let screen = draw(&mut a, 160, 45);
    assert!(
        screen.contains("[ ] dependencies of create-image (13 actions, wildcards:"),
        "{screen}"
    );
    keys(&mut a, &[" "]);
    assert!(a.toggles()[0].included);
    let with = ims_perms::policy::compose::compose(
        a.catalog(),
        &[a.catalog().find_id("create-image")[0]],
        &ComposeOptions {
            with_dependencies: true,
            ..ComposeOptions::default()
        },
    )
    .unwrap();
    assert_eq!(a.policy_json().unwrap(), with.policy.unwrap().to_json());
}

#[test]
fn the_composer_tells_the_truth_about_conditional_actions() {
    let mut a = app(Lang::En);
    keys(&mut a, &["/", "r:/v2/cloudimages/action", "<Enter>", " "]);
    keys(&mut a, &["<Esc>", "/", "a:images:update", "<Enter>"]);
    let row = a
        .hits()
        .iter()
        .position(|h| a.catalog().operations()[h.index].id == "update-image")
        .unwrap();
    for _ in 0..row {
        keys(&mut a, &["<Down>"]);
    }
    keys(&mut a, &[" ", "<Tab>"]);
    let toggles = a.toggles();
    let t = toggles
        .iter()
        .find(|t| t.action == "ims:serverImages:create")
        .unwrap();
    assert!(t.included, "the policy holds it: create-image needs it");
    let screen = draw(&mut a, 160, 45);
    assert!(screen.contains("create-image needs it"), "{screen}");
    assert!(!screen.contains("left out"), "{screen}");
    // Switching it off would change nothing: the explorer says why instead.
    let n = toggles
        .iter()
        .position(|t| t.action == "ims:serverImages:create")
        .unwrap();
    for _ in 0..n {
        keys(&mut a, &["<Down>"]);
    }
    keys(&mut a, &[" "]);
    assert_eq!(
        a.status().as_deref(),
        Some("ims:serverImages:create stays in the policy: create-image needs it.")
    );
    // The explorer's advice names keys, not flags.
    assert!(!screen.contains("--with"), "{screen}");
}

#[test]
fn every_line_of_the_composer_can_be_reached() {
    let mut a = selected_with_toggle(Lang::En);
    keys(&mut a, &["<Tab>"]);
    draw(&mut a, 120, 40);
    let (first, last, total) = a.composer_position();
    assert_eq!(first, 1);
    assert!(total > last, "the text is longer than the pane");
    // Page by page: each page starts at or before the line after the previous one.
    let mut previous_last = last;
    let mut seen_end = false;
    for _ in 0..20 {
        keys(&mut a, &["<PgDn>"]);
        let screen = draw(&mut a, 120, 40);
        let (first, last, t) = a.composer_position();
        assert!(
            first <= previous_last + 1,
            "lines {previous_last}..{first} skipped"
        );
        assert!(screen.contains(&format!("{first}-{last}/{t}")), "{screen}");
        previous_last = last;
        if last == t {
            seen_end = true;
            assert!(screen.contains("Limits:"), "{screen}");
            break;
        }
    }
    assert!(seen_end, "PgDn reaches the last line");
    // Line by line, and back to the top.
    keys(&mut a, &["K"]);
    assert_eq!(a.composer_position().1, previous_last - 1);
    keys(&mut a, &["<Home>"]);
    assert_eq!(a.composer_position().0, 1);
    keys(&mut a, &["<End>"]);
    assert_eq!(a.composer_position().1, a.composer_position().2);
}

#[test]
fn a_pasted_api_call_finds_its_operation() {
    let mut a = app(Lang::En);
    keys(&mut a, &["/"]);
    a.update(Action::Paste(
        "POST https://ims.ap-southeast-1.myhuaweicloud.com/v2/cloudimages/action".into(),
    ));
    let found: Vec<&str> = a
        .hits()
        .iter()
        .map(|h| a.catalog().operations()[h.index].id.as_str())
        .collect();
    assert_eq!(found, ["create-image"]);
    assert_eq!(a.query_error(), None);
    // A search typed after the call is searched afresh, not among the call's one result.
    a.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    keys(&mut a, &["tag"]);
    let mut fresh = app(Lang::En);
    keys(&mut fresh, &["/", "tag"]);
    assert!(a.hits().len() > 1);
    assert_eq!(a.hits(), fresh.hits());
    // Nothing found says so, with the query.
    keys(&mut a, &["<Esc>", "/", "zzzzqqq"]);
    let screen = draw(&mut a, 120, 40);
    assert!(
        screen.contains("No operation matches \"zzzzqqq\""),
        "{screen}"
    );
}

#[test]
fn text_fields_edit_like_a_shell_line() {
    let mut a = app(Lang::En);
    keys(&mut a, &["/", "delete image"]);
    let ctrl = |a: &mut App, c: char| {
        a.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    };
    ctrl(&mut a, 'w');
    assert_eq!(a.query(), "delete ");
    ctrl(&mut a, 'a');
    keys(&mut a, &["m:"]);
    assert_eq!(a.query(), "m:delete ");
    ctrl(&mut a, 'e');
    keys(&mut a, &["tag"]);
    assert_eq!(a.query(), "m:delete tag");
    a.handle_key(KeyEvent::new(KeyCode::Left, KeyModifiers::NONE));
    keys(&mut a, &["<Bksp>"]);
    assert_eq!(a.query(), "m:delete tg");
    ctrl(&mut a, 'u');
    assert_eq!(a.query(), "g");
    // The proposed file name is selected: typing replaces it.
    keys(&mut a, &["<Esc>", " ", "w", "auditor.json"]);
    assert_eq!(
        a.overlay().cloned(),
        Some(Overlay::Prompt {
            path: TextField::new("auditor.json")
        })
    );
    // Tab completes a path.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("readonly-policy.json"), "{}").unwrap();
    keys(&mut a, &["<Esc>", "o"]);
    a.update(Action::Paste(format!("{}/read", dir.path().display())));
    a.handle_key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
    assert_eq!(
        a.overlay().cloned(),
        Some(Overlay::Open {
            path: TextField::new(&format!("{}/readonly-policy.json", dir.path().display()))
        })
    );
}

#[test]
fn names_get_the_spare_width_and_native_apis_a_short_marker() {
    let mut a = app(Lang::En);
    keys(&mut a, &["/", "section:sharing", "<Enter>"]);
    let screen = draw(&mut a, 200, 50);
    assert!(
        screen.contains("Updating the Status of Image Sharing Members in Batches"),
        "{screen}"
    );
    assert!(
        screen.contains("Adding an Image Sharing Member (OS)"),
        "{screen}"
    );
    // The detail pane keeps the full name.
    assert!(screen.contains("Native OpenStack API"), "{screen}");
}

#[test]
fn help_explains_scopes_and_the_query_and_keeps_its_border_in_chinese() {
    let mut a = app(Lang::En);
    keys(&mut a, &["?"]);
    let screen = draw(&mut a, 120, 90);
    assert!(
        screen.contains("Scopes: a policy is granted in an IAM project"),
        "{screen}"
    );
    assert!(screen.contains("Search: words (fuzzy)"), "{screen}");
    // In Chinese, wide characters below the box never eat its left border.
    let mut a = app(Lang::Zh);
    keys(&mut a, &["?"]);
    let screen = draw(&mut a, 120, 40);
    let rows: Vec<&str> = screen.lines().collect();
    let top = rows.iter().position(|l| l.contains(" 帮助 ")).unwrap();
    let left = unicode_width::UnicodeWidthStr::width(&rows[top][..rows[top].find('┌').unwrap()]);
    for row in &rows[top + 1..top + 10] {
        let mut col = 0;
        let mut at_left = None;
        for c in row.chars() {
            if col == left {
                at_left = Some(c);
                break;
            }
            col += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        }
        assert_eq!(at_left, Some('│'), "{row}");
    }
}

#[test]
fn show_keys_keeps_the_footer_hints() {
    let mut a = app(Lang::En).showing_keys();
    keys(&mut a, &["j", "j"]);
    let screen = draw(&mut a, 120, 40);
    let lines: Vec<&str> = screen.lines().collect();
    let n = lines.len();
    assert!(lines[n - 2].contains("⌨ j j"), "{screen}");
    assert!(lines[n - 1].contains("? help"), "{screen}");
}

#[test]
fn review_keeps_spelling_asks_before_replacing_and_names_the_role() {
    let mut a = app(Lang::En);
    a.load_policy(
        "p.json",
        r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:dataImages:create"]}]}"#,
    );
    keys(&mut a, &["x"]);
    let (_, removed) = a.policy_difference().unwrap();
    assert_eq!(removed, ["ims:dataImages:create"], "the catalog's spelling");
    // A policy opened while operations are selected asks first.
    keys(&mut a, &[" "]);
    a.update(Action::PolicyRead {
        source: "q.json".into(),
        text: r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:images:export"]}]}"#.into(),
    });
    assert!(matches!(a.overlay(), Some(Overlay::Replace { .. })));
    keys(&mut a, &["n"]);
    assert_eq!(ids(&a), ["list-images"], "n keeps the selection");
    assert_eq!(a.loaded().unwrap().source, "q.json");
    // The Terraform role's name is set in the explorer.
    keys(&mut a, &["n", "image-readers", "<Enter>", "t"]);
    let copy = a.handle_key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE));
    let [ims_perms::tui::app::Effect::Copy { text, .. }] = &copy[..] else {
        panic!("{copy:?}");
    };
    assert!(text.contains("name        = \"image-readers\""), "{text}");
}

#[test]
fn help_scrolls_to_its_last_line_and_no_further_at_any_size() {
    for (w, h) in [(80, 24), (120, 40), (200, 50)] {
        let mut a = app(Lang::Zh);
        keys(&mut a, &["?"]);
        draw(&mut a, w, h);
        for _ in 0..40 {
            keys(&mut a, &["<PgDn>"]);
        }
        let screen = draw(&mut a, w, h);
        // The last line of the help is on screen, just above the box's bottom border.
        let rows: Vec<&str> = screen.lines().collect();
        let last = rows
            .iter()
            .rposition(|r| r.contains("查找对应操作"))
            .unwrap();
        assert!(rows[last + 1].contains("└"), "{w}x{h}:\n{screen}");
        // One PgUp moves back at once (nothing was scrolled past the end).
        let before = screen;
        keys(&mut a, &["<PgUp>"]);
        assert_ne!(draw(&mut a, w, h), before, "{w}x{h}");
    }
}

#[test]
fn help_modes_that_do_not_fit_go_under_their_column() {
    let mut a = app(Lang::Zh);
    keys(&mut a, &["?"]);
    let screen = draw(&mut a, 80, 120);
    let rows: Vec<&str> = screen.lines().collect();
    let esc = rows
        .iter()
        .position(|r| r.contains("Esc           取消"))
        .unwrap();
    // Display columns, not bytes: the rows hold Chinese text of different lengths before.
    let column = |row: &str, text: &str| {
        row.find(text)
            .map(|at| unicode_width::UnicodeWidthStr::width(&row[..at]))
    };
    let modes = column(rows[esc], "文件名").unwrap();
    assert_eq!(column(rows[esc + 1], "覆盖"), Some(modes), "{screen}");
}

#[test]
fn the_comparison_names_dropped_statements_and_replaced_wildcards() {
    let mut a = app(Lang::En);
    a.load_policy(
        "p.json",
        r#"{"Version": "1.1", "Statement": [
            {"Effect": "Allow", "Action": ["ims:images:*"]},
            {"Effect": "Deny", "Action": ["ims:images:copy"]}]}"#,
    );
    // Only copying, now allowed: the real change is the Deny dropped and the wildcard
    // spelled out as the one action.
    keys(&mut a, &["x", "/", "a:copy", "<Enter>", "a"]);
    let changes = a.policy_changes();
    assert!(
        matches!(changes, [
            PatternChange::Replaced { statement: 0, allow: true, pattern, by },
            PatternChange::StatementDropped { statement: 1, allow: false, patterns },
        ] if pattern == "ims:images:*" && by == &["ims:images:copy"] && patterns == &["ims:images:copy"]),
        "{changes:?}"
    );
    let screen = draw(&mut a, 200, 50);
    assert!(
        screen.contains("~ Statement[1] (Deny) dropped: ims:images:copy"),
        "{screen}"
    );
    assert!(
        screen.contains("~ Statement[0] (Allow) \"ims:images:*\" replaced by"),
        "{screen}"
    );
    assert!(screen.contains("+ ims:images:copy"), "{screen}");
}

/// The footer at 80x24 keeps the keys a user must find: help, copy, write and language.
#[test]
fn the_footer_at_80_columns_keeps_help_copy_write_and_language() {
    for lang in [Lang::En, Lang::Zh] {
        for focus_keys in [&[][..], &["<Tab>"][..]] {
            let mut a = app(lang);
            keys(&mut a, focus_keys);
            let screen = draw(&mut a, 80, 24);
            let footer = screen.lines().last().unwrap();
            for key in ["? ", "q ", "y ", "w ", "L "] {
                assert!(footer.contains(key), "{lang:?} {focus_keys:?}: {footer}");
            }
        }
    }
}

/// A long status message (tmux dropping a copy, and the fix) wraps instead of being cut.
#[test]
fn snapshot_narrow_english_status_wraps() {
    let mut a = app(Lang::En);
    keys(&mut a, &[" ", "<Tab>"]);
    a.update(Action::Copied {
        outcome: ims_perms::present::CopyOutcome::Osc52 {
            fallback: None,
            large: false,
            tmux_setting: Some("external".into()),
        },
        actions: 1,
        bytes: 100,
    });
    let screen = draw(&mut a, 80, 24);
    assert!(screen.contains("set-clipboard on"), "{screen}");
    insta::assert_snapshot!(screen);
}

/// A two-action row at 80x24 in Chinese: its actions and scopes stay in the detail pane.
#[test]
fn snapshot_narrow_chinese_two_actions() {
    let mut a = app(Lang::Zh);
    keys(&mut a, &["/", "upload-image-native", "<Enter>"]);
    let screen = draw(&mut a, 80, 24);
    assert!(screen.contains("• ims:images:upload"), "{screen}");
    assert!(screen.contains("授权范围："), "{screen}");
    insta::assert_snapshot!(screen);
}

/// A write that fails on a long path still says why within the status line.
#[test]
fn a_failed_write_keeps_its_reason_in_view() {
    let mut a = app(Lang::Zh);
    a.update(Action::WriteFailed {
        path: format!("/proc/nonexist/{}.json", "x".repeat(300)),
        error: "No such file or directory (os error 2)".into(),
    });
    let screen = draw(&mut a, 80, 24);
    assert!(screen.contains("(os error 2)"), "{screen}");
}

#[test]
fn pasted_api_calls_ask_to_select_their_operations() {
    let log = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/calls/terraform.log"
    ))
    .unwrap();
    let mut a = app(Lang::En);
    keys(&mut a, &["/", "tags"]);
    let before = a.hits().to_vec();
    a.update(Action::Paste(log.clone()));
    // Asked first; the search is as it was.
    assert_eq!(a.mode(), ims_perms::tui::keymap::Mode::Calls);
    assert_eq!((a.query(), a.hits()), ("tags", &before[..]));
    keys(&mut a, &["y"]);
    let ids: Vec<&str> = a
        .selected()
        .iter()
        .map(|&i| a.catalog().operations()[i].id.as_str())
        .collect();
    assert_eq!(ids, ["list-images", "create-image"]);
    assert_eq!(
        a.status().as_deref(),
        Some(
            "Read 6 calls (4 distinct): selected 2 operations; 2 distinct calls not matched (ims-perms lookup --calls FILE says why)"
        )
    );
    // The same policy as compose of those operations.
    let composed =
        ims_perms::policy::compose::compose(a.catalog(), a.selected(), &a.options()).unwrap();
    assert_eq!(a.policy_json(), composed.policy.map(|p| p.to_json()));

    // `n` selects nothing; in Chinese, asked and said in Chinese.
    let mut a = app(Lang::Zh);
    // As a terminal sends a paste: carriage returns.
    a.update(Action::Paste(
        "GET /v2/cloudimages\rDELETE /v2/images/ab\r".into(),
    ));
    assert_eq!(a.mode(), ims_perms::tui::keymap::Mode::Calls);
    keys(&mut a, &["n"]);
    assert!(a.selected().is_empty());
    assert_eq!(a.status().as_deref(), Some("未选择。"));
    // Calls of a service not loaded: nothing to select, said.
    a.update(Action::Paste(
        "GET https://ecs.x.myhuaweicloud.com/v1/p/cloudservers\nGET https://ecs.x.myhuaweicloud.com/v1/p/cloudservers/a\n".into(),
    ));
    assert_eq!(a.overlay(), None);
    assert_eq!(
        a.status().as_deref(),
        Some("读取了 2 个调用：都不是已加载目录中的操作；未选择任何操作。")
    );
}

#[test]
fn snapshot_pasted_calls_question() {
    let mut a = app(Lang::En);
    a.update(Action::Paste(
        "GET /v2/cloudimages\nDELETE /v2/images/ab 403\nGET /v1/p/jobs/1\n".into(),
    ));
    insta::assert_snapshot!(draw(&mut a, 80, 24));
    keys(&mut a, &["y"]);
    insta::assert_snapshot!(draw(&mut a, 80, 24));
    let mut a = app(Lang::Zh);
    a.update(Action::Paste(
        "GET /v2/cloudimages\nDELETE /v2/images/ab 403\nGET /v1/p/jobs/1\n".into(),
    ));
    insta::assert_snapshot!(draw(&mut a, 200, 50));
}

#[test]
fn the_detail_says_what_decided_and_the_smallest_fix() {
    let policy = r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:images:*"]}, {"Effect": "Deny", "Action": ["ims:images:copy"]}]}"#;
    let mut a = app(Lang::En);
    a.load_policy("p.json", policy);
    keys(&mut a, &["/", "cross_region", "<Enter>"]);
    assert_eq!(
        a.catalog().operations()[a.current().unwrap()].id,
        "copy-image-cross-region"
    );
    assert_eq!(
        a.simulation().unwrap(),
        [
            "explicitly denied: ims:images:copy denied by Statement[1] (Deny) Action[0] \"ims:images:copy\"",
            "smallest fix: remove \"ims:images:copy\" from Statement[1] (Deny); drop Statement[1] (Deny): it has no action left",
            "it also allows: copy-image (POST /v1/cloudimages/{image_id}/copy)",
        ]
    );
    insta::assert_snapshot!(draw(&mut a, 120, 40));
    // In Chinese once the language is switched.
    keys(&mut a, &["L"]);
    assert!(
        a.simulation().unwrap()[0].starts_with("显式拒绝："),
        "{:?}",
        a.simulation()
    );
    insta::assert_snapshot!(draw(&mut a, 80, 24));
}

#[test]
fn calls_selected_at_start_say_what_matched_nothing_and_what_was_no_call() {
    let mut a = app(Lang::En);
    a.select_calls(&[0], 4, 3, 1, 2);
    assert_eq!(
        a.status().as_deref(),
        Some(
            "Read 4 calls (3 distinct): selected 1 operation; 1 distinct call not matched (ims-perms lookup --calls FILE says why); 2 entries not read as calls"
        )
    );
    assert_eq!(a.selected(), [0]);
    let mut a = app(Lang::Zh);
    a.select_calls(&[], 2, 2, 2, 0);
    assert_eq!(
        a.status().as_deref(),
        Some("读取了 2 个调用：都不是已加载目录中的操作；未选择任何操作。")
    );
}

/// An operation without a route and one whose actions are not documented: the table and the
/// detail say so, and selecting the second composes nothing, with the reason in the composer
/// and on `y` (not "needs no action").
#[test]
fn snapshot_no_route_and_actions_not_documented() {
    let mut catalog = Catalog::builtin().unwrap();
    let mut buckets =
        ims_perms::testing::test_op("list-buckets", "GET", "/", &["obs:bucket:ListAllMyBuckets"]);
    let b = buckets.as_object_mut().unwrap();
    b.remove("method");
    b.remove("path");
    b.insert("route_note".into(), serde_json::json!({"zh": "获取桶列表"}));
    let mut export = ims_perms::testing::test_op("export-bucket", "GET", "/v1/export", &[]);
    export["actions_not_documented"] = serde_json::json!({"zh": "见说明"});
    let obs = ims_perms::testing::catalog_json("obs", &[buckets, export]);
    catalog
        .add(ims_perms::catalog::parse("obs.json", &obs).unwrap())
        .unwrap();
    let mut a = App::new(catalog, Lang::En);
    keys(&mut a, &["/", "list-buckets", "<Enter>"]);
    let screen = draw(&mut a, 120, 40);
    assert!(screen.contains("(no API"), "{screen}");
    assert!(
        screen.contains("none; the table says \"获取桶列表\""),
        "{screen}"
    );
    insta::assert_snapshot!("no_route", screen);
    keys(&mut a, &["<Esc>", "/", "export-bucket", "<Enter>", " "]);
    let screen = draw(&mut a, 200, 50);
    assert!(
        screen.contains("not documented: no action can be read"),
        "{screen}"
    );
    assert!(
        screen.contains("the permission table does not document the actions of"),
        "{screen}"
    );
    insta::assert_snapshot!("actions_not_documented", screen);
    let effects = a.handle_key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE));
    assert!(effects.is_empty());
    let status = a.status().unwrap();
    assert!(
        status.starts_with("No policy: the permission table does not document"),
        "{status}"
    );
}
