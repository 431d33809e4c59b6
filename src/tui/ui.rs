//! Drawing: every pane is a function of `&App`, generic over the backend, so tests draw to a
//! `TestBackend`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table, Wrap};
use unicode_width::UnicodeWidthChar;

use crate::catalog::Scopes;
use crate::lang::Lang;
use crate::policy::compose::Effect as PolicyEffect;
use crate::policy::export::ExportFormat;
use crate::policy::review::{Severity, Status};
use crate::present::{self, DetailField, Label, label};
use crate::tui::app::{App, Focus, Overlay, ToggleKind, View};
use crate::tui::keymap::{self, Command, KEYMAP};
use crate::tui::layout::{MAX_STATUS_LINES, areas};

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

/// Lays the screen out for `size` (before every frame, and whenever a test draws) and hands
/// it to the model: the panes, the composer's extent, the help's scroll bound.
pub fn sync_view(app: &mut App, size: Rect) {
    let view = view_of(app, size);
    app.set_view(view);
}

/// Where each pane goes for this model at `size` (the model is handed these by [`sync_view`];
/// a frame lays them out again, so it never draws with a size it was not synced to).
fn areas_of(app: &App, size: Rect) -> crate::tui::layout::Areas {
    areas(
        size,
        app.focus,
        app.loaded.is_some(),
        app.show_keys,
        status_lines(app, size.width),
    )
}

/// The screen as the model needs to know it, at `size`.
pub fn view_of(app: &App, size: Rect) -> View {
    let areas = areas_of(app, size);
    let (lines, height) = areas.composer.map_or((0, 0), |r| composer_extent(app, r));
    View {
        areas,
        composer_max_scroll: lines.saturating_sub(height),
        composer_lines: lines,
        composer_height: height,
        // Only while the help is open: it is laid out again for it, not on every frame.
        help_max_scroll: if app.help_open() {
            help_max_scroll(app, size)
        } else {
            app.help_max_scroll()
        },
    }
}

pub fn render(app: &App, theme: Theme, frame: &mut Frame) {
    let size = frame.area();
    if size.width < MIN_WIDTH || size.height < MIN_HEIGHT {
        let msg = format!(
            "{} {}x{} (≥ {MIN_WIDTH}x{MIN_HEIGHT})",
            label(Label::Enlarge, app.lang),
            size.width,
            size.height
        );
        frame.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), size);
        return;
    }
    let a = areas_of(app, size);
    render_search(app, theme, frame, a.search);
    render_table(app, theme, frame, a.table);
    if let Some(r) = a.detail {
        render_detail(app, theme, frame, r);
    }
    if let Some(r) = a.composer {
        render_composer(app, theme, frame, r);
    }
    if let Some(r) = a.findings {
        let block = Block::default()
            .borders(Borders::ALL)
            .title(label(Label::Findings, app.lang));
        let text = Paragraph::new(findings_lines(app, theme))
            .block(block)
            .wrap(Wrap { trim: false });
        frame.render_widget(text, r);
    }
    // A status message wraps (up to three lines) rather than losing its end: the fix for
    // tmux's clipboard setting is at the end of its message.
    let status = app.status().unwrap_or_default();
    frame.render_widget(Paragraph::new(status).wrap(Wrap { trim: false }), a.status);
    if let Some(keys) = a.keys {
        render_keys(app, theme, frame, keys);
    }
    render_footer(app, frame, a.footer);
    match &app.overlay {
        Some(Overlay::Help) => render_help(app, theme, frame, size),
        Some(Overlay::Prompt { path }) => render_prompt(
            frame,
            size,
            label(Label::WriteTo, app.lang),
            &field_text(path),
        ),
        Some(Overlay::Open { path }) => render_prompt(
            frame,
            size,
            label(Label::ReviewFile, app.lang),
            &field_text(path),
        ),
        Some(Overlay::Replace { source, .. }) => render_prompt(
            frame,
            size,
            label(Label::ModeReplace, app.lang),
            &format!(
                "{}: {} (y/n)",
                source,
                label(Label::ReplaceSelection, app.lang)
            ),
        ),
        Some(Overlay::Calls {
            operations,
            read,
            unmatched,
            ..
        }) => render_prompt(
            frame,
            size,
            label(Label::ModeCalls, app.lang),
            &format!(
                "{} (y/n)",
                present::select_calls_question(operations.len(), *read, *unmatched, app.lang)
            ),
        ),
        Some(Overlay::RoleName { name }) => render_prompt(
            frame,
            size,
            label(Label::RoleNameTitle, app.lang),
            &field_text(name),
        ),
        Some(Overlay::Confirm { path, existing }) => render_prompt(
            frame,
            size,
            label(Label::Overwrite, app.lang),
            &format!(
                "{} (y/n)",
                present::file_exists(&crate::text::escape_controls(path), existing, app.lang)
            ),
        ),
        None => {}
    }
}

/// A text field as shown: the cursor `▏` where it is; a proposed value in brackets (typing
/// replaces it).
fn field_text(field: &crate::tui::field::TextField) -> String {
    if field.is_selected() {
        return format!("[{}]▏", field.text());
    }
    let (before, after) = field.split();
    format!("{before}▏{after}")
}

/// `s` cut to `max` display columns with `…`.
fn clip(s: &str, max: usize) -> String {
    crate::text::truncate(s, max)
}

fn render_search(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let focused = app.focus == Focus::Search && app.overlay.is_none();
    // `…` while a background search has not answered yet.
    let count = format!(
        "{}/{}{}",
        app.results.len(),
        app.catalog.len(),
        if app.searching() { " …" } else { "" }
    );
    let hint = match app.query_error() {
        Some(e) => e,
        None if app.query.text().is_empty() && !focused => {
            label(Label::SearchHint, app.lang).to_string()
        }
        None => String::new(),
    };
    let inner_width = area.width.saturating_sub(2) as usize;
    let query_text = if focused {
        field_text(&app.query)
    } else {
        app.query.text().to_string()
    };
    let right = format!("  {count}");
    // A query longer than the field shows its end, where the cursor is.
    let room_for_query = inner_width.saturating_sub(right.len() + 2);
    let left = if crate::text::width(&query_text) > room_for_query {
        format!(
            "/ …{}",
            tail_to_width(&query_text, room_for_query.saturating_sub(1))
        )
    } else {
        format!("/ {query_text}")
    };
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
        label(Label::Search, app.lang),
        theme.title(focused),
    ));
    frame.render_widget(Paragraph::new(line).block(block), area);
}

/// A name as the table shows it: "(Native OpenStack API…" becomes "(OS…" and "（OpenStack原生…"
/// "（原生…" (in Chinese "OS" would read as 操作系统; help says what each means, and the detail
/// pane keeps the full name). The highlighted positions move with the text.
fn short_name(name: &str, positions: &[usize]) -> (String, Vec<usize>) {
    for (long, brief) in [("Native OpenStack API", "OS"), ("OpenStack原生", "原生")] {
        if let Some(byte) = name.find(long) {
            let start = name[..byte].chars().count();
            let removed = long.chars().count() - brief.chars().count();
            let short = format!("{}{brief}{}", &name[..byte], &name[byte + long.len()..]);
            let moved = positions
                .iter()
                .filter_map(|&p| {
                    if p < start {
                        Some(p)
                    } else if p >= start + long.chars().count() {
                        Some(p - removed)
                    } else {
                        None
                    }
                })
                .collect();
            return (short, moved);
        }
    }
    (name.to_string(), positions.to_vec())
}

/// The end of `s` that fits in `max` columns (wide characters are never split).
fn tail_to_width(s: &str, max: usize) -> String {
    let mut used = 0;
    let mut start = s.len();
    for (i, c) in s.char_indices().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > max {
            break;
        }
        used += w;
        start = i;
    }
    s[start..].to_string()
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

/// The table's columns at this width: fixed ones (mark 1, policy status 6 when reviewing, scope
/// 5, method 6, the gaps) and the rest shared.
#[derive(Debug, Clone, Copy)]
struct TableColumns {
    reviewing: bool,
    status_w: u16,
    service_w: u16,
    section_w: u16,
    name_w: u16,
    actions_w: u16,
    route_w: u16,
}

fn render_table(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let focused = app.focus == Focus::Table && app.overlay.is_none();
    let cols = table_columns(app, area);
    let rows_shown = area.height.saturating_sub(3) as usize;
    let rows: Vec<Row> = app
        .hits()
        .iter()
        .enumerate()
        .skip(app.scroll)
        .take(rows_shown)
        .map(|(n, hit)| table_row(app, theme, &cols, n, hit.index))
        .collect();
    let table = Table::new(rows, table_widths(&cols))
        .header(table_header(&cols, app.lang))
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(table_title(app), theme.title(focused))),
        );
    frame.render_widget(table, area);
    render_no_match(app, theme, frame, area);
}

/// The columns' widths for the rows shown in `area`.
fn table_columns(app: &App, area: Rect) -> TableColumns {
    let ops = app.catalog.operations();
    let reviewing = app.loaded.is_some();
    let inner = area.width.saturating_sub(2);
    // Fixed columns: mark 1, policy status 6 (when reviewing), scope 5, method 6, and the gaps;
    // the rest shared.
    let status_w: u16 = if reviewing { 6 } else { 0 };
    // With several services loaded, a column says whose operation each row is.
    let services = app.catalog.services();
    let service_w: u16 = if services.len() > 1 {
        services
            .iter()
            .map(|s| s.len())
            .max()
            .unwrap_or(0)
            .clamp(7, 10) as u16
    } else {
        0
    };
    // A section column where there is room and more than one section to tell apart.
    let section_w: u16 = if inner >= 140 && app.catalog.has_sections() {
        14
    } else {
        0
    };
    let gaps: u16 = 5 + u16::from(reviewing) + u16::from(service_w > 0) + u16::from(section_w > 0);
    let flexible = inner.saturating_sub(1 + status_w + service_w + section_w + 5 + 6 + gaps);
    // Actions and routes take what the rows shown need, up to a share; the names get the rest,
    // so long names (many start alike) can be told apart on a wide screen.
    let rows_visible = area.height.saturating_sub(3) as usize;
    let visible = || {
        app.hits()
            .iter()
            .skip(app.scroll)
            .take(rows_visible)
            .map(|h| &ops[h.index])
    };
    let widest =
        |f: &dyn Fn(&crate::catalog::Operation) -> usize| visible().map(f).max().unwrap_or(0);
    let actions_need = widest(&|op| crate::text::width(&present::actions_cell(op))) as u16;
    let route_need = widest(&|op| crate::text::width(&present::path_cell(op, app.lang))) as u16;
    let actions_w = actions_need.clamp(8, (flexible * 34 / 100).max(8));
    let route_w = route_need.clamp(8, (flexible * 22 / 100).max(8));
    let name_w = flexible.saturating_sub(actions_w + route_w);
    TableColumns {
        reviewing,
        status_w,
        service_w,
        section_w,
        name_w,
        actions_w,
        route_w,
    }
}

fn table_header(cols: &TableColumns, lang: Lang) -> Row<'static> {
    let mut header = vec![Cell::from(" ")];
    if cols.reviewing {
        header.push(Cell::from(label(Label::ColumnPolicy, lang)));
    }
    if cols.service_w > 0 {
        header.push(Cell::from(label(Label::ColumnService, lang)));
    }
    if cols.section_w > 0 {
        header.push(Cell::from(label(Label::ColumnSection, lang)));
    }
    header.extend([
        Cell::from(label(Label::ColumnPermission, lang)),
        Cell::from(label(Label::ColumnActions, lang)),
        Cell::from(label(Label::ColumnScope, lang)),
        Cell::from(label(Label::ColumnMethod, lang)),
        Cell::from(label(Label::ColumnRoute, lang)),
    ]);
    Row::new(header).style(Style::new().add_modifier(Modifier::BOLD))
}

/// One operation's row: mark, policy status, service, section, name, actions, scope, method,
/// route, with the query's matches highlighted.
fn table_row(app: &App, theme: Theme, cols: &TableColumns, n: usize, index: usize) -> Row<'static> {
    let ops = app.catalog.operations();
    let lang = app.lang;
    let hl = theme.highlight();
    let TableColumns {
        service_w,
        section_w,
        name_w,
        actions_w,
        route_w,
        ..
    } = *cols;
    let op = &ops[index];
    let highlights = app.highlights(index);
    let mut base = if op.deprecated {
        theme.dim()
    } else {
        Style::new()
    };
    if n == app.cursor {
        base = base.patch(theme.cursor());
    }
    let mark = if app.selected.contains(index) {
        "✓"
    } else {
        " "
    };
    let (name, name_hl) = match lang {
        Lang::Zh if op.name.exactly(Lang::Zh).is_some() => {
            (op.name.get(Lang::Zh), &highlights.name_zh)
        }
        Lang::En if op.name.exactly(Lang::En).is_some() => {
            (op.name.get(Lang::En), &highlights.name_en)
        }
        Lang::Zh => (op.name.get(Lang::En), &highlights.name_en),
        Lang::En => (op.name.get(Lang::Zh), &highlights.name_zh),
    };
    let (actions_text, actions_hl) = actions_text(op, &highlights);
    let mut cells = vec![Cell::from(Span::styled(
        mark,
        base.add_modifier(Modifier::BOLD),
    ))];
    if let Some(loaded) = &app.loaded {
        // An unreadable policy has no per-operation status: `?`, not a guess.
        let status = loaded.review.operations.get(index).map(|o| o.status);
        let style = match status {
            Some(Status::Allowed) => base.patch(theme.fg(Color::Green)),
            Some(Status::Denied) => base
                .patch(theme.fg(Color::Red))
                .add_modifier(Modifier::BOLD),
            Some(Status::Partial) => base.patch(theme.fg(Color::Yellow)),
            Some(
                Status::NotGranted
                | Status::NoActionNeeded
                | Status::NotInScope
                | Status::ActionsNotDocumented,
            )
            | None => base.patch(theme.dim()),
        };
        // Words, not colour alone.
        let label = crate::present::review_status_short(status, lang);
        cells.push(Cell::from(Span::styled(label, style)));
    }
    if service_w > 0 {
        cells.push(Cell::from(Span::styled(
            crate::text::truncate(&op.service, service_w as usize),
            base,
        )));
    }
    if section_w > 0 {
        let section = op.section.as_ref().map_or("", |s| s.get(lang));
        cells.push(Cell::from(Span::styled(
            crate::text::truncate(section, section_w as usize),
            base,
        )));
    }
    cells.extend([
        {
            let (short, positions) = short_name(name, name_hl);
            Cell::from(highlighted(&short, &positions, name_w as usize, base, hl))
        },
        Cell::from(highlighted(
            &actions_text,
            &actions_hl,
            actions_w as usize,
            base,
            hl,
        )),
        Cell::from(Span::styled(Scopes::symbol(op.scopes), base)),
        Cell::from(highlighted(op.method(), &highlights.method, 6, base, hl)),
        Cell::from(highlighted(
            &present::path_cell(op, lang),
            &highlights.path,
            route_w as usize,
            base,
            hl,
        )),
    ]);
    Row::new(cells).style(base)
}

/// An operation's actions joined, with the highlight positions shifted to match; `*` marks a
/// conditional action, `-` none.
fn actions_text(
    op: &crate::catalog::Operation,
    highlights: &crate::search::query::Highlights,
) -> (String, Vec<usize>) {
    let mut actions_text = String::new();
    let mut actions_hl = Vec::new();
    for (k, a) in op.actions.iter().enumerate() {
        if k > 0 {
            actions_text.push_str(", ");
        }
        let offset = actions_text.chars().count();
        actions_hl.extend(
            highlights
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
    // As the command line's table: `?` not documented, `-` none needed.
    if op.actions.is_empty() {
        actions_text.push_str(&present::actions_cell(op));
    }
    (actions_text, actions_hl)
}

fn table_title(app: &App) -> String {
    let lang = app.lang;
    match lang {
        Lang::En => format!(
            " {} · {} {} ",
            label(Label::Operations, lang),
            app.selected.len(),
            label(Label::Selected, lang)
        ),
        Lang::Zh => format!(
            " {} · {} {} 个 ",
            label(Label::Operations, lang),
            label(Label::Selected, lang),
            app.selected.len()
        ),
    }
}

fn table_widths(cols: &TableColumns) -> Vec<Constraint> {
    let mut widths = vec![Constraint::Length(1)];
    if cols.reviewing {
        widths.push(Constraint::Length(cols.status_w));
    }
    if cols.service_w > 0 {
        widths.push(Constraint::Length(cols.service_w));
    }
    if cols.section_w > 0 {
        widths.push(Constraint::Length(cols.section_w));
    }
    widths.extend([
        Constraint::Length(cols.name_w),
        Constraint::Length(cols.actions_w),
        Constraint::Length(5),
        Constraint::Length(6),
        Constraint::Length(cols.route_w),
    ]);
    widths
}

/// Zero results say so, with the query and a hint, instead of an empty table.
fn render_no_match(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    if app.results.is_empty() && !app.query.text().trim().is_empty() {
        let inner = Rect {
            x: area.x + 1,
            y: area.y + 2,
            width: area.width.saturating_sub(2),
            height: area.height.saturating_sub(3),
        };
        let text = present::notice(
            &present::Notice::NoMatch {
                query: crate::text::escape_controls(app.query.text()),
            },
            lang,
        );
        frame.render_widget(
            Paragraph::new(text)
                .style(theme.dim())
                .wrap(Wrap { trim: true }),
            inner,
        );
    }
}

fn render_detail(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let mut lines: Vec<Line> = Vec::new();
    if let Some(i) = app.current() {
        let op = &app.catalog.operations()[i];
        lines.push(Line::styled(
            present::route_or_none(op, lang),
            Style::new().add_modifier(Modifier::BOLD),
        ));
        if let Some(loaded) = &app.loaded {
            if let Some(o) = loaded.review.operations.get(i) {
                let mut text = labelled(
                    label(Label::PolicyStatus, lang),
                    present::review_status(o.status, lang),
                );
                let (open, close, sep) = match lang {
                    Lang::En => (" (", ")", ", "),
                    Lang::Zh => ("（", "）", "、"),
                };
                if !o.denied_by.is_empty() {
                    text.push_str(open);
                    text.push_str(&labelled(
                        label(Label::DeniedBy, lang),
                        &o.denied_by.join(sep),
                    ));
                    text.push_str(close);
                } else if o.status == Status::Partial {
                    text.push_str(open);
                    text.push_str(&labelled(label(Label::Missing, lang), &o.missing.join(sep)));
                    text.push_str(close);
                }
                // Right under the route, before the details: in a review this is what matters.
                lines.push(Line::styled(
                    text,
                    Style::new().add_modifier(Modifier::BOLD),
                ));
                // What decided it, and the smallest fix (as `simulate` says).
                for l in app.simulation().unwrap_or_default() {
                    lines.push(Line::raw(l.clone()));
                }
            }
            if frame.area().width < 120 {
                lines.extend(findings_lines(app, theme));
            }
        }
        // The same lines `lookup` prints, drawn compactly: the name and what it does need no
        // label here, actions are a list.
        let mut detail: Vec<(DetailField, Line)> = Vec::new();
        for d in present::operation_detail_lines(op, lang) {
            let field = d.field;
            let line = match d.field {
                DetailField::Name | DetailField::Does => Line::raw(d.text),
                DetailField::OtherName => Line::styled(d.text, theme.dim()),
                DetailField::Actions => Line::raw(format!("• {}", d.text)),
                field if d.first => Line::from(vec![
                    Span::styled(
                        // A full-width colon needs no space after it.
                        match present::detail_label(field, lang) {
                            l if l.ends_with('：') => l.to_string(),
                            l => format!("{l} "),
                        },
                        Style::new().add_modifier(Modifier::BOLD),
                    ),
                    Span::raw(d.text),
                ]),
                _ => Line::raw(format!("  {}", d.text)),
            };
            detail.push((field, line));
        }
        // A pane too short for everything (80x24) keeps the facts in view: the actions and
        // scopes move up under the name, ahead of the other name, section and description.
        let inner = (area.width.saturating_sub(2), area.height.saturating_sub(2));
        let all: Vec<Line> = lines
            .iter()
            .cloned()
            .chain(detail.iter().map(|(_, l)| l.clone()))
            .collect();
        if Paragraph::new(all)
            .wrap(Wrap { trim: false })
            .line_count(inner.0)
            > inner.1 as usize
        {
            let facts = |f: &DetailField| matches!(f, DetailField::Actions | DetailField::Scopes);
            let at = detail
                .iter()
                .position(|(f, _)| *f != DetailField::Name)
                .unwrap_or(detail.len());
            let (moved, rest): (Vec<_>, Vec<_>) = detail
                .split_off(at)
                .into_iter()
                .partition(|(f, _)| facts(f));
            detail.extend(moved);
            detail.extend(rest);
        }
        lines.extend(detail.into_iter().map(|(_, l)| l));
        let needed = op.needed_actions();
        if !needed.is_empty() {
            // Through the catalog's action index: at 100,000 operations a scan is too slow
            // for every frame.
            let mut sharing: Vec<usize> = needed
                .iter()
                .flat_map(|a| app.catalog.with_action(a).iter().copied())
                .filter(|&o| o != i)
                .collect();
            sharing.sort_unstable();
            sharing.dedup();
            const SHOWN: usize = 8;
            let mut shared: Vec<String> = sharing
                .iter()
                .take(SHOWN)
                .map(|&o| present::route_or_none(&app.catalog.operations()[o], lang))
                .collect();
            if sharing.len() > SHOWN {
                shared.push(format!("… (+{})", sharing.len() - SHOWN));
            }
            if !shared.is_empty() {
                let sep = if lang == Lang::Zh { "、" } else { ", " };
                lines.push(Line::raw(labelled(
                    label(Label::SharesActions, lang),
                    &shared.join(sep),
                )));
            }
        }
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(label(Label::Detail, lang));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// The composer pane's text: selection, toggles, difference, policy and report.
fn composer_lines(app: &App, theme: Theme) -> Vec<Line<'static>> {
    let lang = app.lang;
    let focused = app.focus == Focus::Composer && app.overlay.is_none();
    let ops = app.catalog.operations();
    let mut lines: Vec<Line> = Vec::new();
    if app.selected.is_empty() {
        lines.push(Line::styled(label(Label::SelectHint, lang), theme.dim()));
    }
    for i in app.selected.iter() {
        lines.push(Line::raw(format!(
            "✓ {}  {}",
            present::route_or_none(&ops[i], lang),
            ops[i].name.get(lang)
        )));
    }
    let toggles = app.toggles();
    if !toggles.is_empty() {
        let heading = if toggles.iter().any(|t| t.kind == ToggleKind::Dependencies) {
            Label::Toggles
        } else {
            Label::ConditionalActions
        };
        lines.push(Line::styled(
            label(heading, lang),
            Style::new().add_modifier(Modifier::BOLD),
        ));
        for (n, tg) in toggles.iter().enumerate() {
            let op = &ops[tg.operation];
            let mut style = Style::new();
            if focused && n == app.composer_cursor {
                style = style.patch(theme.cursor());
            }
            let mark = if tg.included { "x" } else { " " };
            let text = match tg.kind {
                ToggleKind::Conditional => {
                    let cond = op
                        .actions
                        .iter()
                        .find(|a| *a.action == *tg.action)
                        .and_then(|a| a.condition.as_ref())
                        .map(|c| c.get(lang).to_string())
                        .unwrap_or_default();
                    let why = tg
                        .needed_by
                        .map(|o| match lang {
                            Lang::En => format!(" — {} needs it", ops[o].id),
                            Lang::Zh => format!("，{} 需要", ops[o].id),
                        })
                        .unwrap_or_default();
                    format!("[{mark}] {} ({}: {cond}){why}", tg.action, op.id)
                }
                ToggleKind::Dependencies => {
                    format!("[{mark}] {}", present::dependencies_toggle(op, lang))
                }
            };
            lines.push(Line::styled(text, style));
        }
    }
    if let Some((added, removed)) = app.policy_difference() {
        let source = app.loaded.as_ref().map(|l| l.source.as_str()).unwrap_or("");
        lines.push(Line::styled(
            match lang {
                Lang::En => format!("{} {source}:", label(Label::ComparedWith, lang)),
                Lang::Zh => format!("与 {source} {}：", label(Label::ComparedWith, lang)),
            },
            Style::new().add_modifier(Modifier::BOLD),
        ));
        for change in app.policy_changes() {
            lines.push(Line::styled(
                format!("  {}", present::pattern_change(change, lang)),
                theme.fg(Color::Yellow),
            ));
        }
        if added.is_empty() && removed.is_empty() {
            lines.push(Line::raw(label(Label::SameActions, lang)));
        }
        for a in added {
            lines.push(Line::styled(format!("  + {a}"), theme.fg(Color::Green)));
        }
        for a in removed {
            lines.push(Line::styled(format!("  - {a}"), theme.fg(Color::Red)));
        }
    }
    if app.export == ExportFormat::Terraform {
        lines.push(Line::styled(label(Label::TerraformMode, lang), theme.dim()));
    }
    if let Some(failure) = &app.compose_failure {
        use crate::present::Worded;
        lines.push(Line::raw(""));
        lines.push(Line::styled(failure.worded(lang), theme.fg(Color::Red)));
    }
    if let Some(c) = &app.composition {
        if let Some(json) = app.policy_json() {
            lines.push(Line::raw(""));
            for l in json.lines() {
                lines.push(Line::styled(l.to_string(), theme.fg(Color::Green)));
            }
        }
        lines.push(Line::raw(""));
        for l in present::compose_report(
            &app.catalog,
            c,
            PolicyEffect::Allow,
            lang,
            present::Advice::Explorer,
        ) {
            lines.push(Line::styled(l, theme.dim()));
        }
    }
    lines
}

/// The composer's text in a pane of `area`: how many lines it wraps to, and how many show.
pub fn composer_extent(app: &App, area: Rect) -> (usize, usize) {
    let text =
        Paragraph::new(composer_lines(app, Theme { color: false })).wrap(Wrap { trim: false });
    let inner_height = area.height.saturating_sub(2) as usize;
    (text.line_count(area.width.saturating_sub(2)), inner_height)
}

fn render_composer(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let focused = app.focus == Focus::Composer && app.overlay.is_none();
    // Where the pane is in the text, when it does not all fit: `12-38/54`.
    let (first, last, total) = app.composer_position();
    let title = if total > last.saturating_sub(first) + 1 {
        format!(
            "{}· {first}-{last}/{total} ",
            label(Label::Composer, app.lang)
        )
    } else {
        label(Label::Composer, app.lang).to_string()
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme.title(focused)));
    // The model keeps the scroll within the text (see `App::sync_view`).
    let paragraph = Paragraph::new(composer_lines(app, theme))
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((app.composer_scroll.min(u16::MAX as usize) as u16, 0));
    frame.render_widget(paragraph, area);
}

/// The reviewed policy's findings, most severe first.
fn findings_lines(app: &App, theme: Theme) -> Vec<Line<'static>> {
    let Some(loaded) = &app.loaded else {
        return Vec::new();
    };
    let mut lines = vec![Line::styled(
        loaded.source.clone(),
        Style::new().add_modifier(Modifier::BOLD),
    )];
    let mut findings: Vec<_> = loaded.review.findings.iter().collect();
    findings.sort_by_key(|f| f.severity);
    if findings.is_empty() {
        lines.push(Line::raw(label(Label::NoFindings, app.lang)));
    }
    for f in findings {
        let style = match f.severity {
            Severity::Error => theme.fg(Color::Red).add_modifier(Modifier::BOLD),
            Severity::Warning => theme.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Severity::Info => theme.dim(),
        };
        let (severity, text) = present::finding_line(f, app.lang);
        lines.push(Line::from(vec![
            Span::styled(format!("{severity} "), style),
            Span::raw(text),
        ]));
    }
    lines
}

/// Clears where an overlay goes, and the column left of it: a wide (CJK) character of the pane
/// below that straddles the overlay's left edge would otherwise draw over its border.
fn clear_for_overlay(frame: &mut Frame, area: Rect) {
    let wider = Rect {
        x: area.x.saturating_sub(1),
        width: area.width + u16::from(area.x > 0),
        ..area
    };
    frame.render_widget(Clear, wider);
}

/// The keys pressed, for demos (`--show-keys`), on their own line above the footer's hints.
fn render_keys(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    if app.last_keys.is_empty() {
        return;
    }
    let keys: Vec<&str> = app.last_keys.iter().map(String::as_str).collect();
    frame.render_widget(
        Paragraph::new(Span::styled(
            format!("⌨ {}", keys.join(" ")),
            theme.fg(Color::Magenta).add_modifier(Modifier::BOLD),
        )),
        area,
    );
}

/// A label and its text: a space between them, none after a full-width colon (`策略：允许`).
fn labelled(label: &str, text: &str) -> String {
    if label.ends_with('：') {
        format!("{label}{text}")
    } else {
        format!("{label} {text}")
    }
}

/// How many lines the status message wraps to at this width (at least one).
pub fn status_lines(app: &App, width: u16) -> u16 {
    let status = app.status().unwrap_or_default();
    let lines = Paragraph::new(status)
        .wrap(Wrap { trim: false })
        .line_count(width);
    (lines as u16).clamp(1, MAX_STATUS_LINES)
}

/// The footer's keys, most needed first: help and quit, then copy, write and language (what a
/// user must find at 80 columns), then the rest in the keymap's order; only those that fit
/// whole are shown.
fn render_footer(app: &App, frame: &mut Frame, area: Rect) {
    let priority = |c: Command| match c {
        Command::Help => 0,
        Command::Quit => 1,
        Command::Copy => 2,
        Command::Write => 3,
        Command::ToggleLang => 4,
        _ => 5,
    };
    let mut entries = keymap::footer(app.mode());
    entries.sort_by_key(|e| priority(e.command));
    let mut room = area.width as usize;
    let mut spans: Vec<Span> = Vec::new();
    for e in entries {
        let hint = format!(" {}  ", present::hint(e.hint, app.lang));
        let needed = crate::text::width(&e.keys) + crate::text::width(hint.trim_end());
        if needed > room {
            continue;
        }
        room = room.saturating_sub(needed + 2);
        spans.push(Span::styled(
            e.keys,
            Style::new().add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::raw(hint));
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

fn help_area(size: Rect) -> Rect {
    centered(
        size,
        96.min(size.width.saturating_sub(2)),
        size.height.saturating_sub(4).max(8),
    )
}

/// How far the help scrolls at this size: until its last line is at the bottom of the box.
pub(super) fn help_max_scroll(app: &App, size: Rect) -> usize {
    let area = help_area(size);
    help_text(app, Theme { color: false }, area)
        .line_count(area.width.saturating_sub(2))
        .saturating_sub(area.height.saturating_sub(2) as usize)
}

fn render_help(app: &App, theme: Theme, frame: &mut Frame, size: Rect) {
    let area = help_area(size);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(label(Label::Help, app.lang));
    clear_for_overlay(frame, area);
    let top = app.help_scroll.min(u16::MAX as usize) as u16;
    frame.render_widget(
        help_text(app, theme, area).block(block).scroll((top, 0)),
        area,
    );
}

/// The help: the keymap as a table, then the mouse, scopes and query in a few lines.
fn help_text(app: &App, theme: Theme, area: Rect) -> Paragraph<'static> {
    const KEYS: usize = 14;
    const WHAT: usize = 38;
    // The modes column's room; its overflow goes on lines of its own, under the column.
    let room = (area.width.saturating_sub(2) as usize).saturating_sub(KEYS + WHAT);
    let mut lines: Vec<Line> = Vec::new();
    for b in KEYMAP {
        let mut modes: Vec<String> = vec![String::new()];
        for (i, m) in b.modes.iter().map(|&m| m.name(app.lang)).enumerate() {
            let last = modes.last_mut().expect("never empty");
            // ", " before the mode and room for a "," after it.
            if i > 0 && room >= 12 && crate::text::width(last) + 3 + crate::text::width(m) > room {
                last.push(',');
                modes.push(m.to_string());
            } else {
                if i > 0 {
                    last.push_str(", ");
                }
                last.push_str(m);
            }
        }
        let mut modes = modes.into_iter();
        lines.push(Line::from(vec![
            Span::styled(
                crate::text::pad(&b.label(), KEYS),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Span::raw(crate::text::pad(b.describe(app.lang), WHAT)),
            Span::styled(modes.next().unwrap_or_default(), theme.dim()),
        ]));
        for more in modes {
            lines.push(Line::from(vec![
                Span::raw(" ".repeat(KEYS + WHAT)),
                Span::styled(more, theme.dim()),
            ]));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw(label(Label::Mouse, app.lang)));
    for text in [Label::HelpScopes, Label::HelpQuery] {
        lines.push(Line::raw(""));
        for l in label(text, app.lang).lines() {
            lines.push(Line::raw(l.to_string()));
        }
    }
    Paragraph::new(lines).wrap(Wrap { trim: false })
}

/// A prompt box: 60 columns (wider for a long text, up to the screen), as tall as its text
/// wraps to, so a question about a file never loses the file's name.
fn render_prompt(frame: &mut Frame, size: Rect, title: &str, text: &str) {
    let width = if crate::text::width(text) > 58 {
        size.width.saturating_sub(4).clamp(60, 100)
    } else {
        60
    };
    let paragraph = Paragraph::new(text.to_string()).wrap(Wrap { trim: false });
    let lines = paragraph.line_count(width.saturating_sub(2)) as u16;
    let area = centered(size, width, lines.saturating_add(2));
    clear_for_overlay(frame, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} "));
    frame.render_widget(paragraph.block(block), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_names_are_marked_short() {
        assert_eq!(
            short_name("Querying Images (Native OpenStack API)", &[0, 17, 30]),
            ("Querying Images (OS)".to_string(), vec![0])
        );
        assert_eq!(
            short_name("查询镜像详情（OpenStack原生 v1.1--已废弃）", &[0, 1, 20]),
            (
                "查询镜像详情（原生 v1.1--已废弃）".to_string(),
                vec![0, 1, 11]
            )
        );
        assert_eq!(
            short_name("导出镜像", &[1]),
            ("导出镜像".to_string(), vec![1])
        );
    }

    #[test]
    fn mouse_positions_map_to_table_rows() {
        let a = areas(Rect::new(0, 0, 120, 40), Focus::Table, false, false, 1);
        // The search box takes rows 0-2; the table's border is row 3 and its header row 4.
        assert_eq!(a.table.y, 3);
        assert_eq!(a.table_row_at(5, 5), Some(0));
        assert_eq!(a.table_row_at(5, 9), Some(4));
        assert_eq!(a.table_row_at(5, 4), None, "the header");
        assert_eq!(a.table_row_at(0, 5), None, "the border");
        assert_eq!(
            a.table_row_at(a.table.width + 5, 5),
            None,
            "the detail pane"
        );
        assert_eq!(
            a.table_row_at(5, a.table.y + a.table.height - 1),
            None,
            "the bottom border"
        );
        assert_eq!(a.table_rows(), usize::from(a.table.height) - 3);
    }
}
