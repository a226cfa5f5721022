#!/usr/bin/env bash
# Sets up, builds and runs callgate, ready to try: the demo configuration (config/demo.toml:
# ws 8080 / wss 8443 with the phone page, SIP 5060, a local SIP domain on 5070 with demo
# accounts, the echo test). Pass your own `--config FILE` (e.g. config/production.toml) or
# set CALLGATE_CONFIG to run without the demo domain. Other arguments go to callgate
# (see `build/apps/callgate/callgate --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh callgate

args=("$@")
demo=0
if [ -z "${CALLGATE_CONFIG:-}" ] && ! printf '%s\n' "$@" | grep -q -- '^--config'; then
  args=(--config config/demo.toml "$@")
  demo=1
fi
if [ "$demo" = 1 ]; then
  ip=$(hostname -I 2>/dev/null | awk '{print $1}')
  ip=${ip:-127.0.0.1}
  cat <<BANNER

  callgate demo — open the phone page:
    on this machine:   http://localhost:8080/
    from elsewhere:    https://${ip}:8443/   (self-signed certificate: accept it once;
                                             browsers give the microphone to https pages only)
  Call "echo" to hear yourself (no account needed: untick "register").
  Demo accounts of the local SIP domain (DEMO ONLY, config/demo.toml):
    1000 / demo1000   1001 / demo1001   1002 / demo1002   1003 / demo1003
    softphones: domain ${ip}, proxy ${ip}:5070 (UDP)

BANNER
fi
exec build/apps/callgate/callgate "${args[@]}"
