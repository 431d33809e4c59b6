//! Where each pane goes at a screen size: a function of the size, the focus and what is shown,
//! used by the drawing (`ui`) and handed to the model (`App`) for paging and the mouse.

use ratatui::layout::{Constraint, Layout, Rect};

/// Which pane has the keyboard when no overlay is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Table,
    Search,
    Composer,
}

/// The most lines the status message takes.
pub const MAX_STATUS_LINES: u16 = 3;

/// Where each pane is, for drawing and for mouse hit-testing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Areas {
    pub search: Rect,
    pub table: Rect,
    pub detail: Option<Rect>,
    /// The review's findings, when a policy is loaded (wide screens).
    pub findings: Option<Rect>,
    pub composer: Option<Rect>,
    pub status: Rect,
    /// The keys pressed (`--show-keys`), on a line of their own.
    pub keys: Option<Rect>,
    pub footer: Rect,
}

impl Areas {
    /// Rows of the table body (inside the border, below the header).
    pub fn table_rows(&self) -> usize {
        self.table.height.saturating_sub(3) as usize
    }

    /// The visible table row under a mouse position (0 for the first row below the header).
    pub fn table_row_at(&self, column: u16, row: u16) -> Option<usize> {
        let t = self.table;
        let body_top = t.y + 2; // border and header
        let inside = column > t.x
            && column + 1 < t.x + t.width
            && row >= body_top
            && row + 1 < t.y + t.height;
        inside.then(|| usize::from(row - body_top))
    }
}

pub fn areas(
    size: Rect,
    focus: Focus,
    reviewing: bool,
    keys_line: bool,
    status_lines: u16,
) -> Areas {
    let [search, body, status, keys, footer] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(4),
        Constraint::Length(status_lines.clamp(1, MAX_STATUS_LINES)),
        Constraint::Length(u16::from(keys_line)),
        Constraint::Length(1),
    ])
    .areas(size);
    let keys = keys_line.then_some(keys);
    if size.width >= 120 {
        // On a wide screen the table takes more of it: long names need the room.
        let table_share = if size.width >= 180 { 66 } else { 58 };
        let [table, side] = Layout::horizontal([
            Constraint::Percentage(table_share),
            Constraint::Percentage(100 - table_share),
        ])
        .areas(body);
        if reviewing {
            let [detail, findings, composer] = Layout::vertical([
                Constraint::Percentage(30),
                Constraint::Percentage(25),
                Constraint::Percentage(45),
            ])
            .areas(side);
            return Areas {
                search,
                table,
                detail: Some(detail),
                findings: Some(findings),
                composer: Some(composer),
                status,
                keys,
                footer,
            };
        }
        let [detail, composer] =
            Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(side);
        Areas {
            search,
            table,
            detail: Some(detail),
            findings: None,
            composer: Some(composer),
            status,
            keys,
            footer,
        }
    } else {
        // Narrow: the table over one pane, the composer when it has the focus (then with most
        // of the room: the policy and its report are what is being read), else the detail
        // (which then also lists a reviewed policy's findings).
        let table_share = if focus == Focus::Composer { 30 } else { 50 };
        let [table, below] = Layout::vertical([
            Constraint::Percentage(table_share),
            Constraint::Percentage(100 - table_share),
        ])
        .areas(body);
        let (detail, composer) = match focus {
            Focus::Composer => (None, Some(below)),
            _ => (Some(below), None),
        };
        Areas {
            search,
            table,
            detail,
            findings: None,
            composer,
            status,
            keys,
            footer,
        }
    }
}
