#!/usr/bin/env bash
# Runs the real `cdk8s synth` in every example app; each writes its manifests to examples/<name>/dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
for d in examples/*/; do
  echo "== ${d%/}"
  (cd "$d" && npx --no-install cdk8s synth --no-check-upgrade)
done
