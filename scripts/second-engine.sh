#!/usr/bin/env bash
# A second Docker engine on this machine, for the per-platform builder tests (docs/builders.md):
# its own dockerd with its own socket, data root, exec root, pid file, config file and bridge, next
# to the main daemon and without touching it.
#
#   scripts/second-engine.sh [start]   idempotent: start it unless it answers; print its DOCKER_HOST
#   scripts/second-engine.sh stop      stop it (only the daemon this script started) and remove its bridge
#   scripts/second-engine.sh status    print its DOCKER_HOST and exit 0 if it answers, else exit 1
#
# Why each flag (a second daemon must not disturb the first one):
#   --bridge $BRIDGE    a bridge created here with its own subnet. Never `--bridge none` (dockerd then
#                       deletes docker0, breaking the main daemon's container networking), and docker0
#                       is the main daemon's: sharing it would make both allocate the same addresses.
#   --iptables=false    dockerd recreates the DOCKER / DOCKER-ISOLATION chains on start, which would
#   --ip-masq=false     drop the main daemon's rules. Containers here need no NAT: the registries on
#   --ip-forward=false  127.0.0.1 are pulled from by the daemon (host network), published ports go
#                       through docker-proxy, and the host routes to $SUBNET directly.
#   --config-file       an empty one: /etc/docker/daemon.json belongs to the main daemon.
#   --exec-root         its own containerd, netns and plugin state (short path: socket length limit).
# Overridable: MULTIARCH_ENGINE2_DIR (default <repo>/.test-env/engine2), MULTIARCH_ENGINE2_BRIDGE,
#              MULTIARCH_ENGINE2_SUBNET (gateway address/prefix, default 172.31.77.1/24),
#              MULTIARCH_ENGINE2_EXEC_ROOT (default /run/multiarch-engine2; one per engine).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$(realpath -m "${MULTIARCH_ENGINE2_DIR:-$ROOT/.test-env/engine2}")"
BRIDGE="${MULTIARCH_ENGINE2_BRIDGE:-mabr-engine2}"
SUBNET="${MULTIARCH_ENGINE2_SUBNET:-172.31.77.1/24}"
EXEC_ROOT="${MULTIARCH_ENGINE2_EXEC_ROOT:-/run/multiarch-engine2}"
SOCKET="$DIR/docker.sock"
PIDFILE="$DIR/dockerd.pid"
LOG="$DIR/dockerd.log"
DOCKER=/usr/bin/docker
[[ -x "$DOCKER" ]] || DOCKER="$(command -v docker)"

log() { printf '[engine2] %s\n' "$*" >&2; }
die() { printf '[engine2] ERROR: %s\n' "$*" >&2; exit 1; }

up() { DOCKER_HOST="unix://$SOCKET" DOCKER_CONTEXT='' timeout 10 "$DOCKER" version >/dev/null 2>&1; }
alive() { [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

mkdir -p "$DIR"
exec 8>"$DIR/.lock"
flock -w 300 8 || die "timed out waiting for another scripts/second-engine.sh"

start() {
  if up; then
    log "answering on unix://$SOCKET"
    echo "unix://$SOCKET"
    return 0
  fi
  [[ "$(id -u)" -eq 0 ]] || die "only root can start a dockerd"
  if ! alive; then
    if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
      log "creating bridge $BRIDGE ($SUBNET)"
      ip link add "$BRIDGE" type bridge
      ip addr add "$SUBNET" dev "$BRIDGE"
    fi
    ip link set "$BRIDGE" up
    mkdir -p "$DIR/data"
    [[ -f "$DIR/daemon.json" ]] || echo '{}' >"$DIR/daemon.json"
    rm -f "$SOCKET"
    log "starting dockerd (log: $LOG)"
    # setsid + no inherited stdio or lock fd: the daemon outlives the caller (vitest, a shell).
    setsid dockerd \
      --host "unix://$SOCKET" \
      --data-root "$DIR/data" \
      --exec-root "$EXEC_ROOT" \
      --pidfile "$PIDFILE" \
      --config-file "$DIR/daemon.json" \
      --bridge "$BRIDGE" \
      --iptables=false --ip-masq=false --ip-forward=false \
      --log-level warn \
      </dev/null >"$LOG" 2>&1 8>&- &
  else
    log "dockerd (pid $(cat "$PIDFILE")) is not answering yet; waiting"
  fi
  for ((i = 0; i < 120; i++)); do
    if up; then
      log "up on unix://$SOCKET"
      echo "unix://$SOCKET"
      return 0
    fi
    sleep 0.5
  done
  tail -n 30 "$LOG" >&2 || true
  die "the second dockerd did not answer within 60s (see $LOG)"
}

stop() {
  if alive; then
    local pid
    pid="$(cat "$PIDFILE")"
    log "stopping dockerd (pid $pid)"
    kill "$pid"
    for ((i = 0; i < 60; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  fi
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    log "removing bridge $BRIDGE"
    ip link delete "$BRIDGE" type bridge
  fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) up && echo "unix://$SOCKET" ;;
  *) die "usage: $0 [start|stop|status]" ;;
esac
