import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';

/**
 * The published package as a consumer gets it. scripts/smoke-consumer.sh does the full check from
 * the npm registry (npm pack, npm install, ts-node); this test does the same checks offline, on a
 * build into a temporary directory and a consumer project that links only @cdktf/provider-aws.
 */
const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const node = process.execPath;
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

describe('package.json and shipped files', () => {
  it('ships the command line, the built library, docs, schemas, the register hook; README and LICENSE come with every npm pack', () => {
    expect(pkg.files).toEqual(['bin', 'dist/lib', 'docs', 'schema', 'register.js', 'examples', 'checkov-skips.txt']);
    expect(pkg.license).toBe('Apache-2.0');
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\/.+\.git$/);
    expect(pkg.homepage).toBeDefined();
    expect(pkg.bugs.url).toBeDefined();
    expect(pkg.keywords).toEqual(expect.arrayContaining(['cdktf', 'terraform']));
  });

  it('cleans dist before each build, and emits no source maps (they would point at unshipped sources)', () => {
    expect(pkg.scripts.build).toMatch(/rmSync\('dist'.*&& tsc -p tsconfig\.build\.json && node scripts\/postbuild\.js$/);
    expect(JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')).compilerOptions.sourceMap).toBe(false);
    expect(JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')).compilerOptions.declarationMap).toBeUndefined();
  });

  it('every subpath export has a typesVersions entry (moduleResolution node10, as cdktf init configures)', () => {
    const subpaths = Object.keys(pkg.exports).filter((k) => k !== '.' && typeof pkg.exports[k] === 'object').map((k) => k.slice(2)).sort();
    expect(subpaths).toEqual(['aws', 'azure', 'compliance', 'gcp', 'host', 'provider-compat', 'spec']);
    expect(Object.keys(pkg.typesVersions['*']).sort()).toEqual(subpaths);
    for (const s of subpaths) expect(pkg.typesVersions['*'][s]).toEqual([pkg.exports[`./${s}`].types.replace(/^\.\//, '')]);
    expect(pkg.exports['./register']).toBe('./register.js');
    expect(pkg.exports['./schema/spec-file.schema.json']).toBe('./schema/spec-file.schema.json');
  });

  it('every relative link in the README resolves to a file the package ships', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect({ link, exists: existsSync(join(root, link)) }).toEqual({ link, exists: true });
      expect({ link, shipped: pkg.files.some((f: string) => link === f || link.startsWith(`${f}/`)) }).toEqual({ link, shipped: true });
    }
  });

  it('no comment or message points at ../shared (a directory outside the repository)', () => {
    const files: string[] = [];
    const walk = (dir: string) => readdirSync(dir, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(join(dir, e.name)) : files.push(join(dir, e.name))));
    walk(join(root, 'lib'));
    expect(files.filter((f) => readFileSync(f, 'utf8').includes('../shared')).map((f) => relative(root, f))).toEqual([]);
  });
});

describe('the built package in a consumer project with only @cdktf/provider-aws', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'package-test-'));
    const pkgDir = join(dir, 'node_modules', 'cdktf-sandbox-byoc');
    const build = spawnSync(node, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', join(pkgDir, 'dist')], { encoding: 'utf8' });
    expect(build.stdout + build.stderr).toBe('');
    const post = spawnSync(node, [join(root, 'scripts', 'postbuild.js'), join(pkgDir, 'dist', 'lib')], { encoding: 'utf8' });
    expect(post.status).toBe(0);
    writeFileSync(join(pkgDir, 'package.json'), JSON.stringify(pkg));
    writeFileSync(join(pkgDir, 'register.js'), readFileSync(join(root, 'register.js')));
    for (const dep of ['cdktf', 'constructs', 'ipaddr.js', '@cdktf/provider-aws', '@types/node']) {
      mkdirSync(join(dir, 'node_modules', dep, '..'), { recursive: true });
      symlinkSync(join(root, 'node_modules', dep), join(dir, 'node_modules', dep));
    }
    // cdktf init's tsconfig (cdktf-cli/bundle/templates/typescript), strict about our declarations.
    const template = JSON.parse(readFileSync(join(root, 'node_modules', 'cdktf-cli', 'bundle', 'templates', 'typescript', 'tsconfig.json'), 'utf8'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      ...template, compilerOptions: { ...template.compilerOptions, skipLibCheck: false, incremental: false, noEmit: true }, include: ['main.ts'],
    }));
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function typecheck(source: string): string {
    writeFileSync(join(dir, 'main.ts'), source);
    const r = spawnSync(node, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: dir, encoding: 'utf8' });
    return r.stdout + r.stderr;
  }

  it('the package root loads at run time; a cloud without its provider fails naming the package to install', () => {
    const script = `
      const m = require('cdktf-sandbox-byoc');
      const out = [typeof m.AwsSandboxPlatform, typeof m.resolvePlatform, typeof m.SandboxCompliance, typeof m.applyBackend];
      try { m.GcpSandboxPlatform; out.push('no error'); } catch (e) { out.push(e.message.split('\\n')[0]); }
      console.log(JSON.stringify(out));`;
    const r = spawnSync(node, ['-e', script], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(['function', 'function', 'function', 'function',
      'cdktf-sandbox-byoc: the gcp constructs need @cdktf/provider-google (an optional peer dependency): npm install @cdktf/provider-google@^16']);
  });

  it('root and every subpath type-check under cdktf init\'s tsconfig with skipLibCheck false, real AWS types kept', () => {
    const imports = `
      import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
      import { App, TerraformStack } from 'cdktf';
      import { AwsSandboxPlatform, ComplianceProfile, DeploymentModel, GcpSandboxPlatform } from 'cdktf-sandbox-byoc';
      import { AwsNodePool } from 'cdktf-sandbox-byoc/aws';
      import { SandboxCompliance } from 'cdktf-sandbox-byoc/compliance';
      import { renderHostBootstrap } from 'cdktf-sandbox-byoc/host';
      import { requireProviderVersion } from 'cdktf-sandbox-byoc/provider-compat';
      import { loadSpecFile } from 'cdktf-sandbox-byoc/spec';
      const app = new App();
      const stack = new TerraformStack(app, 's');
      new AwsProvider(stack, 'aws', { region: 'us-east-1' });
      const p = new AwsSandboxPlatform(stack, 'p', { spec: { name: 'acme', deployment: DeploymentModel.MANAGED, compliance: ComplianceProfile.BASELINE } });
      export const used = [p, AwsNodePool, SandboxCompliance, renderHostBootstrap, requireProviderVersion, loadSpecFile, GcpSandboxPlatform];
    `;
    expect(typecheck(imports)).toBe('');
    // The check is real: a wrong type through the AWS provider's declarations, and a misspelled provider import, are errors.
    const broken = typecheck(`${imports}
      export const n: string = p.pools['fc'].autoScalingGroup.maxSize;
      import { Vpc } from '@cdktf/provider-aws/lib/vcp';
      export const v = Vpc;`);
    expect(broken).toMatch(/error TS2322: Type 'number' is not assignable to type 'string'/);
    expect(broken).toMatch(/error TS2307: Cannot find module '@cdktf\/provider-aws\/lib\/vcp'/);
  }, 60_000);

  it('the register hook runs the app from TypeScript and caches the transpiled output', () => {
    writeFileSync(join(dir, 'app.ts'), `
      import { App, TerraformStack } from 'cdktf';
      import { resolvePlatform, CloudProvider, ComplianceProfile, DeploymentModel } from 'cdktf-sandbox-byoc';
      const plan: { name: string } = resolvePlatform({ name: 'acme', deployment: DeploymentModel.MANAGED, compliance: ComplianceProfile.BASELINE }, CloudProvider.AWS);
      new TerraformStack(new App(), 's');
      console.log(plan.name);`);
    mkdirSync(join(dir, 'node_modules', 'typescript', '..'), { recursive: true });
    if (!existsSync(join(dir, 'node_modules', 'typescript'))) symlinkSync(join(root, 'node_modules', 'typescript'), join(dir, 'node_modules', 'typescript'));
    const run = () => spawnSync(node, ['-r', 'cdktf-sandbox-byoc/register', 'app.ts'], { cwd: dir, encoding: 'utf8' });
    expect(run()).toMatchObject({ status: 0, stdout: 'acme\n' });
    expect(readdirSync(join(dir, 'node_modules', '.cache', 'cdktf-sandbox-byoc'))).toHaveLength(1);
    expect(run()).toMatchObject({ status: 0, stdout: 'acme\n' });
  });
});
