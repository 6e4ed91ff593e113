import { Aspects, IAspect, TerraformDataSource, TerraformProvider, TerraformResource } from 'cdktf';
import { Construct, IConstruct } from 'constructs';

/**
 * Applies platform tags to every resource below a construct that takes a `tags` argument and,
 * when given, the (possibly aliased) provider to every resource and data source of that provider
 * (not to resources of other providers, such as hashicorp/time's time_sleep). One aspect
 * instead of tags at every call site: nothing added later in the subtree can miss them. Explicit
 * tags on a resource win over the inherited ones; resources without `tags` are left alone.
 * Used by the AWS and Azure platforms (GCP labels differ: see lib/gcp/scope-aspect.ts).
 */
export class ScopeAspect implements IAspect {
  constructor(private readonly tags: { readonly [k: string]: string }, private readonly provider?: TerraformProvider) {}

  public visit(node: IConstruct): void {
    // isTerraformResource/isTerraformDataSource, not instanceof: a binding built on another copy of the
    // core library (the cdktn bindings import 'cdktn'; this library 'cdktf', an alias of it) is a
    // resource too. instanceof skipped them: no tags, no provider (see README, CDK Terrain).
    if (!TerraformResource.isTerraformResource(node) && !TerraformDataSource.isTerraformDataSource(node)) return;
    if (this.provider && !node.provider && node.terraformGeneratorMetadata?.providerName === this.provider.terraformResourceType) {
      node.provider = this.provider;
    }
    if (TerraformResource.isTerraformResource(node) && hasTags(node)) {
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

/** Adds a ScopeAspect to `scope`. */
export function applyScope(scope: Construct, tags: { readonly [k: string]: string }, provider?: TerraformProvider): void {
  Aspects.of(scope).add(new ScopeAspect(tags, provider));
}
