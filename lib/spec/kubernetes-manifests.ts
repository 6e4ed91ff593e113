/**
 * The Kubernetes objects a Kubernetes-mode platform needs inside its cluster, rendered from the plan:
 * one RuntimeClass per (runtime, GPU) the pools use, and the NVIDIA device plugin when a GPU pool
 * exists. Pure and deterministic (no cdktf); written beside cdk.tf.json and output by the cloud
 * constructs, applied by the vendor (kubectl apply -f) or a second stack, never by the stack that
 * creates the cluster (its provider would need the cluster before it exists).
 */
import { KUBERNETES_LABELS, ResolvedKubernetes } from './kubernetes';
import { SandboxRuntime } from './types';

/**
 * NVIDIA device plugin, pinned: the DaemonSet of github.com/NVIDIA/k8s-device-plugin
 * deployments/static/nvidia-device-plugin.yml at v0.17.3 (image nvcr.io/nvidia/k8s-device-plugin:v0.17.3),
 * with the scheduling of our GPU nodes.
 */
export const NVIDIA_DEVICE_PLUGIN_IMAGE = 'nvcr.io/nvidia/k8s-device-plugin:v0.17.3';

/**
 * The hook binary the device plugin writes into its CDI specification (its --nvidia-cdi-hook-path; v0.17.3's
 * default, api/config/v1/consts.go DefaultNvidiaCTKPath). nvidia-container-toolkit installs it on the EKS NVIDIA
 * AMI (awslabs/amazon-eks-ami templates/al2023/provisioners/install-nvidia-driver.sh), and the gVisor GPU node
 * bootstrap checks it is there. Not /usr/bin/nvidia-cdi-hook: runsc takes a createContainer hook of that name
 * as Docker's CDI mode and then lets the container's own NVIDIA_VISIBLE_DEVICES pick GPUs through
 * nvidia-container-cli (gVisor 20260817.0 runsc/specutils/nvidia.go findNvidiaHook, runsc/container/container.go
 * nvproxySetup); with nvidia-ctk, runsc exposes only the device nodes CDI put in the OCI spec.
 */
export const NVIDIA_CDI_HOOK_PATH = '/usr/bin/nvidia-ctk';

/**
 * Where containerd reads CDI specifications, and where the device plugin writes its own
 * (k8s-device-plugin v0.17.3 internal/cdi/cdi.go cdiRoot; containerd's default cdi_spec_dirs).
 */
export const CDI_SPEC_DIRS: readonly string[] = Object.freeze(['/etc/cdi', '/var/run/cdi']);

/** File name of the manifests beside cdk.tf.json. */
export const KUBERNETES_MANIFESTS_FILE = 'kubernetes-manifests.json';

type Obj = { [key: string]: unknown };

/** The directory the device plugin writes its CDI specification to (a fixed path in v0.17.3). */
const CDI_PLUGIN_DIR = '/var/run/cdi';

/**
 * Device plugin settings when every GPU RuntimeClass is gVisor: runsc does not run nvidia-container-runtime's
 * prestart hook, so the plugin hands each container its GPUs as CDI device names in the CRI (cdi-cri; kubelet
 * forwards them, DevicePluginCDIDevices is GA since Kubernetes 1.31) and containerd (enable_cdi) writes the
 * device nodes, driver libraries and hooks into the OCI spec before runsc starts. The plugin generates the CDI
 * specification itself at start (k8s-device-plugin v0.17.3 cmd/nvidia-device-plugin/plugin-manager.go
 * GetPlugins -> CreateSpecFile) from the host driver mounted at /driver-root (its --container-driver-root
 * default), as the chart does (deployments/helm/nvidia-device-plugin/templates/daemonset-device-plugin.yml).
 * Only CDI: with cdi-cri alone the plugin sets no NVIDIA_VISIBLE_DEVICES (internal/plugin/server.go
 * getAllocateResponse). gVisor supports this mode: g3doc/user_guide/gpu.md at release-20260817.0 ("CDI",
 * "NVIDIA k8s-device-plugin").
 */
const CDI_ENV: readonly Obj[] = Object.freeze([
  { name: 'DEVICE_LIST_STRATEGY', value: 'cdi-cri' },
  // Host path of the driver root, written into the CDI spec (the EKS NVIDIA AMI installs the driver in /).
  { name: 'NVIDIA_DRIVER_ROOT', value: '/' },
  { name: 'NVIDIA_CDI_HOOK_PATH', value: NVIDIA_CDI_HOOK_PATH },
]);

/** A v1 List of every object, in a stable order: RuntimeClasses by name, then the device plugin. */
export function renderKubernetesManifests(platformName: string, k: ResolvedKubernetes): Obj {
  const labels = { 'app.kubernetes.io/managed-by': 'cdktf-sandbox-byoc', 'cdktf-sandbox-byoc.io/platform': platformName };
  const items: Obj[] = k.runtimeClasses.map((rc) => ({
    apiVersion: 'node.k8s.io/v1',
    kind: 'RuntimeClass',
    metadata: { name: rc.name, labels },
    handler: rc.handler,
    overhead: { podFixed: { cpu: rc.overhead.cpu, memory: rc.overhead.memory } },
    scheduling: { nodeSelector: { ...rc.nodeSelector }, tolerations: rc.tolerations.map((t) => ({ ...t })) },
  }));
  const gpuClasses = k.runtimeClasses.filter((rc) => rc.gpu);
  if (gpuClasses.length > 0) {
    const name = 'nvidia-device-plugin-daemonset';
    const cdi = gpuClasses.every((rc) => rc.runtime === SandboxRuntime.GVISOR);
    items.push({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name, namespace: 'kube-system', labels },
      spec: {
        selector: { matchLabels: { name } },
        updateStrategy: { type: 'RollingUpdate' },
        template: {
          metadata: { labels: { name } },
          spec: {
            priorityClassName: 'system-node-critical',
            // Only on GPU nodes: their RuntimeClass label, whatever the class.
            affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{
              matchExpressions: [{ key: KUBERNETES_LABELS.runtimeClass, operator: 'In', values: gpuClasses.map((rc) => rc.name) }],
            }] } } },
            tolerations: [
              ...gpuClasses.flatMap((rc) => rc.tolerations.map((t) => ({ ...t }))),
              { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
            ],
            containers: [{
              name: 'nvidia-device-plugin-ctr',
              image: NVIDIA_DEVICE_PLUGIN_IMAGE,
              env: [{ name: 'FAIL_ON_INIT_ERROR', value: 'false' }, ...(cdi ? CDI_ENV.map((e) => ({ ...e })) : [])],
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              volumeMounts: [
                { name: 'device-plugin', mountPath: '/var/lib/kubelet/device-plugins' },
                ...(cdi ? [{ name: 'driver-root', mountPath: '/driver-root', readOnly: true }, { name: 'cdi-root', mountPath: CDI_PLUGIN_DIR }] : []),
              ],
            }],
            volumes: [
              { name: 'device-plugin', hostPath: { path: '/var/lib/kubelet/device-plugins' } },
              ...(cdi ? [{ name: 'driver-root', hostPath: { path: '/' } }, { name: 'cdi-root', hostPath: { path: CDI_PLUGIN_DIR, type: 'DirectoryOrCreate' } }] : []),
            ],
          },
        },
      },
    });
  }
  return { apiVersion: 'v1', kind: 'List', items };
}
