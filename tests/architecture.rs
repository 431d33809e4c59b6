//! The library's modules form no cycle: no module imports a module that imports it back,
//! directly or through others (what `cargo modules dependencies --lib --acyclic` checks, here
//! without installing it). Read from the `crate::` and `super::` paths of every source file
//! under `src/` but the binary's (`main.rs`, `cli/`), unit tests left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// `src/a/b.rs` → `a::b`, `src/a/mod.rs` → `a`, `src/lib.rs` → ``.
fn module_of(path: &Path, src: &Path) -> String {
    let rel = path.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts.join("::")
}

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its unit tests (`#[cfg(test)] mod tests` to the end) and comments.
fn code(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let t = line.trim();
        if t == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|l| l.trim_start().starts_with("mod tests"))
        {
            break;
        }
        if t.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Every module path a piece of code names: `crate::a::b::Item` names the longest known module
/// prefix (`a::b`); `use crate::a::{b, c::D}` names `a::b` and `a::c` when they are modules;
/// `super::x` is resolved against `module`.
fn named(code: &str, module: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let bytes = code.as_bytes();
    let parent = |m: &str| {
        m.rsplit_once("::")
            .map_or(String::new(), |(p, _)| p.to_string())
    };
    for (start, root) in [("crate::", String::new()), ("super::", parent(module))] {
        let mut from = 0;
        while let Some(i) = code[from..].find(start) {
            let at = from + i;
            from = at + start.len();
            if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
                continue;
            }
            // The path: identifiers and `::`, perhaps ending in a `{…}` group.
            let rest = &code[from..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            let path = rest[..end].trim_end_matches(':');
            // `super::*` (or `super::{…}`) names the parent module itself.
            if path.is_empty() && known.contains(&root) {
                out.insert(root.clone());
            }
            let mut prefix = root.clone();
            let mut longest = None;
            for seg in path.split("::") {
                prefix = if prefix.is_empty() {
                    seg.to_string()
                } else {
                    format!("{prefix}::{seg}")
                };
                if known.contains(&prefix) {
                    longest = Some(prefix.clone());
                }
            }
            let group_base = if known.contains(&prefix) {
                Some(prefix.clone())
            } else {
                longest.clone()
            };
            if let Some(m) = longest {
                out.insert(m);
            }
            if rest[end..].starts_with('{')
                && let (Some(base), Some(close)) = (group_base, rest[end..].find('}'))
            {
                for item in rest[end + 1..end + close].split(',') {
                    let first = item.trim().split("::").next().unwrap_or("");
                    let m = format!("{base}::{first}");
                    if known.contains(&m) {
                        out.insert(m);
                    }
                }
            }
        }
    }
    // `use child::…` (and `pub use child::*` re-exports) name a child module by its bare name.
    for line in code.lines() {
        let line = line.trim_start();
        let rest = line
            .strip_prefix("pub use ")
            .or_else(|| line.strip_prefix("pub(crate) use "))
            .or_else(|| line.strip_prefix("use "));
        if let Some(rest) = rest {
            let rest = rest.strip_prefix("self::").unwrap_or(rest);
            let first = rest.split([':', ';', ' ']).next().unwrap_or("");
            let child = if module.is_empty() {
                first.to_string()
            } else {
                format!("{module}::{first}")
            };
            if known.contains(&child) {
                out.insert(child);
            }
        }
    }
    out.remove(module);
    out.remove("");
    out
}

#[test]
fn the_library_has_no_import_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.retain(|f| {
        let rel = f.strip_prefix(&src).unwrap();
        let name = rel.file_name().unwrap().to_string_lossy();
        // The binary's shell, and unit tests kept in files of their own.
        !(rel.starts_with("cli")
            || rel == Path::new("main.rs")
            || name == "tests.rs"
            || name.ends_with("_tests.rs"))
    });
    let known: BTreeSet<String> = files.iter().map(|f| module_of(f, &src)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let module = module_of(f, &src);
        let text = std::fs::read_to_string(f).unwrap();
        graph.insert(module.clone(), named(&code(&text), &module, &known));
    }
    // Depth-first search; a module met again while on the stack closes a cycle.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| s == m) {
            let mut cycle = stack[i..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        stack.push(m.to_string());
        for next in graph.get(m).into_iter().flatten() {
            if let Some(c) = visit(next, graph, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    let mut cycles = Vec::new();
    for m in graph.keys() {
        if let Some(c) = visit(m, &graph, &mut Vec::new(), &mut done) {
            cycles.push(c.join(" → "));
            done.insert(m.clone());
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_checker_sees_a_cycle() {
    let known: BTreeSet<String> = ["a", "b", "a::c"].iter().map(|s| s.to_string()).collect();
    assert_eq!(
        named(
            "use crate::a::{c, Item};\nfn f() { crate::b::g(); }",
            "x",
            &known
        ),
        ["a", "a::c", "b"].iter().map(|s| s.to_string()).collect()
    );
    assert_eq!(
        named("use super::c::D;", "a::x", &known),
        ["a::c"].iter().map(|s| s.to_string()).collect()
    );
    assert_eq!(
        named("pub use c::*;", "a", &known),
        ["a::c"].iter().map(|s| s.to_string()).collect()
    );
    assert_eq!(
        named("use super::*;", "a::x", &known),
        ["a"].iter().map(|s| s.to_string()).collect()
    );
}
