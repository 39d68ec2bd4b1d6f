// Ask: one commodity, one consumer, one supplier state, one year — the max supply, the dependency
// by stage, the chokepoints by each method, the concentration by stage and the flow picture, each
// linked to the API call that produced it.
import {
  h, show, nameOf, apiURL, getJSON, catalog, dataYears, thisYear, tonnes, pct, plain, figure, jsonLink, nodeLink, table,
  section, message, showError, clearErrors, field, fill, formParams, commoditySelect, nodeList, yearRange, picture, svgPicture,
} from './ui.js';

export const title = 'Ask';

const methods = [
  ['flow', 'by lost supply (flow)'],
  ['dominators', 'on every path (dominators)'],
  ['cut', 'minimum cut'],
  ['articulation', 'articulation points'],
];
const stages = ['mining', 'processing', 'any'];

export function mount(root, go) {
  const heading = h('h1', {}, 'Ask');
  const out = h('div', { class: 'results', 'aria-live': 'polite' });
  root.append(heading, out);
  // The form needs the catalog, the questions do not: they are sent while it is on its way.
  const ready = catalog().then((ds) => {
    const form = h('form', { class: 'query', action: '/ui/ask', method: 'get' },
      field('Commodity', commoditySelect(ds)),
      field('Consumer', h('input', { name: 'consumer', list: nodeList(ds, 'consumers', ['state', 'coalition', 'firm', 'refinery', 'mine']), required: true, placeholder: 'state:JP, coalition:g7, firm:tdk…', autocomplete: 'off' }), 'a state, coalition, firm or facility; type to search'),
      field('Supplier state', h('input', { name: 'supplier', list: nodeList(ds, 'suppliers', ['state', 'coalition']), placeholder: 'state:CN', autocomplete: 'off' })),
      field('Year', yearRange('as_of', dataYears(ds), thisYear)),
      field('Concentration by', h('select', { name: 'basis' }, h('option', { value: 'output' }, 'output that year'), h('option', { value: 'capacity' }, 'capacity'))),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Ask')));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); go('/ui/ask?' + formParams(form)); });
    form.elements.as_of.addEventListener('change', () => form.requestSubmit());
    return { ds, form };
  });

  let latest = 0;
  return async (params) => {
    const mine = ++latest;
    if (!params.has('commodity')) { // the catalog's question
      const q = new URLSearchParams((await ready).ds.question);
      for (const [k, v] of [...q]) if (!v) q.delete(k);
      go('/ui/ask?' + q, true);
      return;
    }
    const p = Object.fromEntries(params);
    const q = { commodity: p.commodity, consumer: p.consumer, as_of: p.as_of };
    const urls = {
      flow: apiURL('/analyses/flow', q),
      dependency: p.supplier && apiURL('/analyses/dependency', { ...q, supplier: p.supplier }),
      concentration: apiURL('/analyses/concentration', { commodity: p.commodity, as_of: p.as_of, basis: p.basis }),
      picture: apiURL('/render/flow', q), // SVG, the top five chokepoints marked: the defaults, as serve draws its question ahead
    };
    for (const [m] of methods) urls['chokepoints.' + m] = apiURL('/analyses/chokepoints', { ...q, method: m, top: 5 });
    const svg = svgPicture(urls.picture); // drawn while the analyses answer
    const get = (u) => (u ? getJSON(u) : Promise.resolve(null));
    const answers = Promise.allSettled([get(urls.flow), get(urls.dependency), get(urls.concentration), ...methods.map(([m]) => get(urls['chokepoints.' + m]))]);
    const { ds, form } = await ready;
    if (mine !== latest) return;
    form.reset(); // a field the URL leaves out shows its default
    fill(form, params);
    clearErrors(form);
    const [flow, dep, conc, ...chokes] = await answers;
    if (mine !== latest) return;
    if (!form.isConnected) heading.after(form); // with the answers: one layout, not two
    // An error of the question itself (an unknown consumer, say) goes next to its field.
    const failed = [flow, dep].find((r) => r.status === 'rejected');
    if (failed) {
      showError(form, failed.reason);
      out.replaceChildren();
      return;
    }
    const pic = h('div', { class: 'picture' }, message('Drawing…'));
    show(out,
      headline(flow.value, dep.value, urls, (id) => nameOf(ds, id)),
      dep.value ? dependencyTable(dep.value, urls.dependency, nameOf(ds, dep.value.result.supplier)) : section('Dependency', message('Name a supplier state to see the dependency on it.')),
      section('Top chokepoints', h('div', { class: 'grid' }, methods.map(([m, label], i) => chokepoints(m, label, chokes[i], urls['chokepoints.' + m])))),
      concentration(conc, urls.concentration),
      section('Flow picture', h('p', { class: 'hint' }, 'The top five chokepoints by lost supply have a thick red outline. Click a node (or Tab to it and press Enter) to open it. ', jsonLink(urls.picture, 'SVG'), ' · ', jsonLink(urls['chokepoints.flow'], 'chokepoints JSON')), pic),
    );
    performance.mark('chokepoint:results');
    try {
      await picture(pic, svg, (id) => go('/ui/node?' + new URLSearchParams({ id, as_of: p.as_of })));
    } catch (err) {
      pic.replaceChildren(message(err.message, 'error'));
    }
  };
}

// headline is the row of headline figures: max supply, and with a supplier the supply and the
// dependency on it.
function headline(flow, dep, urls, name) {
  const f = flow.result;
  const d = dep && dep.result;
  return h('section', { class: 'figures', 'aria-label': 'Headline figures' },
    figure('max_supply', `Max supply to ${name(f.consumer)}`, f.max_supply, f.unbounded ? 'unbounded' : tonnes(f.max_supply), urls.flow),
    d && figure('inbound_tpa', 'Supply (imports and own)', d.inbound_tpa, tonnes(d.inbound_tpa), urls.dependency),
    d && figure('dependency', `Through ${name(d.supplier)}`, d.dependency, pct(d.dependency), urls.dependency),
    d && figure('by_shipment', `Shipped from ${name(d.supplier)}`, d.by_shipment, pct(d.by_shipment), urls.dependency));
}

// dependencyTable shows the dependency by stage, by location and by control.
function dependencyTable(dep, url, supplierName) {
  const d = dep.result;
  const cell = (group, stage) => h('span', { 'data-figure': `${group}.${stage}`, 'data-value': d[group][stage] }, pct(d[group][stage]));
  return section(`Dependency on ${supplierName} (${d.supplier}), ${dep.as_of}`,
    table(['stage', 'by location', 'by control', 'unattributed (location)', 'unattributed (control)'],
      stages.map((s) => [s, cell('by_location', s), cell('by_control', s), cell('unattributed_by_location', s), cell('unattributed_by_control', s)])),
    d.equal_weights && message('No entering flow has a volume this year: the shares weigh the flows alike (a structure, not tonnes).'),
    h('p', { class: 'hint' }, 'Share of the supply that passed through a node of the supplier at a mine, at a refinery, or either. Unattributed: volume whose origin the data cannot trace. ', jsonLink(url)));
}

// chokepoints shows one method's top nodes.
function chokepoints(method, label, res, url) {
  const nodes = res.status === 'fulfilled' ? res.value.result.nodes || [] : [];
  const body = res.status === 'rejected' ? message(res.reason.message, 'error')
    : nodes.length === 0 ? message(res.value.result.max_supply == null ? 'none: the max supply is unbounded (some path has no capacity or volume)' : 'none')
      : table(['#', 'node', 'state', 'score', 'share'], nodes.map((n, i) => [String(i + 1), nodeLink(n.id, n.name), n.state || '', plain(n.score), n.share == null ? '' : pct(n.share)]));
  return h('div', { class: 'method', 'data-method': method }, h('h3', {}, label), body, jsonLink(url));
}

// concentration shows, per product and stage, the shares by location and by control.
function concentration(res, url) {
  if (res.status === 'rejected') return section('Concentration by stage', message(res.reason.message, 'error'));
  // A null index (no facility with a figure) is unknown, shown as a dash, never as 0.
  const top = (shares) => (shares && shares.length ? `${shares[0].state} ${pct(shares[0].share)}` : '—');
  const index = (v) => (v == null ? '—' : plain(Math.round(v)));
  const share = (v) => (v == null ? '—' : pct(v));
  const rows = res.value.result.map((r) => [
    r.family_total ? h('strong', {}, r.commodity) : r.commodity, r.stage,
    r.facilities === 0 && r.unscored && r.unscored.count > 0 ? 'unknown' : tonnes(r.total_t), String(r.facilities),
    index(r.by_location.hhi), top(r.by_location.shares), share(r.by_location.top3_share),
    index(r.by_control.hhi), top(r.by_control.shares), r.unscored ? String(r.unscored.count) : '0']);
  return section(`Concentration by stage, ${res.value.as_of} (by ${res.value.result.length ? res.value.result[0].basis : 'output'})`,
    table(['product', 'stage', 'total', 'facilities', 'HHI location', 'largest (location)', 'top 3', 'HHI control', 'largest (control)', 'unscored'], rows),
    h('p', { class: 'hint' }, 'HHI 0–10,000; unscored: facilities that make the product but have no figure on this basis (never counted as zero); unknown and —: no facility has a figure on this basis that year (try concentration by capacity). ', jsonLink(url)));
}
