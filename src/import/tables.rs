//! A permission table as read, before its rows are understood: cells and the columns their
//! headers name.

use crate::text::fold;

/// The columns of a permission table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Column {
    Name,
    Route,
    Actions,
    Dependencies,
    /// One column saying which scopes are supported (支持：… 不支持：…).
    Scopes,
    /// The row's category (分类, DNS's older tables): its section, over the heading's.
    Section,
    Project,
    EnterpriseProject,
}

/// A header's column, from its words in either language (full-width forms folded).
pub(super) fn column_of(header: &str) -> Option<Column> {
    let h = fold(header).to_lowercase();
    let h: String = h.split_whitespace().collect::<Vec<_>>().join(" ");
    let has = |w: &str| h.contains(w);
    Some(if has("依赖") || has("dependenc") {
        Column::Dependencies
    } else if has("企业项目") || has("enterprise project") {
        Column::EnterpriseProject
    } else if has("iam项目") || has("iam project") || h == "项目" || h == "project" {
        Column::Project
    } else if has("授权范围") || has("作用域") || has("scope") {
        Column::Scopes
    } else if h == "分类" || h == "类别" || h == "category" {
        Column::Section
    } else if has("功能")
        || h.starts_with("权限")
        || has("permission")
        || h == "操作"
        || h == "用途"
    {
        // `权限描述`, and `权限` with a cell's text run into it (`权限backups/{id}/restore`).
        Column::Name
    } else if has("授权项") || h == "action" || h == "actions" || has("action (") {
        Column::Actions
    } else if has("api") || h == "uri" || has("接口") {
        Column::Route
    } else {
        return None;
    })
}

/// One cell as read: its text and its list items.
#[derive(Debug, Clone, Default)]
pub(super) struct Cell {
    /// All text, white space folded.
    pub(super) text: String,
    /// `<p>` texts joined with nothing (a long name wrapped over paragraphs is one name).
    pub(super) joined: String,
    /// One entry per `<li>`, else per `<p>`, else per `<br>`-separated line, else the text.
    pub(super) items: Vec<String>,
    /// Per `<li>`, its `<p>` texts (the nested dependency form).
    pub(super) nested: Vec<Vec<String>>,
    /// Text of a note inside the cell (说明 / Note), if any.
    pub(super) note: Option<String>,
    /// The text without the note.
    pub(super) main: String,
}

/// One table as read from a page.
#[derive(Debug, Clone)]
pub(super) struct RawTable {
    pub(super) section: Option<String>,
    pub(super) header: Vec<String>,
    pub(super) rows: Vec<Vec<Cell>>,
}

pub(super) fn fold_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
