#!/usr/bin/env bash
# `npm test`: dependencies, hermetic test environment, build, typecheck, lint gates, then vitest
# (all projects; extra arguments are passed to vitest, e.g. `npm test -- --project unit`).
# Stops at the first failing gate and says which one.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

current=""
on_exit() {
  local rc=$?
  if [[ $rc -ne 0 && -n "$current" ]]; then
    printf '\n[test] FAILED gate: %s (exit %d)\n' "$current" "$rc" >&2
  fi
}
trap on_exit EXIT

gate() { # name command…
  current="$1"
  shift
  local start=$SECONDS
  printf '\n[test] ▶ %s\n' "$current" >&2
  "$@"
  printf '[test] ✔ %s (%ds)\n' "$current" $((SECONDS - start)) >&2
  current=""
}

deps_stale() {
  local stamp=node_modules/.package-lock.json # rewritten by every npm ci / npm install
  [[ ! -d node_modules || ! -f "$stamp" ]] && return 0
  if [[ -f package-lock.json ]]; then [[ package-lock.json -nt "$stamp" ]]; else [[ package.json -nt "$stamp" ]]; fi
}
install_deps() {
  if [[ -f package-lock.json ]]; then npm ci; else npm install; fi
}

if deps_stale; then
  gate "npm dependencies" install_deps
else
  printf '[test] npm dependencies up to date\n' >&2
fi
gate "test environment (scripts/test-env.sh)" bash scripts/test-env.sh
gate "build (npm run build)" npm run build --silent
gate "typecheck (tsc --noEmit -p .)" npx tsc --noEmit -p .
gate "boundaries (dependency-cruiser + scripts/check-boundaries.mjs)" node scripts/check-boundaries.mjs
gate "vitest" npx vitest run "$@"
printf '\n[test] all gates passed\n' >&2
