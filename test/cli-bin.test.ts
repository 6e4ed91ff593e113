import { spawnSync } from 'child_process';
import { readFileSync, statSync } from 'fs';
import { join } from 'path';

/**
 * The real bin (bin/cdktf-sandbox-byoc.js) in a child process. In a checkout it runs the TypeScript
 * sources through register.js; in the package, dist/lib/cli (scripts/smoke-consumer.sh runs that
 * one from the packed tarball).
 */
const root = join(__dirname, '..');
const bin = join(root, 'bin', 'cdktf-sandbox-byoc.js');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function runBin(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bin/cdktf-sandbox-byoc.js', () => {
  it('is the package\'s bin, shipped, executable, with a node shebang', () => {
    expect(pkg.bin).toEqual({ 'cdktf-sandbox-byoc': 'bin/cdktf-sandbox-byoc.js' });
    expect(pkg.files).toContain('bin');
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(bin).mode & 0o111).not.toBe(0);
  });

  it('validate --format json on the reference specs and a bad one: the document on stdout, exit 1', () => {
    const r = runBin(['validate', '--format', 'json', 'stacks/specs/aws-managed-baseline.json', 'test/fixtures/bad-spec.json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.summary).toMatchObject({ files: 2, valid: 1, invalid: 1, errors: 3 });
    expect(r.stderr).toBe('');
  });

  it('explain prints the plan and exits 0; an unknown command exits 2 with the fix on stderr', () => {
    const ok = runBin(['explain', 'stacks/specs/gcp-byoc-soc2.json']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Estimated cost (USD');
    const bad = runBin(['synthesize', 'x.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown command "synthesize"\n {2}fix: the commands are validate, explain, synth, preflight/);
    expect(bad.stdout).toBe('');
  });

  it('validate and explain load neither cdktf nor a provider package (they work without them)', () => {
    const script = `
      require(${JSON.stringify(join(root, 'register.js'))});
      const { main } = require(${JSON.stringify(join(root, 'lib', 'cli', 'index.ts'))});
      const io = { stdout: () => {}, stderr: (t) => process.stderr.write(t), cwd: ${JSON.stringify(root)} };
      (async () => {
        const a = await main(['validate', 'stacks/specs/aws-byoc-hipaa.json'], io);
        const b = await main(['explain', 'stacks/specs/azure-byoc-hipaa.json'], io);
        const loaded = Object.keys(require.cache).filter((k) => /node_modules[\\\\/](cdktf|constructs|@cdktf)[\\\\/]/.test(k));
        process.stdout.write(JSON.stringify({ a, b, loaded }));
      })();`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ a: 0, b: 0, loaded: [] });
  });
});
