/**
 * Per-cloud Kubernetes catalogs: the versions the library knows, the managed add-ons pinned for each,
 * and which sandbox runtime / virtualization pairs the cloud's Kubernetes can run. Pure data: no
 * cdktf or provider imports. GKE and AKS get their entries with their issues; until then
 * `kubernetesCatalogFor` returns undefined for them and validation refuses the Kubernetes mode there.
 */
import { CloudProvider, SandboxRuntime, Virtualization } from '../types';
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

/** The Kubernetes catalog of a cloud, or undefined while its Kubernetes mode is not built. */
export function kubernetesCatalogFor(cloud: CloudProvider): KubernetesCatalog | undefined {
  return cloud === CloudProvider.AWS ? EKS_KUBERNETES_CATALOG : undefined;
}
