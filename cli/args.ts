/** Command-line parsing helpers shared by the commands. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { TributaryError } from '../shared/errors';

/** A usage error: wrong flags or arguments (exit code 2). */
export class UsageError extends TributaryError {
  constructor(message: string) {
    super('cli', message);
  }
}

/** Options every command takes. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  data: { type: 'string' },
  sources: { type: 'string' },
  json: { type: 'boolean' },
  'allow-host': { type: 'string', multiple: true },
} as const satisfies ParseArgsConfig['options'];

/** Parses argv for one command, turning parseArgs' errors into UsageErrors. */
export function parseCommand<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

/** Checks a `--allow-host` value: `host` or `host:port`. */
export function allowHostsFrom(values: string[] | undefined): string[] {
  return (values ?? []).map((v) => {
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i.test(v)) throw new UsageError(`--allow-host takes HOST or HOST:PORT, got "${v}"`);
    return v.toLowerCase();
  });
}
