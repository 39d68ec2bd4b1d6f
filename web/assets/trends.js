// Trends: a consumer's dependency on a supplier state and its max supply over a range of years —
// the trend analysis (GET /analyses/trend: the dependency and flow analyses of each year, in one
// request) as a table, and the API's chart of the same analysis (GET /render/trend).
import {
  h, show, nameOf, apiURL, getJSON, catalog, dataYears, tonnes, pct, table, section, message, showError, clearErrors, field, fill,
  formParams, commoditySelect, nodeList, image, jsonLink,
} from './ui.js';

export const title = 'Trends';

export async function mount(root, go) {
  const ds = await catalog();
  const [first, last] = dataYears(ds);
  const form = h('form', { class: 'query', action: '/ui/trends', method: 'get' },
    field('Commodity', commoditySelect(ds)),
    field('Consumer', h('input', { name: 'consumer', list: nodeList(ds, 'consumers', ['state', 'coalition', 'firm', 'refinery', 'mine']), required: true, autocomplete: 'off' })),
    field('Supplier state', h('input', { name: 'supplier', list: nodeList(ds, 'suppliers', ['state', 'coalition']), required: true, autocomplete: 'off' })),
    field('From', h('input', { name: 'from', type: 'number', min: 1900, max: 2100, step: 1, value: first, 'data-alias': 'years' })),
    field('To', h('input', { name: 'to', type: 'number', min: 1900, max: 2100, step: 1, value: last })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Draw')));
  const out = h('div', { class: 'results', 'aria-live': 'polite' });
  root.append(h('h1', {}, 'Trends'), form, out);
  form.addEventListener('submit', (ev) => { ev.preventDefault(); go('/ui/trends?' + formParams(form)); });

  let latest = 0;
  return async (params) => {
    const mine = ++latest;
    if (!params.has('commodity')) {
      const { commodity, consumer, supplier } = ds.question; // the catalog's
      go('/ui/trends?' + new URLSearchParams({ commodity, consumer, supplier, from: first, to: last }), true);
      return;
    }
    form.reset(); // a field the URL leaves out shows its default
    fill(form, params);
    clearErrors(form);
    const p = Object.fromEntries(params);
    const q = { commodity: p.commodity, consumer: p.consumer, supplier: p.supplier, years: `${p.from}..${p.to}` };
    const trendURL = apiURL('/analyses/trend', q);
    const chartURL = apiURL('/render/trend', { ...q, format: 'svg' });
    const chart = h('div', { class: 'picture' }, message('Drawing…'));
    // drawn is the chart's error, or null (caught at once: a rejection handled late is reported).
    const drawn = image(chart, chartURL, `${p.commodity}: the share of ${p.consumer}'s supply through ${p.supplier}, ${p.from}–${p.to}, and its max supply`)
      .then(() => null, (err) => err);
    let trend;
    try {
      trend = (await getJSON(trendURL)).result;
    } catch (err) {
      await drawn; // the chart fails alike: the view is done once both have answered
      // The question's error (a bad range, an unknown consumer): next to its field.
      if (mine === latest) { showError(form, err); out.replaceChildren(); }
      return;
    }
    if (mine !== latest) return;
    // A share weighed by flow count (no volume that year) is marked, not passed off as tonnes'.
    const rows = trend.years.map((y) => {
      const share = (v) => (v == null ? '—' : pct(v) + (y.equal_weights ? ' ◦' : ''));
      const none = y.dependency == null; // the year's analyses failed: the consumer not in service
      const one = { commodity: p.commodity, consumer: p.consumer, as_of: y.year };
      return [String(y.year), share(y.dependency), share(y.by_control), share(y.unattributed_by_location),
        none ? '—' : (y.equal_weights ? 'no volume' : tonnes(y.inbound_tpa)), none ? '—' : (y.unbounded ? 'unbounded' : tonnes(y.max_supply)),
        h('span', {}, jsonLink(apiURL('/analyses/dependency', { ...one, supplier: p.supplier }), 'dependency'), ' ', jsonLink(apiURL('/analyses/flow', one), 'flow'))];
    });
    show(out,
      section('Chart', h('p', { class: 'hint' }, 'Ringed years: no entering flow has a volume, so the shares weigh the flows alike. ', jsonLink(chartURL, 'SVG')), chart),
      section('Year by year', h('p', { class: 'hint' }, '◦: no entering flow has a volume that year; the share counts flows alike, not tonnes. ', jsonLink(trendURL, 'trend JSON')),
        table(['year', `through ${nameOf(ds, p.supplier)} (location)`, '(control)', 'unattributed', 'supply', 'max supply', 'JSON'], rows)));
    performance.mark('chokepoint:results');
    const err = await drawn;
    if (err && mine === latest) chart.replaceChildren(message(err.message, 'error'));
  };
}
