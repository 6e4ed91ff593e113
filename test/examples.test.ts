import { App, Testing } from 'cdktf';
import { build as existingVpc } from '../examples/existing-vpc';
import { build as gpuOnly } from '../examples/gpu-only';
import { build as multiRegion } from '../examples/multi-region';
import { resource, resources, Synth } from './helpers';

// Each example is type-checked by `npm run typecheck` and synthesized here; app.synth() runs the
// stack validations that Testing.synth skips.
function synth(build: (app: App) => unknown): Synth {
  const app = Testing.app();
  const stack = build(app) as Parameters<typeof Testing.synth>[0];
  app.synth();
  return JSON.parse(Testing.synth(stack)) as Synth;
}

describe('examples', () => {
  it('existing-vpc: joins the looked-up VPC and subnets, creates no network', () => {
    const json = synth(existingVpc);
    expect(json.resource.aws_vpc).toBeUndefined();
    expect(json.resource.aws_flow_log).toBeUndefined();
    expect(resource(json, 'aws_autoscaling_group').vpc_zone_identifier).toBe('${data.aws_subnets.corp-private.ids}');
    expect(resource(json, 'aws_security_group').vpc_id).toBe('${data.aws_vpc.corp-vpc.id}');
  });

  it('gpu-only: an H100 spot pool and an H200 pool, no KVM pools', () => {
    const json = synth(gpuOnly);
    const types = resources(json, 'aws_launch_template').map(([, lt]) => lt.instance_type).sort();
    expect(types).toEqual(['p5.48xlarge', 'p5e.48xlarge']);
    expect(resource(json, 'aws_autoscaling_group', 'h100').mixed_instances_policy).toBeDefined();
    expect(resource(json, 'aws_autoscaling_group', 'h200').min_size).toBe(1);
  });

  it('multi-region: each platform on its own aliased provider, one trail', () => {
    const json = synth(multiRegion);
    const vpcs = resources(json, 'aws_vpc').map(([, v]) => [v.cidr_block, v.provider]);
    expect(vpcs.sort()).toEqual([['10.80.0.0/16', 'aws.us_east_1'], ['10.81.0.0/16', 'aws.eu_central_1']]);
    expect(resources(json, 'aws_cloudtrail')).toHaveLength(1);
  });
});
