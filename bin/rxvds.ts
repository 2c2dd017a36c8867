// rxvds command line: one binary, a sub-command per job, one-line errors and exit codes
// (1 for a failure, 2 for a bad command line, 130/143 for Ctrl-C/SIGTERM).
import { connectionStringSecrets, redactSecrets, scrub, urlSecrets } from '../sources/stores/redact.js';
import { catalog } from './commands/catalog.js';
import { parseCommandLine, UsageError } from './lib/command.js';
import { interruption } from './lib/interrupt.js';
import { configureProgress } from './lib/progress.js';
import { packageVersion } from './lib/version.js';

// The AWS SDK warns about Node 20 on every S3 client it creates; rxvds pins a version that supports it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function usage(): string {
  const width = Math.max(...catalog.map((c) => c.name.length));
  return [
    'rxvds: OpenVDS volume data stores from the command line',
    '',
    'Usage: rxvds <command> [options]',
    '',
    'Commands:',
    ...catalog.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --connection STRING (OpenVDS connection string), --help, and --progress bar|plain|json|none',
    '(default: RXVDS_PROGRESS, else a bar on a terminal and plain lines otherwise) or --quiet (no progress).',
    'Commands that write refuse to replace existing outputs unless given --overwrite.',
    'rxvds --version prints the version.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    console.log(packageVersion());
    return 0;
  }
  const entry = catalog.find((c) => c.name === name);
  if (!entry) throw new UsageError(`unknown command "${name}"; run rxvds --help`);
  const command = await entry.load();
  const { positionals, values } = parseCommandLine(command, rest);
  configureProgress(values);
  if (values.help) {
    console.log(`Usage: ${command.usage}\n\n${entry.summary}`);
    return 0;
  }
  try {
    await command.run(positionals, values);
  } finally {
    // The workers would keep the process alive for their idle timeout.
    await (await import('../src/index.js')).destroyChunkPool();
  }
  return 0;
}

/** Credentials given on the command line (URL userinfo and tokens, connection-string values): never printed. */
function commandLineSecrets(argv: readonly string[]): string[] {
  return argv.flatMap((arg, i) => {
    const connection = /^(?:-c|--(?:destination-|url-|input-)?connection)$/.test(argv[i - 1] ?? '') ? arg
      : /^--(?:destination-|url-|input-)?connection=/.test(arg) ? arg.slice(arg.indexOf('=') + 1) : undefined;
    return connection === undefined ? urlSecrets(arg) : connectionStringSecrets(connection);
  });
}

interruption.listen();
const argv = process.argv.slice(2);
main(argv).then(
  async (code) => {
    if (interruption.exitCode !== undefined) await interruption.finish();
    process.exitCode = code;
  },
  async (error: unknown) => {
    if (interruption.exitCode !== undefined) await interruption.finish();
    const message = error instanceof Error ? error.message : String(error);
    // One line per failure (a usage error adds the usage line), whatever a client library put in its message.
    const text = error instanceof UsageError ? message : message.replace(/\s*\n\s*/g, ' ');
    process.stderr.write(`rxvds: ${scrub(redactSecrets(text), commandLineSecrets(argv))}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
