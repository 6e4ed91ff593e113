#!/usr/bin/env node
/**
 * npm run bench [-- --check] [-- --quick]
 *
 * Measures what the library costs its users, as whole processes, next to what they would
 * otherwise pay: wall time (parent's clock around the child) and peak RSS (every Node process
 * reports its own maxRSS through bench/rss-probe.js; the maximum is taken). Each case runs once
 * to warm the file cache, then RUNS times; the table shows median, min and max.
 *
 * --check  exit non-zero when a budget is missed.
 * --quick  3 runs, no jest suite, and gate only the ratio and memory budgets (CI: absolute
 *          times are noisy on shared machines).
 */
const { spawnSync } = require('child_process');
const { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } = require('fs');
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

function run(cmd, argv, env = {}) {
  const rssFile = join(mkdtempSync(join(tmpdir(), 'bench-')), 'rss');
  writeFileSync(rssFile, '');
  const outdir = mkdtempSync(join(tmpdir(), 'bench-out-'));
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: `--require ${join(__dirname, 'rss-probe.js')}`, BENCH_RSS_FILE: rssFile, CDKTF_OUTDIR: outdir, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const rssKiB = readFileSync(rssFile, 'utf8').split('\n').filter(Boolean).map(Number);
  rmSync(outdir, { recursive: true, force: true });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return { wall, rssMiB: Math.max(0, ...rssKiB) / 1024 };
}

function measure(label, cmd, argv, env, runs = RUNS) {
  run(cmd, argv, env); // warm-up
  const samples = Array.from({ length: runs }, () => run(cmd, argv, env));
  const stat = (key) => {
    const v = samples.map((s) => s[key]).sort((a, b) => a - b);
    return { median: v[Math.floor(v.length / 2)], min: v[0], max: v[v.length - 1] };
  };
  const result = { label, runs, wall: stat('wall'), rssMiB: stat('rssMiB') };
  process.stderr.write(`  ${label}: ${result.wall.median.toFixed(2)} s, ${result.rssMiB.median.toFixed(0)} MiB\n`);
  return result;
}

function build() {
  process.stderr.write('building lib + stacks (bench/.build) and the package (dist/) once...\n');
  for (const argv of [['-p', 'tsconfig.json', '--outDir', 'bench/.build', '--noEmit', 'false', '--declaration', 'false', '--sourceMap', 'false'],
    ['-p', 'tsconfig.build.json']]) {
    // Type errors are `npm run typecheck`'s business; tsc still emits, which is all the bench needs.
    const r = spawnSync(node, [tsc, ...argv], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0 && r.status !== 2) throw new Error(`tsc ${argv.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  }
}

function main() {
  build();
  const specDir = join(root, 'stacks', 'specs');
  const results = {};
  results.floor = measure('floor: require("cdktf")', node, ['-e', "require('cdktf')"]);
  results.naive = measure('naive: provider roots + 1 VPC', node, [join(__dirname, 'naive', 'app.js')]);
  results.ours = measure('ours: all reference stacks', node, [join(__dirname, '.build', 'stacks', 'main.js')], { SANDBOX_SPEC_DIR: specDir });
  results.growth = {};
  // Five runs even in quick mode: the growth ratio is gated in CI and its cases are cheap.
  for (const n of [1, 8, 64]) {
    results.growth[n] = measure(`growth: aws, ${n} pool${n > 1 ? 's' : ''}`, node, [join(__dirname, 'growth-app.js'), String(n)], {}, Math.max(RUNS, 5));
  }
  results.typecheckFloor = measure('consumer tsc: cdktf only (floor)', node, [tsc, '-p', join(__dirname, 'consumer', 'tsconfig.floor.json')]);
  results.typecheckOurs = measure('consumer tsc: AwsSandboxPlatform via /aws', node, [tsc, '-p', join(__dirname, 'consumer', 'tsconfig.ours.json')]);
  results.typecheckOursRoot = measure('consumer tsc: AwsSandboxPlatform via root', node, [tsc, '-p', join(__dirname, 'consumer', 'tsconfig.ours-root.json')]);
  results.typecheckNaive = measure('consumer tsc: provider root', node, [tsc, '-p', join(__dirname, 'consumer', 'tsconfig.naive.json')]);
  if (!quick) results.jest = measure('jest suite', node, [jest, '--silent'], {}, Math.min(RUNS, 3));

  const budgets = [
    { name: 'reference stacks synth wall <= 1.5 s', ok: results.ours.wall.median <= 1.5, gate: !quick, value: `${results.ours.wall.median.toFixed(2)} s` },
    { name: 'reference stacks synth peak RSS <= 300 MiB', ok: results.ours.rssMiB.median <= 300, gate: true, value: `${results.ours.rssMiB.median.toFixed(0)} MiB` },
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
  const flat = [results.floor, results.naive, results.ours, ...Object.values(results.growth), results.typecheckFloor, results.typecheckOurs, results.typecheckOursRoot, results.typecheckNaive];
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
