//! Text helpers shared by the front ends: search normalisation, display width, escaping.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Folds a character for searching: full-width ASCII forms (`（`, `Ａ`) become their half-width
/// twins and the ideographic space a plain one. One char in, one char out, so match positions in
/// the folded text are positions in the original.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// [`fold_char`] over a whole string.
pub fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// Whether a character must never reach the terminal raw: control characters (tabs and newlines
/// count: catalog texts are single-line, and the rest could steer the terminal) and the
/// bidirectional controls that reorder what is shown (U+202E makes `exe.txt` read `txt.exe`).
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// The first unsafe character in `s` (see [`is_unsafe_char`]), if any.
pub fn find_control(s: &str) -> Option<char> {
    s.chars().find(|&c| is_unsafe_char(c))
}

/// `s` with every unsafe character shown as a visible escape (`\u{1b}`), so untrusted text can
/// be printed safely in an error message.
pub fn escape_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_unsafe_char(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// `s` at most `max` characters long: a longer text keeps its start and end around ` … `, so
/// a 2 MB value in a file is not echoed whole in a one-line error.
/// How many characters of a user's input an error quotes: enough to recognise it, never a
/// 120 KB URL echoed whole.
pub const QUOTED_INPUT_CHARS: usize = 200;

/// A user's input as an error quotes it: shortened to [`QUOTED_INPUT_CHARS`] and escaped.
pub fn quoted_input(s: &str) -> String {
    escape_controls(&shorten(s, QUOTED_INPUT_CHARS))
}

pub fn shorten(s: &str, max: usize) -> String {
    let count = s.chars().count();
    if count <= max {
        return s.to_string();
    }
    let head = max.saturating_sub(3) * 2 / 3;
    let tail = max.saturating_sub(3) - head;
    let start: String = s.chars().take(head).collect();
    let end: String = s.chars().skip(count - tail).collect();
    format!("{start} … {end}")
}

/// Display width in terminal columns (CJK characters count two).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to at most `max` columns, ending in `…` when cut. Wide characters are never split: a
/// character that would straddle the limit is left out whole.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `s` padded with spaces to `cols` display columns (never cut).
pub fn pad(s: &str, cols: usize) -> String {
    let w = width(s);
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width_one_to_one() {
        assert_eq!(fold("查询版本(OpenStack原生）"), "查询版本(OpenStack原生)");
        assert_eq!(fold("（Ｐｒｏｊｅｃｔ）"), "(Project)");
        let s = "a（b）";
        assert_eq!(s.chars().count(), fold(s).chars().count());
    }

    #[test]
    fn truncates_by_display_width_without_splitting() {
        assert_eq!(truncate("查询镜像列表", 7), "查询镜…");
        assert_eq!(width(&truncate("查询镜像列表", 7)), 7);
        assert_eq!(truncate("查询镜像列表", 6), "查询…");
        assert_eq!(truncate("查询镜像列表", 12), "查询镜像列表");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(truncate("查", 1), "…");
    }

    #[test]
    fn escapes_controls() {
        assert_eq!(escape_controls("a\u{1b}[31mb\n"), "a\\u{1b}[31mb\\u{a}");
        assert_eq!(find_control("ok 文本"), None);
        assert_eq!(find_control("x\ty"), Some('\t'));
        assert_eq!(find_control("a\u{202e}b"), Some('\u{202e}'));
        assert_eq!(escape_controls("exe\u{202e}txt"), "exe\\u{202e}txt");
    }

    #[test]
    fn shortens_long_values() {
        assert_eq!(shorten("short", 10), "short");
        let long = "a".repeat(100) + "END";
        let s = shorten(&long, 20);
        assert_eq!(s.chars().count(), 20);
        assert!(s.ends_with("END") && s.contains(" … "), "{s}");
    }

    #[test]
    fn pads_by_width() {
        assert_eq!(pad("删除", 6), "删除  ");
        assert_eq!(pad("abc", 2), "abc");
    }
}
