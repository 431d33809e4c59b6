//! What skim's `SkimMatcherV2` would say about a text, found cheaply, so that the search asks
//! skim itself only about the texts that can reach the top of the screen:
//! - whether it matches at all: skim's own first test, the needle's characters in order
//!   (ASCII letters in either case, or in the same case when the needle has an upper-case
//!   letter: skim's "smart case");
//! - whether the needle is there unbroken (the search ranks such texts first);
//! - the highest score skim could give it: an upper bound proven from skim's recurrence (see
//!   [`Probe::bound`]) and checked against skim itself by a property test.
//!
//! The bound holds for a matcher that starts each text afresh ([`score`], [`positions`]): a
//! reused matcher lets bonuses of an earlier text leak into the next one's score (its matrix is
//! resized, not cleared), which made skim's scores depend on what it had scored before (seen:
//! 82 of 196,610 random texts), and its `use_cache(false)` panics (a `RefCell` borrowed twice).

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

/// skim's score of `text` for `needle`: a fresh matcher, so the same text always scores the same.
pub fn score(text: &str, needle: &Needle) -> Option<i64> {
    SkimMatcherV2::default().fuzzy_match(text, &needle.folded)
}

/// skim's score and the matched character positions (for highlighting).
pub fn positions(text: &str, needle: &Needle) -> Option<(i64, Vec<usize>)> {
    SkimMatcherV2::default().fuzzy_indices(text, &needle.folded)
}

/// skim's scores (fuzzy-matcher 0.3.7, `SkimScoreConfig::default`).
const SCORE_MATCH: i64 = 16;
const GAP_EXTENSION: i64 = -1;
/// Opening a gap (-3) and its first character (-1).
const GAP_START_AND_EXTENSION: i64 = -4;
const BONUS_CONSECUTIVE: i64 = 4;
const BONUS_HEAD: i64 = 8;
const BONUS_BREAK: i64 = 7;
const BONUS_CAMEL: i64 = 6;
const FIRST_CHAR_MULTIPLIER: i64 = 2;

/// skim's character classes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Empty,
    Upper,
    Lower,
    Number,
    HardSep,
    SoftSep,
}

fn class(c: char) -> Class {
    match c {
        '\0' => Class::Empty,
        ' ' | '/' | '\\' | '|' | '(' | ')' | '[' | ']' | '{' | '}' => Class::HardSep,
        '!'..='\'' | '*'..='.' | ':'..='@' | '^'..='`' | '~' => Class::SoftSep,
        '0'..='9' => Class::Number,
        'A'..='Z' => Class::Upper,
        _ => Class::Lower,
    }
}

/// Every byte's class: any byte of a multi-byte character is "lower", as skim classes the
/// character.
static BYTE_CLASS: [Class; 256] = {
    let mut table = [Class::Lower; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            0 => Class::Empty,
            b' ' | b'/' | b'\\' | b'|' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Class::HardSep,
            b'!'..=b'\'' | b'*'..=b'.' | b':'..=b'@' | b'^'..=b'`' | b'~' => Class::SoftSep,
            b'0'..=b'9' => Class::Number,
            b'A'..=b'Z' => Class::Upper,
            _ => Class::Lower,
        };
        b += 1;
    }
    table
};

/// The longest needle whose characters get a bound each (longer ones share one).
const PER_CHAR: usize = 32;

/// skim's bonus for a character at a word's head, after a separator, or a camel-case hump.
fn in_place_bonus(prev: Class, cur: Class) -> i64 {
    match (prev, cur) {
        (Class::Empty | Class::HardSep, _) => BONUS_HEAD,
        (Class::SoftSep, _) => BONUS_BREAK,
        (Class::Lower | Class::Number, Class::Upper) => BONUS_CAMEL,
        _ => 0,
    }
}

/// A search term's text, prepared once per query.
#[derive(Debug, Clone)]
pub struct Needle {
    /// As given to skim: folded (full-width forms made half-width), case kept.
    folded: String,
    /// Folded, ASCII letters lower-cased, as characters.
    lower: Vec<char>,
    /// The same as bytes when the needle is ASCII (the fast path).
    ascii: Option<Vec<u8>>,
    /// The needle as typed, for case-sensitive matching.
    exact: Vec<char>,
    /// skim's smart case: an upper-case ASCII letter makes the match case-sensitive.
    case_sensitive: bool,
    /// No character of the needle has another case (Chinese, digits, punctuation).
    caseless: bool,
    /// Which ASCII bytes (lower-cased) occur in the needle.
    in_needle: [bool; 256],
}

/// A text that skim would match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    /// The needle appears unbroken (ASCII letters in either case).
    pub contiguous: bool,
    /// No skim score of this text for this needle exceeds this. From skim's recurrence: the
    /// first needle character scores `16 + bonus - 1` (`bonus`: the best in-place bonus of a
    /// place where it occurs, doubled at the text's start); each further one adds at most 16
    /// plus the larger of 4 (the consecutive bonus) and the best in-place bonus of a place
    /// (after the first) where any needle character occurs, since every bonus skim carries
    /// along a row is one of those; gaps only subtract.
    pub bound: i64,
}

impl Needle {
    pub fn new(folded: &str) -> Needle {
        let lower: Vec<char> = folded.chars().map(|c| c.to_ascii_lowercase()).collect();
        let mut in_needle = [false; 256];
        for &c in &lower {
            if c.is_ascii() {
                in_needle[c as usize] = true;
                in_needle[c.to_ascii_uppercase() as usize] = true;
            }
        }
        Needle {
            folded: folded.to_string(),
            ascii: folded
                .is_ascii()
                .then(|| folded.bytes().map(|b| b.to_ascii_lowercase()).collect()),
            exact: folded.chars().collect(),
            case_sensitive: folded.chars().any(|c| c.is_ascii_uppercase()),
            caseless: folded
                .chars()
                .all(|c| c.to_lowercase().eq([c]) && c.to_uppercase().eq([c])),
            lower,
            in_needle,
        }
    }

    /// What skim would say about `text` (folded), cheaply; `None` when skim would not match it.
    pub fn probe(&self, text: &str) -> Option<Probe> {
        if self.lower.is_empty() {
            return None;
        }
        match &self.ascii {
            Some(needle) => self.probe_ascii(text.as_bytes(), needle),
            None => self.probe_chars(text),
        }
    }

    /// The needle in `text`, unbroken, in any case (prose is searched so: `überprüfung` finds
    /// `ÜBERPRÜFUNG`, as skim, which folds ASCII letters only, would not).
    pub fn found_in(&self, text: &str) -> bool {
        match &self.ascii {
            Some(needle) => contains_ascii(text.as_bytes(), needle),
            // Chinese has no case: a plain search, no copy (prose is read for most operations).
            None if self.caseless => text.contains(self.folded.as_str()),
            None => contains_lowered(text, &self.exact, any_lower),
        }
    }

    /// An ASCII needle: bytes are enough, since in UTF-8 an ASCII byte is only ever itself.
    fn probe_ascii(&self, text: &[u8], needle: &[u8]) -> Option<Probe> {
        // skim's first test, alone first: most texts fail it.
        let mut matched = 0;
        if self.case_sensitive {
            let exact = self.folded.as_bytes();
            for &byte in text {
                matched += usize::from(byte == exact[matched]);
                if matched == exact.len() {
                    break;
                }
            }
        } else {
            for &byte in text {
                matched += usize::from(byte.to_ascii_lowercase() == needle[matched]);
                if matched == needle.len() {
                    break;
                }
            }
        }
        if matched < needle.len() {
            return None;
        }
        // The bonuses of the places holding a needle character (see Probe::bound).
        let (mut first_bonus, mut other_bonus) = (i64::MIN, BONUS_CONSECUTIVE);
        let per_char = needle.len() <= PER_CHAR;
        let mut best = [BONUS_CONSECUTIVE; PER_CHAR];
        for (k, &byte) in text.iter().enumerate() {
            if !self.in_needle[byte as usize] {
                continue;
            }
            let lower = byte.to_ascii_lowercase();
            let prev = match k {
                0 => Class::Empty,
                _ => BYTE_CLASS[text[k - 1] as usize],
            };
            let mut bonus = in_place_bonus(prev, BYTE_CLASS[byte as usize]);
            if k == 0 {
                bonus *= FIRST_CHAR_MULTIPLIER;
            } else {
                other_bonus = other_bonus.max(bonus);
                if per_char {
                    for (i, &n) in needle.iter().enumerate().skip(1) {
                        if n == lower {
                            best[i] = best[i].max(bonus);
                        }
                    }
                }
            }
            if lower == needle[0] {
                first_bonus = first_bonus.max(bonus);
            }
        }
        Some(Probe {
            contiguous: contains_ascii(text, needle),
            bound: if per_char {
                SCORE_MATCH
                    + GAP_EXTENSION
                    + first_bonus
                    + best[1..needle.len()]
                        .iter()
                        .map(|b| SCORE_MATCH + b)
                        .sum::<i64>()
            } else {
                bound(needle.len(), first_bonus, other_bonus)
            },
        })
    }

    fn probe_chars(&self, text: &str) -> Option<Probe> {
        // First, quickly: the needle's other characters, in order (no text holding none, most
        // of them, is walked character by character).
        let mut rest = text;
        for &c in self.exact.iter().filter(|c| !c.is_ascii()) {
            let at = rest.find(c)?;
            rest = &rest[at + c.len_utf8()..];
        }
        let (mut matched, mut first_bonus, mut other_bonus) = (0, i64::MIN, BONUS_CONSECUTIVE);
        let mut prev = Class::Empty;
        for (k, c) in text.chars().enumerate() {
            let cur = class(c);
            let lower = c.to_ascii_lowercase();
            if self.lower.contains(&lower) {
                let mut bonus = in_place_bonus(prev, cur);
                if k == 0 {
                    bonus *= FIRST_CHAR_MULTIPLIER;
                } else {
                    other_bonus = other_bonus.max(bonus);
                }
                if lower == self.lower[0] {
                    first_bonus = first_bonus.max(bonus);
                }
                if matched < self.lower.len() {
                    let same = if self.case_sensitive {
                        c == self.exact[matched]
                    } else {
                        lower == self.lower[matched]
                    };
                    matched += usize::from(same);
                }
            }
            prev = cur;
        }
        (matched == self.lower.len()).then(|| Probe {
            contiguous: contains_lowered(text, &self.lower, ascii_lower),
            bound: bound(self.lower.len(), first_bonus, other_bonus),
        })
    }
}

impl Needle {
    /// A closer bound than [`Probe::bound`], for a text the probe matched: skim's own recurrence
    /// (its two reused rows of cells, where it starts each row, what it leaves in the cells it
    /// does not reset), except that each consecutive character gets the largest bonus skim can
    /// give it (the larger of 4 and its own in-place bonus), where skim reads a bonus left in a
    /// neighbouring cell that never exceeds that. So it is never below skim's score, and in
    /// every text tested (a review compared 139,416) it was the score itself: that is what lets
    /// thousands of alike candidates ("servers" in every route, letters scattered through every
    /// name) be ruled out without skim, at a tenth of a skim call (no allocation, no
    /// thread-local matrix). It stays a bound all the same: what is shown and ranked is skim's.
    pub fn close_bound(&self, text: &str) -> i64 {
        thread_local! {
            static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
        }
        SCRATCH.with(|scratch| {
            let Scratch {
                chars,
                cells,
                bonus,
                first,
            } = &mut *scratch.borrow_mut();
            chars.clear();
            chars.extend(text.chars());
            let n = chars.len();
            for row in cells.iter_mut() {
                row.clear();
                row.resize(n + 1, Cell::FRESH);
            }
            bonus.clear();
            bonus.resize(n + 1, 0);
            first.clear();
            first.resize(self.exact.len(), 0);
            self.close_bound_in(chars, cells, bonus, first)
        })
    }

    fn close_bound_in(
        &self,
        chars: &[char],
        cells: &mut [Vec<Cell>; 2],
        bonus: &mut [i32],
        first: &mut [usize],
    ) -> i64 {
        let pattern = &self.exact;
        let cs = self.case_sensitive;
        let equal = |c: char, p: char| {
            if cs {
                c == p
            } else {
                c.eq_ignore_ascii_case(&p)
            }
        };
        // skim's first test: the first place of each pattern character, greedily.
        let mut k = 0;
        for (j, &c) in chars.iter().enumerate() {
            if k < pattern.len() && equal(c, pattern[k]) {
                first[k] = j;
                k += 1;
            }
        }
        if k < pattern.len() {
            return i64::from(NEG_INFINITY);
        }
        let n = chars.len();
        let mut prev = Class::Empty;
        for (j, &c) in chars.iter().enumerate() {
            let cur = class(c);
            bonus[j + 1] = in_place_bonus(prev, cur) as i32;
            prev = cur;
        }
        bonus[1] *= FIRST_CHAR_MULTIPLIER as i32;
        let [row_a, row_b] = cells;
        row_b[first[0]] = Cell::RESET;
        for cell in row_a[..=n].iter_mut() {
            *cell = Cell::RESET;
            cell.p = GAP_EXTENSION as i32;
        }
        for (i, &p) in pattern.iter().enumerate() {
            let (cur_row, prev_row): (&mut [Cell], &[Cell]) = if i % 2 == 0 {
                (&mut *row_b, &*row_a)
            } else {
                (&mut *row_a, &*row_b)
            };
            for col in first[i] + 1..=n {
                let c = chars[col - 1];
                cur_row[col].m = if equal(c, p) {
                    let score = SCORE_MATCH as i32
                        + if !cs && c != p {
                            2 * GAP_EXTENSION as i32
                        } else {
                            0
                        };
                    let consecutive = bonus[col].max(BONUS_CONSECUTIVE as i32);
                    let by_match = prev_row[col - 1].m + consecutive;
                    let by_skip = prev_row[col - 1].p + bonus[col];
                    by_match.max(by_skip) + score
                } else {
                    NEG_INFINITY
                };
                let last = cur_row[col - 1];
                cur_row[col].p =
                    (GAP_START_AND_EXTENSION as i32 + last.m).max(GAP_EXTENSION as i32 + last.p);
            }
        }
        let last_row: &[Cell] = if pattern.len() % 2 == 1 { row_b } else { row_a };
        i64::from(
            last_row[first[pattern.len() - 1]..=n]
                .iter()
                .map(|c| c.m)
                .max()
                .unwrap_or(NEG_INFINITY),
        )
    }
}

/// skim's "negative infinity" (`i16::MIN`, in `i32` cells).
const NEG_INFINITY: i32 = i16::MIN as i32;

/// Buffers for [`Needle::close_bound`], kept per thread.
#[derive(Default)]
struct Scratch {
    chars: Vec<char>,
    cells: [Vec<Cell>; 2],
    bonus: Vec<i32>,
    first: Vec<usize>,
}

/// One cell of skim's matrix: the best score with the character matched (`m`) or skipped (`p`).
#[derive(Debug, Clone, Copy)]
struct Cell {
    m: i32,
    p: i32,
}

impl Cell {
    /// As skim's matrix grows (its `Default`) and as it resets a cell: both are minus infinity.
    const FRESH: Cell = Cell {
        m: NEG_INFINITY,
        p: NEG_INFINITY,
    };
    const RESET: Cell = Cell::FRESH;
}

fn bound(chars: usize, first_bonus: i64, other_bonus: i64) -> i64 {
    (SCORE_MATCH + GAP_EXTENSION + first_bonus) + (chars as i64 - 1) * (SCORE_MATCH + other_bonus)
}

fn contains_ascii(text: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    if needle.len() > text.len() {
        return false;
    }
    (0..=text.len() - needle.len()).any(|start| {
        text[start].to_ascii_lowercase() == first
            && text[start + 1..start + needle.len()]
                .iter()
                .zip(rest)
                .all(|(a, b)| a.to_ascii_lowercase() == *b)
    })
}

/// `needle` unbroken in `text`, both lower-cased by `lower`: ASCII letters only for what skim
/// matched ([`Needle::probe`]), every letter for prose ([`Needle::found_in`]).
fn contains_lowered(text: &str, needle: &[char], lower: fn(char) -> char) -> bool {
    let needle: Vec<char> = needle.iter().copied().map(lower).collect();
    let text: Vec<char> = text.chars().map(lower).collect();
    needle.len() <= text.len() && text.windows(needle.len()).any(|w| w == needle)
}

fn ascii_lower(c: char) -> char {
    c.to_ascii_lowercase()
}

fn any_lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn skim(text: &str, needle: &str) -> Option<i64> {
        score(text, &Needle::new(needle))
    }

    fn check(text: &str, needle: &str) -> Result<(), TestCaseError> {
        let probe = Needle::new(needle).probe(text);
        let score = skim(text, needle);
        prop_assert_eq!(
            probe.is_some(),
            score.is_some(),
            "{:?} in {:?}",
            needle,
            text
        );
        if let (Some(p), Some(s)) = (probe, score) {
            prop_assert!(
                s <= p.bound,
                "{:?} in {:?}: {} > {}",
                needle,
                text,
                s,
                p.bound
            );
            let close = Needle::new(needle).close_bound(text);
            prop_assert!(
                s <= close && close <= p.bound,
                "{:?} in {:?}: {} {} {}",
                needle,
                text,
                s,
                close,
                p.bound
            );
            let unbroken = text
                .to_ascii_lowercase()
                .contains(&needle.to_ascii_lowercase());
            prop_assert_eq!(p.contiguous, unbroken);
        }
        Ok(())
    }

    #[test]
    fn the_bound_is_tight_on_typical_texts() {
        // One letter: the bound is skim's score.
        for (text, needle) in [("ecs:servers:delete", "s"), ("sfs:shares:get", "s")] {
            let p = Needle::new(needle).probe(text).unwrap();
            assert_eq!(Some(p.bound), skim(text, needle));
        }
        let p = Needle::new("servers").probe("ecs:servers:delete").unwrap();
        assert!(p.contiguous && p.bound - skim("ecs:servers:delete", "servers").unwrap() < 30);
        assert_eq!(Needle::new("servers").probe("Deleting Server 12"), None);
        // The closer bound is skim's score for an unbroken match, even with a better-placed
        // letter further on.
        for text in [
            "ecs:servers:delete",
            "/v1/{project_id}/servers/g3/{servers_id}",
            "Deleting Server 12",
        ] {
            for needle in ["servers", "server", "se", "s", "del", "ser 1"] {
                let n = Needle::new(needle);
                if n.probe(text).is_some_and(|p| p.contiguous) {
                    assert_eq!(
                        Some(n.close_bound(text)),
                        skim(text, needle),
                        "{needle} {text}"
                    );
                }
            }
        }
        // Smart case: an upper-case letter must match as typed.
        assert!(Needle::new("ECS").probe("ecs:servers").is_none());
        assert!(Needle::new("ecs").probe("ECS:servers").is_some());
        assert!(Needle::new("删除").probe("删除镜像").unwrap().contiguous);
        // Prose in any case, letters beyond ASCII too.
        assert!(Needle::new("überprüfung").found_in("Führt eine ÜBERPRÜFUNG durch"));
        assert!(Needle::new("obs").found_in("需要OBS权限"));
        assert!(!Needle::new("über").found_in("uber"));
        assert!(Needle::new("删除").found_in("批量删除镜像成员"));
        assert!(!Needle::new("删除").found_in("Deleting"));
        assert!(
            Needle::new("删像")
                .probe("删除镜像")
                .is_some_and(|p| !p.contiguous)
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn agrees_with_skim_and_bounds_its_score(
            text in "[abcAB:/ _1.\\-删除é]{0,30}",
            needle in "[abcB:/_1.\\-删除é]{1,6}",
        ) {
            check(&text, &needle)?;
        }

        #[test]
        fn agrees_with_skim_on_catalog_like_texts(
            text in "(ecs|ims|Deleting|Server|servers|images|/v1/\\{project_id\\}|:|-| |[0-9]){1,12}",
            needle in "[a-z: ]{1,8}",
        ) {
            if !needle.trim().is_empty() {
                check(&text, needle.trim())?;
            }
        }
    }
}
