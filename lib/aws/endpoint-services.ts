/**
 * Interface endpoints a node needs when it has no internet egress: SSM Session Manager
 * (ssm, ssmmessages, ec2messages), CloudWatch Logs and metrics, KMS, STS, ECR (api, dkr), and
 * Auto Scaling (the bootstrap marks a node without /dev/kvm unhealthy).
 * Source: docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html,
 * docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html.
 */
export const PRIVATE_ENDPOINT_SERVICES = ['ssm', 'ssmmessages', 'ec2messages', 'logs', 'monitoring', 'kms', 'sts', 'ecr.api', 'ecr.dkr', 'autoscaling'];
