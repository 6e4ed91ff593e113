/**
 * The `required_providers.<name>.version` a stack writes when provider-compat needs a floor, given
 * what the installed binding writes there itself. Pure logic (no cdktf import).
 *
 * A prebuilt binding's provider construct writes the exact provider release it was generated from
 * (cdktf 0.21 and cdktn 0.24, TerraformProvider.toTerraform: `providerVersion`, else the older
 * `providerVersionConstraint`): "6.25.0" for @cdktf/provider-aws 21.x, "6.66.0" for
 * @cdktn/provider-aws 25.7.0. The stack must end up with ONE constraint that admits the floor:
 * - the binding's release already at or above the floor (same major): keep the binding's own pin,
 *   which the floor cannot loosen (code elsewhere in the stack may use newer arguments the binding
 *   knows, and the pin is what the binding was generated and tested against);
 * - below the floor (the frozen cdktf bindings): replace it with `>= floor, < next major`. Every
 *   argument an older binding writes exists in the later releases of the same major;
 * - a newer major than the floor's: refuse, since the overrides were checked only within the floor's
 *   major;
 * - no binding provider in the stack, or a constraint that is not one exact release: the range.
 */

/** Numeric comparison of dotted versions ("6.33" equals "6.33.0"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const EXACT = /^=?\s*(\d+)\.(\d+)\.(\d+)$/;

/** `>= floor, < next major`: the constraint provider-compat writes where the binding does not already satisfy the floor. */
export function floorRange(minVersion: string): string {
  const major = Number(minVersion.split('.')[0]);
  return `>= ${minVersion}, < ${major + 1}.0.0`;
}

/**
 * The single version constraint for a provider that needs at least `minVersion`, where the stack's
 * binding writes `bindingVersion` (undefined: no binding provider in the stack).
 */
export function mergeProviderVersion(provider: string, minVersion: string, bindingVersion: string | undefined): string {
  const exact = bindingVersion === undefined ? null : EXACT.exec(bindingVersion.trim());
  if (!exact) return floorRange(minVersion);
  const release = `${exact[1]}.${exact[2]}.${exact[3]}`;
  const floorMajor = Number(minVersion.split('.')[0]);
  if (Number(exact[1]) > floorMajor) {
    throw new Error(`provider-compat: the installed ${provider} binding writes required_providers.${provider}.version ` +
      `"${bindingVersion}", a newer major than the ${provider} ${floorMajor}.x release (>= ${minVersion}) whose arguments this ` +
      `library sets; install a binding of ${provider} ${floorMajor}.x (see the README, Provider versions)`);
  }
  return compareVersions(release, minVersion) >= 0 ? release : floorRange(minVersion);
}
