/**
 * Debian's Chromium, driven by playwright-core, as every browser test and picture script starts
 * it: headless, no sandbox (root in a container), and nothing of its own on the network (no
 * background requests, updates, sync or QUIC), so a page's requests are the page's.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { needs } from './tools.js';

export const CHROMIUM = process.env.DOCKMIG_CHROMIUM ?? '/usr/bin/chromium';

/** Whether a suite can run (see needs: a skip with a warning, or a failure under CI=true). */
export function needsChromium(suite: string): boolean {
  return needs(suite, `Chromium (${CHROMIUM})`, existsSync(CHROMIUM));
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
