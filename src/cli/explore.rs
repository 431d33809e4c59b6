//! No subcommand: the interactive explorer.

use clap::ValueEnum;

use ims_perms::io::input::Source;
use ims_perms::tui::clipboard::ClipboardMode;

use super::*;

/// No subcommand: the explorer.
pub(super) fn explore(global: &Global, args: &ExplorerArgs) -> Result<Exit, Failure> {
    let catalog = load_catalogs(global)?;
    let clipboard = clipboard_mode(args.clipboard)?;
    let policy = match &args.policy {
        Some(path) => {
            let source = Source::from_arg(path.as_os_str());
            Some((source.shown(), read_input(&source)?))
        }
        None => None,
    };
    // Read before the terminal is taken: a long log shows its progress, a bad one its error.
    let calls = match &args.calls {
        Some(path) => {
            let read = super::calls::read_and_match(
                &catalog,
                &[path.clone().into_os_string()],
                &[],
                lang_of(global),
            )?;
            let (recording, matched) = &read.files[0];
            Some(ims_perms::tui::SelectedCalls {
                operations: read.operations(),
                read: recording.read,
                distinct: recording.calls.len(),
                unmatched: matched.unmatched(),
                not_calls: recording.not_call_count,
            })
        }
        None => None,
    };
    let options = ims_perms::tui::Options {
        calls,
        exit_after_first_frame: std::env::var(AFTER_FIRST_FRAME_VAR).as_deref() == Ok("exit"),
        panic_after_first_frame: std::env::var(AFTER_FIRST_FRAME_VAR).as_deref() == Ok("panic"),
        policy,
        lang: lang_of(global),
        clipboard,
        show_keys: args.show_keys,
        no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
    };
    let policy = ims_perms::tui::run(catalog, options).or_else(|e| {
        fail(
            Exit::BadInput,
            match e {
                ims_perms::tui::RunError::NoTerminal(e) => CommandError::NoTerminal(e),
                ims_perms::tui::RunError::Io(e) => CommandError::Explorer(e),
            },
        )
    })?;
    if args.print {
        match policy {
            Some(json) => emit(&json)?,
            None => {
                return fail(Exit::NothingFound, CommandError::NothingSelected);
            }
        }
    }
    Ok(Exit::Success)
}

/// The explorer's clipboard mode: `--clipboard`, else `$IMS_PERMS_CLIPBOARD`, else auto. The
/// variable is read only when the explorer starts, so a bad value never breaks `list`.
pub(super) fn clipboard_mode(flag: Option<ClipboardArg>) -> Result<ClipboardMode, Failure> {
    if let Some(mode) = flag {
        return Ok(mode.into());
    }
    match std::env::var_os("IMS_PERMS_CLIPBOARD") {
        None => Ok(ClipboardMode::Auto),
        Some(v) if v.is_empty() => Ok(ClipboardMode::Auto),
        Some(v) => {
            let text = v.to_string_lossy();
            ClipboardArg::from_str(text.trim(), true)
                .map(ClipboardMode::from)
                .or_else(|_| {
                    fail(
                        Exit::BadInput,
                        CommandError::ClipboardSetting {
                            value: text.to_string(),
                        },
                    )
                })
        }
    }
}
