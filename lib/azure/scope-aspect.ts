// azurerm resources take `tags` where Azure can tag them (role assignments, subnets and
// associations cannot, and have no such argument): the shared aspect applies as is, except that the
// (possibly aliased) azurerm provider goes only to azurerm resources and data sources: the
// platform's propagation waits are hashicorp/time resources, which an azurerm provider cannot serve.
import { Aspects, TerraformDataSource, TerraformProvider, TerraformResource } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { ScopeAspect } from '../common/scope-aspect';

export { ScopeAspect as AzureScopeAspect } from '../common/scope-aspect';

/** Tags every taggable resource below `scope`; puts `provider` on its azurerm resources and data sources only. */
export function applyAzureScope(scope: Construct, tags: { readonly [k: string]: string }, provider?: TerraformProvider): void {
  Aspects.of(scope).add(new ScopeAspect(tags));
  if (provider) Aspects.of(scope).add({ visit: (node: IConstruct) => assignAzurermProvider(node, provider) });
}

function assignAzurermProvider(node: IConstruct, provider: TerraformProvider): void {
  if (!(node instanceof TerraformResource) && !(node instanceof TerraformDataSource)) return;
  if (node.terraformGeneratorMetadata?.providerName !== 'azurerm' || node.provider) return;
  node.provider = provider;
}
