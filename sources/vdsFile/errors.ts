// The error of a malformed `.vds` container: names the file and the structure that is wrong.
import { ReadError } from '../../src/model/errors.js';

export class VdsFileError extends ReadError {
  override name = 'VdsFileError';
  constructor(readonly path: string, problem: string) {
    super(`Corrupt .vds file ${path}: ${problem}`);
  }
}
