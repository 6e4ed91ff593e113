#!/usr/bin/env bash
# Consumer smoke test: the package as a new user meets it.
#
# 1. `npm pack` (prepack runs the clean build) into a temporary directory.
# 2. For each cloud (aws, gcp, azure; or those named as arguments): a fresh project shaped like
#    `cdktf init --template=typescript` (its tsconfig.json, with skipLibCheck false; its cdktf.json
#    app `npx ts-node main.ts`), with cdktf, constructs, ONLY that cloud's provider package and the
#    tarball, installed from the npm registry.
# 3. main.ts is the README's example for that cloud, extracted from README.md as written; a second
#    file imports every subpath (cdktf-sandbox-byoc/spec, /compliance, /<cloud>, ...) so their
#    resolution under the template's moduleResolution (node10) is checked too.
# 4. Strict type check (`tsc --noEmit`, skipLibCheck false), then synth the way cdktf.json runs the
#    app (`npx ts-node main.ts`), then assert cdk.tf.json and the compliance report exist and pass,
#    and that the other clouds' provider packages are really absent.
#
# 5. AWS: a nested-virtualization pool synthesized through the register hook and cdktf's Testing
#    helpers; its launch template has exactly one cpu_options.nested_virtualization and the stack
#    one required_providers.aws.version that admits it (smoke_nested_aws).
#
# SMOKE_FLAVOR=cdktn runs the same on CDK Terrain: each project's package.json dependencies (npm
# aliases such as "cdktf": "npm:cdktn@0.24.0") and overrides are the README's ```json block after
# <!-- cdktn-package:<cloud> --> in the section "CDK Terrain", as written; only the library entry
# becomes the tarball. So the README's section is what CI ran.
#
# Needs node >= 20, npm and the npm registry; nothing else from the network. Cleans up after itself
# (KEEP_SMOKE_DIR=1 keeps the projects for inspection). Usage:
#   bash scripts/smoke-consumer.sh                      # all three clouds on cdktf
#   bash scripts/smoke-consumer.sh aws                  # one
#   SMOKE_FLAVOR=cdktn bash scripts/smoke-consumer.sh   # all three on CDK Terrain (cdktn)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
clouds=("$@")
[ ${#clouds[@]} -gt 0 ] || clouds=(aws gcp azure)
flavor="${SMOKE_FLAVOR:-cdktf}"
case "$flavor" in cdktf|cdktn) ;; *) echo "SMOKE_FLAVOR=$flavor: use cdktf (default) or cdktn" >&2; exit 2 ;; esac

work="$(mktemp -d "${TMPDIR:-/tmp}/smoke-consumer.XXXXXX")"
cleanup() { if [ -z "${KEEP_SMOKE_DIR:-}" ]; then rm -rf "$work"; else echo "kept $work"; fi; }
trap cleanup EXIT
export CHECKPOINT_DISABLE=1 DISABLE_VERSION_CHECK=1 npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

step() { printf '\n==> %s\n' "$*"; }

version_of() { node -p "require('$repo/package.json').$1['$2'] || ''"; }
cdktf_version="$(version_of peerDependencies cdktf)"
constructs_version="$(version_of peerDependencies constructs)"
# cdktf init installs the latest typescript and ts-node; pin what this repository is tested with
# (ts-node 10 cannot load a typescript major it predates).
typescript_version="$(version_of devDependencies typescript)"
ts_node_version="${SMOKE_TS_NODE_VERSION:-10.9.2}"

step "npm pack"
tarball="$(cd "$repo" && npm pack --silent --pack-destination "$work" | tail -n 1)"
tarball="$work/$tarball"
tar tzf "$tarball" > "$work/contents.txt"
# What a consumer's links and tools rely on is in the tarball; no source maps to unshipped files.
for f in package/README.md package/LICENSE package/package.json package/dist/lib/index.js package/dist/lib/index.d.ts \
         package/dist/lib/optional-peers.d.ts package/register.js package/schema/spec-file.schema.json package/docs/aws.md; do
  grep -qx "$f" "$work/contents.txt" || { echo "missing from the tarball: $f" >&2; exit 1; }
done
if grep -q '\.map$' "$work/contents.txt"; then echo "the tarball ships source maps:" >&2; grep '\.map$' "$work/contents.txt" | head >&2; exit 1; fi
echo "$(wc -l < "$work/contents.txt") files in $(basename "$tarball")"

provider_of() {
  case "$1" in
    aws) echo "@cdktf/provider-aws@$(version_of devDependencies @cdktf/provider-aws)" ;;
    gcp) echo "@cdktf/provider-google@$(version_of devDependencies @cdktf/provider-google)" ;;
    azure) echo "@cdktf/provider-azurerm@$(version_of devDependencies @cdktf/provider-azurerm)" ;;
    *) echo "unknown cloud $1 (aws, gcp, azure)" >&2; exit 2 ;;
  esac
}

# The tsconfig.json that `cdktf init --template=typescript` writes (cdktf-cli 0.21,
# bundle/templates/typescript/tsconfig.json), with skipLibCheck false for a strict check.
write_tsconfig() {
  cat > "$1/tsconfig.json" <<'EOF'
{
  "compilerOptions": {
    "alwaysStrict": true,
    "declaration": true,
    "experimentalDecorators": true,
    "inlineSourceMap": true,
    "inlineSources": true,
    "lib": ["es2018"],
    "module": "CommonJS",
    "noEmitOnError": true,
    "noFallthroughCasesInSwitch": true,
    "noImplicitAny": true,
    "noImplicitReturns": true,
    "noImplicitThis": true,
    "noUnusedLocals": true,
    "noUnusedParameters": true,
    "resolveJsonModule": true,
    "strict": true,
    "strictNullChecks": true,
    "strictPropertyInitialization": true,
    "stripInternal": true,
    "target": "ES2018",
    "incremental": true,
    "skipLibCheck": false
  },
  "include": ["**/*.ts"],
  "exclude": ["node_modules", "cdktf.out"]
}
EOF
}

# The README's ```ts block after <!-- quickstart:<cloud> -->.
readme_example() {
  # shellcheck disable=SC2016 # JavaScript in single quotes, on purpose
  node -e '
    const md = require("fs").readFileSync(process.argv[1], "utf8");
    const m = new RegExp("<!-- quickstart:" + process.argv[2] + " -->\\s*```ts\\n([\\s\\S]*?)```").exec(md);
    if (!m) { console.error("README.md has no quickstart:" + process.argv[2] + " example"); process.exit(1); }
    process.stdout.write(m[1]);
  ' "$repo/README.md" "$1"
}

# The CDK Terrain flavour's set-up and the AWS provider-compat check (both flavours).
# shellcheck source=scripts/smoke-cdktn.sh
. "$repo/scripts/smoke-cdktn.sh"

for cloud in "${clouds[@]}"; do
  provider="$(provider_of "$cloud")"
  dir="$work/$cloud-app"
  mkdir -p "$dir"
  [ "$flavor" = cdktf ] || provider="$(cdktn_provider_of "$cloud")"
  step "$cloud ($flavor): fresh cdktf-init-shaped project with only $provider"
  cat > "$dir/package.json" <<EOF
{ "name": "smoke-$cloud", "version": "1.0.0", "private": true, "main": "main.js", "types": "main.ts", "license": "MPL-2.0" }
EOF
  cat > "$dir/cdktf.json" <<'EOF'
{ "language": "typescript", "app": "npx ts-node main.ts", "projectId": "smoke", "sendCrashReports": "false", "terraformProviders": [], "terraformModules": [], "context": {} }
EOF
  write_tsconfig "$dir"
  if [ "$flavor" = cdktf ]; then
    (cd "$dir" && npm install --silent --no-audit --no-fund "cdktf@$cdktf_version" "constructs@$constructs_version" "$provider" "$tarball")
  else
    cdktn_install "$cloud" "$dir"
  fi
  (cd "$dir" && npm install --silent --no-audit --no-fund -D "typescript@$typescript_version" "ts-node@$ts_node_version" "@types/node@^20")
  for other in aws google azurerm; do
    case "$cloud:$other" in aws:aws|gcp:google|azure:azurerm) continue ;; esac
    for scope in cdktf cdktn; do
      if [ -e "$dir/node_modules/@$scope/provider-$other" ]; then echo "@$scope/provider-$other is installed; the test needs it absent" >&2; exit 1; fi
    done
  done

  readme_example "$cloud" > "$dir/main.ts"
  sub="$cloud"
  cat > "$dir/subpaths.ts" <<EOF
// Every subpath entry point resolves and type-checks under the template's moduleResolution (node10).
import { SandboxCompliance } from 'cdktf-sandbox-byoc/compliance';
import { renderHostBootstrap } from 'cdktf-sandbox-byoc/host';
import { requireProviderVersion } from 'cdktf-sandbox-byoc/provider-compat';
import { ComplianceProfile, exitOnSpecError, loadSpecFile } from 'cdktf-sandbox-byoc/spec';
import * as cloud from 'cdktf-sandbox-byoc/$sub';
import { applyBackend } from 'cdktf-sandbox-byoc';
export const used = [SandboxCompliance, renderHostBootstrap, requireProviderVersion, ComplianceProfile.HIPAA, exitOnSpecError, loadSpecFile, cloud, applyBackend];
EOF

  [ "$cloud" != aws ] || write_nested_aws "$dir"

  step "$cloud: tsc --noEmit (cdktf init tsconfig, skipLibCheck false)"
  (cd "$dir" && npx tsc --noEmit --incremental false -p .)

  step "$cloud: synth as cdktf.json runs the app (npx ts-node main.ts)"
  (cd "$dir" && CDKTF_OUTDIR="$dir/cdktf.out" npx ts-node main.ts)
  # shellcheck disable=SC2016 # JavaScript in single quotes, on purpose
  node -e '
    const fs = require("fs"), path = require("path");
    const dir = path.join(process.argv[1], "cdktf.out", "stacks", "sandboxes");
    const tf = JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8"));
    const report = JSON.parse(fs.readFileSync(path.join(dir, "compliance-report.json"), "utf8"));
    const n = Object.values(tf.resource || {}).reduce((a, r) => a + Object.keys(r).length, 0);
    if (n < 10) { console.error("only " + n + " resources synthesized"); process.exit(1); }
    if (!report.compliant) { console.error("compliance report is not compliant"); process.exit(1); }
    console.log(process.argv[2] + ": " + n + " resources, compliance " + report.profile + " pass (" + report.summary.passed + " checks)");
  ' "$dir" "$cloud"
  smoke_platform_tags "$dir" "$cloud"
  [ "$cloud" != aws ] || smoke_nested_aws "$dir"

  # --- begin cli block (issue 12: the command line from the packed package) ---------------------
  # In the AWS project (only @cdktf/provider-aws installed): the tarball's bin, through npx, on a
  # copied reference spec: validate, explain (text and json), synth --out with its files asserted;
  # and a GCP spec file, whose synth must fail naming the provider package to install.
  if [ "$cloud" = aws ]; then
    step "aws: npx cdktf-sandbox-byoc validate / explain / synth from the tarball"
    for f in package/bin/cdktf-sandbox-byoc.js package/dist/lib/cli/index.js package/docs/cli.md; do
      grep -qx "$f" "$work/contents.txt" || { echo "missing from the tarball: $f" >&2; exit 1; }
    done
    cp "$repo/stacks/specs/aws-managed-baseline.json" "$dir/fleet.json"
    cp "$repo/stacks/specs/gcp-byoc-soc2.json" "$dir/gcp.json"
    (cd "$dir" && npx --no-install cdktf-sandbox-byoc validate fleet.json)
    (cd "$dir" && npx --no-install cdktf-sandbox-byoc explain fleet.json > explain.txt && npx --no-install cdktf-sandbox-byoc explain --format json fleet.json > explain.json)
    (cd "$dir" && npx --no-install cdktf-sandbox-byoc synth fleet.json --out tf-fleet)
    set +e
    (cd "$dir" && npx --no-install cdktf-sandbox-byoc synth gcp.json --out tf-gcp 2> gcp.err)
    gcp_status=$?
    set -e
    # shellcheck disable=SC2016 # JavaScript in single quotes, on purpose
    node -e '
      const fs = require("fs"), path = require("path");
      const dir = process.argv[1], fail = (m) => { console.error(m); process.exit(1); };
      const text = fs.readFileSync(path.join(dir, "explain.txt"), "utf8");
      const doc = JSON.parse(fs.readFileSync(path.join(dir, "explain.json"), "utf8"));
      if (!text.includes("Estimated cost (USD") || !/estimate/i.test(doc.cost.disclaimer)) fail("explain printed no cost estimate");
      if (doc.pools.map((p) => p.name).join() !== "fc,gvisor") fail("explain pools: " + doc.pools.map((p) => p.name));
      const out = path.join(dir, "tf-fleet");
      const tf = JSON.parse(fs.readFileSync(path.join(out, "cdk.tf.json"), "utf8"));
      const report = JSON.parse(fs.readFileSync(path.join(out, "compliance-report.json"), "utf8"));
      if (!fs.existsSync(path.join(out, "compliance-report.md"))) fail("synth wrote no compliance-report.md");
      if (JSON.stringify(tf.terraform.backend) !== JSON.stringify({ local: { path: "terraform.fleet.tfstate" } })) fail("backend: " + JSON.stringify(tf.terraform.backend));
      if (!tf.resource.aws_autoscaling_group || !report.compliant) fail("synth output incomplete or not compliant");
      if (fs.existsSync(path.join(dir, "tf-gcp"))) fail("synth of the GCP spec wrote files without its provider");
      const err = fs.readFileSync(path.join(dir, "gcp.err"), "utf8");
      if (Number(process.argv[2]) !== 1 || !err.includes("npm install @cdktf/provider-google@^16")) fail("GCP synth without its provider: exit " + process.argv[2] + ", " + err);
      console.log("cli: validate, explain, synth --out from the tarball; a GCP spec names @cdktf/provider-google");
    ' "$dir" "$gcp_status"
  fi
  # --- end cli block ---------------------------------------------------------------------------
done

step "smoke test passed ($flavor): ${clouds[*]}"
