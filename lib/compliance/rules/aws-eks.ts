/** AWS EKS rules: private API endpoint, Secrets envelope encryption, control-plane logs, no public node IPs. */
import { CloudProvider, ComplianceProfile } from '../../spec';
import { ComplianceRule, RuleId } from '../types';
import { Problems, block, blocks, fail, isFalse, isSet, isTrue, pass, show, strings } from '../values';
import { defineRule } from './define';

/** Every control-plane log type (docs.aws.amazon.com/eks/latest/APIReference/API_LogSetup.html). */
const EKS_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

export const awsEksEndpoint: ComplianceRule = defineRule({
  id: RuleId.AWS_EKS_ENDPOINT,
  title: 'EKS API endpoint private (restricted public only at baseline)',
  description:
    'EKS clusters set vpc_config.endpoint_private_access = true. Under soc2 and hipaa endpoint_public_access = false (the '
    + 'provider defaults it to true); at baseline a public endpoint passes only with public_access_cidrs that never '
    + 'include 0.0.0.0/0 (the default when the list is omitted).',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['aws_eks_cluster'],
  controls: { hipaa: ['164.312(e)(1)'], soc2: ['CC6.6'] },
  upstream: { checkov: ['CKV_AWS_38', 'CKV_AWS_39'], cdkNag: ['EKSClusterNoEndpointPublicAccess'] },
  check: (r, ctx) => {
    const vpc = block(r.config.vpc_config) ?? {};
    const isPublic = !isFalse(vpc.endpoint_public_access);
    const cidrs = strings(vpc.public_access_cidrs);
    const strict = ctx.profile !== ComplianceProfile.BASELINE;
    return new Problems()
      .add(!isTrue(vpc.endpoint_private_access), `vpc_config.endpoint_private_access is ${show(vpc.endpoint_private_access)}: nodes reach the API over the internet`,
        'set vpc_config.endpoint_private_access = true')
      .add(isPublic && strict, `the public API endpoint is on (endpoint_public_access ${show(vpc.endpoint_public_access)}); the ${ctx.profile} profile keeps the API private`,
        'set vpc_config.endpoint_public_access = false and reach the API from inside the VPC')
      .add(isPublic && !strict && (cidrs.length === 0 || cidrs.includes('0.0.0.0/0')),
        `the public API endpoint is open to ${cidrs.length === 0 ? 'the default 0.0.0.0/0' : '0.0.0.0/0'}`,
        'set vpc_config.public_access_cidrs to the administrators\' networks, or endpoint_public_access = false')
      .outcome(isPublic ? `public endpoint limited to ${cidrs.join(', ')}` : 'private API endpoint only');
  },
});

export const awsEksSecrets: ComplianceRule = defineRule({
  id: RuleId.AWS_EKS_SECRETS,
  title: 'EKS Secrets envelope-encrypted with a KMS key',
  description: 'EKS clusters set encryption_config with resources = ["secrets"] and a provider.key_arn, so Kubernetes Secrets are envelope-encrypted with a customer-managed KMS key.',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['aws_eks_cluster'],
  controls: { hipaa: ['164.312(a)(2)(iv)'], soc2: ['CC6.1'] },
  upstream: { checkov: ['CKV_AWS_58'], cdkNag: ['EKSClusterSecretsEncrypted'] },
  check: (r) => {
    const enc = blocks(r.config.encryption_config);
    const secrets = enc.find((e) => strings(e.resources).includes('secrets'));
    if (!secrets) {
      return fail('encryption_config does not cover "secrets": Secrets are stored with EKS\'s default encryption only',
        'add encryption_config { resources = ["secrets"], provider { key_arn = <platform KMS key> } }');
    }
    const key = block(secrets.provider)?.key_arn;
    return isSet(key) ? pass('Secrets envelope-encrypted with a KMS key')
      : fail('encryption_config names no provider.key_arn', 'set encryption_config.provider.key_arn to a customer-managed KMS key');
  },
});

export const awsEksLogs: ComplianceRule = defineRule({
  id: RuleId.AWS_EKS_LOGS,
  title: 'EKS control-plane logs: every type',
  description: `EKS clusters enable every control-plane log type (${EKS_LOG_TYPES.join(', ')}) in enabled_cluster_log_types; retention and encryption of the log group are AWS-LOG-RET's.`,
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['aws_eks_cluster'],
  controls: { hipaa: ['164.312(b)'], soc2: ['CC7.2'] },
  upstream: { checkov: ['CKV_AWS_37'], cdkNag: ['EKSClusterControlPlaneLogs'] },
  check: (r) => {
    const enabled = strings(r.config.enabled_cluster_log_types);
    const missing = EKS_LOG_TYPES.filter((t) => !enabled.includes(t));
    return missing.length === 0 ? pass('every control-plane log type is enabled')
      : fail(`enabled_cluster_log_types lacks ${missing.join(', ')}`, `set enabled_cluster_log_types = ${JSON.stringify(EKS_LOG_TYPES)}`);
  },
});

export const awsEksNodes: ComplianceRule = defineRule({
  id: RuleId.AWS_EKS_NODES,
  title: 'EKS nodes without public IPs or SSH',
  description:
    'EKS clusters place their control-plane ENIs only in subnets that keep map_public_ip_on_launch = false, and managed node '
    + 'groups open no remote_access (SSH) block. Self-managed nodes are launch templates and Auto Scaling groups, checked by AWS-EC2-PUBIP.',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['aws_eks_cluster', 'aws_eks_node_group'],
  controls: { hipaa: ['164.312(e)(1)'], soc2: ['CC6.6'] },
  upstream: { checkov: ['CKV_AWS_100'] },
  check: (r, ctx) => {
    if (r.type === 'aws_eks_node_group') {
      return isSet(r.config.remote_access)
        ? fail('remote_access opens SSH to the nodes', 'remove remote_access and reach nodes through SSM Session Manager')
        : pass('no remote access to the nodes');
    }
    const subnets = ctx.stack.referencedResources(block(r.config.vpc_config)?.subnet_ids, 'aws_subnet');
    const publicOnes = subnets.filter((s) => isTrue(s.config.map_public_ip_on_launch)).map((s) => s.address);
    return publicOnes.length === 0 ? pass('cluster subnets map no public IPs')
      : fail(`cluster subnets ${publicOnes.join(', ')} map public IPs on launch`, 'use private subnets (map_public_ip_on_launch = false) for the cluster');
  },
});

export const AWS_EKS_RULES: ComplianceRule[] = [awsEksEndpoint, awsEksSecrets, awsEksLogs, awsEksNodes];
