/**
 * The command line, `cdktf-sandbox-byoc <command>` (bin/cdktf-sandbox-byoc.js): validate, explain,
 * synth and preflight for spec files. main() takes the arguments and the streams and returns the
 * exit code, so tests run it in-process. validate, explain and preflight load no cdktf and no
 * provider package; synth loads cdktf and the target cloud's provider only.
 */
import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { CommandDef, ParsedArgs, UsageError, parseCommandArgs, suggest } from './args';
import { EXPLAIN, runExplain } from './commands/explain';
import { PREFLIGHT, runPreflightCommand } from './commands/preflight';
import { SYNTH, runSynth } from './commands/synth';
import { VALIDATE, runValidate } from './commands/validate';
import { PROGRAM, commandHelp, programHelp } from './help';
import { CliIo, ExitCode } from './io';

export { CliIo, ExitCode, OutputFormat, JSON_SCHEMA_VERSION } from './io';
export { UsageError } from './args';

interface Command {
  readonly def: CommandDef;
  readonly run: (io: CliIo, args: ParsedArgs) => ExitCode | Promise<ExitCode>;
}

export const COMMANDS: readonly Command[] = [
  { def: VALIDATE, run: runValidate },
  { def: EXPLAIN, run: runExplain },
  { def: SYNTH, run: runSynth },
  { def: PREFLIGHT, run: runPreflightCommand },
];

/** The package's version (package.json above this module, in the repository and in dist/). */
export function packageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PROGRAM) return pkg.version ?? 'unknown';
    }
  }
  return 'unknown';
}

function usage(io: CliIo, e: UsageError): ExitCode {
  const more = e.command ? `${PROGRAM} ${e.command} --help` : `${PROGRAM} --help`;
  io.stderr(`${PROGRAM}: ${e.message}\n  fix: ${e.fix}${e.fix.includes('--help') ? '' : `\n  help: ${more}`}\n`);
  return ExitCode.USAGE;
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(programHelp(COMMANDS.map((c) => c.def)));
    return ExitCode.USAGE;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const named = first === 'help' && rest[0] !== undefined ? COMMANDS.find((c) => c.def.name === rest[0]) : undefined;
    if (first === 'help' && rest[0] !== undefined && !named) return usage(io, unknownCommand(rest[0]));
    io.stdout(named ? commandHelp(named.def) : programHelp(COMMANDS.map((c) => c.def)));
    return ExitCode.OK;
  }
  if (first === '--version' || first === '-V') {
    io.stdout(`${packageVersion()}\n`);
    return ExitCode.OK;
  }
  const command = COMMANDS.find((c) => c.def.name === first);
  if (!command) throw unknownCommand(first);
  const args = parseCommandArgs(command.def, rest);
  if (args.options.help) {
    io.stdout(commandHelp(command.def));
    return ExitCode.OK;
  }
  return command.run(io, args);
}

function unknownCommand(word: string): UsageError {
  const names = COMMANDS.map((c) => c.def.name);
  if (word.startsWith('-')) {
    return new UsageError(`${word} before a command`, `put options after the command: ${PROGRAM} <${names.join('|')}> ${word}`);
  }
  const near = suggest(word, names);
  return new UsageError(`unknown command ${JSON.stringify(word)}`, `${near ? `did you mean ${near}? ` : ''}the commands are ${names.join(', ')}`);
}

/**
 * Runs the command line: `argv` are the arguments after the program name. Writes to io.stdout /
 * io.stderr and resolves to the exit code (ExitCode); never throws and never exits the process.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    if (e instanceof UsageError) return usage(io, e);
    io.stderr(`${PROGRAM}: internal error (a bug; please report it with the command you ran):\n${(e as Error)?.stack ?? String(e)}\n`);
    return ExitCode.INTERNAL;
  }
}
