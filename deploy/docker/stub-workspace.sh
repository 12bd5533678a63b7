#!/bin/sh
# Gives every crate of the workspace empty sources, keeping only the manifests, so
# that the image's first `cargo build` compiles the dependencies alone, in a layer
# that is rebuilt only when a Cargo.toml or Cargo.lock changes.
#
# Usage: stub-workspace.sh [ROOT]   (ROOT holds Cargo.toml, Cargo.lock and crates/*/Cargo.toml)
#
# Each crate gets an empty src/lib.rs, and every target its manifest declares
# ([[bin]], [[bench]], [[test]], [[example]]) a file with an empty main at its path,
# since cargo refuses a manifest naming a file that does not exist.
set -eu

cd "${1:-.}"

for manifest in crates/*/Cargo.toml; do
    dir=${manifest%/Cargo.toml}
    mkdir -p "$dir/src"
    : >"$dir/src/lib.rs"
    awk '
        function flush() {
            if (kind != "") {
                if (path == "") path = dirs[kind] "/" name ".rs"
                print path
            }
            kind = ""; name = ""; path = ""
        }
        function quoted(line) { sub(/^[^"]*"/, "", line); sub(/".*$/, "", line); return line }
        BEGIN { dirs["bin"] = "src/bin"; dirs["bench"] = "benches"; dirs["test"] = "tests"; dirs["example"] = "examples" }
        /^\[\[(bin|bench|test|example)\]\]/ { flush(); kind = $0; gsub(/[][]/, "", kind); next }
        /^\[/ { flush(); next }
        kind != "" && /^name[ \t]*=/ { name = quoted($0) }
        kind != "" && /^path[ \t]*=/ { path = quoted($0) }
        END { flush() }
    ' "$manifest" | while IFS= read -r target; do
        mkdir -p "$dir/$(dirname "$target")"
        echo 'fn main() {}' >"$dir/$target"
    done
done
