// Run after `c8 mocha` (npm test): fails when a source file was compiled two different ways in the
// processes that wrote coverage. c8 adds up V8's byte ranges per file URL before it applies a
// source map (the last one read), so two compilations of one file give it a wrong, usually far too
// low, figure without any warning. mocha and its pool workers require() the sources, which tsx
// compiles to CommonJS; `node --import=tsx script.ts` imports them as ES modules. Children started
// that way must run with NODE_V8_COVERAGE='' (see hostileDatasets.fuzz.spec.ts).
// Usage: node spec/support/checkCoverageData.mjs [COVERAGE_TMP_DIR] (default coverage/tmp)
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.argv[2] ?? join('coverage', 'tmp');
const project = `${pathToFileURL(process.cwd()).href}/`;

/** file URL → compilation fingerprint → coverage files holding it. */
const compilations = new Map();
for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
  const sourceMaps = JSON.parse(readFileSync(join(dir, name), 'utf8'))['source-map-cache'] ?? {};
  for (const [url, { lineLengths, data }] of Object.entries(sourceMaps)) {
    if (!url.startsWith(project) || url.includes('/node_modules/')) continue;
    const fingerprint = createHash('sha1').update(JSON.stringify([lineLengths, data?.mappings])).digest('hex');
    const byFingerprint = compilations.get(url) ?? new Map();
    byFingerprint.set(fingerprint, [...byFingerprint.get(fingerprint) ?? [], name]);
    compilations.set(url, byFingerprint);
  }
}

const mixed = [...compilations].filter(([, byFingerprint]) => byFingerprint.size > 1);
if (mixed.length > 0) {
  console.error(`Coverage is wrong: ${mixed.length} source file(s) were compiled differently in different processes, `
    + 'so c8 cannot merge their counts. Start tsx child processes with NODE_V8_COVERAGE=\'\'.');
  for (const [url, byFingerprint] of mixed.slice(0, 10)) {
    const smallest = [...byFingerprint.values()].sort((a, b) => a.length - b.length)[0];
    console.error(`  ${url.slice(project.length)}: ${byFingerprint.size} compilations; the rarest in ${smallest.slice(0, 3).join(', ')}`);
  }
  process.exit(1);
}
