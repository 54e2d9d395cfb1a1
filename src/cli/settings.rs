//! What a scan runs with: the command line over the config file over the
//! built-in defaults.

use std::collections::HashMap;
use std::path::PathBuf;

use clap::ValueEnum;

use super::args::{Profile, ScanArgs};
use crate::checks::{Registry, Severity};
use crate::config::{self, Config};
use crate::report::{Format, Output};
use crate::scan::ScanOptions;

/// Default `--max-file-size`.
const MAX_FILE_SIZE: u64 = 50 * 1024 * 1024;

/// Everything `preflight scan` needs, settled.
pub struct Settings {
    pub registry: Registry,
    pub options: ScanOptions,
    /// The reports to write, each from the same scan; at most one without
    /// a path (standard output, or `--output`).
    pub outputs: Vec<Output>,
    pub threshold: Severity,
    /// `--framework`: the compliance summary to add.
    pub framework: Option<crate::checks::framework::Framework>,
    /// Finding no infrastructure code in the scanned directories is not an error.
    pub allow_empty: bool,
}

/// Merges the flags of `args` over the config file (if any) over the defaults.
pub fn settle(args: &ScanArgs) -> Result<Settings, String> {
    let config = match (&args.config, args.no_config) {
        (_, true) => Config::default(),
        (Some(path), _) => Config::load(path)?,
        (None, _) => {
            let start = args.paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
            match Config::find(&start) {
                Some(path) => Config::load(&path)?,
                None => Config::default(),
            }
        }
    };
    let checks_dir = args
        .checks_dir
        .clone()
        .or_else(|| config.checks.dir.as_ref().map(|d| config.path(d)));
    let mut registry = super::registry(checks_dir.as_ref())?;
    config.apply_to(&mut registry)?;
    let mut waivers = Vec::new();
    for external in &config.baseline.external {
        if registry.get(&external.check).is_none() {
            return Err(format!(
                "{}: [[baseline.external]] names unknown check {}",
                config::FILE_NAME,
                external.check
            ));
        }
        waivers.push(crate::checks::deployment::Waiver {
            check: external.check.clone(),
            reason: external.reason.clone(),
        });
    }
    // Flags replace the file's selection rather than adding to it.
    let (only, skip) = if args.only.is_empty() && args.skip.is_empty() {
        (config.checks.enable.clone(), config.checks.disable.clone())
    } else {
        (args.only.clone(), args.skip.clone())
    };
    registry.select(&only, &skip)?;
    let framework = match &args.framework {
        Some(id) => {
            let framework = crate::checks::framework::Framework::builtin(id)?;
            registry.retain_framework(&framework.id);
            Some(framework)
        }
        None => None,
    };

    let mut parameters = match &args.params_file {
        Some(path) => config::read_parameter_file(path)?,
        None => HashMap::new(),
    };
    for pair in &args.params {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("--param {pair}: expected Key=Value"))?;
        parameters.insert(key.to_string(), value.to_string());
    }
    let mut tf_vars: HashMap<String, String> = config
        .terraform
        .vars
        .iter()
        .map(|(k, v)| (k.clone(), config::scalar(v)))
        .collect();
    for pair in &args.tf_vars {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("--var {pair}: expected name=value"))?;
        tf_vars.insert(key.to_string(), value.to_string());
    }
    let mut tf_var_files: Vec<PathBuf> = config
        .terraform
        .var_files
        .iter()
        .map(|f| config.path(f))
        .collect();
    tf_var_files.extend(args.tf_var_files.iter().cloned());

    let outputs = outputs(args, &config)?;
    let threshold = match (args.severity_threshold, &config.scan.severity_threshold) {
        (Some(severity), _) => severity,
        (None, Some(name)) => Severity::parse(name).ok_or_else(|| {
            format!(
                "{}: [scan] severity_threshold \"{name}\" is not low, medium, high or critical",
                config::FILE_NAME
            )
        })?,
        (None, None) => Severity::Low,
    };
    let profile = match (args.profile, &config.scan.profile) {
        (Some(profile), _) => Some(profile),
        (None, Some(name)) => Some(flag_value::<Profile>("profile", name)?),
        (None, None) => None,
    };
    let account_baseline = profile == Some(Profile::AccountBaseline);
    let options = ScanOptions {
        paths: args.paths.clone(),
        parameters,
        max_file_size: args
            .max_file_size
            .or(config.scan.max_file_size)
            .unwrap_or(MAX_FILE_SIZE),
        tf_vars,
        tf_var_files,
        tf_source: args.tf_source.clone(),
        baseline: args
            .baseline
            .clone()
            .or_else(|| config.scan.baseline.as_ref().map(|b| config.path(b))),
        report_unused_ignores: args.report_unused_ignores,
        exclude: config
            .scan
            .exclude
            .iter()
            .map(|p| config.path(p.as_ref()).to_string_lossy().into_owned())
            .collect(),
        template_parameters: config.template_parameters()?,
        account_baseline,
        waivers,
        region: args.region.clone(),
        baseline_regions: config.baseline.regions.clone(),
    };
    Ok(Settings {
        registry,
        options,
        outputs,
        threshold,
        framework,
        allow_empty: args.allow_empty || config.scan.allow_empty,
    })
}

/// The reports of `--format` (each `FORMAT[:PATH]`), else the config file's
/// `format` (one or a list, paths relative to the file), else text; with
/// `--output` as the file of the one without a path.
fn outputs(args: &ScanArgs, config: &Config) -> Result<Vec<Output>, String> {
    let outputs = if !args.format.is_empty() {
        args.format.clone()
    } else if let Some(written) = &config.scan.format {
        let mut outputs = Vec::new();
        for text in written {
            let mut output = match text.split_once(':') {
                None => Output {
                    format: flag_value::<Format>("format", text)?,
                    path: None,
                },
                Some(_) => {
                    Output::parse(text).map_err(|e| format!("{}: [scan] format: {e}", config::FILE_NAME))?
                }
            };
            output.path = output.path.map(|p| config.path(&p));
            outputs.push(output);
        }
        if outputs.is_empty() {
            return Err(format!(
                "{}: [scan] format: the list is empty (name at least one of {})",
                config::FILE_NAME,
                Format::names().join(", ")
            ));
        }
        outputs
    } else {
        vec![Output {
            format: Format::Text,
            path: None,
        }]
    };
    let unplaced: Vec<String> = outputs
        .iter()
        .filter(|o| o.path.is_none())
        .map(|o| o.format.name())
        .collect();
    if unplaced.len() > 1 {
        return Err(format!(
            "--format {}: only one report can go to {}; give the others a file (--format {}:PATH)",
            unplaced.join(", --format "),
            if args.output.is_some() {
                "--output"
            } else {
                "standard output"
            },
            unplaced[1],
        ));
    }
    if let (Some(file), true) = (&args.output, unplaced.is_empty()) {
        return Err(format!(
            "--output {}: every --format has a path of its own, so no report would go there",
            file.display()
        ));
    }
    let mut paths: Vec<PathBuf> = outputs
        .iter()
        .filter_map(|o| o.path.clone().or_else(|| args.output.clone()))
        .collect();
    paths.sort();
    if let Some(twice) = paths.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!(
            "{}: two reports would be written to the same file",
            twice[0].display()
        ));
    }
    Ok(outputs)
}

/// A `[scan]` value of the config file read as the flag of the same name
/// reads it: the accepted values are clap's, never a second list.
fn flag_value<T: ValueEnum>(key: &str, written: &str) -> Result<T, String> {
    T::from_str(written, false).map_err(|_| {
        let accepted: Vec<String> = T::value_variants()
            .iter()
            .filter_map(T::to_possible_value)
            .map(|v| v.get_name().to_string())
            .collect();
        format!(
            "{}: [scan] {key} \"{written}\" is not one of {}",
            config::FILE_NAME,
            accepted.join(", ")
        )
    })
}
