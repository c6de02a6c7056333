// Alerts: open and resolved, newest first, with their evidence.
'use strict';
window.BP_PAGE = {
  reloadOn: ['alert'],
  async load() {
    const state = BP.params().get('state') || 'all';
    const d = await BP.fetchJson('/api/alerts', {state});
    BP.completeness(d.completeness);
    const main = document.getElementById('main');
    const states = ['all', 'open', 'resolved'];
    const rows = d.alerts.map(a => `<tr class="alert" data-rule="${BP.esc(a.ruleId)}" data-open="${a.open}">
      <td><span class="pill ${a.open ? 'bad' : 'ok'}">${BP.esc(a.open ? 'open' : 'resolved')}</span> <span class="muted">${BP.esc(a.state)}</span></td>
      <td><span class="pill sev-${BP.esc(a.severity)}">${BP.esc(a.severity)}</span></td>
      <td>${BP.esc(a.ruleId)}</td><td class="mono">${BP.esc(a.subject)}</td>
      <td>${BP.esc(BP.fmtTime(a.firstSeenMs))}<br><span class="muted">last ${BP.esc(BP.fmtTime(a.lastSeenMs))}</span></td>
      <td>${BP.esc(a.message)}${a.evidence.length ? `<details><summary>evidence (${a.evidence.length})</summary><ul class="evidence">${a.evidence.map(e => `<li class="mono">${BP.esc(e)}</li>`).join('')}</ul></details>` : ''}</td>
      <td class="links">${BP.pageLinks({host: a.hostId, container: a.containerId, pidns: a.namespace && a.namespace.startsWith('pid:') ? a.namespace.slice(4) : null})}</td></tr>`).join('');
    main.innerHTML = `<div class="card"><div class="flame-tools">${states.map(s =>
      `<button type="button" data-state="${s}"${s === state ? ' disabled' : ''}>${s}</button>`).join('')}
      <span class="muted">${d.alerts.length} alerts (open ones whatever their age, resolved ones seen in the range)</span></div>
      ${d.alerts.length ? `<table><tr><th>state</th><th>severity</th><th>rule</th><th>subject</th><th>since</th><th>message and evidence</th><th>views</th></tr>${rows}</table>`
        : '<span class="muted">No alert in this range and scope.</span>'}</div>`;
    main.querySelectorAll('[data-state]').forEach(b => b.addEventListener('click', () => {
      BP.setParams({state: b.dataset.state});
      this.load().catch(e => BP.showError(e));
    }));
  },
};
