#!/usr/bin/env bash
# Test Kamailio (registrar + proxy, digest auth, users 1000/1001/1002 password 1234,
# domain 127.0.0.1) from tests/kamailio/. Run it inside a network namespace
# (tests/netns_run.sh): it only ever listens on 127.0.0.1.
#
#   kamailio.sh prepare DIR [PORT]  write the runtime copy into DIR (kamailio.cfg + db/)
#   kamailio.sh run DIR             exec kamailio in the foreground (-DD -E), logs to stderr
#   kamailio.sh start DIR [PORT]    prepare + start in the background (log: DIR/kamailio.log),
#                                   wait until it listens (<= 10 s); prints its pid
#   kamailio.sh stop DIR            stop the instance started by `start` (TERM, then KILL)
#
# PORT defaults to 5060. DIR is created if missing; use a fresh temporary folder.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
src="$here/../kamailio"
domain="127.0.0.1"

die() { echo "kamailio.sh: $*" >&2; exit 1; }

prepare() {
  local dir="$1" port="${2:-5060}"
  mkdir -p "$dir/db" "$dir/run"
  cp "$src/db/version" "$src/db/subscriber" "$dir/db/"
  sed -e "s|@PORT@|$port|g" -e "s|@DBDIR@|$dir/db|g" -e "s|@DOMAIN@|$domain|g" \
    "$src/kamailio.cfg" >"$dir/kamailio.cfg"
  echo "$port" >"$dir/port"
}

run() {
  local dir="$1"
  [ -f "$dir/kamailio.cfg" ] || die "run 'prepare $dir' first"
  # -DD: stay in the foreground (children are still forked); -E: log to stderr.
  exec kamailio -DD -E -m 64 -M 8 -f "$dir/kamailio.cfg" -P "$dir/kamailio.pid" \
    -Y "$dir/run" -w "$dir"
}

listening() { # port
  ss -Hlun "sport = :$1" 2>/dev/null | grep -q .
}

start() {
  local dir="$1" port="${2:-5060}" i pid
  prepare "$dir" "$port"
  kamailio -c -f "$dir/kamailio.cfg" >"$dir/check.log" 2>&1 || { cat "$dir/check.log" >&2; die "config check failed"; }
  ( run "$dir" ) >"$dir/kamailio.log" 2>&1 &
  pid=$!
  echo "$pid" >"$dir/main.pid"
  for i in $(seq 1 100); do
    if listening "$port"; then
      echo "$pid"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$dir/kamailio.log" >&2; die "kamailio exited"; }
    sleep 0.1
  done
  kill -TERM "$pid" 2>/dev/null || true
  tail -n 30 "$dir/kamailio.log" >&2
  die "kamailio did not listen on 127.0.0.1:$port within 10 s"
}

stop() {
  local dir="$1" pid i
  [ -f "$dir/main.pid" ] || return 0
  pid="$(cat "$dir/main.pid")"
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$dir/main.pid"; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$dir/main.pid"
}

cmd="${1:-}"
[ $# -ge 2 ] || die "usage: $0 prepare|run|start|stop DIR [PORT]"
shift
case "$cmd" in
  prepare) prepare "$@" ;;
  run) run "$@" ;;
  start) start "$@" ;;
  stop) stop "$@" ;;
  *) die "unknown command $cmd" ;;
esac
