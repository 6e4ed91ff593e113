export {
  BOOTSTRAP_LOG_FILE,
  BOOTSTRAP_LOG_TAG,
  BOOTSTRAP_PER_BOOT_PATH,
  BootstrapMarker,
  DEFAULT_NVME_DEVICE_GLOB,
  DEFAULT_SANDBOX_INTERFACE_PATTERN,
  HostBootstrapOptions,
  SANDBOX_DATA_DIR,
  hugepageCount,
  renderCloudInitUserData,
  renderHostBootstrap,
} from './bootstrap';
export { poolBootstrapOptions } from './pool-options';
