import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CheckStatus, CliProblem, PreflightCheck, preflightExitCode, runCli } from '../lib/cli/preflight';
import { awsFamilyPrefix, awsVcpuQuota } from '../lib/cli/preflight/aws-quotas';
import { classifyCliError, shorten } from '../lib/cli/preflight/cli-runner';
import { planZones, poolDemands } from '../lib/cli/preflight/demand';
import { gcpCpuMetrics, gcpGpuMetrics, gcpPreemptibleMetric } from '../lib/cli/preflight/gcp-quotas';
import { gcpPickMetric } from '../lib/cli/preflight/gcp';
import { loadSpecFile } from '../lib/spec/spec-file';
import { GpuModel } from '../lib/spec/types';
import { FIXTURE, REFERENCE } from './fixtures/preflight/harness';

describe('preflight: CLI runner', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'preflight-runner-'));
    const script = (name: string, body: string): void => {
      writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(dir, name), 0o755);
    };
    script('ok', 'echo \'{"a": 1}\'');
    script('text', 'echo not json');
    script('empty', 'true');
    script('denied', 'echo "An error occurred (AccessDenied) when calling the GetRole operation: User is not authorized" >&2; exit 254');
    script('hang', `exec ${existsSync('/bin/sleep') ? '/bin/sleep' : '/usr/bin/sleep'} 5`);
    script('args', 'printf \'["%s","%s"]\' "$1" "$2"');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const opts = (timeoutMs = 5000): { env: NodeJS.ProcessEnv; timeoutMs: number } => ({ env: { PATH: dir }, timeoutMs });

  it('parses JSON, and classifies no output, bad output, a missing executable and a hang', () => {
    expect(runCli('ok', [], opts()).json).toEqual({ a: 1 });
    expect(runCli('empty', [], opts())).toEqual({ command: 'empty', json: null, message: '' });
    expect(runCli('text', [], opts()).problem).toBe(CliProblem.BAD_OUTPUT);
    expect(runCli('nope', [], opts())).toEqual(expect.objectContaining({ problem: CliProblem.MISSING_CLI, message: 'nope was not found on PATH' }));
    const started = Date.now();
    expect(runCli('hang', [], opts(300)).problem).toBe(CliProblem.TIMEOUT);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('passes arguments as given, never through a shell', () => {
    expect(runCli('args', ['$(touch x); echo', 'a b|c'], opts()).json).toEqual(['$(touch x); echo', 'a b|c']);
  });

  it('knows each CLI\'s credential, permission, disabled-API and not-found errors', () => {
    expect(classifyCliError('aws', 'Unable to locate credentials. You can configure credentials by running "aws configure".')).toBe(CliProblem.NO_CREDENTIALS);
    expect(classifyCliError('aws', 'An error occurred (ExpiredTokenException) when calling the GetServiceQuota operation')).toBe(CliProblem.NO_CREDENTIALS);
    expect(classifyCliError('aws', 'Error when retrieving token from sso: Token has expired and refresh failed')).toBe(CliProblem.NO_CREDENTIALS);
    expect(classifyCliError('aws', 'An error occurred (AccessDeniedException) when calling the GetServiceQuota operation')).toBe(CliProblem.ACCESS_DENIED);
    expect(classifyCliError('aws', 'An error occurred (NoSuchEntity) when calling the GetRole operation')).toBe(CliProblem.NOT_FOUND);
    expect(classifyCliError('gcloud', 'ERROR: (gcloud.compute.regions.describe) PERMISSION_DENIED: Compute Engine API has not been used in project x before or it is disabled.')).toBe(CliProblem.API_DISABLED);
    expect(classifyCliError('gcloud', "ERROR: (gcloud.compute.regions.describe) Could not fetch resource:\n - Required 'compute.regions.get' permission for 'projects/x'")).toBe(CliProblem.ACCESS_DENIED);
    expect(classifyCliError('gcloud', 'ERROR: (gcloud.projects.describe) You do not currently have an active account selected.')).toBe(CliProblem.NO_CREDENTIALS);
    expect(classifyCliError('az', "ERROR: Please run 'az login' to setup account.")).toBe(CliProblem.NO_CREDENTIALS);
    expect(classifyCliError('az', 'ERROR: (AuthorizationFailed) The client does not have authorization to perform action')).toBe(CliProblem.ACCESS_DENIED);
    expect(classifyCliError('az', 'ERROR: (FeatureNotFound) The feature could not be found.')).toBe(CliProblem.NOT_FOUND);
    expect(classifyCliError('az', 'ERROR: something else')).toBe(CliProblem.FAILED);
    expect(runCli('denied', [], { env: { PATH: dir }, timeoutMs: 5000 }).problem).toBe(CliProblem.FAILED); // patterns are per CLI name
  });

  it('keeps error messages short and drops warnings', () => {
    expect(shorten('WARNING: x\nERROR: real problem\n\n')).toBe('ERROR: real problem');
    expect(shorten('y'.repeat(400))).toHaveLength(300);
  });
});

describe('preflight: quota facts', () => {
  it('maps AWS instance families to their vCPU quota codes, on-demand and spot', () => {
    expect(awsFamilyPrefix('c7i.metal-24xl')).toBe('c');
    expect(awsFamilyPrefix('inf2.xlarge')).toBe('inf');
    expect(awsVcpuQuota('m8i.4xlarge', false)?.code).toBe('L-1216C47A');
    expect(awsVcpuQuota('m8i.4xlarge', true)?.code).toBe('L-34B43A08');
    expect(awsVcpuQuota('g6.xlarge', false)?.code).toBe('L-DB2E81BA');
    expect(awsVcpuQuota('vt1.3xlarge', true)?.code).toBe('L-3819A6DF');
    expect(awsVcpuQuota('p5.48xlarge', false)?.name).toBe('Running On-Demand P instances');
    expect(awsVcpuQuota('p5en.48xlarge', true)?.code).toBe('L-7212CCBC');
    expect(awsVcpuQuota('x2iedn.xlarge', false)?.code).toBe('L-7295265B');
    expect(awsVcpuQuota('mac2.metal', false)).toBeUndefined();
    expect(awsVcpuQuota('u-6tb1.metal', false)).toBeUndefined();
  });

  it('names GCP CPU and GPU metrics per series, with the gpu_family spelling and Spot counterparts', () => {
    expect(gcpCpuMetrics('n2-standard-16')).toEqual(['N2_CPUS', 'CPUS']);
    expect(gcpCpuMetrics('n1-standard-8')).toEqual(['CPUS']);
    expect(gcpCpuMetrics('e2-standard-4')).toEqual(['CPUS']);
    expect(gcpGpuMetrics(GpuModel.H100, 'a3-highgpu-8g')).toEqual(['NVIDIA_H100_GPUS', 'GPU_FAMILY:NVIDIA_H100']);
    expect(gcpGpuMetrics(GpuModel.H100, 'a3-megagpu-8g')).toEqual(['NVIDIA_H100_MEGA_GPUS', 'GPU_FAMILY:NVIDIA_H100_MEGA']);
    expect(gcpGpuMetrics(GpuModel.A100_80GB, 'a2-ultragpu-1g')[0]).toBe('NVIDIA_A100_80GB_GPUS');
    expect(gcpGpuMetrics(GpuModel.A10G, 'x')).toEqual([]);
    expect(gcpPreemptibleMetric('N2_CPUS')).toBe('PREEMPTIBLE_CPUS');
    expect(gcpPreemptibleMetric('NVIDIA_L4_GPUS')).toBe('PREEMPTIBLE_NVIDIA_L4_GPUS');
    expect(gcpPreemptibleMetric('GPU_FAMILY:NVIDIA_H100')).toBe('PREEMPTIBLE_NVIDIA_H100_GPUS');
  });

  it('picks the listed metric, and the Spot one only when it has quota', () => {
    const q = (metric: string, limit: number): [string, { metric: string; limit: number; usage: number }] => [metric, { metric, limit, usage: 0 }];
    const listed = new Map([q('CPUS', 24), q('GPU_FAMILY:NVIDIA_H100', 8), q('PREEMPTIBLE_NVIDIA_H100_GPUS', 16), q('PREEMPTIBLE_CPUS', 0)]);
    expect(gcpPickMetric(listed, ['N2_CPUS', 'CPUS'], false)).toBe('CPUS');
    expect(gcpPickMetric(listed, ['N2_CPUS', 'CPUS'], true)).toBe('CPUS');
    expect(gcpPickMetric(listed, ['NVIDIA_H100_GPUS', 'GPU_FAMILY:NVIDIA_H100'], false)).toBe('GPU_FAMILY:NVIDIA_H100');
    expect(gcpPickMetric(listed, ['NVIDIA_H100_GPUS', 'GPU_FAMILY:NVIDIA_H100'], true)).toBe('PREEMPTIBLE_NVIDIA_H100_GPUS');
    expect(gcpPickMetric(listed, ['NVIDIA_L4_GPUS'], false)).toBeUndefined();
  });
});

describe('preflight: demand, zones and the report', () => {
  it('counts max plus warm nodes and derives the zones each stack uses', () => {
    const aws = loadSpecFile(REFERENCE('aws-byoc-hipaa.json'));
    const metal = poolDemands(aws.resolved).find((d) => d.pool === 'metal')!;
    expect(metal.nodes).toBe(metal.resolved.maxNodes + 1);
    expect(planZones(aws.resolved, 'us-east-1')).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    const unpinned = { ...aws.resolved, network: { ...aws.resolved.network, availabilityZones: undefined, zones: 2 } };
    expect(planZones(unpinned, 'eu-west-1')).toEqual(['eu-west-1a', 'eu-west-1b']);
    expect(planZones(loadSpecFile(FIXTURE('azure-h100.json')).resolved, 'eastus')).toEqual(['1', '2']);
  });

  it('exits 1 on any fail, 0 when checks only pass or are unknown, and prints the fix of what did not pass', () => {
    const c = (status: CheckStatus, id: string): PreflightCheck => ({ id, title: `t ${id}`, status, detail: `d ${id}`, fix: `f ${id}` });
    expect(preflightExitCode([c(CheckStatus.PASS, 'a'), c(CheckStatus.UNKNOWN, 'b')])).toBe(0);
    expect(preflightExitCode([c(CheckStatus.PASS, 'a'), c(CheckStatus.FAIL, 'b')])).toBe(1);
  });
});
