import { Aspects, IAspect, TerraformDataSource, TerraformProvider, TerraformResource } from 'cdktf';
import { Construct, IConstruct } from 'constructs';

/** Longest label key or value GCP accepts (cloud.google.com/compute/docs/labeling-resources#requirements). */
export const GCP_LABEL_MAX_LENGTH = 63;

/**
 * GCP labels from platform tags. Keys and values may hold only lowercase letters, digits, "_" and
 * "-", keys must start with a letter, both at most 63 characters (international characters are
 * allowed too, but we keep ASCII) — cloud.google.com/compute/docs/labeling-resources#requirements.
 * resolvePlatform(spec, GCP) already rejects tags that break these rules, so for a resolved plan
 * this is the identity; for hand-built tag maps it sanitizes deterministically: lowercase, every
 * other character becomes "_", a key that does not start with a letter gets a "k" prefix, then
 * both are cut to 63 characters. Entries are emitted in key order.
 */
export function gcpLabels(tags: { readonly [k: string]: string }): { [k: string]: string } {
  const out: { [k: string]: string } = {};
  for (const k of Object.keys(tags).sort()) {
    let key = k.toLowerCase().replace(/[^a-z0-9_-]/g, '_');
    if (!/^[a-z]/.test(key)) key = `k${key}`;
    out[key.slice(0, GCP_LABEL_MAX_LENGTH)] = tags[k].toLowerCase().replace(/[^a-z0-9_-]/g, '_').slice(0, GCP_LABEL_MAX_LENGTH);
  }
  return out;
}

interface Labelled {
  labels: { [k: string]: string };
  readonly labelsInput?: { [k: string]: string };
}

interface UserLabelled {
  userLabels: { [k: string]: string };
  readonly userLabelsInput?: { [k: string]: string };
}

/**
 * Resource types whose `labels` argument is configuration, not resource labels (a notification
 * channel's `labels` hold its e-mail address); they carry resource labels in `user_labels`.
 */
const LABELS_ARE_CONFIG = new Set(['google_monitoring_notification_channel']);

/**
 * Applies platform labels to every labellable resource below a construct and, when given, the
 * (possibly aliased) provider to every google_* resource and data source. Monitoring resources take them
 * as `user_labels`. Explicit labels on a resource win over the inherited ones.
 */
export class GcpScopeAspect implements IAspect {
  private readonly labels: { readonly [k: string]: string };

  constructor(tags: { readonly [k: string]: string }, private readonly provider?: TerraformProvider) {
    this.labels = gcpLabels(tags);
  }

  public visit(node: IConstruct): void {
    // Not instanceof: a binding on another copy of the core library counts (lib/common/scope-aspect.ts).
    if (!TerraformResource.isTerraformResource(node) && !TerraformDataSource.isTerraformDataSource(node)) return;
    // Only Google resources take the Google provider (time_sleep is hashicorp/time's).
    if (this.provider && !node.provider && node.terraformResourceType.startsWith('google_')) node.provider = this.provider;
    if (!TerraformResource.isTerraformResource(node)) return;
    if (isUserLabelled(node)) {
      node.userLabels = { ...this.labels, ...(node.userLabelsInput ?? {}) };
    } else if (isLabelled(node) && !LABELS_ARE_CONFIG.has(node.terraformResourceType)) {
      node.labels = { ...this.labels, ...(node.labelsInput ?? {}) };
    }
  }
}

function isLabelled(node: object): node is Labelled {
  return 'labelsInput' in node;
}

function isUserLabelled(node: object): node is UserLabelled {
  return 'userLabelsInput' in node;
}

/** True if resources of this construct's type take platform labels (what the aspect labels). */
export function isGcpLabellable(node: IConstruct): boolean {
  return TerraformResource.isTerraformResource(node) && (isUserLabelled(node) || (isLabelled(node) && !LABELS_ARE_CONFIG.has(node.terraformResourceType)));
}

/** Adds the aspect to `scope`. */
export function applyGcpScope(scope: Construct, tags: { readonly [k: string]: string }, provider?: TerraformProvider): void {
  Aspects.of(scope).add(new GcpScopeAspect(tags, provider));
}
