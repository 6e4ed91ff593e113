import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { Construct } from 'constructs';
import { GcpProjectContext } from './context';

/**
 * Project roles of the node service account: write logs and metrics (the guest environment's
 * startup-script output and the Ops Agent) and nothing else
 * (cloud.google.com/stackdriver/docs/solutions/agents/ops-agent/authorization).
 */
export const GCP_NODE_PROJECT_ROLES = ['roles/logging.logWriter', 'roles/monitoring.metricWriter'];

export interface GcpNodeIdentityProps {
  readonly name: string;
  readonly context: GcpProjectContext;
}

/**
 * The sandbox hosts' own service account ("<name>-nodes"), never the default Compute Engine one:
 * log and metric writer on the project, and read of the artifact bucket (granted on the bucket
 * with grantArtifactRead). Instances use it with the cloud-platform scope, so IAM alone decides.
 */
export class GcpNodeIdentity extends Construct {
  public readonly serviceAccount: ServiceAccount;
  public readonly email: string;
  public readonly member: string;
  public readonly projectRoles: ProjectIamMember[];
  private readonly project: string;

  constructor(scope: Construct, id: string, props: GcpNodeIdentityProps) {
    super(scope, id);
    this.project = props.context.project;
    this.serviceAccount = new ServiceAccount(this, 'sa', {
      project: props.context.project,
      accountId: `${props.name}-nodes`,
      displayName: `${props.name} sandbox hosts`,
      description: `Sandbox hosts of ${props.name}: logs, metrics, read of the artifact bucket`,
    });
    this.email = this.serviceAccount.email;
    this.member = this.serviceAccount.member;
    this.projectRoles = GCP_NODE_PROJECT_ROLES.map((role) => new ProjectIamMember(this, role.replace(/^roles\//, '').replace(/\./g, '-'), {
      project: props.context.project, role, member: this.member,
    }));
  }

  /**
   * Kubernetes mode: roles/container.defaultNodeServiceAccount, the least-privilege role GKE asks
   * for on a custom node service account (logs, metrics, resource metadata and autoscaling metrics:
   * cloud.google.com/kubernetes-engine/docs/how-to/service-accounts#default-gke-service-agent).
   */
  public grantGkeNode(): ProjectIamMember {
    return new ProjectIamMember(this, 'container-defaultNodeServiceAccount', {
      project: this.project, role: 'roles/container.defaultNodeServiceAccount', member: this.member,
    });
  }

  /** Lets the nodes read objects of `bucketName` (roles/storage.objectViewer on that bucket only). */
  public grantArtifactRead(bucketName: string): StorageBucketIamMember {
    return new StorageBucketIamMember(this, 'artifact-read', { bucket: bucketName, role: 'roles/storage.objectViewer', member: this.member });
  }
}
