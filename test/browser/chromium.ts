import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { staticServer } from '../../scripts/serve.mjs';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The system's Chromium (Debian's `chromium` package; .ci/run installs it when missing), or the
 * one CHROMIUM_PATH names. Nothing is downloaded.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Chromium through playwright-core. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true });
}

/** A static server of `mounts` on a free port of 127.0.0.1; its base URL and a closer. */
export async function serve(mounts: Record<string, string>, isolated: boolean): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = staticServer(mounts, { isolated });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The built site (dist/), the data sets, and the test pages (test/browser/pages/). */
export const SITE = { '/': `${ROOT}dist`, '/datasets': `${ROOT}datasets`, '/test': `${ROOT}test/browser/pages` };
