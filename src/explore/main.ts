/**
 * The explorer (/explore) and the country view (/explore/country/<code>), in the browser.
 * Bundled by the server with esbuild (src/api/explore.ts); every view is driven by the public
 * GraphQL API (`search`, `home`, `neighbourhood`, `countryProfile`) and every view downloads
 * as CSV and JSON through /export — the page is also the reference dashboard client.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Title,
  Tooltip,
} from 'chart.js';
import cytoscape, { type Core, type EdgeSingular, type NodeSingular } from 'cytoscape';
import { funderColours, OTHERS } from './palette.js';

/** The series of the funders a chart does not colour one by one. */
const OTHER_FUNDERS = '(other funders)';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Title, Tooltip);

type NodeType = 'ORGANISATION' | 'PROGRAMME' | 'FUND' | 'COUNTRY';
/** The order of the kinds of node around a ring. */
const TYPE_ORDER: Record<NodeType, number> = { ORGANISATION: 1, FUND: 2, PROGRAMME: 3, COUNTRY: 4 };
interface GraphNode {
  id: string;
  type: NodeType;
  key: string;
  name: string;
  kind: string | null;
}
interface GraphEdge {
  id: string;
  type: string;
  role: string | null;
  coFinancing: boolean | null;
  from: GraphNode;
  to: GraphNode;
  quote: string | null;
  source: string | null;
  basis: string | null;
}

/** Runs a GraphQL operation against this server; an answer with errors throws their messages. */
async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  if (!body.data) throw new Error(`HTTP ${res.status} without data`);
  return body.data;
}

const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
};

const exportLinks = (question: string, variables: Record<string, string>) => {
  const query = new URLSearchParams(variables).toString();
  return [
    el(
      'a',
      {
        class: 'button',
        href: `/export/${question}.csv?${query}`,
        'data-testid': 'download-csv',
        download: '',
      },
      'CSV',
    ),
    el(
      'a',
      {
        class: 'button',
        href: `/export/${question}.json?${query}`,
        'data-testid': 'download-json',
        download: '',
      },
      'JSON',
    ),
  ];
};

// Colours: nodes by kind (organisations, funds) or type; edges by relationship and role.
const NODE_COLOURS: Record<string, string> = {
  MINISTRY: '#c0392b',
  GOVERNMENT_AGENCY: '#e67e22',
  EU_BODY: '#2e4aa8',
  MULTILATERAL: '#6c3483',
  FOUNDATION: '#b7950b',
  NGO: '#1e8449',
  INTERNATIONAL_NGO: '#148f77',
  PARTNER_COUNTRY_NGO: '#52be80',
  NETWORK: '#7dcea0',
  PROGRAMME: '#34495e',
  FUND: '#8e44ad',
  COUNTRY: '#95a5a6',
};
const EDGE_COLOURS: Record<string, string> = {
  FUNDS: '#c0392b',
  OWNS: '#8e44ad',
  MANAGES: '#e67e22',
  PARTICIPATES_IN: '#1e8449',
  RUNS_IN: '#95a5a6',
  MEMBER_OF: '#2e86c1',
  BASED_IN: '#bdc3c7',
};
const SHAPES: Record<NodeType, string> = {
  ORGANISATION: 'ellipse',
  PROGRAMME: 'round-rectangle',
  FUND: 'diamond',
  COUNTRY: 'hexagon',
};
const nodeColour = (n: GraphNode) =>
  NODE_COLOURS[n.type === 'ORGANISATION' || n.type === 'FUND' ? (n.kind ?? '') : n.type] ??
  NODE_COLOURS[n.type] ??
  '#7f8c8d';

function explorer(root: HTMLElement) {
  const input = el('input', {
    type: 'search',
    placeholder: 'Search organisations, programmes, funds…',
    'data-testid': 'search',
  });
  const hits = el('ul', { id: 'hits', hidden: '' });
  const downloads = el('span');
  const us = el('button', { type: 'button', 'data-testid': 'start-us' }, 'Start from us');
  const legend = el(
    'span',
    { class: 'legend' },
    ...['ORGANISATION', 'PROGRAMME', 'FUND', 'COUNTRY'].flatMap((t) => [
      el('span', {
        style: `background:${NODE_COLOURS[t === 'ORGANISATION' ? 'NGO' : t] ?? '#999'}`,
      }),
      t.toLowerCase(),
    ]),
  );
  const header = el(
    'header',
    {},
    el('h1', {}, 'funding-graph explorer'),
    input,
    us,
    legend,
    el('span', { class: 'spacer' }),
    downloads,
    el('a', { href: '/' }, 'Playground'),
  );
  const graph = el('div', { id: 'graph', 'data-testid': 'graph' });
  const panel = el(
    'aside',
    { 'data-testid': 'panel' },
    el(
      'p',
      {},
      'Search for a name, or start from us. Click a node to expand it; hover an edge for its source.',
    ),
  );
  const tooltip = el('div', { id: 'tooltip', 'data-testid': 'tooltip' });
  root.replaceChildren(header, hits, el('main', { class: 'explorer' }, graph, panel), tooltip);

  const cy: Core = cytoscape({
    container: graph,
    wheelSensitivity: 0.3,
    maxZoom: 1.4,
    style: [
      {
        selector: 'node',
        style: {
          label: 'data(name)',
          'background-color': 'data(colour)',
          shape: 'data(shape)' as never,
          'font-size': 10,
          'text-wrap': 'wrap',
          'text-max-width': '120px',
          'text-valign': 'bottom',
          width: 26,
          height: 26,
        },
      },
      { selector: 'node.expanded', style: { 'border-width': 3, 'border-color': '#1d2733' } },
      {
        selector: 'edge',
        style: {
          width: 'data(width)',
          'line-color': 'data(colour)',
          'target-arrow-color': 'data(colour)',
          'target-arrow-shape': 'triangle',
          'curve-style': 'bezier',
          label: 'data(label)',
          'font-size': 8,
          color: '#4a5563',
        },
      },
    ],
  });
  (window as unknown as { explorer: { cy: Core } }).explorer = { cy };

  const expanded = new Set<string>();
  const facts = new Map<string, GraphEdge>();

  function addEdges(edges: GraphEdge[]) {
    for (const e of edges) {
      for (const n of [e.from, e.to]) {
        if (cy.getElementById(n.id).empty()) {
          cy.add({ group: 'nodes', data: { ...n, colour: nodeColour(n), shape: SHAPES[n.type] } });
        }
      }
      if (cy.getElementById(e.id).empty()) {
        facts.set(e.id, e);
        cy.add({
          group: 'edges',
          data: {
            id: e.id,
            source: e.from.id,
            target: e.to.id,
            type: e.type,
            role: e.role ?? '',
            // Roles and relationship types label the edges; a country's RUNS_IN is its colour.
            label: e.role ?? (e.type === 'RUNS_IN' ? '' : e.type),
            colour: EDGE_COLOURS[e.type] ?? '#7f8c8d',
            width: e.role === 'LEAD' ? 4 : 2,
          },
        });
      }
    }
  }

  function showPanel(node: NodeSingular) {
    const n = node.data() as GraphNode;
    const around = node
      .connectedEdges()
      .map((edge) => facts.get(edge.id()))
      .filter((e): e is GraphEdge => !!e);
    const list = el(
      'ul',
      {},
      ...around.map((e) => el('li', {}, `${e.from.name} — ${e.role ?? e.type} → ${e.to.name}`)),
    );
    panel.replaceChildren(
      el('h2', { 'data-testid': 'panel-name' }, n.name),
      el(
        'dl',
        {},
        el('dt', {}, 'type'),
        el('dd', {}, n.type.toLowerCase()),
        el('dt', {}, 'kind'),
        el('dd', {}, n.kind ?? '—'),
        el('dt', {}, 'key'),
        el('dd', {}, n.key),
      ),
      ...(n.type === 'COUNTRY'
        ? [
            el(
              'p',
              {},
              el(
                'a',
                {
                  href: `/explore/country/${encodeURIComponent(n.key)}`,
                  'data-testid': 'country-link',
                },
                `Country view of ${n.name} →`,
              ),
            ),
          ]
        : []),
      el(
        'p',
        {},
        `${around.length} facts shown${expanded.has(n.id) ? '' : ' — click the node to expand it'}:`,
      ),
      list,
    );
  }

  // A newer start (a search picked while "us" still loads) wins over an older one.
  let generation = 0;

  /**
   * Rings around the focus: each node on the ring of its distance from it (neighbours first),
   * in a fixed order (type, then name), spaced so that no node or label lies on another. The
   * same graph and focus always give the same picture, ready before it is shown.
   */
  function layoutAround(focus: NodeSingular) {
    const depth = new Map<string, number>();
    if (focus.nonempty()) {
      cy.elements().bfs({
        roots: focus,
        directed: false,
        visit: (v, _e, _u, _i, d) => {
          depth.set(v.id(), d);
        },
      });
    }
    const far = Math.max(0, ...depth.values()) + 1;
    const order = (n: NodeSingular) =>
      `${TYPE_ORDER[n.data('type') as NodeType]}${n.data('name') as string}`;
    cy.layout({
      name: 'concentric',
      animate: false,
      avoidOverlap: true,
      nodeDimensionsIncludeLabels: true,
      spacingFactor: 1.1,
      minNodeSpacing: 24,
      concentric: (n: NodeSingular) => far - (depth.get(n.id()) ?? far),
      levelWidth: () => 1,
      sort: (a: NodeSingular, b: NodeSingular) => order(a).localeCompare(order(b)),
    }).run();
  }

  async function expand(type: NodeType, key: string) {
    const mine = generation;
    const id = `${type}:${key}`;
    const data = await gql<{ neighbourhood: GraphEdge[] | null }>(
      `query ($type: GraphNodeType!, $key: String!) { neighbourhood(type: $type, key: $key) {
        id type role coFinancing quote source basis
        from { id type key name kind } to { id type key name kind } } }`,
      { type, key },
    );
    if (mine !== generation) return;
    addEdges(data.neighbourhood ?? []);
    expanded.add(id);
    const node = cy.getElementById(id);
    node.addClass('expanded');
    layoutAround(node);
    cy.fit(undefined, 40);
    if (node.nonempty()) showPanel(node);
    downloads.replaceChildren(...exportLinks('neighbourhood', { type, key }));
    graph.dataset.ready = String(expanded.size);
    graph.dataset.expanded = id;
  }

  async function start(type: NodeType, key: string) {
    generation++;
    cy.elements().remove();
    expanded.clear();
    facts.clear();
    await expand(type, key);
  }

  const report = (error: unknown) =>
    panel.replaceChildren(
      el('p', { class: 'error' }, error instanceof Error ? error.message : String(error)),
    );

  let searching = 0;
  input.addEventListener('input', () => {
    const phrase = input.value.trim();
    const mine = ++searching;
    if (phrase.length < 2) {
      hits.hidden = true;
      return;
    }
    gql<{ search: { type: string; key: string; name: string }[] | null }>(
      'query ($phrase: String!) { search(phrase: $phrase, limit: 10) { type key name } }',
      { phrase },
    )
      .then(({ search }) => {
        if (mine !== searching) return;
        hits.replaceChildren(
          ...(search ?? []).map((h) => {
            const li = el(
              'li',
              { 'data-testid': 'hit' },
              h.name,
              el('small', {}, h.type.toLowerCase()),
            );
            li.addEventListener('click', () => {
              hits.hidden = true;
              input.value = h.name;
              start(h.type.toUpperCase() as NodeType, h.key).catch(report);
            });
            return li;
          }),
        );
        hits.hidden = (search ?? []).length === 0;
      })
      .catch(report);
  });
  const startFromUs = () => {
    const asked = generation;
    gql<{ home: { key: string } | null }>('{ home { key } }')
      .then(({ home }) => {
        if (asked !== generation) return; // something else was opened meanwhile
        return home ? start('ORGANISATION', home.key) : report(new Error('No home organisation.'));
      })
      .catch(report);
  };
  us.addEventListener('click', startFromUs);

  cy.on('tap', 'node', (event) => {
    const node = event.target as NodeSingular;
    const n = node.data() as GraphNode;
    showPanel(node);
    if (!expanded.has(n.id)) expand(n.type, n.key).catch(report);
  });
  cy.on('mouseover', 'edge', (event) => {
    const edge = event.target as EdgeSingular;
    const e = facts.get(edge.id());
    if (!e) return;
    tooltip.replaceChildren(
      el('strong', {}, `${e.from.name} ${e.role ?? e.type} ${e.to.name}`),
      el('blockquote', { 'data-testid': 'tooltip-quote' }, e.quote ?? '(no quote)'),
      el(
        'div',
        {},
        `source: ${e.source ?? '—'} · basis: ${e.basis ?? '—'}${e.coFinancing ? ' · co-financing' : ''}`,
      ),
    );
    const { x, y } = event.renderedPosition ?? { x: 0, y: 0 };
    const box = graph.getBoundingClientRect();
    tooltip.style.left = `${box.left + x + 12}px`;
    tooltip.style.top = `${box.top + y + 12}px`;
    tooltip.style.display = 'block';
  });
  cy.on('mouseout', 'edge', () => {
    tooltip.style.display = 'none';
  });

  const params = new URLSearchParams(window.location.search);
  const type = params.get('type');
  const key = params.get('key');
  // The first screen is never empty: a view named in the address, else us.
  if (type && key) start(type as NodeType, key).catch(report);
  else startFromUs();
}

interface CountryProfile {
  country: { code: string; nameEn: string; nameNl: string };
  programmes: {
    programme: { key: string; name: string; startYear: number | null; endYear: number | null };
    funders: { name: string }[];
    funds: { name: string }[];
    participation: {
      organisation: { name: string };
      here: boolean | null;
      countries: { nameEn: string }[];
    }[];
  }[];
  funders: { funder: { key: string; name: string }; programmes: number }[];
  money: {
    funder: { key: string; name: string } | null;
    year: number | null;
    currency: string;
    value: number;
  }[];
}

async function countryView(root: HTMLElement, code: string) {
  const { countryProfile: p } = await gql<{ countryProfile: CountryProfile | null }>(
    `query ($country: String!) { countryProfile(country: $country) {
      country { code nameEn nameNl }
      programmes { programme { key name startYear endYear } funders { name } funds { name } participation { organisation { name } here countries { nameEn } } }
      funders { funder { key name } programmes }
      money { funder { key name } year currency value } } }`,
    { country: code },
  );
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
  root.replaceChildren(
    el(
      'header',
      {},
      el('h1', {}, `${p.country.nameEn} (${p.country.nameNl}, ${p.country.code})`),
      el('span', { class: 'spacer' }),
      ...exportLinks('country-profile', { country: p.country.code }),
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
        scales: { x: { stacked: true }, y: { stacked: true } },
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
}

const root = document.getElementById('app');
if (root) {
  const country = /^\/explore\/country\/([^/]+)\/?$/.exec(window.location.pathname);
  if (country?.[1]) {
    countryView(root, decodeURIComponent(country[1])).catch((error: unknown) =>
      root.replaceChildren(
        el('p', { class: 'error' }, error instanceof Error ? error.message : String(error)),
      ),
    );
  } else {
    explorer(root);
  }
}
