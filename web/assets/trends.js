// Trends: a consumer's dependency on a supplier state and its max supply over a range of years —
// the API's trend chart (GET /render/trend) and, below it, the figures of each year from the
// dependency and flow analyses.
import {
  h, show, nameOf, apiURL, getJSON, dataset, dataYears, tonnes, pct, table, section, message, showError, clearErrors, field, fill,
  formParams, commoditySelect, nodeList, image, jsonLink,
} from './ui.js';
import { defaults } from './ask.js';

export const title = 'Trends';

export async function mount(root, go) {
  const ds = await dataset();
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
      go('/ui/trends?' + new URLSearchParams({ ...defaults(ds), from: first, to: last }), true);
      return;
    }
    form.reset(); // a field the URL leaves out shows its default
    fill(form, params);
    clearErrors(form);
    const p = Object.fromEntries(params);
    const q = { commodity: p.commodity, consumer: p.consumer, supplier: p.supplier };
    const chartURL = apiURL('/render/trend', { ...q, years: `${p.from}..${p.to}`, format: 'svg' });
    const chart = h('div', { class: 'picture' }, message('Drawing…'));
    // drawn is the chart's error, or null (caught at once: a rejection handled late is reported).
    const drawn = image(chart, chartURL, `${p.commodity}: the share of ${p.consumer}'s supply through ${p.supplier}, ${p.from}–${p.to}, and its max supply`)
      .then(() => null, (err) => err);
    // The figures of each year, from the same analyses the chart draws.
    const years = [];
    for (let y = +p.from; y <= +p.to; y++) years.push(y);
    const rows = await Promise.all(years.map(async (y) => {
      const depURL = apiURL('/analyses/dependency', { ...q, as_of: y });
      const flowURL = apiURL('/analyses/flow', { commodity: p.commodity, consumer: p.consumer, as_of: y });
      const [dep, flow] = await Promise.allSettled([getJSON(depURL), getJSON(flowURL)]);
      const d = dep.status === 'fulfilled' ? dep.value.result : null;
      const f = flow.status === 'fulfilled' ? flow.value.result : null;
      // A share weighed by flow count (no volume that year) is marked, not passed off as tonnes'.
      const share = (v) => (d ? pct(v) + (d.equal_weights ? ' ◦' : '') : '—');
      return [String(y), share(d && d.by_location.any), share(d && d.by_control.any), share(d && d.unattributed_by_location.any),
        d ? (d.equal_weights ? 'no volume' : tonnes(d.inbound_tpa)) : '—', f ? (f.unbounded ? 'unbounded' : tonnes(f.max_supply)) : '—',
        h('span', {}, jsonLink(depURL, 'dependency'), ' ', jsonLink(flowURL, 'flow'))];
    }));
    // The chart's error is the question's (a bad range, an unknown consumer): next to its field.
    const err = await drawn;
    if (err) {
      if (mine === latest) { showError(form, err); out.replaceChildren(); }
      return;
    }
    if (mine !== latest) return;
    show(out,
      section('Chart', h('p', { class: 'hint' }, 'Ringed years: no entering flow has a volume, so the shares weigh the flows alike. ', jsonLink(chartURL, 'SVG')), chart),
      section('Year by year', h('p', { class: 'hint' }, '◦: no entering flow has a volume that year; the share counts flows alike, not tonnes.'), table(['year', `through ${nameOf(ds, p.supplier)} (location)`, '(control)', 'unattributed', 'supply', 'max supply', 'JSON'], rows)));
  };
}
