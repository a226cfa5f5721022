#!/usr/bin/env bash
# Sets up, builds and runs callgate with working defaults (no config file needed):
# ws://0.0.0.0:8080, wss://0.0.0.0:8443 (self-signed certificate), SIP UDP 5060.
# Extra arguments go to callgate (see `build/apps/callgate/callgate --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh callgate
exec build/apps/callgate/callgate "$@"
