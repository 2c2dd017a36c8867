// Runs the compiled `rxvds` as a user does: `node <repo>/bin/rxvds.js …` from another folder, with
// no TypeScript loader. The first use builds the package once (`npm run build`, incremental).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const RXVDS = fileURLToPath(new URL('../../bin/rxvds.js', import.meta.url));

const run = promisify(execFile);
let built: Promise<unknown> | undefined;

/** `npm run build` once per mocha run: a no-op rebuild takes a few seconds. */
export function buildCli(): Promise<unknown> {
  return (built ??= run('npm', ['run', 'build'], { cwd: REPO, env: cliEnv() }));
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Environment for the CLI: no coverage collection, no tsx inherited from mocha's NODE_OPTIONS, and
 * no progress lines on stderr (specs of progress pass `--progress` or RXVDS_PROGRESS: '').
 */
function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_V8_COVERAGE: '', RXVDS_WORKERS: '1', RXVDS_PROGRESS: 'none', ...extra };
  delete env.NODE_OPTIONS;
  return env;
}

/** Starts the CLI in `cwd`; `nodeArgs` go before the script (e.g. `--import` of a test hook). */
export function startCli(args: string[], cwd: string, options: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {}): ChildProcess & { result: Promise<CliResult> } {
  const child = spawn(process.execPath, [...options.nodeArgs ?? [], RXVDS, ...args], { cwd, env: cliEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return Object.assign(child, { result });
}

export function rxvds(args: string[], cwd: string, options: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return startCli(args, cwd, options).result;
}
