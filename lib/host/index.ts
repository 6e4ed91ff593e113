export {
  BOOTSTRAP_LOG_FILE,
  BOOTSTRAP_LOG_TAG,
  BOOTSTRAP_PER_BOOT_PATH,
  BootstrapMarker,
  DEFAULT_NVME_DEVICE_GLOB,
  DEFAULT_SANDBOX_INTERFACE_PATTERN,
  HostBootstrapOptions,
  KUBERNETES_SANDBOX_INTERFACE_PATTERN,
  POD_NETWORK_INTERFACE_PATTERNS,
  SANDBOX_DATA_DIR,
  GuardTableExtras,
  hugepageCount,
  renderCloudInitUserData,
  renderGuardTable,
  renderHostBootstrap,
} from './bootstrap';
export {
  DNS_FILTER_ALLOW_LIST_PATH, DNS_FILTER_PORT, DNS_FILTER_PROGRAM_PATH, DNS_FILTER_SCRIPT, DNS_FILTER_UNIT, DnsFilterOptions,
} from './dns-filter';
export { poolBootstrapOptions } from './pool-options';
export {
  AZURE_WIRESERVER, DEFAULT_HOST_GUARD, GCP_PRIVATE_GOOGLE_VIPS, HostGuardOptions, LINK_LOCAL_V4, LINK_LOCAL_V6, hostGuardFor,
} from './host-guard';
export {
  KATA_INSTALL_DIR, KATA_QEMU_CONFIG, RUNTIME_BIN_DIR, RUNTIME_CACHE_DIR, RUNTIME_DOWNLOAD_ATTEMPTS, RuntimeInstallOptions, RuntimeSource,
  renderRuntimeInstall, runscConfigPath, runtimeContainerdConfig,
} from './runtime-install';
export {
  CONTAINERD_CONFIG, CRI_PLUGIN_V1, CRI_RUNTIME_PLUGIN_V2, NODE_GUARD_RULESET, NODE_INSTALLER_LOG, NODE_INSTALLER_RECHECK_SECONDS,
  NODE_INSTALLER_STATE_DIR, NodeGuardOptions, NodeRuntimeInstallerOptions, containerdBlockMarkers, containerdHandlerBlock,
  nodeInstallerReadyFile, renderNodeRuntimeInstaller,
} from './node-runtime-installer';
