/**
 * Per-cloud Kubernetes catalogs: the versions the library knows, the managed add-ons pinned for each,
 * and which sandbox runtime / virtualization pairs the cloud's Kubernetes can run. Pure data: no
 * cdktf or provider imports. EKS, GKE and AKS each have an entry.
 */
import { CloudProvider, GpuModel, GpuSharingStrategy, SandboxRuntime, Virtualization } from '../types';
import { CpuArchitecture } from './types';

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
  /** CPU architecture of the pool's instance type. Default: unknown (not checked). */
  readonly arch?: CpuArchitecture;
  /** The pool's instance type, for messages. Default: unknown. */
  readonly instanceType?: string;
}

/** Why a combination cannot run on the cloud's Kubernetes, and what to do instead. */
export interface KubernetesRefusal {
  readonly message: string;
  readonly hint: string;
  /** The pool field the refusal is about. Default "runtime". */
  readonly field?: string;
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

/**
 * One cloud's managed Kubernetes: versions, add-on pins, runtime support.
 * @jsii ignore not in Python: behaviour interface (refusal lookup) - jsii would need IKubernetesCatalog
 */
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
  // 1.35: in EKS since 2026-01-28, standard support until 2027-03-27 (endoflife.date/amazon-eks, read
  // 2026-12-02; 14 months of standard support per docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html).
  // No add-on is pinned for 1.35 yet: each takes the version EKS marks default for 1.35
  // (aws_eks_addon_version, most_recent false; lib/aws/eks-addons.ts). Pin them after
  // `aws eks describe-addon-versions --kubernetes-version 1.35`. 1.35 is the default because 1.34
  // leaves standard support on 2026-12-02: a new 1.34 cluster is billed at the extended-support rate.
  { version: '1.35', endOfStandardSupport: '2027-03-27', addons: {} as { readonly [name: string]: string } },
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
  checked: '2026-12-02',
  sources: Object.freeze([
    'https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions-standard.html',
    'https://endoflife.date/amazon-eks',
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
    // The node bootstrap installs Kata and gVisor from lib/spec/catalog/runtimes.ts, which pins x86_64 assets only.
    if (q.arch === CpuArchitecture.ARM64 && (q.runtime === SandboxRuntime.KATA || q.runtime === SandboxRuntime.GVISOR)) {
      return {
        field: 'instanceType',
        message: `${JSON.stringify(q.instanceType ?? 'this instance type')} is an Arm (arm64) type: ${q.runtime} on EKS nodes is ` +
          'installed from pinned x86_64 release assets only (lib/spec/catalog/runtimes.ts)',
        hint: 'use an x86_64 instance type (e.g. m7i, c7i, r7i), or orchestrator "instances"',
      };
    }
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

// ---------------------------------------------------------------------------------------------
// AKS (issue 16)
// ---------------------------------------------------------------------------------------------

/**
 * AKS, checked 2026-12-02.
 * Versions: the "AKS Kubernetes release calendar" of learn.microsoft.com/azure/aks/supported-kubernetes-versions
 * (source github.com/MicrosoftDocs/azure-aks-docs articles/aks/supported-kubernetes-versions.md): 1.35 GA Mar 2026,
 * end of life Mar 2027; 1.36 GA Jun 2026, Jun 2027; 1.37 GA Oct 2026, Oct 2027. "Unless an explicit date is
 * provided, the End of Life (EOL) date is the last day of the specified month." 1.34 reached end of life in
 * Nov 2026 and is not offered for new clusters (platform support excludes cluster creation).
 * Add-ons: AKS runs and upgrades kube-proxy, CoreDNS, the Azure CNI and the CSI drivers itself with the
 * cluster's Kubernetes version (the same page's per-version add-on tables); Terraform has nothing to pin, so
 * `addons` is empty.
 */
const AKS_VERSIONS: readonly KubernetesVersionInfo[] = Object.freeze([
  { version: '1.37', endOfStandardSupport: '2027-10-31', addons: {} },
  { version: '1.36', endOfStandardSupport: '2027-06-30', addons: {} },
  { version: '1.35', endOfStandardSupport: '2027-03-31', addons: {} },
]);

/** The RuntimeClass AKS itself creates on a cluster with a Pod Sandboxing node pool (handler `kata`). */
export const AKS_KATA_RUNTIME_CLASS = 'kata-vm-isolation';

const AKS_SUPPORT: readonly KubernetesRuntimeSupport[] = Object.freeze([
  { runtime: SandboxRuntime.KATA, virtualization: Virtualization.NESTED, gpu: false, supported: true,
    how: 'AKS Pod Sandboxing: node pools with workload_runtime KataVmIsolation (azurerm >= 4.78.0) on Azure Linux, Gen2 sizes with nested virtualization; AKS installs Kata and the kata-vm-isolation RuntimeClass' },
  { runtime: SandboxRuntime.KATA, virtualization: Virtualization.BARE_METAL, gpu: false, supported: false,
    how: 'refused: Azure sells no bare-metal size' },
  { runtime: SandboxRuntime.GVISOR, virtualization: Virtualization.NONE, gpu: false, supported: true,
    how: 'Azure Linux nodes; runsc installed by our DaemonSet (pinned and digest-checked, re-applied when AKS rewrites the containerd configuration)' },
  { runtime: SandboxRuntime.FIRECRACKER, virtualization: Virtualization.NESTED, gpu: false, supported: false,
    how: 'refused: AKS Pod Sandboxing runs Kata with Cloud Hypervisor only; Kata-Firecracker needs the devmapper snapshotter' },
  { runtime: SandboxRuntime.GVISOR, virtualization: Virtualization.NONE, gpu: true, supported: true,
    how: 'Azure Linux GPU nodes with the AKS-installed NVIDIA driver; runsc with nvproxy installed by our DaemonSet, GPUs through CDI' },
  { runtime: SandboxRuntime.KATA, virtualization: Virtualization.NESTED, gpu: true, supported: false,
    how: 'refused: no Azure GPU size supports nested virtualization, and Pod Sandboxing passes no GPU into the Kata VM' },
]);

export const AKS_KUBERNETES_CATALOG: KubernetesCatalog = Object.freeze({
  cloud: CloudProvider.AZURE,
  service: 'AKS',
  versions: AKS_VERSIONS,
  checked: '2026-12-02',
  sources: Object.freeze([
    'https://learn.microsoft.com/azure/aks/supported-kubernetes-versions',
    'https://learn.microsoft.com/azure/aks/use-pod-sandboxing',
    'https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges',
  ]),
  // An AKS cluster needs no zones at all (node pools' zones are optional); the platform still spreads pools over network.zones.
  minZones: 1,
  // "You can specify up to 200 authorized IP ranges" (learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges, Limitations).
  maxAuthorizedCidrs: 200,
  // Gen2 Intel size in the Azure catalog (Dsv5); the system pool needs at least 2 vCPU and 4 GiB
  // (learn.microsoft.com/azure/aks/use-system-pools). 4 vCPU leaves room for CoreDNS, the agents and the vendor's agent.
  systemNodeType: 'Standard_D4s_v5',
  // AKS's Kata nodes register the containerd runtime "kata" (github.com/Azure/AgentBaker
  // aks-node-controller/parser/templates/containerd_v2.toml.gtpl: runtimes.kata, io.containerd.kata.v2), the
  // handler of AKS's own kata-vm-isolation RuntimeClass, usable as soon as the node is Ready. Our sandbox-kata
  // names "kata-guarded" instead: the same runtime tables, registered by our node agent only after it has
  // loaded the host guard (lib/azure/aks-manifests.ts), so no Kata pod of ours runs before IMDS and WireServer
  // are closed to it. gVisor: the handlers the node agent adds with runsc, named as on EKS.
  handlers: Object.freeze({ 'sandbox-kata': 'kata-guarded', 'sandbox-gvisor': 'runsc', 'sandbox-gvisor-gpu': 'runsc-nvidia' }),
  runtimeSupport: AKS_SUPPORT,
  refusal(q: KubernetesRuntimeQuery): KubernetesRefusal | undefined {
    if (q.runtime === SandboxRuntime.FIRECRACKER) {
      return {
        message: 'Firecracker pools are not offered on AKS: AKS Pod Sandboxing runs Kata with Cloud Hypervisor only, and Kata with ' +
          'Firecracker needs containerd\'s devmapper snapshotter on a thin pool, which AKS nodes do not set up',
        hint: 'use runtime "kata" (AKS Pod Sandboxing), or keep Firecracker with orchestrator "instances"',
      };
    }
    if (q.gpu && q.runtime === SandboxRuntime.KATA) {
      return {
        message: 'Kata GPU pools are not offered on AKS: no Azure GPU size supports nested virtualization, and AKS Pod Sandboxing ' +
          'passes no GPU into the Kata VM',
        hint: 'use runtime "gvisor" (the default for GPU pools; runsc with nvproxy, installed by our DaemonSet), or orchestrator "instances"',
      };
    }
    if (q.virtualization === Virtualization.BARE_METAL) {
      return { message: 'Azure sells no bare-metal size', hint: 'use virtualization "nested" (the default for Kata on Azure)' };
    }
    return undefined;
  },
  gpuSharingRefusal(q: KubernetesGpuSharingQuery): KubernetesRefusal | undefined {
    if (q.strategy === GpuSharingStrategy.MIG) {
      // Every AKS GPU pool runs gVisor, and nvproxy exposes only /dev/nvidiactl, /dev/nvidia-uvm and /dev/nvidia#, not the
      // /dev/nvidia-caps/* devices MIG needs (gVisor g3doc/user_guide/gpu.md at release-20260817.0, "Supported Device Files").
      return {
        message: 'MIG partitions cannot be used by gVisor pods: nvproxy does not expose the /dev/nvidia-caps devices Multi-Instance GPU ' +
          'needs, and every GPU pool on AKS runs gVisor',
        hint: 'use whole GPUs (remove gpuSharing), or orchestrator "instances"',
      };
    }
    return {
      message: 'GPU time-sharing is not offered on AKS in this version of the library (the NVIDIA device plugin\'s time-slicing configuration is not built)',
      hint: 'remove gpuSharing (one sandbox per GPU), or use GKE',
    };
  },
});

/** The Kubernetes catalog of a cloud, or undefined while its Kubernetes mode is not built. */
export function kubernetesCatalogFor(cloud: CloudProvider): KubernetesCatalog | undefined {
  if (cloud === CloudProvider.AWS) return EKS_KUBERNETES_CATALOG;
  if (cloud === CloudProvider.GCP) return GKE_KUBERNETES_CATALOG;
  if (cloud === CloudProvider.AZURE) return AKS_KUBERNETES_CATALOG;
  return undefined;
}
