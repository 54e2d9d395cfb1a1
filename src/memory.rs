//! Returning memory to the operating system between the phases of a large scan.
//!
//! The binary's allocator (mimalloc, `main.rs`) keeps freed pages for reuse
//! by the thread that freed them. A big plan is read, lifted and checked in
//! phases whose temporaries differ in shape, so each phase would otherwise
//! add its own pages to the peak: the text and parse trees of a 22 MB plan
//! are freed before its graph is built, and the graph before the report is
//! rendered on another thread.

/// Inputs from this size up return their freed memory between phases (a
/// forced collection costs about a millisecond; small files never pay it).
pub const LARGE_INPUT: usize = 4 << 20;

/// Hands the pages freed so far back to the operating system.
pub fn release_freed() {
    // SAFETY: `mi_collect` takes no pointers and may be called at any time,
    // from any thread; without mimalloc as the global allocator it has nothing to do.
    unsafe { libmimalloc_sys::mi_collect(true) }
}
