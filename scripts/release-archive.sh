#!/usr/bin/env bash
# Builds the release binary for one target and packs it as the release asset
# `preflight-TARGET.tar.gz` (`.zip` on Windows) in OUT_DIR, holding a folder
# `preflight-TARGET/` with the binary, README.md, LICENSE, shell completions
# (completions/) and man pages (man/). A Linux binary must be static (musl):
# the script fails otherwise. Prints the archive's path last.
#   scripts/release-archive.sh x86_64-unknown-linux-musl dist
# Used by .github/workflows/release.yml and, for the musl target, by .ci/run.
set -euo pipefail
target="${1:?usage: release-archive.sh TARGET [OUT_DIR]}"
out_dir="${2:-dist}"
cd "$(dirname "$0")/.."

case "$target" in
  *-linux-musl)
    # mimalloc's C code is compiled for musl too: musl-gcc (Debian and
    # Ubuntu: musl-tools) for the machine's own architecture.
    command -v musl-gcc >/dev/null || { echo "release-archive: $target needs musl-gcc (apt-get install musl-tools)" >&2; exit 2; }
    cc_var="CC_$(echo "$target" | tr '-' '_')"
    export "$cc_var=musl-gcc"
    ;;
  *-windows-msvc)
    # The C runtime linked in, so the .exe runs without the Visual C++
    # redistributable installed.
    export RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static"
    ;;
esac

cargo build --release --locked --target "$target"
exe=""
case "$target" in *-windows-*) exe=".exe" ;; esac
binary="target/$target/release/preflight$exe"

case "$target" in
  *-linux-*)
    description="$(file -b "$binary")"
    echo "release-archive: $description"
    case "$description" in
      *"statically linked"* | *"static-pie linked"*) ;;
      *) echo "release-archive: $binary is not statically linked" >&2; exit 1 ;;
    esac
    if ldd "$binary" 2>&1 | grep -q '=>'; then
      echo "release-archive: $binary loads shared libraries:" >&2
      ldd "$binary" >&2
      exit 1
    fi
    ;;
esac

# Completions and man pages come from the binary itself; one built for
# another architecture that this machine cannot run is stood in for by a
# build for this machine (they are the same text).
generator="$binary"
if ! "$generator" --version >/dev/null 2>&1; then
  cargo build --release --locked
  generator="target/release/preflight$exe"
fi

name="preflight-$target"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
dir="$stage/$name"
mkdir -p "$dir/completions" "$dir/man"
cp "$binary" README.md LICENSE "$dir/"
"$generator" completions bash > "$dir/completions/preflight.bash"
"$generator" completions zsh > "$dir/completions/_preflight"
"$generator" completions fish > "$dir/completions/preflight.fish"
"$generator" completions powershell > "$dir/completions/_preflight.ps1"
"$generator" completions elvish > "$dir/completions/preflight.elv"
"$generator" man > "$dir/man/preflight.1"
for command in scan checks explain completions man; do
  "$generator" man "$command" > "$dir/man/preflight-$command.1"
done

mkdir -p "$out_dir"
out_dir="$(cd "$out_dir" && pwd)"
case "$target" in
  *-windows-*)
    archive="$out_dir/$name.zip"
    rm -f "$archive"
    if command -v 7z >/dev/null; then
      (cd "$stage" && 7z a -tzip -bd "$archive" "$name" >/dev/null)
    else
      (cd "$stage" && zip -qr "$archive" "$name")
    fi
    ;;
  *)
    archive="$out_dir/$name.tar.gz"
    tar -czf "$archive" -C "$stage" "$name"
    ;;
esac
echo "$archive"
