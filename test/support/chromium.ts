/**
 * Debian's Chromium (`apt-get install chromium`) driven by playwright-core, for the console tests.
 * Each launch gets a fresh profile in a temp dir (no state between runs) and stays on loopback:
 * no background networking, component updates, sync or QUIC.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

/** why the browser tests cannot run here, or undefined when they can (CI installs chromium) */
export const chromiumMissing: string | undefined = existsSync(chromiumPath)
  ? undefined
  : `${chromiumPath} is missing: install Debian's chromium (apt-get install chromium) to run the console tests`;

export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface RunningChromium {
  context: BrowserContext;
  userDataDir: string;
  close(): Promise<void>;
}

/** Starts Chromium with a fresh `--user-data-dir` (playwright passes it from `userDataDir`). */
export async function launchChromium(opts: { viewport?: { width: number; height: number } } = {}): Promise<RunningChromium> {
  if (chromiumMissing) throw new Error(chromiumMissing);
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'edigw-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    timeout: 30_000,
  });
  return {
    context,
    userDataDir,
    async close() {
      await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
