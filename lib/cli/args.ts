/**
 * Argument parsing: node's util.parseArgs does the lexing (--opt=value, --opt value, -h, --), this
 * module checks the tokens against each command's options so that every mistake is a UsageError
 * with the fix, not parseArgs' generic message.
 */
import { parseArgs } from 'util';
import { OutputFormat } from './io';

/** A mistake on the command line (exit code 2): what is wrong and how to fix it. */
export class UsageError extends Error {
  constructor(message: string, public readonly fix: string, public readonly command?: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One option of a command. */
export interface OptionDef {
  readonly name: string;
  readonly short?: string;
  /** Placeholder of the value (e.g. "DIR"); absent for a flag. */
  readonly value?: string;
  /** Allowed values, when the option takes one of a few. */
  readonly choices?: readonly string[];
  readonly description: string;
}

/** One command: its arguments, options and help text. */
export interface CommandDef {
  readonly name: string;
  readonly summary: string;
  /** Placeholder of the positional arguments, e.g. "<spec.json>...". */
  readonly args: string;
  readonly minArgs: number;
  /** Infinity for "one or more". */
  readonly maxArgs: number;
  readonly options: readonly OptionDef[];
  /** Help paragraphs after the option list. */
  readonly details: readonly string[];
}

export const HELP_OPTION: OptionDef = { name: 'help', short: 'h', description: 'show this help' };
export const FORMAT_OPTION: OptionDef = {
  name: 'format', short: 'f', value: 'FORMAT', choices: [OutputFormat.TEXT, OutputFormat.JSON],
  description: 'text (default, for people) or json (a stable document for CI; docs/cli.md)',
};

/** The parsed command line of one command. */
export interface ParsedArgs {
  readonly positionals: readonly string[];
  /** Option values by name; a flag is true. */
  readonly options: { readonly [name: string]: string | true };
}

/** Levenshtein distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

/** The closest candidate within two edits, or undefined. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const dist = distance(word, c);
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  return best;
}

function optionList(def: CommandDef): string {
  return def.options.map((o) => `--${o.name}${o.value ? ` ${o.value}` : ''}`).join(', ');
}

/** Parses `argv` (the arguments after the command name) against `def`; throws UsageError. */
export function parseCommandArgs(def: CommandDef, argv: readonly string[]): ParsedArgs {
  const spec: { [name: string]: { type: 'string' | 'boolean'; short?: string } } = {};
  for (const o of def.options) spec[o.name] = { type: o.value ? 'string' : 'boolean', ...(o.short ? { short: o.short } : {}) };
  const { tokens } = parseArgs({ args: [...argv], options: spec, strict: false, allowPositionals: true, tokens: true });
  const positionals: string[] = [];
  const options: { [name: string]: string | true } = {};
  const help = `see: cdktf-sandbox-byoc ${def.name} --help`;
  for (const t of tokens ?? []) {
    if (t.kind === 'positional') {
      positionals.push(t.value);
      continue;
    }
    if (t.kind !== 'option') continue;
    const o = def.options.find((x) => x.name === t.name);
    if (!o) {
      const near = suggest(t.rawName.replace(/^-+/, ''), def.options.map((x) => x.name));
      throw new UsageError(`unknown option ${t.rawName} for ${def.name}`,
        `${near ? `did you mean --${near}? ` : ''}${def.name} takes ${optionList(def)}; ${help}`, def.name);
    }
    if (o.value) {
      const v = t.value;
      if (v === undefined || (!t.inlineValue && v.startsWith('-') && v !== '-')) {
        throw new UsageError(`${t.rawName} needs a value (${o.value})`, `write ${t.rawName} ${o.choices?.[0] ?? o.value}`, def.name);
      }
      if (o.choices && !o.choices.includes(v)) {
        throw new UsageError(`${t.rawName} ${JSON.stringify(v)} is not one of ${o.choices.join(', ')}`, `write ${t.rawName} ${o.choices.join(' or ')}`, def.name);
      }
      options[o.name] = v;
    } else {
      if (t.value !== undefined) throw new UsageError(`${t.rawName} takes no value`, `write ${t.rawName} alone`, def.name);
      options[o.name] = true;
    }
  }
  if (options.help) return { positionals, options };
  if (positionals.length < def.minArgs) {
    throw new UsageError(`${def.name} needs ${def.args}`, `write cdktf-sandbox-byoc ${def.name} ${def.args}; ${help}`, def.name);
  }
  if (positionals.length > def.maxArgs) {
    throw new UsageError(`${def.name} takes ${def.maxArgs === 1 ? 'one spec file' : `at most ${def.maxArgs} arguments`}, got ${positionals.length}: ${positionals.join(' ')}`,
      `run it once per file${def.name === 'explain' || def.name === 'synth' ? ' (validate takes several)' : ''}; ${help}`, def.name);
  }
  return { positionals, options };
}
