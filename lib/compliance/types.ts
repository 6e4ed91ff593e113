/**
 * Public types of the compliance engine. Pure: no cdktf or provider imports, so rules can be
 * evaluated on any synthesized Terraform JSON (cdk.tf.json), including fixtures in tests.
 */
import { CloudProvider, ComplianceProfile } from '../spec';

/** Identifiers of every rule (the value is the rule id); docs/compliance-rules.md lists them, generated from the rules. */
export enum RuleId {
  AWS_EC2_IMDS = 'AWS-EC2-IMDS',
  AWS_EC2_EBS = 'AWS-EC2-EBS',
  AWS_EC2_PUBIP = 'AWS-EC2-PUBIP',
  AWS_EC2_PROFILE = 'AWS-EC2-PROFILE',
  AWS_EC2_MON = 'AWS-EC2-MON',
  AWS_VPC_FLOW = 'AWS-VPC-FLOW',
  AWS_SG_ADMIN = 'AWS-SG-ADMIN',
  AWS_SG_OPEN = 'AWS-SG-OPEN',
  AWS_SG_EGRESS = 'AWS-SG-EGRESS',
  AWS_SG_DEFAULT = 'AWS-SG-DEFAULT',
  AWS_KMS_ROTATE = 'AWS-KMS-ROTATE',
  AWS_S3_ENC = 'AWS-S3-ENC',
  AWS_S3_PUBLIC = 'AWS-S3-PUBLIC',
  AWS_S3_TLS = 'AWS-S3-TLS',
  AWS_S3_VERSION = 'AWS-S3-VERSION',
  AWS_TRAIL = 'AWS-TRAIL',
  AWS_LOG_RET = 'AWS-LOG-RET',
  AWS_IAM_ADMIN = 'AWS-IAM-ADMIN',
  AWS_IAM_TRUST = 'AWS-IAM-TRUST',
  AWS_S3_LOGGING = 'AWS-S3-LOGGING',
  AWS_VPCE_POLICY = 'AWS-VPCE-POLICY',
  AWS_DNS_FW = 'AWS-DNS-FW',
  AWS_TRAIL_VENDOR = 'AWS-TRAIL-VENDOR',
  AWS_TRAIL_LOCK = 'AWS-TRAIL-LOCK',
  AWS_SSM_RECORD = 'AWS-SSM-RECORD',
  AWS_EKS_ENDPOINT = 'AWS-EKS-ENDPOINT',
  AWS_EKS_SECRETS = 'AWS-EKS-SECRETS',
  AWS_EKS_LOGS = 'AWS-EKS-LOGS',
  AWS_EKS_NODES = 'AWS-EKS-NODES',
  GCP_CE_PUBIP = 'GCP-CE-PUBIP',
  GCP_CE_SHIELD = 'GCP-CE-SHIELD',
  GCP_CE_LOGIN = 'GCP-CE-LOGIN',
  GCP_CE_SA = 'GCP-CE-SA',
  GCP_CE_CMEK = 'GCP-CE-CMEK',
  GCP_NET_ADMIN = 'GCP-NET-ADMIN',
  GCP_NET_FLOW = 'GCP-NET-FLOW',
  GCP_AUDIT = 'GCP-AUDIT',
  GCP_LOG_RET = 'GCP-LOG-RET',
  GCP_KMS_ROTATE = 'GCP-KMS-ROTATE',
  GCP_GCS_PUBLIC = 'GCP-GCS-PUBLIC',
  GCP_GCS_PROTECT = 'GCP-GCS-PROTECT',
  GCP_IAM_PRIMITIVE = 'GCP-IAM-PRIMITIVE',
  GCP_LOG_VIEW = 'GCP-LOG-VIEW',
  GCP_NET_SSH = 'GCP-NET-SSH',
  GCP_DNS_LOG = 'GCP-DNS-LOG',
  GCP_GKE_ENDPOINT = 'GCP-GKE-ENDPOINT',
  GCP_GKE_SECRETS = 'GCP-GKE-SECRETS',
  GCP_GKE_NODES = 'GCP-GKE-NODES',
  GCP_GKE_WI = 'GCP-GKE-WI',
  GCP_GKE_SHIELD = 'GCP-GKE-SHIELD',
  AZ_VM_SSH = 'AZ-VM-SSH',
  AZ_VM_HOSTENC = 'AZ-VM-HOSTENC',
  AZ_VM_CMK = 'AZ-VM-CMK',
  AZ_VM_PUBIP = 'AZ-VM-PUBIP',
  AZ_NSG_ADMIN = 'AZ-NSG-ADMIN',
  AZ_NSG_SUBNET = 'AZ-NSG-SUBNET',
  AZ_NET_FLOW = 'AZ-NET-FLOW',
  AZ_LOG_ACTIVITY = 'AZ-LOG-ACTIVITY',
  AZ_ST_TLS = 'AZ-ST-TLS',
  AZ_ST_PUBLIC = 'AZ-ST-PUBLIC',
  AZ_ST_PROTECT = 'AZ-ST-PROTECT',
  AZ_KV = 'AZ-KV',
  AZ_FW_DNS = 'AZ-FW-DNS',
  AZ_AUDIT_ISOLATED = 'AZ-AUDIT-ISOLATED',
  AZ_AUDIT_IMMUTABLE = 'AZ-AUDIT-IMMUTABLE',
  AZ_HOST_SHELL = 'AZ-HOST-SHELL',
  AZ_AKS_PRIVATE = 'AZ-AKS-PRIVATE',
  AZ_AKS_LOCAL = 'AZ-AKS-LOCAL',
  AZ_AKS_RBAC = 'AZ-AKS-RBAC',
  AZ_AKS_KMS = 'AZ-AKS-KMS',
  AZ_AKS_DES = 'AZ-AKS-DES',
}

/** How a violation is raised: an error fails synth, a warning is reported and annotated only. */
export enum RuleSeverity {
  ERROR = 'error',
  WARNING = 'warning',
}

/** What a rule's check says about one resource. */
export enum CheckStatus {
  PASS = 'pass',
  FAIL = 'fail',
  /** The rule's requirement does not apply to this resource (e.g. a subnet that hosts no nodes). */
  NOT_APPLICABLE = 'not-applicable',
  /**
   * The rule cannot evaluate the resource at synth: a value it needs is only computed at apply
   * (Fn.jsonencode(), a variable or another Terraform expression), or the thing to check lives
   * outside the stack (an existing KMS key passed by ARN). Never a pass: the report lists it as
   * not evaluated, and enforcement warns with how to make it checkable.
   */
  NOT_EVALUATED = 'not-evaluated',
}

/** The status of one resource in a report: the check's outcome after suppressions. */
export enum ResultStatus {
  PASS = 'pass',
  FAIL = 'fail',
  /** Failed, but a suppression with a reason covers the resource's construct. */
  SUPPRESSED = 'suppressed',
  NOT_APPLICABLE = 'not-applicable',
  /** See CheckStatus.NOT_EVALUATED. */
  NOT_EVALUATED = 'not-evaluated',
}

/**
 * The state of a rule, or of a control, in a report: the weakest of its results, in the order
 * fail, warning, suppressed, not evaluated, pass, not applicable. A rule that found no resource of
 * its types is NOT_EVALUATED: nothing in the stack evidences it.
 */
export enum RuleState {
  FAIL = 'fail',
  WARNING = 'warning',
  SUPPRESSED = 'suppressed',
  NOT_EVALUATED = 'not-evaluated',
  PASS = 'pass',
  NOT_APPLICABLE = 'not-applicable',
}

/** The controls a rule is evidence for. */
export interface ControlMapping {
  /** HIPAA Security Rule sections of 45 CFR 164, e.g. "164.312(a)(2)(iv)". */
  readonly hipaa: string[];
  /** SOC 2 Trust Services Criteria, e.g. "CC6.1" (SOC 2 prescribes no settings: these are interpretations). */
  readonly soc2: string[];
  /** Sections of the CIS Foundations Benchmark of the rule's cloud, e.g. "3.7". */
  readonly cis: string[];
}

/** Equivalent checks in other tools, so a reviewer can compare. */
export interface UpstreamIds {
  /** checkov check ids (CKV_*, CKV2_*). */
  readonly checkov: string[];
  /** cdk-nag rule names (HIPAA Security / NIST 800-53 r5 / AwsSolutions packs). */
  readonly cdkNag: string[];
}

/** One resource (or data source) of a synthesized stack. */
export interface TerraformResource {
  /** Terraform resource type, e.g. "aws_s3_bucket". */
  readonly type: string;
  /** Logical id (the name in `resource.<type>.<logicalId>`). */
  readonly logicalId: string;
  /** Terraform address: "<type>.<logicalId>", or "data.<type>.<logicalId>" for a data source. */
  readonly address: string;
  /** Construct path from the "//" metadata (undefined for hand-written JSON without metadata). */
  readonly constructPath?: string;
  /** True for a data source. */
  readonly isData: boolean;
  /** The synthesized configuration (snake_case keys), including overrides. */
  readonly config: { readonly [key: string]: unknown };
}

/** A check's verdict on one resource. */
export interface CheckOutcome {
  readonly status: CheckStatus;
  /** Pass: why it complies. Fail: what is wrong. Not applicable: why the rule does not apply. Not evaluated: why it cannot be checked. */
  readonly message: string;
  /** For a failure: how to fix it. For NOT_EVALUATED: how to make it checkable. */
  readonly fix?: string;
}

/** A stack-level finding (e.g. a required resource that is missing), reported against `address`. */
export interface StackFinding extends CheckOutcome {
  /** Pseudo-address naming what is missing, e.g. "aws_cloudtrail (none in stack)". */
  readonly address: string;
  /** Resource type the finding is about. */
  readonly type: string;
}

/**
 * One rule: metadata, pack membership and a pure check.
 * @jsii ignore not in Python: a rule has behaviour (check) - jsii would need IComplianceRule
 */
export interface ComplianceRule {
  readonly id: RuleId;
  /** One-line summary. */
  readonly title: string;
  /** The requirement, as an auditor reads it; exceptions included. */
  readonly description: string;
  /** Clouds whose resources the rule evaluates. */
  readonly clouds: CloudProvider[];
  /** Profiles that enforce the rule (violations are `severity`). Baseline rules are in all three. */
  readonly profiles: ComplianceProfile[];
  /** Profiles that list the rule as advisory: violations are warnings there. */
  readonly advisoryProfiles: ComplianceProfile[];
  /** Severity of a violation in `profiles`. */
  readonly severity: RuleSeverity;
  /** Resource types the check is called for, one result per resource. */
  readonly resourceTypes: string[];
  readonly controls: ControlMapping;
  readonly upstream: UpstreamIds;
  /** Evaluates one resource of `resourceTypes`. */
  check(resource: TerraformResource, context: RuleContext): CheckOutcome;
  /** Stack-level findings (required resources that are missing). */
  checkStack?(context: RuleContext): StackFinding[];
}

/**
 * What a rule sees besides the resource: the whole stack and the evaluation options.
 * @jsii ignore not in Python: part of the rule interface.
 */
export interface RuleContext {
  readonly profile: ComplianceProfile;
  /** Resources and data sources of the stack, with reference resolution. */
  readonly stack: StackIndex;
  /** The spec declares an existing organization-wide audit trail (no trail/audit config in this stack). */
  readonly existingOrganizationTrail: boolean;
}

/**
 * Read access to a synthesized stack, by type and address. Implemented by `StackModel`.
 * @jsii ignore not in Python: behaviour interface of the engine (jsii would need IStackIndex).
 */
export interface StackIndex {
  /** Resources (not data sources) of a type, in logical-id order. */
  resources(type: string): TerraformResource[];
  /** Data sources of a type, in logical-id order. */
  dataSources(type: string): TerraformResource[];
  /** A resource or data source by address ("type.id" or "data.type.id"). */
  byAddress(address: string): TerraformResource | undefined;
  /** Resources of `type` that `value` (any JSON) references with "${type.<id>...}". */
  referencedResources(value: unknown, type: string): TerraformResource[];
  /** Data sources of `type` that `value` references with "${data.type.<id>...}". */
  referencedDataSources(value: unknown, type: string): TerraformResource[];
  /** True if `value` references `target` (by address), or equals its literal `nameAttribute`. */
  refersTo(value: unknown, target: TerraformResource, nameAttribute?: string): boolean;
  /** Resources of `type` whose `attribute` refers to `target` (see refersTo). */
  referrers(type: string, attribute: string, target: TerraformResource, nameAttribute?: string): TerraformResource[];
  /** All resource types present. */
  readonly resourceTypes: string[];
}

/**
 * The synthesized JSON of a stack (cdk.tf.json), or the `resource`/`data` part of it.
 * @jsii ignore not in Python: an index signature over arbitrary JSON.
 */
export interface SynthesizedStack {
  readonly resource?: { readonly [type: string]: { readonly [logicalId: string]: { readonly [key: string]: unknown } } };
  readonly data?: { readonly [type: string]: { readonly [logicalId: string]: { readonly [key: string]: unknown } } };
  readonly [key: string]: unknown;
}

/** A documented exception: failures of `ruleId` under `constructPath` (and its children) are accepted. */
export interface Suppression {
  readonly ruleId: string;
  /** Construct path of the suppressed construct, e.g. "my-stack/legacy-bucket". */
  readonly constructPath: string;
  /** Why the failure is accepted; shown in the report. Required, non-empty. */
  readonly reason: string;
}

/** Options of `evaluate`. */
export interface EvaluationOptions {
  readonly profile: ComplianceProfile;
  readonly suppressions?: Suppression[];
  /** See RuleContext.existingOrganizationTrail. Default false. */
  readonly existingOrganizationTrail?: boolean;
  /** Clouds whose rules are evaluated. Default: the clouds whose resources the stack contains (all if none). */
  readonly clouds?: CloudProvider[];
  /** Stack name for the report. Default: the "//" metadata stackName, else "stack". */
  readonly stackName?: string;
}

/** One evaluated resource in a report. */
export interface ResourceResult {
  /** Terraform address (or a pseudo-address for a stack-level finding). */
  readonly address: string;
  readonly type: string;
  readonly constructPath?: string;
  readonly status: ResultStatus;
  /** Severity a failure has in the report's profile (set for FAIL and SUPPRESSED). */
  readonly severity?: RuleSeverity;
  readonly message: string;
  /** How to fix a failure, or how to make a not-evaluated resource checkable. */
  readonly fix?: string;
  /** The suppression that covers a failure. */
  readonly suppression?: Suppression;
}

/** One rule in a report. */
export interface RuleReport {
  readonly id: RuleId;
  readonly title: string;
  readonly description: string;
  readonly clouds: CloudProvider[];
  /** Severity of a violation under the report's profile (warning when the profile lists the rule as advisory). */
  readonly severity: RuleSeverity;
  readonly resourceTypes: string[];
  readonly controls: ControlMapping;
  readonly upstream: UpstreamIds;
  /** The rule's overall state (see RuleState). */
  readonly state: RuleState;
  readonly results: ResourceResult[];
}

/** Counts over all results of a report. */
export interface ReportSummary {
  readonly rules: number;
  /** Results (resource x rule), all statuses. */
  readonly evaluations: number;
  readonly passed: number;
  /** Unsuppressed failures of error severity. */
  readonly errors: number;
  /** Unsuppressed failures of warning severity. */
  readonly warnings: number;
  readonly suppressed: number;
  readonly notApplicable: number;
  /** Results the rules could not evaluate (see CheckStatus.NOT_EVALUATED). */
  readonly notEvaluated: number;
  /** Rules of the pack that found no resource of their types in the stack. */
  readonly rulesWithoutResources: number;
}

/** A suppression as applied: how many failures it covered. */
export interface SuppressionReport extends Suppression {
  /** Failures this suppression turned into SUPPRESSED. */
  readonly covered: number;
}

/** The result of evaluating one stack against one profile's pack. */
export interface ComplianceReport {
  readonly stack: string;
  readonly profile: ComplianceProfile;
  readonly clouds: CloudProvider[];
  /** True when there is no unsuppressed error. */
  readonly compliant: boolean;
  readonly summary: ReportSummary;
  readonly rules: RuleReport[];
  readonly suppressions: SuppressionReport[];
}
