//! What the terminal can show, and the progress bar of long scans.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::scan::Progress;

/// A scan shorter than this shows no bar at all: a pre-commit run stays quiet.
const SHOW_AFTER: Duration = Duration::from_millis(300);

/// What the process's standard streams can show.
#[derive(Debug, Clone, Copy, Default)]
pub struct Terminal {
    /// Standard output is a terminal: the text report may be coloured.
    pub color: bool,
    /// Standard error is an interactive terminal (not CI, not `TERM=dumb`):
    /// a progress bar may be drawn on it.
    pub progress: bool,
}

impl Terminal {
    /// Inspects the real standard streams and the environment.
    pub fn detect() -> Terminal {
        let interactive =
            std::env::var_os("CI").is_none() && std::env::var("TERM").map_or(true, |t| t != "dumb");
        Terminal {
            color: std::io::stdout().is_terminal(),
            progress: interactive && std::io::stderr().is_terminal(),
        }
    }
}

/// A progress bar over scan units, drawn on standard error once the scan has
/// run for [`SHOW_AFTER`]; hidden (and free) otherwise.
pub struct Bar {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: AtomicBool,
}

impl Bar {
    /// A bar that will draw only when `enabled`.
    pub fn new(enabled: bool) -> Bar {
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            if let Ok(style) =
                ProgressStyle::with_template("{spinner} scanning {pos}/{len} {wide_bar} {elapsed}")
            {
                bar.set_style(style);
            }
            bar
        });
        Bar {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
        }
    }

    /// Removes the bar before the report is written.
    pub fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn begin(&self, units: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(units as u64);
        }
    }

    fn advance(&self) {
        let Some(bar) = &self.bar else { return };
        bar.inc(1);
        if self.started.elapsed() >= SHOW_AFTER && !self.shown.swap(true, Ordering::Relaxed) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_disabled_bar_counts_nothing_and_draws_nothing() {
        let bar = Bar::new(false);
        bar.begin(3);
        bar.advance();
        bar.clear();
        assert!(bar.bar.is_none());
        assert!(!bar.shown.load(Ordering::Relaxed));
    }

    #[test]
    fn an_enabled_bar_stays_hidden_for_a_quick_scan() {
        let bar = Bar::new(true);
        bar.begin(2);
        bar.advance();
        let inner = bar.bar.as_ref().expect("enabled");
        assert_eq!(inner.position(), 1);
        assert_eq!(inner.length(), Some(2));
        assert!(!bar.shown.load(Ordering::Relaxed), "shown before {SHOW_AFTER:?}");
        assert!(inner.is_hidden());
    }
}
