//! The `preflight` binary: argument parsing and exit codes live in `cli`.

// Parsing allocates many small nodes; mimalloc is markedly faster than the
// system allocator at that (measured in bench/RESULTS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let code = preflight::cli::run(
        std::env::args_os(),
        &mut std::io::stdout().lock(),
        // Not locked for the whole run: the progress bar draws on it from worker threads.
        &mut std::io::stderr(),
        preflight::cli::Terminal::detect(),
    );
    std::process::exit(code);
}
