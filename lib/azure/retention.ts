/**
 * Log Analytics retention. Interactive ("analytics") retention of a workspace is 30..730 days; a
 * table's total retention, which adds low-cost long-term retention, is 4..730 or one of the listed
 * year values up to 12 years (azurerm log_analytics_workspace_table total_retention_in_days;
 * learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure).
 */
export const WORKSPACE_MIN_RETENTION_DAYS = 30;
export const WORKSPACE_MAX_RETENTION_DAYS = 730;
export const TABLE_TOTAL_RETENTION_YEAR_VALUES = [1095, 1460, 1826, 2191, 2556, 2922, 3288, 3653, 4018, 4383];

/** Workspace (interactive) retention for a floor: the floor clamped to 30..730. */
export function workspaceRetentionDays(floor: number): number {
  return Math.min(WORKSPACE_MAX_RETENTION_DAYS, Math.max(WORKSPACE_MIN_RETENTION_DAYS, floor));
}

/**
 * Table total retention that is at least `days` and a value Azure accepts: the next year value
 * above 730 (hipaa's 2192 becomes 2556, because 2191 would undercut the floor by a day).
 */
export function tableTotalRetentionDays(days: number): number {
  if (days <= WORKSPACE_MAX_RETENTION_DAYS) return days;
  return TABLE_TOTAL_RETENTION_YEAR_VALUES.find((v) => v >= days) ?? TABLE_TOTAL_RETENTION_YEAR_VALUES[TABLE_TOTAL_RETENTION_YEAR_VALUES.length - 1];
}
