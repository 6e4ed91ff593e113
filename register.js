// Require hook that runs a cdktf app written in TypeScript without a slow start:
//   cdktf.json  "app": "node -r cdktf-sandbox-byoc/register main.ts"     (in this repository: ./register.js)
// Each .ts file is transpiled (no type check: keep `tsc --noEmit` in your CI) with @swc/core when the
// project has it, else with the project's typescript, and the output is kept in
// node_modules/.cache/cdktf-sandbox-byoc/, keyed by the file's content and the transpiler version.
// A synth after the first one compiles nothing and loads no compiler. Measured by `npm run bench`:
// `node -r @swc-node/register` took 2.5-3.3 s and 330 MiB for the reference stacks, this hook the
// same as precompiled JavaScript (0.8-1.6 s, 160 MiB); `npx ts-node` (cdktf init's default)
// type-checks on every run.
'use strict';
const { createHash } = require('crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('fs');
const Module = require('module');
const { tmpdir } = require('os');
const { join } = require('path');

const cwd = process.cwd();
let transpiler;

function load(name) {
  return require(require.resolve(name, { paths: [cwd, __dirname] }));
}

function version(name) {
  try {
    return load(`${name}/package.json`).version;
  } catch {
    return undefined;
  }
}

/** @swc/core if the project has it (fast), else typescript.transpileModule. Chosen once, lazily. */
function pick() {
  if (transpiler) return transpiler;
  const swcVersion = version('@swc/core');
  if (swcVersion) {
    transpiler = {
      run: (source, filename) => load('@swc/core').transformSync(source, {
        filename, swcrc: false, configFile: false, sourceMaps: false,
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      }).code,
    };
  } else {
    const tsVersion = version('typescript');
    if (!tsVersion) throw new Error('cdktf-sandbox-byoc/register: install typescript (or @swc/core) in the project to run .ts files');
    transpiler = {
      run: (source, filename) => {
        const ts = load('typescript');
        return ts.transpileModule(source, {
          fileName: filename,
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
        }).outputText;
      },
    };
  }
  return transpiler;
}

const cacheDir = (() => {
  const local = join(cwd, 'node_modules', '.cache', 'cdktf-sandbox-byoc');
  try {
    mkdirSync(local, { recursive: true });
    return local;
  } catch {
    return join(tmpdir(), 'cdktf-sandbox-byoc-cache');
  }
})();

// Which transpiler made a cached file is part of its key; read it without loading the transpiler.
const transpilerKey = version('@swc/core') ? `swc-${version('@swc/core')}` : `ts-${version('typescript')}`;

function compiled(source, filename) {
  const key = createHash('sha256').update(`${transpilerKey}-es2022-cjs-1\0${filename}\0${source}`).digest('hex');
  const file = join(cacheDir, `${key}.js`);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    const code = pick().run(source, filename);
    try {
      mkdirSync(cacheDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, code);
      renameSync(tmp, file); // atomic: parallel synths never read a half-written file
    } catch {
      // read-only cache directory: run uncached
    }
    return code;
  }
}

Module._extensions['.ts'] = function loadTs(module, filename) {
  module._compile(compiled(readFileSync(filename, 'utf8'), filename), filename);
};
