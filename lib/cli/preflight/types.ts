/** Types of the preflight checks (re-exported by index.ts; the names are the command line's contract). */

export enum CheckStatus {
  PASS = 'pass',
  FAIL = 'fail',
  /** The check could not run (no CLI, no credentials, no permission to read): says why. */
  UNKNOWN = 'unknown',
}

export interface PreflightCheck {
  /** Stable id, e.g. "aws.quota.p5" or "gcp.api.compute". */
  readonly id: string;
  /** One line: what was checked. */
  readonly title: string;
  readonly status: CheckStatus;
  /** What was found (the quota value, the missing API, the CLI error). */
  readonly detail: string;
  /** How to fix a fail, or how to make an unknown checkable. */
  readonly fix?: string;
}

export interface PreflightOptions {
  /** Environment for the cloud CLIs (PATH selects them; tests put stubs first). Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Per-command timeout in ms. Default 60000. */
  readonly timeoutMs?: number;
  /**
   * Azure: the runner's public IPv4 addresses or CIDRs that the stack's Key Vault will admit (the
   * reference stack's Terraform variable deployer_ip_ranges). Default: parsed from
   * TF_VAR_deployer_ip_ranges in `env` (a JSON list), else none.
   */
  readonly deployerIpRanges?: readonly string[];
  /**
   * Azure: the subscription to check. Default ARM_SUBSCRIPTION_ID in `env` (what the reference
   * stack's azurerm provider uses), else the Azure CLI's current subscription.
   */
  readonly subscription?: string;
}
