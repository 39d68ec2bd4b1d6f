// A node's page: its facts and sources, who owns and operates it and what it holds, its suppliers
// and customers by year, its controlling states, and its neighbourhood picture.
import {
  h, show, apiURL, getJSON, catalog, dataYears, tonnes, pct, plain, table, section, message, field, fill, formParams, nodeLink, jsonLink, picture, svgPicture,
} from './ui.js';

export const title = 'Node';

const facts = ['id', 'kind', 'name', 'state', 'stage', 'status', 'since', 'until', 'as_of'];
const flowKinds = ['supplies', 'offtake'];
const holdKinds = ['owns', 'operates'];

export async function mount(root, go) {
  const ds = await catalog();
  const [first, last] = dataYears(ds);
  const years = [];
  for (let y = last; y >= first; y--) years.push(y);
  const heading = h('h1', {}, 'Node');
  const form = h('form', { class: 'query', action: '/ui/node', method: 'get' },
    h('input', { type: 'hidden', name: 'id' }),
    field('Year', h('select', { name: 'as_of' }, h('option', { value: '' }, 'every year'), years.map((y) => h('option', { value: y }, y)))),
    field('Picture depth', h('select', { name: 'depth' }, [1, 2, 3].map((d) => h('option', { value: d }, d)))),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Show')));
  const out = h('div', { class: 'results', 'aria-live': 'polite' });
  root.append(heading, form, out);
  form.addEventListener('submit', (ev) => { ev.preventDefault(); go('/ui/node?' + formParams(form)); });
  form.elements.as_of.addEventListener('change', () => form.requestSubmit());
  form.elements.depth.addEventListener('change', () => form.requestSubmit());

  let latest = 0;
  return async (params) => {
    const mine = ++latest;
    form.reset();
    fill(form, params);
    const id = params.get('id') || '';
    const year = params.get('as_of') ? +params.get('as_of') : null;
    const url = apiURL('/nodes/' + encodeURIComponent(id));
    const picURL = apiURL('/render/node/' + encodeURIComponent(id), { depth: params.get('depth') || 1, as_of: year, format: 'svg' });
    const svg = svgPicture(picURL); // drawn while the node is read
    let res;
    try {
      res = await getJSON(url);
    } catch (err) {
      if (mine === latest) {
        heading.textContent = id || 'Node';
        out.replaceChildren(message(err.message, 'error'), h('p', {}, h('a', { href: '/ui/explore' }, 'Search the nodes')));
      }
      return;
    }
    if (mine !== latest) return;
    const n = res.node;
    heading.textContent = n.name;
    document.title = `${n.name} · chokepoint`;
    const inService = (e) => year == null || ((e.since == null || e.since <= year) && (e.until == null || e.until >= year));
    const ins = res.in.filter(inService);
    const outs = res.out.filter(inService);
    const pic = h('div', { class: 'picture' }, message('Drawing…'));
    const controlURL = ['firm', 'mine', 'refinery'].includes(n.kind) ? apiURL('/analyses/control', { node: id, as_of: year }) : null;
    const control = h('div', {});
    show(out,
      section('Facts', factsTable(n), jsonLink(url)),
      section('Neighbourhood', h('p', { class: 'hint' }, 'Click a node (or Tab to it and press Enter) to open it. ', jsonLink(picURL, 'SVG')), pic),
      section('Sources', sources(n, res)),
      section('Owned and operated by', relations(ins, holdKinds, year)),
      controlURL && section('Controlled from', control),
      section('Owns and operates', relations(outs, holdKinds, year)),
      section(`Suppliers${year ? ', ' + year : ', by year'}`, relations(ins, flowKinds, year)),
      section(`Customers${year ? ', ' + year : ', by year'}`, relations(outs, flowKinds, year)),
      section('Other relations', relations([...ins, ...outs], null, year)),
    );
    performance.mark('chokepoint:results');
    const jobs = [picture(pic, svg, (other) => go('/ui/node?' + new URLSearchParams({ id: other, ...(year ? { as_of: year } : {}) })))
      .catch((err) => pic.replaceChildren(message(err.message, 'error')))];
    if (controlURL) {
      jobs.push(getJSON(controlURL).then((c) => control.replaceChildren(controlView(c.result), jsonLink(controlURL)))
        .catch((err) => control.replaceChildren(message(err.message, 'error'))));
    }
    await Promise.all(jobs);
  };
}

// factsTable lists a node's fields: the plain ones, then capacity, output and notes.
function factsTable(n) {
  const rows = facts.filter((k) => n[k] != null).map((k) => [k, String(n[k])]);
  for (const [product, t] of Object.entries(n.capacity || {})) {
    rows.push([`capacity ${product}`, `${tonnes(t)}/a${n.capacity_basis && n.capacity_basis[product] ? ' (' + n.capacity_basis[product] + ')' : ''}`]);
  }
  for (const [product, byYear] of Object.entries(n.output || {})) {
    rows.push([`output ${product}`, Object.entries(byYear).map(([y, t]) => `${y}: ${tonnes(t)}`).join(' · ')]);
  }
  for (const [k, v] of Object.entries(n.stock || {})) rows.push([`stock ${k}`, typeof v === 'object' ? JSON.stringify(v) : String(v)]);
  for (const [k, v] of Object.entries(n.extra || {})) rows.push([k, typeof v === 'object' ? JSON.stringify(v) : String(v)]);
  return table(['field', 'value'], rows);
}

// sources lists every source the node and its relationships cite, as links.
function sources(n, res) {
  const urls = [...new Set([n.source, ...res.in.map((e) => e.source), ...res.out.map((e) => e.source)].filter(Boolean))];
  if (!urls.length) return message('No source recorded.');
  return h('ul', { class: 'sources' }, urls.map((u) => h('li', {}, /^https?:\/\//.test(u) ? h('a', { href: u, target: '_blank', rel: 'noopener noreferrer' }, u) : u)));
}

// relations tables the relationships of the given kinds (null: every other kind), with the node
// at the other end, the year's volume (or every year's), share and years.
function relations(edges, kinds, year) {
  const known = [...flowKinds, ...holdKinds];
  const sel = edges.filter((e) => (kinds ? kinds.includes(e.kind) : !known.includes(e.kind)));
  if (!sel.length) return message('none');
  const volume = (e) => {
    if (year != null) {
      const v = e.volume_by_year && e.volume_by_year[year] != null ? e.volume_by_year[year] : e.volume_tpa;
      return v == null ? '' : tonnes(v);
    }
    if (e.volume_by_year) return Object.entries(e.volume_by_year).map(([y, v]) => `${y}: ${tonnes(v)}`).join(' · ');
    return e.volume_tpa == null ? '' : `${tonnes(e.volume_tpa)}/a`;
  };
  const years = (e) => (e.since || e.until ? `${e.since || '…'}–${e.until || ''}` : '');
  const rows = sel.map((e) => [nodeLink(e.other.id, e.other.name), e.other.state || '', e.kind, e.commodity || e.instrument || e.control || '',
    volume(e), e.share == null ? (e.amount_usd == null ? '' : `US$${plain(e.amount_usd)}m`) : pct(e.share), years(e)]);
  return table(['with', 'state', 'kind', 'commodity', year ? `volume ${year}` : 'volume by year', 'share / amount', 'years'], rows);
}

// controlView shows the control analysis of one node: its controlling states and owners.
function controlView(r) {
  const states = (r.states || []).map((s) => [s.state || s.id, pct(s.share)]);
  const owners = (r.owners || []).map((o) => [nodeLink(o.id, o.name), o.state || '', pct(o.share), o.ultimate ? 'ultimate' : '']);
  return h('div', { class: 'grid' },
    states.length ? table(['state', 'share'], states, 'Controlling states') : message('No controlling state.'),
    owners.length ? table(['owner', 'state', 'effective share', ''], owners, 'Effective owners') : message('No recorded owner.'));
}
