# The README's Python example, verbatim between the markers (test/python-readme.test.ts checks it;
# scripts/test-python.sh runs it and asserts on what it synthesizes).
# --- readme ---
from cdktf import App, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_sandbox_byoc import (
    AwsSandboxPlatform, CapacitySpec, ComplianceProfile, ControlPlaneSpec, DeploymentModel,
    GpuModel, GpuPoolSpec, SandboxPlatformSpec, SandboxPoolSpec, SandboxRuntime,
)

app = App()
stack = TerraformStack(app, "sandboxes")
AwsProvider(stack, "aws", region="us-east-1")  # the stack owns providers, never the construct
platform = AwsSandboxPlatform(
    stack, "platform",
    region="us-east-1",  # optional: region-specific warnings (GPU availability)
    spec=SandboxPlatformSpec(
        name="acme-sbx",
        deployment=DeploymentModel.BYOC,
        compliance=ComplianceProfile.SOC2,
        sandbox_pools=[SandboxPoolSpec(
            name="fc", runtime=SandboxRuntime.FIRECRACKER,
            capacity=CapacitySpec(concurrent_sandboxes=1000, vcpus_per_sandbox=2,
                                  memory_mib_per_sandbox=2048, cpu_overcommit=4),
        )],
        gpu_pools=[GpuPoolSpec(name="l4", gpu=GpuModel.L4, max_nodes=4)],
        control_plane=ControlPlaneSpec(
            principal="arn:aws:iam::111122223333:role/sandbox-control-plane",
            external_id="acme-7f3c9d2e",
        ),
    ),
)
# Every part is exposed (network, key, pools, artifact_store, observability, control_plane, audit_trail):
TerraformOutput(stack, "fc_asg", value=platform.pools["fc"].auto_scaling_group.name)
app.synth()
