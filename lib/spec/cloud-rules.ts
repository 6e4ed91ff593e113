import { CloudProvider, Virtualization } from './types';

/**
 * Per-cloud facts validation needs; pure data and predicates.
 * @jsii ignore not in Python: RegExp members.
 */
export interface CloudRules {
  readonly cloud: CloudProvider;
  /** Virtualization for a KVM runtime when neither it nor an instance type is given. */
  readonly defaultKvmVirtualization: Virtualization;
  /** Largest network (smallest prefix length) the cloud accepts for one VPC/VNet. */
  readonly minNetworkPrefix: number;
  /** Smallest subnet the cloud accepts (prefix length). */
  readonly maxSubnetPrefix: number;
  /** What a control-plane principal looks like, for messages. */
  readonly principalFormat: string;
  readonly principalPattern: RegExp;
  /** The control plane must present an external id (AWS confused-deputy protection). */
  readonly externalIdRequired: boolean;
  /** Warm standby capacity can be combined with spot. */
  readonly warmNodesWithSpot: boolean;
  /** Most zones one platform may span. */
  readonly maxZones: number;
  /** Which types can run nested virtualization, for messages. */
  readonly nestedSeries: string;
  readonly nestedExample: string;
  /** A bare-metal type for messages; undefined where the cloud sells none. */
  readonly metalExample?: string;
  /** Zone names as the cloud spells them. */
  readonly zonePattern: RegExp;
  readonly zoneFormat: string;
  readonly tagKeyPattern: RegExp;
  readonly tagValuePattern: RegExp;
  readonly tagFormat: string;
  /** Most tags/labels one resource may carry (the library's own count against it). */
  readonly maxTags: number;
  /** What a pool `image` override must look like. */
  readonly imagePattern: RegExp;
  /** The accepted image formats, for messages. */
  readonly imageFormat: string;
}

// GCP image names and families: RFC 1035 labels of at most 63 characters
// (cloud.google.com/compute/docs/reference/rest/v1/images). Project ids: 6..30 characters,
// optionally domain-scoped ("example.com:my-project").
const GCP_NAME = '[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?';
const GCP_PROJECT = '(?:[a-z0-9.-]+:)?[a-z][-a-z0-9]{4,28}[a-z0-9]';
// Accepted by google_compute_instance boot_disk.initialize_params.image and instance templates:
// a self link (full URL or "projects/P/global/images/[family/]N"), "P/N", "family/N" or "N".
const GCP_IMAGE = new RegExp(
  `^(?:(?:https://(?:www|compute)\\.googleapis\\.com/compute/(?:v1|beta)/)?projects/${GCP_PROJECT}/global/images/(?:family/)?${GCP_NAME}` +
  `|${GCP_PROJECT}/${GCP_NAME}|family/${GCP_NAME}|${GCP_NAME})$`,
);
// Azure marketplace URN "publisher:offer:sku:version" (version "latest" or Major.Minor.Build), or
// the resource id of a managed image or a compute gallery image (version).
const AZURE_IMAGE = new RegExp(
  '^(?:[A-Za-z0-9][\\w.-]*:[A-Za-z0-9][\\w.-]*:[A-Za-z0-9][\\w.-]*:(?:latest|\\d+\\.\\d+\\.\\d+)' +
  '|/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[\\w.()-]{1,90}/providers/Microsoft\\.Compute/' +
  '(?:images/[\\w.-]+|galleries/[\\w.]+/images/[\\w.-]+(?:/versions/(?:latest|\\d+\\.\\d+\\.\\d+))?))$',
);

const AWS: CloudRules = {
  cloud: CloudProvider.AWS,
  // Metal works on every commercial region; nested virtualization needs 8th-gen Intel types
  // and aws provider >= 6.33.0, so it is opt-in.
  defaultKvmVirtualization: Virtualization.BARE_METAL,
  // VPC CIDR blocks are /16 to /28 (docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html).
  minNetworkPrefix: 16,
  maxSubnetPrefix: 28,
  principalFormat: 'a 12-digit AWS account id or an IAM role ARN (arn:aws:iam::123456789012:role/name)',
  principalPattern: /^(\d{12}|arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512})$/,
  externalIdRequired: true,
  // "You can't add a warm pool to an Auto Scaling group that has a mixed instances policy or
  // that launches Spot Instances" (docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-warm-pools.html).
  warmNodesWithSpot: false,
  maxZones: 6,
  nestedSeries: 'C8i, M8i and R8i (and -flex) types',
  nestedExample: 'm8i.4xlarge',
  metalExample: 'm7i.metal-24xl',
  zonePattern: /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/,
  zoneFormat: 'an availability zone name such as "us-east-1a"',
  // Tag keys 1..128, values 0..256; "aws:" in any letter case is reserved as a prefix of keys and
  // values (docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html).
  tagKeyPattern: /^(?![aA][wW][sS]:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u,
  tagValuePattern: /^(?![aA][wW][sS]:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u,
  tagFormat: 'AWS tags: key 1..128 and value 0..256 of letters, digits, spaces and _.:/=+-@; neither may start with "aws:" (any case)',
  // 50 user tags per resource (same tagging page).
  maxTags: 50,
  // An AMI id, or an SSM parameter that holds one (node-pool resolves it with "resolve:ssm:";
  // parameter names: docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html).
  imagePattern: /^(?:ami-[0-9a-f]{8}(?:[0-9a-f]{9})?|\/[\w.\-/]{1,2047})$/,
  imageFormat: 'an AMI id such as "ami-0123456789abcdef0", or an SSM parameter path that holds one, such as ' +
    '"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" (without "resolve:ssm:")',
};

const GCP: CloudRules = {
  cloud: CloudProvider.GCP,
  // Nested virtualization on Intel N2/C3/C4 works on ordinary VMs; metal is c3/c4 only.
  defaultKvmVirtualization: Virtualization.NESTED,
  minNetworkPrefix: 8,
  maxSubnetPrefix: 29,
  principalFormat: 'a service account e-mail (name@project.iam.gserviceaccount.com)',
  principalPattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z0-9-]+\.iam\.gserviceaccount\.com$/,
  externalIdRequired: false,
  warmNodesWithSpot: false,
  // Regions have 3 or 4 zones (cloud.google.com/compute/docs/regions-zones).
  maxZones: 4,
  nestedSeries: 'Intel series such as N1 (Skylake or later), N2, C3 and C4; not E2, AMD or Arm',
  nestedExample: 'n2-standard-16',
  metalExample: 'c3-standard-192-metal',
  zonePattern: /^[a-z]+-[a-z]+\d+-[a-z]$/,
  zoneFormat: 'a zone name such as "us-central1-a"',
  // Labels: lowercase, key starts with a letter, <= 63 chars (cloud.google.com/compute/docs/labeling-resources).
  tagKeyPattern: /^[a-z][a-z0-9_-]{0,62}$/,
  tagValuePattern: /^[a-z0-9_-]{0,63}$/,
  tagFormat: 'GCP labels: lowercase letters, digits, _ and -, keys start with a letter, at most 63 characters',
  // 64 labels per resource (cloud.google.com/compute/docs/labeling-resources#requirements).
  maxTags: 64,
  imagePattern: GCP_IMAGE,
  imageFormat: 'a GCP image: a self link ("projects/PROJECT/global/images/NAME" or ".../images/family/FAMILY"), ' +
    '"PROJECT/NAME", "family/FAMILY" or an image name, e.g. "projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64"',
};

const AZURE: CloudRules = {
  cloud: CloudProvider.AZURE,
  // Azure has no bare-metal size for general use; Dsv5/Dasv5/Dsv6 expose nested virtualization.
  defaultKvmVirtualization: Virtualization.NESTED,
  minNetworkPrefix: 8,
  maxSubnetPrefix: 29,
  principalFormat: 'an Entra object id (GUID such as 00000000-0000-0000-0000-000000000000)',
  principalPattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  externalIdRequired: false,
  warmNodesWithSpot: false,
  // Regions with availability zones have three (learn.microsoft.com/azure/reliability/availability-zones-overview).
  maxZones: 3,
  nestedSeries: 'Dv3 (Gen1 images), Dsv5, Ddsv5, Dasv5, Dsv6, Ddsv6, Dasv6 and Lsv3 sizes; no GPU size',
  nestedExample: 'Standard_D16s_v5',
  zonePattern: /^[1-3]$/,
  zoneFormat: 'an availability zone number "1", "2" or "3"',
  // Tag names <= 512 without <>%&\?/, values <= 256 (learn.microsoft.com/azure/azure-resource-manager/management/tag-resources).
  tagKeyPattern: /^[^<>%&\\?/]{1,512}$/,
  tagValuePattern: /^.{0,256}$/,
  tagFormat: 'Azure tags: names 1..512 characters without <>%&\\?/, values at most 256 characters',
  // 50 tag name/value pairs per resource (same page).
  maxTags: 50,
  imagePattern: AZURE_IMAGE,
  imageFormat: 'an Azure image: a marketplace URN "publisher:offer:sku:version" (version "latest" or a.b.c), e.g. ' +
    '"Canonical:ubuntu-24_04-lts:server:latest", or the resource id of a managed or gallery image (/subscriptions/...)',
};

const RULES: { readonly [c in CloudProvider]: CloudRules } = {
  [CloudProvider.AWS]: AWS,
  [CloudProvider.GCP]: GCP,
  [CloudProvider.AZURE]: AZURE,
};

export function cloudRules(cloud: CloudProvider): CloudRules {
  return RULES[cloud];
}
