//! Writes deterministic synthetic catalogs for benchmarks:
//! `cargo run --release --example gen-catalog -- 100000 DIR` makes `DIR/<service>.json` for 20
//! services and `DIR/rows.txt`, the same operations as text lines (for `fzf --filter`).

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(total), Some(dir)) = (args.next(), args.next()) else {
        eprintln!("usage: gen-catalog TOTAL DIR");
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
    let docs = ims_perms::synthetic::catalogs(total);
    for (service, doc) in &docs {
        let path = dir.join(format!("{service}.json"));
        let text = serde_json::to_string_pretty(doc).expect("serialises");
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("gen-catalog: {}: {e}", path.display());
            std::process::exit(2);
        }
    }
    let rows = dir.join("rows.txt");
    if let Err(e) = std::fs::write(&rows, ims_perms::synthetic::text_rows(&docs)) {
        eprintln!("gen-catalog: {}: {e}", rows.display());
        std::process::exit(2);
    }
    eprintln!(
        "wrote {total} operations over {} services to {}",
        docs.len(),
        dir.display()
    );
}
