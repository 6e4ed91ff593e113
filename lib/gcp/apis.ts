import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { Aspects, IAspect, TerraformDataSource, TerraformResource, dependable } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { TimeSleep } from '../common/time-sleep';

/**
 * Google APIs a platform may call, by what needs them:
 * - compute: networks, firewall policies, templates, instance groups (and creating it creates the
 *   Compute Engine service agent service-<number>@compute-system.iam.gserviceaccount.com that the
 *   disk key's grant names: cloud.google.com/compute/docs/access/service-accounts#compute_engine_service_account);
 * - cloudkms: key ring, keys and their IAM; iam: service accounts and custom roles;
 * - cloudresourcemanager: data.google_project, project IAM members, the audit config; also what
 *   google_project_service itself reads (resource_google_project_service.go: Projects.Get);
 * - logging, monitoring, storage: log buckets, sinks, views, metrics, alerts, dashboard, buckets;
 * - dns: private zones and the DNS server policy (egress "firewall" and "none");
 * - orgpolicy: the nested-virtualization policy override;
 * - iamcredentials: the vendor mints tokens for the control-plane account (BYOC);
 * - container: GKE clusters and node pools (Kubernetes mode); enabling it creates the GKE service
 *   agent service-<number>@container-engine-robot.iam.gserviceaccount.com that the Secrets key's grant names.
 * Service Usage (serviceusage.googleapis.com) itself must already be on: it is what enables the others.
 */
export enum GcpApi {
  COMPUTE = 'compute.googleapis.com',
  CLOUDKMS = 'cloudkms.googleapis.com',
  IAM = 'iam.googleapis.com',
  IAM_CREDENTIALS = 'iamcredentials.googleapis.com',
  RESOURCE_MANAGER = 'cloudresourcemanager.googleapis.com',
  LOGGING = 'logging.googleapis.com',
  MONITORING = 'monitoring.googleapis.com',
  STORAGE = 'storage.googleapis.com',
  DNS = 'dns.googleapis.com',
  ORG_POLICY = 'orgpolicy.googleapis.com',
  /** GKE (Kubernetes mode): the cluster, node pools and the GKE service agent that uses the Secrets key. */
  CONTAINER = 'container.googleapis.com',
}

/**
 * Wait after the APIs are enabled before anything uses them. The provider returns when the enable
 * operation is done (resource_google_project_service.go waits on the Service Usage operation), but
 * the service agents an enablement creates (Compute Engine's) are new principals, and grants to new
 * principals propagate like any IAM change: "typically within 2 minutes", sometimes 7 or more
 * (cloud.google.com/iam/docs/access-change-propagation). 120 s covers the typical case; the grants
 * that matter are also retried by the services themselves (a MIG keeps recreating VMs).
 */
export const GCP_API_PROPAGATION = '120s';

/** Wait between an IAM grant and its first use (same source: "typically within 2 minutes"). */
export const GCP_IAM_PROPAGATION = '120s';

export interface GcpProjectServicesProps {
  readonly project: string;
  readonly apis: GcpApi[];
}

/**
 * Enables the platform's APIs in its project (google_project_service, disable_on_destroy = false:
 * destroying the platform never turns an API off for the rest of the project;
 * disable_dependent_services is only read when disabling, so it stays unset), then waits
 * GCP_API_PROPAGATION. `ready` is what every Google resource and data source of the platform
 * depends on (applyGcpApiDependencies), so a fresh project gets its APIs before the first call,
 * and data sources are read at apply time on the first run instead of failing at plan.
 */
export class GcpProjectServices extends Construct {
  public readonly services: { readonly [api: string]: ProjectService };
  public readonly ready: TimeSleep;

  constructor(scope: Construct, id: string, props: GcpProjectServicesProps) {
    super(scope, id);
    const services: { [api: string]: ProjectService } = {};
    for (const api of [...new Set(props.apis)].sort()) {
      services[api] = new ProjectService(this, api.split('.')[0], {
        project: props.project, service: api, disableOnDestroy: false,
      });
    }
    this.services = services;
    this.ready = new TimeSleep(this, 'propagation', {
      createDuration: GCP_API_PROPAGATION,
      triggers: { apis: Object.keys(services).join(',') },
      dependsOn: Object.values(services),
    });
  }
}

/** Makes every google_* resource and data source below `scope` (but the services themselves) depend on `ready`. */
export class GcpApiDependencyAspect implements IAspect {
  constructor(private readonly ready: TimeSleep) {}

  public visit(node: IConstruct): void {
    // Not instanceof: a binding on another copy of the core library counts (lib/common/scope-aspect.ts).
    if (!TerraformResource.isTerraformResource(node) && !TerraformDataSource.isTerraformDataSource(node)) return;
    const type = node.terraformResourceType;
    if (!type.startsWith('google_') || type === 'google_project_service') return;
    // dependable() renders "time_sleep.x", the form Terraform's depends_on takes (as the constructors' dependsOn do).
    const dep = dependable(this.ready);
    const current = node.dependsOn ?? [];
    if (!current.includes(dep)) node.dependsOn = [...current, dep];
  }
}

export function applyGcpApiDependencies(scope: Construct, ready: TimeSleep): void {
  Aspects.of(scope).add(new GcpApiDependencyAspect(ready));
}
