/**
 * Interface endpoints a node needs when it has no internet egress: SSM Session Manager
 * (ssm, ssmmessages, ec2messages), CloudWatch Logs and metrics, KMS, STS, ECR (api, dkr), and
 * Auto Scaling (the bootstrap marks a node without /dev/kvm unhealthy).
 * Source: docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html,
 * docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html.
 */
export const PRIVATE_ENDPOINT_SERVICES = ['ssm', 'ssmmessages', 'ec2messages', 'logs', 'monitoring', 'kms', 'sts', 'ecr.api', 'ecr.dkr', 'autoscaling'];

/**
 * Kubernetes mode adds the endpoints EKS nodes call without internet egress: EC2 (the VPC CNI
 * attaches ENIs and assigns addresses), EKS (the cluster API lookups of node tooling) and EKS Auth
 * (the Pod Identity agent's AssumeRoleForPodIdentity).
 * Source: docs.aws.amazon.com/eks/latest/userguide/private-clusters.html ("VPC endpoints for private clusters"),
 * docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html (eks-auth).
 */
export const EKS_ENDPOINT_SERVICES = ['ec2', 'eks', 'eks-auth'];
