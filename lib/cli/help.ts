import { CommandDef } from './args';

export const PROGRAM = 'cdktf-sandbox-byoc';

export const EXIT_CODES_HELP = [
  'Exit codes:',
  '  0  ok (warnings, and preflight checks that could not run, do not change it)',
  '  1  problems found: an invalid spec file, a compliance violation, a failed preflight check, a missing package',
  '  2  usage error: unknown command or option, missing argument (nothing was checked)',
  '  3  internal error: a bug in cdktf-sandbox-byoc (the stack trace is printed; please report it)',
];

function optionLines(def: CommandDef): string[] {
  const rows = def.options.map((o) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` ${o.value}` : ''}`;
    return [flag, o.description];
  });
  const width = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`);
}

/** `cdktf-sandbox-byoc --help`. */
export function programHelp(commands: readonly CommandDef[]): string {
  const width = Math.max(...commands.map((c) => `${c.name} ${c.args}`.length));
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'Check, explain and synthesize sandbox platform spec files, and check the target account before the first apply.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${`${c.name} ${c.args}`.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     this help; with a command, that command\'s help',
    '  -V, --version  the package version',
    '',
    ...EXIT_CODES_HELP,
    '',
    'A spec file is JSON: { "target": { "cloud", "region", "project"? }, "backend"?, "spec" } (schema/spec-file.schema.json).',
    `Run "${PROGRAM} <command> --help" for a command's options. Details: docs/cli.md in the package.`,
    '',
  ].join('\n');
}

/** `cdktf-sandbox-byoc <command> --help`. */
export function commandHelp(def: CommandDef): string {
  return [
    `Usage: ${PROGRAM} ${def.name} ${def.args} [options]`,
    '',
    `${def.summary[0].toUpperCase()}${def.summary.slice(1)}.`,
    '',
    'Options:',
    ...optionLines(def),
    '',
    ...def.details,
    '',
    ...EXIT_CODES_HELP,
    '',
  ].join('\n');
}
