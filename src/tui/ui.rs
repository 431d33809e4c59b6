//! Drawing: every pane is a function of `&App`, generic over the backend, so tests draw to a
//! `TestBackend`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table, Wrap};
use unicode_width::UnicodeWidthChar;

use crate::lang::Lang;
use crate::policy::Effect as PolicyEffect;
use crate::policy::report_lines;
use crate::tui::app::{App, Focus, Overlay};
use crate::tui::keymap::{self, KEYMAP, Mode};

/// Smallest screen the explorer draws on; below it, a message asks for more room.
pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 12;

/// Colours when allowed; with `NO_COLOR`, only modifiers.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }
    fn highlight(self) -> Style {
        self.fg(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    fn cursor(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    fn dim(self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }
    fn title(self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        }
    }
}

/// Where each pane is, for drawing and for mouse hit-testing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Areas {
    pub search: Rect,
    pub table: Rect,
    pub detail: Option<Rect>,
    pub composer: Option<Rect>,
    pub status: Rect,
    pub footer: Rect,
}

impl Areas {
    /// Rows of the table body (inside the border, below the header).
    pub fn table_rows(&self) -> usize {
        self.table.height.saturating_sub(3) as usize
    }
}

pub fn areas(size: Rect, focus: Focus) -> Areas {
    let [search, body, status, footer] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(4),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(size);
    if size.width >= 120 {
        let [table, side] =
            Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
                .areas(body);
        let [detail, composer] =
            Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(side);
        Areas {
            search,
            table,
            detail: Some(detail),
            composer: Some(composer),
            status,
            footer,
        }
    } else {
        // Narrow: the table over one pane, the composer when it has the focus, else the detail.
        let [table, below] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body);
        let (detail, composer) = match focus {
            Focus::Composer => (None, Some(below)),
            _ => (Some(below), None),
        };
        Areas {
            search,
            table,
            detail,
            composer,
            status,
            footer,
        }
    }
}

fn t(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

pub fn render(app: &App, theme: Theme, frame: &mut Frame) {
    let size = frame.area();
    if size.width < MIN_WIDTH || size.height < MIN_HEIGHT {
        let msg = format!(
            "{} {}x{} (≥ {MIN_WIDTH}x{MIN_HEIGHT})",
            t(app.lang, "Please enlarge the window:", "请放大窗口："),
            size.width,
            size.height
        );
        frame.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), size);
        return;
    }
    let a = areas(size, app.focus);
    render_search(app, theme, frame, a.search);
    render_table(app, theme, frame, a.table);
    if let Some(r) = a.detail {
        render_detail(app, theme, frame, r);
    }
    if let Some(r) = a.composer {
        render_composer(app, theme, frame, r);
    }
    let status = app.status.clone().unwrap_or_default();
    frame.render_widget(
        Paragraph::new(clip(&status, a.status.width as usize)),
        a.status,
    );
    render_footer(app, theme, frame, a.footer);
    match &app.overlay {
        Some(Overlay::Help) => render_help(app, theme, frame, size),
        Some(Overlay::Prompt { path }) => render_prompt(
            app,
            frame,
            size,
            t(app.lang, "Write the policy to", "将策略写入"),
            &format!("{path}▏"),
        ),
        Some(Overlay::Confirm { path }) => render_prompt(
            app,
            frame,
            size,
            t(app.lang, "Overwrite?", "覆盖？"),
            &format!("{path} {} (y/n)", t(app.lang, "exists.", "已存在。")),
        ),
        None => {}
    }
}

/// `s` cut to `max` display columns with `…`.
fn clip(s: &str, max: usize) -> String {
    crate::text::truncate(s, max)
}

fn render_search(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let focused = app.focus == Focus::Search && app.overlay.is_none();
    let count = format!("{}/{}", app.hits.len(), app.catalog.len());
    let hint = match &app.query_error {
        Some(e) => e.clone(),
        None if app.query.is_empty() && !focused => t(
            app.lang,
            "press / to search: words, a:action, m:get, scope:ep, is:native, -negate",
            "按 / 搜索：关键词、a:授权项、m:get、scope:ep、is:native、-排除",
        )
        .to_string(),
        None => String::new(),
    };
    let inner_width = area.width.saturating_sub(2) as usize;
    let query_text = if focused {
        format!("{}▏", app.query)
    } else {
        app.query.clone()
    };
    let left = format!("/ {query_text}");
    let right = format!("  {count}");
    let room =
        inner_width.saturating_sub(crate::text::width(&left) + crate::text::width(&right) + 2);
    let hint = clip(&hint, room);
    let hint_style = if app.query_error.is_some() {
        theme.fg(Color::Red).add_modifier(Modifier::BOLD)
    } else {
        theme.dim()
    };
    let line = Line::from(vec![
        Span::raw(clip(&left, inner_width.saturating_sub(right.len()))),
        Span::styled(right, Style::new().add_modifier(Modifier::BOLD)),
        Span::raw("  "),
        Span::styled(hint, hint_style),
    ]);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        t(app.lang, " Search ", " 搜索 "),
        theme.title(focused),
    ));
    frame.render_widget(Paragraph::new(line).block(block), area);
}

/// A text cut to `max` columns with the matched character positions highlighted.
fn highlighted(
    text: &str,
    positions: &[usize],
    max: usize,
    base: Style,
    hl: Style,
) -> Line<'static> {
    let total = crate::text::width(text);
    let limit = if total > max {
        max.saturating_sub(1)
    } else {
        max
    };
    let mut spans: Vec<Span> = Vec::new();
    let mut used = 0;
    for (i, c) in text.chars().enumerate() {
        let w = c.width().unwrap_or(0);
        if used + w > limit {
            break;
        }
        used += w;
        let style = if positions.binary_search(&i).is_ok() {
            base.patch(hl)
        } else {
            base
        };
        spans.push(Span::styled(c.to_string(), style));
    }
    if total > max && max > 0 {
        spans.push(Span::styled("…", base));
    }
    Line::from(spans)
}

fn render_table(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let focused = app.focus == Focus::Table && app.overlay.is_none();
    let ops = app.catalog.operations();
    let inner = area.width.saturating_sub(2);
    // Fixed columns: mark 1, scope 5, method 6, five gaps; the rest shared.
    let flexible = inner.saturating_sub(1 + 5 + 6 + 5);
    let name_w = flexible * 30 / 100;
    let actions_w = flexible * 38 / 100;
    let route_w = flexible - name_w - actions_w;
    let header = Row::new(vec![
        Cell::from(" "),
        Cell::from(t(app.lang, "Permission", "权限")),
        Cell::from(t(app.lang, "Actions", "授权项")),
        Cell::from(t(app.lang, "Scope", "范围")),
        Cell::from(t(app.lang, "Method", "方法")),
        Cell::from(t(app.lang, "Route", "API")),
    ])
    .style(Style::new().add_modifier(Modifier::BOLD));
    let rows_shown = area.height.saturating_sub(3) as usize;
    let hl = theme.highlight();
    let rows: Vec<Row> = app
        .hits
        .iter()
        .enumerate()
        .skip(app.scroll)
        .take(rows_shown)
        .map(|(n, hit)| {
            let op = &ops[hit.index];
            let mut base = if op.deprecated {
                theme.dim()
            } else {
                Style::new()
            };
            if n == app.cursor {
                base = base.patch(theme.cursor());
            }
            let mark = if app.selected.contains(&hit.index) {
                "✓"
            } else {
                " "
            };
            let (name, name_hl) = match app.lang {
                Lang::Zh if op.name.exactly(Lang::Zh).is_some() => {
                    (op.name.get(Lang::Zh), &hit.highlights.name_zh)
                }
                Lang::En if op.name.exactly(Lang::En).is_some() => {
                    (op.name.get(Lang::En), &hit.highlights.name_en)
                }
                Lang::Zh => (op.name.get(Lang::En), &hit.highlights.name_en),
                Lang::En => (op.name.get(Lang::Zh), &hit.highlights.name_zh),
            };
            // Actions joined, with the highlight positions shifted to match; `*` marks conditional.
            let mut actions_text = String::new();
            let mut actions_hl = Vec::new();
            for (k, a) in op.actions.iter().enumerate() {
                if k > 0 {
                    actions_text.push_str(", ");
                }
                let offset = actions_text.chars().count();
                actions_hl.extend(
                    hit.highlights
                        .actions
                        .get(k)
                        .into_iter()
                        .flatten()
                        .map(|p| p + offset),
                );
                actions_text.push_str(&a.action);
                if a.is_conditional() {
                    actions_text.push('*');
                }
            }
            if op.actions.is_empty() {
                actions_text.push('-');
            }
            Row::new(vec![
                Cell::from(Span::styled(mark, base.add_modifier(Modifier::BOLD))),
                Cell::from(highlighted(name, name_hl, name_w as usize, base, hl)),
                Cell::from(highlighted(
                    &actions_text,
                    &actions_hl,
                    actions_w as usize,
                    base,
                    hl,
                )),
                Cell::from(Span::styled(op.scopes.symbol(), base)),
                Cell::from(highlighted(&op.method, &hit.highlights.method, 6, base, hl)),
                Cell::from(highlighted(
                    &op.path,
                    &hit.highlights.path,
                    route_w as usize,
                    base,
                    hl,
                )),
            ])
            .style(base)
        })
        .collect();
    let title = format!(
        " {} · {} {} ",
        t(app.lang, "Operations", "操作"),
        app.selected.len(),
        t(app.lang, "selected", "已选")
    );
    let table = Table::new(
        rows,
        [
            Constraint::Length(1),
            Constraint::Length(name_w),
            Constraint::Length(actions_w),
            Constraint::Length(5),
            Constraint::Length(6),
            Constraint::Length(route_w),
        ],
    )
    .header(header)
    .block(
        Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(title, theme.title(focused))),
    );
    frame.render_widget(table, area);
}

fn render_detail(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let mut lines: Vec<Line> = Vec::new();
    if let Some(i) = app.current() {
        let op = &app.catalog.operations()[i];
        lines.push(Line::styled(
            op.route(),
            Style::new().add_modifier(Modifier::BOLD),
        ));
        lines.push(Line::raw(op.name.get(lang).to_string()));
        if let Some(other) = op.name.exactly(lang.other()) {
            lines.push(Line::styled(other.to_string(), theme.dim()));
        }
        let d = op.description.get(lang);
        if !d.is_empty() {
            lines.push(Line::raw(d.to_string()));
        }
        if op.actions.is_empty() {
            lines.push(Line::raw(t(
                lang,
                "Actions: none (no permission needed)",
                "授权项：无（不需要授权）",
            )));
        }
        for a in &op.actions {
            let text = match &a.condition {
                Some(c) => format!("• {}* ({})", a.action, c.get(lang)),
                None => format!("• {}", a.action),
            };
            lines.push(Line::raw(text));
        }
        let yes_no = |b: bool| if b { "✓" } else { "✗" };
        lines.push(Line::raw(format!(
            "{} {} {}  {} {}",
            t(lang, "Scopes:", "授权范围："),
            t(lang, "Project", "项目"),
            yes_no(op.scopes.project),
            t(lang, "Enterprise Project", "企业项目"),
            yes_no(op.scopes.enterprise_project)
        )));
        for p in &op.prerequisites {
            lines.push(Line::raw(format!(
                "{} {}",
                t(lang, "Needs:", "前提："),
                p.note().get(lang)
            )));
        }
        let needed = op.needed_actions();
        if !needed.is_empty() {
            let shared: Vec<String> = app
                .catalog
                .operations()
                .iter()
                .filter(|o| o.id != op.id && o.service == op.service)
                .filter(|o| {
                    o.actions
                        .iter()
                        .any(|a| needed.iter().any(|n| n.eq_ignore_ascii_case(&a.action)))
                })
                .map(|o| o.route())
                .collect();
            if !shared.is_empty() {
                lines.push(Line::raw(format!(
                    "{} {}",
                    t(lang, "Shares actions with:", "共用授权项："),
                    shared.join(", ")
                )));
            }
        }
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(t(lang, " Detail ", " 详情 "));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

fn render_composer(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let focused = app.focus == Focus::Composer && app.overlay.is_none();
    let ops = app.catalog.operations();
    let mut lines: Vec<Line> = Vec::new();
    if app.selected.is_empty() {
        lines.push(Line::styled(
            t(
                lang,
                "Select operations with Space; the policy appears here.",
                "用空格选择操作，策略显示在这里。",
            ),
            theme.dim(),
        ));
    }
    for &i in &app.selected {
        lines.push(Line::raw(format!(
            "✓ {}  {}",
            ops[i].route(),
            ops[i].name.get(lang)
        )));
    }
    let toggles = app.toggles();
    if !toggles.is_empty() {
        lines.push(Line::styled(
            t(lang, "Conditional actions:", "条件授权项："),
            Style::new().add_modifier(Modifier::BOLD),
        ));
        for (n, tg) in toggles.iter().enumerate() {
            let op = &ops[tg.operation];
            let cond = op
                .actions
                .iter()
                .find(|a| a.action == tg.action)
                .and_then(|a| a.condition.as_ref())
                .map(|c| c.get(lang).to_string())
                .unwrap_or_default();
            let mut style = Style::new();
            if focused && n == app.composer_cursor {
                style = style.patch(theme.cursor());
            }
            lines.push(Line::styled(
                format!(
                    "[{}] {} ({}: {})",
                    if tg.included { "x" } else { " " },
                    tg.action,
                    op.id,
                    cond
                ),
                style,
            ));
        }
    }
    if let Some(c) = &app.composition {
        if let Some(json) = app.policy_json() {
            lines.push(Line::raw(""));
            for l in json.lines() {
                lines.push(Line::styled(l.to_string(), theme.fg(Color::Green)));
            }
        }
        lines.push(Line::raw(""));
        for l in report_lines(&app.catalog, c, PolicyEffect::Allow, lang) {
            lines.push(Line::styled(l, theme.dim()));
        }
    }
    let title = format!(" {} ", t(lang, "Composer", "策略组合"));
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme.title(focused)));
    let paragraph = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false });
    // Never scroll past the text: the last line stays at the bottom of the pane at most.
    let inner_height = area.height.saturating_sub(2) as usize;
    let total = paragraph.line_count(area.width.saturating_sub(2));
    app.composer_max_scroll
        .set(total.saturating_sub(inner_height));
    let scroll = app.composer_scroll.min(total.saturating_sub(inner_height));
    frame.render_widget(
        paragraph.scroll((scroll.min(u16::MAX as usize) as u16, 0)),
        area,
    );
}

fn render_footer(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let mut spans: Vec<Span> = Vec::new();
    // The keys pressed (for demos) come first, so a narrow footer never hides them.
    if app.show_keys && !app.last_keys.is_empty() {
        let keys: Vec<&str> = app.last_keys.iter().map(String::as_str).collect();
        spans.push(Span::styled(
            format!("⌨ {}  ", keys.join(" ")),
            theme.fg(Color::Magenta).add_modifier(Modifier::BOLD),
        ));
    }
    // Help and quit first, so they survive a narrow footer.
    let (first, rest): (Vec<_>, Vec<_>) = keymap::footer(app.mode())
        .partition(|b| matches!(b.action, keymap::Action::Help | keymap::Action::Quit));
    for b in first.into_iter().chain(rest) {
        spans.push(Span::styled(
            b.label,
            Style::new().add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::raw(format!(" {}  ", b.describe(app.lang))));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn centered(size: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(size.width);
    let h = height.min(size.height);
    Rect::new(
        size.x + (size.width - w) / 2,
        size.y + (size.height - h) / 2,
        w,
        h,
    )
}

fn render_help(app: &App, theme: Theme, frame: &mut Frame, size: Rect) {
    let area = centered(size, 72, size.height.saturating_sub(4).max(8));
    let mode_name = |m: Mode| match (m, app.lang) {
        (Mode::Table, Lang::En) => "Table",
        (Mode::Search, Lang::En) => "Search",
        (Mode::Composer, Lang::En) => "Composer",
        (Mode::Help, Lang::En) => "Help",
        (Mode::Prompt, Lang::En) => "File prompt",
        (Mode::Confirm, Lang::En) => "Overwrite?",
        (Mode::Table, Lang::Zh) => "列表",
        (Mode::Search, Lang::Zh) => "搜索",
        (Mode::Composer, Lang::Zh) => "组合器",
        (Mode::Help, Lang::Zh) => "帮助",
        (Mode::Prompt, Lang::Zh) => "文件名",
        (Mode::Confirm, Lang::Zh) => "覆盖？",
    };
    let mut lines: Vec<Line> = Vec::new();
    for b in KEYMAP {
        let keys: Vec<String> = b
            .keys
            .iter()
            .map(|k| {
                keymap::key_name(&ratatui::crossterm::event::KeyEvent::new(
                    k.code,
                    if k.ctrl {
                        ratatui::crossterm::event::KeyModifiers::CONTROL
                    } else {
                        ratatui::crossterm::event::KeyModifiers::NONE
                    },
                ))
            })
            .collect();
        let modes: Vec<&str> = b.modes.iter().map(|&m| mode_name(m)).collect();
        lines.push(Line::from(vec![
            Span::styled(
                crate::text::pad(&keys.join(" "), 14),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Span::raw(crate::text::pad(b.describe(app.lang), 34)),
            Span::styled(modes.join(", "), theme.dim()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw(t(
        app.lang,
        "Mouse: click a row to highlight it, wheel to scroll.",
        "鼠标：单击某行高亮，滚轮滚动。",
    )));
    let block = Block::default()
        .borders(Borders::ALL)
        .title(t(app.lang, " Help ", " 帮助 "));
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((app.help_scroll.min(u16::MAX as usize) as u16, 0)),
        area,
    );
}

fn render_prompt(app: &App, frame: &mut Frame, size: Rect, title: &str, text: &str) {
    let _ = app;
    let area = centered(size, 60, 3);
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} "));
    frame.render_widget(
        Paragraph::new(clip(text, area.width.saturating_sub(2) as usize)).block(block),
        area,
    );
}
