import { DataAzurermResourceGroup } from '@cdktf/provider-azurerm/lib/data-azurerm-resource-group';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { Construct } from 'constructs';

export interface AzureResourceGroupProps {
  /** Platform name; the created group is "<name>-sandbox-rg". */
  readonly name: string;
  /** Azure region of the created group (and of every platform resource). */
  readonly location: string;
  /**
   * Use this existing resource group (looked up with a data source) instead of creating one.
   * Prefer a group dedicated to the platform: the BYOC control-plane role is scoped to it.
   * Default: create "<name>-sandbox-rg".
   */
  readonly existingName?: string;
}

/** The platform's resource group: created, or the caller's looked up by name. */
export class AzureResourceGroup extends Construct {
  /** The group's name (a reference, so dependent resources wait for it). */
  public readonly name: string;
  /** The group's resource id: the scope of the control-plane role. */
  public readonly id: string;
  public readonly location: string;
  public readonly created?: ResourceGroup;

  constructor(scope: Construct, id: string, props: AzureResourceGroupProps) {
    super(scope, id);
    this.location = props.location;
    if (props.existingName) {
      const rg = new DataAzurermResourceGroup(this, 'existing', { name: props.existingName });
      this.name = rg.name;
      this.id = rg.id;
      return;
    }
    this.created = new ResourceGroup(this, 'group', { name: `${props.name}-sandbox-rg`, location: props.location });
    this.name = this.created.name;
    this.id = this.created.id;
  }
}
