// Helpers shared by the views: building elements, calling the API, formatting figures, showing
// errors and pictures. Everything that comes from data enters the page as text nodes or attribute
// values, never as HTML.

// h builds an element: h('a', {href: u, class: 'x'}, 'text', child, [more]). Attributes named
// on… are event listeners; null, undefined and false attributes and children are left out.
export function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid != null && kid !== false) el.append(kid instanceof Node ? kid : String(kid));
  }
  return el;
}

// show replaces the children of el with kids, leaving out null, undefined and false.
export function show(el, ...kids) {
  el.replaceChildren(...kids.flat(Infinity).filter((k) => k != null && k !== false));
}

// The API key, kept in this tab's session storage (never in a URL).
const keyInput = document.getElementById('api-key');
keyInput.value = sessionStorage.getItem('api-key') || '';
keyInput.addEventListener('change', () => sessionStorage.setItem('api-key', keyInput.value.trim()));
export const apiKey = () => keyInput.value.trim();

// apiURL is the URL of an API call: path under /api/v1 and the non-empty params.
export function apiURL(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v != null && v !== '') q.append(k, v);
  }
  const s = q.toString();
  return '/api/v1' + path + (s ? '?' + s : '');
}

// ApiError is an API's error answer: its status, code, message and problems.
export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `the service answered ${status}`);
    this.status = status;
    this.code = e.code || '';
    this.problems = e.problems || [];
  }
}

// call fetches an API URL with the key, and throws an ApiError for an error answer.
export async function call(url, init = {}) {
  const headers = new Headers(init.headers);
  if (apiKey()) headers.set('X-API-Key', apiKey());
  const res = await fetch(url, { ...init, headers });
  if (!res.ok) {
    let body = null;
    try { body = await res.json(); } catch { /* not JSON: the status says it */ }
    throw new ApiError(res.status, body);
  }
  return res;
}

export const getJSON = async (url, init) => (await call(url, init)).json();

// catalog is what the pickers need of the network (GET /catalog: every node and commodity by
// name, and the first year of the data), fetched once per page.
let catalogPromise = null;
export function catalog() {
  if (!catalogPromise) {
    catalogPromise = getJSON(apiURL('/catalog'));
    catalogPromise.catch(() => { catalogPromise = null; });
  }
  return catalogPromise;
}

// nameOf is the name of a node of the catalog ("China" for state:CN), or the id itself.
export function nameOf(ds, id) {
  const n = ds.nodes.find((x) => x.id === id || x.id === 'state:' + id);
  return n ? n.name : id;
}

// thisYear is the default year of the analyses.
export const thisYear = new Date().getFullYear();

// dataYears returns the first year with a yearly figure in the data (a volume, an output, a
// price) and this year: the range of the year pickers.
export const dataYears = (ds) => [ds.first_year, thisYear];

// Formatting of figures: tonnes, shares, plain numbers; null shows as an em dash.
export const tonnes = (v) => (v == null ? '—' : grouped(v, 0) + ' t');
export const pct = (v) => (v == null ? '—' : (v * 100).toFixed(1) + '%');
export const plain = (v) => (v == null ? '—' : typeof v === 'number' ? grouped(v, 6) : String(v));

// grouped writes a number as Intl.NumberFormat('en') does with at most digits fraction digits
// (halves away from zero, trailing zeros dropped, commas between thousands) without Intl, whose
// first use stalls a fresh browser's page for ICU's start-up (docs/benchmarks.md). Unlike Intl, a
// negative value that rounds to zero is 0, not -0; and it rounds the double's exact value
// (toFixed) where Intl rounds its shortest decimal, so the two can differ in the last digit when
// that decimal ends in a 5 just past it (0.0000005 with six digits).
function grouped(v, digits) {
  if (!Number.isFinite(v)) return String(v);
  const [int, frac = ''] = Math.abs(v).toFixed(digits).split('.');
  const s = int.replace(/\B(?=(\d{3})+$)/g, ',') + (/[1-9]/.test(frac) ? '.' + frac.replace(/0+$/, '') : '');
  return v < 0 && /[1-9]/.test(s) ? '-' + s : s;
}

// jsonLink is the "JSON" link under a figure to the API call that produced it.
export const jsonLink = (url, label = 'JSON') => h('a', { class: 'src', href: url, target: '_blank', rel: 'noopener' }, label);

// figure is one headline number: data-figure names it and data-value holds the API's value, so a
// test can compare the page with the API.
export function figure(name, label, value, text, url) {
  return h('div', { class: 'figure', 'data-figure': name, 'data-value': value == null ? '' : String(value) },
    h('span', { class: 'label' }, label), h('span', { class: 'value' }, text), url && jsonLink(url));
}

// nodeLink links a node id to its page.
export const nodeLink = (id, text) => h('a', { href: '/ui/node?' + new URLSearchParams({ id }) }, text || id);

// table builds a table from column headings and rows of cells (text or elements); numeric
// cells (tonnes, shares, a share marked ◦) are right-aligned.
export function table(columns, rows, caption) {
  return h('table', {},
    caption && h('caption', {}, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', { class: typeof c === 'number' || /^-?[\d.,]+( t|%)( ◦)?$/.test(c) ? 'num' : null }, c))))));
}

// section is a titled part of a view's results.
export const section = (title, ...kids) => h('section', { class: 'card' }, h('h2', {}, title), ...kids);

// message is a note in place of results (an error of a part, or nothing to show).
export const message = (text, cls = 'note') => h('p', { class: cls, role: cls === 'error' ? 'alert' : null }, text);

// showError puts an API error next to the form field it is about, and marks the field; the fields
// keep what the user typed. A problem that names a field (a report's parameter) goes next to that
// field; otherwise the message goes next to the field whose name it mentions first, or whose value
// it quotes ("XX" is not a state), or else at the top of the form.
export function showError(form, err) {
  clearErrors(form);
  const named = (name) => [...form.elements].find((el) => el.name && (el.name === name || el.dataset.alias === name));
  const rest = [];
  for (const p of err.problems || []) {
    const el = p.field && named(p.field);
    if (el) attachError(el, `${p.field}: ${p.message}`);
    else rest.push(`; ${p.field || p.record || ''}: ${p.message}`);
  }
  const text = err.message + rest.join('');
  if ((err.problems || []).length && !rest.length) {
    form.prepend(h('p', { class: 'error field-error', role: 'alert' }, err.message));
    return;
  }
  let best = null;
  let bestAt = Infinity;
  for (const el of form.elements) {
    if (!el.name || el.type === 'hidden') continue;
    const words = [el.name, el.name.replace(/_/g, ' '), el.dataset.alias].filter(Boolean);
    for (const w of words) {
      const at = text.search(new RegExp(`\\b${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i'));
      if (at >= 0 && at < bestAt) { best = el; bestAt = at; }
    }
    if (el.type !== 'checkbox') {
      for (const v of String(el.value).split(',').map((x) => x.trim()).filter(Boolean)) {
        const at = text.indexOf(`"${v}"`);
        if (at >= 0 && at < bestAt) { best = el; bestAt = at; }
      }
    }
  }
  if (best) attachError(best, text);
  else form.prepend(h('p', { class: 'error field-error', role: 'alert' }, text));
}

// attachError shows text under the field of el and ties it to el for screen readers.
function attachError(el, text) {
  const p = h('p', { class: 'error field-error', role: 'alert', id: 'err-' + el.name.replace(/\W/g, '-') }, text);
  el.setAttribute('aria-invalid', 'true');
  el.setAttribute('aria-describedby', p.id);
  (el.closest('.field') || el.parentElement).append(p);
}

// clearErrors removes the errors showError put in form.
export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((p) => p.remove());
  form.querySelectorAll('[aria-invalid]').forEach((el) => { el.removeAttribute('aria-invalid'); el.removeAttribute('aria-describedby'); });
}

// field wraps a labelled form control.
export const field = (label, control, hint) => h('div', { class: 'field' }, h('label', {}, h('span', {}, label), control), hint && h('small', {}, hint));

// fill sets a form's fields from URL parameters (those not given keep their defaults).
export function fill(form, params) {
  for (const el of form.elements) {
    if (!el.name || !params.has(el.name)) continue;
    if (el.type === 'checkbox') el.checked = params.get(el.name) === 'true';
    else el.value = params.get(el.name);
    el.dispatchEvent(new Event('input'));
  }
}

// formParams are a form's non-empty fields as URL parameters (checkboxes: true when checked).
export function formParams(form) {
  const q = new URLSearchParams();
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === 'checkbox') { if (el.checked) q.set(el.name, 'true'); continue; }
    if (el.value.trim() !== '') q.set(el.name, el.value.trim());
  }
  return q;
}

// commoditySelect is a select of the families and products, named name.
export function commoditySelect(ds, name = 'commodity') {
  const families = [...new Set(ds.commodities.map((c) => c.family))].sort();
  return h('select', { name, required: true },
    h('optgroup', { label: 'Families' }, families.map((f) => h('option', { value: f }, f))),
    families.map((f) => h('optgroup', { label: `Products: ${f}` },
      ds.commodities.filter((c) => c.family === f).map((c) => h('option', { value: c.id }, `${c.id} — ${c.name}`)))));
}

// nodeList is a datalist of the nodes of the given kinds (id as the value, name as the label),
// for a searchable text field; it is added to the document once per id, when the page is idle,
// so that a view shows its answers before it builds its pickers' hundreds of options.
const lists = new Set();
export function nodeList(ds, id, kinds) {
  if (!lists.has(id)) {
    lists.add(id);
    requestIdleCallback(() => {
      const nodes = ds.nodes.filter((n) => kinds.includes(n.kind)).sort((a, b) => kinds.indexOf(a.kind) - kinds.indexOf(b.kind) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      document.body.append(h('datalist', { id }, nodes.map((n) => h('option', { value: n.id, label: `${n.name}${n.state ? ' (' + n.state + ')' : ''} · ${n.kind}` }))));
    }, { timeout: 2000 });
  }
  return id;
}

// yearRange is a year slider with its value shown beside it.
export function yearRange(name, [first, last], value) {
  const input = h('input', { type: 'range', name, min: first, max: last, step: 1, value });
  const out = h('output', { class: 'year' }, value);
  input.addEventListener('input', () => { out.textContent = input.value; });
  return h('span', { class: 'range' }, input, out);
}

// svgPicture starts fetching an SVG from the API and reads it, as soon as it is there, into an
// element of this page without scripts, event handlers or javascript: links; the promise gives the
// element, or the error (so that it can be started early and awaited late, its reading done while
// the rest of the view is still on its way).
export const svgPicture = (url) => call(url).then((res) => res.text()).then(readSVG).catch((err) => err);

// readSVG reads a picture's text into a clean element (see svgPicture).
function readSVG(text) {
  const parsed = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
  if (parsed.nodeName !== 'svg') throw new Error('the picture could not be read');
  // Cleaned in its own inert document, the root included, before it joins this one.
  parsed.querySelectorAll('script, foreignObject').forEach((el) => el.remove());
  for (const el of [parsed, ...parsed.querySelectorAll('*')]) {
    for (const name of el.getAttributeNames()) {
      if (/^on/i.test(name) || (/href$/i.test(name) && /^\s*javascript:/i.test(el.getAttribute(name)))) el.removeAttribute(name);
    }
  }
  return document.adoptNode(parsed); // moved from the parsed document, not copied
}

// picture puts a Graphviz SVG (the promise of svgPicture) in box, inline, so that its nodes can be
// clicked: each node whose <title> is a node id opens that node's page (onOpen gets the id), by
// mouse or by the keyboard (Tab, then Enter). It throws the fetch's error.
export async function picture(box, svg, onOpen) {
  const root = await svg;
  if (root instanceof Error) throw root;
  root.setAttribute('role', 'group'); // not img: its nodes are links
  root.setAttribute('aria-label', root.querySelector('title')?.textContent || 'picture');
  for (const g of root.querySelectorAll('g.node')) {
    const id = g.querySelector('title')?.textContent || '';
    if (!/^[a-z]+:\S+$/.test(id)) continue; // the legend and other marks
    g.classList.add('link');
    g.setAttribute('tabindex', '0');
    g.setAttribute('role', 'link');
    g.setAttribute('aria-label', 'open ' + id);
    g.dataset.node = id;
    g.addEventListener('click', (ev) => { ev.preventDefault(); onOpen(id); });
    g.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); onOpen(id); } });
  }
  box.replaceChildren(root);
}

// image fetches a picture from the API (with the key) and shows it as an image in box, once
// decoded: the view is not done while its picture is still loading.
export async function image(box, url, alt) {
  const blob = await (await call(url)).blob();
  const img = h('img', { src: URL.createObjectURL(blob), alt, class: 'chart' });
  try {
    await img.decode();
  } finally {
    URL.revokeObjectURL(img.src);
  }
  box.replaceChildren(img);
}

// download saves text as a file, as the browser's download.
export function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
