//! A one-line text field that edits as a shell's line does: a cursor, `←`/`→`, `Home`/`End`
//! (`Ctrl-A`/`Ctrl-E`), `Ctrl-U` (to the start), `Ctrl-W` (the word before), and a proposed value
//! that is selected, so typing replaces it.

/// A text with a cursor (a char index) and, optionally, all of it selected.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextField {
    text: String,
    cursor: usize,
    selected: bool,
}

impl TextField {
    /// A field holding `text`, the cursor at its end.
    pub fn new(text: &str) -> TextField {
        TextField {
            text: text.to_string(),
            cursor: text.chars().count(),
            selected: false,
        }
    }

    /// A proposed value: typing replaces it, `←`/`→` keep it.
    pub fn proposed(text: &str) -> TextField {
        TextField {
            selected: !text.is_empty(),
            ..TextField::new(text)
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_selected(&self) -> bool {
        self.selected
    }

    /// The cursor, in chars from the start.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    fn byte(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(b, _)| b)
    }

    fn take_selection(&mut self) {
        if self.selected {
            self.text.clear();
            self.cursor = 0;
            self.selected = false;
        }
    }

    /// Inserts at the cursor, at most `limit` chars in all; false when some had to be cut.
    pub fn insert(&mut self, s: impl Iterator<Item = char>, limit: usize) -> bool {
        self.take_selection();
        let mut room = limit.saturating_sub(self.text.chars().count());
        let mut cut = false;
        for c in s {
            if room == 0 {
                cut = true;
                break;
            }
            let at = self.byte(self.cursor);
            self.text.insert(at, c);
            self.cursor += 1;
            room -= 1;
        }
        cut
    }

    /// Deletes the char before the cursor (the whole selection, when selected).
    pub fn backspace(&mut self) {
        if self.selected {
            self.take_selection();
            return;
        }
        if self.cursor > 0 {
            let at = self.byte(self.cursor - 1);
            self.text.remove(at);
            self.cursor -= 1;
        }
    }

    pub fn left(&mut self) {
        self.selected = false;
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.selected = false;
        self.cursor = (self.cursor + 1).min(self.text.chars().count());
    }

    pub fn home(&mut self) {
        self.selected = false;
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.selected = false;
        self.cursor = self.text.chars().count();
    }

    /// `Ctrl-U`: deletes from the start to the cursor.
    pub fn delete_to_start(&mut self) {
        self.take_selection();
        let at = self.byte(self.cursor);
        self.text.replace_range(..at, "");
        self.cursor = 0;
    }

    /// `Ctrl-W`: deletes the word before the cursor (and the spaces after it).
    pub fn delete_word(&mut self) {
        self.take_selection();
        let chars: Vec<char> = self.text.chars().collect();
        let mut start = self.cursor;
        while start > 0 && chars[start - 1].is_whitespace() {
            start -= 1;
        }
        while start > 0 && !chars[start - 1].is_whitespace() {
            start -= 1;
        }
        let (a, b) = (self.byte(start), self.byte(self.cursor));
        self.text.replace_range(a..b, "");
        self.cursor = start;
    }

    /// Replaces the whole text (the cursor at its end).
    pub fn set(&mut self, text: &str) {
        *self = TextField::new(text);
    }

    pub fn clear(&mut self) {
        *self = TextField::default();
    }

    /// The text around the cursor: (before, after).
    pub fn split(&self) -> (&str, &str) {
        self.text.split_at(self.byte(self.cursor))
    }
}

/// Completes a typed path as a shell does: the longest common prefix of the entries that start
/// with it, a `/` after a single directory. Returns the completed text and how many entries
/// matched (0: nothing to complete).
pub fn complete_path(typed: &str) -> (String, usize) {
    let expanded = expand_home(typed);
    let as_typed = expanded.to_string_lossy().to_string();
    let (dir, prefix) = match as_typed.rfind('/') {
        Some(i) => (as_typed[..=i].to_string(), as_typed[i + 1..].to_string()),
        None => (String::new(), as_typed.clone()),
    };
    let read_from = if dir.is_empty() { "." } else { dir.as_str() };
    let Ok(entries) = std::fs::read_dir(read_from) else {
        return (typed.to_string(), 0);
    };
    let mut names: Vec<(String, bool)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            let is_dir = e.path().is_dir();
            (name.starts_with(&prefix) && (!name.starts_with('.') || prefix.starts_with('.')))
                .then_some((name, is_dir))
        })
        .collect();
    names.sort();
    let Some((first, _)) = names.first() else {
        return (typed.to_string(), 0);
    };
    let mut common = first.clone();
    for (n, _) in &names[1..] {
        while !n.starts_with(&common) {
            common.pop();
        }
    }
    // Keep what was typed (`~/`) in front; only the last part grows.
    let kept = &typed[..typed.len() - prefix.len().min(typed.len())];
    let mut out = format!("{kept}{common}");
    if names.len() == 1 && names[0].1 {
        out.push('/');
    }
    (out, names.len())
}

/// `~` and `~/…` in a typed file name mean the home folder, as in a shell.
pub fn expand_home(typed: &str) -> std::path::PathBuf {
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty());
    match (typed, home) {
        ("~", Some(home)) => std::path::PathBuf::from(home),
        (t, Some(home)) if t.starts_with("~/") => std::path::PathBuf::from(home).join(&t[2..]),
        (t, _) => std::path::PathBuf::from(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(f: &mut TextField, s: &str) {
        f.insert(s.chars(), 100);
    }

    #[test]
    fn edits_like_a_shell_line() {
        let mut f = TextField::new("");
        typed(&mut f, "delete image");
        f.delete_word();
        assert_eq!(f.text(), "delete ");
        typed(&mut f, "volume");
        f.home();
        typed(&mut f, "m:");
        assert_eq!(f.text(), "m:delete volume");
        f.end();
        f.left();
        f.left();
        f.backspace();
        assert_eq!(f.text(), "m:delete volme");
        f.right();
        f.delete_to_start();
        assert_eq!(f.text(), "e");
        assert_eq!(f.cursor(), 0);
        // Wide characters are one char each.
        let mut f = TextField::new("删除镜像");
        f.left();
        f.backspace();
        assert_eq!(f.text(), "删除像");
        assert_eq!(f.split(), ("删除", "像"));
    }

    #[test]
    fn a_proposed_value_is_replaced_by_typing() {
        let mut f = TextField::proposed("ims-policy.json");
        typed(&mut f, "auditor.json");
        assert_eq!(f.text(), "auditor.json");
        let mut f = TextField::proposed("ims-policy.json");
        f.backspace();
        assert_eq!(f.text(), "");
        let mut f = TextField::proposed("ims-policy.json");
        f.home();
        typed(&mut f, "~/");
        assert_eq!(f.text(), "~/ims-policy.json");
        let mut f = TextField::new("");
        assert!(f.insert("abcdef".chars(), 3), "cut at the limit");
        assert_eq!(f.text(), "abc");
    }

    #[test]
    fn completes_paths() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("policy-one.json"), "").unwrap();
        std::fs::write(dir.path().join("policy-two.json"), "").unwrap();
        std::fs::create_dir(dir.path().join("reviews")).unwrap();
        let base = dir.path().to_str().unwrap();
        assert_eq!(
            complete_path(&format!("{base}/pol")),
            (format!("{base}/policy-"), 2)
        );
        assert_eq!(
            complete_path(&format!("{base}/policy-o")),
            (format!("{base}/policy-one.json"), 1)
        );
        assert_eq!(
            complete_path(&format!("{base}/rev")),
            (format!("{base}/reviews/"), 1)
        );
        assert_eq!(
            complete_path(&format!("{base}/zzz")),
            (format!("{base}/zzz"), 0)
        );
    }
}
