#!/usr/bin/env bash
# Installs preflight for the GitHub Action: the release binary for the runner
# when the action's ref is a release that has one (installed only when its
# SHA-256 matches the release's SHA256SUMS), else a cargo build of the
# action's own checkout; cached between runs by the action's cache step.
# Env: ACTION_PATH (the action checkout), ACTION_REF, ACTION_REPOSITORY, RUNNER_OS, RUNNER_ARCH;
# PREFLIGHT_INSTALL_DIR (default ~/.preflight/bin); PREFLIGHT_RELEASE_URL, where the
# release's assets are (default: the GitHub release of ACTION_REF).
set -euo pipefail
bin_dir="${PREFLIGHT_INSTALL_DIR:-$HOME/.preflight/bin}"
mkdir -p "$bin_dir"
# Later steps may run in PowerShell or cmd: on Windows the runner reads
# $GITHUB_PATH entries as Windows paths (C:\Users\...), not Git Bash's /c/Users/....
path_entry="$bin_dir"
if [ "${RUNNER_OS:-}" = Windows ] && command -v cygpath >/dev/null; then
  path_entry="$(cygpath -w "$bin_dir")"
fi
echo "$path_entry" >> "${GITHUB_PATH:-/dev/null}"
export PATH="$bin_dir:$PATH"
exe=""
[ "${RUNNER_OS:-}" = Windows ] && exe=".exe"
binary="$bin_dir/preflight$exe"

# What the binary must be built from: the action's release ref, or for a
# local action (`uses: ./`, no ref) the content of its checkout. A cached
# binary from anything else is never reused.
if [ -n "${ACTION_REF:-}" ] && [ -n "${ACTION_REPOSITORY:-}" ]; then
  source_id="${ACTION_REPOSITORY}@${ACTION_REF}"
else
  source_id="checkout-$(cd "${ACTION_PATH:?}" && find Cargo.lock Cargo.toml src checks -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
fi
if [ -x "$binary" ] && [ "$source_id" = "$(cat "$bin_dir/.source" 2>/dev/null)" ]; then
  echo "preflight: cached $("$binary" --version) ($source_id)"
  exit 0
fi

# 1. The binary attached to the release of this ref, for this runner (the
# assets .github/workflows/release.yml uploads).
case "${RUNNER_OS:-Linux}-${RUNNER_ARCH:-X64}" in
  Linux-X64) target=x86_64-unknown-linux-musl ;;
  Linux-ARM64) target=aarch64-unknown-linux-musl ;;
  macOS-ARM64) target=aarch64-apple-darwin ;;
  macOS-X64) target=x86_64-apple-darwin ;;
  Windows-X64) target=x86_64-pc-windows-msvc ;;
  *) target="" ;;
esac
case "$target" in
  *-windows-*) archive="preflight-$target.zip" ;;
  *) archive="preflight-$target.tar.gz" ;;
esac
release_url="${PREFLIGHT_RELEASE_URL:-}"
if [ -z "$release_url" ] && [ -n "${ACTION_REF:-}" ] && [ -n "${ACTION_REPOSITORY:-}" ]; then
  release_url="https://github.com/${ACTION_REPOSITORY}/releases/download/${ACTION_REF}"
fi

sha256() {
  if command -v sha256sum >/dev/null; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

unpack() { # ARCHIVE DIR
  case "$1" in
    *.zip)
      if command -v unzip >/dev/null; then
        unzip -q "$1" -d "$2"
      elif command -v 7z >/dev/null; then
        7z x -bd -y "-o$2" "$1" >/dev/null
      else
        powershell -NoProfile -Command "Expand-Archive -LiteralPath '$1' -DestinationPath '$2'"
      fi
      ;;
    *) tar -xzf "$1" -C "$2" ;;
  esac
}

if [ -n "$target" ] && [ -n "$release_url" ] && command -v curl >/dev/null; then
  download="$(mktemp -d)"
  trap 'rm -rf "$download"' EXIT
  if curl -fsSL --retry 3 "$release_url/$archive" -o "$download/$archive" 2>/dev/null; then
    # The release has a binary for this runner: it is installed verified or
    # not at all (a mismatch is never papered over by building instead).
    if ! curl -fsSL --retry 3 "$release_url/SHA256SUMS" -o "$download/SHA256SUMS" 2>/dev/null; then
      echo "preflight: $release_url has $archive but no SHA256SUMS to verify it against" >&2
      exit 2
    fi
    expected="$(awk -v name="$archive" '$2 == name || $2 == "*" name { print $1 }' "$download/SHA256SUMS")"
    actual="$(sha256 "$download/$archive")"
    if [ -z "$expected" ]; then
      echo "preflight: SHA256SUMS of $release_url does not list $archive" >&2
      exit 2
    fi
    if [ "$expected" != "$actual" ]; then
      echo "preflight: $archive does not match SHA256SUMS (expected $expected, got $actual): not installed" >&2
      exit 2
    fi
    unpack "$download/$archive" "$download"
    cp "$download/preflight-$target/preflight$exe" "$binary"
    chmod +x "$binary"
    echo "$source_id" > "$bin_dir/.source"
    echo "preflight: release binary $("$binary" --version) ($source_id, $archive sha256 $actual)"
    exit 0
  fi
  echo "preflight: no release binary $archive at $release_url; building the action's checkout"
fi

# 2. Build the action's checkout.
command -v cargo >/dev/null || { echo "preflight: no release binary for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?} and no cargo to build one" >&2; exit 2; }
cargo install --locked --quiet --path "${ACTION_PATH:?}" --root "$bin_dir/.." --force
echo "$source_id" > "$bin_dir/.source"
echo "preflight: built $("$binary" --version) ($source_id)"
