#!/usr/bin/env bash
# npm run scan: checkov over every synthesized reference stack (terraform_json framework).
# Creates .venv with a pinned checkov on first use; skips come from checkov-skips.txt only.
# SCAN_SKIP_SYNTH=1 reuses an existing cdktf.out.
set -euo pipefail
cd "$(dirname "$0")/.."
CHECKOV_VERSION=3.3.30
venv=.venv
if ! "$venv/bin/checkov" --version 2>/dev/null | grep -qx "$CHECKOV_VERSION"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION"
fi
if [ -z "${SCAN_SKIP_SYNTH:-}" ]; then
  rm -rf cdktf.out
  CHECKPOINT_DISABLE=1 npx cdktf synth >/dev/null
fi
skips=$(grep -v '^#' checkov-skips.txt | awk 'NF {print $1}' | paste -sd, -)
status=0
for dir in cdktf.out/stacks/*/; do
  echo "==> checkov: ${dir}"
  "$venv/bin/checkov" -d "$dir" --framework terraform_json --skip-check "$skips" --skip-download --compact --quiet || status=1
done
exit "$status"
