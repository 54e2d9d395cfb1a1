#!/usr/bin/env bash
# Writes a Terraform plan fixture from a directory of .tf files with the real
# terraform CLI and AWS provider, offline (no credentials, no API calls):
#   scripts/plan-fixture.sh fixtures/PF-X-01/fail.hcl fixtures/PF-X-01/fail.plan.json
# Needs terraform and the AWS provider in a filesystem mirror
# (PREFLIGHT_TF_PLUGINS, default /opt/tf-plugins).
set -euo pipefail
# shellcheck source=scripts/offline-terraform.sh
source "$(dirname "$0")/offline-terraform.sh"
src=$(cd "$1" && pwd)
out=$(realpath -m "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$src"/. "$work"/
offline_terraform "$work"
# Credentials come from the environment so the plan's provider_config holds none.
if ! grep -qs 'provider "aws"' "$work"/*.tf; then
  cat >"$work/zz_provider.tf" <<'TF'
provider "aws" {
  region                      = "us-east-1"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}
TF
fi
cd "$work"
export AWS_ACCESS_KEY_ID=fixture AWS_SECRET_ACCESS_KEY=fixture
terraform init -input=false -no-color >/dev/null
terraform plan -input=false -refresh=false -no-color -out plan.out >/dev/null
terraform show -json plan.out | python3 -c 'import json,sys; json.dump(json.load(sys.stdin), sys.stdout, indent=2); print()' >"$out"
