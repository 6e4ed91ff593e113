/**
 * Bad-input tests for the pure spec layer: every row is one mutation of a valid spec, the
 * issue it must produce (path + message), and how many issues in total (so a single mistake
 * never produces a pile of follow-on noise).
 */
import { Mutation, Obj, Row, gpu, issuesOf, net, obs, sbx, top } from './bad-input';
import {
  CLOUD_PATH, CloudProvider, ResolveOptions, ResolvedPlatform, SandboxPlatformSpec, SpecValidationError, cloudRules,
  resolvePlatform,
} from '../lib/spec';


/** Valid on AWS: one Firecracker pool on the default metal type, one T4 pool. */
const BASE: Obj = Object.freeze({
  name: 'acme',
  deployment: 'managed',
  compliance: 'baseline',
  sandboxPools: [{ name: 'fc' }],
  gpuPools: [{ name: 'gpu', gpu: 't4' }],
});

const BYOC = { deployment: 'byoc', controlPlane: { principal: '123456789012', externalId: 'acme-external-1' } };

function resolveRaw(spec: unknown, cloud = CloudProvider.AWS, options?: ResolveOptions): ResolvedPlatform {
  return resolvePlatform(spec as SandboxPlatformSpec, cloud, options);
}

function errorOf(spec: unknown, cloud = CloudProvider.AWS): SpecValidationError {
  try {
    resolveRaw(spec, cloud);
  } catch (e) {
    if (e instanceof SpecValidationError) return e;
    throw e;
  }
  throw new Error('expected a SpecValidationError');
}

const cp = (patch: Obj): Mutation => (s) => ({ ...s, ...BYOC, controlPlane: { ...BYOC.controlPlane, ...patch } });
const both = (...ms: Mutation[]): Mutation => (s) => ms.reduce((acc, m) => m(acc), s);
const firewall = (domains: unknown): Mutation => net({ egress: { mode: 'firewall', allowedDomains: domains } });

const ROWS: Row[] = [
  // name
  { label: 'name with uppercase', mutate: top({ name: 'Acme' }), path: 'name', message: /"Acme" is not a lowercase name of 2\.\.21 characters: letters, digits and single hyphens/ },
  { label: 'name ending in a hyphen', mutate: top({ name: 'acme-' }), path: 'name', message: /"acme-" ends with a hyphen/, hint: /"acme"/ },
  { label: 'name with a double hyphen', mutate: top({ name: 'acme--sbx' }), path: 'name', message: /"acme--sbx" contains consecutive hyphens/, hint: /"acme-sbx"/ },
  { label: 'pool name ending in a hyphen', mutate: sbx({ name: 'fc-' }), path: 'sandboxPools[0].name', message: /"fc-" ends with a hyphen/, hint: /"fc"/ },
  { label: 'pool name with a double hyphen', mutate: sbx({ name: 'f--c' }), path: 'sandboxPools[0].name', message: /"f--c" contains consecutive hyphens/ },
  { label: 'name too long (22)', mutate: top({ name: 'a'.repeat(22) }), path: 'name', message: /"a{22}" is not a lowercase name of 2\.\.21/ },
  { label: 'name with leading digit', mutate: top({ name: '1acme' }), path: 'name', message: /"1acme" is not/ },
  { label: 'name missing', mutate: top({ name: undefined }), path: 'name', message: /is required/ },
  { label: 'name not a string', mutate: top({ name: 42 }), path: 'name', message: /must be a string, got 42/ },

  // enums
  { label: 'deployment in capitals', mutate: top({ deployment: 'BYOC' }), path: 'deployment', message: /"BYOC" is not allowed/, hint: /did you mean "byoc"/ },
  { label: 'compliance unknown', mutate: top({ compliance: 'pci' }), path: 'compliance', message: /"pci" is not allowed/, hint: /"baseline", "soc2", "hipaa"/ },
  { label: 'compliance missing', mutate: top({ compliance: undefined }), path: 'compliance', message: /is required/ },

  // pool names and sizes
  {
    label: 'duplicate pool name across sandboxPools and gpuPools', mutate: gpu({ name: 'fc' }),
    path: 'gpuPools[0].name', message: /pool name "fc" is already used by sandboxPools\[0\]/,
  },
  {
    label: 'duplicate pool name even when the other pool is invalid', mutate: both(gpu({ name: 'fc', gpu: 'tpu' })),
    path: 'gpuPools[0].name', message: /already used by sandboxPools\[0\]/, count: 2,
  },
  { label: 'pool name with underscore', mutate: sbx({ name: 'fc_pool' }), path: 'sandboxPools[0].name', message: /"fc_pool" is not a lowercase name of 1\.\.16/ },
  { label: 'minNodes > maxNodes', mutate: sbx({ minNodes: 5, maxNodes: 2 }), path: 'sandboxPools[0].minNodes', message: /5 is greater than maxNodes 2/ },
  { label: 'GPU minNodes above the GPU default max', mutate: gpu({ minNodes: 3, maxNodes: 2 }), path: 'gpuPools[0].minNodes', message: /3 is greater than maxNodes 2/ },
  { label: 'maxNodes 0', mutate: sbx({ maxNodes: 0 }), path: 'sandboxPools[0].maxNodes', message: /0 is out of range 1\.\.1000 \(a pool needs at least one node\)/ },
  { label: 'maxNodes negative', mutate: sbx({ maxNodes: -3 }), path: 'sandboxPools[0].maxNodes', message: /-3 is out of range 1\.\.1000/ },
  { label: 'minNodes negative', mutate: sbx({ minNodes: -1 }), path: 'sandboxPools[0].minNodes', message: /-1 is out of range 0\.\.1000/ },
  { label: 'maxNodes fractional', mutate: sbx({ maxNodes: 2.5 }), path: 'sandboxPools[0].maxNodes', message: /must be an integer, got 2\.5/ },
  { label: 'maxNodes NaN is named as NaN', mutate: sbx({ maxNodes: NaN }), path: 'sandboxPools[0].maxNodes', message: /got NaN/ },
  { label: 'warmNodes > maxNodes', mutate: sbx({ warmNodes: 5, maxNodes: 3 }), path: 'sandboxPools[0].warmNodes', message: /5 warm nodes exceed maxNodes 3/ },
  { label: 'warmNodes with spot', mutate: sbx({ warmNodes: 1, spot: true }), path: 'sandboxPools[0].warmNodes', message: /1 warm nodes cannot be combined with spot on aws/ },

  // network
  { label: 'CIDR prefix 33', mutate: net({ cidr: '10.0.0.0/33' }), path: 'network.cidr', message: /"10\.0\.0\.0\/33" has prefix \/33; an IPv4 prefix length is 0\.\.32/ },
  { label: 'CIDR with three octets', mutate: net({ cidr: '10.0.0/16' }), path: 'network.cidr', message: /"10\.0\.0\/16" is not an IPv4 CIDR/ },
  { label: 'CIDR banana', mutate: net({ cidr: 'banana' }), path: 'network.cidr', message: /"banana" is not an IPv4 CIDR such as 10\.64\.0\.0\/16/ },
  { label: 'CIDR with host bits set', mutate: net({ cidr: '10.64.1.0/16' }), path: 'network.cidr', message: /host bits set; the network address is 10\.64\.0\.0\/16/ },
  { label: 'CIDR with octal-looking octet', mutate: net({ cidr: '010.64.0.0/16' }), path: 'network.cidr', message: /leading zero in "010"/ },
  { label: 'CIDR octet above 255', mutate: net({ cidr: '10.256.0.0/16' }), path: 'network.cidr', message: /octet outside 0\.\.255 \(256\)/ },
  { label: 'CIDR not a string', mutate: net({ cidr: 1064 }), path: 'network.cidr', message: /must be a string, got 1064/ },
  {
    label: 'CIDR too small for 3 zones', mutate: net({ cidr: '10.0.0.0/24', zones: 3 }), path: 'network.cidr',
    message: /10\.0\.0\.0\/24 is too small for 3 zones.*\/22 or larger/, hint: /use a \/22 or larger \(e\.g\. 10\.0\.0\.0\/16\)/,
  },
  {
    label: 'CIDR too small: suggested example has no host bits', mutate: net({ cidr: '10.9.5.0/24' }), path: 'network.cidr',
    message: /too small/, hint: /e\.g\. 10\.9\.0\.0\/16/,
  },
  { label: 'CIDR /8 larger than AWS allows', mutate: net({ cidr: '10.0.0.0/8' }), path: 'network.cidr', message: /10\.0\.0\.0\/8 is larger than aws allows for one network \(\/16 at most\)/ },
  { label: 'zones 0', mutate: net({ zones: 0 }), path: 'network.zones', message: /0 is out of range 1\.\.6/ },
  { label: 'zones 7', mutate: net({ zones: 7 }), path: 'network.zones', message: /7 is out of range 1\.\.6/ },
  {
    label: 'zones out of range with a tiny CIDR reports only the zones', mutate: net({ zones: 9, cidr: '10.0.0.0/30' }), path: 'network.zones',
    message: /9 is out of range 1\.\.6/,
  },
  { label: 'unknown network field', mutate: net({ zone: 3 }), path: 'network.zone', message: /unknown field "zone"/, hint: /did you mean "zones"/ },
  { label: 'egress without mode', mutate: net({ egress: {} }), path: 'network.egress.mode', message: /is required/ },
  {
    label: 'FIREWALL without allowedDomains', mutate: net({ egress: { mode: 'firewall' } }), path: 'network.egress.allowedDomains',
    message: /is required and non-empty when egress\.mode is "firewall"/,
  },
  { label: 'FIREWALL with empty allowedDomains', mutate: firewall([]), path: 'network.egress.allowedDomains', message: /non-empty/ },
  {
    label: 'allowedDomains with NAT', mutate: net({ egress: { mode: 'nat', allowedDomains: ['pypi.org'] } }), path: 'network.egress.allowedDomains',
    message: /only enforced with egress\.mode "firewall", not "nat"/,
  },
  {
    label: 'mistyped egress mode with allowedDomains reports only the mode', mutate: net({ egress: { mode: 'firewal', allowedDomains: ['pypi.org'] } }),
    path: 'network.egress.mode', message: /"firewal" is not allowed/, hint: /did you mean "firewall"/,
  },
  { label: 'bad domain (URL)', mutate: firewall(['pypi.org', 'https://pypi.org']), path: 'network.egress.allowedDomains[1]', message: /"https:\/\/pypi\.org" is not a domain/ },
  { label: 'bad domain (wildcard)', mutate: firewall(['*.github.com']), path: 'network.egress.allowedDomains[0]', message: /"\*\.github\.com" is not a domain.*leading dot/ },

  // runtime x virtualization x instance type
  {
    label: 'FIRECRACKER with virtualization none', mutate: sbx({ runtime: 'firecracker', virtualization: 'none' }),
    path: 'sandboxPools[0].virtualization', message: /runtime "firecracker" needs \/dev\/kvm, which virtualization "none" does not provide/,
  },
  { label: 'KATA with virtualization none', mutate: sbx({ runtime: 'kata', virtualization: 'none' }), path: 'sandboxPools[0].virtualization', message: /runtime "kata" needs \/dev\/kvm/ },
  {
    label: 'NESTED on m7i.large', mutate: sbx({ virtualization: 'nested', instanceType: 'm7i.large' }), path: 'sandboxPools[0].virtualization',
    message: /"nested" is not possible on m7i\.large.*C8i, M8i and R8i/, hint: /m8i\.4xlarge/,
  },
  {
    label: 'BARE_METAL on m7i.4xlarge', mutate: sbx({ virtualization: 'bare-metal', instanceType: 'm7i.4xlarge' }), path: 'sandboxPools[0].virtualization',
    message: /"bare-metal" needs a bare-metal type, and m7i\.4xlarge is a virtual instance type/,
  },
  {
    label: 'FIRECRACKER on m7i.large (no KVM, virtualization derived)', mutate: sbx({ instanceType: 'm7i.large' }), path: 'sandboxPools[0].instanceType',
    message: /m7i\.large cannot give runtime "firecracker" \/dev\/kvm: it is neither bare metal nor able to run nested/,
  },
  {
    label: 'unknown instance type', mutate: sbx({ instanceType: 'm7i.huge' }), path: 'sandboxPools[0].instanceType',
    message: /"m7i\.huge" is not a known aws instance type/, hint: /allowUnknownInstanceType/,
  },
  {
    label: 'unknown type with capacity: one issue, not a second about capacity',
    mutate: sbx({ instanceType: 'm7i.huge', capacity: { concurrentSandboxes: 10, vcpusPerSandbox: 1, memoryMiBPerSandbox: 512 } }),
    path: 'sandboxPools[0].instanceType', message: /not a known aws instance type/,
  },
  {
    label: 'allowed unknown type with a KVM runtime needs explicit virtualization', mutate: sbx({ instanceType: 'x9.metal', allowUnknownInstanceType: true }),
    path: 'sandboxPools[0].virtualization', message: /is required for runtime "firecracker" on an instance type outside the catalog \("x9\.metal"\)/,
  },
  {
    label: 'allowed unknown type cannot be sized from capacity',
    mutate: sbx({ runtime: 'gvisor', instanceType: 'x9.large', allowUnknownInstanceType: true, capacity: { concurrentSandboxes: 10, vcpusPerSandbox: 1, memoryMiBPerSandbox: 512 } }),
    path: 'sandboxPools[0].capacity', message: /needs an instance type from the catalog/,
  },
  { label: 'runtime unknown', mutate: sbx({ runtime: 'docker' }), path: 'sandboxPools[0].runtime', message: /"docker" is not allowed/ },
  { label: 'hugepages above 90% of memory', mutate: sbx({ instanceType: 'm8i.large', hugepagesMiB: 8192 }), path: 'sandboxPools[0].hugepagesMiB', message: /8192 MiB of hugepages exceed 90% of m8i\.large's 8 GiB/ },
  { label: 'rootVolumeGiB too small', mutate: sbx({ rootVolumeGiB: 8 }), path: 'sandboxPools[0].rootVolumeGiB', message: /8 is out of range 20\.\.16384/ },

  // GPU pools
  { label: 'FIRECRACKER on a GPU pool', mutate: gpu({ runtime: 'firecracker' }), path: 'gpuPools[0].runtime', message: /Firecracker has no GPU passthrough/ },
  {
    label: 'KATA on g4dn.xlarge', mutate: gpu({ runtime: 'kata', instanceType: 'g4dn.xlarge' }), path: 'gpuPools[0].runtime',
    message: /Kata GPU passthrough needs a bare-metal type; g4dn\.xlarge is virtual/, hint: /g4dn\.metal/,
  },
  { label: 'KATA on L4 (AWS has no metal L4)', mutate: gpu({ gpu: 'l4', runtime: 'kata' }), path: 'gpuPools[0].runtime', message: /Kata needs a bare-metal "l4" type; aws has none/, hint: /gvisor/ },
  {
    label: 'KATA on T4 with 1 GPU (metal has 8)', mutate: gpu({ runtime: 'kata', gpusPerNode: 1 }), path: 'gpuPools[0].runtime',
    message: /bare-metal "t4" type with 1 GPU; aws has g4dn\.metal \(8 GPUs\)/, hint: /gpusPerNode to 8/,
  },
  { label: 'GPU model AWS does not sell (a10)', mutate: gpu({ gpu: 'a10' }), path: 'gpuPools[0].gpu', message: /aws does not sell "a10" GPUs/, hint: /"a10g"/ },
  { label: 'GPU model missing', mutate: gpu({ gpu: undefined }), path: 'gpuPools[0].gpu', message: /is required/ },
  { label: 'GPU model unknown', mutate: gpu({ gpu: 'tpu' }), path: 'gpuPools[0].gpu', message: /"tpu" is not allowed/ },
  {
    label: 'gpusPerNode shape not sold (h200 x1)', mutate: gpu({ gpu: 'h200', gpusPerNode: 1 }), path: 'gpuPools[0].gpusPerNode',
    message: /aws sells "h200" in shapes of 8 GPUs per node, not 1/, hint: /gpusPerNode 8/,
  },
  { label: 'gpusPerNode shape not sold (t4 x2)', mutate: gpu({ gpusPerNode: 2 }), path: 'gpuPools[0].gpusPerNode', message: /shapes of 1, 4, 8 GPUs per node, not 2/ },
  {
    label: 'instanceType without the GPU (p5.48xlarge for l4)', mutate: gpu({ gpu: 'l4', instanceType: 'p5.48xlarge' }), path: 'gpuPools[0].instanceType',
    message: /p5\.48xlarge does not carry "l4" GPUs/, hint: /g6\.xlarge/,
  },
  {
    label: 'gpusPerNode not matching the instanceType', mutate: gpu({ instanceType: 'g4dn.xlarge', gpusPerNode: 4 }), path: 'gpuPools[0].gpusPerNode',
    message: /4 does not match g4dn\.xlarge, which has 1/,
  },
  { label: 'warmNodes on a GPU pool', mutate: gpu({ warmNodes: 1 }), path: 'gpuPools[0].warmNodes', message: /unknown field "warmNodes"/ },

  // control plane
  { label: 'BYOC without controlPlane', mutate: top({ deployment: 'byoc' }), path: 'controlPlane', message: /is required for BYOC deployments/, hint: /12-digit AWS account id/ },
  { label: 'MANAGED with controlPlane', mutate: top({ controlPlane: BYOC.controlPlane }), path: 'controlPlane', message: /a managed deployment has no cross-account control plane/ },
  {
    label: 'invalid deployment with controlPlane reports only the deployment', mutate: top({ deployment: 'hybrid', controlPlane: BYOC.controlPlane }),
    path: 'deployment', message: /"hybrid" is not allowed/,
  },
  { label: 'AWS controlPlane without externalId', mutate: cp({ externalId: undefined }), path: 'controlPlane.externalId', message: /is required/, hint: /8\.\.1224/ },
  { label: 'externalId too short', mutate: cp({ externalId: 'abc' }), path: 'controlPlane.externalId', message: /"abc" is not 8\.\.1224 characters/ },
  { label: 'principal too short (12345)', mutate: cp({ principal: '12345' }), path: 'controlPlane.principal', message: /"12345" is not a 12-digit AWS account id or an IAM role ARN/ },
  {
    label: 'principal user ARN with short account', mutate: cp({ principal: 'arn:aws:iam::1234:user/x' }), path: 'controlPlane.principal',
    message: /"arn:aws:iam::1234:user\/x" is not a 12-digit AWS account id/,
  },
  { label: 'controlPlane access unknown', mutate: cp({ access: 'admin' }), path: 'controlPlane.access', message: /"admin" is not allowed/, hint: /"operate", "read-only"/ },

  // observability
  {
    label: 'logRetentionDays below the soc2 floor', mutate: both(top({ compliance: 'soc2' }), obs({ logRetentionDays: 100 })), path: 'observability.logRetentionDays',
    message: /100 days is below the soc2 floor of 365 days/, hint: /365 or more/,
  },
  {
    label: 'logRetentionDays below the hipaa floor', mutate: both(top({ compliance: 'hipaa' }), obs({ logRetentionDays: 2190 })), path: 'observability.logRetentionDays',
    message: /2190 days is below the hipaa floor of 2192 days/,
  },
  { label: 'logRetentionDays above ten years', mutate: obs({ logRetentionDays: 4000 }), path: 'observability.logRetentionDays', message: /4000 is out of range 1\.\.3653/ },
  { label: 'bad alert e-mail', mutate: obs({ alertEmails: ['oncall@acme.example', 'oncall-at-acme'] }), path: 'observability.alertEmails[1]', message: /"oncall-at-acme" is not an e-mail address/ },
  { label: 'alertEmails not a list', mutate: obs({ alertEmails: 'oncall@acme.example' }), path: 'observability.alertEmails', message: /must be a list/ },

  // types and unknown fields
  { label: 'unknown pool field typo (minNode)', mutate: sbx({ minNode: 1 }), path: 'sandboxPools[0].minNode', message: /unknown field "minNode"/, hint: /did you mean "minNodes"\?/ },
  { label: 'unknown top-level field typo', mutate: top({ sandboxPool: [] }), path: 'sandboxPool', message: /unknown field "sandboxPool"/, hint: /did you mean "sandboxPools"\?/ },
  { label: 'unknown field far from any name lists the allowed fields', mutate: top({ zz: 1 }), path: 'zz', message: /unknown field "zz"/, hint: /allowed fields: name, deployment/ },
  { label: 'maxNodes as a string', mutate: sbx({ maxNodes: '5' }), path: 'sandboxPools[0].maxNodes', message: /must be an integer, got "5"/, hint: /without quotes \(5, not "5"\)/ },
  { label: 'spot as "yes"', mutate: sbx({ spot: 'yes' }), path: 'sandboxPools[0].spot', message: /must be true or false, got "yes"/ },
  { label: 'sandboxPools not a list', mutate: top({ sandboxPools: { name: 'fc' } }), path: 'sandboxPools', message: /must be a list/ },
  { label: 'pool entry null', mutate: top({ sandboxPools: [null] }), path: 'sandboxPools[0]', message: /must be an object, got null/ },
  { label: 'network not an object', mutate: top({ network: '10.0.0.0/16' }), path: 'network', message: /must be an object, got "10\.0\.0\.0\/16"/ },

  // tags
  { label: 'reserved tag key managed-by', mutate: top({ tags: { 'managed-by': 'me' } }), path: 'tags.managed-by', message: /tag key "managed-by" is set by the library/, hint: /sandbox-platform/ },
  { label: 'reserved tag key sandbox-pool', mutate: top({ tags: { 'sandbox-pool': 'x' } }), path: 'tags.sandbox-pool', message: /set by the library/ },
  { label: 'AWS tag key with aws: prefix', mutate: top({ tags: { 'aws:owner': 'x' } }), path: 'tags.aws:owner', message: /is not a valid tag here/, hint: /"aws:"/ },
  { label: 'AWS tag key with AWS: prefix (any case)', mutate: top({ tags: { 'AWS:owner': 'x' } }), path: 'tags.AWS:owner', message: /is not a valid tag here/ },
  { label: 'AWS tag value with aws: prefix', mutate: top({ tags: { owner: 'Aws:team' } }), path: 'tags.owner', message: /"owner": "Aws:team" is not a valid tag here/ },
  { label: 'tag value not a string', mutate: top({ tags: { team: 7 } }), path: 'tags.team', message: /must be a string, got 7/ },
  {
    label: 'too many tags for AWS', mutate: top({ tags: Object.fromEntries(Array.from({ length: 46 }, (_, i) => [`t${i}`, 'x'])) }), path: 'tags',
    message: /46 tags are too many: aws allows 50 per resource and the library sets 5/, hint: /at most 45/,
  },

  // capacity
  {
    label: 'capacity together with maxNodes', mutate: sbx({ maxNodes: 5, capacity: { concurrentSandboxes: 100, vcpusPerSandbox: 1, memoryMiBPerSandbox: 1024 } }),
    path: 'sandboxPools[0].maxNodes', message: /5 conflicts with capacity, which derives maxNodes/,
  },
  {
    label: 'sandbox does not fit on the shape (512 vCPU)', mutate: sbx({ capacity: { concurrentSandboxes: 10, vcpusPerSandbox: 512, memoryMiBPerSandbox: 1024 } }),
    path: 'sandboxPools[0].capacity', message: /one sandbox \(512 vCPU, 1024 MiB\) does not fit on m7i\.metal-24xl \(91 vCPU/,
  },
  {
    label: 'capacity without concurrentSandboxes', mutate: sbx({ capacity: { vcpusPerSandbox: 1, memoryMiBPerSandbox: 1024 } }),
    path: 'sandboxPools[0].capacity.concurrentSandboxes', message: /is required/,
  },
  {
    label: 'capacity vcpusPerSandbox 0', mutate: sbx({ capacity: { concurrentSandboxes: 10, vcpusPerSandbox: 0, memoryMiBPerSandbox: 1024 } }),
    path: 'sandboxPools[0].capacity.vcpusPerSandbox', message: /0 is out of range \(must be > 0 and <= 512\)/,
  },
  {
    label: 'capacity cpuOvercommit above 16', mutate: sbx({ capacity: { concurrentSandboxes: 10, vcpusPerSandbox: 1, memoryMiBPerSandbox: 1024, cpuOvercommit: 20 } }),
    path: 'sandboxPools[0].capacity.cpuOvercommit', message: /20 is out of range \(must be >= 1 and <= 16\)/,
  },
  {
    label: 'capacity minFraction above 1', mutate: sbx({ capacity: { concurrentSandboxes: 10, vcpusPerSandbox: 1, memoryMiBPerSandbox: 1024, minFraction: 1.5 } }),
    path: 'sandboxPools[0].capacity.minFraction', message: /1\.5 is out of range/,
  },
  {
    label: 'minNodes above the capacity plan', mutate: sbx({ minNodes: 50, capacity: { concurrentSandboxes: 100, vcpusPerSandbox: 1, memoryMiBPerSandbox: 1024 } }),
    path: 'sandboxPools[0].minNodes', message: /50 exceeds the 2 nodes the capacity plan needs at peak/,
  },
  {
    label: 'capacity on a GPU pool', mutate: gpu({ capacity: { concurrentSandboxes: 1, vcpusPerSandbox: 1, memoryMiBPerSandbox: 1 } }),
    path: 'gpuPools[0].capacity', message: /unknown field "capacity"/,
  },

  // image (per cloud format)
  { label: 'image not an AMI id or SSM path', mutate: sbx({ image: 'ubuntu-22.04' }), path: 'sandboxPools[0].image', message: /"ubuntu-22\.04" is not an AMI id such as "ami-0123456789abcdef0"/ },
  { label: 'image AMI id with 5 hex digits', mutate: sbx({ image: 'ami-12345' }), path: 'sandboxPools[0].image', message: /is not an AMI id/ },
  { label: 'image AMI id in capitals', mutate: gpu({ image: 'ami-0123456789ABCDEF0' }), path: 'gpuPools[0].image', message: /is not an AMI id/ },
  { label: 'image with a resolve:ssm: prefix', mutate: sbx({ image: 'resolve:ssm:/aws/service/x' }), path: 'sandboxPools[0].image', message: /is not an AMI id/, hint: /without "resolve:ssm:"/ },
  // pinned zones
  { label: 'zone in GCP spelling on AWS', mutate: net({ availabilityZones: ['us-central1-a'] }), path: 'network.availabilityZones[0]', message: /"us-central1-a" is not an availability zone name such as "us-east-1a"/ },
  { label: 'zone listed twice', mutate: net({ availabilityZones: ['us-east-1a', 'us-east-1a'] }), path: 'network.availabilityZones[1]', message: /"us-east-1a" is listed twice/ },
  { label: 'zones disagreeing with the zone count', mutate: net({ zones: 3, availabilityZones: ['us-east-1a', 'us-east-1b'] }), path: 'network.availabilityZones', message: /lists 2 zones but network\.zones is 3/ },
  { label: 'no zones listed', mutate: net({ availabilityZones: [] }), path: 'network.availabilityZones', message: /lists 0 zones; 1\.\.6 are allowed/ },
  { label: 'image as a GCP self link on AWS', mutate: sbx({ image: 'projects/debian-cloud/global/images/family/debian-12' }), path: 'sandboxPools[0].image', message: /SSM parameter path/ },
];

describe('bad input: one issue per mistake, with path, message and hint', () => {
  test('the base spec is valid on AWS', () => {
    expect(issuesOf(BASE)).toEqual([]);
    expect(issuesOf(both(...[cp({})])(BASE))).toEqual([]);
  });

  it.each(ROWS.map((r) => [r.label, r] as const))('%s', (_label, row) => {
    const issues = issuesOf(row.mutate(BASE));
    const match = issues.find((i) => i.path === row.path && row.message.test(i.message));
    if (!match) {
      throw new Error(`no issue at ${row.path} matching ${row.message}; got:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
    }
    if (row.hint) expect(match.hint).toMatch(row.hint);
    for (const i of issues) {
      expect(i.hint.trim()).not.toBe('');
      expect(i.message.trim()).not.toBe('');
    }
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toHaveLength(row.count ?? 1);
  });
});

describe('pinned zones', () => {
  test('set the zone count and are kept in the plan', () => {
    const plan = resolveRaw(net({ availabilityZones: ['us-east-1a', 'us-east-1c'] })(BASE));
    expect(plan.network.zones).toBe(2);
    expect(plan.network.availabilityZones).toEqual(['us-east-1a', 'us-east-1c']);
    expect(plan.network.subnets.private).toHaveLength(2);
  });

  test('must belong to the target region when one is known', () => {
    const issues = issuesOf(net({ availabilityZones: ['us-west-2a'] })(BASE), CloudProvider.AWS, { region: 'us-east-1' });
    expect(issues).toEqual([expect.objectContaining({ path: 'network.availabilityZones[0]', message: '"us-west-2a" is not a zone of the target region us-east-1' })]);
  });

  test('Azure zones are numbers', () => {
    expect(issuesOf(net({ availabilityZones: ['1', '2', '3'] })({ name: 'acme', deployment: 'managed', compliance: 'baseline' }), CloudProvider.AZURE)).toEqual([]);
    expect(issuesOf(net({ availabilityZones: ['eastus-1'] })({ name: 'acme', deployment: 'managed', compliance: 'baseline' }), CloudProvider.AZURE)[0].message)
      .toMatch(/is not an availability zone number "1", "2" or "3"/);
  });
});

describe('values that look wrong but are allowed', () => {
  it.each([
    ['SSM parameter path', sbx({ image: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' })],
    ['17-hex AMI id', sbx({ image: 'ami-0123456789abcdef0' })],
    ['8-hex AMI id', sbx({ image: 'ami-0123abcd' })],
    ['role ARN principal', cp({ principal: 'arn:aws:iam::111122223333:role/vendor/cp' })],
    ['GovCloud role ARN principal', cp({ principal: 'arn:aws-us-gov:iam::111122223333:role/cp' })],
    ['retention raised above the floor', both(top({ compliance: 'soc2' }), obs({ logRetentionDays: 400 }))],
    ['retention exactly at the hipaa floor', both(top({ compliance: 'hipaa' }), obs({ logRetentionDays: 2192 }))],
    ['subdomain wildcard by leading dot', firewall(['.github.com', 'PyPI.org'])],
    ['IDN top-level domain', firewall(['example.xn--p1ai'])],
    ['smallest CIDR for 3 zones', net({ cidr: '10.0.0.0/22' })],
    ['AWS largest CIDR', net({ cidr: '10.0.0.0/16' })],
    ['egress none', net({ egress: { mode: 'none' } })],
    ['nested on m8i-flex', sbx({ virtualization: 'nested', instanceType: 'm8i-flex.large' })],
    ['gvisor on any virtual type', sbx({ runtime: 'gvisor', instanceType: 'c7g.large' })],
    ['45 user tags', top({ tags: Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`t${i}`, 'x'])) })],
    ['empty pool lists', top({ sandboxPools: [], gpuPools: [] })],
  ])('%s', (_label, mutate) => {
    expect(issuesOf(mutate(BASE))).toEqual([]);
  });
});

describe('allowUnknownInstanceType', () => {
  test('without it an unknown type is an error', () => {
    expect(issuesOf(sbx({ runtime: 'gvisor', instanceType: 'm9i.large' })(BASE))).toEqual([
      expect.objectContaining({ path: 'sandboxPools[0].instanceType', message: expect.stringMatching(/"m9i\.large" is not a known aws instance type/) }),
    ]);
  });

  test('with it an unknown gVisor type resolves, with a warning naming the type', () => {
    const plan = resolveRaw(sbx({ runtime: 'gvisor', instanceType: 'm9i.large', allowUnknownInstanceType: true })(BASE));
    const pool = plan.pools.find((p) => p.name === 'fc')!;
    expect(pool.instanceType).toBe('m9i.large');
    expect(pool.shape).toBeUndefined();
    expect(pool.virtualization).toBe('none');
    expect(plan.warnings).toEqual([
      expect.objectContaining({ path: 'sandboxPools[0].instanceType', message: expect.stringMatching(/"m9i\.large" is not in the aws catalog/) }),
    ]);
  });

  test('with it a KVM runtime resolves once virtualization is explicit', () => {
    const plan = resolveRaw(sbx({ instanceType: 'm9i.metal-48xl', allowUnknownInstanceType: true, virtualization: 'bare-metal' })(BASE));
    const pool = plan.pools.find((p) => p.name === 'fc')!;
    expect(pool).toMatchObject({ instanceType: 'm9i.metal-48xl', virtualization: 'bare-metal', kvmRequired: true, nestedVirtualization: false });
    expect(plan.warnings.map((w) => w.path)).toEqual(['sandboxPools[0].instanceType']);
  });

  test('with it an unknown GPU type keeps the requested GPU count', () => {
    const plan = resolveRaw(gpu({ gpu: 'h100', instanceType: 'p6.48xlarge', allowUnknownInstanceType: true, gpusPerNode: 8 })(BASE));
    expect(plan.pools.find((p) => p.name === 'gpu')).toMatchObject({ instanceType: 'p6.48xlarge', gpu: { model: 'h100', count: 8 } });
  });
});

describe('every problem at once', () => {
  const messy = {
    name: 'Bad_Name',
    deployment: 'byoc',
    compliance: 'hipaa',
    network: { cidr: '10.0.0.0/8', zones: 7, egress: { mode: 'firewall' } },
    sandboxPools: [
      { name: 'fc', runtime: 'firecracker', virtualization: 'none', maxNodes: 0 },
      { name: 'fc', minNode: 1, spot: 'yes' },
    ],
    gpuPools: [{ name: 'g', gpu: 'h200', gpusPerNode: 1, runtime: 'firecracker' }],
    controlPlane: { principal: '12345' },
    observability: { logRetentionDays: 30, alertEmails: ['nope'] },
    tags: { 'managed-by': 'me' },
  };
  const expected = [
    'name',
    'tags.managed-by',
    'network.zones',
    'network.egress.allowedDomains',
    'network.cidr',
    'sandboxPools[0].virtualization',
    'sandboxPools[0].maxNodes',
    'sandboxPools[1].minNode',
    'sandboxPools[1].spot',
    'sandboxPools[1].name',
    'gpuPools[0].runtime',
    'gpuPools[0].gpusPerNode',
    'controlPlane.principal',
    'controlPlane.externalId',
    'observability.alertEmails[0]',
    'observability.logRetentionDays',
  ];

  test('reports all of them, each once', () => {
    const issues = issuesOf(messy);
    expect(issues.map((i) => i.path).sort()).toEqual([...expected].sort());
    expect(issues).toHaveLength(16);
  });

  test('the error message lists every path with its fix, and counts them', () => {
    const err = errorOf(messy);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('SpecValidationError');
    expect(err.message).toMatch(/^Invalid sandbox platform spec: 16 problems\n/);
    for (const path of expected) expect(err.message).toContain(`  - ${path}: `);
    expect(err.message.match(/\n {4}fix: /g)).toHaveLength(16);
  });

  test('the error names its source when given one', () => {
    try {
      resolveRaw({ ...BASE, name: 'X' }, CloudProvider.AWS, { source: 'specs/prod.json' });
      throw new Error('expected a SpecValidationError');
    } catch (e) {
      expect(e).toBeInstanceOf(SpecValidationError);
      expect((e as SpecValidationError).source).toBe('specs/prod.json');
      expect((e as Error).message).toMatch(/^Invalid sandbox platform spec in specs\/prod\.json: 1 problem\n/);
    }
  });
});

describe('not a spec at all', () => {
  it.each([
    ['null', null, /got null/],
    ['undefined', undefined, /got undefined/],
    ['a string', 'acme', /got "acme"/],
    ['a list', [BASE], /got \[/],
  ])('%s is one issue at (spec)', (_label, input, re) => {
    const issues = issuesOf(input);
    expect(issues).toEqual([{ path: '(spec)', message: expect.stringMatching(re), hint: expect.stringMatching(/SandboxPlatformSpec/) }]);
    expect(issues[0].message).toMatch(/must be an object with name, deployment and compliance/);
  });
});

describe('GCP and Azure rules', () => {
  test('a minimal spec resolves on GCP and Azure with their catalogs', () => {
    for (const cloud of [CloudProvider.GCP, CloudProvider.AZURE]) {
      expect(issuesOf({ name: 'acme', deployment: 'managed', compliance: 'baseline' }, cloud)).toEqual([]);
    }
  });

  test('GCP still validates the spec: principal, externalId, tags and image use GCP rules', () => {
    const issues = issuesOf({
      name: 'acme', deployment: 'byoc', compliance: 'baseline',
      controlPlane: { principal: '123456789012', externalId: 'acme-external-1' },
      sandboxPools: [{ name: 'fc', runtime: 'gvisor', image: 'Canonical:ubuntu-24_04-lts:server:latest' }],
      tags: { Team: 'x' },
    }, CloudProvider.GCP);
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(byPath['controlPlane.principal']).toMatch(/"123456789012" is not a service account e-mail/);
    expect(byPath['controlPlane.externalId']).toMatch(/is an AWS concept and has no effect on gcp/);
    expect(byPath['tags.Team']).toMatch(/is not a valid tag here/);
    expect(byPath['sandboxPools[0].image']).toMatch(/"Canonical:ubuntu-24_04-lts:server:latest" is not a GCP image/);
    expect(Object.keys(byPath).sort()).toEqual(['controlPlane.externalId', 'controlPlane.principal', 'sandboxPools[0].image', 'tags.Team'].sort());
    expect(Object.keys(byPath)).not.toContain(CLOUD_PATH);
  });

  test('Azure image and principal formats', () => {
    const issues = issuesOf({
      name: 'acme', deployment: 'byoc', compliance: 'baseline',
      controlPlane: { principal: 'vendor@example.com' },
      gpuPools: [{ name: 'g', gpu: 't4', image: 'Canonical:ubuntu' }],
    }, CloudProvider.AZURE);
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(byPath['controlPlane.principal']).toMatch(/is not an Entra object id/);
    expect(byPath['gpuPools[0].image']).toMatch(/"Canonical:ubuntu" is not an Azure image: a marketplace URN "publisher:offer:sku:version"/);
  });
});

describe('cloud image formats', () => {
  const cases: [CloudProvider, string[], string[]][] = [
    [CloudProvider.AWS,
      ['ami-0123abcd', 'ami-0123456789abcdef0', '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64', '/acme/images/sandbox_v2.1'],
      ['ami-', 'ami-0123abc', 'ami-0123456789abcdef', 'ami-0123456789abcdef01', 'ami-0123ABCD', 'AMI-0123abcd', 'resolve:ssm:/a', 'aws/service/x', '/', '/a b', '']],
    [CloudProvider.GCP,
      ['projects/debian-cloud/global/images/family/debian-12', 'projects/ubuntu-os-cloud/global/images/ubuntu-2404-noble-amd64-v20250101',
        'https://www.googleapis.com/compute/v1/projects/debian-cloud/global/images/family/debian-12', 'debian-cloud/debian-12', 'family/debian-12', 'debian-12',
        'example.com:my-project/global-image'],
      ['Debian-12', 'projects/debian-cloud/images/debian-12', 'projects/x/global/images/debian-12', '12-debian', 'debian-', 'family/', 'ami-0123abcd/x/y', '']],
    [CloudProvider.AZURE,
      ['Canonical:ubuntu-24_04-lts:server:latest', 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:22.04.202501010',
        '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/gal/images/sandbox/versions/1.2.3',
        '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/images/my-image'],
      ['Canonical:ubuntu:server', 'Canonical:ubuntu:server:v1', 'Canonical::server:latest', '/subscriptions/x/images/y', 'ubuntu', '']],
  ];
  it.each(cases)('%s', (cloud, good, bad) => {
    const { imagePattern, imageFormat } = cloudRules(cloud);
    expect(imageFormat.length).toBeGreaterThan(20);
    for (const g of good) expect([g, imagePattern.test(g)]).toEqual([g, true]);
    for (const b of bad) expect([b, imagePattern.test(b)]).toEqual([b, false]);
  });
});
