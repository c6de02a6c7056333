// Top workloads: who / what / how it is changing, per host, container, pid namespace and fleet; sortable; rows link to the scope's other views.
'use strict';
window.BP_PAGE = {
  reloadOn: ['workload', 'health'],
  sort: {key: 'events_per_s', desc: true},
  COLUMNS: [
    ['events_per_s', 'events/s'], ['exec_per_s', 'exec/s'], ['opens_per_s', 'opens/s'], ['iops', 'IOPS'],
    ['tcp_per_s', 'TCP conn/s'], ['cpu_samples', 'CPU samples'], ['lostEvents', 'lost'],
  ],
  value(r, key) {
    const f = r.figures;
    if (key === 'iops') return (f.read_iops || 0) + (f.write_iops || 0);
    if (key === 'tcp_per_s') return (f.tcp_connects_per_s || 0) + (f.tcp_accepts_per_s || 0);
    if (key === 'lostEvents') return r.lostEvents;
    if (key === 'name') return r.name;
    return f[key] || 0;
  },
  async load() {
    const scope = BP.params().get('scope') || 'all';
    const d = await BP.fetchJson('/api/workloads', {scope});
    BP.completeness(d.completeness);
    this.data = d;
    const main = document.getElementById('main');
    const scopes = ['all', 'fleet', 'host', 'container', 'namespace'];
    main.innerHTML = `<div class="card"><div class="flame-tools">show ${scopes.map(s =>
      `<button type="button" data-scope="${s}"${s === scope ? ' disabled' : ''}>${s}</button>`).join('')}
      <span class="muted">${d.rows.length ? `window of ${d.windowSeconds} s ending ${BP.esc(BP.fmtTime(d.windowEndMs))}` : ''}</span></div>
      <div id="table"></div></div>`;
    main.querySelectorAll('[data-scope]').forEach(b => b.addEventListener('click', () => {
      BP.setParams({scope: b.dataset.scope});
      this.load().catch(e => BP.showError(e));
    }));
    this.render();
  },
  render() {
    const d = this.data;
    const el = document.getElementById('table');
    if (!d.rows.length) { el.innerHTML = '<span class="muted">No workload summary in this range and scope yet (agg.workload, one per window).</span>'; return; }
    const rows = d.rows.slice().sort((a, b) => {
      const x = this.value(a, this.sort.key), y = this.value(b, this.sort.key);
      return (x < y ? -1 : x > y ? 1 : 0) * (this.sort.desc ? -1 : 1);
    });
    const head = `<tr><th>scope</th><th class="sortable" data-key="name">name</th>` +
      this.COLUMNS.map(([k, l]) => `<th class="num sortable${this.sort.key === k ? (this.sort.desc ? ' sorted-desc' : ' sorted-asc') : ''}" data-key="${k}">${l}</th>`).join('') +
      `<th>trend (events/s)</th><th>top processes</th><th>changing</th><th>views</th></tr>`;
    const body = rows.map(r => {
      const scope = {host: r.hostId, container: r.containerId, pidns: r.pidns};
      return `<tr class="row" data-scope="${BP.esc(r.scope)}"><td><span class="pill">${BP.esc(r.scope)}</span></td><td class="mono">${BP.esc(r.name)}</td>` +
        this.COLUMNS.map(([k]) => `<td class="num${k === 'lostEvents' && r.lostEvents ? ' lost' : ''}">${BP.esc(BP.fmtNum(this.value(r, k)))}</td>`).join('') +
        `<td>${this.sparkline(r.trend)}</td>` +
        `<td class="mono">${r.topProcesses.map(p => `${BP.esc(p.key)} (${BP.esc(p.events)})`).join('<br>')}</td>` +
        `<td>${r.biggestMovers.map(m => `<span class="pill warn">${BP.esc(m)}</span>`).join('')}</td>` +
        `<td class="links">${r.scope === 'fleet' ? '' : BP.pageLinks(scope)}</td></tr>`;
    }).join('');
    el.innerHTML = `<table>${head}${body}</table>`;
    el.querySelectorAll('th.sortable').forEach(th => th.addEventListener('click', () => {
      const k = th.dataset.key;
      this.sort = {key: k, desc: this.sort.key === k ? !this.sort.desc : true};
      this.render();
    }));
  },
  sparkline(values) {
    if (!values || values.length < 2) return '';
    const w = 120, h = 24, max = Math.max(...values, 1e-9);
    const pts = values.map((v, i) => `${(i * w / (values.length - 1)).toFixed(1)},${(h - 2 - v / max * (h - 4)).toFixed(1)}`).join(' ');
    return `<svg width="${w}" height="${h}"><polyline fill="none" stroke="#2f5fd0" stroke-width="1.5" points="${pts}"/></svg>`;
  },
};
