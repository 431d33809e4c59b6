//! Writes deterministic synthetic catalogs for benchmarks:
//! `cargo run --release --example gen-catalog -- 100000 DIR` makes `DIR/<service>.json` for 20
//! services and `DIR/rows.txt`, the same operations as text lines (for `fzf --filter`).
//! `--rich` after DIR: every operation also has a section, dependent actions, a description in
//! both languages, and some prerequisites and shared routes, as imported tables have.

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(total), Some(dir)) = (args.next(), args.next()) else {
        eprintln!("usage: gen-catalog TOTAL DIR [--rich]");
        std::process::exit(2);
    };
    let Ok(total) = total.parse::<usize>() else {
        eprintln!("gen-catalog: TOTAL must be a number, got {total}");
        std::process::exit(2);
    };
    let dir = PathBuf::from(dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("gen-catalog: {}: {e}", dir.display());
        std::process::exit(2);
    }
    let docs = match args.next().as_deref() {
        Some("--rich") => ims_perms::testing::synthetic::rich_catalogs(total),
        None => ims_perms::testing::synthetic::catalogs(total),
        Some(other) => {
            eprintln!("gen-catalog: unknown option {other}");
            std::process::exit(2);
        }
    };
    for (service, doc) in &docs {
        let path = dir.join(format!("{service}.json"));
        let text = serde_json::to_string_pretty(doc).expect("serialises");
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("gen-catalog: {}: {e}", path.display());
            std::process::exit(2);
        }
    }
    let rows = dir.join("rows.txt");
    if let Err(e) = std::fs::write(&rows, ims_perms::testing::synthetic::text_rows(&docs)) {
        eprintln!("gen-catalog: {}: {e}", rows.display());
        std::process::exit(2);
    }
    eprintln!(
        "wrote {total} operations over {} services to {}",
        docs.len(),
        dir.display()
    );
}
