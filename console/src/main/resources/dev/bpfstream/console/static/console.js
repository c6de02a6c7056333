// Shared by every page: filters kept in the URL (so a view can be shared), data fetched as JSON,
// live updates over server-sent events, the completeness banner, formatting and escaping.
'use strict';
const BP = {
  SCOPE_KEYS: ['host', 'container', 'pidns', 'from', 'to'],

  params() { return new URLSearchParams(location.search); },

  /** The view's filters as a query string (only the shared keys, plus extra). */
  query(extra) {
    const p = this.params();
    const q = new URLSearchParams();
    for (const k of this.SCOPE_KEYS) { if (p.get(k)) q.set(k, p.get(k)); }
    for (const [k, v] of Object.entries(extra || {})) { if (v !== null && v !== undefined && v !== '') q.set(k, v); }
    const s = q.toString();
    return s ? '?' + s : '';
  },

  /** Sets URL parameters (null removes) without reloading the page. */
  setParams(values) {
    const p = this.params();
    for (const [k, v] of Object.entries(values)) { if (v === null || v === undefined || v === '') p.delete(k); else p.set(k, v); }
    const s = p.toString();
    history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
    this.navLinks();
  },

  esc(s) {
    return String(s === null || s === undefined ? '' : s).replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
  },

  fmtNs(ns) {
    if (ns === null || ns === undefined) return '';
    if (ns < 1e3) return ns.toFixed(0) + 'ns';
    if (ns < 1e6) return (ns / 1e3).toFixed(ns < 1e4 ? 1 : 0) + 'us';
    if (ns < 1e9) return (ns / 1e6).toFixed(ns < 1e7 ? 1 : 0) + 'ms';
    return (ns / 1e9).toFixed(1) + 's';
  },

  fmtNum(v) {
    if (v === null || v === undefined) return '';
    if (Math.abs(v) >= 1e6) return (v / 1e6).toFixed(1) + 'M';
    if (Math.abs(v) >= 1e4) return (v / 1e3).toFixed(1) + 'k';
    return Number.isInteger(v) ? String(v) : v.toFixed(1);
  },

  fmtTime(ms) { return ms ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : ''; },

  async fetchJson(path, extra) {
    const r = await fetch(path + this.query(extra), {credentials: 'same-origin'});
    const body = await r.json().catch(() => ({error: r.status + ' ' + r.statusText}));
    if (!r.ok) throw new Error(body.error || (r.status + ' ' + r.statusText));
    return body;
  },

  showError(e) {
    const el = document.getElementById('error');
    if (e) { el.textContent = String(e.message || e); el.hidden = false; } else { el.hidden = true; }
  },

  /** Completeness is never hidden: what the collectors in scope lost in the range. */
  completeness(c) {
    const el = document.getElementById('completeness');
    if (!c) { el.hidden = true; return; }
    const parts = [];
    if (c.lost) parts.push(`<span class="lost" data-lost="${c.lost}">${this.esc(c.lost)} events lost</span> (ring full)`);
    if (c.rateLimited) parts.push(`${this.esc(c.rateLimited)} rate-limited`);
    if (c.dropped) parts.push(`${this.esc(c.dropped)} dropped after reading`);
    if (parts.length) {
      const hosts = Object.entries(c.byHost || {}).map(([h, n]) => `${this.esc(h)}: ${this.esc(n)}`).join(', ');
      el.innerHTML = 'Incomplete in this range: ' + parts.join(', ') + (hosts ? ` — by host: ${hosts}` : '');
      el.className = 'completeness';
    } else {
      el.textContent = 'Complete: the collectors in scope lost nothing in this range.';
      el.className = 'completeness clean';
    }
    el.hidden = false;
  },

  /** Links to the other pages for one scope (a host, container or pid namespace). */
  pageLinks(scope) {
    const q = this.query(scope);
    return Array.from(document.querySelectorAll('header nav a')).map(a => a.dataset.nav)
      .filter(p => p !== document.body.dataset.page)
      .map(p => `<a href="/${p}${p === 'namespaces' ? (scope.host ? '?host=' + encodeURIComponent(scope.host) : '') : q}">${p}</a>`).join('');
  },

  navLinks() {
    const q = this.query();
    document.querySelectorAll('header nav a').forEach(a => {
      a.href = '/' + a.dataset.nav + q;
      a.classList.toggle('active', a.dataset.nav === document.body.dataset.page);
    });
  },

  async fillFilters() {
    const form = document.getElementById('filters');
    const p = this.params();
    form.from.value = p.get('from') || '';
    form.to.value = p.get('to') || '';
    try {
      const s = await (await fetch('/api/scopes', {credentials: 'same-origin'})).json();
      const fill = (sel, entries, label) => {
        const cur = p.get(sel.name) || '';
        sel.innerHTML = '<option value="">all</option>' + entries.map(([v, l]) =>
          `<option value="${this.esc(v)}"${v === cur ? ' selected' : ''}>${this.esc(label(v, l))}</option>`).join('');
        if (cur && !entries.some(([v]) => v === cur)) sel.insertAdjacentHTML('beforeend', `<option value="${this.esc(cur)}" selected>${this.esc(cur)}</option>`);
      };
      fill(form.host, Object.entries(s.hosts || {}), (id, name) => name === id ? id : `${name} (${id.slice(0, 8)})`);
      fill(form.container, Object.entries(s.containers || {}), id => id.slice(0, 12));
      fill(form.pidns, Object.entries(s.pidNamespaces || {}), id => id);
      document.getElementById('footer').textContent =
        `memory holds ${s.retentionSeconds / 60} minutes; profile rows ${s.memory.profileRows.records} (evicted ${s.memory.profileRows.evicted}), ` +
        `summaries ${s.memory.workloadSummaries.records + s.memory.latencySummaries.records}` + (s.topics.lastError ? ` — reader: ${s.topics.lastError}` : '');
    } catch (e) { /* the page's own fetch reports errors */ }
  },

  live(reload) {
    const dot = document.getElementById('live');
    let pending = null;
    const src = new EventSource('/api/events');
    src.onopen = () => dot.classList.add('on');
    src.onerror = () => dot.classList.remove('on');
    src.addEventListener('change', ev => {
      const what = String(ev.data || '').split(',');
      if (pending || (this.reloadOn && !what.some(w => this.reloadOn.includes(w)))) return;
      pending = setTimeout(() => { pending = null; reload(); }, 300);
    });
  },

  init(page) {
    const form = document.getElementById('filters');
    const run = async () => {
      try { await page.load(); this.showError(null); } catch (e) { this.showError(e); }
    };
    form.addEventListener('submit', ev => {
      ev.preventDefault();
      this.setParams({host: form.host.value, container: form.container.value, pidns: form.pidns.value, from: form.from.value, to: form.to.value});
      run();
    });
    form.querySelectorAll('[data-range]').forEach(b => b.addEventListener('click', () => {
      form.from.value = b.dataset.range; form.to.value = '';
      this.setParams({from: b.dataset.range, to: null});
      run();
    }));
    this.navLinks();
    this.fillFilters();
    run();
    this.reloadOn = page.reloadOn || null;
    if (page.live !== false) this.live(run);
  },
};

document.addEventListener('DOMContentLoaded', () => { if (window.BP_PAGE) BP.init(window.BP_PAGE); });
