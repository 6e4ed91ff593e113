import { ProjectIamCustomRole } from '@cdktf/provider-google/lib/project-iam-custom-role';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { Construct } from 'constructs';
import { ControlPlaneAccess, ResolvedControlPlane } from '../spec';
import { GcpProjectContext } from './context';

/**
 * Read permissions of the control plane (both access levels). List and get calls on a project's
 * collections and time series are checked against the project, so this role is bound without a
 * condition. Permission names: cloud.google.com/iam/docs/permissions-reference.
 * - No log permission here: log entries are read through one log view only (GCP_LOG_VIEW_ACCESSOR
 *   with a condition on the view's name), never project-wide, so the vendor never reads the audit
 *   trail or the _Default bucket ("Principals with roles/logging.viewAccessor on a project can
 *   access views and logs in any log bucket in the project": cloud.google.com/logging/docs/logs-views).
 * - compute.instances.get/list and instanceTemplates.get/list return instance metadata, including
 *   the startup script. The vendor needs them to find and drive its hosts; the startup script holds
 *   no secret (it is generated from the spec and rejects Terraform references), so spec
 *   bootstrapCommands must never carry one either. List calls cannot be narrowed by IAM conditions,
 *   so deploy a platform in its own project to keep other VMs' metadata out of the vendor's view.
 * - monitoring reads are project-wide metrics and alert policies (no log content).
 */
export const GCP_CONTROL_PLANE_READ_PERMISSIONS = [
  'compute.autoscalers.get',
  'compute.autoscalers.list',
  'compute.instanceGroupManagers.get',
  'compute.instanceGroupManagers.list',
  'compute.instanceTemplates.get',
  'compute.instanceTemplates.list',
  'compute.instances.get',
  'compute.instances.list',
  'compute.regionOperations.get',
  'compute.zoneOperations.get',
  'monitoring.alertPolicies.get',
  'monitoring.alertPolicies.list',
  'monitoring.metricDescriptors.get',
  'monitoring.metricDescriptors.list',
  'monitoring.timeSeries.list',
];

/**
 * OPERATE adds changing this platform's groups and autoscalers: resize, roll out, recreate
 * instances, change autoscaler bounds. Bound with an IAM condition on the exact resource names.
 */
export const GCP_CONTROL_PLANE_OPERATE_PERMISSIONS = [
  'compute.autoscalers.update',
  'compute.instanceGroupManagers.update',
];

/** The predefined role that reads logs through a view (logging.views.access et al.; cloud.google.com/logging/docs/access-control). */
export const GCP_LOG_VIEW_ACCESSOR = 'roles/logging.viewAccessor';

/** Bucket role of the control plane per access level. */
export const GCP_CONTROL_PLANE_BUCKET_ROLES: { readonly [a in ControlPlaneAccess]: string } = {
  [ControlPlaneAccess.OPERATE]: 'roles/storage.objectUser',
  [ControlPlaneAccess.READ_ONLY]: 'roles/storage.objectViewer',
};

export interface GcpControlPlaneAccessProps {
  readonly name: string;
  readonly context: GcpProjectContext;
  readonly controlPlane: ResolvedControlPlane;
  /** Artifact bucket name: object read (READ_ONLY) or read/write (OPERATE). */
  readonly artifactBucketName: string;
  /** Names of this platform's regional instance groups (and their autoscalers, which share the names). */
  readonly instanceGroupNames: string[];
  /**
   * Resource name of the only log view the control plane may read
   * (projects/P/locations/L/buckets/B/views/V). Default: no log access at all.
   */
  readonly logViewName?: string;
}

/**
 * BYOC: an operator service account ("<name>-control") that only the vendor principal may
 * impersonate (roles/iam.serviceAccountTokenCreator on that one account, not on the project), with
 * custom roles: read (get/list of groups, autoscalers, instances and templates; metrics and alert
 * policies) for both levels, roles/logging.viewAccessor conditioned on the platform's log view
 * (no audit logs in it), and for OPERATE an update role bound with an IAM condition that names this
 * platform's instance groups and autoscalers exactly.
 * Limits: IAM conditions on resource names are honoured by Compute Engine and Cloud Logging views
 * (cloud.google.com/iam/docs/conditions-resource-attributes, cloud.google.com/logging/docs/logs-views);
 * list calls and Monitoring reads are project-wide, so READ covers the whole project's instances
 * and metrics — deploy a platform in its own project to confine reads. Custom role ids cannot be
 * reused for 37 days after deletion (cloud.google.com/iam/docs/creating-custom-roles#deleting-custom-role).
 */
export class GcpControlPlaneAccess extends Construct {
  public readonly serviceAccount: ServiceAccount;
  public readonly email: string;
  public readonly readRole: ProjectIamCustomRole;
  public readonly operateRole?: ProjectIamCustomRole;
  /** The IAM condition expression of the OPERATE binding. */
  public readonly operateCondition?: string;

  constructor(scope: Construct, id: string, props: GcpControlPlaneAccessProps) {
    super(scope, id);
    const { context: ctx, controlPlane: cp, name } = props;
    const project = ctx.project;
    this.serviceAccount = new ServiceAccount(this, 'sa', {
      project,
      accountId: `${name}-control`,
      displayName: `${name} vendor control plane`,
      description: `Impersonated by ${cp.principal} (${cp.access})`,
    });
    this.email = this.serviceAccount.email;
    const member = this.serviceAccount.member;
    new ServiceAccountIamMember(this, 'vendor-impersonation', {
      serviceAccountId: this.serviceAccount.name,
      role: 'roles/iam.serviceAccountTokenCreator',
      member: `serviceAccount:${cp.principal}`,
    });

    // Custom role ids allow [a-zA-Z0-9_.] only (cloud.google.com/iam/docs/creating-custom-roles#naming_the_role).
    const roleBase = `${name.replace(/-/g, '_')}_control_plane`;
    this.readRole = new ProjectIamCustomRole(this, 'read-role', {
      project, roleId: `${roleBase}_read`, title: `${name} control plane: read`, stage: 'GA',
      description: `Vendor control plane of ${name}: read groups, instances, logs and metrics`,
      permissions: [...GCP_CONTROL_PLANE_READ_PERMISSIONS],
    });
    new ProjectIamMember(this, 'read', { project, role: this.readRole.name, member });
    if (props.logViewName) {
      new ProjectIamMember(this, 'log-view', {
        project, role: GCP_LOG_VIEW_ACCESSOR, member,
        condition: {
          title: `${name} platform log view only`,
          description: 'Logs of this platform through its view; never the audit bucket or _Default',
          expression: `resource.name == "${props.logViewName}"`,
        },
      });
    }

    if (cp.access === ControlPlaneAccess.OPERATE) {
      this.operateRole = new ProjectIamCustomRole(this, 'operate-role', {
        project, roleId: `${roleBase}_operate`, title: `${name} control plane: operate`, stage: 'GA',
        description: `Vendor control plane of ${name}: resize and roll out its instance groups`,
        permissions: [...GCP_CONTROL_PLANE_OPERATE_PERMISSIONS],
      });
      this.operateCondition = gcpOperateCondition(project, ctx.region, props.instanceGroupNames);
      new ProjectIamMember(this, 'operate', {
        project, role: this.operateRole.name, member,
        condition: {
          title: `${name} instance groups only`,
          description: 'Only this platform\'s regional instance groups and autoscalers, by exact name',
          expression: this.operateCondition,
        },
      });
    }
    new StorageBucketIamMember(this, 'artifacts', { bucket: props.artifactBucketName, role: GCP_CONTROL_PLANE_BUCKET_ROLES[cp.access], member });
  }
}

/**
 * CEL condition matching exactly the named regional instance groups and autoscalers. Resource
 * names of regional Compute Engine resources are "projects/P/regions/R/<collection>/NAME"
 * (cloud.google.com/iam/docs/conditions-resource-attributes#resource-name). With no groups the
 * condition matches nothing.
 */
export function gcpOperateCondition(project: string, region: string, groupNames: readonly string[]): string {
  const names = [...groupNames].sort().flatMap((g) => ['instanceGroupManagers', 'autoscalers']
    .map((collection) => `resource.name == "projects/${project}/regions/${region}/${collection}/${g}"`));
  return names.length > 0 ? names.join(' || ') : 'false';
}
