import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';

/**
 * A Terraform output named "<platform>_<what>" (dashes become underscores), stable across
 * refactors of the construct tree, so a vendor control plane can read it by name.
 */
export function platformOutput(scope: Construct, platformName: string, what: string, value: unknown, description: string): TerraformOutput {
  const output = new TerraformOutput(scope, `output-${what}`, { value, description });
  output.overrideLogicalId(`${platformName.replace(/-/g, '_')}_${what}`);
  return output;
}
