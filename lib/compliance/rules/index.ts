/** Every rule, grouped by cloud and area, in the order of docs/compliance-rules.md (generated from them). */
import { ComplianceRule } from '../types';
import { AWS_AUDIT_IAM_RULES } from './aws-audit-iam';
import { AWS_COMPUTE_RULES } from './aws-compute';
import { AWS_DATA_RULES } from './aws-data';
import { AWS_EKS_RULES } from './aws-eks';
import { AWS_NETWORK_RULES } from './aws-network';
import { AWS_PERIMETER_RULES } from './aws-perimeter';
import { AZURE_AKS_RULES } from './azure-aks';
import { AZURE_AUDIT_RULES } from './azure-audit';
import { AZURE_COMPUTE_RULES } from './azure-compute';
import { AZURE_PLATFORM_RULES } from './azure-platform';
import { GCP_COMPUTE_RULES } from './gcp-compute';
import { GCP_GKE_RULES } from './gcp-gke';
import { GCP_PLATFORM_RULES } from './gcp-platform';
import { GCP_SANDBOX_RULES } from './gcp-sandbox';

export const ALL_RULES: readonly ComplianceRule[] = Object.freeze([
  ...AWS_COMPUTE_RULES, ...AWS_NETWORK_RULES, ...AWS_DATA_RULES, ...AWS_AUDIT_IAM_RULES, ...AWS_PERIMETER_RULES, ...AWS_EKS_RULES,
  ...GCP_COMPUTE_RULES, ...GCP_PLATFORM_RULES, ...GCP_SANDBOX_RULES, ...GCP_GKE_RULES,
  ...AZURE_COMPUTE_RULES, ...AZURE_PLATFORM_RULES, ...AZURE_AUDIT_RULES, ...AZURE_AKS_RULES,
]);
