// The version in rxvds's package.json, found from this module both as TypeScript (bin/lib) and
// compiled (dist/bin/lib).
import { readFileSync } from 'node:fs';

export function packageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'rxvds' && manifest.version) return manifest.version;
    } catch {
      // Not at this level: try the next one up.
    }
  }
  return 'unknown';
}
