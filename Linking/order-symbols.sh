#!/usr/bin/env bash
# Regenerates Linking/loket.order: every function of the release `loket` binary that runs while
# the bot starts and answers a burst of /saldo through the benchmark's fake Bot API, in the order
# they first run. The release link (Package.swift, `releaseServerLinking`) places them first, so
# the code the bot keeps touching fills a few megabytes instead of being spread over the whole
# binary. Run it after changes that rename or add much of the bot's hot code, then compare
# `loket-bench pipeline` before and after (BENCHMARKS.md). Needs valgrind (apt install valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v valgrind >/dev/null || { echo "order-symbols: valgrind is missing (apt install valgrind)" >&2; exit 1; }
swift build -c release --static-swift-stdlib
bin="$(swift build -c release --static-swift-stdlib --show-bin-path)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# valgrind 3.19 cannot read DWARF 5; the symbol table is all it needs.
strip --strip-debug -o "$work/loket.real" "$bin/loket"
cp "$bin/loket-bench" "$work/"
cat >"$work/loket" <<EOF
#!/bin/sh
exec valgrind --tool=callgrind --demangle=no --compress-strings=no \
  --callgrind-out-file="$work/callgrind.out" "$work/loket.real" "\$@"
EOF
chmod +x "$work/loket"

# loket-bench runs the `loket` next to it: here, the one under callgrind (about 60 times slower).
"$work/loket-bench" pipeline --chats 50 --rounds 2 --loket-only

# Functions of the loket binary itself, first appearance first, recursion marks ('2) dropped.
awk '/^ob=/ { ours = ($0 ~ /\/loket\.real$/) }
     /^fn=/ && ours { name = substr($0, 4); sub(/'"'"'[0-9]+$/, "", name); if (!(name in seen)) { seen[name] = 1; print name } }' \
  "$work/callgrind.out" >Linking/loket.order
# SwiftPM does not know the list is an input of the link: drop the binary so the next build relinks.
rm -f "$bin/loket"
echo "order-symbols: $(wc -l <Linking/loket.order) functions in Linking/loket.order; swift build -c release --static-swift-stdlib relinks loket"
