#!/usr/bin/env bash
# Sets up, builds and runs every test: unit tests, fuzz targets (bounded time), sipp
# scenarios against callgate's SIP side, and the end-to-end calls with Kamailio and the
# official Web SDK in headless Chromium. Integration tests run in network namespaces
# they create (loopback only), so this needs root (CI runs as root).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
# libFuzzer needs clang: a second build, with ASan+UBSan, of the parsers' modules (the fuzz
# targets) and of the client SDK (callgate-phone for the client.sanitized.* tests).
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCALLGATE_FUZZ=ON -DCALLGATE_TESTS=OFF -DCALLGATE_BENCH=OFF >/dev/null
fi
cmake --build build-fuzz -j "${CALLGATE_JOBS:-$(nproc)}" --target fuzz_targets callgate-phone
# Re-run CMake so fuzz targets built just now are registered as tests.
cmake build >/dev/null
cd build
ctest --output-on-failure -j "${CALLGATE_TEST_JOBS:-2}" "$@"
