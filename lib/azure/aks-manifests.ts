/**
 * The Kubernetes objects an AKS platform needs inside its cluster. Pure (no cdktf): the shared
 * RuntimeClasses and NVIDIA device plugin (lib/spec/kubernetes-manifests.ts), plus one node agent per
 * sandbox RuntimeClass.
 *
 * AKS owns its nodes' host (no user data, no host bootstrap), so a privileged DaemonSet does there what
 * the host bootstrap does on our own nodes: on each node of the class's pools it enters the host's
 * namespaces and runs the node agent script (lib/host/node-runtime-installer.ts), which loads the host
 * guard (pods cannot reach IMDS at 169.254.169.254 or WireServer at 168.63.129.16), then registers the
 * class's containerd handler: gVisor downloaded at its pinned version and digest-checked; Kata as a
 * copy of the `kata` runtime AKS Pod Sandboxing installs, under our handler name, so Kata pods start only
 * once the guard is loaded. It keeps both in place. The script is in a ConfigMap; its digest is a
 * pod-template annotation, so a new script rolls the DaemonSet. The pod has no service-account token and
 * no Kubernetes API access.
 */
import { createHash } from 'crypto';
import { hostGuardFor } from '../host/host-guard';
import { renderNodeRuntimeInstaller, nodeInstallerReadyFile } from '../host/node-runtime-installer';
import { runtimeRelease } from '../spec/catalog/runtimes';
import { KUBERNETES_LABELS, ResolvedKubernetes, ResolvedRuntimeClass } from '../spec/kubernetes';
import { renderKubernetesManifests } from '../spec/kubernetes-manifests';
import { CloudProvider, EgressMode, SandboxRuntime } from '../spec/types';

/**
 * The node agent's container image: Azure Linux 3.0 base/core from MCR (which AKS nodes reach under every
 * egress mode: mcr.microsoft.com is in the AzureKubernetesService FQDN tag), pinned by digest. The pod only
 * needs bash and chroot from it; everything else runs from the host (chroot /host, then the host's nsenter).
 * Digest of mcr.microsoft.com/azurelinux/base/core:3.0 as published 2026-09-23 (sha256:1324a2cf7ed3...,
 * 76.8 MB), from a public image-scan table of that date; refresh with
 * `docker buildx imagetools inspect mcr.microsoft.com/azurelinux/base/core:3.0`.
 */
export const AKS_NODE_AGENT_IMAGE =
  'mcr.microsoft.com/azurelinux/base/core:3.0@sha256:1324a2cf7ed34e5f48a1022816b205782b86c7305651658e611dcd3d30756751';

/** Namespace of the node agents (beside the device plugin and AKS's own node agents). */
export const AKS_NODE_AGENT_NAMESPACE = 'kube-system';

/** Name of the node agent (DaemonSet and ConfigMap) of a RuntimeClass. */
export function aksNodeAgentName(runtimeClass: string): string {
  return `${runtimeClass}-node-agent`;
}

/**
 * Host-side names of pod interfaces on AKS nodes: "lxc*" with Azure CNI Powered by Cilium (the cluster's
 * dataplane; AKS's own IMDS restriction matches the same forwarded traffic in the FORWARD hook:
 * github.com/Azure/AgentBaker parts/linux/cloud-init/artifacts/ensure_imds_restriction.sh), "azv*" with the
 * Azure dataplane.
 */
export const AKS_POD_INTERFACE_PATTERNS: readonly string[] = Object.freeze(['lxc*', 'azv*']);

/** The label AKS puts on nodes with eBPF host routing (ACNS acceleration mode BpfVeth), value "true". */
export const AKS_EBPF_HOST_ROUTING_LABEL = 'kubernetes.azure.com/ebpf-host-routing';

/** The runtime AKS Pod Sandboxing registers on Kata nodes, which the Kata node agent copies under our handler. */
export const AKS_KATA_HANDLER = 'kata';

/**
 * Why an AKS GPU node's driver may not match runsc: AKS installs the driver Azure Linux's cuda package
 * carries for the node image's kernel (github.com/Azure/AgentBaker parts/linux/cloud-init/artifacts/mariner/
 * cse_install_mariner.sh: the newest cuda / cuda-open package for the kernel), which moves with node images.
 */
const AKS_GPU_DRIVER_HINT = 'AKS installed the NVIDIA driver of this node image; pin a gVisor release that supports it ' +
  '(lib/spec/catalog/runtimes.ts), or keep the GPU pool on a node image whose driver runsc supports';

type Obj = { [key: string]: unknown };

/**
 * A v1 List: RuntimeClasses by name, the NVIDIA device plugin (GPU pools), then a ConfigMap and DaemonSet
 * per RuntimeClass (its node agent). `egress` decides the guard's DNS exception (hostGuardFor).
 */
export function aksKubernetesManifests(platformName: string, k: ResolvedKubernetes, egress: EgressMode): Obj {
  const shared = renderKubernetesManifests(platformName, k) as { apiVersion: string; kind: string; items: Obj[] };
  const labels = { 'app.kubernetes.io/managed-by': 'cdktf-sandbox-byoc', 'cdktf-sandbox-byoc.io/platform': platformName };
  const agents = k.runtimeClasses.flatMap((rc) => nodeAgent(labels, rc, egress));
  return { ...shared, items: [...shared.items, ...agents] };
}

/** The agent script of a RuntimeClass: guard, then its runtime (gVisor installed, Kata copied from AKS's runtime). */
export function aksNodeAgentScript(rc: ResolvedRuntimeClass, egress: EgressMode): string {
  const guard = { guard: hostGuardFor(CloudProvider.AZURE, egress), interfacePatterns: [...AKS_POD_INTERFACE_PATTERNS] };
  if (rc.runtime === SandboxRuntime.KATA) return renderNodeRuntimeInstaller({ handler: rc.handler, copyOf: AKS_KATA_HANDLER, guard });
  if (rc.runtime !== SandboxRuntime.GVISOR) throw new Error(`AKS: no node agent for runtime ${JSON.stringify(rc.runtime)}`);
  const release = runtimeRelease(SandboxRuntime.GVISOR);
  if (!release) throw new Error('AKS: no pinned gVisor release for x86_64 (lib/spec/catalog/runtimes.ts)');
  return renderNodeRuntimeInstaller({ release, handler: rc.handler, gpu: rc.gpu, gpuDriverHint: AKS_GPU_DRIVER_HINT, guard });
}

function nodeAgent(labels: { [key: string]: string }, rc: ResolvedRuntimeClass, egress: EgressMode): Obj[] {
  const name = aksNodeAgentName(rc.name);
  const script = aksNodeAgentScript(rc, egress);
  const digest = createHash('sha256').update(script).digest('hex');
  return [{
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: AKS_NODE_AGENT_NAMESPACE, labels },
    data: { 'node-agent.sh': script },
  }, {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: AKS_NODE_AGENT_NAMESPACE, labels },
    spec: {
      selector: { matchLabels: { name } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: { name }, annotations: { 'cdktf-sandbox-byoc.io/node-agent-sha256': digest } },
        spec: {
          // The script runs in the host's PID, mount, network, UTS and IPC namespaces (it loads nftables, restarts containerd).
          hostPID: true,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          priorityClassName: 'system-node-critical',
          terminationGracePeriodSeconds: 10,
          // Only on the nodes of this class's pools.
          nodeSelector: { [KUBERNETES_LABELS.runtimeClass]: rc.name, 'kubernetes.io/os': 'linux' },
          // Never on a node with eBPF host routing: Cilium then bypasses netfilter, so the guard would load and
          // guard nothing. AKS labels such nodes (learn.microsoft.com/azure/aks/container-network-performance-ebpf-host-routing,
          // "Considerations"); without the agent the class's handler never exists there, so the node stays closed.
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{
            matchExpressions: [{ key: AKS_EBPF_HOST_ROUTING_LABEL, operator: 'NotIn', values: ['true'] }],
          }] } } },
          tolerations: [
            ...rc.tolerations.map((t) => ({ ...t })),
            ...(rc.gpu ? [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] : []),
          ],
          containers: [{
            name: 'node-agent',
            image: AKS_NODE_AGENT_IMAGE,
            // The container's bash opens the script, then the host's own chroot target and nsenter take over.
            command: ['/bin/bash', '-c', 'exec chroot /host nsenter --target 1 --mount --uts --ipc --net --pid -- /bin/bash -s </node-agent/node-agent.sh'],
            // The host's tools, whatever the image's PATH is.
            env: [{ name: 'PATH', value: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' }],
            securityContext: { privileged: true },
            readinessProbe: {
              exec: { command: ['/usr/bin/test', '-f', `/host${nodeInstallerReadyFile(rc.handler)}`] },
              periodSeconds: 10,
            },
            resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '512Mi' } },
            volumeMounts: [
              { name: 'host', mountPath: '/host' },
              { name: 'node-agent', mountPath: '/node-agent', readOnly: true },
            ],
          }],
          volumes: [
            { name: 'host', hostPath: { path: '/', type: 'Directory' } },
            { name: 'node-agent', configMap: { name, defaultMode: 0o444 } },
          ],
        },
      },
    },
  }];
}
