import { Aspects, IAspect, TerraformDataSource, TerraformProvider, TerraformResource } from 'cdktf';
import { Construct, IConstruct } from 'constructs';

/**
 * Applies platform tags to every taggable azurerm resource below a construct and, when given, the
 * (possibly aliased) provider to every resource and data source. One aspect instead of tags on
 * every call site: nothing added later in the subtree can miss them. Explicit tags on a resource
 * win over the inherited ones. Resources without a `tags` argument (role assignments, subnets,
 * associations, flow-log storage policies...) are left alone: Azure cannot tag them.
 */
export class AzureScopeAspect implements IAspect {
  constructor(private readonly tags: { readonly [k: string]: string }, private readonly provider?: TerraformProvider) {}

  public visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource) && !(node instanceof TerraformDataSource)) return;
    if (this.provider && !node.provider) node.provider = this.provider;
    if (node instanceof TerraformResource && hasTags(node)) {
      node.tags = { ...this.tags, ...(node.tagsInput ?? {}) };
    }
  }
}

interface Taggable {
  tags: { [k: string]: string };
  readonly tagsInput?: { [k: string]: string };
}

function hasTags(node: object): node is Taggable {
  return 'tagsInput' in node;
}

/** Adds the aspect to `scope`. */
export function applyAzureScope(scope: Construct, tags: { readonly [k: string]: string }, provider?: TerraformProvider): void {
  Aspects.of(scope).add(new AzureScopeAspect(tags, provider));
}
