#!/usr/bin/env bash
# The seed's manual multi-arch publish, step by step, as the cold-apply benchmark's baseline:
#   build amd64, build arm64, push both, `docker manifest create`, `docker manifest push`.
# With --check, also the seed's manual checks before pushing, for each platform: run the image and
# print `uname -m`, then start it and request its page (what multiarch's test step does).
# With --parallel, each stage runs both platforms at once (background jobs): not the seed's way, but
# the best overlap plain docker can get, which shows how much the engine itself allows.
# Usage: docker-cli-seed.sh [--check] [--parallel] <registry/repo> <context> <base image>
set -euo pipefail
check=0 parallel=0
while [[ "${1:-}" == --* ]]; do
  case "$1" in
    --check) check=1 ;;
    --parallel) parallel=1 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
repo="$1" context="$2" base="$3"
docker="${DOCKER:-/usr/bin/docker}"
export DOCKER_BUILDKIT=1

# each_arch <function>: runs it for amd64 then arm64, or for both at once with --parallel.
each_arch() {
  local pids=() arch
  for arch in amd64 arm64; do
    if ((parallel)); then "$1" "$arch" & pids+=($!); else "$1" "$arch"; fi
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
}

build() {
  "$docker" build -q --platform "linux/$1" --build-arg "BASE_IMAGE=$base" -t "$repo:v1-$1" "$context" >/dev/null
}
checks() {
  local id port
  "$docker" run --rm --platform "linux/$1" "$repo:v1-$1" uname -m >/dev/null
  id=$("$docker" run -d --platform "linux/$1" -p 127.0.0.1::80 "$repo:v1-$1")
  port=$("$docker" port "$id" 80/tcp | head -n1 | sed 's/.*://')
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.2; done
  "$docker" rm -f "$id" >/dev/null
}
push() {
  "$docker" push -q "$repo:v1-$1" >/dev/null
}

each_arch build
if ((check)); then each_arch checks; fi
each_arch push
"$docker" manifest rm "$repo:v1" >/dev/null 2>&1 || true
"$docker" manifest create --insecure "$repo:v1" "$repo:v1-amd64" "$repo:v1-arm64" >/dev/null
"$docker" manifest push --insecure "$repo:v1" >/dev/null
