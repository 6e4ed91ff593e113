/**
 * Small helpers for emitting bash text. Internal to lib/host; pure (no cdktf imports).
 */

/** Quotes `value` as one single-quoted shell word (safe for any content). */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Wraps `body` lines in a bash function definition. Body lines are emitted as given. */
export function shellFunction(name: string, body: readonly string[]): string[] {
  return [`${name}() {`, ...(body.length > 0 ? body : ['  :']), '}', ''];
}

/**
 * Verbatim shell lines from the caller (hooks). Each entry may itself span several lines;
 * nothing is indented so that heredocs inside the hooks keep working.
 */
export function verbatimLines(commands: readonly string[] | undefined): string[] {
  return (commands ?? []).flatMap((command) => command.split(/\r?\n/));
}

/**
 * A heredoc delimiter that no line of `body` equals, so the body cannot end the heredoc early.
 * Deterministic: the same body always yields the same delimiter.
 */
export function heredocDelimiter(base: string, body: string): string {
  const lines = new Set(body.split('\n'));
  let candidate = base;
  for (let n = 1; lines.has(candidate); n++) {
    candidate = `${base}_${n}`;
  }
  return candidate;
}
