/** Azure AKS rules: private API server, no local accounts, Entra ID with Azure RBAC, KMS for etcd, node disks with a disk encryption set. */
import { CloudProvider, ComplianceProfile } from '../../spec';
import { ComplianceRule, RuleId } from '../types';
import { Problems, block, fail, isFalse, isSet, isTrue, pass, show, strings } from '../values';
import { defineRule } from './define';

export const azAksPrivate: ComplianceRule = defineRule({
  id: RuleId.AZ_AKS_PRIVATE,
  title: 'AKS API server private (authorized ranges only at baseline)',
  description:
    'AKS clusters set private_cluster_enabled = true. Under soc2 and hipaa the API server is private; at baseline a public '
    + 'API server passes only with api_server_access_profile.authorized_ip_ranges that are set and never include 0.0.0.0/0.',
  cloud: CloudProvider.AZURE,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['azurerm_kubernetes_cluster'],
  controls: { hipaa: ['164.312(e)(1)'], soc2: ['CC6.6'] },
  upstream: { checkov: ['CKV_AZURE_115', 'CKV_AZURE_6'] },
  check: (r, ctx) => {
    if (isTrue(r.config.private_cluster_enabled)) return pass('private API server');
    const ranges = strings(block(r.config.api_server_access_profile)?.authorized_ip_ranges);
    const strict = ctx.profile !== ComplianceProfile.BASELINE;
    return new Problems()
      .add(strict, `the API server is public (private_cluster_enabled ${show(r.config.private_cluster_enabled)}); the ${ctx.profile} profile keeps it private`,
        'set private_cluster_enabled = true and reach the API from inside the VNet')
      .add(!strict && (ranges.length === 0 || ranges.includes('0.0.0.0/0')),
        `the public API server is open to ${ranges.length === 0 ? 'any address (no authorized_ip_ranges)' : '0.0.0.0/0'}`,
        'set api_server_access_profile.authorized_ip_ranges to the administrators\' networks, or private_cluster_enabled = true')
      .outcome(`public API server limited to ${ranges.join(', ')}`);
  },
});

export const azAksLocalAccounts: ComplianceRule = defineRule({
  id: RuleId.AZ_AKS_LOCAL,
  title: 'AKS local accounts disabled',
  description: 'AKS clusters set local_account_disabled = true: no static cluster-admin kubeconfig; every caller authenticates with Entra ID.',
  cloud: CloudProvider.AZURE,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['azurerm_kubernetes_cluster'],
  controls: { hipaa: ['164.312(a)(1)', '164.312(d)'], soc2: ['CC6.1'] },
  upstream: { checkov: ['CKV_AZURE_141'] },
  check: (r) => isTrue(r.config.local_account_disabled) ? pass('local accounts disabled')
    : fail(`local_account_disabled is ${show(r.config.local_account_disabled)}: the static admin kubeconfig bypasses Entra ID and Azure RBAC`,
      'set local_account_disabled = true'),
});

export const azAksRbac: ComplianceRule = defineRule({
  id: RuleId.AZ_AKS_RBAC,
  title: 'AKS authorizes with Entra ID and Azure RBAC',
  description:
    'AKS clusters keep Kubernetes RBAC on (role_based_access_control_enabled not false) and set '
    + 'azure_active_directory_role_based_access_control with azure_rbac_enabled = true, so access is granted by Azure role assignments.',
  cloud: CloudProvider.AZURE,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['azurerm_kubernetes_cluster'],
  controls: { hipaa: ['164.312(a)(1)'], soc2: ['CC6.1', 'CC6.3'] },
  upstream: { checkov: ['CKV_AZURE_5'] },
  check: (r) => {
    const aad = block(r.config.azure_active_directory_role_based_access_control);
    return new Problems()
      .add(isFalse(r.config.role_based_access_control_enabled), 'role_based_access_control_enabled is false', 'remove it or set it to true')
      .add(!aad, 'no azure_active_directory_role_based_access_control block: authentication is not Entra ID',
        'add azure_active_directory_role_based_access_control { azure_rbac_enabled = true }')
      .add(aad !== undefined && !isTrue(aad.azure_rbac_enabled), `azure_rbac_enabled is ${show(aad?.azure_rbac_enabled)}: Kubernetes RBAC bindings, not Azure roles, decide access`,
        'set azure_active_directory_role_based_access_control.azure_rbac_enabled = true')
      .outcome('Entra ID with Azure RBAC');
  },
});

export const azAksKms: ComplianceRule = defineRule({
  id: RuleId.AZ_AKS_KMS,
  title: 'AKS etcd encrypted with a Key Vault key (KMS)',
  description: 'AKS clusters set key_management_service.key_vault_key_id, so Secrets in etcd are encrypted with a customer-managed key.',
  cloud: CloudProvider.AZURE,
  minimumProfile: ComplianceProfile.SOC2,
  resourceTypes: ['azurerm_kubernetes_cluster'],
  controls: { hipaa: ['164.312(a)(2)(iv)'], soc2: ['CC6.1'] },
  upstream: {},
  check: (r) => isSet(block(r.config.key_management_service)?.key_vault_key_id) ? pass('etcd encrypted with a Key Vault key')
    : fail('no key_management_service.key_vault_key_id: Secrets in etcd use the platform-managed key only',
      'add key_management_service { key_vault_key_id = <versioned key id>, key_vault_network_access = "Private" }'),
});

export const azAksDiskEncryption: ComplianceRule = defineRule({
  id: RuleId.AZ_AKS_DES,
  title: 'AKS node disks encrypted with a disk encryption set',
  description: 'AKS clusters set disk_encryption_set_id, so node OS disks (and data disks by default) use the customer-managed key.',
  cloud: CloudProvider.AZURE,
  minimumProfile: ComplianceProfile.SOC2,
  resourceTypes: ['azurerm_kubernetes_cluster'],
  controls: { hipaa: ['164.312(a)(2)(iv)'], soc2: ['CC6.1'] },
  upstream: { checkov: ['CKV_AZURE_117'] },
  check: (r) => isSet(r.config.disk_encryption_set_id) ? pass('node disks encrypted with the disk encryption set')
    : fail('no disk_encryption_set_id: node disks use platform-managed keys', 'set disk_encryption_set_id to the platform\'s disk encryption set'),
});

export const AZURE_AKS_RULES: readonly ComplianceRule[] = [azAksPrivate, azAksLocalAccounts, azAksRbac, azAksKms, azAksDiskEncryption];
