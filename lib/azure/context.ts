import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { DataAzurermSubscription } from '@cdktf/provider-azurerm/lib/data-azurerm-subscription';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';

export interface AzureClientContextProps {
  /** Entra tenant of the Key Vault. Default: the tenant of the credentials Terraform runs with. */
  readonly tenantId?: string;
}

/**
 * Tenant, subscription and the deploying principal, read once per platform from the provider in
 * scope (data azurerm_client_config, data azurerm_subscription), so nothing is hard-coded.
 */
export class AzureClientContext extends Construct {
  public readonly tenantId: string;
  public readonly subscriptionId: string;
  /** "/subscriptions/<id>": the scope of the activity-log export. */
  public readonly subscriptionResourceId: string;
  /** Object id of the principal running Terraform (gets Key Vault Crypto Officer to create keys). */
  public readonly deployerObjectId: string;

  constructor(scope: Construct, id: string, props: AzureClientContextProps = {}) {
    super(scope, id);
    const client = new DataAzurermClientConfig(this, 'client');
    this.tenantId = props.tenantId ?? client.tenantId;
    this.subscriptionId = client.subscriptionId;
    this.deployerObjectId = client.objectId;
    this.subscriptionResourceId = new DataAzurermSubscription(this, 'subscription').id;
  }

  /**
   * A short suffix for globally unique names (storage accounts, Key Vaults), derived at plan time
   * from the subscription id and `seed`: stable across plans, different per subscription, and the
   * synthesized JSON stays deterministic (the hash is a Terraform expression).
   */
  public uniqueSuffix(seed: string, length = 8): string {
    return Fn.substr(Fn.sha256(Fn.join('/', [this.subscriptionId, seed])), 0, length);
  }
}
