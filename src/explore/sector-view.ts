/**
 * Money by sector for a country or a funder (the saved question FundingBySector): what the money
 * is for, as a bar per DAC sector — disbursements and expenditure in one currency (the one most
 * of the money is in; the others are named, never added).
 */
import { FundingBySectorDocument, type FundingBySectorQuery } from '../generated/operations.js';
import { Chart } from './charts.js';
import { ask } from './client.js';
import { amount, el, errorMessage, exportLinks, loading } from './dom.js';

type SectorRow = NonNullable<FundingBySectorQuery['moneyTotals']>[number];

/** At most this many pages of sector rows are read (sector × type × currency a row). */
const MAX_PAGES = 50;

/** How many sectors get a bar of their own; the rest are one bar. */
const SHOWN = 15;

/** The sectors' totals in one currency, largest first, the smaller ones as one "other sectors". */
export function sectorBars(rows: SectorRow[], currency: string) {
  const totals = new Map<string, { name: string; value: number }>();
  for (const r of rows.filter((x) => x.currency === currency)) {
    const key = r.sector?.key ?? '';
    const t = totals.get(key) ?? { name: r.sector?.name ?? '(no sector given)', value: 0 };
    t.value += r.value;
    totals.set(key, t);
  }
  const ranked = [...totals.values()].sort(
    (a, b) => b.value - a.value || a.name.localeCompare(b.name),
  );
  const rest = ranked.slice(SHOWN);
  return rest.length < 2
    ? ranked
    : [
        ...ranked.slice(0, SHOWN),
        { name: `${rest.length} other sectors`, value: rest.reduce((s, r) => s + r.value, 0) },
      ];
}

/** Fills `section` with the money by sector of a country or a funder (a key or a name). */
export async function sectorView(
  section: HTMLElement,
  about: { country: string } | { funder: string },
): Promise<void> {
  const variables = { ...about, types: ['DISBURSEMENT', 'EXPENDITURE'] as const };
  const rows: SectorRow[] = [];
  section.replaceChildren(el('h2', {}, 'Money by sector'), loading('the money by sector'));
  try {
    // Page by page (the server's page size), until a page comes back empty.
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer =
        (
          await ask(FundingBySectorDocument, {
            ...variables,
            types: [...variables.types],
            offset: rows.length,
          })
        ).moneyTotals ?? [];
      if (answer.length === 0) break;
      rows.push(...answer);
    }
  } catch (error) {
    section.replaceChildren(el('h2', {}, 'Money by sector'), errorMessage(error));
    section.dataset.ready = 'error';
    return;
  }
  const byCurrency = new Map<string, number>();
  for (const r of rows) byCurrency.set(r.currency, (byCurrency.get(r.currency) ?? 0) + r.value);
  const [currency, ...others] = [...byCurrency].sort((a, b) => b[1] - a[1]).map(([c]) => c);
  const heading = el('h2', {}, 'Money by sector');
  if (!currency) {
    section.replaceChildren(
      heading,
      el(
        'p',
        { 'data-testid': 'no-sectors' },
        'The sources give no disbursements or expenditure here.',
      ),
    );
    section.dataset.ready = 'true';
    return;
  }
  const bars = sectorBars(rows, currency);
  const canvas = el('canvas', { 'data-testid': 'sector-chart' });
  section.replaceChildren(
    heading,
    el(
      'p',
      {},
      `Disbursements and expenditure in ${currency}, by DAC sector (a transaction counts in each of its sectors by its percentage).`,
      ...(others.length > 0 ? [` Also in ${others.join(', ')}, not added.`] : []),
      ' ',
      el(
        'span',
        { class: 'downloads' },
        ...exportLinks('funding-by-sector', { ...about, types: 'DISBURSEMENT,EXPENDITURE' }),
      ),
    ),
    el('div', { class: 'chart sectors', style: `height:${80 + bars.length * 22}px` }, canvas),
  );
  canvas.dataset.total = String(bars.reduce((s, b) => s + b.value, 0));
  canvas.dataset.currency = currency;
  new Chart(canvas, {
    type: 'bar',
    data: {
      labels: bars.map((b) => b.name),
      datasets: [{ label: currency, data: bars.map((b) => b.value), backgroundColor: '#0072B2' }],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      indexAxis: 'y',
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (c) => amount(Number(c.raw), currency) } },
      },
    },
  });
  section.dataset.ready = 'true';
}
