import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/** CI installs shellcheck; SKIP_SHELLCHECK=1 skips these checks on a machine without it. */
export const SKIP_SHELLCHECK = process.env.SKIP_SHELLCHECK === '1';

/** Fails unless `text` passes `shellcheck -s bash -S style` and `bash -n`; names `label` in the error. */
export function expectShellcheckClean(text: string, label = 'script'): void {
  const probe = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error('shellcheck is not on PATH: install it (e.g. `apt-get install -y shellcheck`) or set SKIP_SHELLCHECK=1 to skip these tests');
  }
  const dir = mkdtempSync(join(tmpdir(), 'shellcheck-'));
  try {
    const file = join(dir, 'script.sh');
    writeFileSync(file, text);
    const r = spawnSync('shellcheck', ['-s', 'bash', '-S', 'style', file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`shellcheck failed for ${label}:\n${r.stdout}${r.stderr}`);
    const syntax = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
    if (syntax.status !== 0) throw new Error(`bash -n failed for ${label}:\n${syntax.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
