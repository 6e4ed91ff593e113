import { DataGoogleLoggingProjectCmekSettings } from '@cdktf/provider-google/lib/data-google-logging-project-cmek-settings';
import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project';
import { DataGoogleStorageProjectServiceAccount } from '@cdktf/provider-google/lib/data-google-storage-project-service-account';
import { Token } from 'cdktf';
import { Construct } from 'constructs';

export interface GcpProjectContextProps {
  /** Project id of every resource. */
  readonly project: string;
  /** Region of the regional resources (subnet, NAT, key ring, buckets, log bucket, instance groups). */
  readonly region: string;
}

/**
 * The project and region a platform lives in, and the Google-managed service agents that act on
 * its behalf (they need the CMEK grants). Each data source is created on first use, so a platform
 * that needs none of them reads none.
 */
export class GcpProjectContext extends Construct {
  public readonly project: string;
  public readonly region: string;
  private projectData?: DataGoogleProject;
  private storageAgent?: DataGoogleStorageProjectServiceAccount;
  private loggingSettings?: DataGoogleLoggingProjectCmekSettings;

  constructor(scope: Construct, id: string, props: GcpProjectContextProps) {
    super(scope, id);
    this.project = props.project;
    this.region = props.region;
  }

  /** The project number (data.google_project). */
  public get projectNumber(): string {
    this.projectData ??= new DataGoogleProject(this, 'project', { projectId: this.project });
    return this.projectData.number;
  }

  /**
   * Compute Engine service agent, which encrypts and decrypts the CMEK disks of instances that
   * managed instance groups create. Source: cloud.google.com/compute/docs/disks/customer-managed-encryption
   * ("grant the Compute Engine Service Agent, service-PROJECT_NUMBER@compute-system.iam.gserviceaccount.com,
   * the Cloud KMS CryptoKey Encrypter/Decrypter role").
   */
  public get computeServiceAgent(): string {
    return `serviceAccount:service-${this.projectNumber}@compute-system.iam.gserviceaccount.com`;
  }

  /**
   * GKE service agent (created when container.googleapis.com is enabled), which encrypts and
   * decrypts Secrets with the cluster's application-layer key. Source:
   * cloud.google.com/kubernetes-engine/docs/how-to/encrypting-secrets ("grant the GKE service agent,
   * service-PROJECT_NUMBER@container-engine-robot.iam.gserviceaccount.com, the Cloud KMS CryptoKey
   * Encrypter/Decrypter role on the key").
   */
  public get containerServiceAgent(): string {
    return `serviceAccount:service-${this.projectNumber}@container-engine-robot.iam.gserviceaccount.com`;
  }

  /**
   * Cloud Storage service agent (data.google_storage_project_service_account; reading it also
   * creates the agent if the project never used Cloud Storage), which encrypts objects with a
   * bucket's default CMEK. Source: cloud.google.com/storage/docs/encryption/using-customer-managed-keys.
   */
  public get storageServiceAgent(): string {
    this.storageAgent ??= new DataGoogleStorageProjectServiceAccount(this, 'storage-agent', { project: this.project });
    return this.storageAgent.member;
  }

  /**
   * Cloud Logging service account of the project (data.google_logging_project_cmek_settings),
   * which encrypts a CMEK log bucket. Source: cloud.google.com/logging/docs/routing/managed-encryption-storage.
   */
  public get loggingServiceAgent(): string {
    this.loggingSettings ??= new DataGoogleLoggingProjectCmekSettings(this, 'logging-cmek', { project: this.project });
    return `serviceAccount:${this.loggingSettings.serviceAccountId}`;
  }

  /** projects/<project>/global/networks/<name>, unless `network` is already a path, self link or reference. */
  public networkPath(network: string): string {
    if (Token.isUnresolved(network) || network.includes('/')) return network;
    return `projects/${this.project}/global/networks/${network}`;
  }
}
