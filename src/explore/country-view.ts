/**
 * The country view (/explore/country/<code>): the country's programmes with their funders and
 * participants, its funders, the money per funder and year (Chart.js; funders coloured as in
 * every view), and the money by sector. Driven by the saved questions CountryProfile and
 * FundingBySector.
 */
import { Chart } from './charts.js';
import { CountryProfileDocument } from '../generated/operations.js';
import { ask } from './client.js';
import { el, exportLinks, loading } from './dom.js';
import { flowsHref } from './flows-view.js';
import { funderColours, OTHERS } from './palette.js';
import { sectorView } from './sector-view.js';

/** The series of the funders a chart does not colour one by one. */
const OTHER_FUNDERS = '(other funders)';

/** One country at a glance: programmes, funders, money per funder and year, money by sector. */
export async function countryView(root: HTMLElement, code: string) {
  root.replaceChildren(loading(`the country ${code}`));
  const { countryProfile: p } = await ask(CountryProfileDocument, { country: code });
  if (!p) {
    root.replaceChildren(el('p', { class: 'error' }, `The graph holds nothing about ${code}.`));
    return;
  }
  const canvas = el('canvas', { 'data-testid': 'chart' });
  const table = el(
    'table',
    { 'data-testid': 'programmes' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['Programme', 'Period', 'Funders', 'Through', 'Participants'].map((h) =>
          el('th', {}, h),
        ),
      ),
    ),
    el(
      'tbody',
      {},
      ...p.programmes.map((x) =>
        el(
          'tr',
          {},
          el(
            'td',
            {},
            el(
              'a',
              { href: `/explore?type=PROGRAMME&key=${encodeURIComponent(x.programme.key)}` },
              x.programme.name,
            ),
          ),
          el(
            'td',
            {},
            [x.programme.startYear, x.programme.endYear].filter((y) => y != null).join('–') || '—',
          ),
          el('td', {}, x.funders.map((f) => f.name).join(', ') || '—'),
          el('td', {}, x.funds.map((f) => f.name).join(', ') || '—'),
          // Those the source places only in the programme's other countries say where.
          el(
            'td',
            {},
            x.participation
              .map((o) =>
                o.here === false
                  ? `${o.organisation.name} (in ${o.countries.map((c) => c.nameEn).join(', ')})`
                  : o.organisation.name,
              )
              .join(', ') || '—',
          ),
        ),
      ),
    ),
  );
  const funders = el(
    'table',
    { 'data-testid': 'funders' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Funder'), el('th', {}, 'Programmes'))),
    el(
      'tbody',
      {},
      ...p.funders.map((f) =>
        el('tr', {}, el('td', {}, f.funder.name), el('td', {}, String(f.programmes))),
      ),
    ),
  );
  const sectors = el('section', { 'data-testid': 'sectors' });
  root.replaceChildren(
    el(
      'header',
      {},
      el('h1', {}, `${p.country.nameEn} (${p.country.nameNl}, ${p.country.code})`),
      el('span', { class: 'spacer' }),
      ...exportLinks('country-profile', { country: p.country.code }),
      el(
        'a',
        { href: flowsHref({ country: p.country.code }), 'data-testid': 'flows-link' },
        'Money flows',
      ),
      el('a', { href: '/explore' }, 'Explorer'),
    ),
    el(
      'div',
      { class: 'country' },
      el('div', { class: 'chart' }, canvas),
      el('h2', {}, `Programmes (${p.programmes.length})`),
      table,
      el('h2', {}, 'Funders'),
      funders,
      sectors,
    ),
  );

  // Money per funder and year where sources give amounts (one currency: the most used);
  // else the number of programmes per funder.
  const currencies = new Map<string, number>();
  for (const m of p.money) currencies.set(m.currency, (currencies.get(m.currency) ?? 0) + 1);
  const currency = [...currencies].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (currency) {
    const rows = p.money.filter((m) => m.currency === currency);
    const years = [...new Set(rows.map((m) => String(m.year ?? '—')))].sort();
    // Funders by their total, largest first: the first ones get colours, the rest are others.
    const totals = new Map<string, { name: string; total: number }>();
    for (const m of rows) {
      const key = m.funder?.key ?? '';
      const t = totals.get(key) ?? { name: m.funder?.name ?? '(not named)', total: 0 };
      t.total += m.value;
      totals.set(key, t);
    }
    const ranked = [...totals].sort((a, b) => b[1].total - a[1].total).map(([key]) => key);
    const colours = funderColours(ranked.filter((key) => key !== ''));
    const seriesOf = (key: string) => (colours.has(key) ? key : OTHER_FUNDERS);
    const series = [...new Set(ranked.map(seriesOf))];
    const datasets = series.map((s) => ({
      label: s === OTHER_FUNDERS ? 'other funders' : (totals.get(s)?.name ?? s),
      backgroundColor: colours.get(s) ?? OTHERS,
      data: years.map((y) =>
        rows
          .filter((m) => seriesOf(m.funder?.key ?? '') === s && String(m.year ?? '—') === y)
          .reduce((sum, m) => sum + m.value, 0),
      ),
    }));
    canvas.dataset.colours = JSON.stringify(datasets.map((d) => d.backgroundColor));
    new Chart(canvas, {
      type: 'bar',
      data: { labels: years, datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        // Some room above the tallest stack, so that it never meets the chart's frame.
        scales: { x: { stacked: true }, y: { stacked: true, grace: '5%' } },
        plugins: {
          title: { display: true, text: `Transactions per funder and year (${currency})` },
        },
      },
    });
  } else {
    const colours = funderColours(p.funders.map((f) => f.funder.key));
    const barColours = p.funders.map((f) => colours.get(f.funder.key) ?? OTHERS);
    canvas.dataset.colours = JSON.stringify(barColours);
    new Chart(canvas, {
      type: 'bar',
      data: {
        labels: p.funders.map((f) => f.funder.name),
        datasets: [
          {
            label: 'programmes',
            data: p.funders.map((f) => f.programmes),
            backgroundColor: barColours,
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        indexAxis: 'y',
        scales: { x: { ticks: { precision: 0 } } },
        plugins: {
          // One bar per funder, named on its axis and coloured as in other views.
          legend: { display: false },
          title: {
            display: true,
            text: `Programmes per funder in ${p.country.nameEn} (the sources give no amounts)`,
          },
        },
      },
    });
  }
  canvas.dataset.ready = 'true';
  await sectorView(sectors, { country: p.country.code });
}
