#!/usr/bin/env bash
# Compiles every probe (*.bpf.c) into a CO-RE object, stripped of DWARF, under the collector's
# resources, where the jar picks them up. The objects are committed so a machine without clang
# builds and runs; `build.sh --check` rebuilds into a temp dir and fails when a committed object
# is stale against its source (the Maven build runs it whenever clang is present).
#
# vmlinux.h was generated with: bpftool btf dump file /sys/kernel/btf/vmlinux format c
set -euo pipefail
src="$(cd "$(dirname "$0")" && pwd)"
out="$src/../resources/dev/bpfstream/collector/bpf"
mode="${1:-build}"
clang="${CLANG:-clang}"
strip="${LLVM_STRIP:-$(command -v llvm-strip || command -v llvm-strip-14 || echo llvm-strip)}"

if ! command -v "$clang" >/dev/null; then
  echo "bpf: clang not found; using the committed objects (install clang libbpf-dev to rebuild)" >&2
  [ "$mode" = "--check" ] && exit 0
  exit 1
fi

target="$out"
if [ "$mode" = "--check" ]; then
  target="$(mktemp -d)"
  trap 'rm -rf "$target"' EXIT
fi
mkdir -p "$target"

cd "$src"
for c in *.bpf.c; do
  name="${c%.c}"
  "$clang" -g -O2 -target bpf -D__TARGET_ARCH_x86 -I. -I/usr/include/x86_64-linux-gnu \
    -fdebug-prefix-map="$src"=. -Wall -Wno-unused-function -c "$c" -o "$target/$name.o"
  "$strip" -g "$target/$name.o"
done

if [ "$mode" = "--check" ]; then
  stale=0
  for o in "$target"/*.o; do
    if ! cmp -s "$o" "$out/$(basename "$o")"; then
      echo "bpf: $(basename "$o") is stale against its source: run collector/src/main/bpf/build.sh and commit" >&2
      stale=1
    fi
  done
  for o in "$out"/*.o; do
    [ -e "$target/$(basename "$o")" ] || { echo "bpf: $(basename "$o") has no source" >&2; stale=1; }
  done
  exit $stale
fi
echo "bpf: built $(ls "$target"/*.o | wc -l) objects in $target"
