// A module that only Node can run, for browserBundle.spec.ts to see the browser bundle refuse it.
import { readFileSync } from 'node:fs';
import { join } from 'path';

export function nodeOnly(): string {
  return Buffer.from(readFileSync(join(process.cwd(), 'package.json'))).toString('utf8');
}
