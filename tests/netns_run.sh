#!/usr/bin/env bash
# Runs a command inside a fresh, isolated network namespace and removes the namespace after.
#
#   tests/netns_run.sh [--timeout SEC] COMMAND [ARGS...]
#
# The namespace has only the loopback interface (127.0.0.0/8 up, IPv6 disabled), so nothing a
# test starts can reach or be reached from any other network. Every process still running in
# the namespace when COMMAND ends (or the timeout fires, or this script is signalled) is
# killed, then the namespace is deleted. The exit code is COMMAND's (124 on timeout).
# Needs root (ip netns add). Environment variables pass through to COMMAND.
set -uo pipefail

timeout_sec="${NETNS_TIMEOUT:-110}"
if [ "${1:-}" = "--timeout" ]; then
  timeout_sec="$2"
  shift 2
fi
if [ $# -eq 0 ]; then
  echo "usage: $0 [--timeout SEC] COMMAND [ARGS...]" >&2
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "netns_run: must run as root (ip netns add)" >&2
  exit 2
fi

ns="cg-$$-$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n')"

# Kill what is left in the namespace (bounded number of rounds), then delete it.
cleanup() {
  local round pids
  for round in 1 2 3 4 5 6 7 8 9 10; do
    pids="$(ip netns pids "$ns" 2>/dev/null || true)"
    [ -z "$pids" ] && break
    if [ "$round" -le 2 ]; then
      kill -TERM $pids 2>/dev/null || true
      sleep 0.5
    else
      kill -KILL $pids 2>/dev/null || true
      sleep 0.2
    fi
  done
  ip netns del "$ns" 2>/dev/null || true
}

child=""
on_signal() {
  [ -n "$child" ] && kill -TERM "$child" 2>/dev/null
  cleanup
  exit 130
}
trap cleanup EXIT
trap on_signal INT TERM HUP

if ! ip netns add "$ns"; then
  echo "netns_run: cannot create network namespace $ns" >&2
  exit 2
fi
ip -n "$ns" link set lo up || exit 2
# IPv6 off inside the namespace (its own sysctl copy; the host's settings are untouched).
ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 >/dev/null 2>&1 || true
ip netns exec "$ns" sysctl -q -w net.ipv6.conf.default.disable_ipv6=1 >/dev/null 2>&1 || true
ip netns exec "$ns" sysctl -q -w net.ipv6.conf.lo.disable_ipv6=1 >/dev/null 2>&1 || true

# Tell the tests they are isolated (tests/lib/procs.mjs refuses to run otherwise).
export CALLGATE_NETNS="$ns"

# Background + wait so that the signal traps run while COMMAND is running.
timeout --kill-after=5 "$timeout_sec" ip netns exec "$ns" "$@" &
child=$!
wait "$child"
rc=$?
child=""
exit "$rc"
