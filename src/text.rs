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

/// The first control character in `s`, if any (tabs and newlines count: catalog texts are
/// single-line, and anything else could steer the terminal).
pub fn find_control(s: &str) -> Option<char> {
    s.chars().find(|c| c.is_control())
}

/// `s` with every control character shown as a visible escape (`\u{1b}`), so untrusted text can
/// be printed safely in an error message.
pub fn escape_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
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
    }

    #[test]
    fn pads_by_width() {
        assert_eq!(pad("删除", 6), "删除  ");
        assert_eq!(pad("abc", 2), "abc");
    }
}
