//! The `preflight` binary: argument parsing and exit codes live in `cli`.

use std::io::IsTerminal;

// Parsing allocates many small nodes; mimalloc is markedly faster than the
// system allocator at that (measured in bench/RESULTS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
