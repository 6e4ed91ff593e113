import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { COMMANDS } from '../lib/cli';
import { renderCostTable } from '../lib/cli/explain/cost-table';
import { explainDocument } from '../lib/cli/explain/model';
import { EXIT_CODES_HELP } from '../lib/cli/help';
import { loadSpecFile } from '../lib/spec';
import { runCli } from './fixtures/cli/run-cli';

/**
 * The README's "Command line" section and docs/cli.md against the command line itself. The cost
 * table of the reference specs is generated from explain's documents; regenerate it after a price
 * or reference-spec change: UPDATE_DOCS=1 npx jest test/cli-readme.test.ts
 */
const root = join(__dirname, '..');
const readmeFile = join(root, 'README.md');
const specDir = 'stacks/specs';
const refs = readdirSync(join(root, specDir)).filter((f) => f.endsWith('.json')).sort().map((f) => `${specDir}/${f}`);
const START = '<!-- cli:cost-table -->\n';
const END = '<!-- /cli:cost-table -->';

function costTable(): string {
  return renderCostTable(refs.map((f) => explainDocument(f, loadSpecFile(join(root, f)))));
}

describe('README: cost table of the reference specs', () => {
  it('is explain\'s estimate for every reference spec (UPDATE_DOCS=1 npx jest test/cli-readme.test.ts)', () => {
    let readme = readFileSync(readmeFile, 'utf8');
    const table = costTable();
    const block = (text: string) => ({ start: text.indexOf(START), end: text.indexOf(END) });
    const { start, end } = block(readme);
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    if (process.env.UPDATE_DOCS) {
      readme = readme.slice(0, start + START.length) + table + readme.slice(end);
      writeFileSync(readmeFile, readme);
    }
    const now = block(readme);
    expect(readme.slice(now.start + START.length, now.end)).toBe(table);
  });

  it('has a row per pool and a total per spec, and never prices an unknown as $0', () => {
    const table = costTable();
    for (const f of refs) {
      const loaded = loadSpecFile(join(root, f));
      const spec = f.replace(/^.*\/|\.json$/g, '');
      for (const p of loaded.resolved.pools) expect(table).toMatch(new RegExp(`\\| ${spec} \\| [a-z]+ [a-z0-9-]+ \\| ${p.name} \\| \`${p.instanceType}\` \\|`));
      expect(table).toMatch(new RegExp(`\\| ${spec} \\| [^|]+ \\| \\*\\*(platform )?total\\*\\*`));
    }
    for (const row of table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| reference'))) {
      const cells = row.split(' | ');
      // per node-hour unknown => every figure of the row unknown
      if (cells[5] === 'unknown') expect(cells.slice(6).join(' ')).not.toMatch(/\$/);
    }
  });
});

describe('README: Command line section and docs/cli.md', () => {
  const readme = readFileSync(readmeFile, 'utf8');
  const section = readme.slice(readme.indexOf('## Command line'), readme.indexOf('## Spec reference'));
  const doc = readFileSync(join(root, 'docs', 'cli.md'), 'utf8');

  it('names every command with its arguments, and the exit codes the help prints', () => {
    for (const c of COMMANDS) expect(section).toContain(`\`${c.def.name} ${c.def.args}`);
    for (const line of EXIT_CODES_HELP.slice(1)) {
      const [, code, meaning] = /^ {2}(\d) {2}(\S+(?: \S+)?)/.exec(line)!;
      expect(section).toContain(`| ${code} | ${meaning}`);
    }
    expect(section).toContain('[docs/cli.md](docs/cli.md)');
    expect(readme).toContain('[docs/preflight.md](docs/preflight.md)');
  });

  it('docs/cli.md documents every field of every --format json document', async () => {
    const fields = new Set<string>();
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          fields.add(k);
          collect(x);
        }
      }
    };
    const file = `${specDir}/azure-byoc-hipaa.json`;
    collect(JSON.parse((await runCli(['validate', '-f', 'json', file, 'test/fixtures/bad-spec.json'], { cwd: root })).stdout));
    const explain = JSON.parse((await runCli(['explain', '-f', 'json', file], { cwd: root })).stdout);
    collect({ ...explain, backend: { type: 'local' } });
    // Kubernetes mode adds the cluster section and the control-plane / system-pool lines.
    for (const k8s of [`${specDir}/aws-eks-byoc-hipaa.json`, `${specDir}/gcp-gke-byoc-soc2.json`]) {
      const doc = JSON.parse((await runCli(['explain', '-f', 'json', k8s], { cwd: root })).stdout);
      expect(doc.kubernetes).not.toBeNull();
      collect({ ...doc, backend: { type: 'local' } });
    }
    collect(JSON.parse((await runCli(['preflight', '-f', 'json', file], {
      cwd: root, runPreflight: () => [{ id: 'azure.x', title: 'x', status: 'unknown' as never, detail: 'x', fix: 'x' }],
    })).stdout));
    collect(JSON.parse((await runCli(['explain', '-f', 'json', 'test/fixtures/bad-spec.json'], { cwd: root })).stdout));
    const out = mkdtempSync(join(tmpdir(), 'cli-doc-'));
    try {
      const synth = JSON.parse((await runCli(['synth', '-f', 'json', '--out', out, `${specDir}/aws-managed-baseline.json`], { cwd: root })).stdout);
      collect({ ...synth, terraform: { ...synth.terraform, backend: null } }); // backend: cdk.tf.json's own block
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    // Named as `field`, `field[]`, or inside a backticked object such as `{ min, max }`.
    const documented = (f: string) => doc.includes(`\`${f}\``) || doc.includes(`\`${f}[]\``) || new RegExp(`\`\\{[^\`]*\\b${f}\\b[^\`]*\\}\``).test(doc);
    const missing = [...fields].filter((f) => !documented(f));
    expect(missing).toEqual([]);
  });
});
