// Child process for the writer-lock spec: waits for "go" on stdin, tries to become the writer of
// the `.vds` named on the command line, and prints "won" or "lost: <message>"; a winner holds the
// lock until stdin closes, or with `--exit` exits at once without releasing it.
import { once } from 'node:events';
import { WriterLock } from '../../sources/vdsFile/fileLock.js';

const [file, mode] = process.argv.slice(2) as [string, string | undefined];
process.stdout.write('ready\n');
await once(process.stdin, 'data');
try {
  const lock = await WriterLock.acquire(file);
  process.stdout.write('won\n');
  if (mode === '--exit') process.exit(0);
  process.stdin.resume();
  await once(process.stdin, 'end');
  await lock.release();
} catch (error) {
  process.stdout.write(`lost: ${(error as Error).message}\n`);
}
