//! The `preflight` binary: argument parsing and exit codes live in `cli`.

use std::io::IsTerminal;

fn main() {
    let stdout = std::io::stdout();
    let color = stdout.is_terminal();
    let code = preflight::cli::run(
        std::env::args_os(),
        &mut stdout.lock(),
        &mut std::io::stderr().lock(),
        color,
    );
    std::process::exit(code);
}
