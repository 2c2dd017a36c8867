// Marks a worker's reply so that Piscina moves its buffers back instead of copying them. Piscina's
// own `move` lives in its main module, and importing that (its pool, queues, histograms and their
// Node modules) was a quarter of a worker's start-up, ~20 ms of ~75. The mark it sets is a symbol
// of Piscina's symbols module, which Piscina's worker script has loaded already: it is taken from
// there. Should that module not be loaded where Piscina 5.3 keeps it (package.json pins the
// version), the main module is imported after all, on the first reply that moves anything.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

interface PiscinaSymbols {
  kMovable: symbol;
  kTransferable: symbol;
  kValue: symbol;
}

/** The symbols module Piscina's worker script loaded, when it is there. */
function loadedSymbols(): PiscinaSymbols | undefined {
  try {
    const require = createRequire(import.meta.url);
    const path = join(dirname(require.resolve('piscina')), 'symbols.js');
    // Only the instance Piscina's worker loaded holds the mark it checks for.
    if (!require.cache[path]) return undefined;
    const symbols = require(path) as Partial<PiscinaSymbols>;
    const ok = [symbols.kMovable, symbols.kTransferable, symbols.kValue].every((s) => typeof s === 'symbol');
    return ok ? symbols as PiscinaSymbols : undefined;
  } catch {
    return undefined;
  }
}

const symbols = loadedSymbols();
let piscinaMove: Promise<(result: unknown, transfer: ArrayBuffer[]) => unknown> | undefined;

/** How this worker marks replies: through the loaded symbols (true), or else Piscina's `move`. */
export const marksThroughLoadedSymbols = symbols !== undefined;

/** The reply `result` with `transfer` marked to move (not be copied) to the main thread. */
export function movingReply(result: unknown, transfer: ArrayBuffer[]): unknown {
  if (symbols) {
    const reply = { [symbols.kTransferable]: transfer, [symbols.kValue]: result };
    return Object.defineProperty(reply, symbols.kMovable, { value: true, enumerable: false, configurable: true, writable: true });
  }
  piscinaMove ??= import('piscina').then(({ move, transferableSymbol, valueSymbol }) =>
    (r: unknown, t: ArrayBuffer[]) => move({ [transferableSymbol]: t, [valueSymbol]: r as object }));
  return piscinaMove.then((move) => move(result, transfer));
}
