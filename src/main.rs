//! `ims-perms`: the command line over the library. Arguments are read, the catalogs loaded, and
//! one subcommand answered; every failure is one line on stderr and a non-zero exit.

mod cli;

// Loading 100,000 operations makes many small allocations; mimalloc is markedly faster at that
// than the system allocator (figures in the README's Performance section).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h (the Rust bindings do not name it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    // Give freed memory back after 2 ms instead of 10: loading 100,000 operations frees a lot
    // of short-lived memory, and returning it promptly halves the peak (see Performance).
    // SAFETY: sets a process-wide allocator option before any thread is started.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 2) };
    // The detached helper that keeps serving the clipboard after the explorer quits (X11).
    if std::env::args().nth(1).as_deref() == Some(ims_perms::tui::clipboard::SERVE_ARG) {
        std::process::exit(ims_perms::tui::clipboard::serve_clipboard());
    }
    // The shell asking for completions (the script `completions SHELL` prints): answered and
    // exited here, before anything else is read.
    clap_complete::CompleteEnv::with_factory(cli::command)
        .var(cli::COMPLETE_VAR)
        .complete();
    std::process::exit(cli::run());
}
