#!/usr/bin/env node
// The command line: npx cdktf-sandbox-byoc <validate|explain|synth|preflight> ... (lib/cli).
// In the package it runs the compiled dist/lib/cli; in a checkout of the repository (lib/cli/index.ts
// present) it runs the TypeScript source through the package's register hook, so the tests need no build.
'use strict';
const { existsSync } = require('fs');
const { join } = require('path');

const root = join(__dirname, '..');
let cli;
if (existsSync(join(root, 'lib', 'cli', 'index.ts'))) {
  require(join(root, 'register.js'));
  cli = require(join(root, 'lib', 'cli', 'index.ts'));
} else {
  cli = require(join(root, 'dist', 'lib', 'cli', 'index.js'));
}

cli.main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then((code) => {
  // exitCode, not exit(): lets a large --format json document drain into a pipe first.
  process.exitCode = code;
});
