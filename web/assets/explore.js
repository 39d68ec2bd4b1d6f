// Explore: search the nodes by name, id, kind and state; each result opens the node's page.
import { h, apiURL, getJSON, catalog, table, section, message, showError, clearErrors, field, fill, formParams, nodeLink, jsonLink } from './ui.js';

export const title = 'Explore';

const pageSize = 50;
const kinds = ['mine', 'refinery', 'firm', 'state', 'coalition'];

export async function mount(root, go) {
  const ds = await catalog();
  const states = [...new Set(ds.nodes.map((n) => n.state).filter(Boolean))].sort();
  const form = h('form', { class: 'query', action: '/ui/explore', method: 'get', role: 'search' },
    field('Name or id', h('input', { name: 'q', type: 'search', placeholder: 'lynas, mine:, jogmec…', autocomplete: 'off', 'data-alias': 'query' })),
    field('Kind', h('select', { name: 'kind' }, h('option', { value: '' }, 'any'), kinds.map((k) => h('option', { value: k }, k)))),
    field('State', h('input', { name: 'state', list: 'states', placeholder: 'JP', size: 4, autocomplete: 'off' })),
    h('datalist', { id: 'states' }, states.map((s) => h('option', { value: s }))),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Search')));
  const out = h('div', { class: 'results', 'aria-live': 'polite' });
  root.append(h('h1', {}, 'Explore'), form, out);
  form.addEventListener('submit', (ev) => { ev.preventDefault(); go('/ui/explore?' + formParams(form)); });

  let latest = 0;
  return async (params) => {
    const mine = ++latest;
    form.reset(); // a field the URL leaves out shows its default
    fill(form, params);
    clearErrors(form);
    const offset = +params.get('offset') || 0;
    const url = apiURL('/nodes', { q: params.get('q'), kind: params.get('kind'), state: params.get('state'), limit: pageSize, offset });
    let res;
    try {
      res = await getJSON(url);
    } catch (err) {
      if (mine === latest) { showError(form, err); out.replaceChildren(); }
      return;
    }
    if (mine !== latest) return;
    const page = (o) => { const q = new URLSearchParams(params); q.set('offset', o); return '/ui/explore?' + q; };
    const rows = res.nodes.map((n) => [nodeLink(n.id), n.name, n.kind, n.state || '', n.stage || '', n.status || '']);
    out.replaceChildren(section(`${res.total} node${res.total === 1 ? '' : 's'}`,
      rows.length ? table(['id', 'name', 'kind', 'state', 'stage', 'status'], rows) : message('No node matches.'),
      h('p', { class: 'pager' },
        offset > 0 && h('a', { href: page(Math.max(0, offset - pageSize)) }, '← previous'),
        res.total > offset + pageSize && h('a', { href: page(offset + pageSize) }, 'next →'),
        jsonLink(url))));
  };
}
