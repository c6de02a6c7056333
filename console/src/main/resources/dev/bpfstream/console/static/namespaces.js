// Namespaces: the inventory as a tree (user namespace ownership, UTS names, containers), from ns.metadata.
'use strict';
window.BP_PAGE = {
  reloadOn: ['namespace'],
  async load() {
    const p = BP.params();
    const r = await fetch('/api/namespaces' + (p.get('host') ? '?host=' + encodeURIComponent(p.get('host')) : ''), {credentials: 'same-origin'});
    const d = await r.json();
    if (!r.ok) throw new Error(d.error);
    BP.completeness(null);
    const main = document.getElementById('main');
    if (!d.hosts.length) { main.innerHTML = '<div class="card muted">No namespace inventory yet (ns.metadata; the collector scans every 30 s).</div>'; return; }
    main.innerHTML = d.hosts.map(h => `<div class="card ns-host" data-host="${BP.esc(h.hostId)}"><h2>${BP.esc(h.hostname)} <span class="muted mono">${BP.esc(h.hostId.slice(0, 12))}</span></h2>
      <ul class="tree">${h.userNamespaces.map(u => this.user(u)).join('')}</ul>
      ${h.unowned.length ? `<h3>owner not in the inventory</h3><ul class="tree">${h.unowned.map(n => this.ns(n)).join('')}</ul>` : ''}</div>`).join('');
  },
  user(u) {
    const byContainer = {};
    for (const n of u.owns) (byContainer[n.containerId || ''] ||= []).push(n);
    const groups = Object.entries(byContainer).map(([c, list]) => c
      ? `<li><details open><summary>container <span class="mono">${BP.esc(c.slice(0, 12))}</span> (${list.length})</summary><ul class="tree">${list.map(n => this.ns(n)).join('')}</ul></details></li>`
      : list.map(n => this.ns(n)).join('')).join('');
    return `<li class="userns"><details open><summary><b>user</b> <span class="mono">${BP.esc(u.inode)}</span>` +
      `${u.uidMap && u.uidMap.length ? ` <span class="muted">uid map ${BP.esc(u.uidMap.join(', '))}</span>` : ''} <span class="muted">${BP.esc(u.members)} processes</span></summary>
      <ul class="tree">${groups}${u.children.map(c => this.user(c)).join('')}</ul></details></li>`;
  },
  ns(n) {
    const pid = n.kind === 'pid' ? ` <span class="links">${BP.pageLinks({pidns: String(n.inode)})}</span>` : '';
    return `<li class="ns" data-kind="${BP.esc(n.kind)}"><b>${BP.esc(n.kind)}</b> <span class="mono">${BP.esc(n.inode)}</span>` +
      `${n.nodename ? ` hostname <b>${BP.esc(n.nodename)}</b>` : ''}` +
      ` <span class="muted">${BP.esc(n.members)} processes${n.samplePid ? ', e.g. pid ' + BP.esc(n.samplePid) : ''}</span>${pid}</li>`;
  },
};
