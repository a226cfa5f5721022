#!/usr/bin/env bash
# Configures and builds callgate into build/ (gcc, RelWithDebInfo). Usage: scripts/build.sh [targets...]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${CALLGATE_BUILD_DIR:-build}
JOBS=${CALLGATE_JOBS:-$(nproc)}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCALLGATE_FUZZ_BUILD_DIR="$PWD/build-fuzz" >/dev/null
fi
if [ $# -gt 0 ]; then
  cmake --build "$BUILD_DIR" -j "$JOBS" --target "$@"
else
  cmake --build "$BUILD_DIR" -j "$JOBS"
fi
