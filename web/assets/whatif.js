// What if: a scenario — remove states (by location or by control), firms or facilities, in a year —
// run by POST /scenarios/run, baseline against outcome side by side with the routes left. The
// scenario lives in the URL (share the link); saved scenarios (PUT, with the write key) reload by
// name.
import {
  h, show, nameOf, apiURL, call, getJSON, catalog, dataYears, thisYear, tonnes, pct, figure, nodeLink, table, section, message,
  showError, clearErrors, field, fill, formParams, commoditySelect, nodeList, yearRange,
} from './ui.js';

export const title = 'What if';

const list = (s) => (s || '').split(',').map((x) => x.trim()).filter(Boolean);

// scenario is the scenario document of the URL parameters.
function scenario(p) {
  const remove = {};
  if (p.remove_location) remove.states_by_location = list(p.remove_location);
  if (p.remove_control) remove.states_by_control = list(p.remove_control);
  if (p.remove_nodes) remove.nodes = list(p.remove_nodes);
  const doc = { commodity: p.commodity, consumer: p.consumer, as_of: +p.as_of, remove, routes: +p.routes || 5, top: 5 };
  if (p.supplier) doc.supplier = p.supplier;
  if (p.apply_controls === 'true') doc.apply_controls = true;
  if (p.name) doc.name = p.name;
  return doc;
}

// paramsOf is the inverse of scenario: the URL parameters of a saved scenario document.
function paramsOf(doc) {
  const r = doc.remove || {};
  const q = new URLSearchParams({ commodity: doc.commodity, consumer: doc.consumer, as_of: doc.as_of || thisYear });
  const put = (k, v) => { if (v != null && v !== '' && !(Array.isArray(v) && !v.length)) q.set(k, Array.isArray(v) ? v.join(',') : v); };
  put('supplier', doc.supplier);
  put('remove_location', r.states_by_location);
  put('remove_control', r.states_by_control);
  put('remove_nodes', r.nodes);
  put('routes', doc.routes);
  if (doc.apply_controls) q.set('apply_controls', 'true');
  put('name', doc.name);
  return q;
}

export async function mount(root, go) {
  const ds = await catalog();
  const years = dataYears(ds);
  const form = h('form', { class: 'query', action: '/ui/whatif', method: 'get' },
    field('Commodity', commoditySelect(ds)),
    field('Consumer', h('input', { name: 'consumer', list: nodeList(ds, 'consumers', ['state', 'coalition', 'firm', 'refinery', 'mine']), required: true, autocomplete: 'off' })),
    field('Supplier state', h('input', { name: 'supplier', list: nodeList(ds, 'suppliers', ['state', 'coalition']), autocomplete: 'off' })),
    field('Year', yearRange('as_of', years, thisYear)),
    field('Remove states (location)', h('input', { name: 'remove_location', placeholder: 'CN, MM', autocomplete: 'off', 'data-alias': 'states_by_location' }), 'every node located there; comma-separated'),
    field('Remove states (control)', h('input', { name: 'remove_control', placeholder: 'CN', autocomplete: 'off', 'data-alias': 'states_by_control' }), 'every node controlled from there'),
    field('Remove firms or facilities', h('input', { name: 'remove_nodes', placeholder: 'firm:lynas, refinery:cnre-baotou', autocomplete: 'off', 'data-alias': 'nodes' }), 'node ids, comma-separated'),
    field('Routes to list', h('input', { name: 'routes', type: 'number', min: 1, max: 50, value: 5 })),
    field('Export controls', h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'apply_controls' }), ' apply those in force that year')),
    field('Scenario name', h('input', { name: 'name', placeholder: 'cn-embargo', autocomplete: 'off', pattern: '[a-z0-9_\\-]{1,64}' }), 'to save it: a-z, 0-9, - and _'),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Run'), h('button', { type: 'button', class: 'secondary', id: 'save' }, 'Save'), h('span', { class: 'saved', role: 'status' })));
  const saved = h('div', { class: 'saved-list' });
  const out = h('div', { class: 'results', 'aria-live': 'polite' });
  root.append(h('h1', {}, 'What if'), form, saved, out);
  form.addEventListener('submit', (ev) => { ev.preventDefault(); go('/ui/whatif?' + formParams(form)); });
  const status = form.querySelector('.saved');
  form.querySelector('#save').addEventListener('click', async () => {
    clearErrors(form);
    status.textContent = '';
    const p = Object.fromEntries(formParams(form));
    if (!p.name) { showError(form, new Error('name: give the scenario a name to save it')); return; }
    try {
      await call(apiURL('/scenarios/' + encodeURIComponent(p.name)), { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(scenario(p)) });
      status.textContent = `Saved as ${p.name}.`;
      await listSaved();
    } catch (err) {
      showError(form, err);
    }
  });

  // listSaved shows the saved scenarios, each a link that loads it.
  async function listSaved() {
    try {
      const res = await getJSON(apiURL('/scenarios'));
      saved.replaceChildren(res.scenarios.length ? h('p', {}, 'Saved: ', res.scenarios.map((s, i) => [i ? ' · ' : '', h('a', { href: '/ui/whatif?' + paramsOf(s) }, s.name)])) : '');
    } catch (err) {
      saved.replaceChildren(message(err.message, 'error'));
    }
  }

  let latest = 0;
  return async (params) => {
    const mine = ++latest;
    if (params.has('scenario')) { // a saved scenario by name: load it into the URL
      try {
        go('/ui/whatif?' + paramsOf(await getJSON(apiURL('/scenarios/' + encodeURIComponent(params.get('scenario'))))), true);
      } catch (err) {
        out.replaceChildren(message(err.message, 'error'));
      }
      return;
    }
    if (!params.has('commodity')) {
      const q = ds.question; // the catalog's, its supplier removed by location
      go('/ui/whatif?' + paramsOf({ ...q, remove: { states_by_location: q.supplier ? [q.supplier] : [] } }), true);
      return;
    }
    form.reset();
    fill(form, params);
    clearErrors(form);
    const listing = listSaved();
    const doc = scenario(Object.fromEntries(params));
    const url = apiURL('/scenarios/run');
    let res;
    try {
      res = await getJSON(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(doc) });
    } catch (err) {
      if (mine === latest) { showError(form, err); out.replaceChildren(); }
      await listing;
      return;
    }
    await listing;
    if (mine !== latest) return;
    show(out,
      h('section', { class: 'figures', 'aria-label': 'Outcome' },
        figure('baseline.max_supply', 'Max supply before', res.baseline.max_supply, tonnes(res.baseline.max_supply)),
        figure('outcome.max_supply', 'Max supply after', res.outcome.max_supply, tonnes(res.outcome.max_supply)),
        figure('supply_lost', 'Supply lost', res.supply_lost, pct(res.supply_lost)),
        figure('removed', `Removed (and ${res.removed_edges} edges)`, res.removed_nodes.length, `${res.removed_nodes.length} nodes`)),
      h('div', { class: 'side-by-side' }, side('Baseline', res.baseline, 'baseline', ds), side('Outcome', res.outcome, 'outcome', ds)),
      res.stocks && res.stocks.length ? section('Stockpiles', table(['holder', 'commodity', 'days covered'], res.stocks.map((s) => [nodeLink(s.holder.id, s.holder.name), s.commodity, s.days_covered == null ? '—' : s.days_covered.toFixed(0)]))) : null,
      h('details', {}, h('summary', {}, 'The scenario document'), h('pre', {}, JSON.stringify(doc, null, 2)), h('p', { class: 'hint' }, `POST ${url} with this body gives the same answer.`)));
  };
}

// side shows one side of the comparison: dependency, chokepoints and routes.
function side(titleText, o, name, ds) {
  const d = o.dependency;
  return h('section', { class: 'card', 'data-side': name }, h('h2', {}, titleText),
    d ? h('p', {}, `Supply ${tonnes(d.inbound_tpa)}; through ${nameOf(ds, d.supplier)}: `, h('strong', { 'data-figure': name + '.dependency', 'data-value': d.dependency }, pct(d.dependency)),
      ` (by control ${pct(d.by_control.any)}; unattributed ${pct(d.unattributed_by_location.any)})`) : null,
    h('h3', {}, 'Chokepoints'),
    o.chokepoints.length ? table(['node', 'state', 'lost', 'share'], o.chokepoints.map((c) => [nodeLink(c.id, c.name), c.state || '', tonnes(c.score), pct(c.share)])) : message('none'),
    h('h3', {}, 'Routes'),
    o.routes.length ? h('ol', { class: 'routes' }, o.routes.map((r) => h('li', {},
      r.nodes.map((n, i) => [i ? ' → ' : '', nodeLink(n.id, n.name)]), h('small', {}, ` · ${r.hops} hop${r.hops === 1 ? '' : 's'}, bottleneck ${tonnes(r.bottleneck_tpa)}`)))) : message('No route is left.'));
}
