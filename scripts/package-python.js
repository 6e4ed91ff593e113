#!/usr/bin/env node
// npm run package: builds the Python wheel (dist/python/*.whl) with jsii and jsii-pacmak.
//
// jsii owns the tsconfig and the output of the package it compiles, and it checks every type
// reachable from its entry point against the jsii type system. The npm package keeps its own
// build (tsc -> dist/lib, the lazy root of scripts/postbuild.js, typesVersions), so jsii compiles
// the same sources in a separate project: .jsii-build/ (gitignored), made fresh on every run from
//   - lib/**            the library sources, unchanged (lib/cli is the command line, not part of
//                       the Python API, and is left out),
//   - jsii/index.ts     the jsii entry point: the Python API (it names what it exports),
//   - jsii/package.json the package metadata jsii needs (targets, dependencies), merged with this
//                       package's name, version, license, author and repository,
//   - README.md, LICENSE, and node_modules as a link to this repository's node_modules.
// Nothing here changes dist/lib or package.json, so `npm run build` and the npm consumer's path
// stay exactly as they are.
//
// Usage: node scripts/package-python.js [--keep]   (--keep leaves .jsii-build for inspection)
'use strict';
const { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync, readdirSync } = require('fs');
const { join, resolve, sep } = require('path');
const { execFileSync } = require('child_process');

const root = resolve(__dirname, '..');
const stage = join(root, '.jsii-build');
const out = join(root, 'dist');

// jsii and jsii-pacmak are this package's devDependencies (cdktf-cli brings an older jsii of its own,
// nested under it). JSII_BIN names another directory holding both, e.g. to try a newer release.
const bin = process.env.JSII_BIN ?? join(root, 'node_modules', '.bin');

function run(cmd, args, cwd) {
  process.stdout.write(`package: ${cmd} ${args.join(' ')}\n`);
  execFileSync(join(bin, cmd), args, { cwd, stdio: 'inherit' });
}

function main() {
  const started = Date.now();
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  const cli = join(root, 'lib', 'cli');
  cpSync(join(root, 'lib'), join(stage, 'lib'), { recursive: true, filter: (src) => src !== cli && !src.startsWith(cli + sep) });
  cpSync(join(root, 'jsii', 'index.ts'), join(stage, 'index.ts'));
  for (const f of ['README.md', 'LICENSE']) cpSync(join(root, f), join(stage, f));
  symlinkSync(join(root, 'node_modules'), join(stage, 'node_modules'), 'dir');

  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const jsiiPkg = JSON.parse(readFileSync(join(root, 'jsii', 'package.json'), 'utf8'));
  const staged = {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    license: pkg.license,
    author: jsiiPkg.author,
    repository: pkg.repository,
    homepage: pkg.homepage,
    keywords: pkg.keywords,
    engines: pkg.engines,
    main: 'index.js',
    types: 'index.d.ts',
    // What the jsii runtime loads (the tarball inside the wheel): JavaScript, declarations, the assembly.
    files: ['index.js', 'index.d.ts', 'lib/**/*.js', 'lib/**/*.d.ts', '.jsii'],
    ...jsiiPkg,
  };
  delete staged.$comment;
  // Runtime dependencies that are not jsii modules travel inside the package (bundledDependencies),
  // at the versions the npm package declares.
  staged.dependencies = {};
  for (const dep of jsiiPkg.bundledDependencies) {
    if (!pkg.dependencies[dep]) throw new Error(`package: bundled dependency ${dep} is not a dependency in package.json`);
    staged.dependencies[dep] = pkg.dependencies[dep];
  }
  // jsii wants each jsii peer also as a devDependency, at the version the build compiles against.
  staged.devDependencies = {};
  for (const dep of Object.keys(jsiiPkg.peerDependencies)) {
    staged.devDependencies[dep] = JSON.parse(readFileSync(join(root, 'node_modules', dep, 'package.json'), 'utf8')).version;
  }
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(staged, null, 2)}\n`);

  // `@jsii ignore` (declarations jsii languages cannot express, see lib) needs jsii 5.9 or later.
  const version = execFileSync(join(bin, 'jsii'), ['--version'], { encoding: 'utf8' }).trim();
  const [major, minor] = version.split('.').map(Number);
  if (major < 5 || (major === 5 && minor < 9)) throw new Error(`package: jsii ${version} is too old (5.9 or later): run npm ci`);
  // reserved-word: Python keywords as member names (AwsArnOptions.global) get a trailing underscore.
  run('jsii', ['--silence-warnings=reserved-word'], stage);
  rmSync(join(out, 'python'), { recursive: true, force: true });
  run('jsii-pacmak', ['--targets', 'python', '--outdir', out], stage);
  const wheels = readdirSync(join(out, 'python')).filter((f) => f.endsWith('.whl'));
  if (wheels.length !== 1) throw new Error(`package: expected one wheel in dist/python, found ${wheels.join(', ') || 'none'}`);
  if (!process.argv.includes('--keep')) rmSync(stage, { recursive: true, force: true });
  process.stdout.write(`package: dist/python/${wheels[0]} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

if (!existsSync(join(root, 'node_modules', 'cdktf'))) {
  process.stderr.write('package: run npm ci first (node_modules has no cdktf)\n');
  process.exit(1);
}
main();
