import { LoggingProjectBucketConfig } from '@cdktf/provider-google/lib/logging-project-bucket-config';
import { LoggingProjectSink } from '@cdktf/provider-google/lib/logging-project-sink';
import { ProjectIamAuditConfig } from '@cdktf/provider-google/lib/project-iam-audit-config';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { GcpProjectContext } from './context';

/** Data Access audit log types enabled for every service (CIS GCP 2.1; cloud.google.com/logging/docs/audit/configure-data-access). */
export const GCP_AUDIT_LOG_TYPES = ['ADMIN_READ', 'DATA_READ', 'DATA_WRITE'];

/**
 * Ops Agent receiver (and so log name: a files receiver writes under its receiver id) of the
 * hosts' /var/log/auth.log: sshd logins (OS Login users, IAP tunnels) and sudo on the sandbox hosts.
 */
export const GCP_HOST_AUTH_LOG_ID = 'sandbox_host_auth';

/**
 * What the audit trail holds and the platform log bucket never does: every Cloud Audit Log of the
 * project (Admin Activity, Data Access, System Event, Policy Denied: log names
 * "cloudaudit.googleapis.com/<type>", cloud.google.com/logging/docs/audit#types), the hosts'
 * authentication log (shell access) and Cloud DNS query logs (resource type dns_query), the record
 * of the one channel sandboxes keep past the firewall.
 */
export const GCP_AUDIT_LOG_FILTER = `(logName:"cloudaudit.googleapis.com" OR log_id("${GCP_HOST_AUTH_LOG_ID}") OR resource.type="dns_query")`;

export interface GcpAuditLogsProps {
  readonly name: string;
  readonly context: GcpProjectContext;
  /** Retention of the audit bucket (the profile's floor or more). */
  readonly retentionDays: number;
  /** Lock the audit bucket's retention (hipaa): irreversible. Default false. */
  readonly lockRetention?: boolean;
  /** CMEK of the audit bucket (in the platform's region). Default: Google-managed encryption. */
  readonly kmsKeyId?: string;
  /** lifecycle.prevent_destroy on the audit bucket. Default false. */
  readonly preventDestroy?: boolean;
  /** Create the bucket after these (the logging service account's key grant). */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The project's audit trail, kept apart from the logs the vendor may read:
 * - Data Access audit logs (ADMIN_READ, DATA_READ, DATA_WRITE) for all services with no exempted
 *   members. They also record Cloud Storage object reads and writes, which replaces the legacy
 *   bucket usage logs (cloud.google.com/storage/docs/access-logs: "Cloud Audit Logs is the
 *   recommended method"), whose writer group cloud-storage-analytics@google.com an organization
 *   with Domain Restricted Sharing rejects;
 * - a regional log bucket "<name>-audit" (profile retention, locked under hipaa, CMEK) and a sink
 *   that copies every audit log of the project and the hosts' authentication log into it, so they
 *   are kept for the profile's retention instead of the _Default bucket's 30 days (Admin Activity
 *   also stays 400 days in _Required; cloud.google.com/logging/docs/routing/overview#buckets).
 *   The vendor's control plane has no grant on this bucket (GcpControlPlaneAccess reads one view
 *   of the platform bucket only).
 * google_project_iam_audit_config is authoritative for its service in the project: it replaces an
 * allServices audit config made elsewhere for this project.
 */
export class GcpAuditLogs extends Construct {
  public readonly auditConfig: ProjectIamAuditConfig;
  public readonly bucket: LoggingProjectBucketConfig;
  /** The audit bucket as a sink destination. */
  public readonly bucketDestination: string;
  public readonly sink: LoggingProjectSink;

  constructor(scope: Construct, id: string, props: GcpAuditLogsProps) {
    super(scope, id);
    const { context: ctx } = props;
    const project = ctx.project;
    this.auditConfig = new ProjectIamAuditConfig(this, 'all-services', {
      project,
      service: 'allServices',
      auditLogConfig: GCP_AUDIT_LOG_TYPES.map((logType) => ({ logType })),
    });
    const bucketId = `${props.name}-audit`;
    this.bucket = new LoggingProjectBucketConfig(this, 'bucket', {
      project,
      location: ctx.region,
      bucketId,
      description: `Audit trail of sandbox platform ${props.name}: Cloud Audit Logs and host logins`,
      retentionDays: props.retentionDays,
      locked: props.lockRetention ? true : undefined,
      cmekSettings: props.kmsKeyId ? { kmsKeyName: props.kmsKeyId } : undefined,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
      dependsOn: props.dependsOn,
    });
    this.bucketDestination = `logging.googleapis.com/projects/${project}/locations/${ctx.region}/buckets/${bucketId}`;
    this.sink = new LoggingProjectSink(this, 'sink', {
      project,
      name: `${props.name}-audit`,
      description: `Copies the project's audit logs and the ${props.name} hosts' logins into the ${props.name}-audit log bucket`,
      destination: this.bucketDestination,
      filter: GCP_AUDIT_LOG_FILTER,
      uniqueWriterIdentity: true,
      dependsOn: [this.bucket],
    });
  }
}
