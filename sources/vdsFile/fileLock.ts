// One writer per `.vds` file: the writer holds `<file>.lock`, created exclusively. Readers never lock.
import { open, rm } from 'node:fs/promises';
import { InvalidOperationError, StoreError } from '../../src/errors.js';

export class WriterLock {
  private constructor(readonly path: string) {}

  static async acquire(file: string): Promise<WriterLock> {
    const path = `${file}.lock`;
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new InvalidOperationError(`Cannot write ${file}: another writer has it open (${path} exists; delete it if no writer is running)`);
      }
      throw new StoreError(`Cannot create the writer lock ${path}: ${(error as Error).message}`, -1, { cause: error });
    }
    return new WriterLock(path);
  }

  async release(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
