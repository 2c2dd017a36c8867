// Part of `npm test`'s set-up: the browser specs drive Debian's Chromium and the distributed specs
// start Debian's redis-server. Install whichever is missing when this user may (root or sudo);
// otherwise say which specs will be skipped, and why, instead of failing the run.
import { spawnSync } from 'node:child_process';

const needed = [
  { command: 'chromium', pkg: 'chromium', specs: 'browser and web-viewer' },
  { command: 'redis-server', pkg: 'redis-server', specs: 'distributed' },
];

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const missing = needed.filter(({ command }) => !has(command));
if (missing.length > 0) {
  const root = process.getuid?.() === 0;
  const sudo = !root && has('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  const packages = missing.map(({ pkg }) => pkg);
  if ((root || sudo) && has('apt-get')) {
    console.log(`Installing Debian packages the specs need: ${packages.join(', ')}`);
    const run = (args) => spawnSync(sudo ? 'sudo' : args[0], sudo ? args : args.slice(1),
      { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
    if (!run(['apt-get', 'update', '-qq']) || !run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...packages])) {
      console.log('apt-get failed; the specs that need these packages will be skipped.');
    }
  } else {
    for (const { pkg, specs } of missing) console.log(`${pkg} is not installed (apt-get install ${pkg}): the ${specs} specs will be skipped.`);
  }
}
