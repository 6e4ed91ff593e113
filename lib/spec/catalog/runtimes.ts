/**
 * Pinned sandbox runtimes the Kubernetes-mode node bootstrap installs where the cloud has none built in
 * (EKS): every asset with its exact upstream URL and digest. Pure data: no cdktf or provider imports.
 *
 * Source of every version, URL pattern and digest: kubernetes-sigs/kubespray at commit
 * 46dbdd3994b32640bcd806b0097f50e8fdf1d514 (2026-08-21, "Patch versions updates (#13423)"):
 * - digests: roles/kubespray_defaults/vars/main/checksums.yml, kata_containers_binary_checksums.amd64
 *   (sha256, the .tar.zst artifact since commit ed99c2a4 "kata-containers: Update release artifacts to zst
 *   format", 2026-08-16), gvisor_runsc_binary_checksums.amd64 and gvisor_containerd_shim_binary_checksums.amd64
 *   (kubespray pins gVisor with sha512, not sha256: we keep its sha512; no sha256 is published there);
 * - URL patterns: roles/kubespray_defaults/defaults/main/download.yml, kata_containers_download_url
 *   ({github_url}/kata-containers/kata-containers/releases/download/{v}/kata-static-{v}-{image_arch}.tar.zst,
 *   image_arch amd64) and gvisor_runsc_download_url / gvisor_containerd_shim_runsc_download_url
 *   ({storage_googleapis_url}/gvisor/releases/release/{v}/{architecture}/runsc | containerd-shim-runsc-v1,
 *   architecture x86_64), with github_url https://github.com and storage_googleapis_url https://storage.googleapis.com.
 * The newest version kubespray lists for each is pinned here. Refresh: see docs/aws.md ("Sandbox runtimes on EKS nodes").
 */
import { SandboxRuntime } from '../types';

/** Digest algorithm of a pinned asset; the node checks it with `<algorithm>sum -c`. */
export enum RuntimeDigestAlgorithm {
  SHA256 = 'sha256',
  SHA512 = 'sha512',
}

/** One downloadable file of a runtime release. */
export interface RuntimeAsset {
  /** File name: the last segment of the URL, and of the artifact-bucket key. */
  readonly name: string;
  /** Exact upstream URL (https). */
  readonly url: string;
  readonly algorithm: RuntimeDigestAlgorithm;
  /** Lower-case hex digest. */
  readonly digest: string;
}

/** A pinned runtime release for one CPU architecture. */
export interface RuntimeRelease {
  readonly runtime: SandboxRuntime;
  readonly version: string;
  /** CPU architecture of the assets (uname -m spelling). */
  readonly arch: string;
  readonly assets: readonly RuntimeAsset[];
  /** Host names the assets are downloaded from, redirects included (firewall allow-lists). */
  readonly domains: readonly string[];
}

/** Where the pins come from, for messages and docs. */
export const RUNTIME_CATALOG_SOURCE = {
  repository: 'kubernetes-sigs/kubespray',
  commit: '46dbdd3994b32640bcd806b0097f50e8fdf1d514',
  commitDate: '2026-08-21',
  checksumsFile: 'roles/kubespray_defaults/vars/main/checksums.yml',
  urlsFile: 'roles/kubespray_defaults/defaults/main/download.yml',
  checked: '2026-12-02',
} as const;

const KATA_VERSION = '3.32.0';
const GVISOR_VERSION = '20260817.0';
const GVISOR_BASE = `https://storage.googleapis.com/gvisor/releases/release/${GVISOR_VERSION}/x86_64`;

/**
 * GitHub serves release downloads from github.com with a redirect to its release-asset host
 * (release-assets.githubusercontent.com; objects.githubusercontent.com before 2025): both are allowed.
 */
const GITHUB_RELEASE_DOMAINS = ['github.com', 'release-assets.githubusercontent.com', 'objects.githubusercontent.com'];

const RELEASES: readonly RuntimeRelease[] = Object.freeze([
  {
    runtime: SandboxRuntime.KATA,
    version: KATA_VERSION,
    arch: 'x86_64',
    assets: [{
      name: `kata-static-${KATA_VERSION}-amd64.tar.zst`,
      url: `https://github.com/kata-containers/kata-containers/releases/download/${KATA_VERSION}/kata-static-${KATA_VERSION}-amd64.tar.zst`,
      algorithm: RuntimeDigestAlgorithm.SHA256,
      digest: '1449ecea50bd91fa73a94648db195d18950fe869ba4b1f12d05f55f1fa7c1b01',
    }],
    domains: GITHUB_RELEASE_DOMAINS,
  },
  {
    runtime: SandboxRuntime.GVISOR,
    version: GVISOR_VERSION,
    arch: 'x86_64',
    assets: [
      {
        name: 'runsc',
        url: `${GVISOR_BASE}/runsc`,
        algorithm: RuntimeDigestAlgorithm.SHA512,
        digest: '84936438d583ec976800f464e75a83e1515f0890b451b9b4db219c4472b54ca9b106a6772ee683f1e64cce2128871d7637b14d800591f8451b8137f6c39fb2ef',
      },
      {
        name: 'containerd-shim-runsc-v1',
        url: `${GVISOR_BASE}/containerd-shim-runsc-v1`,
        algorithm: RuntimeDigestAlgorithm.SHA512,
        digest: 'b60d1c418b841ab046951cc7a91f490a221198fbe81ec55dc364432578fddd44e97063793ce6651be397af2f64ec47170dff77a45db277819c3fb08fec9f3ced',
      },
    ],
    domains: ['storage.googleapis.com'],
  },
]);

/** Every pinned release, Kata first. */
export function runtimeReleases(): readonly RuntimeRelease[] {
  return RELEASES;
}

/** The pinned release of a runtime for an architecture (uname -m spelling), or undefined when none is pinned. */
export function runtimeRelease(runtime: SandboxRuntime, arch = 'x86_64'): RuntimeRelease | undefined {
  return RELEASES.find((r) => r.runtime === runtime && r.arch === arch);
}

/**
 * The artifact-bucket key of an asset: runtimes/<runtime>/<version>/<arch>/<file>, e.g.
 * runtimes/kata/3.32.0/x86_64/kata-static-3.32.0-amd64.tar.zst. Nodes read it there when egress is "none".
 */
export function runtimeArtifactKey(release: RuntimeRelease, asset: RuntimeAsset): string {
  return `runtimes/${release.runtime}/${release.version}/${release.arch}/${asset.name}`;
}

/** Upstream host names of the given runtimes' releases, sorted and without duplicates. */
export function runtimeDownloadDomains(runtimes: readonly SandboxRuntime[]): string[] {
  const out = new Set<string>();
  for (const r of runtimes) for (const d of runtimeRelease(r)?.domains ?? []) out.add(d);
  return [...out].sort();
}
