/**
 * The Kubernetes objects an AKS platform needs inside its cluster. Pure (no cdktf): the shared
 * RuntimeClasses and NVIDIA device plugin (lib/spec/kubernetes-manifests.ts), plus one gVisor
 * installer per gVisor RuntimeClass the pools use.
 *
 * AKS has no managed gVisor, so a privileged DaemonSet installs it: on each node of the class's pools
 * it enters the host's namespaces and runs the installer script (lib/host/node-runtime-installer.ts),
 * which downloads the pinned release, checks its digests, adds the containerd handler and keeps both in
 * place. The script is in a ConfigMap; its digest is a pod-template annotation, so a new script rolls
 * the DaemonSet. The pod has no service-account token and no Kubernetes API access.
 * Kata needs nothing here: AKS Pod Sandboxing installs it (handler "kata").
 */
import { createHash } from 'crypto';
import { renderNodeRuntimeInstaller, nodeInstallerReadyFile } from '../host/node-runtime-installer';
import { runtimeRelease } from '../spec/catalog/runtimes';
import { KUBERNETES_LABELS, ResolvedKubernetes, ResolvedRuntimeClass } from '../spec/kubernetes';
import { renderKubernetesManifests } from '../spec/kubernetes-manifests';
import { SandboxRuntime } from '../spec/types';

/**
 * The installer's container image: Azure Linux 3.0 base/core from MCR (which AKS nodes reach under every
 * egress mode: mcr.microsoft.com is in the AzureKubernetesService FQDN tag), pinned by digest. The pod only
 * needs bash and chroot from it; everything else runs from the host (chroot /host, then the host's nsenter).
 * Digest of mcr.microsoft.com/azurelinux/base/core:3.0 as published 2026-09-23 (sha256:1324a2cf7ed3...,
 * 76.8 MB), from a public image-scan table of that date; refresh with
 * `docker buildx imagetools inspect mcr.microsoft.com/azurelinux/base/core:3.0`.
 */
export const AKS_INSTALLER_IMAGE =
  'mcr.microsoft.com/azurelinux/base/core:3.0@sha256:1324a2cf7ed34e5f48a1022816b205782b86c7305651658e611dcd3d30756751';

/** Namespace of the installers (beside the device plugin and AKS's own node agents). */
export const AKS_INSTALLER_NAMESPACE = 'kube-system';

/** Name of the installer (DaemonSet and ConfigMap) of a RuntimeClass. */
export function aksInstallerName(runtimeClass: string): string {
  return `${runtimeClass}-installer`;
}

/**
 * Why an AKS GPU node's driver may not match runsc: AKS installs the driver Azure Linux's cuda package
 * carries for the node image's kernel (github.com/Azure/AgentBaker parts/linux/cloud-init/artifacts/mariner/
 * cse_install_mariner.sh: the newest cuda / cuda-open package for the kernel), which moves with node images.
 */
const AKS_GPU_DRIVER_HINT = 'AKS installed the NVIDIA driver of this node image; pin a gVisor release that supports it ' +
  '(lib/spec/catalog/runtimes.ts), or keep the GPU pool on a node image whose driver runsc supports';

type Obj = { [key: string]: unknown };

/** A v1 List: RuntimeClasses by name, the NVIDIA device plugin (GPU pools), then a ConfigMap and DaemonSet per gVisor class. */
export function aksKubernetesManifests(platformName: string, k: ResolvedKubernetes): Obj {
  const shared = renderKubernetesManifests(platformName, k) as { apiVersion: string; kind: string; items: Obj[] };
  const labels = { 'app.kubernetes.io/managed-by': 'cdktf-sandbox-byoc', 'cdktf-sandbox-byoc.io/platform': platformName };
  const installers = k.runtimeClasses.filter((rc) => rc.runtime === SandboxRuntime.GVISOR).flatMap((rc) => gvisorInstaller(labels, rc));
  return { ...shared, items: [...shared.items, ...installers] };
}

function gvisorInstaller(labels: { [key: string]: string }, rc: ResolvedRuntimeClass): Obj[] {
  const release = runtimeRelease(SandboxRuntime.GVISOR);
  if (!release) throw new Error('AKS: no pinned gVisor release for x86_64 (lib/spec/catalog/runtimes.ts)');
  const name = aksInstallerName(rc.name);
  const script = renderNodeRuntimeInstaller({ release, handler: rc.handler, gpu: rc.gpu, gpuDriverHint: AKS_GPU_DRIVER_HINT });
  const digest = createHash('sha256').update(script).digest('hex');
  return [{
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: AKS_INSTALLER_NAMESPACE, labels },
    data: { 'install.sh': script },
  }, {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: AKS_INSTALLER_NAMESPACE, labels },
    spec: {
      selector: { matchLabels: { name } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: { name }, annotations: { 'cdktf-sandbox-byoc.io/installer-sha256': digest } },
        spec: {
          // The script runs in the host's PID, mount, network, UTS and IPC namespaces (it restarts containerd).
          hostPID: true,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          priorityClassName: 'system-node-critical',
          terminationGracePeriodSeconds: 10,
          // Only on the nodes of this class's pools.
          nodeSelector: { [KUBERNETES_LABELS.runtimeClass]: rc.name, 'kubernetes.io/os': 'linux' },
          tolerations: [
            ...rc.tolerations.map((t) => ({ ...t })),
            ...(rc.gpu ? [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] : []),
          ],
          containers: [{
            name: 'installer',
            image: AKS_INSTALLER_IMAGE,
            // The container's bash opens the script, then the host's own chroot target and nsenter take over.
            command: ['/bin/bash', '-c', 'exec chroot /host nsenter --target 1 --mount --uts --ipc --net --pid -- /bin/bash -s </installer/install.sh'],
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
              { name: 'installer', mountPath: '/installer', readOnly: true },
            ],
          }],
          volumes: [
            { name: 'host', hostPath: { path: '/', type: 'Directory' } },
            { name: 'installer', configMap: { name, defaultMode: 0o444 } },
          ],
        },
      },
    },
  }];
}
