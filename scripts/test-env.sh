#!/usr/bin/env bash
# Provision the hermetic test environment used by `npm test` (e2e project) and `npm run demo`.
#
# Idempotent and quick when everything is already up. As root on a fresh Debian 12 machine it:
#   - installs the Debian packages it needs (only the missing ones),
#   - mounts binfmt_misc and enables the qemu-user-static handlers (arm64, arm/v7 emulation),
#   - starts dockerd unless `docker info` already works,
#   - starts a plain registry on 127.0.0.1:$MULTIARCH_TEST_REGISTRY_PORT (default 5000) and an
#     htpasswd-protected one on 127.0.0.1:$MULTIARCH_TEST_AUTH_REGISTRY_PORT (default 5001),
#   - fetches busybox-static for amd64/arm64/armhf,
#   - builds and pushes the multi-arch base image <registry>/hermetic/busybox:latest,
#   - writes .test-env/env (KEY=value lines) for the tests and the demo.
# Everything lives under .test-env/ in the repository root.
#
# Overridable: MULTIARCH_TEST_REGISTRY_PORT, MULTIARCH_TEST_AUTH_REGISTRY_PORT,
#              MULTIARCH_TEST_DOCKERD_ARGS (extra dockerd flags, word-split), DOCKER_HOST.
# (A second dockerd next to a running one needs its own --data-root/--exec-root/--pidfile and a
#  DOCKER_HOST=unix://… socket; never give it --bridge none: dockerd then deletes docker0, which
#  breaks the other daemon's container networking.)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

ENV_DIR="$ROOT/.test-env"
REGISTRY_HOST=127.0.0.1 # loopback registries are plain-HTTP ("insecure") by default for dockerd
REGISTRY_PORT="${MULTIARCH_TEST_REGISTRY_PORT:-5000}"
AUTH_REGISTRY_PORT="${MULTIARCH_TEST_AUTH_REGISTRY_PORT:-5001}"
REGISTRY="$REGISTRY_HOST:$REGISTRY_PORT"
AUTH_REGISTRY="$REGISTRY_HOST:$AUTH_REGISTRY_PORT"
AUTH_USER=multiarch
BASE_REPO="$REGISTRY/hermetic/busybox"
BASE_IMAGE="$BASE_REPO:latest"
BUSYBOX_DIR="$ENV_DIR/busybox"
# name used under .test-env/busybox/<name>/ → "<debian arch> <docker platform> <ELF e_machine>"
ARCHES=(amd64 arm64 armv7)
declare -A DEB_ARCH=([amd64]=amd64 [arm64]=arm64 [armv7]=armhf)
declare -A PLATFORM=([amd64]=linux/amd64 [arm64]=linux/arm64 [armv7]=linux/arm/v7)
declare -A ELF_MACHINE=([amd64]=62 [arm64]=183 [armv7]=40)
PACKAGES=(docker.io qemu-user-static binfmt-support docker-registry skopeo apache2-utils curl ca-certificates tmux)

log() { printf '[env] %s\n' "$*" >&2; }
die() { printf '[env] ERROR: %s\n' "$*" >&2; exit 1; }

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo); fi
fi
as_root() {
  if [[ "$(id -u)" -eq 0 || ${#SUDO[@]} -gt 0 ]]; then "${SUDO[@]}" "$@"; else die "need root for: $*"; fi
}

mkdir -p "$ENV_DIR"
# Serialise concurrent runs (e.g. `npm test` and an e2e globalSetup started by hand).
exec 9>"$ENV_DIR/.lock"
if ! flock -w 600 9; then die "timed out waiting for another scripts/test-env.sh ($ENV_DIR/.lock)"; fi

START_TS=$(date +%s)

# ---------------------------------------------------------------------------------------------
# 1. Debian packages
# ---------------------------------------------------------------------------------------------
missing=()
for pkg in "${PACKAGES[@]}"; do
  if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  # On systemd machines the docker-registry package starts its own registry on :5000 (with a broken
  # htpasswd default). We run our own; get that one out of the way.
  if [[ " ${missing[*]} " == *" docker-registry "* ]] && command -v systemctl >/dev/null 2>&1 \
    && systemctl is-active --quiet docker-registry 2>/dev/null; then
    log "stopping the Debian docker-registry service (we run our own registries)"
    as_root systemctl disable --now docker-registry >&2 || true
  fi
else
  log "Debian packages present"
fi

# The Debian client (20.10) has BuildKit built in (DOCKER_BUILDKIT=1); a newer client elsewhere on
# PATH may lack the buildx plugin and fall back to the legacy builder, which cannot cross-build
# FROM scratch images. Use the Debian one for everything done here.
DOCKER=/usr/bin/docker
[[ -x "$DOCKER" ]] || DOCKER="$(command -v docker)" || die "no docker client found"

# ---------------------------------------------------------------------------------------------
# 2. binfmt_misc + qemu handlers
# ---------------------------------------------------------------------------------------------
BINFMT=/proc/sys/fs/binfmt_misc
binfmt_ok() {
  local h
  for h in qemu-aarch64 qemu-arm; do
    [[ -r "$BINFMT/$h" ]] || return 1
    [[ "$(head -n1 "$BINFMT/$h")" == enabled ]] || return 1
  done
  [[ "$(cat "$BINFMT/status" 2>/dev/null)" == enabled ]]
}
if binfmt_ok; then
  log "binfmt handlers enabled (qemu-aarch64, qemu-arm)"
else
  if [[ ! -e "$BINFMT/register" ]]; then
    log "mounting binfmt_misc"
    as_root mount -t binfmt_misc binfmt_misc "$BINFMT" || die "cannot mount binfmt_misc on $BINFMT (privileged container needed)"
  fi
  log "enabling binfmt handlers (update-binfmts --enable)"
  as_root update-binfmts --enable >&2 || true # fails for individual non-qemu formats; checked below
  binfmt_ok || die "qemu-aarch64/qemu-arm binfmt handlers are not enabled after update-binfmts --enable"
fi
for h in qemu-aarch64 qemu-arm; do
  if ! grep -q '^flags: .*F' "$BINFMT/$h"; then
    log "WARNING: $h has no F (fix-binary) flag; emulated RUN steps inside containers may fail"
  fi
done

# ---------------------------------------------------------------------------------------------
# 3. dockerd
# ---------------------------------------------------------------------------------------------
pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
docker_up() { "$DOCKER" info >/dev/null 2>&1; }

if docker_up; then
  log "dockerd answering"
else
  if pid_alive "$ENV_DIR/dockerd.pid"; then
    log "dockerd (pid $(cat "$ENV_DIR/dockerd.pid"), started by an earlier run) is not answering yet; waiting"
  else
    [[ "$(id -u)" -eq 0 ]] || die "dockerd is not reachable and only root can start it; run this script as root"
    command -v dockerd >/dev/null 2>&1 || die "dockerd not found"
    dockerd_args=()
    if [[ "${DOCKER_HOST:-}" == unix://* ]]; then dockerd_args+=(--host "$DOCKER_HOST"); fi
    # shellcheck disable=SC2206 # word splitting wanted
    dockerd_args+=(${MULTIARCH_TEST_DOCKERD_ARGS:-})
    log "starting dockerd ${dockerd_args[*]} (log: .test-env/dockerd.log)"
    # setsid: survive the caller's process group (vitest, Ctrl-C). No inherited stdio (callers that
    # capture our output, like execa, would wait for dockerd) and not the lock on fd 9 either.
    setsid dockerd "${dockerd_args[@]}" </dev/null >"$ENV_DIR/dockerd.log" 2>&1 9>&- &
    echo $! >"$ENV_DIR/dockerd.pid"
  fi
  for ((i = 0; i < 120; i++)); do
    docker_up && break
    if ! pid_alive "$ENV_DIR/dockerd.pid"; then
      tail -n 40 "$ENV_DIR/dockerd.log" >&2 || true
      die "dockerd exited (see .test-env/dockerd.log)"
    fi
    sleep 0.5
  done
  if ! docker_up; then
    tail -n 40 "$ENV_DIR/dockerd.log" >&2 || true
    die "dockerd did not answer 'docker info' within 60s (see .test-env/dockerd.log)"
  fi
  log "dockerd up"
fi

# ---------------------------------------------------------------------------------------------
# 4. registries
# ---------------------------------------------------------------------------------------------
# HTTP status of GET /v2/ ("000" when nothing answers).
v2_status() { curl -s -o /dev/null -m 3 -w '%{http_code}' "http://$1/v2/" "${@:2}" || true; }

# Pids of registries started by this script with the given config file (they may outlive .test-env/).
our_registry_pids() { pgrep -f -x "docker-registry serve $1" || true; }

start_registry() { # name addr config
  local name="$1" addr="$2" config="$3" pidfile="$ENV_DIR/$1.pid" logf="$ENV_DIR/$1.log"
  log "starting $name on $addr (log: .test-env/$name.log)"
  setsid docker-registry serve "$config" </dev/null >"$logf" 2>&1 9>&- &
  echo $! >"$pidfile"
  for ((i = 0; i < 40; i++)); do
    [[ "$(v2_status "$addr")" != 000 ]] && return 0
    if ! pid_alive "$pidfile"; then break; fi
    sleep 0.25
  done
  tail -n 20 "$logf" >&2 || true
  die "$name did not come up on $addr (see .test-env/$name.log)"
}

stop_our_registry() { # name config
  local pid
  for pid in $(our_registry_pids "$2"); do
    log "stopping stale $1 (pid $pid)"
    kill "$pid" 2>/dev/null || true
  done
  sleep 0.5
}

# 4a. plain registry
mkdir -p "$ENV_DIR/registry/data"
REG_CONFIG="$ENV_DIR/registry/config.yml"
cat >"$REG_CONFIG.tmp" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $ENV_DIR/registry/data
  delete:
    enabled: true
http:
  addr: $REGISTRY
  secret: multiarch-test-registry
EOF
if cmp -s "$REG_CONFIG.tmp" "$REG_CONFIG"; then rm -f "$REG_CONFIG.tmp"; else mv "$REG_CONFIG.tmp" "$REG_CONFIG"; fi

# Re-adopt a registry started by an earlier run whose pid file is gone.
adopt_pid() { # name config
  local pid
  pid="$(our_registry_pids "$2" | head -n1)"
  if [[ -n "$pid" ]] && ! pid_alive "$ENV_DIR/$1.pid"; then echo "$pid" >"$ENV_DIR/$1.pid"; fi
}

case "$(v2_status "$REGISTRY")" in
  200) log "registry answering on $REGISTRY"; adopt_pid registry "$REG_CONFIG" ;;
  000) start_registry registry "$REGISTRY" "$REG_CONFIG" ;;
  *) die "something on $REGISTRY answers /v2/ with HTTP $(v2_status "$REGISTRY") (needs auth?); free the port or set MULTIARCH_TEST_REGISTRY_PORT" ;;
esac

# 4b. htpasswd-protected registry
mkdir -p "$ENV_DIR/auth" "$ENV_DIR/auth-registry/data"
chmod 700 "$ENV_DIR/auth"
PASSWORD_FILE="$ENV_DIR/auth/password"
HTPASSWD_FILE="$ENV_DIR/auth/htpasswd"
if [[ ! -s "$PASSWORD_FILE" ]]; then
  log "generating the password for $AUTH_USER@$AUTH_REGISTRY (.test-env/auth/password)"
  (umask 077 && head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24 >"$PASSWORD_FILE")
fi
chmod 600 "$PASSWORD_FILE"
AUTH_PASSWORD="$(cat "$PASSWORD_FILE")"
if [[ ! -s "$HTPASSWD_FILE" || "$PASSWORD_FILE" -nt "$HTPASSWD_FILE" ]] \
  || ! htpasswd -vbB "$HTPASSWD_FILE" "$AUTH_USER" "$AUTH_PASSWORD" >/dev/null 2>&1; then
  (umask 077 && htpasswd -Bbn "$AUTH_USER" "$AUTH_PASSWORD" >"$HTPASSWD_FILE")
fi
AUTH_CONFIG="$ENV_DIR/auth-registry/config.yml"
cat >"$AUTH_CONFIG.tmp" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $ENV_DIR/auth-registry/data
  delete:
    enabled: true
http:
  addr: $AUTH_REGISTRY
  secret: multiarch-test-auth-registry
auth:
  htpasswd:
    realm: multiarch-test
    path: $HTPASSWD_FILE
EOF
if cmp -s "$AUTH_CONFIG.tmp" "$AUTH_CONFIG"; then rm -f "$AUTH_CONFIG.tmp"; else mv "$AUTH_CONFIG.tmp" "$AUTH_CONFIG"; fi

auth_status() { v2_status "$AUTH_REGISTRY" -u "$AUTH_USER:$AUTH_PASSWORD"; }
case "$(v2_status "$AUTH_REGISTRY")" in
  000) start_registry auth-registry "$AUTH_REGISTRY" "$AUTH_CONFIG" ;;
  401)
    if [[ "$(auth_status)" == 200 ]]; then
      log "auth registry answering on $AUTH_REGISTRY"
      adopt_pid auth-registry "$AUTH_CONFIG"
    elif [[ -n "$(our_registry_pids "$AUTH_CONFIG")" ]]; then
      # Started by an earlier run whose .test-env/auth was deleted: it holds an old password.
      stop_our_registry auth-registry "$AUTH_CONFIG"
      start_registry auth-registry "$AUTH_REGISTRY" "$AUTH_CONFIG"
    else
      die "the registry on $AUTH_REGISTRY rejects $AUTH_USER with .test-env/auth/password and was not started by this script; free the port or set MULTIARCH_TEST_AUTH_REGISTRY_PORT"
    fi
    ;;
  *) die "something on $AUTH_REGISTRY answers /v2/ with HTTP $(v2_status "$AUTH_REGISTRY") (expected 401); free the port or set MULTIARCH_TEST_AUTH_REGISTRY_PORT" ;;
esac
[[ "$(v2_status "$AUTH_REGISTRY")" == 401 ]] || die "auth registry on $AUTH_REGISTRY does not require credentials"
[[ "$(auth_status)" == 200 ]] || die "auth registry on $AUTH_REGISTRY rejects $AUTH_USER with .test-env/auth/password"

# ---------------------------------------------------------------------------------------------
# 5. busybox-static for each architecture
# ---------------------------------------------------------------------------------------------
elf_machine() { od -An -j18 -N2 -tu2 "$1" 2>/dev/null | tr -d ' '; }
busybox_ok() { [[ -x "$BUSYBOX_DIR/$1/busybox" && "$(elf_machine "$BUSYBOX_DIR/$1/busybox")" == "${ELF_MACHINE[$1]}" ]]; }

need_busybox=()
for a in "${ARCHES[@]}"; do busybox_ok "$a" || need_busybox+=("$a"); done
if ((${#need_busybox[@]})); then
  log "fetching busybox-static for: ${need_busybox[*]}"
  foreign="$(dpkg --print-foreign-architectures)"
  need_update=0
  for a in "${need_busybox[@]}"; do
    d="${DEB_ARCH[$a]}"
    if [[ "$d" != "$(dpkg --print-architecture)" ]] && ! grep -qx "$d" <<<"$foreign"; then
      log "dpkg --add-architecture $d"
      as_root dpkg --add-architecture "$d"
      need_update=1
    fi
    apt-cache show "busybox-static:$d" >/dev/null 2>&1 || need_update=1
  done
  if ((need_update)); then
    log "apt-get update (package lists for the foreign architectures)"
    as_root apt-get update -qq
  fi
  dl="$(mktemp -d)"
  trap 'rm -rf "$dl"' EXIT
  chmod 755 "$dl"
  chown _apt "$dl" 2>/dev/null || true # apt-get download drops privileges to _apt
  specs=()
  for a in "${need_busybox[@]}"; do specs+=("busybox-static:${DEB_ARCH[$a]}"); done
  (cd "$dl" && apt-get download -qq "${specs[@]}" >&2)
  for a in "${need_busybox[@]}"; do
    deb="$(ls "$dl"/busybox-static_*_"${DEB_ARCH[$a]}".deb)"
    mkdir -p "$dl/x-$a" "$BUSYBOX_DIR/$a"
    dpkg-deb -x "$deb" "$dl/x-$a"
    install -m 0755 "$dl/x-$a/bin/busybox" "$BUSYBOX_DIR/$a/busybox"
    busybox_ok "$a" || die "extracted busybox for $a has the wrong ELF machine ($(elf_machine "$BUSYBOX_DIR/$a/busybox"))"
  done
  rm -rf "$dl"
  trap - EXIT
else
  log "busybox-static cached (.test-env/busybox/{${ARCHES[*]}})"
fi

# ---------------------------------------------------------------------------------------------
# 6. multi-arch base image
# ---------------------------------------------------------------------------------------------
# Platforms of the index at $BASE_IMAGE, one "os/arch[/variant]" per line, sorted; empty if absent.
base_platforms() {
  local raw
  raw="$(skopeo inspect --raw --tls-verify=false "docker://$BASE_IMAGE" 2>/dev/null)" || return 0
  node -e '
    const m = JSON.parse(process.argv[1]);
    for (const d of m.manifests ?? []) {
      const p = d.platform ?? {};
      console.log([p.os, p.architecture, p.variant].filter(Boolean).join("/"));
    }' "$raw" | sort
}
base_complete() {
  [[ "$(base_platforms)" == "$(printf '%s\n' "${PLATFORM[@]}" | sort)" ]] || return 1
  # Children present too (a registry whose storage was wiped may still be up).
  local a
  for a in "${ARCHES[@]}"; do
    skopeo inspect --raw --tls-verify=false "docker://$BASE_REPO:$a" >/dev/null 2>&1 || return 1
  done
}

if base_complete; then
  log "base image $BASE_IMAGE present (${PLATFORM[*]})"
else
  log "building the base image $BASE_IMAGE"
  ctx="$ENV_DIR/base-build"
  rm -rf "$ctx"
  mkdir -p "$ctx/bin"
  for a in "${ARCHES[@]}"; do
    mkdir -p "$ctx/bin/$a"
    cp "$BUSYBOX_DIR/$a/busybox" "$ctx/bin/$a/busybox"
  done
  cat >"$ctx/Dockerfile" <<'EOF'
FROM scratch
ARG TARGETARCH
ARG TARGETVARIANT
COPY bin/${TARGETARCH}${TARGETVARIANT}/busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
CMD ["/bin/sh"]
EOF
  for a in "${ARCHES[@]}"; do
    log "  build ${PLATFORM[$a]} → $BASE_REPO:$a"
    if ! out="$(DOCKER_BUILDKIT=1 "$DOCKER" build -q --network none --platform "${PLATFORM[$a]}" -t "$BASE_REPO:$a" "$ctx" 2>&1)"; then
      printf '%s\n' "$out" >&2
      die "building the base image for ${PLATFORM[$a]} failed"
    fi
    log "  push $BASE_REPO:$a"
    "$DOCKER" push -q "$BASE_REPO:$a" >/dev/null || die "pushing $BASE_REPO:$a failed"
  done
  log "  index $BASE_IMAGE"
  "$DOCKER" manifest rm "$BASE_IMAGE" >/dev/null 2>&1 || true # stale local manifest list
  children=()
  for a in "${ARCHES[@]}"; do children+=("$BASE_REPO:$a"); done
  "$DOCKER" manifest create --insecure "$BASE_IMAGE" "${children[@]}" >/dev/null
  "$DOCKER" manifest annotate "$BASE_IMAGE" "$BASE_REPO:armv7" --os linux --arch arm --variant v7 >&2
  "$DOCKER" manifest push --purge --insecure "$BASE_IMAGE" >/dev/null
  base_complete || die "the pushed index $BASE_IMAGE does not list exactly ${PLATFORM[*]}: $(base_platforms | tr '\n' ' ')"
  log "base image pushed"
fi

# ---------------------------------------------------------------------------------------------
# 7. .test-env/env
# ---------------------------------------------------------------------------------------------
cat >"$ENV_DIR/env.tmp" <<EOF
MULTIARCH_TEST_REGISTRY=$REGISTRY
MULTIARCH_TEST_AUTH_REGISTRY=$AUTH_REGISTRY
MULTIARCH_TEST_AUTH_USER=$AUTH_USER
MULTIARCH_TEST_AUTH_PASSWORD_FILE=$PASSWORD_FILE
MULTIARCH_TEST_BASE_IMAGE=$BASE_IMAGE
MULTIARCH_TEST_BUSYBOX_DIR=$BUSYBOX_DIR
EOF
mv "$ENV_DIR/env.tmp" "$ENV_DIR/env"
log "ready in $(($(date +%s) - START_TS))s (.test-env/env)"
