import { LoggingProjectSink } from '@cdktf/provider-google/lib/logging-project-sink';
import { ProjectIamAuditConfig } from '@cdktf/provider-google/lib/project-iam-audit-config';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { GcpProjectContext } from './context';

/** Data Access audit log types enabled for every service (CIS GCP 2.1; cloud.google.com/logging/docs/audit/configure-data-access). */
export const GCP_AUDIT_LOG_TYPES = ['ADMIN_READ', 'DATA_READ', 'DATA_WRITE'];

export interface GcpAuditLogsProps {
  readonly name: string;
  readonly context: GcpProjectContext;
  /** Sink destination for the project's audit logs (the platform log bucket). Default: no sink. */
  readonly logBucketDestination?: string;
  /** Create the sink after these (the log bucket). */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The project's audit trail: Data Access audit logs (ADMIN_READ, DATA_READ, DATA_WRITE) for all
 * services with no exempted members, and a sink that copies every audit log of the project
 * (Admin Activity, Data Access, System Event, Policy Denied) into the platform log bucket, so they
 * are kept for the profile's retention instead of the _Default bucket's 30 days (Admin Activity
 * also stays 400 days in _Required; cloud.google.com/logging/docs/routing/overview#buckets).
 * google_project_iam_audit_config is authoritative for its service in the project: it replaces an
 * allServices audit config made elsewhere for this project.
 */
export class GcpAuditLogs extends Construct {
  public readonly auditConfig: ProjectIamAuditConfig;
  public readonly sink?: LoggingProjectSink;

  constructor(scope: Construct, id: string, props: GcpAuditLogsProps) {
    super(scope, id);
    const project = props.context.project;
    this.auditConfig = new ProjectIamAuditConfig(this, 'all-services', {
      project,
      service: 'allServices',
      auditLogConfig: GCP_AUDIT_LOG_TYPES.map((logType) => ({ logType })),
    });
    if (props.logBucketDestination) {
      this.sink = new LoggingProjectSink(this, 'sink', {
        project,
        name: `${props.name}-audit`,
        description: `Copies the project's audit logs into the ${props.name} log bucket`,
        destination: props.logBucketDestination,
        filter: 'logName:"cloudaudit.googleapis.com"',
        uniqueWriterIdentity: true,
        dependsOn: props.dependsOn,
      });
    }
  }
}
