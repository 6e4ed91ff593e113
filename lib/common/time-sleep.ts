import { ITerraformDependable, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { requireProviderVersion } from '../provider-compat';

/**
 * hashicorp/time's `time_sleep` resource. No prebuilt cdktf binding ships with the library's
 * dependencies, so this is the resource written by hand; it raises the stack's
 * `required_providers.time` to a release that has `create_duration` and `triggers`
 * (registry.terraform.io/providers/hashicorp/time/latest/docs/resources/sleep).
 */
export const TIME_PROVIDER_MIN_VERSION = '0.9.0';

export interface TimeSleepProps {
  /** Go duration waited after create, e.g. "60s", "5m" (time.ParseDuration). Required. */
  readonly createDuration: string;
  /** Values that replace the sleep (and wait again) when they change. Default none. */
  readonly triggers?: { readonly [key: string]: string };
  /** What the wait starts after. Default none. */
  readonly dependsOn?: ITerraformDependable[];
}

const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/**
 * A wait in the apply, for grants and new objects the cloud documents as eventually consistent
 * (IAM/RBAC propagation, new log-based metrics, enabled APIs). Consumers depend on the sleep,
 * the sleep depends on the grant.
 */
export class TimeSleep extends TerraformResource {
  public readonly createDuration: string;
  public readonly triggers?: { readonly [key: string]: string };

  constructor(scope: Construct, id: string, props: TimeSleepProps) {
    // No terraformGeneratorMetadata: cdktf would then require a `time` provider construct in the
    // stack (its provider-presence validation). The time provider takes no configuration, so
    // Terraform's implicit default configuration of hashicorp/time (required_providers below) serves.
    super(scope, id, { terraformResourceType: 'time_sleep', dependsOn: props.dependsOn });
    if (!DURATION.test(props.createDuration)) {
      throw new Error(`time_sleep ${id}: createDuration ${JSON.stringify(props.createDuration)} is not a Go duration such as "60s" or "5m"`);
    }
    this.createDuration = props.createDuration;
    this.triggers = props.triggers;
    requireProviderVersion(this, 'time', TIME_PROVIDER_MIN_VERSION);
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return { create_duration: this.createDuration, triggers: this.triggers };
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    return {
      create_duration: { value: this.createDuration, isBlock: false, type: 'simple', storageClassType: 'string' },
      ...(this.triggers ? { triggers: { value: this.triggers, isBlock: false, type: 'map', storageClassType: 'stringMap' } } : {}),
    };
  }
}
