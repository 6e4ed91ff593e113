import { readFileSync } from 'fs';
import { join } from 'path';

/**
 * The README's Python example is test/python/readme_app.py (below its "# --- readme ---" marker),
 * verbatim; scripts/test-python.sh runs that file against the wheel and asserts on what it
 * synthesizes. Here: the two stay the same text, and the names it imports are ones the Python
 * module has (the jsii entry point exports the package root, lib/index.ts).
 */
const root = join(__dirname, '..', '..');

function readmeApp(): string {
  const text = readFileSync(join(__dirname, 'readme_app.py'), 'utf8');
  const marker = '# --- readme ---\n';
  expect(text).toContain(marker);
  return text.slice(text.indexOf(marker) + marker.length);
}

function pythonBlock(markdown: string): string | undefined {
  return /<!-- quickstart:python -->\s*```python\n([\s\S]*?)```/.exec(markdown)?.[1];
}

describe('README Python example (test/python/readme_app.py)', () => {
  it('is in the README verbatim', () => {
    expect(pythonBlock(readFileSync(join(root, 'README.md'), 'utf8'))).toBe(readmeApp());
  });

  it('imports only names the package root exports, and runs the app', () => {
    const code = readmeApp();
    const imported = /from cdktf_sandbox_byoc import \(([^)]*)\)/.exec(code)?.[1];
    expect(imported).toBeDefined();
    const names = imported!.split(',').map((n) => n.trim()).filter(Boolean);
    expect(names).toEqual(expect.arrayContaining(['AwsSandboxPlatform', 'SandboxPlatformSpec']));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the package root as jsii/index.ts re-exports it
    const api = require('../../lib') as Record<string, unknown>;
    // Struct names are interfaces in TypeScript: present as types only, so check the classes and enums.
    for (const n of names.filter((x) => !x.endsWith('Spec'))) expect([n, typeof api[n]]).toEqual([n, expect.stringMatching(/function|object/)]);
    expect(code).toMatch(/\napp\.synth\(\)\n$/);
  });
});
