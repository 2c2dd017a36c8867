// One writer per `.vds` file: the writer holds `<file>.lock`, created exclusively. Readers never
// lock. The lock records its owner (pid, host, process start), so the lock of a writer that died
// on this host (killed, crashed) is recognised and taken over instead of needing manual cleanup;
// a lock held from another host cannot be checked and is refused.
//
// Taking over must let exactly one of several resumers win. A resumer that finds a dead owner's
// lock claims that very lock by creating `<lock>.<identity>.claim` exclusively; only the claim's
// creator may replace the lock, which it does by renaming its claim over it after checking the
// lock is still the dead one. A claimer that dies leaves a claim that is taken over the same way.
import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidOperationError, StoreError, WriteError } from '../../src/model/errors.js';

/** A lock file that cannot be parsed is left by a writer killed while creating it once it is this old. */
const MALFORMED_STALE_MS = 5000;
/** How long to keep retrying while a fresh malformed lock ages or another resumer finishes taking over. */
const ACQUIRE_PATIENCE_MS = MALFORMED_STALE_MS + 2000;
const RETRY_MS = 50;

interface LockOwner {
  pid: number;
  host: string;
  /** When the process started (Linux: clock ticks since boot), to tell a reused pid apart. */
  started?: string;
  /** Unique per lock: names the lock in claims and tells its holder it is still the owner. */
  token: string;
}

/** A lock or claim file as found on disk. */
interface LockFile {
  path: string;
  /** The owner's token, or the inode of a file whose content is not a lock record. */
  identity: string;
  owner?: LockOwner;
  ageMs: number;
}

type OwnerState = 'alive' | 'dead' | 'foreign' | 'being-written';

/** Locks this process holds, removed on exit even if nobody closed their store. */
const held = new Map<string, string>();
let exitHookInstalled = false;

export class WriterLock {
  private constructor(readonly path: string, private readonly token: string) {
    if (!exitHookInstalled) process.on('exit', releaseAllOnExit);
    exitHookInstalled = true;
    held.set(path, token);
  }

  static async acquire(file: string): Promise<WriterLock> {
    const path = `${file}.lock`;
    const mine = currentOwner();
    const giveUp = Date.now() + ACQUIRE_PATIENCE_MS;
    for (;;) {
      if (await createExclusive(path, mine)) return new WriterLock(path, mine.token);
      const found = await readLockFile(path);
      if (!found) continue; // released in the meantime
      const state = ownerState(found);
      if (state === 'alive' || state === 'foreign') throw heldElsewhere(file, found, state);
      if (state === 'dead' && await takeOver(path, mine, [found])) return new WriterLock(path, mine.token);
      if (Date.now() > giveUp) {
        throw new InvalidOperationError(`Cannot write ${file}: ${path} stays unusable (another writer may be taking it over); ` +
          `delete it if no writer is running`);
      }
      await sleep(RETRY_MS);
    }
  }

  async release(): Promise<void> {
    held.delete(this.path);
    if (await readLockFile(this.path).then((found) => found?.identity === this.token, () => false)) await rm(this.path, { force: true });
  }
}

function currentOwner(): LockOwner {
  return { pid: process.pid, host: hostname(), started: processStart(process.pid), token: randomBytes(16).toString('hex') };
}

/** Field 22 of /proc/<pid>/stat: the process start time, absent where there is no /proc. */
function processStart(pid: number): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; the fields after it do not.
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[22 - 3];
  } catch {
    return undefined;
  }
}

/** Creates `path` holding `owner` unless it exists. */
async function createExclusive(path: string, owner: LockOwner): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new WriteError(`Cannot create the writer lock ${path}: ${(error as Error).message}`, -1, { cause: error });
  }
  try {
    await handle.writeFile(`${JSON.stringify(owner)}\n`);
  } catch (error) {
    await rm(path, { force: true });
    throw new WriteError(`Cannot write the writer lock ${path}: ${(error as Error).message}`, -1, { cause: error });
  } finally {
    await handle.close();
  }
  return true;
}

/** The lock file at `path`, or undefined when there is none. */
async function readLockFile(path: string): Promise<LockFile | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StoreError(`Cannot read the writer lock ${path}: ${(error as Error).message}`, -1, { cause: error });
  }
  try {
    // One handle for both, so the inode and the content are those of the same file.
    const info = await handle.stat();
    const owner = parseOwner(await handle.readFile('utf8'));
    return { path, identity: owner?.token ?? `inode${info.ino}`, owner, ageMs: Date.now() - info.mtimeMs };
  } finally {
    await handle.close();
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    const valid = Number.isSafeInteger(value.pid) && value.pid! > 0 && typeof value.host === 'string' && value.host !== '' &&
      typeof value.token === 'string' && /^[0-9a-f]{32}$/.test(value.token) && (value.started === undefined || typeof value.started === 'string');
    return valid ? { pid: value.pid!, host: value.host!, started: value.started, token: value.token! } : undefined;
  } catch {
    return undefined;
  }
}

function ownerState({ owner, ageMs }: LockFile): OwnerState {
  if (!owner) return ageMs > MALFORMED_STALE_MS ? 'dead' : 'being-written';
  if (owner.host !== hostname()) return 'foreign';
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return 'dead';
  }
  const started = owner.started === undefined ? undefined : processStart(owner.pid);
  return started !== undefined && started !== owner.started ? 'dead' : 'alive';
}

function heldElsewhere(file: string, { path, owner }: LockFile, state: 'alive' | 'foreign'): InvalidOperationError {
  return new InvalidOperationError(state === 'alive'
    ? `Cannot write ${file}: another writer has it open (process ${owner!.pid} on this host holds ${path})`
    : `Cannot write ${file}: another writer has it open (process ${owner!.pid} on host ${owner!.host} holds ${path}; ` +
      `delete ${path} if you are sure no writer is running there)`);
}

/**
 * Replaces the dead lock at the head of `chain` with `mine`. `chain` is the lock, then any claims
 * on it whose claimers died; the last one is claimed. True when this process now holds the lock.
 */
async function takeOver(lockPath: string, mine: LockOwner, chain: LockFile[]): Promise<boolean> {
  const claimPath = `${lockPath}.${chain.at(-1)!.identity}.claim`;
  if (await createExclusive(claimPath, mine)) {
    // While we hold this claim nobody else can change any file of the chain: check none changed
    // between our reading and our claiming it.
    const current = await Promise.all(chain.map((link) => readLockFile(link.path)));
    if (current.every((found, i) => found?.identity === chain[i]!.identity)) {
      await rename(claimPath, lockPath);
      // The dead claimers' claims name a lock that no longer exists.
      await Promise.all(chain.slice(1).map((claim) => rm(claim.path, { force: true })));
      return true;
    }
    await rm(claimPath, { force: true });
    return false;
  }
  const claim = await readLockFile(claimPath);
  // No claim: it just won and is gone; any other claimer than a dead one: let it finish.
  if (!claim || ownerState(claim) !== 'dead') return false;
  return takeOver(lockPath, mine, [...chain, claim]);
}

function releaseAllOnExit(): void {
  for (const [path, token] of held) {
    try {
      if (readFileSync(path, 'utf8').includes(token)) unlinkSync(path);
    } catch {
      // Already gone, or unreadable: a dead owner's lock is taken over by the next writer anyway.
    }
  }
}
