// Ctrl-C (SIGINT) and SIGTERM during long work: abort the work, let each output undo what a
// half-finished write would leave behind, say what state every output is in, and exit with
// 128 + the signal number, as shells expect. A second signal exits at once.
import { CanceledError } from '../../src/model/errors.js';

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
export type InterruptSignal = keyof typeof EXIT_CODES;

/** How long the work gets to notice the abort before the outputs are cleaned up under it. */
const GRACE_MS = 3000;

/** Undoes or seals one output after an interruption; resolves to a sentence on the output's state. */
export type Settle = () => Promise<string>;

class Interruption {
  private readonly controller = new AbortController();
  private readonly outputs = new Set<Settle>();
  private received: InterruptSignal | undefined;
  private finishing: Promise<never> | undefined;

  /** Aborted on the first SIGINT or SIGTERM: pass it to the work so it stops. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get exitCode(): number | undefined {
    return this.received && EXIT_CODES[this.received];
  }

  listen(): void {
    for (const name of Object.keys(EXIT_CODES) as InterruptSignal[]) process.on(name, () => this.interrupt(name));
  }

  /** Registers an output's settle step until `release` (the output was committed or cleaned up). */
  track(settle: Settle): { release(): void } {
    this.outputs.add(settle);
    return { release: () => this.outputs.delete(settle) };
  }

  /** Throws CanceledError once interrupted, e.g. just before an output is committed. */
  throwIfInterrupted(): void {
    if (this.received) throw new CanceledError(`Interrupted by ${this.received}`);
  }

  /** The work stopped (or the grace period ran out): settle every output, report, exit. */
  finish(): Promise<never> {
    return (this.finishing ??= this.settleAndExit());
  }

  private async settleAndExit(): Promise<never> {
    const lines = await Promise.all([...this.outputs].map((settle) => settle().catch((error: unknown) => `${String(error)}`)));
    this.outputs.clear();
    process.stderr.write(`rxvds: interrupted by ${this.received}${lines.map((line) => `\nrxvds: ${line}`).join('')}\n`);
    process.exit(this.exitCode);
  }

  private interrupt(name: InterruptSignal): void {
    if (this.received) process.exit(EXIT_CODES[this.received]);
    this.received = name;
    this.controller.abort(new CanceledError(`Interrupted by ${name}`));
    setTimeout(() => void this.finish(), GRACE_MS).unref();
  }
}

export const interruption = new Interruption();
