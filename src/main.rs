//! The `preflight` binary: argument parsing and exit codes live in `cli`.

// Parsing allocates many small nodes; mimalloc is markedly faster than the
// system allocator at that (measured in bench/RESULTS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    without_transparent_huge_pages();
    let code = preflight::cli::run(
        std::env::args_os(),
        &mut std::io::stdout().lock(),
        // Not locked for the whole run: the progress bar draws on it from worker threads.
        &mut std::io::stderr(),
        preflight::cli::Terminal::detect(),
    );
    std::process::exit(code);
}

/// A scan is short and allocates many small objects: transparent huge pages
/// only make its resident memory coarser (2 MiB per region touched). Without
/// them a 50,000-resource plan peaks about 40 MB lower at the same speed
/// (bench/RESULTS.md). Applies to the memory already mapped too.
fn without_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
