import { IConstruct } from 'constructs';
import { Lazy, TerraformProvider, TerraformResource, TerraformStack } from 'cdktf';
import { compareVersions, mergeProviderVersion } from './constraint';

export { compareVersions, floorRange, mergeProviderVersion } from './constraint';

/**
 * The one place that reaches past the provider bindings. cdktf was archived upstream in December
 * 2025 and its prebuilt bindings stop at aws 6.25.0, google 6.50.0 and azurerm 4.55.0; the CDK
 * Terrain (cdktn) bindings go further (@cdktn/provider-aws 25.7.0: aws 6.66.0; @cdktn/provider-azurerm
 * 16.1.0: azurerm 4.73.0). Each function here sets a raw argument AND makes the stack's
 * `required_providers` admit only releases that have it, in one call, so a plan can never run
 * against a provider that would reject (or silently drop) the argument. The raw override is used
 * with every binding, also one that knows the argument: it writes the same key at the same path
 * (the smoke test checks this against the cdktn binding's own serializer), and one code path is
 * tested on both.
 */

/** Terraform registry source of each provider where the stack has no binding provider to take it from. */
const SOURCES: { readonly [provider: string]: string } = { aws: 'aws', google: 'google', azurerm: 'azurerm', time: 'hashicorp/time' };

const minimums = new WeakMap<TerraformStack, Map<string, string>>();

/** The provider construct of that name in the stack, from whichever binding is installed (cdktf or cdktn). */
function bindingProvider(stack: TerraformStack, provider: string): TerraformProvider | undefined {
  // isTerraformProvider checks a Symbol.for marker, so a binding built on another copy of the core
  // library (cdktn providers import 'cdktn', this library 'cdktf' aliased to cdktn) is found too.
  return stack.node.findAll().find((c: IConstruct): c is TerraformProvider =>
    TerraformProvider.isTerraformProvider(c) && c.terraformGeneratorMetadata?.providerName === provider);
}

/**
 * Makes `terraform.required_providers.<provider>` of the stack holding `resource` admit only
 * releases >= `minVersion` (and below the next major), as ONE constraint merged with what the
 * stack's binding writes (see constraint.ts): a binding already at or above the floor keeps its own
 * pin; an older one is replaced by the range. Decided at synth, so providers added later count.
 * Calls with lower minimums than an earlier one are no-ops.
 */
export function requireProviderVersion(resource: TerraformResource, provider: string, minVersion: string): void {
  const stack = TerraformStack.of(resource);
  const defaultSource = SOURCES[provider];
  if (!defaultSource) throw new Error(`provider-compat: unknown provider ${JSON.stringify(provider)}`);
  let perStack = minimums.get(stack);
  if (!perStack) minimums.set(stack, (perStack = new Map()));
  const current = perStack.get(provider);
  if (current && compareVersions(current, minVersion) >= 0) return;
  perStack.set(provider, minVersion);
  if (current) return; // the overrides below read the raised minimum at synth
  const floors = perStack;
  const path = `terraform.required_providers.${provider}`;
  stack.addOverride(`${path}.source`, Lazy.stringValue({
    produce: () => bindingProvider(stack, provider)?.terraformProviderSource ?? defaultSource,
  }));
  stack.addOverride(`${path}.version`, Lazy.stringValue({
    produce: () => {
      const meta = bindingProvider(stack, provider)?.terraformGeneratorMetadata;
      return mergeProviderVersion(provider, floors.get(provider) as string, meta?.providerVersion ?? meta?.providerVersionConstraint);
    },
  }));
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

/**
 * google >= 7.22.0 has GKE Sandbox in the GA provider: `node_config.sandbox_config.type = "GVISOR"`
 * on google_container_node_pool (and google_container_cluster). Through 7.21.x the GA provider has
 * no sandbox_config at all (google/services/container/node_config.go at v6.50.0 and v7.21.0); v7.22.0
 * adds it with ValidateFunc StringInSlice("GVISOR") (CHANGELOG 7.22.0: "promoted `sandbox_config`
 * field in `google_container_cluster` and `google_container_node_pool` resources to GA",
 * terraform-provider-google PR #26247). The beta provider's older `sandbox_type = "gvisor"` is not used.
 */
export const GOOGLE_GKE_SANDBOX_MIN_VERSION = '7.22.0';

/** Runs the node pool's nodes with GKE Sandbox (gVisor) and raises the google floor. */
export function enableGkeSandbox(nodePool: TerraformResource): void {
  if (nodePool.terraformResourceType !== 'google_container_node_pool') {
    throw new Error(`provider-compat: GKE Sandbox is set on node pools here, got ${nodePool.terraformResourceType}`);
  }
  nodePool.addOverride('node_config.sandbox_config.type', 'GVISOR');
  requireProviderVersion(nodePool, 'google', GOOGLE_GKE_SANDBOX_MIN_VERSION);
}
