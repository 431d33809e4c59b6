//! `ims-perms`: the command line over the library. Arguments are read, the catalogs loaded, and
//! one subcommand answered; every failure is one line on stderr and a non-zero exit.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
