/**
 * Once per `npm test`: provide the tools tests shell out to, from registry packages (see
 * test/tools), so a fresh clone needs nothing but `npm ci`. Results reach the test workers
 * through the environment.
 */
import { ensureShellcheck } from './tools/shellcheck-binary';

export default async function globalSetup(): Promise<void> {
  if (process.env.SKIP_SHELLCHECK === '1') return;
  const { path, note } = await ensureShellcheck();
  if (path) process.env.SANDBOX_TEST_SHELLCHECK = path;
  process.env.SANDBOX_TEST_SHELLCHECK_NOTE = note;
}
