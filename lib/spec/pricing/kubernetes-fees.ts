/**
 * Managed Kubernetes control-plane fees (issue 12 follow-up, Kubernetes mode): one flat price per
 * cluster-hour on each cloud, with its source. Pure data: no cdktf imports. Each source quotes one
 * price per cluster-hour, not a per-region table; refresh from the pages named below.
 */
import { PriceSource } from './types';

/** Date the control-plane fees below were read. */
export const KUBERNETES_FEES_READ = '2026-12-02';

/**
 * EKS: "$0.10 per cluster per hour" for a Kubernetes version in standard support, "a total of $0.60
 * per cluster per hour" in extended support (from the April 2024 billing cycle). The platform's EKS
 * cluster leaves `upgrade_policy` at EKS's default (EXTENDED), so a cluster still on its version after
 * the end of standard support is billed the extended price.
 */
export const EKS_CONTROL_PLANE_SOURCE: PriceSource = Object.freeze({
  title: 'AWS Containers blog, "Amazon EKS extended support for Kubernetes versions pricing" ($0.10 per cluster-hour in standard support, $0.60 in extended support)',
  url: 'https://aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing/',
  read: KUBERNETES_FEES_READ,
});
export const EKS_STANDARD_SUPPORT_HOURLY = 0.1;
export const EKS_EXTENDED_SUPPORT_HOURLY = 0.6;

/**
 * GKE: "A flat cluster management fee of $0.10 per cluster per hour ... applies to all GKE clusters
 * irrespective of the mode of operation, cluster size, or topology". The free tier's monthly credit
 * ($74.40 per billing account) is "only applied to zonal and Autopilot clusters"; the platform's GKE
 * cluster is regional (Standard mode, location = region), so no credit applies. The Extended release
 * channel's extra fee does not apply either (the cluster is in REGULAR).
 */
export const GKE_CLUSTER_FEE_SOURCE: PriceSource = Object.freeze({
  title: 'Google Kubernetes Engine pricing, cluster management fee and free tier ($0.10 per cluster-hour; free-tier credit for zonal and Autopilot clusters only)',
  url: 'https://cloud.google.com/kubernetes-engine/pricing',
  read: KUBERNETES_FEES_READ,
});
export const GKE_CLUSTER_FEE_HOURLY = 0.1;

/**
 * AKS Standard tier (the platform's cluster sets sku_tier "Standard", lib/azure/aks-cluster.ts): the
 * Standard tier carries the Uptime SLA by default (learn.microsoft.com/azure/aks/free-standard-pricing-tiers,
 * which links its price to azure.microsoft.com/pricing/details/kubernetes-service); Microsoft priced the
 * Uptime SLA at "$0.10/hour per cluster" when it introduced it, and the Azure Retail Prices API meter for
 * the Standard tier is "Standard Uptime SLA", per 1 Hour. The Premium tier (long-term support) is not used.
 */
export const AKS_STANDARD_TIER_SOURCE: PriceSource = Object.freeze({
  title: 'Microsoft Tech Community, "AKS introduces Uptime SLA" ($0.10 per cluster-hour; the Standard tier includes the Uptime SLA: learn.microsoft.com/azure/aks/free-standard-pricing-tiers)',
  url: 'https://techcommunity.microsoft.com/t5/apps-on-azure-blog/aks-introduces-uptime-sla/ba-p/1350832',
  read: KUBERNETES_FEES_READ,
});
export const AKS_STANDARD_TIER_HOURLY = 0.1;
