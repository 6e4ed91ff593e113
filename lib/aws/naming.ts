/**
 * Naming rules of every resource type the AWS platform creates, with their sources (the provider
 * validator as of terraform-provider-aws 6.x, or the AWS API reference). Checked against every
 * synthesized name at the spec's maximum lengths by test/naming-aws.test.ts. Pure data.
 */
import { NameRule, NamingTable } from '../spec';

const PRINTABLE = /^[\x20-\x7E]+$/;
const IAM_NAME = /^[\w+=,.@-]+$/;
const IAM_TEXT = 'letters, digits and _+=,.@-';

/** IAM names (roles 64, policies and instance profiles 128): provider internal/service/iam validators; docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html. */
const iam = (max: number): NameRule => ({
  attribute: 'name', minLength: 1, maxLength: max, pattern: IAM_NAME, patternText: IAM_TEXT,
  source: `IAM API (RoleName/PolicyName/InstanceProfileName: [\\w+=,.@-]+, at most ${max}); provider iam validators`,
});

/** Security group name and description characters (docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html). */
const SG_TEXT = /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]*$/;
const sgText = (attribute: string, min: number): NameRule => ({
  attribute, minLength: min, maxLength: 255, pattern: SG_TEXT, patternText: 'a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$* (no apostrophe)',
  source: 'EC2 API CreateSecurityGroup (GroupName, Description: up to 255 of a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*); provider StringLenBetween(0, 255)',
});

/** Route 53 Resolver names: provider internal/service/route53resolver validResolverName (at most 64, not all digits). */
const resolverName: NameRule = {
  attribute: 'name', minLength: 1, maxLength: 64, pattern: /^(?![0-9]+$)[a-zA-Z0-9_ -]+$/, patternText: 'letters, digits, spaces, _ and -; not only digits',
  source: 'provider route53resolver validResolverName; API (Name, 64 characters)',
};

/** Network Firewall names: provider networkfirewall validators (StringLenBetween(1, 128), ^[a-zA-Z0-9-]+$); API_CreateFirewall Name. */
const nfwName: NameRule = {
  attribute: 'name', minLength: 1, maxLength: 128, pattern: /^[a-zA-Z0-9-]+$/, patternText: 'letters, digits and hyphens',
  source: 'provider networkfirewall (^[a-zA-Z0-9-]+$, 1..128); docs.aws.amazon.com/network-firewall/latest/APIReference/API_CreateFirewall.html',
};

export const AWS_NAMING_TABLE: NamingTable = {
  aws_autoscaling_group: [
    {
      attribute: 'name', minLength: 1, maxLength: 255, pattern: PRINTABLE, patternText: 'printable characters',
      source: 'provider autoscaling/group.go name StringLenBetween(0, 255); API CreateAutoScalingGroup (1..255)',
    },
    {
      attribute: 'initial_lifecycle_hook.name', minLength: 1, maxLength: 255, pattern: /^[A-Za-z0-9\-_/]+$/, patternText: 'letters, digits and -_/',
      source: 'provider autoscaling/group.go initial_lifecycle_hook.name (1..255, [A-Za-z0-9\\-_\\/]+)',
    },
  ],
  aws_launch_template: [{
    attribute: 'name', minLength: 3, maxLength: 128, pattern: /^[a-zA-Z0-9().\-/_]+$/, patternText: 'letters, digits and ().-/_',
    source: 'provider verify.ValidLaunchTemplateName (3..128, [a-zA-Z0-9\\(\\)\\.\\-/_]+); API CreateLaunchTemplate',
  }],
  aws_cloudtrail: [{
    attribute: 'name', minLength: 3, maxLength: 128, pattern: /^(?!.*[._-]{2})(?!\d+\.\d+\.\d+\.\d+$)[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/,
    patternText: 'letters, digits and ._-; starts and ends with a letter or digit; no two of ._- adjacent; not an IP address', noConsecutiveHyphens: true,
    source: 'docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html (3..128, no adjacent periods, underscores or dashes, not in IP address format)',
  }],
  aws_cloudwatch_dashboard: [{
    attribute: 'dashboard_name', minLength: 1, maxLength: 255, pattern: /^[-_A-Za-z0-9]+$/, patternText: 'letters, digits, - and _',
    source: 'docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html (DashboardName)',
  }],
  aws_cloudwatch_event_rule: [{
    attribute: 'name', minLength: 1, maxLength: 64, pattern: /^[.\-_A-Za-z0-9]+$/, patternText: 'letters, digits and .-_',
    source: 'provider events validateRuleName (1..64, [\\.\\-_A-Za-z0-9]+); API PutRule',
  }],
  aws_cloudwatch_event_target: [{
    attribute: 'target_id', minLength: 1, maxLength: 64, pattern: /^[.\-_A-Za-z0-9]+$/, patternText: 'letters, digits and .-_',
    source: 'provider events target_id validateTargetID (1..64); API PutTargets Id',
  }],
  aws_cloudwatch_log_group: [{
    attribute: 'name', minLength: 1, maxLength: 512, pattern: /^(?!aws\/)[.\-_/#A-Za-z0-9]+$/, patternText: 'letters, digits and .-_/#; not starting with aws/',
    source: 'provider logs validLogGroupName (1..512, [\\.\\-_/#A-Za-z0-9]+); API CreateLogGroup ("aws/" is reserved)',
  }],
  aws_cloudwatch_log_metric_filter: [{
    attribute: 'name', minLength: 1, maxLength: 512, pattern: /^[^:*]+$/, patternText: 'no : or *',
    source: 'provider logs validLogMetricFilterName (1..512, [^:*]*); API PutMetricFilter',
  }],
  aws_cloudwatch_metric_alarm: [{
    attribute: 'alarm_name', minLength: 1, maxLength: 255, pattern: PRINTABLE, patternText: 'printable characters',
    source: 'provider cloudwatch alarm_name StringLenBetween(1, 255); API PutMetricAlarm',
  }],
  aws_iam_role: [iam(64)],
  aws_iam_policy: [iam(128)],
  aws_iam_role_policy: [iam(128)],
  aws_iam_instance_profile: [iam(128)],
  aws_iam_role_policy_attachment: [],
  aws_iam_service_linked_role: [{
    attribute: 'custom_suffix', minLength: 1, maxLength: 35, pattern: /^[A-Za-z0-9+=,.@-]+$/, patternText: 'letters, digits and +=,.@- (no _)',
    source: 'IAM API CreateServiceLinkedRole CustomSuffix; role name AWSServiceRoleForAutoScaling_<suffix> at most 64 (IAM quotas); ' +
      'provider iam DecodeServiceLinkedRoleID splits the name at "_"',
  }],
  aws_kms_alias: [{
    attribute: 'name', minLength: 7, maxLength: 256, pattern: /^alias\/(?!aws\/)[a-zA-Z0-9/_-]+$/, patternText: 'alias/ then letters, digits and /_-; not alias/aws/',
    source: 'provider kms validNameForResource (^(alias\\/)[a-zA-Z0-9/_-]+$, not alias/aws/); API CreateAlias (256)',
  }],
  aws_kms_key: [],
  aws_networkfirewall_firewall: [nfwName],
  aws_networkfirewall_firewall_policy: [nfwName],
  aws_networkfirewall_rule_group: [nfwName],
  aws_networkfirewall_logging_configuration: [],
  aws_route53_resolver_firewall_domain_list: [resolverName],
  aws_route53_resolver_firewall_rule: [resolverName],
  aws_route53_resolver_firewall_rule_group: [resolverName],
  aws_route53_resolver_firewall_rule_group_association: [resolverName],
  aws_route53_resolver_firewall_config: [],
  aws_s3_bucket: [{
    attribute: 'bucket_prefix', prefix: true, minLength: 1, maxLength: 37, pattern: /^(?!xn--|sthree-|amzn-s3-demo-)[a-z0-9][a-z0-9.-]*$/,
    patternText: 'lowercase letters, digits, . and -; starts with a letter or digit; not xn--, sthree-, amzn-s3-demo-',
    source: 'provider s3 bucket_prefix (63 - 26 unique-suffix characters = 37); docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html',
  }],
  aws_s3_bucket_lifecycle_configuration: [],
  aws_s3_bucket_logging: [],
  aws_s3_bucket_object_lock_configuration: [],
  aws_s3_bucket_ownership_controls: [],
  aws_s3_bucket_policy: [],
  aws_s3_bucket_public_access_block: [],
  aws_s3_bucket_server_side_encryption_configuration: [],
  aws_s3_bucket_versioning: [],
  aws_security_group: [
    {
      ...sgText('name', 1),
      pattern: /^(?!sg-)[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]+$/,
      patternText: 'a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*; not starting with sg-',
    },
    sgText('description', 0),
    sgText('ingress.description', 0),
    sgText('egress.description', 0),
  ],
  aws_default_security_group: [],
  aws_sns_topic: [{
    attribute: 'name', minLength: 1, maxLength: 256, pattern: /^[A-Za-z0-9_-]+$/, patternText: 'letters, digits, _ and -',
    source: 'provider sns validTopicName (1..256, ^[0-9A-Za-z_-]+$ for standard topics); API CreateTopic',
  }],
  aws_sns_topic_policy: [],
  aws_sns_topic_subscription: [],
  aws_ssm_document: [{
    attribute: 'name', minLength: 3, maxLength: 128, pattern: /^(?![aA][wW][sS]|[aA][mM][aA][zZ][oO][nN]|[aA][mM][zZ][nN])[a-zA-Z0-9_.-]+$/,
    patternText: 'letters, digits and _.-; not starting with aws or amazon (any case)',
    source: 'docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html (Name: 3..128, [a-zA-Z0-9_\\-.]; reserved prefixes aws, amazon, amzn)',
  }],
  aws_eks_cluster: [{
    attribute: 'name', minLength: 1, maxLength: 100, pattern: /^[0-9A-Za-z][0-9A-Za-z_-]*$/, patternText: 'letters, digits, _ and -, starting with a letter or digit',
    source: 'provider eks validClusterName (1..100, ^[0-9A-Za-z][0-9A-Za-z_-]*$); docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html',
  }],
  aws_eks_node_group: [{
    attribute: 'node_group_name', minLength: 1, maxLength: 63, pattern: /^[0-9A-Za-z][0-9A-Za-z_-]*$/, patternText: 'letters, digits, _ and -, starting with a letter or digit',
    source: 'docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html (nodegroupName: 1..63, [0-9A-Za-z][A-Za-z0-9-_]*)',
  }],
  aws_eks_addon: [],
  aws_eks_access_entry: [],
  aws_eks_access_policy_association: [],
  aws_vpc: [],
  aws_subnet: [],
  aws_route_table: [],
  aws_route_table_association: [],
  aws_route: [],
  aws_internet_gateway: [],
  aws_nat_gateway: [],
  aws_eip: [],
  aws_flow_log: [],
  aws_vpc_endpoint: [],
  time_sleep: [],
};
