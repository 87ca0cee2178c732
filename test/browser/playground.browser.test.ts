/**
 * The playground at `/` in a real (headless) Chromium: GraphiQL loads from this server alone,
 * opens with the saved questions of queries/ as tabs, runs one against the seeded graph and
 * shows the schema's documentation. Every request the browser makes is recorded; anything
 * that leaves 127.0.0.1 is blocked and fails the last test (the playground must work offline).
 *
 * Needs Debian's chromium at /usr/bin/chromium (scripts/ensure-test-tools.sh installs it).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config/index.js';
import { HEADLINE_QUESTION, loadSavedQueries } from '../../src/api/saved-queries.js';
import { isLocal, launchChromium, offlineContext, type SeenRequest } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';

const SCREENSHOT = path.join(projectRoot, 'test-results/playground.png');
/** How long the browser may take for one step (page load, a query, the schema). */
const STEP_MS = 15_000;
const POLL = { timeout: STEP_MS };

/** First line of the `partners` field's description in schema/analyst.graphql. */
const PARTNERS_DESCRIPTION =
  'Partners of an organisation: the other organisations in the programmes it takes part in.';

describe('playground in a browser', () => {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let requests: SeenRequest[] = [];
  let aborted: SeenRequest[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startTestServer();
    ({ context, requests, aborted } = await offlineContext(browser, STEP_MS));
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens with the saved questions as tabs', async () => {
    const response = await page.goto(`${server!.url}/`);
    expect(response?.status()).toBe(200);
    // GraphiQL has rendered once its editors and tabs are there.
    await page.locator('.graphiql-container .graphiql-query-editor').waitFor();
    const tabButtons = page.locator('.graphiql-tabs .graphiql-tab-button');
    const saved = loadSavedQueries();
    const headline = saved.find((q) => q.name === HEADLINE_QUESTION);
    const expected = [
      headline?.operationName,
      ...saved.filter((q) => q !== headline).map((q) => q.operationName),
    ];
    expect(expected.length).toBeGreaterThan(0);
    await expect.poll(() => tabButtons.count(), POLL).toBe(expected.length);
    const titles = (await tabButtons.allInnerTexts()).map((t) => t.trim());
    expect(titles).toEqual(expected);
  });

  it('runs the first tab as it opens, with no other action: the headline question answers', async () => {
    // No tab is clicked and nothing is typed: what a newcomer sees is what ▶ runs.
    await expect
      .poll(() => editorValue(page, '.graphiql-query-editor'), POLL)
      .toContain('query PartnersInEthiopiaUnderMinistryGrant');
    await expect.poll(() => editorValue(page, '.graphiql-editor-tool'), POLL).toContain('Ethiopië');
    const answer = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/graphql' && r.request().method() === 'POST',
    );
    await page.locator('.graphiql-execute-button').click();
    const response = await answer;
    expect(response.status(), `POST /graphql answered: ${await response.text()}`).toBe(200);
    // The result pane is a CodeMirror editor: it paints only the lines in view, so read its
    // whole text from the editor, and check that the pane does show the answer.
    await expect.poll(() => editorValue(page, '.result-window'), POLL).toContain('"data"');
    const result = await editorValue(page, '.result-window');
    for (const text of [
      'Plan International Nederland',
      'Terre des Hommes',
      'Girls Advocacy Alliance',
      'Ministerie van Buitenlandse Handel en Ontwikkelingssamenwerking',
    ]) {
      expect(result, `result pane should mention ${text}`).toContain(text);
    }
    expect(result).not.toContain('"errors"');
    await expect
      .poll(() => page.locator('.result-window').innerText(), POLL)
      .toContain('"partners"');

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
  });

  it('documents the schema in the documentation explorer', async () => {
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.waitFor();
    // The schema comes from introspection: wait for the root types.
    const queryRoot = docs.locator('a.graphiql-doc-explorer-type-name', { hasText: /^Query$/ });
    await queryRoot.waitFor();
    await queryRoot.click();
    await expect
      .poll(() => docs.locator('.graphiql-doc-explorer-title').innerText(), POLL)
      .toBe('Query');
    const partners = docs.locator('a.graphiql-doc-explorer-field-name', { hasText: /^partners$/ });
    await expect.poll(() => partners.count(), POLL).toBe(1);
    await expect.poll(() => docs.innerText(), POLL).toContain(PARTNERS_DESCRIPTION);
  });

  it('asks nothing of any host but this server', () => {
    expect(requests.length, 'the browser should have made requests').toBeGreaterThan(0);
    const elsewhere = requests.filter((r) => !isLocal(r.url) && !/^(data|blob):/.test(r.url));
    expect(elsewhere, 'requests to other hosts').toEqual([]);
    expect(aborted, 'requests blocked for leaving 127.0.0.1').toEqual([]);
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  });
});

/** The whole text of the CodeMirror editor inside `selector` ('' when there is none yet). */
async function editorValue(page: Page, selector: string): Promise<string> {
  return page.evaluate((sel) => {
    // CodeMirror 5 keeps its editor object on its wrapper element.
    const element = document.querySelector<Element & { CodeMirror?: { getValue(): string } }>(
      `${sel} .CodeMirror`,
    );
    return element?.CodeMirror?.getValue() ?? '';
  }, selector);
}
