// Reports: the saved Cypher reports with their descriptions; a form of a report's typed
// parameters; its run as a table, and as CSV or JSON to download. On the embedded store the
// service answers 501: the page says why and how to connect Neo4j.
import { h, apiURL, call, getJSON, plain, table, section, message, showError, clearErrors, field, formParams, nodeLink, download } from './ui.js';

export const title = 'Reports';

// Report parameters are p.NAME in the page's URL, so that they never clash with its own.
const prefix = 'p.';

// input is the form control of a report parameter of the given type.
function input(p) {
  const attrs = { name: prefix + p.name, 'data-alias': p.name, required: p.required, autocomplete: 'off' };
  const def = p.default == null ? '' : Array.isArray(p.default) ? p.default.join(',') : String(p.default);
  switch (p.type) {
    case 'int': case 'year': return h('input', { ...attrs, type: 'number', step: 1, value: def });
    case 'float': return h('input', { ...attrs, type: 'number', step: 'any', value: def });
    case 'bool': return h('select', attrs, h('option', { value: '' }, def ? `default (${def})` : 'default'), h('option', { value: 'true' }, 'true'), h('option', { value: 'false' }, 'false'));
    case 'list<string>': return h('input', { ...attrs, value: def, placeholder: 'comma-separated' });
    default: return h('input', { ...attrs, value: def });
  }
}

// cell shows a value of a result: a node id as a link to its page, a node as its id, a list of
// plain values as a comma-separated list, other structures as compact JSON.
function cell(v) {
  if (v == null) return '';
  if (typeof v === 'string') return /^(mine|refinery|firm|state|coalition):\S+$/.test(v) ? nodeLink(v) : v;
  if (typeof v === 'number') return plain(v);
  if (typeof v === 'object' && !Array.isArray(v) && typeof v.id === 'string' && v.labels) return nodeLink(v.id);
  if (Array.isArray(v) && v.every((x) => x == null || typeof x !== 'object')) return v.map((x) => (x == null ? '' : String(x))).join(', ');
  return JSON.stringify(v);
}

// embeddedNote explains the service's 501: a report runs only on Neo4j.
const embeddedNote = () => h('p', { class: 'explain' }, 'Reports are Cypher queries, so they run only when the service is connected to Neo4j, the system of record. ' +
  'This service answers from its embedded store (the bundled dataset in memory), where every other view works. ' +
  'Start it with NEO4J_URI, NEO4J_USERNAME and NEO4J_PASSWORD set (and serve --data bundled to import the dataset at start) to run them.');

export async function mount(root, go) {
  const out = h('div', { class: 'results', 'aria-live': 'polite' });
  root.append(h('h1', {}, 'Reports'), out);
  let reports;
  try {
    reports = (await getJSON(apiURL('/reports'))).reports;
  } catch (err) {
    out.append(message(err.message, 'error'));
    if (err.status === 501) out.append(embeddedNote());
    return () => {};
  }
  const pick = h('select', { name: 'report' }, h('option', { value: '' }, 'choose a report'), reports.map((r) => h('option', { value: r.name }, `${r.name} — ${r.title}`)));
  const picker = h('form', { class: 'query', action: '/ui/reports', method: 'get' }, field('Report', pick));
  pick.addEventListener('change', () => go('/ui/reports?' + new URLSearchParams(pick.value ? { report: pick.value } : {})));
  picker.addEventListener('submit', (ev) => { ev.preventDefault(); pick.dispatchEvent(new Event('change')); });
  const list = section('Saved reports', table(['report', 'title', 'description', 'parameters'], reports.map((r) => [
    h('a', { href: '/ui/reports?' + new URLSearchParams({ report: r.name }) }, r.name), r.title, r.description || '',
    r.params.map((p) => `${p.name} (${p.type}${p.required ? ', required' : ''})`).join(', ')])));
  const detail = h('div', {});
  out.append(picker, detail, list);

  let latest = 0;
  return async (params) => {
    const mine = ++latest;
    const rep = reports.find((r) => r.name === params.get('report'));
    pick.value = rep ? rep.name : '';
    list.hidden = !!rep;
    if (!rep) { detail.replaceChildren(params.get('report') ? message(`There is no report ${params.get('report')}.`, 'error') : ''); return; }
    const form = h('form', { class: 'query', action: '/ui/reports', method: 'get' },
      h('input', { type: 'hidden', name: 'report', value: rep.name }),
      rep.params.map((p) => field(`${p.name} (${p.type})`, input(p), p.description)),
      h('input', { type: 'hidden', name: 'run', value: '1' }),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Run'),
        h('button', { type: 'button', class: 'secondary', 'data-format': 'csv' }, 'Download CSV'),
        h('button', { type: 'button', class: 'secondary', 'data-format': 'json' }, 'Download JSON')));
    for (const el of form.elements) if (el.name && params.has(el.name)) el.value = params.get(el.name);
    const result = h('div', { class: 'report-result' });
    detail.replaceChildren(section(rep.title, h('p', {}, rep.description || ''), form, result));
    // runURL is the run of the report with the form's parameters (only those filled in).
    const runURL = (format) => {
      const args = {};
      for (const [k, v] of formParams(form)) if (k.startsWith(prefix)) args[k.slice(prefix.length)] = v;
      return apiURL(`/reports/${encodeURIComponent(rep.name)}/run`, { ...args, format });
    };
    form.addEventListener('submit', (ev) => { ev.preventDefault(); go('/ui/reports?' + formParams(form)); });
    for (const b of form.querySelectorAll('button[data-format]')) {
      b.addEventListener('click', async () => {
        clearErrors(form);
        try {
          const res = await call(runURL(b.dataset.format));
          download(`${rep.name}.${b.dataset.format}`, b.dataset.format === 'csv' ? 'text/csv' : 'application/json', await res.text());
        } catch (err) { showError(form, err); }
      });
    }
    if (params.get('run') !== '1') return;
    const url = runURL();
    result.replaceChildren(message('Running…'));
    let res;
    try {
      res = await getJSON(url);
    } catch (err) {
      if (mine !== latest) return;
      if (err.status === 501) { result.replaceChildren(message(err.message, 'error'), embeddedNote()); return; }
      showError(form, err);
      result.replaceChildren();
      return;
    }
    if (mine !== latest) return;
    result.replaceChildren(
      h('p', { class: 'hint', 'data-rows': res.row_count }, `${res.row_count} row${res.row_count === 1 ? '' : 's'}${res.truncated ? ' (truncated)' : ''}, ${plain(res.elapsed_ms)} ms · `,
        h('a', { href: url, target: '_blank', rel: 'noopener' }, 'JSON')),
      res.rows.length ? table(res.columns, res.rows.map((r) => r.map(cell))) : message('No rows.'));
  };
}
