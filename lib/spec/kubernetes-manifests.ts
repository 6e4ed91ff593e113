/**
 * The Kubernetes objects a Kubernetes-mode platform needs inside its cluster, rendered from the plan:
 * one RuntimeClass per (runtime, GPU) the pools use, and the NVIDIA device plugin when a GPU pool
 * exists. Pure and deterministic (no cdktf); written beside cdk.tf.json and output by the cloud
 * constructs, applied by the vendor (kubectl apply -f) or a second stack, never by the stack that
 * creates the cluster (its provider would need the cluster before it exists).
 */
import { KUBERNETES_LABELS, ResolvedKubernetes } from './kubernetes';

/**
 * NVIDIA device plugin, pinned: the DaemonSet of github.com/NVIDIA/k8s-device-plugin
 * deployments/static/nvidia-device-plugin.yml at v0.17.3 (image nvcr.io/nvidia/k8s-device-plugin:v0.17.3),
 * with the scheduling of our GPU nodes.
 */
export const NVIDIA_DEVICE_PLUGIN_IMAGE = 'nvcr.io/nvidia/k8s-device-plugin:v0.17.3';

/** File name of the manifests beside cdk.tf.json. */
export const KUBERNETES_MANIFESTS_FILE = 'kubernetes-manifests.json';

type Obj = { [key: string]: unknown };

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
              env: [{ name: 'FAIL_ON_INIT_ERROR', value: 'false' }],
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'device-plugin', mountPath: '/var/lib/kubelet/device-plugins' }],
            }],
            volumes: [{ name: 'device-plugin', hostPath: { path: '/var/lib/kubelet/device-plugins' } }],
          },
        },
      },
    });
  }
  return { apiVersion: 'v1', kind: 'List', items };
}
