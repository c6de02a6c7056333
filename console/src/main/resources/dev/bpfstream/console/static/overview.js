// Overview: each collector's completeness per interval (attempted / delivered / lost / rate-limited), probes, open alerts.
'use strict';
window.BP_PAGE = {
  charts: [],
  async load() {
    const d = await BP.fetchJson('/api/overview');
    BP.completeness(d.completeness);
    const main = document.getElementById('main');
    this.charts.forEach(c => c.destroy());
    this.charts = [];
    if (!d.hosts.length) {
      main.innerHTML = '<div class="card muted">No collector has reported in this range yet (collector.health). Reports come every collector interval.</div>';
      return;
    }
    main.innerHTML = `<div class="card"><h2>Open alerts</h2>${this.alerts(d.openAlerts)}</div><div class="grid" id="hosts"></div>`;
    const grid = document.getElementById('hosts');
    for (const h of d.hosts) {
      const card = document.createElement('div');
      card.className = 'card host';
      card.dataset.host = h.id;
      const probes = h.probes.map(p => `<span class="pill ${p.attached ? 'ok' : 'bad'}" title="${BP.esc(p.attachError || '')}">${BP.esc(p.probe)}${p.attached ? '' : ' (not attached)'}</span>`).join('');
      const lostBy = Object.entries(h.lostByProbe).map(([p, n]) => `${BP.esc(p)}: ${BP.esc(n)}`).join(', ');
      card.innerHTML = `<h2>${BP.esc(h.name)} <span class="muted mono">${BP.esc(h.id.slice(0, 12))}</span></h2>
        <div class="muted">last report ${BP.esc(BP.fmtTime(h.lastReportNs / 1e6))} · collector ${BP.esc(h.version)} · kernel ${BP.esc(h.kernel)} · rss ${BP.esc(Math.round(h.rssBytes / 1048576))} MiB</div>
        <table><tr><th class="num">attempted</th><th class="num">delivered</th><th class="num">lost</th><th class="num">rate-limited</th><th class="num">dropped</th><th class="num">open alerts</th></tr>
        <tr><td class="num">${BP.esc(h.attempted)}</td><td class="num">${BP.esc(h.delivered)}</td>
        <td class="num host-lost ${h.lost ? 'lost' : ''}" data-lost="${h.lost}">${BP.esc(h.lost)}</td>
        <td class="num">${BP.esc(h.rateLimited)}</td><td class="num">${BP.esc(h.dropped)}</td><td class="num">${BP.esc(h.openAlerts)}</td></tr></table>
        ${lostBy ? `<div class="lost">lost by probe: ${lostBy}</div>` : ''}
        <div class="chart"></div>
        <h3>Probes</h3><div>${probes}</div>
        <div class="links">${BP.pageLinks({host: h.id})}</div>`;
      grid.appendChild(card);
      this.chart(card.querySelector('.chart'), h.series);
    }
  },
  chart(el, s) {
    if (!s.timeMs.length || typeof uPlot === 'undefined') return;
    const opts = {
      width: Math.max(300, el.clientWidth || 480), height: 140, legend: {live: false},
      scales: {x: {time: true}, y: {range: (u, min, max) => [0, Math.max(1, max)]}},
      series: [{}, {label: 'delivered', stroke: '#2f5fd0'}, {label: 'lost', stroke: '#c8332b', width: 2}, {label: 'rate-limited', stroke: '#b8680a'}],
      axes: [{}, {size: 60}],
    };
    this.charts.push(new uPlot(opts, [s.timeMs.map(t => t / 1000), s.delivered, s.lost, s.rateLimited], el));
  },
  alerts(list) {
    if (!list.length) return '<span class="muted">none</span>';
    return '<table><tr><th>severity</th><th>rule</th><th>subject</th><th>since</th><th>message</th></tr>' + list.map(a =>
      `<tr><td><span class="pill sev-${BP.esc(a.severity)}">${BP.esc(a.severity)}</span></td><td>${BP.esc(a.ruleId)}</td><td class="mono">${BP.esc(a.subject)}</td>` +
      `<td>${BP.esc(BP.fmtTime(a.firstSeenMs))}</td><td>${BP.esc(a.message)}</td></tr>`).join('') + '</table>';
  },
};
