// The shape of one CLI command and the shared option parsing.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Parsed options; repeatable ones arrive as arrays. */
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** What a command does; its name and summary are in `commands/catalog.ts`. */
export interface Command {
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(positionals: string[], values: OptionValues): Promise<void>;
}

/** Thrown for bad command lines: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const commonOptions = {
  connection: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h' },
  // Read by `configureProgress` (progress.ts): bar, plain, json or none; --quiet is none.
  progress: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

export function parseCommandLine(command: Command, argv: string[]): { positionals: string[]; values: OptionValues } {
  try {
    const { positionals, values } = parseArgs({ args: argv, options: { ...commonOptions, ...command.options }, allowPositionals: true, strict: true });
    return { positionals, values: values as OptionValues };
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nUsage: ${command.usage}`);
  }
}

export function integerOption(values: Record<string, unknown>, name: string, fallback: number, min = 0): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${String(raw)}"`);
  return value;
}

/** The value of an option that has several names (SEGYImport's aliases); giving two of them is a usage error. */
export function stringOption(values: OptionValues, ...names: string[]): string | undefined {
  const given = names.filter((n) => values[n] !== undefined);
  if (given.length > 1) throw new UsageError(`--${given[0]} and --${given[1]} are the same option; give one`);
  return given.length ? String(values[given[0]!]) : undefined;
}
