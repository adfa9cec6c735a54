#!/usr/bin/env bash
# `npm run demo`: bring up the hermetic environment, build the CLI, `multiarch apply` the root
# multiarch.config.ts (publishes web for linux/amd64 + linux/arm64 into the OCI image layout
# .multiarch/oci as demo/web:v1), copy the layout to the local registry with
# `skopeo copy --all` (<registry>/demo/web:v1), then pull and run each platform from the registry
# and check `uname -m`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '[demo] %s\n' "$*" >&2; }
die() { printf '[demo] FAILED: %s\n' "$*" >&2; exit 1; }

deps_stale() {
  local stamp=node_modules/.package-lock.json # rewritten by every npm ci / npm install
  [[ ! -d node_modules || ! -f "$stamp" ]] && return 0
  if [[ -f package-lock.json ]]; then [[ package-lock.json -nt "$stamp" ]]; else [[ package.json -nt "$stamp" ]]; fi
}
if deps_stale; then
  say "installing npm dependencies"
  if [[ -f package-lock.json ]]; then npm ci; else npm install; fi
fi

say "test environment (scripts/test-env.sh)"
bash scripts/test-env.sh || die "scripts/test-env.sh"
set -a
# shellcheck disable=SC1091
. .test-env/env
set +a

say "build (npm run build)"
npm run build --silent || die "npm run build"

LAYOUT="oci:$ROOT/.multiarch/oci:demo/web:v1"
IMAGE="$MULTIARCH_TEST_REGISTRY/demo/web:v1"
say "multiarch apply (multiarch.config.ts → $LAYOUT)"
node bin/multiarch.js apply || die "multiarch apply"

say "skopeo copy --all $LAYOUT docker://$IMAGE"
skopeo copy --quiet --all --dest-tls-verify=false "$LAYOUT" "docker://$IMAGE" || die "skopeo copy of the OCI layout to $IMAGE"

platforms="$(skopeo inspect --raw --tls-verify=false "docker://$IMAGE" | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const m = JSON.parse(s);
    console.log((m.manifests ?? []).map((d) => [d.platform?.os, d.platform?.architecture, d.platform?.variant].filter(Boolean).join("/")).join(" "));
  });')" || die "cannot read $IMAGE from the registry"
say "$IMAGE is an index of: ${platforms:-(not an index)}"

declare -A EXPECT=([linux/arm64]=aarch64 [linux/amd64]=x86_64)
for platform in linux/arm64 linux/amd64; do
  docker image rm --force "$IMAGE" >/dev/null 2>&1 || true # really pull from the registry
  say "docker pull --platform $platform $IMAGE"
  docker pull -q --platform "$platform" "$IMAGE" >/dev/null || die "docker pull --platform $platform $IMAGE"
  machine="$(docker run --rm --platform "$platform" --entrypoint uname "$IMAGE" -m)" || die "docker run --platform $platform $IMAGE"
  if [[ "$machine" != "${EXPECT[$platform]}" ]]; then
    die "$platform: uname -m printed '$machine', expected '${EXPECT[$platform]}'"
  fi
  say "$platform: uname -m → $machine ✔"
done
docker image rm --force "$IMAGE" >/dev/null 2>&1 || true
say "ok: $IMAGE runs on linux/arm64 and linux/amd64"
