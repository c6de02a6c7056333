// Latency: a heatmap per kind (time × log2 latency bucket, colour = count) with p50/p99 lines; hover shows bucket and count.
'use strict';
window.BP_PAGE = {
  reloadOn: ['latency', 'health'],
  chart: null,
  async load() {
    const kind = BP.params().get('kind') || 'RUNQ';
    const d = await BP.fetchJson('/api/latency', {kind});
    BP.completeness(d.completeness);
    const main = document.getElementById('main');
    if (!main.querySelector('#kinds')) {
      main.innerHTML = `<div class="card"><div id="kinds" class="flame-tools"></div>
        <h2 id="heat-title"></h2><div class="muted" id="heat-note"></div><div id="heat" class="heat"></div><div class="hover muted" id="hover">&nbsp;</div></div>`;
    }
    document.getElementById('kinds').innerHTML = d.kinds.map(k =>
      `<button type="button" data-kind="${BP.esc(k)}"${k === d.kind ? ' disabled' : ''}>${BP.esc(k.toLowerCase().replace('_', ' '))}</button>`).join('');
    document.querySelectorAll('#kinds button').forEach(b => b.addEventListener('click', () => {
      BP.setParams({kind: b.dataset.kind});
      this.load().catch(e => BP.showError(e));
    }));
    document.getElementById('heat-title').textContent = `${d.kind.toLowerCase().replace('_', ' ')} latency — ${d.scope}`;
    const windows = d.timeMs.length;
    document.getElementById('heat-note').textContent = windows
      ? `${windows} windows of ${d.windowSeconds} s, ${d.count.reduce((a, b) => a + b, 0)} latencies; colour: count per log2 bucket (darker = more); lines: p50 and p99` +
        (d.summaryLostEvents ? `; the summaries report ${d.summaryLostEvents} events lost upstream` : '')
      : 'No latency summary of this kind and scope in this range yet (agg.latency; one per window).';
    this.draw(d);
  },
  draw(d) {
    const el = document.getElementById('heat');
    if (this.chart) { this.chart.destroy(); this.chart = null; }
    el.dataset.cells = '0';
    if (!d.timeMs.length) return;
    const lo = d.lowestBucket, hi = d.highestBucket, win = d.windowSeconds;
    const xs = d.timeMs.map(t => t / 1000);
    const log2 = v => (v > 0 ? Math.log2(v) : null);
    const max = Math.max(1, ...d.cells.flat());
    const self = this;
    const opts = {
      width: Math.max(600, el.clientWidth || 1000), height: 420,
      legend: {show: true},
      scales: {x: {time: true, range: () => [xs[0] - win, xs[xs.length - 1]]}, y: {auto: false, range: [lo, hi + 1]}},
      axes: [{}, {size: 70, splits: () => Array.from({length: hi - lo + 2}, (_, i) => lo + i).filter((v, i, a) => a.length < 16 || i % 2 === 0),
        values: (u, vals) => vals.map(v => BP.fmtNs(Math.pow(2, v)))}],
      series: [{}, {label: 'p50', stroke: '#111', width: 2, value: (u, v) => v == null ? '' : BP.fmtNs(Math.pow(2, v))},
        {label: 'p99', stroke: '#d01c8b', width: 2, dash: [6, 3], value: (u, v) => v == null ? '' : BP.fmtNs(Math.pow(2, v))}],
      hooks: {
        drawClear: [u => {
          const ctx = u.ctx;
          let painted = 0;
          for (let i = 0; i < xs.length; i++) {
            const x0 = u.valToPos(xs[i] - win, 'x', true), x1 = u.valToPos(xs[i], 'x', true);
            for (let j = 0; j < d.cells[i].length; j++) {
              const n = d.cells[i][j];
              if (!n) continue;
              const b = lo + j;
              const y0 = u.valToPos(b + 1, 'y', true), y1 = u.valToPos(b, 'y', true);
              const t = Math.log1p(n) / Math.log1p(max);
              ctx.fillStyle = `rgba(${Math.round(255 - 200 * t)}, ${Math.round(210 - 170 * t)}, ${Math.round(120 - 90 * t)}, ${0.35 + 0.65 * t})`;
              ctx.fillRect(x0, y0, Math.max(1, x1 - x0 - 1), Math.max(1, y1 - y0 - 1));
              painted++;
            }
          }
          el.dataset.cells = String(painted);
        }],
        setCursor: [u => {
          const hover = document.getElementById('hover');
          const {left, top} = u.cursor;
          if (left == null || left < 0) { hover.innerHTML = '&nbsp;'; return; }
          const t = u.posToVal(left, 'x'), y = Math.floor(u.posToVal(top, 'y'));
          const i = xs.findIndex(x => t > x - win && t <= x);
          if (i < 0 || y < lo || y > hi) { hover.innerHTML = '&nbsp;'; return; }
          const n = d.cells[i][y - lo];
          hover.textContent = `${BP.fmtTime(d.timeMs[i])}: bucket ${BP.fmtNs(Math.pow(2, y))} – ${BP.fmtNs(Math.pow(2, y + 1))}: ${n} latencies` +
            ` (window total ${d.count[i]}, p50 ${BP.fmtNs(d.p50Ns[i])}, p99 ${BP.fmtNs(d.p99Ns[i])})`;
          el.dataset.hover = hover.textContent;
        }],
      },
    };
    self.chart = new uPlot(opts, [xs, d.p50Ns.map(log2), d.p99Ns.map(log2)], el);
  },
};
