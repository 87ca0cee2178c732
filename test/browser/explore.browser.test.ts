/**
 * The explorer, the country view and the money flows in a real (headless) Chromium, as an
 * analyst uses them: search "Down to Zero", open it, expand a node by clicking it, hover an edge
 * and read its quote, open a country view from a country node, and download its CSV; then, on a
 * real publisher's IATI file, a funder's Sankey whose total is moneyTotals', a year range, and a
 * country with money by sector. Every request is
 * recorded: anything that leaves 127.0.0.1 is blocked and fails the last test, and so does any
 * console error. Screenshots go to test-results/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Core, EdgeSingular } from 'cytoscape';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PALETTE } from '../../src/explore/palette.js';
import { projectRoot } from '../../src/config/index.js';
import { importIati } from '../../src/ingest/iati/import-iati.js';
import { launchChromium, offlineContext, type SeenRequest } from '../support/browser.js';
import { database } from '../support/neo4j.js';
import { gql, startTestServer, type TestServer } from '../support/server.js';

const RESULTS = path.join(projectRoot, 'test-results');
const POLL = { timeout: 15_000 };
const REAL_FILE = path.resolve(projectRoot, '../shared/iati/real/dportal-page32-tdh-cordaid.xml');

/** Where a graph element is on the page (cy's rendered position plus the canvas's offset). */
async function pointOf(page: Page, selector: string): Promise<{ x: number; y: number }> {
  return page.evaluate((sel) => {
    const cy = (window as unknown as { explorer: { cy: Core } }).explorer.cy;
    const element = cy.$(sel).first();
    const at = element.isEdge() ? element.renderedMidpoint() : element.renderedPosition();
    const box = cy.container()!.getBoundingClientRect();
    return { x: box.left + at.x, y: box.top + at.y };
  }, selector);
}

/**
 * Pairs of nodes whose boxes, labels included, overlap on the screen (more than a pixel each
 * way), as Cytoscape rendered them; empty when the picture can be read.
 */
async function overlaps(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const cy = (window as unknown as { explorer: { cy: Core } }).explorer.cy;
    const boxes = cy.nodes().map((n) => ({
      name: n.data('name') as string,
      box: n.renderedBoundingBox({ includeLabels: true, includeOverlays: false }),
    }));
    const found: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        if (!a || !b) continue;
        const w = Math.min(a.box.x2, b.box.x2) - Math.max(a.box.x1, b.box.x1);
        const h = Math.min(a.box.y2, b.box.y2) - Math.max(a.box.y1, b.box.y1);
        if (w > 1 && h > 1) found.push(`${a.name} / ${b.name}`);
      }
    }
    return found;
  });
}

/** Pairs of Sankey labels that overlap each other, or a node that is not their own. */
async function labelOverlaps(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const labels = Array.from(document.querySelectorAll('[data-testid="flow-label"]')).map((t) => ({
      name: t.textContent ?? '',
      box: t.getBoundingClientRect(),
    }));
    const nodes = Array.from(document.querySelectorAll('[data-testid="flow-node"]')).map((r) =>
      r.getBoundingClientRect(),
    );
    const overlap = (a: DOMRect, b: DOMRect) =>
      Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
      Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
    const found: string[] = [];
    labels.forEach((a, i) => {
      labels.slice(i + 1).forEach((b) => {
        if (overlap(a.box, b.box)) found.push(`${a.name} / ${b.name}`);
      });
      nodes.forEach((n, j) => {
        if (j !== i && overlap(a.box, n)) found.push(`${a.name} / node ${j}`);
      });
    });
    return found;
  });
}

/** The colours the country chart draws its funders in, in the order of the funders table. */
async function chartColours(page: Page): Promise<string[]> {
  const colours = await page.getByTestId('chart').getAttribute('data-colours');
  return JSON.parse(colours ?? '[]') as string[];
}

describe('explorer in a browser', () => {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let requests: SeenRequest[] = [];
  let aborted: SeenRequest[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startTestServer();
    const offline = await offlineContext(browser, 15_000);
    const { context } = offline;
    requests = offline.requests;
    aborted = offline.aborted;
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    mkdirSync(RESULTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('finds "Down to Zero" by search and draws its countries and its lead', async () => {
    expect((await page.goto(`${server!.url}/explore`))?.status()).toBe(200);
    // The first screen is not empty: it opens on us, the home organisation.
    const graph = page.getByTestId('graph');
    await expect
      .poll(() => graph.getAttribute('data-expanded'), POLL)
      .toBe('ORGANISATION:defence-for-children');
    await expect
      .poll(() => page.getByTestId('panel-name').innerText(), POLL)
      .toBe('Defence for Children');
    // The first screen can be read: no node or label lies on another.
    expect(
      await page.evaluate(
        () => (window as unknown as { explorer: { cy: Core } }).explorer.cy.nodes().length,
      ),
    ).toBeGreaterThan(10);
    expect(await overlaps(page)).toEqual([]);
    await page.screenshot({ path: path.join(RESULTS, 'explore-home.png') });
    await page.getByTestId('search').fill('Down to Zero');
    await page
      .getByTestId('hit')
      .filter({ hasText: /^Down to Zero/ })
      .first()
      .click();
    await expect
      .poll(() => graph.getAttribute('data-expanded'), POLL)
      .toBe('PROGRAMME:down-to-zero');
    expect(await graph.getAttribute('data-ready')).toBe('1');
    const drawn = await page.evaluate(() => {
      const cy = (window as unknown as { explorer: { cy: Core } }).explorer.cy;
      const programme = cy.getElementById('PROGRAMME:down-to-zero');
      return {
        countries: programme
          .outgoers('node[type = "COUNTRY"]')
          .map((n) => n.data('key') as string)
          .sort(),
        leads: programme
          .incomers('edge[role = "LEAD"]')
          .map((e) => (e as EdgeSingular).source().data('name') as string),
      };
    });
    expect(drawn.countries).toEqual(['BR', 'DO', 'ID', 'IN', 'PH', 'TH']);
    expect(drawn.leads).toEqual(['Terre des Hommes']);
    // A programme with many partners and countries lays out without overlaps too.
    expect(await overlaps(page)).toEqual([]);
    await expect.poll(() => page.getByTestId('panel-name').innerText(), POLL).toBe('Down to Zero');
  });

  it('expands a node on click and shows the quote of an edge on hover', async () => {
    const before = await page.evaluate(
      () => (window as unknown as { explorer: { cy: Core } }).explorer.cy.nodes().length,
    );
    const lead = await pointOf(page, 'node[name = "Terre des Hommes"]');
    await page.mouse.click(lead.x, lead.y);
    await expect.poll(() => page.getByTestId('graph').getAttribute('data-ready'), POLL).toBe('2');
    const after = await page.evaluate(
      () => (window as unknown as { explorer: { cy: Core } }).explorer.cy.nodes().length,
    );
    expect(after).toBeGreaterThan(before);
    await expect
      .poll(() => page.getByTestId('panel-name').innerText(), POLL)
      .toBe('Terre des Hommes');
    // And so does the picture after an expand.
    expect(await overlaps(page)).toEqual([]);

    const edge = await pointOf(page, 'edge[role = "LEAD"][target = "PROGRAMME:down-to-zero"]');
    await page.mouse.move(edge.x, edge.y);
    const tooltip = page.getByTestId('tooltip');
    await expect.poll(() => tooltip.isVisible(), POLL).toBe(true);
    // The quote behind "Terre des Hommes LEAD Down to Zero": the page calls it penvoerder.
    await expect
      .poll(() => page.getByTestId('tooltip-quote').innerText(), POLL)
      .toBe('voeren we in samenwerking met Terre des Hommes (penvoerder)');
    expect(await tooltip.innerText()).toContain('source: institutionele-donoren');
    await page.screenshot({ path: path.join(RESULTS, 'explore.png') });
  });

  it('opens a country view from a country node, with its table and chart, and downloads its CSV', async () => {
    const ph = await pointOf(page, '[id = "COUNTRY:PH"]');
    await page.mouse.move(ph.x, ph.y);
    await page.mouse.click(ph.x, ph.y);
    await page.getByTestId('country-link').click();
    await page.waitForURL(/\/explore\/country\/PH$/);
    await expect
      .poll(() => page.getByTestId('chart').getAttribute('data-ready'), POLL)
      .toBe('true');
    await expect
      .poll(() => page.getByTestId('programmes').innerText(), POLL)
      .toContain('Down to Zero');
    await page.screenshot({ path: path.join(RESULTS, 'explore-country.png'), fullPage: true });
    expect(await chartColours(page)).toHaveLength(1);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-csv').click(),
    ]);
    expect(download.suggestedFilename()).toBe('country-profile.csv');
    const file = path.join(RESULTS, 'country-profile-PH.csv');
    await download.saveAs(file);
    const rows = parse<Record<string, string>>(readFileSync(file, 'utf8'), { columns: true });
    expect(rows.map((r) => r['programme.name'])).toContain('Down to Zero');
    const dtz = rows.find((r) => r['programme.name'] === 'Down to Zero');
    expect(dtz?.['participants.name']).toContain('Terre des Hommes');
  });

  it('tells the funders of a country apart, in colour-blind-safe colours', async () => {
    // The Netherlands: three funders in the seed.
    await page.goto(`${server?.url ?? ''}/explore/country/NL`);
    await expect
      .poll(() => page.getByTestId('chart').getAttribute('data-ready'), POLL)
      .toBe('true');
    const funderRows = await page.getByTestId('funders').locator('tbody tr').count();
    expect(funderRows).toBe(3);
    const colours = await chartColours(page);
    expect(colours).toHaveLength(funderRows);
    expect(new Set(colours).size).toBe(funderRows);
    for (const c of colours) expect(PALETTE).toContain(c);
    await page.screenshot({ path: path.join(RESULTS, 'explore-country-NL.png'), fullPage: true });
  });

  it('draws the funding relations of a funder without amounts, from the explorer panel', async () => {
    await page.goto(
      `${server?.url ?? ''}/explore?type=ORGANISATION&key=ministerie-buitenlandse-zaken`,
    );
    await expect
      .poll(() => page.getByTestId('panel-name').innerText(), POLL)
      .toBe('Ministerie van Buitenlandse Zaken');
    await page.getByTestId('flows-link').click();
    await page.waitForURL(/\/explore\/flows\?funder=ministerie-buitenlandse-zaken$/);
    const sankey = page.getByTestId('sankey');
    await expect.poll(() => sankey.getAttribute('data-ready'), POLL).toBe('true');
    expect(await page.getByTestId('flows-note').innerText()).toContain('give no amounts');
    const nodes = await page
      .getByTestId('flow-node')
      .evaluateAll((rects) => rects.map((r) => r.getAttribute('data-id')));
    expect(nodes).toEqual(
      expect.arrayContaining([
        'FUNDER:ministerie-buitenlandse-zaken',
        'RECIPIENT:defence-for-children',
      ]),
    );
    expect(await labelOverlaps(page)).toEqual([]);
    // Each column in its own place, left to right, whatever paths skip the fund column.
    const xs = await page
      .getByTestId('flow-node')
      .evaluateAll((rects) =>
        rects.map((r) => [r.getAttribute('data-id')?.split(':')[0], r.getAttribute('x')]),
      );
    const columnX = new Map<string, Set<string>>();
    for (const [column, x] of xs)
      columnX.set(column ?? '', (columnX.get(column ?? '') ?? new Set()).add(x ?? ''));
    expect(columnX.size).toBeGreaterThanOrEqual(3);
    expect([...columnX.values()].every((x) => x.size === 1)).toBe(true);
    const order = ['FUNDER', 'FUND', 'PROGRAMME', 'RECIPIENT']
      .filter((c) => columnX.has(c))
      .map((c) => Number([...(columnX.get(c) ?? [])][0]));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(order).size).toBe(order.length);
    // No money, so no money by sector: said, not drawn empty.
    await expect
      .poll(() => page.getByTestId('sectors').getAttribute('data-ready'), POLL)
      .toBe('true');
    expect(await page.getByTestId('no-sectors').count()).toBe(1);
    await page.screenshot({ path: path.join(RESULTS, 'explore-flows-page.png'), fullPage: true });
  });

  it('draws a funder’s money on real IATI data: the Sankey’s total is moneyTotals’, for every year and for a range', async () => {
    await importIati(server!.driver, database(), [REAL_FILE]);
    const totals = async (args: string) => {
      const { body } = await gql<{
        moneyTotals: {
          currency: string;
          value: number;
          count: number;
          year: number | null;
          funder: { key: string } | null;
        }[];
      }>(
        server!,
        `{ moneyTotals(${args}, types: [DISBURSEMENT, EXPENDITURE], limit: 100) { currency value count year funder { key } } }`,
      );
      return body.data?.moneyTotals ?? [];
    };
    // The funder with the most transactions, and its main currency.
    const byFunder = (await totals('groupBy: [FUNDER, YEAR]')).filter((r) => r.funder);
    const counts = new Map<string, number>();
    for (const r of byFunder) counts.set(r.funder!.key, (counts.get(r.funder!.key) ?? 0) + r.count);
    const funder = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
    const mine = byFunder.filter((r) => r.funder?.key === funder);
    const perCurrency = new Map<string, number>();
    for (const r of mine) perCurrency.set(r.currency, (perCurrency.get(r.currency) ?? 0) + r.value);
    const [currency] = [...perCurrency].sort((a, b) => b[1] - a[1])[0] ?? [''];
    const sum = (rows: typeof mine) =>
      Math.round(rows.filter((r) => r.currency === currency).reduce((s, r) => s + r.value, 0));

    await page.goto(`${server?.url ?? ''}/explore/flows?funder=${encodeURIComponent(funder)}`);
    const sankey = page.getByTestId('sankey');
    await expect.poll(() => sankey.getAttribute('data-ready'), POLL).toBe('true');
    expect(await sankey.getAttribute('data-currency')).toBe(currency);
    expect(Math.round(Number(await sankey.getAttribute('data-total')))).toBe(sum(mine));
    expect(Number(await sankey.getAttribute('data-links'))).toBeGreaterThan(2);
    expect(await labelOverlaps(page)).toEqual([]);
    // Money by sector for the same funder, drawn below.
    await expect
      .poll(() => page.getByTestId('sectors').getAttribute('data-ready'), POLL)
      .toBe('true');

    // Hover a link: its amount and the facts behind it.
    const link = page.getByTestId('flow-link').first();
    const box = await link.boundingBox();
    expect(box).not.toBeNull();
    await page.mouse.move(box!.x + box!.width / 2, box!.y + box!.height / 2);
    const tooltip = page.getByTestId('tooltip');
    await expect.poll(() => tooltip.isVisible(), POLL).toBe(true);
    expect(await tooltip.innerText()).toMatch(new RegExp(`${currency} · \\d+ transactions?`));
    expect(await tooltip.innerText()).toContain('sources: iati-');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(RESULTS, 'explore-flows.png'), fullPage: true });

    // A year range: the years of moneyTotals inside it.
    const years = [...new Set(mine.map((r) => r.year ?? 0))].sort();
    expect(years.length).toBeGreaterThan(2);
    const [from, to] = [years[1] ?? 0, years[years.length - 2] ?? 0];
    await page.getByTestId('from-year').fill(String(from));
    await page.getByTestId('to-year').fill(String(to));
    await page.getByTestId('apply-years').click();
    await expect
      .poll(async () => Math.round(Number(await sankey.getAttribute('data-total'))), POLL)
      .toBe(sum(mine.filter((r) => (r.year ?? 0) >= from && (r.year ?? 0) <= to)));
    expect(page.url()).toContain(`fromYear=${from}&toYear=${to}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('banner').getByTestId('download-csv').click(),
    ]);
    expect(download.suggestedFilename()).toBe('money-flows.csv');
    const file = path.join(RESULTS, 'money-flows.csv');
    await download.saveAs(file);
    const rows = parse<Record<string, string>>(readFileSync(file, 'utf8'), { columns: true });
    const csvTotal = rows
      .filter((r) => r['from.column'] === 'FUNDER' && r.currency === currency)
      .reduce((s, r) => s + Number(r.value), 0);
    expect(Math.round(csvTotal)).toBe(
      sum(mine.filter((r) => (r.year ?? 0) >= from && (r.year ?? 0) <= to)),
    );
    // A real file imported, then a page drawn four times: 10–15 s alone, more beside the other projects.
  }, 120_000);

  it('shows a country with IATI money: funders per year and money by sector', async () => {
    const { body } = await gql<{
      moneyTotals: { country: { code: string } | null; count: number }[];
    }>(server!, '{ moneyTotals(groupBy: [COUNTRY], limit: 100) { country { code } count } }');
    const [top] = (body.data?.moneyTotals ?? [])
      .filter((r) => r.country)
      .sort((a, b) => b.count - a.count);
    await page.goto(`${server?.url ?? ''}/explore/country/${top?.country?.code ?? ''}`);
    await expect
      .poll(() => page.getByTestId('chart').getAttribute('data-ready'), POLL)
      .toBe('true');
    await expect
      .poll(() => page.getByTestId('sectors').getAttribute('data-ready'), POLL)
      .toBe('true');
    expect(await page.getByTestId('sector-chart').count()).toBe(1);
    const colours = await chartColours(page);
    expect(new Set(colours).size).toBe(colours.length);
    await page.screenshot({
      path: path.join(RESULTS, 'explore-country-money.png'),
      fullPage: true,
    });
  });

  it('says what it is loading while the answers are on their way, then draws them', async () => {
    // The answers are held back until the signs have been read (a cold answer on a large graph
    // takes seconds); the page's own route falls back to the context's, which records them.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const hold = async (route: Route) => {
      await held;
      await route.fallback();
    };
    await page.route('**/graphql?*', hold);
    try {
      // Cordaid, of the real file imported above.
      await page.goto(`${server?.url ?? ''}/explore/flows?funder=Cordaid`);
      const sign = page.getByTestId('sankey').getByTestId('loading');
      await expect.poll(() => sign.textContent(), POLL).toBe('Loading the money flows…');
      expect(await sign.getAttribute('role')).toBe('status');
      expect(await page.getByTestId('sankey').getAttribute('data-ready')).toBe('');
      release();
      const sankey = page.getByTestId('sankey');
      await expect.poll(() => sankey.getAttribute('data-ready'), POLL).toBe('true');
      await expect
        .poll(() => page.getByTestId('sectors').getAttribute('data-ready'), POLL)
        .toBe('true');
      expect(await page.getByTestId('loading').count()).toBe(0);
      expect(await page.getByTestId('flow-node').count()).toBeGreaterThan(1);
      expect(await page.getByTestId('sector-chart').count()).toBe(1);
    } finally {
      release();
      await page.unroute('**/graphql?*', hold);
    }
  });

  it('works where the server runs trusted documents only: it asks saved questions by id', async () => {
    const trusted = await startTestServer({
      overrides: { TRUSTED_DOCUMENTS_ONLY: 'true' },
      reseed: false,
    });
    try {
      // Any other document is refused there.
      const refused = await gql(trusted, '{ home { key } }');
      expect(refused.status).toBe(400);
      await page.goto(`${trusted.url}/explore`);
      await expect
        .poll(() => page.getByTestId('panel-name').innerText(), POLL)
        .toBe('Defence for Children');
      await page.goto(`${trusted.url}/explore/flows?country=ET`);
      await expect
        .poll(() => page.getByTestId('sankey').getAttribute('data-ready'), POLL)
        .toBe('true');
      expect(Number(await page.getByTestId('sankey').getAttribute('data-links'))).toBeGreaterThan(
        0,
      );
    } finally {
      await trusted.close();
    }
  });

  it('asks nothing of any host but this server, and logs no errors', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(aborted).toEqual([]);
    expect(problems).toEqual([]);
  });
});
