// Profile: the flame graph of the scope and range (drawn as SVG by the server): click to zoom, search highlights,
// kernel and user frames in different colours; a differential graph against a baseline range or scope; folded and SVG export.
'use strict';
window.BP_PAGE = {
  reloadOn: ['profile'],
  BASE_KEYS: ['basefrom', 'baseto', 'basehost', 'basecontainer', 'basepidns'],
  extra() {
    const p = BP.params();
    const e = {focus: p.get('focus')};
    for (const k of this.BASE_KEYS) e[k] = p.get(k);
    return e;
  },
  async load() {
    const main = document.getElementById('main');
    if (!document.getElementById('flame')) this.layout(main);
    const extra = this.extra();
    const [summary, svg] = await Promise.all([BP.fetchJson('/api/profile', Object.assign({}, extra, {focus: null})), this.fetchSvg(extra)]);
    BP.completeness(summary.completeness);
    const flame = document.getElementById('flame');
    flame.innerHTML = svg;
    flame.dataset.samples = summary.samples;
    document.getElementById('flame-note').textContent = summary.samples
      ? `${summary.samples} samples in ${summary.stacks} stacks` + (summary.differential
        ? ` — differential against ${summary.baselineSamples} samples of ${summary.baselineScope}, ${BP.fmtTime(summary.baselineFromMs)} to ${BP.fmtTime(summary.baselineToMs)}: red grew, blue shrank (share of all samples)` : '')
        + (extra.focus ? ` — zoomed to ${extra.focus.split(';').pop()} (click the bottom bar or Reset zoom to go back)` : '')
      : 'No CPU samples for this scope and range yet (bpf.profile; the profile probe drains every collector interval).';
    const q = BP.query(extra);
    document.getElementById('export-folded').href = '/api/profile.folded' + BP.query(Object.assign({}, extra, {focus: null, download: '1'}));
    document.getElementById('export-svg').href = '/api/profile.svg' + BP.query(Object.assign({}, extra, {download: '1'}));
    flame.querySelectorAll('g.f').forEach(g => g.addEventListener('click', () => {
      BP.setParams({focus: g.classList.contains('root') ? null : g.dataset.path || null});
      this.load().catch(e => BP.showError(e));
    }));
    this.search();
    return q;
  },
  async fetchSvg(extra) {
    const r = await fetch('/api/profile.svg' + BP.query(extra), {credentials: 'same-origin'});
    if (!r.ok) throw new Error((await r.json().catch(() => ({error: r.statusText}))).error);
    return r.text();
  },
  layout(main) {
    const p = BP.params();
    main.innerHTML = `<div class="card">
      <div class="flame-tools">
        <label>search <input id="search" size="30" placeholder="regex, e.g. ^ext4_|malloc" value="${BP.esc(p.get('search') || '')}"></label>
        <span id="matches" class="muted"></span>
        <button type="button" id="reset">Reset zoom</button>
        <a id="export-folded" href="#">Export folded</a> <a id="export-svg" href="#">Export SVG</a>
      </div>
      <details${this.BASE_KEYS.some(k => p.get(k)) ? ' open' : ''}><summary>Differential: compare with a baseline range or scope</summary>
        <form id="diff" class="flame-tools">
          <label>from <input name="basefrom" size="14" placeholder="-30m"></label><label>to <input name="baseto" size="14" placeholder="-15m"></label>
          <label>host <input name="basehost" size="14"></label><label>container <input name="basecontainer" size="14"></label><label>pid ns <input name="basepidns" size="12"></label>
          <button type="submit">Compare</button><button type="button" id="nodiff">Plain graph</button>
        </form></details>
      <div class="legend"><span><i style="background:rgb(240,150,40)"></i>user</span><span><i style="background:rgb(80,180,225)"></i>kernel</span>
        <span><i style="background:rgb(180,170,210)"></i>command</span><span><i style="background:rgb(170,170,170)"></i>lost stack</span>
        <span><i style="background:rgb(230,0,230)"></i>search match</span><span><i style="background:rgb(255,80,80)"></i>grew</span><span><i style="background:rgb(80,80,255)"></i>shrank</span></div>
      <div id="flame-note" class="muted"></div>
      <div id="flame"></div></div>`;
    const form = document.getElementById('diff');
    for (const k of this.BASE_KEYS) form[k].value = p.get(k) || '';
    form.addEventListener('submit', ev => {
      ev.preventDefault();
      const v = {};
      for (const k of this.BASE_KEYS) v[k] = form[k].value;
      BP.setParams(v);
      this.load().catch(e => BP.showError(e));
    });
    document.getElementById('nodiff').addEventListener('click', () => {
      const v = {};
      for (const k of this.BASE_KEYS) { v[k] = null; form[k].value = ''; }
      BP.setParams(v);
      this.load().catch(e => BP.showError(e));
    });
    document.getElementById('reset').addEventListener('click', () => {
      BP.setParams({focus: null});
      this.load().catch(e => BP.showError(e));
    });
    document.getElementById('search').addEventListener('input', () => {
      BP.setParams({search: document.getElementById('search').value});
      this.search();
    });
  },
  /** Marks the frames whose name matches; the share counts each matched subtree once. */
  search() {
    const text = document.getElementById('search').value;
    const frames = document.querySelectorAll('#flame g.f');
    let re = null;
    if (text) {
      try { re = new RegExp(text, 'i'); } catch (e) { re = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'); }
    }
    const matched = [];
    frames.forEach(g => {
      const hit = !!re && !g.classList.contains('anc') && !g.classList.contains('root') && re.test(g.dataset.name);
      g.classList.toggle('match', hit);
      if (hit) matched.push(g);
    });
    const paths = matched.map(g => g.dataset.path);
    const top = matched.filter(g => !paths.some(p => p !== g.dataset.path && g.dataset.path.startsWith(p + ';')));
    const total = +(document.querySelector('#flame svg') || {dataset: {}}).dataset.total || 0;
    const share = top.reduce((a, g) => a + +g.dataset.value, 0);
    document.getElementById('matches').textContent = re
      ? `${matched.length} frames match, ${total ? (100 * share / total).toFixed(1) : 0}% of samples` : '';
  },
};
