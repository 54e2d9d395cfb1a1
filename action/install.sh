#!/usr/bin/env bash
# Installs preflight for the GitHub Action: a prebuilt release binary for the
# runner when the action's ref has one, else a cargo build of the action's own
# checkout (cached between runs by the action's cache step).
# Env: ACTION_PATH (the action checkout), ACTION_REF, ACTION_REPOSITORY, RUNNER_OS, RUNNER_ARCH.
set -euo pipefail
bin_dir="${PREFLIGHT_INSTALL_DIR:-$HOME/.preflight/bin}"
mkdir -p "$bin_dir"
echo "$bin_dir" >> "${GITHUB_PATH:-/dev/null}"
export PATH="$bin_dir:$PATH"

# What the binary must be built from: the action's release ref, or for a
# local action (`uses: ./`, no ref) the content of its checkout. A cached
# binary from anything else is never reused.
if [ -n "${ACTION_REF:-}" ] && [ -n "${ACTION_REPOSITORY:-}" ]; then
  source_id="${ACTION_REPOSITORY}@${ACTION_REF}"
else
  source_id="checkout-$(cd "${ACTION_PATH:?}" && find Cargo.lock Cargo.toml src checks -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
fi
if [ -x "$bin_dir/preflight" ] && [ "$source_id" = "$(cat "$bin_dir/.source" 2>/dev/null)" ]; then
  echo "preflight: cached $("$bin_dir/preflight" --version) ($source_id)"
  exit 0
fi

# 1. A prebuilt binary attached to the release of this ref (tags only).
case "${RUNNER_OS:-Linux}-${RUNNER_ARCH:-X64}" in
  Linux-X64) target=x86_64-unknown-linux-gnu ;;
  Linux-ARM64) target=aarch64-unknown-linux-gnu ;;
  macOS-ARM64) target=aarch64-apple-darwin ;;
  macOS-X64) target=x86_64-apple-darwin ;;
  *) target="" ;;
esac
if [ -n "$target" ] && [ -n "${ACTION_REF:-}" ] && [ -n "${ACTION_REPOSITORY:-}" ] && command -v curl >/dev/null; then
  url="https://github.com/${ACTION_REPOSITORY}/releases/download/${ACTION_REF}/preflight-${target}.tar.gz"
  if curl -fsSL "$url" -o "$bin_dir/preflight.tar.gz" 2>/dev/null; then
    tar -xzf "$bin_dir/preflight.tar.gz" -C "$bin_dir" preflight && rm -f "$bin_dir/preflight.tar.gz"
    echo "$source_id" > "$bin_dir/.source"
    echo "preflight: release binary $("$bin_dir/preflight" --version) ($source_id)"
    exit 0
  fi
fi

# 2. Build the action's checkout.
command -v cargo >/dev/null || { echo "preflight: no release binary for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?} and no cargo to build one" >&2; exit 2; }
cargo install --locked --quiet --path "${ACTION_PATH:?}" --root "$bin_dir/.." --force
echo "$source_id" > "$bin_dir/.source"
echo "preflight: built $("$bin_dir/preflight" --version) ($source_id)"
