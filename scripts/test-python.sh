#!/usr/bin/env bash
# The Python test (issue 13): installs the wheel of `npm run package` (dist/python/*.whl) with cdktf
# and the prebuilt providers from PyPI into a venv, then runs test/python/ with pytest: the README's
# Python example and cdktf apps composing the AWS, GCP and Azure platforms from Python objects and
# from JSON spec files, asserting on the synthesized Terraform JSON, spec errors and a compliance
# violation at app.synth().
#
# The PyPI versions are the ones installed from package.json's devDependencies (the prebuilt
# providers publish the same version to npm and PyPI). The venv is kept between runs
# (PYTHON_TEST_VENV, default .venv/python-test, gitignored): the provider wheels are large.
#
# Usage: scripts/test-python.sh [pytest args]      (run `npm run package` first)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

shopt -s nullglob
wheels=(dist/python/*.whl)
if [ "${#wheels[@]}" -ne 1 ]; then
  echo "test-python: expected one wheel in dist/python, found ${#wheels[@]}: run npm run package first" >&2
  exit 1
fi
wheel="${wheels[0]}"

version() { node -p "require('$1/package.json').version"; }
cdktf="$(version cdktf)"
constructs="$(version constructs)"
aws="$(version @cdktf/provider-aws)"
google="$(version @cdktf/provider-google)"
azurerm="$(version @cdktf/provider-azurerm)"

venv="${PYTHON_TEST_VENV:-$root/.venv/python-test}"
python="${PYTHON:-python3}"
started=$(date +%s)
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check \
  "cdktf==$cdktf" "constructs==$constructs" \
  "cdktf-cdktf-provider-aws==$aws" "cdktf-cdktf-provider-google==$google" "cdktf-cdktf-provider-azurerm==$azurerm" \
  "pytest>=8,<9"
# The wheel last, without touching the pins above; reinstalled on every run (same version, new build).
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --force-reinstall "$wheel"
"$venv/bin/pip" check
installed=$(date +%s)
echo "test-python: venv ready in $((installed - started)) s (cdktf $cdktf, aws $aws, google $google, azurerm $azurerm, $(basename "$wheel"))"

# The jsii runtime runs the JavaScript side in node (on PATH); its end-of-life notices are noise here.
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=1
status=0
"$venv/bin/python" -m pytest -q -p no:cacheprovider "$root/test/python" "$@" || status=$?
echo "test-python: pytest finished in $(( $(date +%s) - installed )) s (total $(( $(date +%s) - started )) s), exit $status"
exit $status
