/**
 * Debian's headless Chromium for the browser tests, offline: every request the pages make is
 * recorded, and any that would leave 127.0.0.1 is blocked and recorded too (the pages must
 * work without the internet). Needs /usr/bin/chromium (scripts/ensure-test-tools.sh).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost']);

export interface SeenRequest {
  method: string;
  url: string;
}

export function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:') return true;
  return LOCAL_HOSTS.has(hostname);
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium: apt-get install -y chromium ` +
        '(or run scripts/ensure-test-tools.sh as root)',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
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

/** A 1400×900 context that records every request and blocks those leaving this machine. */
export async function offlineContext(
  browser: Browser,
  stepMs: number,
): Promise<{ context: BrowserContext; requests: SeenRequest[]; aborted: SeenRequest[] }> {
  const requests: SeenRequest[] = [];
  const aborted: SeenRequest[] = [];
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
  });
  context.setDefaultTimeout(stepMs);
  context.on('request', (request) => {
    requests.push({ method: request.method(), url: request.url() });
  });
  await context.route('**/*', async (route) => {
    const request = route.request();
    if (isLocal(request.url())) {
      await route.continue();
    } else {
      aborted.push({ method: request.method(), url: request.url() });
      await route.abort('blockedbyclient');
    }
  });
  return { context, requests, aborted };
}
