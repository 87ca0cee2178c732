/**
 * The explorer's views in the browser, by address: /explore (the graph around a node),
 * /explore/country/<code> (one country at a glance), /explore/flows?… (money flows as a Sankey,
 * money by sector). Bundled by the server with esbuild (src/api/explore.ts); every view asks the
 * public GraphQL API its saved questions (queries/, typed by codegen) and downloads as CSV and
 * JSON through /export — the page is also the reference dashboard client.
 */
import { countryView } from './country-view.js';
import { errorMessage } from './dom.js';
import { flowsView } from './flows-view.js';
import { graphView } from './graph-view.js';

const root = document.getElementById('app');
if (root) {
  const path = window.location.pathname;
  const country = /^\/explore\/country\/([^/]+)\/?$/.exec(path);
  const shown = country?.[1]
    ? countryView(root, decodeURIComponent(country[1]))
    : /^\/explore\/flows\/?$/.test(path)
      ? flowsView(root, new URLSearchParams(window.location.search))
      : Promise.resolve(graphView(root));
  shown.catch((error: unknown) => root.replaceChildren(errorMessage(error)));
}
