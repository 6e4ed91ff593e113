import { TerraformResource, TerraformStack } from 'cdktf';

/**
 * The one place that reaches past the frozen provider bindings. cdktf was archived upstream in
 * December 2025 and its prebuilt bindings stop at aws 6.25.0, google 6.50.0 and azurerm 4.55.0.
 * Each function here sets a raw argument the binding does not know AND raises the stack's
 * `required_providers` constraint to the release that introduced it, in one call, so a plan can
 * never run against a provider that would reject (or silently drop) the argument.
 */

/** Terraform registry source of each provider, matching the prebuilt bindings' required_providers keys. */
const SOURCES: { readonly [provider: string]: string } = { aws: 'aws', google: 'google', azurerm: 'azurerm', time: 'hashicorp/time' };

const minimums = new WeakMap<TerraformStack, Map<string, string>>();

/**
 * Raises `terraform.required_providers.<provider>.version` of the stack holding `scope` to at
 * least `minVersion` (below the next major). Calls with lower minimums are no-ops.
 */
export function requireProviderVersion(resource: TerraformResource, provider: string, minVersion: string): void {
  const stack = TerraformStack.of(resource);
  const source = SOURCES[provider];
  if (!source) throw new Error(`provider-compat: unknown provider ${JSON.stringify(provider)}`);
  let perStack = minimums.get(stack);
  if (!perStack) minimums.set(stack, (perStack = new Map()));
  const current = perStack.get(provider);
  if (current && compareVersions(current, minVersion) >= 0) return;
  perStack.set(provider, minVersion);
  const major = Number(minVersion.split('.')[0]);
  stack.addOverride(`terraform.required_providers.${provider}`, { source, version: `>= ${minVersion}, < ${major + 1}.0.0` });
}

/** Semver-ish comparison of dotted numeric versions. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * aws >= 6.33.0 added `cpu_options.nested_virtualization` to aws_launch_template (EC2 nested
 * virtualization on C8i/M8i/R8i and their -flex variants; terraform-provider-aws PR #46533).
 */
export const AWS_NESTED_VIRTUALIZATION_MIN_VERSION = '6.33.0';

/** Turns on nested virtualization for instances from this launch template. */
export function enableAwsNestedVirtualization(launchTemplate: TerraformResource): void {
  if (launchTemplate.terraformResourceType !== 'aws_launch_template') {
    throw new Error(`provider-compat: nested virtualization is a launch-template setting, got ${launchTemplate.terraformResourceType}`);
  }
  launchTemplate.addOverride('cpu_options.nested_virtualization', 'enabled');
  requireProviderVersion(launchTemplate, 'aws', AWS_NESTED_VIRTUALIZATION_MIN_VERSION);
}

/** azurerm >= 4.78.0 added `workload_runtime = "KataVmIsolation"` for AKS node pools (Pod Sandboxing). */
export const AZURERM_KATA_MIN_VERSION = '4.78.0';

/** Sets AKS Pod Sandboxing (Kata VM isolation) on an AKS node pool resource. */
export function enableAksKataIsolation(nodePool: TerraformResource): void {
  const t = nodePool.terraformResourceType;
  if (t !== 'azurerm_kubernetes_cluster_node_pool') {
    throw new Error(`provider-compat: Kata isolation is a node-pool setting, got ${t}`);
  }
  nodePool.addOverride('workload_runtime', 'KataVmIsolation');
  requireProviderVersion(nodePool, 'azurerm', AZURERM_KATA_MIN_VERSION);
}

// ---------------------------------------------------------------------------------------------
// GCP (google provider)
// ---------------------------------------------------------------------------------------------

/**
 * google >= 7.32.0 accepts `network_interface.nic_type = "IDPF"` on google_compute_instance_template
 * (the NIC of bare-metal instances). Through 7.31.0 the validator is
 * StringInSlice("GVNIC", "VIRTIO_NET", "MRDMA", "IRDMA") (resource_compute_instance_template.go at
 * v6.50.0 and v7.31.0); v7.32.0 adds "IDPF" (terraform-provider-google PR #27244, from
 * GoogleCloudPlatform/magic-modules PR #17423; CHANGELOG 7.32.0). There is no 6.x release with it, so
 * a stack with a bare-metal pool requires google >= 7.32.0, < 8.0.0.
 */
export const GOOGLE_IDPF_MIN_VERSION = '7.32.0';

/** Sets the IDPF NIC on every network interface of an instance template and raises the google floor. */
export function setGoogleIdpfNic(template: TerraformResource, interfaces = 1): void {
  if (template.terraformResourceType !== 'google_compute_instance_template') {
    throw new Error(`provider-compat: IDPF is set on instance templates here, got ${template.terraformResourceType}`);
  }
  for (let i = 0; i < interfaces; i++) template.addOverride(`network_interface.${i}.nic_type`, 'IDPF');
  requireProviderVersion(template, 'google', GOOGLE_IDPF_MIN_VERSION);
}
