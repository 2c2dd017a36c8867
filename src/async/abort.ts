// AbortSignal helpers shared by stores and operators.
import { CanceledError } from '../model/errors.js';

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CanceledError();
}
