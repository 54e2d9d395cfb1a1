#!/usr/bin/env bash
# Writes the AWS provider's schema (every resource type, its attributes and
# blocks, which are optional / computed / required) as JSON, offline, from the
# provider in a filesystem mirror — the source of truth for Terraform
# mappings: scripts/provider-schema.sh > aws-schema.json
# Needs terraform and the AWS provider in PREFLIGHT_TF_PLUGINS (default /opt/tf-plugins).
set -euo pipefail
# shellcheck source=scripts/offline-terraform.sh
source "$(dirname "$0")/offline-terraform.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/main.tf" <<'TF'
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
TF
offline_terraform "$work"
cd "$work"
terraform init -input=false -no-color >/dev/null
terraform providers schema -json
