// Compliance engine: rules over synthesized Terraform JSON, packs per profile, suppressions,
// report writer and the cdktf integration (SandboxCompliance).
export * from './types';
export { StackModel } from './model';
export { allRules, packFor, ruleById, isRuleId, severityFor } from './packs';
export { evaluate, detectClouds, violations, violationMessage, notEvaluated, notEvaluatedMessage, ruleState } from './engine';
export { renderMarkdown, renderJson, writeReport, controlStates, ControlState, ControlRuleState, REPORT_JSON, REPORT_MARKDOWN } from './report';
export { SandboxCompliance, ComplianceEnforceOptions, ComplianceEvaluateOptions, SUPPRESSION_METADATA_TYPE } from './sandbox-compliance';
