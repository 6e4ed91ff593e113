import { TerraformProvider, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * hashicorp/time as a provider construct. No prebuilt binding ships with the library's
 * dependencies, and cdktf refuses to synthesize a stack holding a time_sleep without a provider
 * construct of type "time" ("Found resources without a matching provider construct"). The provider
 * takes no configuration.
 */
export class TimeProvider extends TerraformProvider {
  constructor(scope: IConstruct, id: string) {
    super(scope as never, id, {
      terraformResourceType: 'time',
      terraformGeneratorMetadata: { providerName: 'time' },
      terraformProviderSource: 'hashicorp/time',
    });
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return {};
  }
}

/**
 * Adds a TimeProvider at the root of `scope`'s stack unless the stack already has one. The
 * platform's propagation waits (time_sleep) need it, and a configuration-less provider cannot
 * conflict with the caller's own.
 */
export function ensureTimeProvider(scope: IConstruct): void {
  const stack = TerraformStack.of(scope);
  const has = stack.node.findAll().some((c) => c instanceof TerraformProvider && c.terraformResourceType === 'time');
  if (!has) new TimeProvider(stack, 'time');
}
