import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/**
 * The README's per-cloud examples are examples/quickstart-<cloud>.ts (below the "--- readme ---"
 * marker), copied verbatim into the README. Here each must appear in the README unchanged and
 * synthesize (with its compliance gate, as `cdktf synth` runs it); scripts/smoke-consumer.sh
 * compiles and synthesizes the same text in fresh projects against the packed tarball.
 */
const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

function quickstart(cloud: string): string {
  const text = readFileSync(join(root, 'examples', cloud.includes('-') ? `${cloud}.ts` : `quickstart-${cloud}.ts`), 'utf8');
  const marker = '// --- readme ---\n';
  expect(text).toContain(marker);
  return text.slice(text.indexOf(marker) + marker.length);
}

/** The fenced block (```ts, ```json) that follows `<!-- quickstart:<name> -->` in the README. */
export function readmeBlock(markdown: string, name: string): string | undefined {
  const m = new RegExp(`<!-- quickstart:${name} -->\\s*\`\`\`(?:ts|json)\\n([\\s\\S]*?)\`\`\``).exec(markdown);
  return m?.[1];
}

function synth(cloud: string): { stack: Record<string, Record<string, Record<string, unknown>>>; report: string } {
  const outdir = mkdtempSync(join(tmpdir(), `quickstart-${cloud}-`));
  const before = process.env.CDKTF_OUTDIR;
  process.env.CDKTF_OUTDIR = outdir;
  try {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- runs the example program
      require(`../examples/quickstart-${cloud}`);
    });
    const dir = join(outdir, 'stacks', 'sandboxes');
    expect(existsSync(join(dir, 'compliance-report.md'))).toBe(true);
    return { stack: JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')), report: readFileSync(join(dir, 'compliance-report.md'), 'utf8') };
  } finally {
    if (before === undefined) delete process.env.CDKTF_OUTDIR;
    else process.env.CDKTF_OUTDIR = before;
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe.each(['aws', 'gcp', 'azure'])('README quickstart (%s)', (cloud) => {
  it('is in the README verbatim, importing the package by name', () => {
    const code = quickstart(cloud);
    expect(readmeBlock(readme, cloud)).toBe(code);
    expect(code).toMatch(/from 'cdktf-sandbox-byoc'/);
    expect(code).not.toMatch(/from '\.\.?\//);
  });

  it('synthesizes and passes its compliance profile', () => {
    const { stack, report } = synth(cloud);
    const expected = { aws: 'aws_autoscaling_group', gcp: 'google_compute_region_instance_group_manager', azure: 'azurerm_orchestrated_virtual_machine_scale_set' }[cloud]!;
    expect(Object.keys(stack.resource)).toContain(expected);
    expect(report).toMatch(/\| Result \| \*\*PASS\*\*/);
  });
});

describe('README suppression example (examples/suppress-bastion.ts)', () => {
  const text = readFileSync(join(root, 'examples', 'suppress-bastion.ts'), 'utf8');
  const part = text.slice(text.indexOf('// --- readme ---\n') + '// --- readme ---\n'.length, text.indexOf('// --- end ---'));

  it('is in the README verbatim', () => {
    expect(part).toContain('SandboxCompliance.suppress(bastion, RuleId.AWS_SG_ADMIN, reason)');
    expect(readmeBlock(readme, 'suppress')).toBe(part);
  });

  it('passes synth as written, and the report shows both suppressions with the reason', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'suppress-'));
    const before = process.env.CDKTF_OUTDIR;
    process.env.CDKTF_OUTDIR = outdir;
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- runs the example program
        require('../examples/suppress-bastion');
      });
      const report = JSON.parse(readFileSync(join(outdir, 'stacks', 'bastion-example', 'compliance-report.json'), 'utf8'));
      expect(report.compliant).toBe(true);
      expect(report.suppressions.map((x: { ruleId: string; covered: number }) => [x.ruleId, x.covered])).toEqual([['AWS-SG-ADMIN', 1], ['AWS-SG-OPEN', 1]]);
      const md = readFileSync(join(outdir, 'stacks', 'bastion-example', 'compliance-report.md'), 'utf8');
      expect(md).toContain('| CIS AWS Foundations 5.3 | AWS-SG-ADMIN suppressed | suppressed (AWS-SG-ADMIN on bastion-example/bastion: break-glass bastion, closed by SCP outside change windows) |');
    } finally {
      if (before === undefined) delete process.env.CDKTF_OUTDIR;
      else process.env.CDKTF_OUTDIR = before;
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('README spec-file example (examples/spec-file-app.ts and the specs/prod.json above it)', () => {
  it('the JSON validates against the shipped schema and loads; the app is in the README verbatim and synthesizes with its S3 backend', () => {
    const json = readmeBlock(readme, 'specfile-json')!;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- ajv's CommonJS default export
    const Ajv = require('ajv').default;
    const validate = new Ajv({ strict: true }).compile(JSON.parse(readFileSync(join(root, 'schema', 'spec-file.schema.json'), 'utf8')));
    expect([validate(JSON.parse(json)), validate.errors]).toEqual([true, null]);
    expect(readmeBlock(readme, 'specfile')).toBe(quickstart('spec-file-app'));

    const cwd = process.cwd();
    const handlers = process.listeners('uncaughtException');
    const dir = mkdtempSync(join(tmpdir(), 'specfile-'));
    const before = process.env.CDKTF_OUTDIR;
    try {
      mkdirSync(join(dir, 'specs'));
      writeFileSync(join(dir, 'specs', 'prod.json'), json);
      process.chdir(dir);
      process.env.CDKTF_OUTDIR = join(dir, 'out');
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- runs the example program
        require('../examples/spec-file-app');
      });
      const tf = JSON.parse(readFileSync(join(dir, 'out', 'stacks', 'prod', 'cdk.tf.json'), 'utf8'));
      expect(tf.terraform.backend).toEqual({ s3: { bucket: 'acme-tf-state', key: 'sandboxes/terraform.tfstate', region: 'us-east-1', encrypt: true, use_lockfile: true } });
    } finally {
      // The example calls exitOnSpecError(): take its process handler out of the test worker again.
      for (const h of process.listeners('uncaughtException')) if (!handlers.includes(h)) process.removeListener('uncaughtException', h);
      process.chdir(cwd);
      if (before === undefined) delete process.env.CDKTF_OUTDIR;
      else process.env.CDKTF_OUTDIR = before;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
