import { GCP_PROVIDER_VALUES, gcpValueAcceptedAt } from '../lib/gcp';
import { valuesAt } from '../lib/spec';
import { ComplianceProfile, DeploymentModel, EgressMode, GpuModel, SandboxRuntime, Virtualization } from '../lib/spec';
import { Synth, ZONES, gcpSpec, synthGcp } from './gcp-helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** The lowest google version a stack's required_providers admits. */
function floorOf(json: Synth): string {
  const v = String(json.terraform.required_providers.google.version);
  const m = /(\d+\.\d+\.\d+)/.exec(v);
  if (!m) throw new Error(`unreadable google constraint ${v}`);
  return m[1];
}

function allPoolKinds(egress: EgressMode, metal: boolean) {
  return gcpSpec({
    compliance: ComplianceProfile.HIPAA,
    network: { egress: egress === EgressMode.FIREWALL ? { mode: egress, allowedDomains: ['pypi.org'] } : { mode: egress } },
    sandboxPools: [
      ...(metal ? [{ name: 'metal', instanceType: 'c3-standard-192-metal', maxNodes: 2 }] : []),
      { name: 'fc', virtualization: Virtualization.NESTED, warmNodes: 1, maxNodes: 4 },
      { name: 'kata', runtime: SandboxRuntime.KATA, virtualization: Virtualization.NESTED, instanceType: 'c3-standard-22-lssd', maxNodes: 4 },
      { name: 'gv', runtime: SandboxRuntime.GVISOR, spot: true, maxNodes: 4 },
    ],
    gpuPools: [{ name: 't4', gpu: GpuModel.T4 }, { name: 'l4', gpu: GpuModel.L4 }, { name: 'a2', gpu: GpuModel.A100_40GB }, { name: 'a3', gpu: GpuModel.H100 }],
  });
}

describe('values the google provider validates, for the versions required_providers admits', () => {
  const cases: [string, Synth][] = [];
  for (const egress of [EgressMode.NAT, EgressMode.FIREWALL, EgressMode.NONE]) {
    for (const metal of [false, true]) cases.push([`${egress}${metal ? ' + metal' : ''}`, synthGcp(allPoolKinds(egress, metal), { zones: ZONES }).json]);
  }
  cases.push(['managed', synthGcp(gcpSpec({ deployment: DeploymentModel.MANAGED, controlPlane: undefined }), { healthCheckPort: 8080 }).json]);

  it.each(cases)('%s: every computed value is accepted at the admitted floor', (_label, json) => {
    const floor = floorOf(json);
    const bad: string[] = [];
    for (const entry of GCP_PROVIDER_VALUES) {
      for (const [id, r] of Object.entries(json.resource[entry.resource] ?? {})) {
        for (const v of valuesAt(r, entry.attribute)) {
          if (typeof v !== 'string' || v.includes('${')) continue;
          if (!gcpValueAcceptedAt(entry, v, floor)) bad.push(`${entry.resource}.${id} ${entry.attribute} = ${v} (google ${floor}; ${entry.source})`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('uses IDPF only with the raised floor, and keeps the bindings\' exact 6.50.0 without a metal pool (review finding 5)', () => {
    for (const [label, json] of cases) {
      const nics = Object.values(json.resource.google_compute_instance_template ?? {}).flatMap((t: any) => valuesAt(t, 'network_interface.nic_type'));
      if (label.includes('metal')) {
        expect({ label, idpf: nics.includes('IDPF'), version: json.terraform.required_providers.google.version })
          .toEqual({ label, idpf: true, version: '>= 7.32.0, < 8.0.0' });
      } else {
        expect({ label, idpf: nics.includes('IDPF'), version: json.terraform.required_providers.google.version })
          .toEqual({ label, idpf: false, version: '6.50.0' });
      }
    }
    // IDPF is rejected below 7.32.0: the table says so, and the check is not vacuous.
    const nic = GCP_PROVIDER_VALUES.find((e) => e.attribute === 'network_interface.nic_type')!;
    expect(gcpValueAcceptedAt(nic, 'IDPF', '6.50.0')).toBe(false);
    expect(gcpValueAcceptedAt(nic, 'IDPF', '7.31.0')).toBe(false);
    expect(gcpValueAcceptedAt(nic, 'IDPF', '7.32.0')).toBe(true);
    expect(gcpValueAcceptedAt(nic, 'GVNIC', '6.50.0')).toBe(true);
  });

  it('exercises the values it checks (GVNIC and IDPF NICs, EVEN and BALANCED shapes, hyperdisk and pd boot disks, spot scheduling)', () => {
    const seen = (resource: string, attribute: string) => new Set(cases.flatMap(([, j]) => Object.values(j.resource[resource] ?? {})
      .flatMap((r: any) => valuesAt(r, attribute))));
    expect([...seen('google_compute_instance_template', 'network_interface.nic_type')].sort()).toEqual(['GVNIC', 'IDPF']);
    expect([...seen('google_compute_region_instance_group_manager', 'distribution_policy_target_shape')].sort()).toEqual(['BALANCED', 'EVEN']);
    expect([...seen('google_compute_instance_template', 'disk.disk_type')].sort()).toEqual(['hyperdisk-balanced', 'pd-balanced']);
    expect(seen('google_compute_instance_template', 'scheduling.provisioning_model')).toEqual(new Set(['SPOT', 'STANDARD']));
    expect(seen('google_compute_region_instance_group_manager', 'update_policy.instance_redistribution_type')).toEqual(new Set(['PROACTIVE', 'NONE']));
  });
});
