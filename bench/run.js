#!/usr/bin/env node
/**
 * npm run bench [-- --check] [-- --quick]
 *
 * Measures what the library costs its users, as whole processes, next to what they would
 * otherwise pay: wall time (parent's clock around the child) and peak RSS (every Node process
 * reports its own maxRSS through bench/rss-probe.js; the maximum is taken). Each case runs once
 * to warm the file cache, then RUNS times; the table shows median, min and max.
 *
 * The paths users take are measured as they take them: the README's `npx cdktf synth` (the CLI
 * plus the app), the app as cdktf.json runs it, and a consumer project shaped like `cdktf init`'s
 * (its tsconfig, only @cdktf/provider-aws) using the packed tarball (`npm pack`), besides the
 * precompiled JavaScript that isolates the library's own cost.
 *
 * --check  exit non-zero when a budget is missed.
 * --quick  3 runs, no jest suite, and gate only the ratio and memory budgets (CI: absolute
 *          times are noisy on shared machines).
 */
const { spawnSync } = require('child_process');
const { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');

const root = join(__dirname, '..');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const check = args.has('--check');
const RUNS = quick ? 3 : 5;
const node = process.execPath;
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');

const cdktfCli = join(root, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf');
// The cdktf CLI checks for updates and phones home unless told not to; neither is part of a synth.
const QUIET = { CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1', CI: 'true' };

/** argv may be a function of the run's output directory (the CLI takes --output rather than CDKTF_OUTDIR). */
function run(cmd, argv, env = {}, cwd = root, before = undefined) {
  const rssFile = join(mkdtempSync(join(tmpdir(), 'bench-')), 'rss');
  writeFileSync(rssFile, '');
  const outdir = mkdtempSync(join(tmpdir(), 'bench-out-'));
  if (before) before();
  const args = typeof argv === 'function' ? argv(outdir) : argv;
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...QUIET, NODE_OPTIONS: `--require ${join(__dirname, 'rss-probe.js')}`, BENCH_RSS_FILE: rssFile, CDKTF_OUTDIR: outdir, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const rssKiB = readFileSync(rssFile, 'utf8').split('\n').filter(Boolean).map(Number);
  rmSync(outdir, { recursive: true, force: true });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return { wall, rssMiB: Math.max(0, ...rssKiB) / 1024 };
}

function measure(label, cmd, argv, env, runs = RUNS, cwd = root, before = undefined) {
  run(cmd, argv, env, cwd, before); // warm-up
  const samples = Array.from({ length: runs }, () => run(cmd, argv, env, cwd, before));
  const stat = (key) => {
    const v = samples.map((s) => s[key]).sort((a, b) => a - b);
    return { median: v[Math.floor(v.length / 2)], min: v[0], max: v[v.length - 1] };
  };
  const result = { label, runs, wall: stat('wall'), rssMiB: stat('rssMiB') };
  process.stderr.write(`  ${label}: ${result.wall.median.toFixed(2)} s, ${result.rssMiB.median.toFixed(0)} MiB\n`);
  return result;
}

/**
 * Cases whose ratio is gated, measured in alternation (A B A B ...) rather than one after the
 * other, so that load from other processes on a shared machine falls on both alike.
 */
function measureInterleaved(cases, runs = RUNS) {
  for (const c of cases) run(c.cmd, c.argv, c.env ?? {}, c.cwd ?? root); // warm-up
  const samples = cases.map(() => []);
  for (let i = 0; i < runs; i++) cases.forEach((c, k) => samples[k].push(run(c.cmd, c.argv, c.env ?? {}, c.cwd ?? root)));
  return cases.map((c, k) => {
    const stat = (key) => {
      const v = samples[k].map((x) => x[key]).sort((a, b) => a - b);
      return { median: v[Math.floor(v.length / 2)], min: v[0], max: v[v.length - 1] };
    };
    const result = { label: c.label, runs, wall: stat('wall'), rssMiB: stat('rssMiB') };
    process.stderr.write(`  ${c.label}: ${result.wall.median.toFixed(2)} s, ${result.rssMiB.median.toFixed(0)} MiB\n`);
    return result;
  });
}

function build() {
  process.stderr.write('building lib + stacks (bench/.build) once...\n');
  const argv = ['-p', 'tsconfig.json', '--outDir', 'bench/.build', '--noEmit', 'false', '--declaration', 'false', '--sourceMap', 'false'];
  // Type errors are `npm run typecheck`'s business; tsc still emits, which is all the bench needs.
  const r = spawnSync(node, [tsc, ...argv], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 2) throw new Error(`tsc ${argv.join(' ')} failed:\n${r.stdout}${r.stderr}`);
}

/**
 * A consumer project as `cdktf init --template=typescript` makes it (its tsconfig.json, copied from
 * cdktf-cli's template), with the packed tarball and only @cdktf/provider-aws. Dependencies other
 * than the tarball are linked from this repository's node_modules (same versions, no network); the
 * project lives outside the repository so nothing else resolves from here (no GCP or Azure provider).
 */
function consumerProject() {
  process.stderr.write('packing the package (npm pack: clean build) into a cdktf-init-shaped consumer project...\n');
  const dir = mkdtempSync(join(tmpdir(), 'bench-consumer-'));
  const packed = spawnSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: root, encoding: 'utf8' });
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stdout}${packed.stderr}`);
  const tarball = join(dir, packed.stdout.trim().split('\n').pop());
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, 'cdktf-sandbox-byoc'), { recursive: true });
  const untar = spawnSync('tar', ['xzf', tarball, '-C', join(modules, 'cdktf-sandbox-byoc'), '--strip-components=1']);
  if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
  for (const dep of ['cdktf', 'constructs', 'ipaddr.js', '@cdktf/provider-aws', 'typescript', '@types/node']) {
    mkdirSync(join(modules, dep, '..'), { recursive: true });
    symlinkSync(join(root, 'node_modules', dep), join(modules, dep));
  }
  const template = JSON.parse(readFileSync(join(root, 'node_modules', 'cdktf-cli', 'bundle', 'templates', 'typescript', 'tsconfig.json'), 'utf8'));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ ...template, include: ['main.ts'] }, null, 2));
  for (const [name, files] of [['floor', 'floor.ts'], ['ours', 'ours.ts'], ['ours-root', 'ours-root.ts'], ['naive', 'naive.ts']]) {
    writeFileSync(join(dir, `tsconfig.${name}.json`), JSON.stringify({ ...template, compilerOptions: { ...template.compilerOptions, incremental: false, noEmit: true }, include: [files] }, null, 2));
    writeFileSync(join(dir, files), readFileSync(join(__dirname, 'consumer', files), 'utf8'));
  }
  const quickstart = readFileSync(join(root, 'examples', 'quickstart-aws.ts'), 'utf8').split('// --- readme ---\n')[1];
  writeFileSync(join(dir, 'main.ts'), quickstart);
  writeFileSync(join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'node -r cdktf-sandbox-byoc/register main.ts', sendCrashReports: 'false', terraformProviders: [], terraformModules: [], context: {} }, null, 2));
  const compiled = spawnSync(node, [tsc, '-p', 'tsconfig.json', '--incremental', 'false', '--outDir', 'build', '--inlineSourceMap', 'false', '--inlineSources', 'false'], { cwd: dir, encoding: 'utf8' });
  if (compiled.status !== 0) throw new Error(`consumer tsc failed:\n${compiled.stdout}${compiled.stderr}`);
  return dir;
}

/** The app command of cdktf.json, split for spawn (no shell: the commands are plain words). */
function cdktfApp(dir) {
  const app = JSON.parse(readFileSync(join(dir, 'cdktf.json'), 'utf8')).app.split(/\s+/);
  if (app[0] !== 'node') throw new Error(`bench expects cdktf.json's app to start with node, got ${app.join(' ')}`);
  return app.slice(1);
}

function main() {
  build();
  const specDir = join(root, 'stacks', 'specs');
  const results = {};
  results.floor = measure('floor: require("cdktf")', node, ['-e', "require('cdktf')"]);
  results.naive = measure('naive: provider roots + 1 VPC', node, [join(__dirname, 'naive', 'app.js')]);
  const app = cdktfApp(root);
  [results.ours, results.app] = measureInterleaved([
    { label: 'ours: all reference stacks (precompiled JavaScript)', cmd: node, argv: [join(__dirname, '.build', 'stacks', 'main.js')], env: { SANDBOX_SPEC_DIR: specDir } },
    { label: `README: the app as cdktf.json runs it (node ${app.join(' ')})`, cmd: node, argv: app },
  ]);
  const transpileCache = join(root, 'node_modules', '.cache', 'cdktf-sandbox-byoc');
  results.appCold = measure('README: the same, transpile cache emptied before each run', node, app, {}, Math.min(RUNS, 3), root,
    () => rmSync(transpileCache, { recursive: true, force: true }));
  results.cli = measure('README: npx cdktf synth (CLI + app)', node, (out) => [cdktfCli, 'synth', '--output', out], {}, Math.min(RUNS, 3));
  const consumer = consumerProject();
  [results.consumerApp, results.consumerPrecompiled] = measureInterleaved([
    { label: 'consumer (packed tarball, cdktf init tsconfig): node -r cdktf-sandbox-byoc/register main.ts', cmd: node, argv: cdktfApp(consumer), cwd: consumer },
    { label: 'consumer: the same app precompiled (tsc, node build/main.js)', cmd: node, argv: ['build/main.js'], cwd: consumer },
  ]);
  results.consumerCli = measure('consumer: npx cdktf synth (CLI + app)', node, (out) => [cdktfCli, 'synth', '--output', out], {}, Math.min(RUNS, 3), consumer);
  results.growth = {};
  // Five runs even in quick mode: the growth ratio is gated in CI and its cases are cheap.
  for (const n of [1, 8, 64]) {
    results.growth[n] = measure(`growth: aws, ${n} pool${n > 1 ? 's' : ''}`, node, [join(__dirname, 'growth-app.js'), String(n)], {}, Math.max(RUNS, 5));
  }
  // Type checks in the consumer project: cdktf init's tsconfig (module CommonJS, no moduleResolution, skipLibCheck true).
  const consumerTsc = (name) => [tsc, '-p', join(consumer, `tsconfig.${name}.json`)];
  results.typecheckFloor = measure('consumer tsc: cdktf only (floor)', node, consumerTsc('floor'), {}, RUNS, consumer);
  results.typecheckOurs = measure('consumer tsc: AwsSandboxPlatform via cdktf-sandbox-byoc/aws', node, consumerTsc('ours'), {}, RUNS, consumer);
  results.typecheckOursRoot = measure('consumer tsc: AwsSandboxPlatform via the package root', node, consumerTsc('ours-root'), {}, RUNS, consumer);
  results.typecheckNaive = measure('consumer tsc: one VPC via the provider root', node, consumerTsc('naive'), {}, RUNS, consumer);
  rmSync(consumer, { recursive: true, force: true });
  if (!quick) results.jest = measure('jest suite', node, [jest, '--silent'], {}, Math.min(RUNS, 3));

  const budgets = [
    { name: 'reference stacks synth wall <= 1.5 s', ok: results.ours.wall.median <= 1.5, gate: !quick, value: `${results.ours.wall.median.toFixed(2)} s` },
    { name: 'reference stacks synth peak RSS <= 300 MiB', ok: results.ours.rssMiB.median <= 300, gate: true, value: `${results.ours.rssMiB.median.toFixed(0)} MiB` },
    { name: 'app as cdktf.json runs it <= 1.5x precompiled', ok: results.app.wall.median <= 1.5 * results.ours.wall.median, gate: true,
      value: `${(results.app.wall.median / results.ours.wall.median).toFixed(2)}x (${results.app.wall.median.toFixed(2)} s vs ${results.ours.wall.median.toFixed(2)} s)` },
    { name: 'app as cdktf.json runs it peak RSS <= 200 MiB', ok: results.app.rssMiB.median <= 200, gate: true, value: `${results.app.rssMiB.median.toFixed(0)} MiB` },
    { name: 'consumer app (register) <= 1.5x its precompiled run', ok: results.consumerApp.wall.median <= 1.5 * results.consumerPrecompiled.wall.median, gate: true,
      value: `${(results.consumerApp.wall.median / results.consumerPrecompiled.wall.median).toFixed(2)}x` },
    { name: 'ours >= 3x faster than the naive baseline', ok: results.naive.wall.median / results.ours.wall.median >= 3, gate: true,
      value: `${(results.naive.wall.median / results.ours.wall.median).toFixed(1)}x` },
    { name: '64 pools <= 3x the 1-pool synth time', ok: results.growth[64].wall.median <= 3 * results.growth[1].wall.median, gate: true,
      value: `${(results.growth[64].wall.median / results.growth[1].wall.median).toFixed(2)}x` },
    { name: 'consumer type-check <= 3 s', ok: results.typecheckOurs.wall.median <= 3, gate: !quick,
      value: `${results.typecheckOurs.wall.median.toFixed(2)} s (floor ${results.typecheckFloor.wall.median.toFixed(2)} s, +${(results.typecheckOurs.wall.median - results.typecheckFloor.wall.median).toFixed(2)} s ours)` },
    { name: 'consumer type-check >= 3x faster than provider-root consumer', ok: results.typecheckNaive.wall.median / results.typecheckOurs.wall.median >= 3, gate: true,
      value: `${(results.typecheckNaive.wall.median / results.typecheckOurs.wall.median).toFixed(1)}x` },
  ];
  if (results.jest) budgets.push({ name: 'jest suite <= 120 s', ok: results.jest.wall.median <= 120, gate: true, value: `${results.jest.wall.median.toFixed(1)} s` });

  const rows = [['case', 'runs', 'wall median', 'wall min..max', 'peak RSS median', 'RSS min..max']];
  const flat = [results.floor, results.naive, results.ours, results.app, results.appCold, results.cli, ...Object.values(results.growth),
    results.consumerApp, results.consumerPrecompiled, results.consumerCli,
    results.typecheckFloor, results.typecheckOurs, results.typecheckOursRoot, results.typecheckNaive];
  if (results.jest) flat.push(results.jest);
  for (const r of flat) {
    rows.push([r.label, String(r.runs), `${r.wall.median.toFixed(2)} s`, `${r.wall.min.toFixed(2)}..${r.wall.max.toFixed(2)} s`,
      `${r.rssMiB.median.toFixed(0)} MiB`, `${r.rssMiB.min.toFixed(0)}..${r.rssMiB.max.toFixed(0)} MiB`]);
  }
  const table = [
    `| ${rows[0].join(' | ')} |`, `|${rows[0].map(() => '---').join('|')}|`,
    ...rows.slice(1).map((r) => `| ${r.join(' | ')} |`),
    '', '| budget | value | result |', '|---|---|---|',
    ...budgets.map((b) => `| ${b.name} | ${b.value} | ${b.ok ? 'ok' : b.gate ? 'MISSED' : 'missed (not gated in quick mode)'} |`),
  ].join('\n');
  process.stdout.write(`\n${table}\n`);
  const out = { date: new Date().toISOString(), quick, node: process.version, cpus: require('os').cpus().length, results, budgets };
  writeFileSync(join(__dirname, 'results.json'), `${JSON.stringify(out, null, 2)}\n`);
  const missed = budgets.filter((b) => b.gate && !b.ok);
  if (check && missed.length) {
    process.stderr.write(`\nbudgets missed: ${missed.map((b) => b.name).join('; ')}\n`);
    process.exit(1);
  }
}

if (!existsSync(tsc)) throw new Error('run npm ci first');
main();
