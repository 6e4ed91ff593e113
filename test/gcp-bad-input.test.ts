/**
 * Bad input on GCP: each row is one mutation of a valid GCP spec, the issue it must produce
 * (path, message, and where it matters the hint) and the total issue count, checked through
 * resolvePlatform(spec, CloudProvider.GCP) and through the GcpSandboxPlatform construct.
 */
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { GcpSandboxPlatform } from '../lib/gcp';
import { CloudProvider, SandboxPlatformSpec, SpecValidationError } from '../lib/spec';
import { Mutation, Obj, Row, gpu, issuesOf, sbx, top } from './bad-input';
import { PROJECT, REGION, ZONES, VENDOR } from './gcp-helpers';


/** Valid on GCP: a nested Firecracker pool (default n2-standard-16), an L4 pool, BYOC with a service-account principal. */
const BASE: Obj = Object.freeze({
  name: 'acme',
  deployment: 'byoc',
  compliance: 'soc2',
  sandboxPools: [{ name: 'fc' }],
  gpuPools: [{ name: 'gpu', gpu: 'l4' }],
  controlPlane: { principal: VENDOR },
});

const cp = (patch: Obj): Mutation => (s) => ({ ...s, controlPlane: { ...(s.controlPlane as Obj), ...patch } });

const ROWS: Row[] = [
  // GPUs: models and shapes Compute Engine sells.
  { label: 'A10 on GCP', mutate: gpu({ gpu: 'a10' }), path: 'gpuPools[0].gpu', message: /gcp does not sell "a10" GPUs/,
    hint: /"t4", "l4", "a100-40gb", "a100-80gb", "h100", "h200"/ },
  { label: 'A10G on GCP', mutate: gpu({ gpu: 'a10g' }), path: 'gpuPools[0].gpu', message: /gcp does not sell "a10g" GPUs/ },
  { label: 'H200 x1 (only a3-ultragpu-8g)', mutate: gpu({ gpu: 'h200', gpusPerNode: 1 }), path: 'gpuPools[0].gpusPerNode',
    message: /gcp sells "h200" in shapes of 8 GPUs per node, not 1/, hint: /use gpusPerNode 8/ },
  { label: 'T4 x3 (N1 takes 1, 2 or 4)', mutate: gpu({ gpu: 't4', gpusPerNode: 3 }), path: 'gpuPools[0].gpusPerNode',
    message: /gcp sells "t4" in shapes of 1, 2, 4 GPUs per node, not 3/ },
  { label: 'T4 on an N1 type beyond the 48-vCPU limit for one GPU', mutate: gpu({ gpu: 't4', instanceType: 'n1-standard-64' }), path: 'gpuPools[0].instanceType',
    message: /n1-standard-64 does not carry "t4" GPUs/, hint: /n1-standard-8, n1-standard-16, n1-standard-32/ },
  { label: 'L4 on a G2 type with another count', mutate: gpu({ gpu: 'l4', instanceType: 'g2-standard-24', gpusPerNode: 1 }), path: 'gpuPools[0].gpusPerNode',
    message: /1 does not match g2-standard-24, which has 2/ },
  { label: 'H100 on an L4 type', mutate: gpu({ gpu: 'h100', instanceType: 'g2-standard-8' }), path: 'gpuPools[0].instanceType',
    message: /g2-standard-8 does not carry "h100" GPUs/, hint: /a3-highgpu-1g/ },
  { label: 'KATA on a GPU pool (GCP has no bare-metal GPU type)', mutate: gpu({ runtime: 'kata' }), path: 'gpuPools[0].runtime',
    message: /Kata needs a bare-metal "l4" type; gcp has none/, hint: /use runtime "gvisor"/ },
  { label: 'Firecracker on a GPU pool', mutate: gpu({ runtime: 'firecracker' }), path: 'gpuPools[0].runtime', message: /Firecracker has no GPU passthrough/ },

  // KVM: bare metal and nested virtualization per series.
  { label: 'BARE_METAL on n2', mutate: sbx({ virtualization: 'bare-metal', instanceType: 'n2-standard-16' }), path: 'sandboxPools[0].virtualization',
    message: /"bare-metal" needs a bare-metal type, and n2-standard-16 is a virtual instance type/ },
  { label: 'NESTED on e2', mutate: sbx({ virtualization: 'nested', instanceType: 'e2-standard-8' }), path: 'sandboxPools[0].virtualization',
    message: /"nested" is not possible on e2-standard-8: gcp offers nested virtualization only on Intel series such as N1 \(Skylake or later\), N2, C3 and C4/ },
  { label: 'NESTED on n2d (AMD)', mutate: sbx({ virtualization: 'nested', instanceType: 'n2d-standard-8' }), path: 'sandboxPools[0].virtualization',
    message: /"nested" is not possible on n2d-standard-8/ },
  { label: 'NESTED on c4a (Arm)', mutate: sbx({ virtualization: 'nested', instanceType: 'c4a-standard-8' }), path: 'sandboxPools[0].virtualization',
    message: /"nested" is not possible on c4a-standard-8/ },
  { label: 'Firecracker on n2d without virtualization', mutate: sbx({ instanceType: 'n2d-standard-8' }), path: 'sandboxPools[0].instanceType',
    message: /n2d-standard-8 cannot give runtime "firecracker" \/dev\/kvm: it is neither bare metal nor able to run nested virtualization on gcp/,
    hint: /runtime "gvisor"/ },
  { label: 'virtualization none for Kata', mutate: sbx({ runtime: 'kata', virtualization: 'none' }), path: 'sandboxPools[0].virtualization',
    message: /runtime "kata" needs \/dev\/kvm, which virtualization "none" does not provide/ },
  { label: 'an AWS instance type', mutate: sbx({ instanceType: 'm7i.metal-24xl' }), path: 'sandboxPools[0].instanceType',
    message: /"m7i\.metal-24xl" is not a known gcp instance type/, hint: /allowUnknownInstanceType/ },
  { label: 'warm nodes on spot', mutate: sbx({ warmNodes: 1, spot: true }), path: 'sandboxPools[0].warmNodes',
    message: /1 warm nodes cannot be combined with spot on gcp/ },

  // The control plane: a service-account e-mail, no AWS external id.
  { label: 'principal is an AWS account id', mutate: cp({ principal: '111122223333' }), path: 'controlPlane.principal',
    message: /"111122223333" is not a service account e-mail/, hint: /name@project\.iam\.gserviceaccount\.com/ },
  { label: 'principal is a user e-mail', mutate: cp({ principal: 'ops@vendor.example' }), path: 'controlPlane.principal',
    message: /"ops@vendor\.example" is not a service account e-mail/ },
  { label: 'principal is a role ARN', mutate: cp({ principal: 'arn:aws:iam::111122223333:role/x' }), path: 'controlPlane.principal',
    message: /is not a service account e-mail/ },
  { label: 'external id on GCP', mutate: cp({ externalId: 'acme-external-1' }), path: 'controlPlane.externalId',
    message: /is an AWS concept and has no effect on gcp/, hint: /remove externalId/ },
  { label: 'BYOC without a control plane', mutate: top({ controlPlane: undefined }), path: 'controlPlane', message: /is required for BYOC deployments/,
    hint: /service account e-mail/ },

  // Labels and images.
  { label: 'label key with uppercase', mutate: top({ tags: { Team: 'infra' } }), path: 'tags.Team', message: /"Team": "infra" is not a valid tag here/,
    hint: /GCP labels: lowercase letters/ },
  { label: 'label value with a space', mutate: top({ tags: { team: 'AI Platform' } }), path: 'tags.team', message: /"AI Platform" is not a valid tag here/ },
  { label: 'label value too long', mutate: top({ tags: { team: 'x'.repeat(64) } }), path: 'tags.team', message: /is not a valid tag here/ },
  { label: 'reserved label key', mutate: top({ tags: { 'sandbox-platform': 'other' } }), path: 'tags.sandbox-platform', message: /is set by the library/ },
  { label: 'an SSM parameter path as image', mutate: sbx({ image: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' }),
    path: 'sandboxPools[0].image', message: /"\/aws\/service\/ami-amazon-linux-latest\/al2023-ami-kernel-default-x86_64" is not a GCP image/, hint: /projects\/ubuntu-os-cloud\/global\/images\/family/ },

  // Retention floors.
  { label: 'retention below the soc2 floor', mutate: top({ observability: { logRetentionDays: 30 } }), path: 'observability.logRetentionDays',
    message: /30 days is below the soc2 floor of 365 days/ },
];

describe('GCP bad input: resolvePlatform(spec, CloudProvider.GCP)', () => {
  it('accepts the base spec', () => {
    expect(issuesOf(BASE, CloudProvider.GCP)).toEqual([]);
  });

  it.each(ROWS.map((r) => [r.label, r] as const))('%s', (_label, row) => {
    const issues = issuesOf(row.mutate({ ...BASE }), CloudProvider.GCP);
    expect(issues).toHaveLength(row.count ?? 1);
    const issue = issues.find((i) => i.path === row.path);
    expect({ paths: issues.map((i) => i.path), issue }).toEqual({ paths: expect.arrayContaining([row.path]), issue: expect.objectContaining({ path: row.path }) });
    expect(issue!.message).toMatch(row.message);
    if (row.hint) expect(issue!.hint).toMatch(row.hint);
  });

  it('reports every problem at once', () => {
    const spec = [gpu({ gpu: 'a10' }), sbx({ virtualization: 'nested', instanceType: 'e2-standard-8' }), cp({ principal: '111122223333' })]
      .reduce((s, m) => m(s), { ...BASE });
    expect(issuesOf(spec, CloudProvider.GCP).map((i) => i.path).sort()).toEqual(['controlPlane.principal', 'gpuPools[0].gpu', 'sandboxPools[0].virtualization']);
  });
});

describe('GCP bad input: the construct', () => {
  const build = (spec: Obj, props: Obj = {}) => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 't');
    new GoogleProvider(stack, 'google', { project: PROJECT, region: REGION });
    return new GcpSandboxPlatform(stack, 'p', { spec: spec as unknown as SandboxPlatformSpec, project: PROJECT, region: REGION, zones: ZONES, ...props });
  };

  it('throws the SpecValidationError of the spec, with paths, before creating anything', () => {
    expect(() => build(gpu({ gpu: 'a10' })({ ...BASE }))).toThrow(SpecValidationError);
    expect(() => build(gpu({ gpu: 'a10' })({ ...BASE }))).toThrow(/gpuPools\[0\]\.gpu: gcp does not sell "a10" GPUs/);
  });

  it.each([
    ['a Local SSD count the type does not take', { localSsdDisks: { fc: 5 } }, /pool fc: n2-standard-16 cannot attach 5 Local SSD disks; use one of 2, 4, 8, 16, 24/],
    ['Local SSD on a type without attachable disks', { localSsdDisks: { gpu: 2 } }, /pool gpu: g2-standard-4 cannot attach 2 Local SSD disks; use one of 1/],
    ['Local SSD for a pool that does not exist', { localSsdDisks: { kvm: 2 } }, /localSsdDisks names pool "kvm", which the spec does not have/],
    ['a bucket name with "google"', { bucketNamePrefix: 'google-sandboxes' }, /bucket name "google-sandboxes-artifacts" is not valid/],
    ['no zones at all (the stack never reads them at plan time)', { zones: undefined },
      /network\.availabilityZones: is required on GCP[\s\S]*pools gpu \(g2-standard-4\) also need zones that sell their machine type/],
    ['a zone of another region', { zones: ['us-central1-a', 'europe-west4-b'] }, /zones\[1\]: "europe-west4-b" is not a zone of us-central1/],
    ['a zone listed twice', { zones: ['us-central1-a', 'us-central1-a'] }, /zones\[1\]: "us-central1-a" is listed twice/],
    ['zones that disagree with the spec', { zones: ['us-central1-a'], withSpecZones: true },
      /network\.availabilityZones: lists \["us-central1-b"\] but the construct's zones prop is \["us-central1-a"\]/],
    ['pool zones of an unknown pool', { poolZones: { nope: ['us-central1-a'] } }, /poolZones\.nope: names pool "nope", which the spec does not have/],
    ['secure boot for an unknown pool', { secureBootPools: ['nope'] }, /secureBootPools: names pool "nope"/],
  ])('rejects %s', (_label, props, message) => {
    const spec = 'withSpecZones' in props ? { ...BASE, network: { availabilityZones: ['us-central1-b'] } } : { ...BASE };
    expect(() => build(spec, props)).toThrow(message);
  });

  it('names every zone problem at once, as a SpecValidationError of the construct', () => {
    try {
      build({ ...BASE }, { zones: ['us-central1-a', 'eu-x'], poolZones: { nope: [] } });
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(SpecValidationError);
      expect((e as SpecValidationError).issues.map((i) => i.path)).toEqual(['zones[1]', 'poolZones.nope']);
      expect((e as Error).message).toContain('construct t/p');
    }
  });
});
