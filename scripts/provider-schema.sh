#!/usr/bin/env bash
# Writes the AWS provider's schema (every resource type, its attributes and
# blocks, which are optional / computed / required) as JSON, offline, from the
# provider in a filesystem mirror — the source of truth for Terraform
# mappings: scripts/provider-schema.sh > aws-schema.json
# Needs terraform and the AWS provider in PREFLIGHT_TF_PLUGINS (default /opt/tf-plugins).
set -euo pipefail
plugins=${PREFLIGHT_TF_PLUGINS:-/opt/tf-plugins}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/main.tf" <<'TF'
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
TF
cat >"$work/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$plugins"
    include = ["registry.terraform.io/*/*"]
  }
  direct { exclude = ["registry.terraform.io/*/*"] }
}
RC
cd "$work"
export TF_CLI_CONFIG_FILE="$work/terraformrc"
terraform init -input=false -no-color >/dev/null
terraform providers schema -json
