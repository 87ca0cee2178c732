/**
 * Money flows (/explore/flows?funder=…|recipient=…|country=…|programme=…): a Sankey of funder →
 * (fund) → programme → recipient, laid out by d3-sankey and drawn as SVG. Widths are the
 * transactions of the saved question MoneyFlows (disbursements and expenditure, one currency at
 * a time, never added across currencies) within the years asked; a hover shows the amount and
 * the facts behind a link; the downloads are the same saved question's answer. Where the sources
 * give no amounts, the view says so and draws the funding relations with equal widths.
 */
import { sankey, sankeyLinkHorizontal, type SankeyLink, type SankeyNode } from 'd3-sankey';
import { MoneyFlowsDocument, type MoneyFlowsQuery } from '../generated/operations.js';
import { ask } from './client.js';
import { amount, el, errorMessage, exportLinks, loading, svg } from './dom.js';
import { funderColours, OTHERS } from './palette.js';
import { sectorView } from './sector-view.js';

type Flow = NonNullable<MoneyFlowsQuery['moneyFlows']>[number];
type FlowNode = Flow['from'];
type Column = FlowNode['column'];

/** What a flow is about: the saved question's variables the address carries. */
const ABOUT = ['funder', 'recipient', 'country', 'programme'] as const;
type About = Partial<Record<(typeof ABOUT)[number], string>>;

/** The address of the flows of a funder, recipient, country or programme. */
export const flowsHref = (about: About) =>
  `/explore/flows?${new URLSearchParams(about).toString()}`;

const COLUMN_ORDER: Column[] = ['FUNDER', 'FUND', 'PROGRAMME', 'RECIPIENT'];
const COLUMN_COLOURS: Record<Column, string> = {
  FUNDER: OTHERS,
  FUND: '#8e44ad',
  PROGRAMME: '#34495e',
  RECIPIENT: '#1e8449',
};

type NodeDatum = FlowNode & { colour: string };
type LinkDatum = { flow: Flow };
type LaidNode = SankeyNode<NodeDatum, LinkDatum>;
type LaidLink = SankeyLink<NodeDatum, LinkDatum>;

/** A year from the address or an input: a whole number, or nothing. */
const yearOf = (raw: string | null | undefined) => {
  const n = Number(raw);
  return raw && Number.isInteger(n) ? n : undefined;
};

/** The money a currency's links carry out of the funders: what moneyTotals gives for it. */
export const totalOut = (flows: Flow[]) =>
  flows.filter((f) => f.from.column === 'FUNDER').reduce((s, f) => s + (f.value ?? 0), 0);

export async function flowsView(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const about: About = {};
  for (const k of ABOUT) {
    const v = params.get(k);
    if (v) about[k] = v;
  }
  const fromInput = el('input', {
    type: 'number',
    min: '1900',
    max: '2100',
    placeholder: 'from year',
    'data-testid': 'from-year',
    value: params.get('fromYear') ?? '',
  });
  const toInput = el('input', {
    type: 'number',
    min: '1900',
    max: '2100',
    placeholder: 'to year',
    'data-testid': 'to-year',
    value: params.get('toYear') ?? '',
  });
  const apply = el('button', { type: 'button', 'data-testid': 'apply-years' }, 'Show');
  // Shown once an answer has more than one currency.
  const currencySelect = el('select', { 'data-testid': 'currency', hidden: '' });
  const downloads = el('span');
  const note = el('p', { 'data-testid': 'flows-note' });
  const chart = el('div', { class: 'sankey', 'data-testid': 'sankey' });
  const tooltip = el('div', { id: 'tooltip', 'data-testid': 'tooltip' });
  const sectors = el('section', { 'data-testid': 'sectors' });
  const title = el('h1', {}, 'Money flows');
  root.replaceChildren(
    el(
      'header',
      {},
      title,
      fromInput,
      toInput,
      apply,
      currencySelect,
      el('span', { class: 'spacer' }),
      downloads,
      el('a', { href: '/explore' }, 'Explorer'),
    ),
    el('div', { class: 'flows' }, note, chart, sectors),
    tooltip,
  );
  if (Object.keys(about).length === 0) {
    chart.replaceChildren(
      errorMessage(
        new Error(
          'Say whose money: /explore/flows?funder=…, ?country=…, ?recipient=… or ?programme=….',
        ),
      ),
    );
    chart.dataset.ready = 'error';
    return;
  }

  let flows: Flow[] = [];
  // A newer load (the years changed again) wins over an older one still on its way.
  let generation = 0;
  const draw = () => {
    const currency = currencySelect.value || null;
    const shown = flows.filter((f) => f.currency === currency);
    drawSankey(chart, tooltip, shown);
  };
  const load = async () => {
    const fromYear = yearOf(fromInput.value);
    const toYear = yearOf(toInput.value);
    const years = {
      ...(fromYear !== undefined ? { fromYear: String(fromYear) } : {}),
      ...(toYear !== undefined ? { toYear: String(toYear) } : {}),
    };
    window.history.replaceState(null, '', flowsHref({ ...about, ...years }));
    downloads.replaceChildren(...exportLinks('money-flows', { ...about, ...years }));
    chart.dataset.ready = '';
    chart.replaceChildren(loading('the money flows'));
    const mine = ++generation;
    let answer: Flow[];
    try {
      answer =
        (
          await ask(MoneyFlowsDocument, {
            ...about,
            ...(fromYear !== undefined ? { fromYear } : {}),
            ...(toYear !== undefined ? { toYear } : {}),
          })
        ).moneyFlows ?? [];
    } catch (error) {
      if (mine !== generation) return;
      // Nothing of the previous answer stays behind an error.
      flows = [];
      currencySelect.replaceChildren();
      currencySelect.hidden = true;
      note.textContent = '';
      chart.replaceChildren(errorMessage(error));
      chart.dataset.ready = 'error';
      return;
    }
    if (mine !== generation) return;
    flows = answer;
    // The currency with the most money first (what leaves the funders); the others one choice
    // away, never added.
    const currencies = [...new Set(flows.map((f) => f.currency ?? ''))]
      .filter((c) => c !== '')
      .map((c) => ({ c, out: totalOut(flows.filter((f) => f.currency === c)) }))
      .sort((a, b) => b.out - a.out)
      .map(({ c }) => c);
    const before = currencySelect.value;
    currencySelect.replaceChildren(...currencies.map((c) => el('option', { value: c }, c)));
    currencySelect.hidden = currencies.length < 2;
    if (currencies.includes(before)) currencySelect.value = before;
    const named = (column: Column) =>
      flows.flatMap((f) => [f.from, f.to]).find((n) => n.column === column && n.key);
    title.textContent = `Money flows: ${
      about.programme
        ? (named('PROGRAMME')?.name ?? about.programme)
        : about.funder
          ? (named('FUNDER')?.name ?? about.funder)
          : about.recipient
            ? (named('RECIPIENT')?.name ?? about.recipient)
            : about.country
    }`;
    note.textContent =
      flows.length === 0
        ? 'The sources give transactions here, but none of these types in these years.'
        : currencies.length === 0
          ? 'The sources give no amounts here: the links show who funds whom and who takes part, with equal widths, not how much.'
          : `Disbursements and expenditure, summed from the transactions${
              fromYear !== undefined || toYear !== undefined
                ? ` of ${fromYear ?? '…'}–${toYear ?? '…'}`
                : ''
            }; each column shows its largest nodes and groups the rest. Hover a link for its facts.`;
    draw();
  };
  apply.addEventListener('click', () => void load());
  currencySelect.addEventListener('change', draw);
  await load();
  if (about.funder || about.country) {
    await sectorView(
      sectors,
      about.funder ? { funder: about.funder } : { country: about.country ?? '' },
    );
  }
}

/** Lays out and draws one currency's links (or the relations without amounts) as a Sankey. */
function drawSankey(chart: HTMLElement, tooltip: HTMLElement, flows: Flow[]): void {
  if (flows.length === 0) {
    chart.replaceChildren();
    chart.dataset.ready = 'true';
    chart.dataset.total = '0';
    return;
  }
  const withAmounts = flows.some((f) => f.value !== null);
  // A link whose transactions net to nothing or less (reversals, corrections) has no width: it
  // is counted in the total and named below the picture, not drawn.
  const drawn = withAmounts ? flows.filter((f) => (f.value ?? 0) > 0) : flows;
  const undrawn = flows.length - drawn.length;
  chart.dataset.total = String(totalOut(flows));
  chart.dataset.links = String(flows.length);
  chart.dataset.currency = flows[0]?.currency ?? '';
  if (drawn.length === 0) {
    chart.replaceChildren(
      el('p', {}, `The ${flows.length} links here net to zero or less: nothing to draw.`),
    );
    chart.dataset.ready = 'true';
    return;
  }
  const nodes = new Map<string, NodeDatum>();
  for (const f of drawn) for (const n of [f.from, f.to]) nodes.set(n.id, { ...n, colour: '' });
  // Funders keep their colour across views (the palette by key); groups and the rest are grey.
  const funderKeys = [...nodes.values()]
    .filter((n) => n.column === 'FUNDER' && n.key)
    .map((n) => n.key ?? '');
  const colours = funderColours(funderKeys);
  for (const n of nodes.values()) {
    n.colour =
      n.column === 'FUNDER' ? (colours.get(n.key ?? '') ?? OTHERS) : COLUMN_COLOURS[n.column];
  }
  const columns = COLUMN_ORDER.filter((c) => [...nodes.values()].some((n) => n.column === c));
  const perColumn = Math.max(
    ...columns.map((c) => [...nodes.values()].filter((n) => n.column === c).length),
  );
  const width = Math.max(720, chart.clientWidth || 960);
  const height = Math.max(360, perColumn * 34);
  const layout = sankey<NodeDatum, LinkDatum>()
    .nodeId((n) => n.id)
    .nodeAlign((n) => columns.indexOf(n.column))
    .nodeWidth(14)
    .nodePadding(14)
    .extent([
      [1, 8],
      [width - 1, height - 8],
    ]);
  const graph = layout({
    nodes: [...nodes.values()].map((n) => ({ ...n })),
    links: drawn.map((f) => ({
      source: f.from.id,
      target: f.to.id,
      value: withAmounts ? (f.value ?? 0) : 1,
      flow: f,
    })),
  });
  // d3-sankey places a node by its longest path, so a column that some paths skip (programmes
  // reached through a fund or not) could share another's place: every column gets its own.
  const step = (width - 2 - 14) / Math.max(1, columns.length - 1);
  for (const n of graph.nodes) {
    n.x0 = 1 + columns.indexOf(n.column) * step;
    n.x1 = n.x0 + 14;
  }
  layout.update(graph);
  const path = sankeyLinkHorizontal<NodeDatum, LinkDatum>();
  const colourOf = (n: LaidNode | string | number) => (typeof n === 'object' ? n.colour : OTHERS);
  const describe = (l: LaidLink) => {
    const f = l.flow;
    const what = f.value !== null && f.currency ? amount(f.value, f.currency) : 'no amount given';
    const count = f.value !== null ? `${f.count} transaction${f.count === 1 ? '' : 's'}` : 'stated';
    return [
      `${f.from.name} → ${f.to.name}`,
      `${what} · ${count}${f.types.length ? ` (${f.types.map((t) => t.toLowerCase().replaceAll('_', ' ')).join(', ')})` : ''}${f.apportioned ? ' · a share by country' : ''}`,
      `sources: ${f.sources.join(', ') || '—'}`,
    ];
  };
  const links = graph.links.map((l) => {
    const p = svg('path', {
      d: path(l) ?? '',
      fill: 'none',
      stroke: colourOf(l.source),
      'stroke-opacity': 0.45,
      'stroke-width': Math.max(1, l.width ?? 1),
      'data-testid': 'flow-link',
      'data-from': l.flow.from.id,
      'data-to': l.flow.to.id,
      'data-value': String(l.flow.value ?? ''),
    });
    p.addEventListener('mouseover', (event) => {
      p.setAttribute('stroke-opacity', '0.75');
      const [head, ...rest] = describe(l);
      tooltip.replaceChildren(
        el('strong', {}, head ?? ''),
        ...rest.map((line) => el('div', { 'data-testid': 'tooltip-line' }, line)),
      );
      tooltip.style.left = `${event.clientX + 12}px`;
      tooltip.style.top = `${event.clientY + 12}px`;
      tooltip.style.display = 'block';
    });
    p.addEventListener('mouseout', () => {
      p.setAttribute('stroke-opacity', '0.45');
      tooltip.style.display = 'none';
    });
    return p;
  });
  // Labels beside their node: right of it, but left of the last column's. The room of a label
  // is the gap to the next column (half of it where two columns' labels face each other); a
  // longer name is shortened to fit, whole in the node's title and the link's hover.
  const columnX = columns.map((c) =>
    Math.min(...graph.nodes.filter((n) => n.column === c).map((n) => n.x0 ?? 0)),
  );
  const gap = (c: number) => (columnX[c + 1] ?? width) - (columnX[c] ?? 0) - 14;
  const room = (c: number) =>
    c === columns.length - 1
      ? gap(c - 1) / 2 - 12
      : c === columns.length - 2
        ? gap(c) / 2 - 12
        : gap(c) - 24;
  const currency = flows[0]?.currency ?? null;
  const compact = new Intl.NumberFormat('en-GB', { notation: 'compact', maximumFractionDigits: 1 });
  const labels: { text: SVGTextElement; name: string; suffix: string; room: number }[] = [];
  const nodeShapes = graph.nodes.flatMap((n) => {
    const x0 = n.x0 ?? 0;
    const x1 = n.x1 ?? 0;
    const y0 = n.y0 ?? 0;
    const y1 = n.y1 ?? 0;
    const c = columns.indexOf(n.column);
    const last = c === columns.length - 1;
    const through = n.value ?? 0;
    const rect = svg(
      'rect',
      {
        x: x0,
        y: y0,
        width: x1 - x0,
        height: Math.max(1, y1 - y0),
        fill: n.colour,
        'data-testid': 'flow-node',
        'data-id': n.id,
      },
      svg(
        'title',
        {},
        withAmounts && currency ? `${n.name}: ${amount(through, currency)}` : n.name,
      ),
    );
    const suffix = withAmounts && currency ? ` · ${compact.format(through)}` : '';
    const text = svg(
      'text',
      {
        x: last ? x0 - 6 : x1 + 6,
        y: (y0 + y1) / 2,
        dy: '0.35em',
        'text-anchor': last ? 'end' : 'start',
        class: 'flow-label',
        'data-testid': 'flow-label',
      },
      n.name + suffix,
    );
    labels.push({ text, name: n.name, suffix, room: room(c) });
    return [rect, text];
  });
  chart.replaceChildren(
    svg(
      'svg',
      {
        width,
        height,
        viewBox: `0 0 ${width} ${height}`,
        role: 'img',
        'aria-label': 'money flows',
      },
      svg('g', {}, ...links),
      svg('g', {}, ...nodeShapes),
    ),
  );
  // Measured once drawn: a name too long for its room loses its end.
  for (const l of labels) {
    let keep = l.name.length;
    while (keep > 3 && l.text.getComputedTextLength() > l.room) {
      keep -= Math.max(
        1,
        Math.ceil(
          (keep * (l.text.getComputedTextLength() - l.room)) / l.text.getComputedTextLength(),
        ),
      );
      l.text.textContent = `${l.name.slice(0, Math.max(3, keep)).trimEnd()}…${l.suffix}`;
    }
  }
  if (undrawn > 0) {
    chart.append(
      el(
        'p',
        { 'data-testid': 'undrawn' },
        `${undrawn} link${undrawn === 1 ? '' : 's'} whose transactions net to zero or less ${undrawn === 1 ? 'is' : 'are'} counted in the total but not drawn.`,
      ),
    );
  }
  chart.dataset.ready = 'true';
}
