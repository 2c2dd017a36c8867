// Headless Chromium for the browser specs: Debian's `chromium` package (installed by `.ci/run`)
// driven through playwright-core, which never downloads a browser of its own.
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** Where Debian installs Chromium; `CHROMIUM` overrides it. */
export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

export function chromiumInstalled(): boolean {
  return existsSync(chromiumPath);
}

// Without the background-networking switches Chromium keeps dialling Google's hosts, which this
// machine's closed network refuses; --no-sandbox because CI runs as root.
const SWITCHES = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchChromium(): Promise<Browser> {
  if (!chromiumInstalled()) throw new Error(`Chromium is not installed at ${chromiumPath} (apt-get install chromium, or set CHROMIUM)`);
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath, args: SWITCHES });
}
