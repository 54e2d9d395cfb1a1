//! The command-line grammar (clap derive). Semantics live in the parent module.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::checks::Severity;
use crate::report::Output;

/// Static security scanner for AWS infrastructure code (CloudFormation, SAM).
#[derive(Debug, Parser)]
// The version names the commit and its date when built from git (build.rs).
#[command(name = "preflight", version = env!("PREFLIGHT_VERSION"), about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and directories for infrastructure code and check it.
    Scan(Box<ScanArgs>),
    /// List the checks (`preflight checks lint DIR` compiles your own).
    Checks {
        #[command(subcommand)]
        action: Option<ChecksAction>,
        /// Load additional checks from this directory.
        #[arg(long = "checks", value_name = "DIR")]
        checks_dir: Option<PathBuf>,
        /// List a framework's controls and the checks that cover each
        /// (cis-aws-1.2, securityhub, well-architected).
        #[arg(long, value_name = "FRAMEWORK")]
        framework: Option<String>,
        /// `json` for tooling: every check's id, slug, title, severity,
        /// frameworks, aliases and the formats it covers (with --framework:
        /// the controls and their checks).
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Explain a check: what, why, how to fix, and its references.
    Explain {
        /// A check id (PF-S3-04) or slug.
        id: String,
        #[arg(long = "checks", value_name = "DIR")]
        checks_dir: Option<PathBuf>,
        /// Show this language's remediation example first.
        #[arg(long = "for", value_name = "LANGUAGE")]
        dialect: Option<crate::checks::Dialect>,
    },
    /// Print the completion script of a shell (bash, zsh, fish, powershell, elvish).
    ///
    /// For example `preflight completions bash >
    /// ~/.local/share/bash-completion/completions/preflight`, `preflight
    /// completions zsh > ~/.zfunc/_preflight` (a directory on `fpath`), or
    /// `preflight completions fish > ~/.config/fish/completions/preflight.fish`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a man page (roff): preflight(1), or a command's (preflight-scan(1) for `scan`).
    ///
    /// For example `preflight man | man -l -`, or `preflight man scan >
    /// /usr/local/share/man/man1/preflight-scan.1`.
    Man {
        /// The command whose page to print [default: preflight itself].
        command: Option<String>,
    },
}

/// What `preflight checks` does besides listing.
#[derive(Debug, Subcommand)]
pub enum ChecksAction {
    /// Compile the check files of a directory and report every problem.
    ///
    /// Checks, variants and predicate libraries are read as `--checks DIR`
    /// reads them; each problem is printed as `file:line:col: message`:
    /// syntax, unknown resource types and property paths, unknown predicates,
    /// mistyped and (as warnings) unused params. Exit 0 when there is no
    /// error, 2 otherwise.
    Lint {
        /// The directory, as given to `--checks`.
        dir: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// A report to write, as FORMAT or FORMAT:PATH; repeatable, so one scan
    /// writes several (`--format text --format sarif:results.sarif`).
    /// FORMAT is text, json, sarif, markdown, junit or gitlab-sast. A report
    /// without a PATH goes to standard output (or --output): at most one may.
    /// [default: text, or the config file's `format`]
    #[arg(long, value_name = "FORMAT[:PATH]", value_parser = OutputParser)]
    pub format: Vec<Output>,
    /// Write the report that has no PATH of its own to this file instead of
    /// standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The lowest severity of a failure that makes the exit code 1 [default: low, or the config file's].
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub severity_threshold: Option<Severity>,
    /// Run only these checks (ids or slugs, comma-separated).
    #[arg(long = "check", value_delimiter = ',', value_name = "ID")]
    pub only: Vec<String>,
    /// Skip these checks (ids or slugs, comma-separated).
    #[arg(long = "skip-check", value_delimiter = ',', value_name = "ID")]
    pub skip: Vec<String>,
    /// A template parameter value, as Key=Value (repeatable); wins over --params.
    #[arg(long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,
    /// Parameter values from a JSON file: the AWS CLI's [{ParameterKey, ParameterValue}] or {Key: Value}.
    #[arg(long = "params", value_name = "FILE")]
    pub params_file: Option<PathBuf>,
    /// Load additional checks from this directory.
    #[arg(long = "checks", value_name = "DIR")]
    pub checks_dir: Option<PathBuf>,
    /// A Terraform variable value, as name=value (repeatable); wins over variable files.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub tf_vars: Vec<String>,
    /// A Terraform variable file (`.tfvars` or `.tfvars.json`), after terraform.tfvars and *.auto.tfvars.
    #[arg(long = "var-file", value_name = "FILE")]
    pub tf_var_files: Vec<PathBuf>,
    /// The `.tf` sources of the plans scanned, to report findings on them
    /// (default: a plan's own directory when it holds `.tf` files).
    #[arg(long = "tf-source", value_name = "DIR")]
    pub tf_source: Option<PathBuf>,
    /// Skip files larger than this many bytes [default: 50 MiB, or the config file's].
    #[arg(long, value_name = "BYTES")]
    pub max_file_size: Option<u64>,
    /// The config file [default: .preflight.toml in the scanned directory or above].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any config file.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Also write a Markdown summary (counts per severity, top findings) to this file.
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
    /// Hide the findings recorded in this baseline file (they stay in the
    /// report as suppressed); only new findings fail.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record this scan's findings as the accepted baseline (keyed on paths
    /// relative to the repository root); the scan then exits 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Warn about suppression comments that match no finding.
    #[arg(long)]
    pub report_unused_ignores: bool,
    /// Also run the account-baseline existence checks (a multi-region trail,
    /// the CIS 3.x alarms, Config, GuardDuty, ...) over everything scanned:
    /// use it when the scanned code is the whole account baseline.
    #[arg(long, value_enum, value_name = "PROFILE")]
    pub profile: Option<Profile>,
    /// The AWS region of inputs that do not state one (plain templates;
    /// CDK stacks and Terraform providers say theirs).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Run the checks of this compliance framework only, and add a
    /// per-control compliance summary (cis-aws-1.2, securityhub, well-architected).
    #[arg(long, value_name = "FRAMEWORK")]
    pub framework: Option<String>,
    /// Exit 0 when the scanned directories hold no infrastructure code
    /// (monorepos), rather than 2 [default: the config file's allow_empty].
    #[arg(long)]
    pub allow_empty: bool,
    /// Never colour the text output.
    #[arg(long)]
    pub no_color: bool,
    /// Text output: the findings and the summary only (input errors still show).
    #[arg(long, short = 'q', conflicts_with = "compact")]
    pub quiet: bool,
    /// Text output: one line per finding, then the summary (for hooks and logs).
    #[arg(long)]
    pub compact: bool,
    /// Text output: also what a run usually leaves out (checks not run by the
    /// profile when nothing account-level was scanned).
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Never show the progress bar (it shows only on a terminal, outside CI,
    /// when a scan takes more than a moment).
    #[arg(long)]
    pub no_progress: bool,
}

/// How `preflight checks` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    /// A table for people.
    Text,
    /// One JSON object, for tooling.
    Json,
}

/// Opt-in evaluation profiles (`catalog.md` section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Profile {
    /// Deployment-scope checks over the union of everything scanned.
    AccountBaseline,
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    Severity::parse(text).ok_or_else(|| format!("\"{text}\" is not low, medium, high or critical"))
}

/// Parses `--format FORMAT[:PATH]`, and offers the format names to shell
/// completion (a plain function parser would offer file names).
#[derive(Clone)]
struct OutputParser;

impl clap::builder::TypedValueParser for OutputParser {
    type Value = Output;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Output, clap::Error> {
        let text = value
            .to_str()
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidUtf8).with_cmd(cmd))?;
        Output::parse(text).map_err(|message| {
            let name = arg.map(|a| a.to_string()).unwrap_or_else(|| "--format".into());
            clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!("invalid value '{text}' for '{name}': {message}\n"),
            )
            .with_cmd(cmd)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        use clap::ValueEnum;
        Some(Box::new(
            crate::report::Format::value_variants()
                .iter()
                .filter_map(|f| f.to_possible_value()),
        ))
    }
}
