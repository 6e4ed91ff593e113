/**
 * Per-cloud Kubernetes catalogs: the versions the library knows, the managed add-ons pinned for each,
 * and which sandbox runtime / virtualization pairs the cloud's Kubernetes can run. Pure data: no
 * cdktf or provider imports. AKS gets its entry with its issue; until then `kubernetesCatalogFor`
 * returns undefined for Azure and validation refuses the Kubernetes mode there.
 */
import { CloudProvider, GpuModel, GpuSharingStrategy, SandboxRuntime, Virtualization } from '../types';

/** One Kubernetes minor version and the managed add-on versions pinned for it. */
export interface KubernetesVersionInfo {
  /** Minor version, e.g. "1.34". */
  readonly version: string;
  /** End of the provider's standard support (ISO date); extended support costs extra afterwards. */
  readonly endOfStandardSupport: string;
  /**
   * Managed add-on name -> pinned add-on version (the cloud's own names and version strings). An
   * add-on the cloud construct installs but this map omits gets the cloud's default version for the
   * Kubernetes version at apply time.
   */
  readonly addons: { readonly [name: string]: string };
}

/** A runtime / virtualization / GPU combination a pool may ask for. */
export interface KubernetesRuntimeQuery {
  readonly runtime: SandboxRuntime;
  readonly virtualization: Virtualization;
  readonly gpu: boolean;
}

/** Why a combination cannot run on the cloud's Kubernetes, and what to do instead. */
export interface KubernetesRefusal {
  readonly message: string;
  readonly hint: string;
}

/** A toleration a cloud's nodes need beyond the library's own (see extraTolerations). */
export interface KubernetesExtraToleration {
  readonly key: string;
  readonly operator: string;
  readonly value: string;
  readonly effect: string;
}

/** A GPU sharing request of a pool, for the catalog's verdict. */
export interface KubernetesGpuSharingQuery {
  readonly strategy: GpuSharingStrategy;
  readonly runtime: SandboxRuntime;
  readonly gpu: GpuModel;
}

/** One row of the README's support table. */
export interface KubernetesRuntimeSupport {
  readonly runtime: SandboxRuntime;
  readonly virtualization: Virtualization;
  readonly gpu: boolean;
  /** How the cloud runs it, or why not. */
  readonly how: string;
  readonly supported: boolean;
}

export interface KubernetesCatalog {
  readonly cloud: CloudProvider;
  /** The managed service, for messages ("EKS"). */
  readonly service: string;
  /** Known versions, newest first; the first is the default. */
  readonly versions: readonly KubernetesVersionInfo[];
  /** When the versions and add-on pins were last checked (ISO date), and where. */
  readonly checked: string;
  readonly sources: readonly string[];
  /** Fewest zones the cluster's subnets must span. */
  readonly minZones: number;
  /** Most CIDRs the public endpoint's allow-list takes. */
  readonly maxAuthorizedCidrs: number;
  /** Instance type of the small untainted node group that runs cluster add-ons (CoreDNS, the vendor's agent). */
  readonly systemNodeType: string;
  /** Containerd runtime handler the nodes configure for a RuntimeClass (see lib/spec/kubernetes.ts). */
  readonly handlers: { readonly [runtimeClass: string]: string };
  /** The supported and refused combinations, for validation and the README. */
  readonly runtimeSupport: readonly KubernetesRuntimeSupport[];
  /** Undefined when the combination runs; otherwise why not and the fix. */
  refusal(q: KubernetesRuntimeQuery): KubernetesRefusal | undefined;
  /**
   * Tolerations a RuntimeClass needs on this cloud beyond the library's own taint, by RuntimeClass
   * name (GKE Sandbox taints its nodes itself). Default none.
   */
  readonly extraTolerations?: { readonly [runtimeClass: string]: readonly KubernetesExtraToleration[] };
  /**
   * GPU sharing: undefined when the strategy runs with the pool's runtime; otherwise why not and
   * the fix. Absent: the cloud's Kubernetes mode offers no GPU sharing.
   */
  gpuSharingRefusal?(q: KubernetesGpuSharingQuery): KubernetesRefusal | undefined;
}

/**
 * EKS, checked 2026-12-01.
 * Versions and end of standard support: docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions-standard.html
 * (1.33 released 2025-05-28, standard support to 2026-07-29; 1.34 released 2025-10-06, to 2026-12-02).
 * Add-on versions: the "latest version of the Amazon EKS add-on type" tables in
 * docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html (1.34 v1.34.1-eksbuild.2,
 * 1.33 v1.33.5-eksbuild.2) and managing-coredns.html (1.33 and 1.34 v1.12.4-eksbuild.1).
 * vpc-cni v1.20.1-eksbuild.3: the version the EKS user guide's vpc-add-on-create page names as the latest
 * (github.com/awsdocs/amazon-eks-user-guide pull 1107); the VPC CNI add-on is one version for every
 * supported Kubernetes version.
 * eks-pod-identity-agent and aws-ebs-csi-driver are not pinned here (no dated source at hand): the
 * cluster construct installs the version EKS marks as default for the cluster's Kubernetes version
 * (data aws_eks_addon_version, most_recent false), and the README says so. Pin them when checked.
 */
const EKS_VERSIONS: readonly KubernetesVersionInfo[] = Object.freeze([
  {
    version: '1.34',
    endOfStandardSupport: '2026-12-02',
    addons: { 'kube-proxy': 'v1.34.1-eksbuild.2', 'coredns': 'v1.12.4-eksbuild.1', 'vpc-cni': 'v1.20.1-eksbuild.3' },
  },
  {
    version: '1.33',
    endOfStandardSupport: '2026-07-29',
    addons: { 'kube-proxy': 'v1.33.5-eksbuild.2', 'coredns': 'v1.12.4-eksbuild.1', 'vpc-cni': 'v1.20.1-eksbuild.3' },
  },
]);

const FIRECRACKER_REFUSAL: KubernetesRefusal = {
  message: 'Firecracker pools are not offered on EKS: Kata with the Firecracker hypervisor needs containerd\'s devmapper ' +
    'snapshotter on an LVM thin pool carved from a dedicated block device on every node (Firecracker has no virtio-fs to ' +
    'share the image layers), which EKS\'s AL2023 nodes do not set up and which would have to be sized, monitored and ' +
    'repaired by the bootstrap',
  hint: 'use runtime "kata" (Kata Containers on the same KVM nodes, with QEMU), or "gvisor", or keep Firecracker with orchestrator "instances"',
};

const EKS_SUPPORT: readonly KubernetesRuntimeSupport[] = Object.freeze([
  { runtime: SandboxRuntime.GVISOR, virtualization: Virtualization.NONE, gpu: false, supported: true,
    how: 'runsc and containerd-shim-runsc-v1 installed by the node bootstrap' },
  { runtime: SandboxRuntime.KATA, virtualization: Virtualization.BARE_METAL, gpu: false, supported: true,
    how: 'self-managed nodes on *.metal types; Kata (QEMU) installed by the node bootstrap' },
  { runtime: SandboxRuntime.KATA, virtualization: Virtualization.NESTED, gpu: false, supported: true,
    how: 'self-managed nodes on C8i/M8i/R8i with nested virtualization (managed node groups drop it); Kata (QEMU) installed by the node bootstrap' },
  { runtime: SandboxRuntime.FIRECRACKER, virtualization: Virtualization.BARE_METAL, gpu: false, supported: false,
    how: 'refused: Kata-Firecracker needs the devmapper snapshotter on a thin pool' },
  { runtime: SandboxRuntime.FIRECRACKER, virtualization: Virtualization.NESTED, gpu: false, supported: false,
    how: 'refused: Kata-Firecracker needs the devmapper snapshotter on a thin pool' },
  { runtime: SandboxRuntime.GVISOR, virtualization: Virtualization.NONE, gpu: true, supported: true,
    how: 'EKS accelerated (NVIDIA) AL2023 AMI; runsc with nvproxy' },
  { runtime: SandboxRuntime.KATA, virtualization: Virtualization.BARE_METAL, gpu: true, supported: false,
    how: 'refused: GPU passthrough into Kata VMs (VFIO, the NVIDIA GPU operator\'s sandbox mode) is not built' },
]);

export const EKS_KUBERNETES_CATALOG: KubernetesCatalog = Object.freeze({
  cloud: CloudProvider.AWS,
  service: 'EKS',
  versions: EKS_VERSIONS,
  checked: '2026-12-01',
  sources: Object.freeze([
    'https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions-standard.html',
    'https://docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html',
    'https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html',
  ]),
  // "Subnets must be in at least two different Availability Zones" (docs.aws.amazon.com/eks/latest/userguide/network-reqs.html).
  minZones: 2,
  // "Public endpoint access CIDR ranges per cluster: 40" (docs.aws.amazon.com/eks/latest/userguide/service-quotas.html).
  maxAuthorizedCidrs: 40,
  systemNodeType: 'm7i.large',
  handlers: Object.freeze({ 'sandbox-kata': 'kata', 'sandbox-gvisor': 'runsc', 'sandbox-gvisor-gpu': 'runsc-nvidia' }),
  runtimeSupport: EKS_SUPPORT,
  refusal(q: KubernetesRuntimeQuery): KubernetesRefusal | undefined {
    if (q.runtime === SandboxRuntime.FIRECRACKER) return FIRECRACKER_REFUSAL;
    if (q.gpu && q.runtime === SandboxRuntime.KATA) {
      return {
        message: 'Kata GPU pools are not offered on EKS: passing GPUs into Kata VMs needs VFIO and the NVIDIA GPU operator\'s ' +
          'sandbox mode, which this library does not set up',
        hint: 'use runtime "gvisor" (the default for GPU pools; runsc with nvproxy), or orchestrator "instances"',
      };
    }
    return undefined;
  },
});

// ---------------------------------------------------------------------------------------------
// GKE (issue 15)
// ---------------------------------------------------------------------------------------------

/**
 * GKE, checked 2026-12-01. GKE Standard in the REGULAR release channel: GKE upgrades the control
 * plane and nodes to patch releases itself (inside the maintenance window), so a version here is a
 * minor version only (min_master_version "1.35"), and no add-on is pinned (GKE manages its system
 * components; `addons` stays empty).
 * - 1.35: Kubernetes 1.35 released in GKE 2026-02-11; end of standard support 2027-04-11
 *   (endoflife.date/google-kubernetes-engine, which reads docs.cloud.google.com/kubernetes-engine/docs/release-schedule;
 *   the release-notes page lists 1.35.5-gke.1163012 as the REGULAR channel's default for cluster creation).
 * 1.34 (end of life 2026-10-01 on the same schedule) is past support and not offered; 1.36 is in the
 * REGULAR channel but its support dates are not published yet: add it when they are.
 */
const GKE_VERSIONS: readonly KubernetesVersionInfo[] = Object.freeze([
  { version: '1.35', endOfStandardSupport: '2027-04-11', addons: {} },
]);

/**
 * Kata on GKE: a kata-deploy DaemonSet (lib/gcp/gke-manifests.ts, pinned at 3.21.0) installs Kata
 * (QEMU) into /opt/kata on the host and adds the "kata-qemu" runtime to containerd's config. It needs
 * the Ubuntu node image (UBUNTU_CONTAINERD): Container-Optimized OS mounts its root read-only and
 * blocks the installer (kubernetes-sigs/agent-sandbox examples/kata-gke-sandbox/README.md, which runs
 * kata-deploy on GKE with --image-type UBUNTU_CONTAINERD --enable-nested-virtualization on Intel N2),
 * and /dev/kvm from nested virtualization (node_config.advanced_machine_features, Intel series only:
 * cloud.google.com/compute/docs/instances/nested-virtualization/overview). Bare-metal machine types
 * are refused: GKE node pools on C3/C4 -metal types could not be confirmed from Google's documentation.
 */
const GKE_SUPPORT: readonly KubernetesRuntimeSupport[] = Object.freeze([
  { runtime: SandboxRuntime.GVISOR, virtualization: Virtualization.NONE, gpu: false, supported: true,
    how: 'GKE Sandbox (node_config.sandbox_config, Container-Optimized OS); GKE installs and runs gVisor' },
  { runtime: SandboxRuntime.KATA, virtualization: Virtualization.NESTED, gpu: false, supported: true,
    how: 'Ubuntu node pools on Intel N1/N2/C3/C4 with nested virtualization; Kata (QEMU) installed by the kata-deploy DaemonSet we ship' },
  { runtime: SandboxRuntime.KATA, virtualization: Virtualization.BARE_METAL, gpu: false, supported: false,
    how: 'refused: GKE node pools on -metal machine types are not confirmed; use nested virtualization' },
  { runtime: SandboxRuntime.FIRECRACKER, virtualization: Virtualization.BARE_METAL, gpu: false, supported: false,
    how: 'refused: Kata-Firecracker needs the devmapper snapshotter on a thin pool' },
  { runtime: SandboxRuntime.FIRECRACKER, virtualization: Virtualization.NESTED, gpu: false, supported: false,
    how: 'refused: Kata-Firecracker needs the devmapper snapshotter on a thin pool' },
  { runtime: SandboxRuntime.GVISOR, virtualization: Virtualization.NONE, gpu: true, supported: true,
    how: 'GKE Sandbox on GPU node pools, driver installed by GKE (gpu_driver_installation_config); optional time-sharing' },
  { runtime: SandboxRuntime.KATA, virtualization: Virtualization.BARE_METAL, gpu: true, supported: false,
    how: 'refused: GPU passthrough into Kata VMs is not built' },
]);

/**
 * The taint GKE Sandbox puts on every node of a sandbox-enabled pool, and that its own "gvisor"
 * RuntimeClass tolerates (cloud.google.com/kubernetes-engine/docs/how-to/sandbox-pods: sandbox nodes
 * carry sandbox.gke.io/runtime=gvisor:NoSchedule). Our sandbox-gvisor classes tolerate it too.
 */
export const GKE_SANDBOX_TAINT: KubernetesExtraToleration = Object.freeze({
  key: 'sandbox.gke.io/runtime', operator: 'Equal', value: 'gvisor', effect: 'NoSchedule',
});

export const GKE_KUBERNETES_CATALOG: KubernetesCatalog = Object.freeze({
  cloud: CloudProvider.GCP,
  service: 'GKE',
  versions: GKE_VERSIONS,
  checked: '2026-12-01',
  sources: Object.freeze([
    'https://docs.cloud.google.com/kubernetes-engine/docs/release-schedule',
    'https://docs.cloud.google.com/kubernetes-engine/docs/release-notes',
    'https://endoflife.date/google-kubernetes-engine',
  ]),
  // A regional cluster runs its control plane in every zone of the region whatever node_locations
  // says; node pools may use one zone (cloud.google.com/kubernetes-engine/docs/concepts/regional-clusters).
  minZones: 1,
  // "You can add up to 50 authorized networks (allowed CIDR blocks)" for a cluster with a public
  // endpoint (cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks, limits).
  maxAuthorizedCidrs: 50,
  systemNodeType: 'e2-standard-2',
  // GKE Sandbox's containerd handler is "gvisor" (its RuntimeClass "gvisor" names it); kata-deploy
  // adds "kata-qemu" (tools/packaging/kata-deploy/scripts/kata-deploy.sh at 3.21.0: runtime "kata-${shim}").
  handlers: Object.freeze({ 'sandbox-kata': 'kata-qemu', 'sandbox-gvisor': 'gvisor', 'sandbox-gvisor-gpu': 'gvisor' }),
  extraTolerations: Object.freeze({ 'sandbox-gvisor': [GKE_SANDBOX_TAINT], 'sandbox-gvisor-gpu': [GKE_SANDBOX_TAINT] }),
  runtimeSupport: GKE_SUPPORT,
  refusal(q: KubernetesRuntimeQuery): KubernetesRefusal | undefined {
    if (q.runtime === SandboxRuntime.FIRECRACKER) {
      return {
        message: 'Firecracker pools are not offered on GKE: Kata with the Firecracker hypervisor needs containerd\'s devmapper snapshotter ' +
          'on an LVM thin pool carved from a dedicated block device on every node (Firecracker has no virtio-fs), which GKE\'s node images ' +
          'do not set up and GKE would replace on every node upgrade',
        hint: FIRECRACKER_REFUSAL.hint,
      };
    }
    if (q.gpu && q.runtime === SandboxRuntime.KATA) {
      return {
        message: 'Kata GPU pools are not offered on GKE: GKE attaches GPUs to the node, and passing them into Kata VMs (VFIO) is not built; ' +
          'GKE sells no bare-metal GPU machine types either',
        hint: 'use runtime "gvisor" (the default for GPU pools; GKE Sandbox with GPUs), or orchestrator "instances"',
      };
    }
    if (q.runtime === SandboxRuntime.KATA && q.virtualization === Virtualization.BARE_METAL) {
      return {
        message: 'Kata on bare-metal machine types is not offered on GKE: node pools on C3/C4 -metal types could not be confirmed from Google\'s documentation',
        hint: 'use "virtualization": "nested" with an Intel N2, C3 or C4 machine type (nested virtualization on the node pool), or orchestrator "instances"',
      };
    }
    return undefined;
  },
  gpuSharingRefusal(q: KubernetesGpuSharingQuery): KubernetesRefusal | undefined {
    if (q.strategy === GpuSharingStrategy.MIG) {
      // gVisor's nvproxy does not pass MIG devices (/dev/nvidia-caps) through: "MIG and multi-node
      // NVLink aren't supported yet" (NVIDIA's GPU sandboxes session with the gVisor maintainers,
      // github.com/cncf/maintainer-summit discussions/119, 2026). Every GKE GPU pool runs GKE Sandbox.
      return {
        message: 'MIG partitions cannot be used by GKE Sandbox pods: gVisor\'s nvproxy does not support Multi-Instance GPU devices yet, ' +
          'and every GPU pool on GKE runs GKE Sandbox',
        hint: 'use gpuSharing.strategy "time-sharing", or whole GPUs (remove gpuSharing)',
      };
    }
    return undefined;
  },
});

/** The Kubernetes catalog of a cloud, or undefined while its Kubernetes mode is not built. */
export function kubernetesCatalogFor(cloud: CloudProvider): KubernetesCatalog | undefined {
  if (cloud === CloudProvider.AWS) return EKS_KUBERNETES_CATALOG;
  if (cloud === CloudProvider.GCP) return GKE_KUBERNETES_CATALOG;
  return undefined;
}
