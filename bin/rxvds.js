#!/usr/bin/env node
// Launcher: runs the TypeScript CLI through tsx (whose loader the worker threads inherit).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./rxvds.ts', import.meta.url));
const result = spawnSync(process.execPath, ['--import=tsx', script, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
