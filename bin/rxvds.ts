// rxvds command line: one binary, a sub-command per job, one-line errors and exit codes.
import { destroyChunkPool } from '../src/index.js';
import { copyCommand } from './commands/copy.js';
import { demoCommand } from './commands/demo.js';
import { exportSegyCommand } from './commands/exportSegy.js';
import { importSegyCommand } from './commands/importSegy.js';
import { infoCommand } from './commands/info.js';
import { sliceCommand } from './commands/slice.js';
import { type Command, parseCommandLine, UsageError } from './lib/command.js';

// The AWS SDK warns about Node 20 on every S3 client it creates; rxvds pins a version that supports it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const commands: Command[] = [demoCommand, infoCommand, sliceCommand, copyCommand, importSegyCommand, exportSegyCommand];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'rxvds: OpenVDS volume data stores from the command line',
    '',
    'Usage: rxvds <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --connection STRING (OpenVDS connection string) and --help.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command "${name}"; run rxvds --help`);
  const { positionals, values } = parseCommandLine(command, rest);
  if (values.help) {
    console.log(`Usage: ${command.usage}\n\n${command.summary}`);
    return 0;
  }
  await command.run(positionals, values);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    process.stderr.write(`rxvds: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
).finally(() => destroyChunkPool());
