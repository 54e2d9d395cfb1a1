# shellcheck shell=bash
# Sourced by the scripts that run terraform offline: points terraform at the
# AWS provider in a filesystem mirror (PREFLIGHT_TF_PLUGINS, default
# /opt/tf-plugins) through a CLI config written into directory $1.
offline_terraform() {
  local plugins=${PREFLIGHT_TF_PLUGINS:-/opt/tf-plugins}
  cat >"$1/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$plugins"
    include = ["registry.terraform.io/*/*"]
  }
  direct { exclude = ["registry.terraform.io/*/*"] }
}
RC
  export TF_CLI_CONFIG_FILE="$1/terraformrc"
}
