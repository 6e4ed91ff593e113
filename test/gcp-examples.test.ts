import { App, Testing } from 'cdktf';
import { build as gcpExistingVpc } from '../examples/gcp-existing-vpc';
import { Synth, resource, resources } from './gcp-helpers';

// The example is type-checked by `npm run typecheck` and synthesized here; app.synth() runs the
// stack validations that Testing.synth skips.
function synth(build: (app: App) => unknown): Synth {
  const app = Testing.app();
  const stack = build(app) as Parameters<typeof Testing.synth>[0];
  app.synth();
  return JSON.parse(Testing.synth(stack)) as Synth;
}

describe('GCP examples', () => {
  it('gcp-existing-vpc: joins the caller network and subnetwork, creates none of its own', () => {
    const json = synth(gcpExistingVpc);
    expect(resources(json, 'google_compute_network').map(([id]) => id)).toEqual(['corp-vpc']);
    expect(resources(json, 'google_compute_subnetwork').map(([id]) => id)).toEqual(['corp-sandboxes']);
    expect(json.resource.google_compute_router_nat).toBeUndefined();
    expect(json.resource.google_dns_managed_zone).toBeUndefined();
    expect(resource(json, 'google_compute_instance_template').network_interface[0].subnetwork).toBe('${google_compute_subnetwork.corp-sandboxes.self_link}');
    expect(resource(json, 'google_compute_network_firewall_policy_association').attachment_target).toBe('${google_compute_network.corp-vpc.self_link}');
    const group = resource(json, 'google_compute_region_instance_group_manager');
    expect(group).toEqual(expect.objectContaining({ region: 'europe-west4', distribution_policy_zones: ['europe-west4-a', 'europe-west4-b'] }));
    expect(resource(json, 'google_logging_project_sink', 'observability').filter).toContain('resource.labels.subnetwork_name="corp-sandboxes"');
  });
});
