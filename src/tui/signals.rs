//! Signals while the explorer owns the terminal. The handlers only note what arrived; the event
//! loop answers between two frames: it gives the terminal back before it dies of SIGTERM,
//! SIGHUP, SIGINT or SIGQUIT, or stops for SIGTSTP, and takes it again after SIGCONT.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};

/// What the loop must do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    /// Restore the terminal, then die of this signal (the shell sees the usual status).
    Terminate(i32),
    /// SIGTSTP: give the terminal back and stop.
    Suspend,
    /// SIGCONT after a stop we did not ask for: take the terminal again.
    Continued,
}

pub struct Signals {
    terminate: Arc<AtomicUsize>,
    suspend: Arc<AtomicBool>,
    continued: Arc<AtomicBool>,
}

impl Signals {
    pub fn register() -> io::Result<Signals> {
        let s = Signals {
            terminate: Arc::new(AtomicUsize::new(0)),
            suspend: Arc::new(AtomicBool::new(false)),
            continued: Arc::new(AtomicBool::new(false)),
        };
        for signal in [SIGTERM, SIGHUP, SIGINT, SIGQUIT] {
            signal_hook::flag::register_usize(signal, Arc::clone(&s.terminate), signal as usize)?;
        }
        signal_hook::flag::register(SIGTSTP, Arc::clone(&s.suspend))?;
        signal_hook::flag::register(SIGCONT, Arc::clone(&s.continued))?;
        watchdog()?;
        Ok(s)
    }

    /// The signal to answer now, if any (a termination first).
    pub fn take(&self) -> Option<Pending> {
        match self.terminate.swap(0, Ordering::SeqCst) {
            0 => {}
            signal => return Some(Pending::Terminate(signal as i32)),
        }
        if self.suspend.swap(false, Ordering::SeqCst) {
            // Our own stop is followed by a SIGCONT that needs nothing more.
            self.continued.store(false, Ordering::SeqCst);
            return Some(Pending::Suspend);
        }
        if self.continued.swap(false, Ordering::SeqCst) {
            return Some(Pending::Continued);
        }
        None
    }
}

impl Signals {
    /// Forgets the SIGCONT that ended a stop the explorer asked for itself.
    pub fn forget_continue(&self) {
        self.continued.store(false, Ordering::SeqCst);
    }
}

/// How long the event loop has to answer a terminating signal before the watchdog does.
const GRACE: std::time::Duration = std::time::Duration::from_millis(1_000);

/// A thread that makes SIGTERM, SIGHUP, SIGINT and SIGQUIT work even when the event loop cannot
/// answer them: crossterm's reader can stay blocked (an unterminated bracketed paste) or spin on
/// a closed terminal (crossterm#793), and then the loop never wakes. If the process is still
/// alive a moment after such a signal, the watchdog gives the terminal back, as far as it still
/// exists, and dies of the signal.
fn watchdog() -> io::Result<()> {
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])?;
    std::thread::Builder::new()
        .name("signal-watchdog".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                std::thread::sleep(GRACE);
                if let Ok(mut tty) = std::fs::File::options().write(true).open("/dev/tty") {
                    super::restore(&mut tty);
                }
                die_of(signal);
            }
        })?;
    Ok(())
}

/// Dies of `signal` as if no handler had been installed.
pub fn die_of(signal: i32) -> ! {
    let _ = signal_hook::low_level::emulate_default_handler(signal);
    // Not reached for terminating signals; exit as a shell would report it otherwise.
    std::process::exit(128 + signal)
}

/// Stops the process (as SIGTSTP would without a handler); returns once it is continued.
pub fn stop() {
    let _ = signal_hook::low_level::emulate_default_handler(SIGTSTP);
}
