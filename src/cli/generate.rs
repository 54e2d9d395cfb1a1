//! What is generated from the command-line grammar itself: shell completion
//! scripts and man pages, so they never disagree with the options.

use std::io::Write;

use clap::CommandFactory;

use super::EXIT_CLEAN;
use super::args::Cli;

/// Writes the completion script of `shell` for the `preflight` binary.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> std::io::Result<i32> {
    // Generated whole first: the generators panic on a write error, and a
    // reader that went away (`| head`) is not an error.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "preflight", &mut script);
    out.write_all(&script).map(|()| EXIT_CLEAN)
}

/// The man page (roff) of preflight, or of one of its visible commands
/// (`scan` gives preflight-scan(1), which preflight(1) refers to).
pub fn man_page(command: Option<&str>) -> Result<Vec<u8>, String> {
    let mut cli = Cli::command().disable_help_subcommand(true);
    // Gives each subcommand its page name (`preflight-scan`).
    cli.build();
    let page = match command {
        None => cli,
        Some(name) => {
            let visible: Vec<&clap::Command> = cli.get_subcommands().filter(|c| !c.is_hide_set()).collect();
            match visible.iter().find(|c| c.get_name() == name) {
                Some(sub) => (*sub).clone(),
                None => {
                    let names: Vec<&str> = visible.iter().map(|c| c.get_name()).collect();
                    return Err(format!(
                        "no man page for \"{name}\" (the commands are {})",
                        names.join(", ")
                    ));
                }
            }
        }
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page)
        // The version of the whole program, on every page (subcommands have none).
        .source(format!("preflight {}", env!("PREFLIGHT_VERSION")))
        .manual("preflight manual")
        .render(&mut roff)
        .map_err(|e| e.to_string())?;
    Ok(roff)
}
