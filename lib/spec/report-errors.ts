import { SpecValidationError } from './errors';

/**
 * The message of a SpecValidationError (every problem with its field path, the construct path
 * or spec file, and the fix), or undefined for any other error.
 */
export function specErrorMessage(error: unknown): string | undefined {
  if (error instanceof SpecValidationError) return error.message;
  // Another copy of the package (e.g. a linked checkout) has its own class: match by shape.
  const e = error as { name?: unknown; message?: unknown; issues?: unknown } | null;
  if (e && e.name === 'SpecValidationError' && typeof e.message === 'string' && Array.isArray(e.issues)) return e.message;
  return undefined;
}

let installed = false;

/**
 * Call once at the top of your cdktf app (main.ts): a SpecValidationError that escapes it is
 * printed as its message alone, without a stack trace or an object dump, and the process exits
 * with status 1 (`cdktf synth` then reports the failed app). Other errors keep Node's default
 * report (stack trace, exit status 1).
 */
export function exitOnSpecError(): void {
  if (installed) return;
  installed = true;
  process.on('uncaughtException', (error) => {
    const message = specErrorMessage(error);
    process.stderr.write(message !== undefined ? `${message}\n` : `${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  });
}
