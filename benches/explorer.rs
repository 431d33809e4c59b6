//! The explorer's speed at 100,000 operations (20 synthetic services):
//! - keystroke latency: typing a 10-character query one key at a time through the App's update
//!   and a render to a 160x50 `TestBackend` (target: p99 at most 16 ms a key). At this size
//!   the search runs in the background, so two figures: the key (update and render: what the
//!   user waits for before the next key shows) and the results (until the search has answered
//!   and the new results are drawn);
//! - the first frame on the built-in catalog (load, index, draw; target: within 30 ms).
//!
//! `cargo bench --bench explorer`. The per-key percentiles are printed first (criterion reports
//! means, not tails); criterion then measures the same work.

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use ims_perms::catalog::Catalog;
use ims_perms::lang::Lang;
use ims_perms::tui::app::App;
use ims_perms::tui::ui::{self, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

const OPERATIONS: usize = 100_000;
/// Ten characters each, as an admin would type them.
const QUERIES: [&str; 10] = [
    "delete vol",
    "servers li",
    "ecs:create",
    "get backup",
    "查询云硬盘12345",
    "tag keys 1",
    "rds:instan",
    "update list",
    "obs bucket",
    "creating s",
];

fn press(app: &mut App, c: char) {
    app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
}

fn draw(app: &mut App, terminal: &mut Terminal<TestBackend>) {
    ims_perms::tui::ui::sync_view(app, Rect::new(0, 0, 160, 50));
    terminal
        .draw(|f| ui::render(app, Theme { color: true }, f))
        .expect("draw");
}

/// Types `query` into a fresh search, one key at a time; returns for each key the time of the
/// key (update and render) and the time until its results were drawn.
fn type_query(
    app: &mut App,
    terminal: &mut Terminal<TestBackend>,
    query: &str,
) -> Vec<(Duration, Duration)> {
    app.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    press(app, '/');
    draw(app, terminal);
    query
        .chars()
        .map(|c| {
            let start = Instant::now();
            press(app, c);
            draw(app, terminal);
            let key = start.elapsed();
            if app.searching() {
                app.wait_for_search();
                draw(app, terminal);
            }
            (key, start.elapsed())
        })
        .collect()
}

fn report(what: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |p: f64| samples[((samples.len() as f64 * p).ceil() as usize).saturating_sub(1)];
    println!(
        "{what} at {OPERATIONS} operations, {} keys: p50 {:.2?}  p90 {:.2?}  p99 {:.2?}  max {:.2?}",
        samples.len(),
        at(0.50),
        at(0.90),
        at(0.99),
        samples[samples.len() - 1]
    );
}

fn percentiles(catalog: &Catalog) {
    let mut samples = Vec::new();
    // Each query in a fresh app, so no earlier result is reused.
    for query in QUERIES {
        let mut app = App::new(catalog.clone(), Lang::En);
        let mut terminal = Terminal::new(TestBackend::new(160, 50)).expect("terminal");
        draw(&mut app, &mut terminal);
        samples.extend(type_query(
            &mut app,
            &mut terminal,
            &query.chars().take(10).collect::<String>(),
        ));
    }
    report(
        "key (update + render; target p99 <= 16 ms)",
        samples.iter().map(|s| s.0).collect(),
    );
    report("results drawn", samples.iter().map(|s| s.1).collect());
}

fn benches(c: &mut Criterion) {
    let catalog = ims_perms::testing::synthetic::catalog(OPERATIONS);
    percentiles(&catalog);

    let mut group = c.benchmark_group("explorer");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("type a 10-key query at 100k operations", |b| {
        b.iter_batched(
            || {
                let mut app = App::new(catalog.clone(), Lang::En);
                let mut terminal = Terminal::new(TestBackend::new(160, 50)).expect("terminal");
                draw(&mut app, &mut terminal);
                (app, terminal)
            },
            |(mut app, mut terminal)| type_query(&mut app, &mut terminal, "delete vol"),
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();

    c.bench_function("first frame on the built-in catalog", |b| {
        b.iter(|| {
            let catalog = Catalog::builtin().expect("built-in catalog");
            let mut app = App::new(catalog, Lang::En);
            let mut terminal = Terminal::new(TestBackend::new(160, 50)).expect("terminal");
            draw(&mut app, &mut terminal);
        })
    });
}

criterion_group!(explorer, benches);
criterion_main!(explorer);
