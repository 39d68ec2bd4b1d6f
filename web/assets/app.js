// The page's router. Each view lives at /ui/VIEW and keeps its whole state in the URL's query, so
// a link reproduces what the analyst saw; links and form submissions inside the page change the
// URL with the history API instead of reloading. A view module exports mount(root, go), which
// builds the view once and returns update(params), called for every URL of that view. A view's
// module is loaded when the view is first shown, so a page load fetches and compiles only the
// modules of its view (index.html preloads the default view's). A view whose pickers read the
// catalog has it fetched alongside its module, not after; Ask sends its questions before it.
import { h, catalog } from './ui.js';

const views = {
  ask: { load: () => import('./ask.js'), catalog: true },
  explore: { load: () => import('./explore.js'), catalog: true },
  node: { load: () => import('./node.js'), catalog: true },
  whatif: { load: () => import('./whatif.js'), catalog: true },
  reports: { load: () => import('./reports.js'), catalog: false },
  trends: { load: () => import('./trends.js'), catalog: true },
};
const main = document.getElementById('view');
let current = { name: '', update: null };
let seq = 0;

// go shows url (a path under /ui/ with its query): a new history entry, or replacing this one.
function go(url, replace = false) {
  history[replace ? 'replaceState' : 'pushState'](null, '', url);
  route();
}

// route shows the view of the current URL. When it is done, body[data-done] is the number of
// routes done and body[data-ms] how long this one took; a view that draws a picture after its
// figures marks the moment the figures are shown (chokepoint:results). The browser tests wait and
// measure on these.
async function route() {
  const mine = ++seq;
  const started = performance.now();
  performance.mark('chokepoint:route');
  document.body.dataset.busy = 'true';
  const name = location.pathname === '/' ? 'ask' : location.pathname.replace(/^\/ui\//, '');
  const view = Object.hasOwn(views, name) ? views[name] : null;
  for (const a of document.querySelectorAll('header nav a')) {
    if (a.pathname === '/ui/' + name || (name === 'node' && a.pathname === '/ui/explore')) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  try {
    if (!view) {
      current = { name: '', update: null };
      main.replaceChildren(h('p', { class: 'error' }, `There is no view ${location.pathname}.`));
    } else {
      if (current.name !== name) {
        if (view.catalog) catalog(); // on its way while the module loads; the view awaits it
        const mod = await view.load();
        main.replaceChildren();
        current = { name, update: await mod.mount(main, go) };
        document.title = `${mod.title} · chokepoint`;
      }
      await current.update(new URLSearchParams(location.search));
    }
  } catch (err) {
    main.append(h('p', { class: 'error', role: 'alert' }, err.message));
  } finally {
    if (mine === seq) {
      document.body.dataset.ms = (performance.now() - started).toFixed(1);
      document.body.dataset.busy = 'false';
      document.body.dataset.done = String(mine);
    }
  }
}

// Links to the page's own views change the URL without a reload (unless opened elsewhere).
document.addEventListener('click', (ev) => {
  const a = ev.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download') || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  if (a.origin !== location.origin || !(a.pathname === '/' || a.pathname.startsWith('/ui/')) || a.pathname.startsWith('/ui/assets/')) return;
  ev.preventDefault();
  go(a.pathname + a.search);
});
window.addEventListener('popstate', route);
route();
