/**
 * AWS EC2 on-demand list prices: USD per hour, Linux, shared tenancy. Pure data.
 *
 * HOW TO REFRESH: take the newest `pkg/providers/pricing/zz_generated.pricing_aws.go` of
 * github.com/aws/karpenter-provider-aws (its header says when and for which region it was
 * generated from the AWS Price List API), keep the rows whose names are in AWS_INSTANCE_SHAPES
 * (lib/spec/catalog/aws.ts), and replace the us-east-1 block, its commit in the URL and both
 * dates. Other regions: rows of the `Price` column of skypilot-catalog `catalogs/v9/aws/vms.csv`
 * (one row per zone; the price is the same in every zone of a region), or the AWS Price List
 * API (`aws pricing get-products --service-code AmazonEC2`, operatingSystem=Linux,
 * tenancy=Shared, preInstalledSw=NA, capacitystatus=Used). Never fill a gap by analogy with
 * another region or size: a type that is not in a block is priced as unknown.
 * `npx jest test/pricing` checks every row is positive and that the reference specs resolve.
 */
import { InstancePriceTable, PriceSource } from './types';

/** Date the AWS prices below were read into this table. */
export const AWS_PRICES_READ = '2026-12-02';

/**
 * Karpenter's generated on-demand table for us-east-1 (AWS Price List API), at the commit read.
 * Source disagreement, kept visible: this file prices m7i.metal-24xl (and c7i.metal-24xl) 10%
 * above the 24xlarge size (5.32224 vs 4.8384); SkyPilot's catalog lists 4.8384 for
 * m7i.metal-24xl in us-east-1. The newer, dated source is used for us-east-1.
 */
export const AWS_SOURCE_KARPENTER: PriceSource = Object.freeze({
  title: 'aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go (InitialOnDemandPricesAWS, us-east-1)',
  url: 'https://github.com/aws/karpenter-provider-aws/blob/6fc13b5236fd04fd16ff3f9dc7490d0813994099/pkg/providers/pricing/zz_generated.pricing_aws.go',
  published: '2026-07-20',
  read: AWS_PRICES_READ,
});

/** SkyPilot's AWS catalog (column Price = on-demand Linux), snapshot at the commit read; the file carries no generation date. */
export const AWS_SOURCE_SKYPILOT: PriceSource = Object.freeze({
  title: 'skypilot-org/skypilot-catalog catalogs/v9/aws/vms.csv (column Price)',
  url: 'https://github.com/skypilot-org/skypilot-catalog/blob/2c3d7ea7d76bf84cf80d382e946c1609571485fd/catalogs/v9/aws/vms.csv',
  read: AWS_PRICES_READ,
});

/**
 * Shown with SkyPilot's m7i.metal-24xl rows: the two sources disagree on that size in the one
 * region both cover (us-east-1: Karpenter 5.32224, SkyPilot 4.8384, the m7i.24xlarge price).
 * Every other row compared in us-east-1 (m7i and m8i sizes, m7i.metal-48xl, m8i.metal-48xl,
 * g6.xlarge) agrees.
 */
const METAL_24XL_CAVEAT =
  'sources disagree on this size: in us-east-1 Karpenter\'s AWS price table lists m7i.metal-24xl at 5.32224/h, ' +
  'SkyPilot\'s catalog (this row\'s source) at 4.8384/h, the m7i.24xlarge price; this price may be low by about 10%';

export const AWS_PRICE_TABLE: InstancePriceTable = Object.freeze({
  date: AWS_PRICES_READ,
  blocks: Object.freeze([
    {
      // Every catalog shape except p5e.48xlarge, which the source does not list.
      region: 'us-east-1', source: AWS_SOURCE_KARPENTER,
      prices: Object.freeze({
        'c5.12xlarge': 2.04, 'c5.18xlarge': 3.06, 'c5.24xlarge': 4.08,
        'c5.2xlarge': 0.34, 'c5.4xlarge': 0.68, 'c5.9xlarge': 1.53,
        'c5.large': 0.085, 'c5.metal': 4.08, 'c5.xlarge': 0.17,
        'c5d.12xlarge': 2.304, 'c5d.18xlarge': 3.456, 'c5d.24xlarge': 4.608,
        'c5d.2xlarge': 0.384, 'c5d.4xlarge': 0.768, 'c5d.9xlarge': 1.728,
        'c5d.large': 0.096, 'c5d.metal': 4.608, 'c5d.xlarge': 0.192,
        'c6i.12xlarge': 2.04, 'c6i.16xlarge': 2.72, 'c6i.24xlarge': 4.08,
        'c6i.2xlarge': 0.34, 'c6i.32xlarge': 5.44, 'c6i.4xlarge': 0.68,
        'c6i.8xlarge': 1.36, 'c6i.large': 0.085, 'c6i.metal': 5.44,
        'c6i.xlarge': 0.17, 'c6id.12xlarge': 2.4192, 'c6id.16xlarge': 3.2256,
        'c6id.24xlarge': 4.8384, 'c6id.2xlarge': 0.4032, 'c6id.32xlarge': 6.4512,
        'c6id.4xlarge': 0.8064, 'c6id.8xlarge': 1.6128, 'c6id.large': 0.1008,
        'c6id.metal': 6.4512, 'c6id.xlarge': 0.2016, 'c7g.12xlarge': 1.74,
        'c7g.16xlarge': 2.32, 'c7g.2xlarge': 0.29, 'c7g.4xlarge': 0.58,
        'c7g.8xlarge': 1.16, 'c7g.large': 0.0725, 'c7g.medium': 0.0363,
        'c7g.metal': 2.32, 'c7g.xlarge': 0.145, 'c7i.12xlarge': 2.142,
        'c7i.16xlarge': 2.856, 'c7i.24xlarge': 4.284, 'c7i.2xlarge': 0.357,
        'c7i.48xlarge': 8.568, 'c7i.4xlarge': 0.714, 'c7i.8xlarge': 1.428,
        'c7i.large': 0.08925, 'c7i.metal-24xl': 4.7124, 'c7i.metal-48xl': 8.568,
        'c7i.xlarge': 0.1785, 'c8i-flex.12xlarge': 2.13648, 'c8i-flex.16xlarge': 2.84864,
        'c8i-flex.2xlarge': 0.35608, 'c8i-flex.4xlarge': 0.71216, 'c8i-flex.8xlarge': 1.42432,
        'c8i-flex.large': 0.08902, 'c8i-flex.xlarge': 0.17804, 'c8i.12xlarge': 2.24904,
        'c8i.16xlarge': 2.99872, 'c8i.24xlarge': 4.49808, 'c8i.2xlarge': 0.37484,
        'c8i.32xlarge': 5.99744, 'c8i.48xlarge': 8.99616, 'c8i.4xlarge': 0.74968,
        'c8i.8xlarge': 1.49936, 'c8i.96xlarge': 17.99232, 'c8i.large': 0.09371,
        'c8i.metal-48xl': 9.89578, 'c8i.metal-96xl': 17.99232, 'c8i.xlarge': 0.18742,
        'g4dn.12xlarge': 3.912, 'g4dn.16xlarge': 4.352, 'g4dn.2xlarge': 0.752,
        'g4dn.4xlarge': 1.204, 'g4dn.8xlarge': 2.176, 'g4dn.metal': 7.824,
        'g4dn.xlarge': 0.526, 'g5.12xlarge': 5.672, 'g5.16xlarge': 4.096,
        'g5.24xlarge': 8.144, 'g5.2xlarge': 1.212, 'g5.48xlarge': 16.288,
        'g5.4xlarge': 1.624, 'g5.8xlarge': 2.448, 'g5.xlarge': 1.006,
        'g6.12xlarge': 4.6016, 'g6.16xlarge': 3.3968, 'g6.24xlarge': 6.6752,
        'g6.2xlarge': 0.9776, 'g6.48xlarge': 13.3504, 'g6.4xlarge': 1.3232,
        'g6.8xlarge': 2.0144, 'g6.xlarge': 0.8048, 'i3.16xlarge': 4.992,
        'i3.2xlarge': 0.624, 'i3.4xlarge': 1.248, 'i3.8xlarge': 2.496,
        'i3.large': 0.156, 'i3.metal': 4.992, 'i3.xlarge': 0.312,
        'i3en.12xlarge': 5.424, 'i3en.24xlarge': 10.848, 'i3en.2xlarge': 0.904,
        'i3en.3xlarge': 1.356, 'i3en.6xlarge': 2.712, 'i3en.large': 0.226,
        'i3en.metal': 10.848, 'i3en.xlarge': 0.452, 'i4i.12xlarge': 4.118,
        'i4i.16xlarge': 5.491, 'i4i.24xlarge': 8.2368, 'i4i.2xlarge': 0.686,
        'i4i.32xlarge': 10.9824, 'i4i.4xlarge': 1.373, 'i4i.8xlarge': 2.746,
        'i4i.large': 0.172, 'i4i.metal': 10.982, 'i4i.xlarge': 0.343,
        'm5.12xlarge': 2.304, 'm5.16xlarge': 3.072, 'm5.24xlarge': 4.608,
        'm5.2xlarge': 0.384, 'm5.4xlarge': 0.768, 'm5.8xlarge': 1.536,
        'm5.large': 0.096, 'm5.metal': 4.608, 'm5.xlarge': 0.192,
        'm5d.12xlarge': 2.712, 'm5d.16xlarge': 3.616, 'm5d.24xlarge': 5.424,
        'm5d.2xlarge': 0.452, 'm5d.4xlarge': 0.904, 'm5d.8xlarge': 1.808,
        'm5d.large': 0.113, 'm5d.metal': 5.424, 'm5d.xlarge': 0.226,
        'm6i.12xlarge': 2.304, 'm6i.16xlarge': 3.072, 'm6i.24xlarge': 4.608,
        'm6i.2xlarge': 0.384, 'm6i.32xlarge': 6.144, 'm6i.4xlarge': 0.768,
        'm6i.8xlarge': 1.536, 'm6i.large': 0.096, 'm6i.metal': 6.144,
        'm6i.xlarge': 0.192, 'm6id.12xlarge': 2.8476, 'm6id.16xlarge': 3.7968,
        'm6id.24xlarge': 5.6952, 'm6id.2xlarge': 0.4746, 'm6id.32xlarge': 7.5936,
        'm6id.4xlarge': 0.9492, 'm6id.8xlarge': 1.8984, 'm6id.large': 0.11865,
        'm6id.metal': 7.5936, 'm6id.xlarge': 0.2373, 'm7g.12xlarge': 1.9584,
        'm7g.16xlarge': 2.6112, 'm7g.2xlarge': 0.3264, 'm7g.4xlarge': 0.6528,
        'm7g.8xlarge': 1.3056, 'm7g.large': 0.0816, 'm7g.medium': 0.0408,
        'm7g.metal': 2.6112, 'm7g.xlarge': 0.1632, 'm7i.12xlarge': 2.4192,
        'm7i.16xlarge': 3.2256, 'm7i.24xlarge': 4.8384, 'm7i.2xlarge': 0.4032,
        'm7i.48xlarge': 9.6768, 'm7i.4xlarge': 0.8064, 'm7i.8xlarge': 1.6128,
        'm7i.large': 0.1008, 'm7i.metal-24xl': 5.32224, 'm7i.metal-48xl': 9.6768,
        'm7i.xlarge': 0.2016, 'm8i-flex.12xlarge': 2.4132, 'm8i-flex.16xlarge': 3.2176,
        'm8i-flex.2xlarge': 0.4022, 'm8i-flex.4xlarge': 0.8044, 'm8i-flex.8xlarge': 1.6088,
        'm8i-flex.large': 0.10055, 'm8i-flex.xlarge': 0.2011, 'm8i.12xlarge': 2.54016,
        'm8i.16xlarge': 3.38688, 'm8i.24xlarge': 5.08032, 'm8i.2xlarge': 0.42336,
        'm8i.32xlarge': 6.77376, 'm8i.48xlarge': 10.16064, 'm8i.4xlarge': 0.84672,
        'm8i.8xlarge': 1.69344, 'm8i.96xlarge': 20.32128, 'm8i.large': 0.10584,
        'm8i.metal-48xl': 10.16064, 'm8i.metal-96xl': 20.32128, 'm8i.xlarge': 0.21168,
        'p4d.24xlarge': 21.957642, 'p4de.24xlarge': 27.44705, 'p5.48xlarge': 55.04,
        'p5.4xlarge': 6.88, 'p5en.48xlarge': 63.296, 'r5.12xlarge': 3.024,
        'r5.16xlarge': 4.032, 'r5.24xlarge': 6.048, 'r5.2xlarge': 0.504,
        'r5.4xlarge': 1.008, 'r5.8xlarge': 2.016, 'r5.large': 0.126,
        'r5.metal': 6.048, 'r5.xlarge': 0.252, 'r5d.12xlarge': 3.456,
        'r5d.16xlarge': 4.608, 'r5d.24xlarge': 6.912, 'r5d.2xlarge': 0.576,
        'r5d.4xlarge': 1.152, 'r5d.8xlarge': 2.304, 'r5d.large': 0.144,
        'r5d.metal': 6.912, 'r5d.xlarge': 0.288, 'r6i.12xlarge': 3.024,
        'r6i.16xlarge': 4.032, 'r6i.24xlarge': 6.048, 'r6i.2xlarge': 0.504,
        'r6i.32xlarge': 8.064, 'r6i.4xlarge': 1.008, 'r6i.8xlarge': 2.016,
        'r6i.large': 0.126, 'r6i.metal': 8.064, 'r6i.xlarge': 0.252,
        'r6id.12xlarge': 3.6288, 'r6id.16xlarge': 4.8384, 'r6id.24xlarge': 7.2576,
        'r6id.2xlarge': 0.6048, 'r6id.32xlarge': 9.6768, 'r6id.4xlarge': 1.2096,
        'r6id.8xlarge': 2.4192, 'r6id.large': 0.1512, 'r6id.metal': 9.6768,
        'r6id.xlarge': 0.3024, 'r7i.12xlarge': 3.1752, 'r7i.16xlarge': 4.2336,
        'r7i.24xlarge': 6.3504, 'r7i.2xlarge': 0.5292, 'r7i.48xlarge': 12.7008,
        'r7i.4xlarge': 1.0584, 'r7i.8xlarge': 2.1168, 'r7i.large': 0.1323,
        'r7i.metal-24xl': 6.98544, 'r7i.metal-48xl': 12.7008, 'r7i.xlarge': 0.2646,
        'r8i-flex.12xlarge': 3.16728, 'r8i-flex.16xlarge': 4.22304, 'r8i-flex.2xlarge': 0.52788,
        'r8i-flex.4xlarge': 1.05576, 'r8i-flex.8xlarge': 2.11152, 'r8i-flex.large': 0.13197,
        'r8i-flex.xlarge': 0.26394, 'r8i.12xlarge': 3.33408, 'r8i.16xlarge': 4.44544,
        'r8i.24xlarge': 6.66816, 'r8i.2xlarge': 0.55568, 'r8i.32xlarge': 8.89088,
        'r8i.48xlarge': 13.33632, 'r8i.4xlarge': 1.11136, 'r8i.8xlarge': 2.22272,
        'r8i.96xlarge': 26.67264, 'r8i.large': 0.13892, 'r8i.metal-48xl': 14.66995,
        'r8i.metal-96xl': 26.67264, 'r8i.xlarge': 0.27784,      }),
    },
    {
      // Only the rows read: the m7i and m8i families (the catalog's sandbox defaults) and g6
      // (the L4 default). Other families were not read for these regions and are unknown
      // there. The file lists no g6 row for eu-west-1.
      region: 'us-west-2', source: AWS_SOURCE_SKYPILOT,
      prices: Object.freeze({
        'm7i.4xlarge': 0.8064, 'm7i.8xlarge': 1.6128, 'm7i.48xlarge': 9.6768,
        'm7i.metal-24xl': 4.8384, 'm7i.metal-48xl': 9.6768,
        'm8i.large': 0.10584, 'm8i.4xlarge': 0.84672, 'm8i.8xlarge': 1.69344, 'm8i.48xlarge': 10.16064,
        'm8i.96xlarge': 20.32128, 'm8i.metal-48xl': 10.16064,
        'g6.xlarge': 0.8048, 'g6.8xlarge': 2.0144,
      }),
      caveats: Object.freeze({ 'm7i.metal-24xl': METAL_24XL_CAVEAT }),
    },
    {
      region: 'eu-west-1', source: AWS_SOURCE_SKYPILOT,
      prices: Object.freeze({
        'm7i.xlarge': 0.2247, 'm7i.4xlarge': 0.8988, 'm7i.8xlarge': 1.7976, 'm7i.48xlarge': 10.7856,
        'm7i.metal-24xl': 5.3928, 'm7i.metal-48xl': 10.7856,
        'm8i.large': 0.11797, 'm8i.4xlarge': 0.94376, 'm8i.8xlarge': 1.88752, 'm8i.48xlarge': 11.32512,
        'm8i.96xlarge': 22.65024, 'm8i.metal-48xl': 11.32512,
      }),
      caveats: Object.freeze({ 'm7i.metal-24xl': METAL_24XL_CAVEAT }),
    },
  ]),
});

/**
 * NAT gateway, USD per gateway-hour (data processing, $/GB, is excluded like all traffic).
 * Source read: a secondary page quoting the Amazon VPC pricing page for us-east-1 and us-east-2
 * (the official page, aws.amazon.com/vpc/pricing, renders its table with script and could not
 * be read here). Refresh from the official page or the Price List API (service AmazonEC2,
 * productFamily "NAT Gateway", usagetype "*NatGateway-Hours").
 */
export const AWS_NAT_GATEWAY_SOURCE: PriceSource = Object.freeze({
  // The official page renders its rate table per region at view time; its static pricing example
  // states $0.045 per NAT Gateway-hour in US East (Ohio) (transcribed 2026-09-20 by
  // github.com/api-evangelist/amazon-vpc plans/amazon-vpc-plans-pricing.yml). us-east-1 at the same
  // rate: sst.dev/docs/component/aws/vpc ("a NAT Gateway per az at $0.045 per hour", us-east-1).
  title: 'Amazon VPC pricing, NAT gateway example ($0.045 per NAT Gateway-hour, US East); us-east-1 rate as quoted by sst.dev Vpc docs',
  url: 'https://aws.amazon.com/vpc/pricing/',
  read: AWS_PRICES_READ,
});

export const AWS_NAT_GATEWAY_HOURLY: { readonly [region: string]: number } = Object.freeze({
  'us-east-1': 0.045,
  'us-east-2': 0.045,
});
