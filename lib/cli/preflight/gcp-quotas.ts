/**
 * Compute Engine regional quota metrics, as `gcloud compute regions describe` lists them
 * (quotas[].metric, limit, usage). Pure.
 *
 * - CPUs: series with their own quota have a metric "<SERIES>_CPUS" (N2_CPUS, N2D_CPUS, C2_CPUS,
 *   C2D_CPUS, C3_CPUS, A2_CPUS, ...: the compute v1 Quota.Metric enum,
 *   cloud.google.com/compute/docs/reference/rest/v1/regions); N1 and E2 count against CPUS
 *   (cloud.google.com/compute/resource-usage, "CPU quota"). A series whose metric the region does not
 *   list is checked against CPUS, and every VM also counts against the project's CPUS_ALL_REGIONS.
 * - GPUs: NVIDIA_<MODEL>_GPUS (NVIDIA_T4_GPUS, NVIDIA_L4_GPUS, NVIDIA_A100_GPUS,
 *   NVIDIA_A100_80GB_GPUS, NVIDIA_H100_GPUS, NVIDIA_H100_MEGA_GPUS for a3-megagpu, NVIDIA_H200_GPUS),
 *   newer projects may list the same quota as "GPU_FAMILY:NVIDIA_<MODEL>"
 *   (cloud.google.com/compute/resource-usage#gpu_quota names the gpu_family dimension); both
 *   spellings are accepted. Every GPU also counts against the project's GPUS_ALL_REGIONS, which is 0
 *   in new projects.
 * - Spot: PREEMPTIBLE_CPUS and PREEMPTIBLE_NVIDIA_<MODEL>_GPUS when the project has such quota;
 *   otherwise Spot VMs consume the standard quotas ("To prevent Spot VMs from consuming your quotas
 *   for standard VMs' CPUs, GPUs, and disks, consider requesting preemptible quota":
 *   cloud.google.com/compute/docs/instances/create-use-spot, "Before you begin").
 */
import { gcpSeriesOf } from '../../spec/catalog/gcp';
import { GpuModel } from '../../spec/types';

const GPU_QUOTA: { readonly [m in GpuModel]?: string } = {
  [GpuModel.T4]: 'T4',
  [GpuModel.L4]: 'L4',
  [GpuModel.A100_40GB]: 'A100',
  [GpuModel.A100_80GB]: 'A100_80GB',
  [GpuModel.H100]: 'H100',
  [GpuModel.H200]: 'H200',
};

/** The series of a machine type: "n2-standard-16" -> "N2", "a3-highgpu-8g" -> "A3". */
export function gcpSeries(machineType: string): string {
  return gcpSeriesOf(machineType).toUpperCase();
}

/** CPU quota metric candidates, most specific first. */
export function gcpCpuMetrics(machineType: string): string[] {
  const s = gcpSeries(machineType);
  return s === 'N1' || s === 'E2' ? ['CPUS'] : [`${s}_CPUS`, 'CPUS'];
}

/** GPU quota metric spellings for a model on a machine type (a3-megagpu has its own quota). */
export function gcpGpuMetrics(model: GpuModel, machineType: string): string[] {
  let base = GPU_QUOTA[model];
  if (!base) return [];
  if (model === GpuModel.H100 && machineType.startsWith('a3-megagpu')) base = 'H100_MEGA';
  return [`NVIDIA_${base}_GPUS`, `GPU_FAMILY:NVIDIA_${base}`];
}

/** The Spot (preemptible) counterpart of a metric. */
export function gcpPreemptibleMetric(metric: string): string {
  if (metric === 'CPUS' || metric.endsWith('_CPUS')) return 'PREEMPTIBLE_CPUS';
  const family = /^GPU_FAMILY:NVIDIA_(.+)$/.exec(metric)?.[1];
  return family ? `PREEMPTIBLE_NVIDIA_${family}_GPUS` : `PREEMPTIBLE_${metric}`;
}

/** The accelerator type an N1 machine attaches for a model (guest_accelerator), e.g. nvidia-tesla-t4. */
export function gcpAcceleratorType(model: GpuModel): string | undefined {
  return model === GpuModel.T4 ? 'nvidia-tesla-t4' : undefined;
}

export interface GcpQuota { readonly metric: string; readonly limit: number; readonly usage: number }

export function gcpQuotaFix(project: string, region: string, metric: string, desired: number): string {
  return `request ${metric} of at least ${desired} in ${region}: https://console.cloud.google.com/iam-admin/quotas?project=${project} ` +
    `(filter by the metric and region; a new project may need a billing history before GPU requests are granted)`;
}
