//! `ims-perms`: the command line over the library. Arguments are read, the catalogs loaded, and
//! one subcommand answered; every failure is one line on stderr and a non-zero exit.

mod cli;

fn main() {
    // The detached helper that keeps serving the clipboard after the explorer quits (X11).
    if std::env::args().nth(1).as_deref() == Some(ims_perms::tui::clipboard::SERVE_ARG) {
        std::process::exit(ims_perms::tui::clipboard::serve_clipboard());
    }
    std::process::exit(cli::run());
}
