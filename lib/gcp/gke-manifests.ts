/**
 * The Kubernetes objects a GKE platform needs inside its cluster. Pure (no cdktf): the shared
 * RuntimeClasses (lib/spec/kubernetes-manifests.ts), minus the NVIDIA device plugin (GKE runs its
 * own on GPU nodes, installed with the driver: cloud.google.com/kubernetes-engine/docs/how-to/gpus),
 * plus the Kata installer when a Kata pool exists, plus the vendor's RBAC binding (BYOC).
 *
 * RuntimeClasses: GKE Sandbox creates a RuntimeClass named "gvisor" (handler "gvisor") itself. We
 * leave it alone and ship our own "sandbox-gvisor" / "sandbox-gvisor-gpu" with the same handler: the
 * names stay the same on every cloud, and ours select the pool's nodes by our label and tolerate both
 * our taint and GKE Sandbox's (sandbox.gke.io/runtime=gvisor:NoSchedule). Pods may use either class.
 */
import { ControlPlaneAccess, KUBERNETES_LABELS, ResolvedKubernetes, SandboxRuntime, renderKubernetesManifests } from '../spec';

/**
 * kata-deploy, pinned: 3.21.0 is the last Kata Containers release that ships the static installer
 * manifests (tools/packaging/kata-deploy/kata-deploy/base/kata-deploy.yaml and kata-rbac/base/kata-rbac.yaml;
 * from 3.22 only a Helm chart). The image's install script copies Kata into /opt/kata on the host,
 * adds the runtime "kata-qemu" to /etc/containerd/config.toml and restarts containerd
 * (tools/packaging/kata-deploy/scripts/kata-deploy.sh at 3.21.0). Configured here for the QEMU shim
 * only and without its own RuntimeClasses (we ship sandbox-kata).
 */
export const KATA_DEPLOY_VERSION = '3.21.0';
export const KATA_DEPLOY_IMAGE = `quay.io/kata-containers/kata-deploy:${KATA_DEPLOY_VERSION}`;

/** Name of the vendor's ClusterRoleBinding. */
export const GKE_VENDOR_BINDING = 'cdktf-sandbox-byoc-vendor';

/**
 * Kubernetes ClusterRole of the vendor per access level: "view" for read-only, "cluster-admin" for
 * operate (it installs cluster-scoped objects: RuntimeClasses, CRDs and controllers; as on EKS).
 */
export const GKE_VENDOR_CLUSTER_ROLES: { readonly [a in ControlPlaneAccess]: string } = {
  [ControlPlaneAccess.OPERATE]: 'cluster-admin',
  [ControlPlaneAccess.READ_ONLY]: 'view',
};

type Obj = { [key: string]: unknown };

/** The vendor's Google service account and its access level. */
export interface GkeVendorSubject {
  /** E-mail of the service account the vendor impersonates (GKE authenticates it as a User of that name). */
  readonly email: string;
  readonly access: ControlPlaneAccess;
}

/** A v1 List: RuntimeClasses by name, then the Kata installer (if any Kata pool), then the vendor binding (BYOC). */
export function gkeKubernetesManifests(platformName: string, k: ResolvedKubernetes, vendor?: GkeVendorSubject): Obj {
  const shared = renderKubernetesManifests(platformName, k) as { items: Obj[] };
  const labels = { 'app.kubernetes.io/managed-by': 'cdktf-sandbox-byoc', 'cdktf-sandbox-byoc.io/platform': platformName };
  const items = shared.items.filter((o) => o.kind === 'RuntimeClass');
  const kata = k.runtimeClasses.find((rc) => rc.runtime === SandboxRuntime.KATA);
  if (kata) items.push(...kataDeploy(labels, kata.name, kata.tolerations));
  if (vendor) {
    items.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: GKE_VENDOR_BINDING, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: GKE_VENDOR_CLUSTER_ROLES[vendor.access] },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: vendor.email }],
    });
  }
  return { apiVersion: 'v1', kind: 'List', items };
}

function kataDeploy(labels: Obj, runtimeClass: string, tolerations: readonly object[]): Obj[] {
  const name = 'kata-deploy';
  const sa = 'kata-deploy-sa';
  const env = (n: string, value: string) => ({ name: n, value });
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: 'kube-system', labels } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'kata-deploy-role', labels },
      // As kata-rbac.yaml at 3.21.0: label its node, manage its RuntimeClasses (unused here), list DaemonSets.
      rules: [
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'patch'] },
        { apiGroups: ['node.k8s.io'], resources: ['runtimeclasses'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
        { apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['list'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'kata-deploy-rb', labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kata-deploy-role' },
      subjects: [{ kind: 'ServiceAccount', name: sa, namespace: 'kube-system' }],
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name, namespace: 'kube-system', labels },
      spec: {
        selector: { matchLabels: { name } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
        template: {
          metadata: { labels: { name } },
          spec: {
            serviceAccountName: sa,
            hostPID: true,
            priorityClassName: 'system-node-critical',
            // Only the Kata pools' nodes: their RuntimeClass label and taint.
            nodeSelector: { [KUBERNETES_LABELS.runtimeClass]: runtimeClass },
            tolerations: tolerations.map((t) => ({ ...t })),
            containers: [{
              name: 'kube-kata',
              image: KATA_DEPLOY_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              lifecycle: { preStop: { exec: { command: ['bash', '-c', '/opt/kata-artifacts/scripts/kata-deploy.sh cleanup'] } } },
              command: ['bash', '-c', '/opt/kata-artifacts/scripts/kata-deploy.sh install'],
              // The script reads these in this order (kata-deploy.yaml at 3.21.0).
              env: [
                { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                env('DEBUG', 'false'),
                env('SHIMS', 'qemu'),
                env('DEFAULT_SHIM', 'qemu'),
                env('CREATE_RUNTIMECLASSES', 'false'),
                env('CREATE_DEFAULT_RUNTIMECLASS', 'false'),
                env('ALLOWED_HYPERVISOR_ANNOTATIONS', ''),
                env('SNAPSHOTTER_HANDLER_MAPPING', ''),
                env('AGENT_HTTPS_PROXY', ''),
                env('AGENT_NO_PROXY', ''),
                env('PULL_TYPE_MAPPING', ''),
                env('INSTALLATION_PREFIX', ''),
                env('MULTI_INSTALL_SUFFIX', ''),
              ],
              securityContext: { privileged: true },
              volumeMounts: [
                { name: 'containerd-conf', mountPath: '/etc/containerd/' },
                { name: 'host', mountPath: '/host/' },
              ],
            }],
            volumes: [
              { name: 'containerd-conf', hostPath: { path: '/etc/containerd/' } },
              { name: 'host', hostPath: { path: '/' } },
            ],
          },
        },
      },
    },
  ];
}
