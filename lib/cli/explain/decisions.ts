/**
 * The preset decisions a resolved plan carries, each with the reason (the profile floor or the
 * spec value that set it). Pure: reads the plan, never the constructs.
 */
import {
  CloudProvider, ComplianceProfile, DeploymentModel, EgressMode, LOG_RETENTION_FLOOR_DAYS, Orchestrator, ResolvedPlatform,
} from '../../spec';

/** One setting of the plan, its value and why it has that value. */
export interface Decision {
  /** Stable key for --format json, e.g. "logRetention". */
  readonly key: string;
  readonly setting: string;
  readonly value: string;
  readonly why: string;
}

const KEY_SERVICE: { readonly [c in CloudProvider]: string } = {
  [CloudProvider.AWS]: 'KMS',
  [CloudProvider.GCP]: 'Cloud KMS',
  [CloudProvider.AZURE]: 'Key Vault',
};

const AUDIT: { readonly [c in CloudProvider]: string } = {
  [CloudProvider.AWS]: 'a CloudTrail trail',
  [CloudProvider.GCP]: 'Data Access audit logs for every service, kept by a log sink',
  [CloudProvider.AZURE]: 'a subscription activity-log export (diagnostic setting)',
};

// Sources of the floors: lib/spec/presets.ts (LOG_RETENTION_FLOOR_DAYS, KEY_ROTATION).
const RETENTION_WHY: { readonly [p in ComplianceProfile]: string } = {
  [ComplianceProfile.BASELINE]: `baseline floor ${LOG_RETENTION_FLOOR_DAYS[ComplianceProfile.BASELINE]} days (90 days online, CIS practice)`,
  [ComplianceProfile.SOC2]: `soc2 floor ${LOG_RETENTION_FLOOR_DAYS[ComplianceProfile.SOC2]} days (evidence over a 12-month Type II window)`,
  [ComplianceProfile.HIPAA]: `hipaa floor ${LOG_RETENTION_FLOOR_DAYS[ComplianceProfile.HIPAA]} days (6 years, 45 CFR 164.316(b)(2))`,
};

const ROTATION_WHY: { readonly [c in CloudProvider]: string } = {
  [CloudProvider.AWS]: 'KMS automatic rotation, 365 days for every profile',
  [CloudProvider.GCP]: 'Cloud KMS rotation period, 90 days (CIS GCP 1.10) for every profile',
  [CloudProvider.AZURE]: 'Key Vault rotation policy, 365 days for every profile',
};

function natDecision(plan: ResolvedPlatform): Decision {
  const n = plan.network;
  const profile = plan.compliance;
  const key = 'nat';
  const setting = 'NAT';
  if (n.egress === EgressMode.NONE) return { key, setting, value: 'none', why: 'egress none: the network has no path to the internet' };
  if (plan.cloud === CloudProvider.GCP) {
    return { key, setting, value: 'one Cloud NAT (regional)', why: `egress ${n.egress}: Cloud NAT is a regional service serving every zone` };
  }
  if (plan.cloud === CloudProvider.AZURE) {
    if (n.egress === EgressMode.FIREWALL) return { key, setting, value: 'none (Azure Firewall translates egress)', why: 'egress firewall: all egress leaves through the firewall' };
    const count = Math.max(1, Math.min(n.natGateways, n.zones));
    return {
      key, setting, value: `${count} NAT gateway${count === 1 ? '' : 's'}`,
      why: plan.preset.natPerZone ? `${profile}: one per zone, so a zone outage keeps egress in the others` : 'baseline: one shared gateway (cheaper; not zone-redundant)',
    };
  }
  const count = n.natGateways;
  const why = n.egress === EgressMode.FIREWALL
    ? `egress firewall: one per zone (${n.zones}), the firewall needs a symmetric path per zone`
    : plan.preset.natPerZone ? `${profile}: one per zone (${n.zones}), so a zone outage keeps egress in the others`
      : 'baseline: one shared gateway (cheaper; not zone-redundant)';
  return { key, setting, value: `${count} NAT gateway${count === 1 ? '' : 's'}`, why };
}

const METADATA_WHY = 'the sandbox is hostile: metadata endpoints hand out credentials';

/**
 * What protects the node's metadata endpoint from sandboxes, per cloud and orchestrator (README
 * "Kubernetes mode", docs/gcp.md and docs/azure.md): the host guard runs wherever our bootstrap runs
 * (every instance-mode node, every EKS node) and on AKS sandbox nodes through the node agents of the
 * manifests; GKE nodes run no bootstrap of ours.
 */
function metadataDecision(plan: ResolvedPlatform): Decision {
  const key = 'instanceMetadata';
  const setting = 'instance metadata';
  const kubernetes = plan.orchestrator === Orchestrator.KUBERNETES;
  switch (plan.cloud) {
    case CloudProvider.AWS:
      return {
        key, setting,
        value: kubernetes ? 'IMDSv2 required, hop limit 1; blocked from sandbox pods by the host guard (pod interfaces too)' : 'IMDSv2 required, hop limit 1; blocked from sandboxes by the host guard',
        why: METADATA_WHY,
      };
    case CloudProvider.GCP:
      return kubernetes
        ? {
          key, setting,
          value: 'GKE metadata server (Workload Identity) on every pool: pods get their own Kubernetes service account\'s identity, never the node\'s token; no host guard',
          why: `${METADATA_WHY}; GKE runs no startup script, so the host guard is not on GKE nodes (docs/gcp.md)`,
        }
        : { key, setting, value: 'blocked from sandboxes by the host guard (with nat egress, DNS to the metadata server only)', why: METADATA_WHY };
    case CloudProvider.AZURE:
      return kubernetes
        ? {
          key, setting,
          value: 'blocked from sandbox pods by the host guard the node agents load (IMDS and WireServer 168.63.129.16; kube-system pods under the default runtime exempt); ' +
            'sandbox handlers are registered only once it is loaded',
          why: `${METADATA_WHY}; AKS nodes take no custom data, so a privileged DaemonSet per RuntimeClass in kubernetes-manifests.json loads the guard ` +
            '(apply the manifests before sandbox pods; docs/azure.md)',
        }
        : { key, setting, value: 'blocked from sandboxes by the host guard (IMDS and WireServer 168.63.129.16)', why: METADATA_WHY };
    default:
      return { key, setting, value: 'blocked from sandboxes by the host guard', why: METADATA_WHY };
  }
}

/** The plan's preset decisions, in a fixed order. */
export function presetDecisions(plan: ResolvedPlatform): Decision[] {
  const p = plan.preset;
  const o = plan.observability;
  const n = plan.network;
  const floor = p.logRetentionFloorDays;
  const decisions: Decision[] = [
    {
      key: 'customerManagedKeys', setting: 'customer-managed keys',
      value: `created (${KEY_SERVICE[plan.cloud]}) for disks, buckets and logs`,
      why: p.customerManagedKeysRequired ? `${plan.compliance} requires customer-managed keys` : 'baseline does not require them; created anyway, replaceable with your own key',
    },
    { key: 'keyRotation', setting: 'key rotation', value: `at most every ${p.keyRotationMaxDays[plan.cloud]} days`, why: ROTATION_WHY[plan.cloud] },
    {
      key: 'logRetention', setting: 'log retention', value: `${o.logRetentionDays} days`,
      why: o.logRetentionDays > floor ? `raised by spec.observability.logRetentionDays above the ${RETENTION_WHY[plan.compliance]}` : RETENTION_WHY[plan.compliance],
    },
    {
      key: 'auditTrail', setting: 'audit trail',
      value: o.createAuditTrail ? `created: ${AUDIT[plan.cloud]}${p.auditLogFileValidation && plan.cloud === CloudProvider.AWS ? ', log-file validation on' : ''}` : 'not created',
      why: o.createAuditTrail ? 'every profile keeps an audit trail' : 'spec.observability.existingOrganizationTrail: an organization trail already covers the account',
    },
    { key: 'flowLogs', setting: 'flow logs', value: 'all traffic', why: 'every profile' },
    natDecision(plan),
    {
      key: 'egress', setting: 'egress',
      value: n.egress === EgressMode.FIREWALL ? `firewall, ${n.allowedDomains.length} allowed domain${n.allowedDomains.length === 1 ? '' : 's'}` : n.egress,
      why: n.egress === EgressMode.FIREWALL ? `spec.network.egress: sandboxes reach only ${n.allowedDomains.join(', ') || 'nothing'}`
        : n.egress === EgressMode.NAT ? 'spec.network.egress (default nat): sandboxes reach any internet address' : 'spec.network.egress: no internet egress',
    },
    {
      key: 'preventDestroy', setting: 'prevent_destroy', value: p.preventDestroy ? 'on for keys and audit/log buckets' : 'off',
      why: p.preventDestroy ? `${plan.compliance}: audit evidence must survive a terraform destroy` : 'baseline: stateful resources stay destroyable',
    },
    {
      key: 'bucketAccessLogging', setting: 'bucket access logging', value: p.bucketAccessLogging ? 'on' : 'off',
      why: p.bucketAccessLogging ? `${plan.compliance} requires access logs on artifact and audit buckets` : 'baseline does not require it',
    },
    {
      key: 'lockLogRetention', setting: 'log retention lock', value: p.lockLogRetention ? 'on (immutable where the cloud supports it)' : 'off',
      why: p.lockLogRetention ? 'hipaa: logs may not be shortened or deleted before the retention ends' : `${plan.compliance} does not require it`,
    },
    { key: 'tlsMinimum', setting: 'TLS minimum', value: p.tlsMinimum, why: 'every profile' },
    { key: 'publicAccess', setting: 'public access', value: 'no public IPs on nodes, no SSH from the internet', why: 'every profile' },
    metadataDecision(plan),
    plan.deployment === DeploymentModel.BYOC && plan.controlPlane
      ? {
        key: 'controlPlane', setting: 'vendor control-plane access', value: `${plan.controlPlane.access} for ${plan.controlPlane.principal}`,
        why: 'byoc: the vendor operates the platform through a role scoped to it',
      }
      : { key: 'controlPlane', setting: 'vendor control-plane access', value: 'none', why: `${plan.deployment}: no cross-account principal` },
  ];
  return decisions;
}
