#!/usr/bin/env bash
# The seed's manual multi-arch publish, step by step, as the cold-apply benchmark's baseline:
#   build amd64, build arm64, push both, `docker manifest create`, `docker manifest push`.
# With --check, also the seed's manual checks before pushing, for each platform: run the image and
# print `uname -m`, then start it and request its page (what multiarch's test step does).
# Usage: docker-cli-seed.sh [--check] <registry/repo> <context> <base image>
set -euo pipefail
check=0
if [[ "${1:-}" == --check ]]; then check=1; shift; fi
repo="$1" context="$2" base="$3"
docker="${DOCKER:-/usr/bin/docker}"
export DOCKER_BUILDKIT=1
for arch in amd64 arm64; do
  "$docker" build -q --platform "linux/$arch" --build-arg "BASE_IMAGE=$base" -t "$repo:v1-$arch" "$context" >/dev/null
done
if ((check)); then
  for arch in amd64 arm64; do
    "$docker" run --rm --platform "linux/$arch" "$repo:v1-$arch" uname -m >/dev/null
    id=$("$docker" run -d --platform "linux/$arch" -p 127.0.0.1::80 "$repo:v1-$arch")
    port=$("$docker" port "$id" 80/tcp | head -n1 | sed 's/.*://')
    until curl -fsS -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.2; done
    "$docker" rm -f "$id" >/dev/null
  done
fi
for arch in amd64 arm64; do
  "$docker" push -q "$repo:v1-$arch" >/dev/null
done
"$docker" manifest rm "$repo:v1" >/dev/null 2>&1 || true
"$docker" manifest create --insecure "$repo:v1" "$repo:v1-amd64" "$repo:v1-arm64" >/dev/null
"$docker" manifest push --insecure "$repo:v1" >/dev/null
