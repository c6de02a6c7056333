#!/usr/bin/env bash
# Compiles every probe (*.bpf.c) into a CO-RE object, stripped of DWARF, under the collector's
# resources, where the jar picks them up, and writes objects.stamp there: the clang that built them
# and a digest of every source they were built from. The objects are committed so a machine
# without clang builds and runs.
#
# `build.sh --check` (the Maven build runs it) fails when a committed object is stale:
#   - its sources changed since it was built (digest), whichever clang is here, or none;
#   - with the clang that built the objects: when rebuilding any of them gives other bytes.
# Another clang version would give other bytes from the same sources, so then only the digest is
# compared (and it says so). Without clang it compares the digest too, and under CI
# (BPFSTREAM_REQUIRE_ALL=1, where clang is installed) a missing clang fails.
#
# vmlinux.h was generated with: bpftool btf dump file /sys/kernel/btf/vmlinux format c
set -euo pipefail
src="$(cd "$(dirname "$0")" && pwd)"
out="$src/../resources/dev/bpfstream/collector/bpf"
stamp="$out/objects.stamp"
mode="${1:-build}"
clang="${CLANG:-clang}"
strip="${LLVM_STRIP:-$(command -v llvm-strip || command -v llvm-strip-14 || echo llvm-strip)}"
fix="run collector/src/main/bpf/build.sh (needs clang llvm libbpf-dev) and commit the objects"

# The inputs of the objects, one "sha256 file" line each: sources, headers and this script.
digest() {
  (cd "$src" && sha256sum -- *.bpf.c *.h build.sh | awk '{print "sha256 " $2 " " $1}')
}

recorded_clang() {
  sed -n 's/^clang: //p' "$stamp" 2>/dev/null
}

# Fails, naming the files, when the sources are not those the objects were built from.
check_digest() {
  local changed
  changed="$( (diff <(grep '^sha256 ' "$stamp" 2>/dev/null) <(digest) || true) | sed -n 's/^[<>] sha256 \([^ ]*\) .*/\1/p' | sort -u | tr '\n' ' ')"
  if [ -n "$changed" ]; then
    echo "bpf: the committed objects were not built from these sources (changed: ${changed% }): $fix" >&2
    exit 1
  fi
}

if ! command -v "$clang" >/dev/null; then
  if [ "$mode" = "--check" ]; then
    if [ "${BPFSTREAM_REQUIRE_ALL:-}" = "1" ]; then
      echo "bpf: clang not found: the committed objects must be rebuilt and compared here (apt-get install clang llvm libbpf-dev)" >&2
      exit 1
    fi
    check_digest
    echo "bpf: clang not found; the committed objects match their sources by digest (built by $(recorded_clang)); bytes not re-checked" >&2
    exit 0
  fi
  echo "bpf: clang not found; install clang llvm libbpf-dev to rebuild the objects" >&2
  exit 1
fi
version="$("$clang" --version | head -n 1)"

target="$out"
if [ "$mode" = "--check" ]; then
  check_digest
  if [ "$version" != "$(recorded_clang)" ]; then
    echo "bpf: objects built by '$(recorded_clang)', clang here is '$version': sources match by digest; bytes not compared (another clang gives other bytes)" >&2
    exit 0
  fi
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
      echo "bpf: $(basename "$o") is stale against its source: $fix" >&2
      stale=1
    fi
  done
  for o in "$out"/*.o; do
    [ -e "$target/$(basename "$o")" ] || { echo "bpf: $(basename "$o") has no source" >&2; stale=1; }
  done
  exit $stale
fi
{
  echo "# Written by collector/src/main/bpf/build.sh: the clang that built these objects and the"
  echo "# sources they were built from. build.sh --check compares both."
  echo "clang: $version"
  digest
} > "$stamp"
echo "bpf: built $(ls "$target"/*.o | wc -l) objects in $target with $version"
