# shellcheck shell=bash disable=SC2154 # $repo, $tarball and $flavor are set by scripts/smoke-consumer.sh
# Sourced by scripts/smoke-consumer.sh (uses its $repo, $tarball, $flavor, step and the npm_config_*
# it exports): the CDK Terrain (cdktn) flavour's project set-up, and the provider-compat check of the
# AWS project that runs on both flavours.

# The README's ```json block after <!-- cdktn-package:<cloud> -->: the package.json fields a cdktn
# project needs (dependencies with the npm aliases, and overrides where a binding's peer range
# does not admit the cdktn release).
cdktn_package_block() {
  # shellcheck disable=SC2016 # JavaScript in single quotes, on purpose
  node -e '
    const md = require("fs").readFileSync(process.argv[1], "utf8");
    const m = new RegExp("<!-- cdktn-package:" + process.argv[2] + " -->\\s*```json\\n([\\s\\S]*?)```").exec(md);
    if (!m) { console.error("README.md has no cdktn-package:" + process.argv[2] + " block"); process.exit(1); }
    process.stdout.write(m[1]);
  ' "$repo/README.md" "$1"
}

# "<name>@<spec>" of the cloud's provider entry in that block, for the log.
cdktn_provider_of() {
  cdktn_package_block "$1" | node -e '
    const deps = JSON.parse(require("fs").readFileSync(0, "utf8")).dependencies || {};
    const name = Object.keys(deps).find((n) => /^@cdktf\/provider-/.test(n));
    if (!name) { console.error("the cdktn-package block has no @cdktf/provider-* entry"); process.exit(1); }
    process.stdout.write(name + "@" + deps[name]);
  '
}

# Writes the block's dependencies and overrides into the project's package.json, with the library
# entry pointing at the tarball, installs, and checks that the aliases took effect.
cdktn_install() {
  local cloud="$1" dir="$2"
  cdktn_package_block "$cloud" > "$dir/cdktn-package.json"
  # shellcheck disable=SC2016 # JavaScript in single quotes, on purpose
  node -e '
    const fs = require("fs"), path = require("path");
    const [dir, tarball] = process.argv.slice(1);
    const block = JSON.parse(fs.readFileSync(path.join(dir, "cdktn-package.json"), "utf8"));
    const deps = block.dependencies || {};
    if (!deps["cdktf-sandbox-byoc"]) { console.error("the cdktn-package block does not depend on cdktf-sandbox-byoc"); process.exit(1); }
    if (!/^npm:cdktn@/.test(deps.cdktf || "")) { console.error("the cdktn-package block does not alias cdktf to cdktn: " + deps.cdktf); process.exit(1); }
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    pkg.dependencies = { ...deps, "cdktf-sandbox-byoc": "file:" + tarball };
    if (block.overrides) pkg.overrides = block.overrides;
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
  ' "$dir" "$tarball"
  rm "$dir/cdktn-package.json"
  (cd "$dir" && npm install --silent --no-audit --no-fund)
  # The alias is real: `cdktf` is the cdktn package, and so is every binding's core library.
  # shellcheck disable=SC2016 # JavaScript in single quotes, on purpose
  node -e '
    const path = require("path");
    const dir = process.argv[1];
    const name = (m) => require(path.join(dir, "node_modules", m, "package.json")).name + "@" + require(path.join(dir, "node_modules", m, "package.json")).version;
    const core = name("cdktf");
    if (!core.startsWith("cdktn@")) { console.error("node_modules/cdktf is " + core + ", not cdktn"); process.exit(1); }
    const deps = require(path.join(dir, "package.json")).dependencies;
    const provider = Object.keys(deps).find((n) => /^@cdktf\/provider-/.test(n));
    console.log("installed: cdktf -> " + core + ", " + provider + " -> " + name(provider) + (deps.cdktn ? ", cdktn -> " + name("cdktn") : ""));
  ' "$dir"
}

# A nested-virtualization pool (aws >= 6.33.0), type-checked with the project's other files.
write_nested_aws() {
  cat > "$1/nested.ts" <<'EOF'
// provider-compat against this project's aws binding, run through the register hook.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import { AwsSandboxPlatform } from 'cdktf-sandbox-byoc/aws';
import { ComplianceProfile, DeploymentModel, SandboxRuntime, Virtualization } from 'cdktf-sandbox-byoc/spec';

const app = new App();
const stack = new TerraformStack(app, 'nested');
new AwsProvider(stack, 'aws', { region: 'us-east-1' });
new AwsSandboxPlatform(stack, 'platform', {
  region: 'us-east-1',
  spec: {
    name: 'nested-sbx',
    deployment: DeploymentModel.BYOC,
    compliance: ComplianceProfile.HIPAA,
    sandboxPools: [{ name: 'kata', runtime: SandboxRuntime.KATA, virtualization: Virtualization.NESTED, instanceType: 'm8i.4xlarge', maxNodes: 2 }],
    controlPlane: { principal: 'arn:aws:iam::111122223333:role/sandbox-control-plane', externalId: 'acme-7f3c9d2e' },
  },
});
// The Testing helpers a consumer's unit tests use, on the same stack.
if (!Testing.toHaveResourceWithProperties(Testing.synth(stack), 'aws_launch_template', { cpu_options: { nested_virtualization: 'enabled' } })) {
  throw new Error('Testing.synth: no aws_launch_template with cpu_options.nested_virtualization = "enabled"');
}
app.synth();
EOF
}

# Synthesizes nested.ts and checks what provider-compat wrote against what the installed binding
# writes itself: exactly one nested_virtualization key, and ONE required_providers.aws.version that
# admits aws >= 6.33.0: the binding's own pin where it is at or above 6.33.0 (cdktn: aws 6.66.0,
# whose serializer also knows the argument, under the same name), else ">= 6.33.0, < 7.0.0"
# (cdktf: aws 6.25.0).
smoke_nested_aws() {
  local dir="$1"
  step "aws ($flavor): nested virtualization through the register hook (node -r cdktf-sandbox-byoc/register nested.ts)"
  (cd "$dir" && CDKTF_OUTDIR="$dir/cdktf.out" node -r cdktf-sandbox-byoc/register nested.ts)
  # shellcheck disable=SC2016 # JavaScript in single quotes, on purpose
  node -e '
    const fs = require("fs"), path = require("path");
    const [dir, flavor] = process.argv.slice(1);
    const fail = (m) => { console.error("nested virtualization (" + flavor + "): " + m); process.exit(1); };
    const need = (m) => require(require.resolve(m, { paths: [dir] }));
    const raw = fs.readFileSync(path.join(dir, "cdktf.out", "stacks", "nested", "cdk.tf.json"), "utf8");
    const tf = JSON.parse(raw);
    // What the installed binding writes on its own.
    const { App, TerraformStack } = need("cdktf");
    const { AwsProvider } = need("@cdktf/provider-aws/lib/provider");
    const probe = new AwsProvider(new TerraformStack(new App({ outdir: path.join(dir, "probe.out") }), "probe"), "aws", {});
    const binding = probe.terraformGeneratorMetadata.providerVersion;
    const source = probe.terraformProviderSource;
    const native = need("@cdktf/provider-aws/lib/launch-template").launchTemplateCpuOptionsToTerraform({ nestedVirtualization: "enabled" });
    const cmp = (a, b) => { const x = a.split(".").map(Number), y = b.split(".").map(Number); for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i]; return 0; };
    const atFloor = cmp(binding, "6.33.0") >= 0;
    if (flavor === "cdktn" && !atFloor) fail("the cdktn aws binding carries aws " + binding + ", expected >= 6.33.0");
    if (flavor === "cdktf" && atFloor) fail("the cdktf aws binding carries aws " + binding + ", expected the frozen 6.25.0");

    const keys = raw.match(/"nested_virtualization"/g) || [];
    if (keys.length !== 1) fail(keys.length + " nested_virtualization keys in cdk.tf.json, expected 1");
    const lts = Object.values(tf.resource.aws_launch_template || {}).filter((lt) => lt.cpu_options && lt.cpu_options.nested_virtualization === "enabled");
    if (lts.length !== 1) fail(lts.length + " launch templates with cpu_options.nested_virtualization = enabled, expected 1");
    // The binding that knows the argument serializes it under the name the override writes.
    if (atFloor && native.nested_virtualization !== "enabled") fail("the binding (aws " + binding + ") does not serialize nestedVirtualization as nested_virtualization: " + JSON.stringify(native));
    if (!atFloor && "nested_virtualization" in native) fail("the binding (aws " + binding + ") serializes nested_virtualization, which it should not know");

    const rp = tf.terraform.required_providers;
    const want = { source, version: atFloor ? binding : ">= 6.33.0, < 7.0.0" };
    const same = Object.keys(rp.aws).length === 2 && rp.aws.source === want.source && rp.aws.version === want.version;
    if (!same) fail("required_providers.aws is " + JSON.stringify(rp.aws) + ", expected " + JSON.stringify(want));
    const report = JSON.parse(fs.readFileSync(path.join(dir, "cdktf.out", "stacks", "nested", "compliance-report.json"), "utf8"));
    if (!report.compliant) fail("compliance report is not compliant");
    console.log("aws (" + flavor + "): binding aws " + binding + (atFloor ? " (knows nested_virtualization)" : "") + "; one nested_virtualization key; required_providers.aws " + JSON.stringify(rp.aws) + "; compliance " + report.profile + " pass");
  ' "$dir" "$flavor"
}

# The platform tags (GCP: labels) reach the bindings' resources. On cdktn the bindings' classes
# extend another copy of the core library than this library's `cdktf`; an instanceof check once
# left every AWS and Azure resource untagged there, with nothing else failing.
smoke_platform_tags() {
  # shellcheck disable=SC2016 # JavaScript in single quotes, on purpose
  node -e '
    const fs = require("fs"), path = require("path");
    const [dir, cloud] = process.argv.slice(1);
    const tf = JSON.parse(fs.readFileSync(path.join(dir, "cdktf.out", "stacks", "sandboxes", "cdk.tf.json"), "utf8"));
    let tagged = 0;
    for (const byName of Object.values(tf.resource || {})) {
      for (const r of Object.values(byName)) {
        const t = r.tags || r.labels || r.user_labels;
        if (t && t["managed-by"] === "cdktf-sandbox-byoc") tagged++;
      }
    }
    // The README examples tag 53 (AWS), 48 (Azure) and label 8 (GCP) resources; before the fix the cdktn
    // projects had 0 (AWS) and 3 (Azure).
    const min = { aws: 25, azure: 25, gcp: 5 }[cloud];
    if (tagged < min) { console.error(cloud + ": only " + tagged + " resources carry the platform tag managed-by = cdktf-sandbox-byoc, expected at least " + min); process.exit(1); }
    console.log(cloud + ": " + tagged + " resources carry the platform tags");
  ' "$1" "$2"
}
