"""cdktf-sandbox-byoc from Python (issue 13), run by scripts/test-python.sh against the built wheel.

Each test synthesizes into its own directory and asserts on the Terraform JSON and the compliance
report: the README's example as a program, the three clouds from Python objects and from the
shipped JSON spec files, spec errors as exceptions naming paths and fixes, and a compliance
violation failing app.synth().
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupIngress
from cdktf_cdktf_provider_azurerm.provider import AzurermProvider, AzurermProviderFeatures
from cdktf_cdktf_provider_google.provider import GoogleProvider

from cdktf_sandbox_byoc import (
    AwsSandboxPlatform, AzureSandboxPlatform, CloudProvider, ComplianceProfile, ControlPlaneSpec,
    DeploymentModel, GcpSandboxPlatform, GpuModel, GpuPoolSpec, NetworkSpec, SandboxPlatformSpec,
    SandboxPoolSpec, SandboxRuntime, Specs, StateBackend, Virtualization,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SPECS = ROOT / "stacks" / "specs"


def stack_json(outdir: Path, stack: str) -> dict:
    return json.loads((outdir / "stacks" / stack / "cdk.tf.json").read_text())


def report(outdir: Path, stack: str) -> dict:
    return json.loads((outdir / "stacks" / stack / "compliance-report.json").read_text())


def resources(tf: dict, rtype: str) -> dict:
    return tf["resource"].get(rtype, {})


def one(tf: dict, rtype: str, name_part: str) -> dict:
    found = [v for k, v in resources(tf, rtype).items() if name_part in k]
    assert len(found) == 1, f"{rtype} *{name_part}*: {list(resources(tf, rtype))}"
    return found[0]


def assert_aws_platform(tf: dict, external_id: str) -> None:
    templates = resources(tf, "aws_launch_template")
    assert templates, "no launch templates"
    for name, lt in templates.items():
        meta = lt["metadata_options"]
        assert meta["http_tokens"] == "required", name
        assert meta["http_put_response_hop_limit"] == 1, name
    role = one(tf, "aws_iam_role", "control-plane")
    trust = json.loads(role["assume_role_policy"])["Statement"][0]
    assert trust["Condition"] == {"StringEquals": {"sts:ExternalId": external_id}}
    assert trust["Action"] == "sts:AssumeRole"


def test_readme_example_runs_as_a_program(tmp_path: Path) -> None:
    env = {**os.environ, "CDKTF_OUTDIR": str(tmp_path)}
    subprocess.run([sys.executable, str(HERE / "readme_app.py")], cwd=tmp_path, env=env, check=True, timeout=600)
    tf = stack_json(tmp_path, "sandboxes")
    assert_aws_platform(tf, "acme-7f3c9d2e")
    assert any("fc" in k for k in resources(tf, "aws_autoscaling_group"))
    assert any("l4" in k for k in resources(tf, "aws_autoscaling_group"))
    assert "fc_asg" in tf["output"]
    rep = report(tmp_path, "sandboxes")
    assert rep["compliant"] is True
    assert rep["profile"] == "soc2"
    assert "**PASS**" in (tmp_path / "stacks" / "sandboxes" / "compliance-report.md").read_text()


def test_three_clouds_from_python_objects(tmp_path: Path) -> None:
    app = App(outdir=str(tmp_path))
    aws = TerraformStack(app, "aws")
    AwsProvider(aws, "aws", region="us-east-1")
    AwsSandboxPlatform(aws, "platform", spec=SandboxPlatformSpec(
        name="py-aws", deployment=DeploymentModel.BYOC, compliance=ComplianceProfile.HIPAA,
        sandbox_pools=[SandboxPoolSpec(name="metal", runtime=SandboxRuntime.FIRECRACKER, instance_type="c6i.metal",
                                       min_nodes=1, max_nodes=3)],
        control_plane=ControlPlaneSpec(principal="111122223333", external_id="py-ext-12345678"),
    ))
    gcp = TerraformStack(app, "gcp")
    GoogleProvider(gcp, "google", project="acme-sandbox-prod", region="us-central1")
    GcpSandboxPlatform(gcp, "platform", project="acme-sandbox-prod", region="us-central1", spec=SandboxPlatformSpec(
        name="py-gcp", deployment=DeploymentModel.BYOC, compliance=ComplianceProfile.SOC2,
        network=NetworkSpec(availability_zones=["us-central1-a", "us-central1-b", "us-central1-c"]),
        sandbox_pools=[SandboxPoolSpec(name="kvm", runtime=SandboxRuntime.FIRECRACKER, virtualization=Virtualization.NESTED,
                                       instance_type="n2-standard-16", min_nodes=1, max_nodes=8)],
        control_plane=ControlPlaneSpec(principal="sandbox-control-plane@vendor-prod.iam.gserviceaccount.com"),
    ))
    azure = TerraformStack(app, "azure")
    AzurermProvider(azure, "azurerm", features=[AzurermProviderFeatures()], storage_use_azuread=True)
    az_platform = AzureSandboxPlatform(azure, "platform", location="eastus", deployer_ip_ranges=["203.0.113.7/32"], spec=SandboxPlatformSpec(
        name="py-azure", deployment=DeploymentModel.MANAGED, compliance=ComplianceProfile.BASELINE,
        sandbox_pools=[SandboxPoolSpec(name="fc", runtime=SandboxRuntime.FIRECRACKER, instance_type="Standard_D16s_v5",
                                       min_nodes=1, max_nodes=6)],
        gpu_pools=[GpuPoolSpec(name="t4", gpu=GpuModel.T4, max_nodes=2)],
    ))
    app.synth()

    tf = stack_json(tmp_path, "aws")
    assert_aws_platform(tf, "py-ext-12345678")
    gcp_tf = stack_json(tmp_path, "gcp")
    template = next(iter(resources(gcp_tf, "google_compute_instance_template").values()))
    assert template["advanced_machine_features"]["enable_nested_virtualization"] is True
    assert resources(gcp_tf, "google_service_account_iam_member"), "no vendor impersonation grant"
    az_tf = stack_json(tmp_path, "azure")
    scale_sets = resources(az_tf, "azurerm_orchestrated_virtual_machine_scale_set")
    t4 = [v for k, v in scale_sets.items() if "t4" in k]
    assert t4 and any("fc" in k for k in scale_sets)
    assert all(any(e["type"] == "NvidiaGpuDriverLinux" for e in v["extension"]) for v in t4)
    assert az_platform.control_plane is None  # managed: no vendor principal
    for stack, profile in (("aws", "hipaa"), ("gcp", "soc2"), ("azure", "baseline")):
        rep = report(tmp_path, stack)
        assert (rep["profile"], rep["compliant"]) == (profile, True), stack


@pytest.mark.parametrize("cloud", ["aws", "gcp", "azure"])
def test_shipped_spec_files(tmp_path: Path, cloud: str) -> None:
    path = next(SPECS.glob(f"{cloud}-*.json"))
    raw = json.loads(path.read_text())
    file = Specs.load_file(str(path))
    assert file.target.cloud == CloudProvider[cloud.upper()]
    assert file.target.region == raw["target"]["region"]
    spec = Specs.load(str(path))
    assert spec.name == file.spec.name
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "ref")
    StateBackend.apply(stack, file.backend)
    if cloud == "aws":
        AwsProvider(stack, "aws", region=file.target.region)
        AwsSandboxPlatform(stack, "platform", spec=spec, region=file.target.region)
    elif cloud == "gcp":
        GoogleProvider(stack, "google", project=file.target.project, region=file.target.region)
        GcpSandboxPlatform(stack, "platform", spec=spec, project=file.target.project, region=file.target.region)
    else:
        AzurermProvider(stack, "azurerm", features=[AzurermProviderFeatures()], storage_use_azuread=True)
        # Warm nodes: the Standby Pool resource provider's object id in the tenant (a placeholder here).
        AzureSandboxPlatform(stack, "platform", spec=spec, location=file.target.region, deployer_ip_ranges=["203.0.113.7/32"],
                             standby_pool_principal_id="0b5c7e4a-1d2f-4a3b-9c8d-7e6f5a4b3c2d")
    app.synth()
    tf = stack_json(tmp_path, "ref")
    backend = raw.get("backend", {"type": "local"})
    assert list(tf["terraform"]["backend"]) == [backend["type"]]
    if "bucket" in backend:
        assert tf["terraform"]["backend"][backend["type"]]["bucket"] == backend["bucket"]
    if cloud == "aws":
        assert_aws_platform(tf, spec.control_plane.external_id)
    rep = report(tmp_path, "ref")
    assert (rep["profile"], rep["compliant"]) == (raw["spec"]["compliance"], True)


def test_spec_errors_name_every_path_and_fix() -> None:
    spec = SandboxPlatformSpec(
        name="Bad_Name", deployment=DeploymentModel.BYOC, compliance=ComplianceProfile.SOC2,
        gpu_pools=[GpuPoolSpec(name="gpu", gpu=GpuModel.H100, runtime=SandboxRuntime.FIRECRACKER)],
        control_plane=ControlPlaneSpec(principal="111122223333"),
    )
    stack = TerraformStack(App(), "bad")
    with pytest.raises(Exception) as raised:
        AwsSandboxPlatform(stack, "platform", spec=spec)
    message = str(raised.value)
    for expected in ("Invalid sandbox platform spec", "name:", "gpuPools[0].runtime", "controlPlane.externalId", "fix:"):
        assert expected in message, message
    issues = Specs.validate(spec, CloudProvider.AWS)
    assert {i.path for i in issues} >= {"name", "gpuPools[0].runtime", "controlPlane.externalId"}
    assert all(i.hint for i in issues)


def test_spec_file_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"target": {"cloud": "aws", "region": "us-east-1"},
                               "spec": {"name": "x", "deployment": "byoc", "compliance": "pci"}}))
    with pytest.raises(Exception) as raised:
        Specs.load_file(str(bad))
    message = str(raised.value)
    for expected in (str(bad), "spec.name", "spec.compliance", "fix:"):
        assert expected in message, message


def test_compliance_violation_fails_synth(tmp_path: Path) -> None:
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "open-ssh")
    AwsProvider(stack, "aws", region="us-east-1")
    platform = AwsSandboxPlatform(stack, "platform", spec=SandboxPlatformSpec(
        name="py-open", deployment=DeploymentModel.MANAGED, compliance=ComplianceProfile.BASELINE,
        sandbox_pools=[SandboxPoolSpec(name="fc", instance_type="c6i.metal")],
    ))
    SecurityGroup(stack, "bastion", vpc_id=platform.vpc_id, ingress=[SecurityGroupIngress(
        from_port=22, to_port=22, protocol="tcp", cidr_blocks=["0.0.0.0/0"])])
    with pytest.raises(Exception) as raised:
        app.synth()
    message = str(raised.value)
    assert "AWS-SG-" in message and "bastion" in message, message
    rep = report(tmp_path, "open-ssh")
    assert rep["compliant"] is False
