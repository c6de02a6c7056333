package dev.bpfstream.console;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.bpfstream.event.Alert;
import dev.bpfstream.event.CollectorHealth;
import dev.bpfstream.event.FigureChange;
import dev.bpfstream.event.LatencyKind;
import dev.bpfstream.event.LatencySummary;
import dev.bpfstream.event.NamespaceKind;
import dev.bpfstream.event.NamespaceMetadata;
import dev.bpfstream.event.ProbeHealth;
import dev.bpfstream.event.Scope;
import dev.bpfstream.event.TopEntry;
import dev.bpfstream.event.WorkloadSummary;

/** The views behind the pages, as JSON (and the flame graph as SVG and folded text), from the store. */
final class ConsoleApi {
  record Response(String contentType, byte[] body, String downloadName) {
    static Response json(Object value) {
      return new Response("application/json; charset=utf-8", Json.bytes(value), null);
    }
  }

  private static final Set<String> SCOPED = Set.of("host", "container", "pidns", "from", "to");

  private final ConsoleStore store;
  private final LongSupplier clock;
  private final Supplier<Map<String, Object>> readerStats;

  ConsoleApi(ConsoleStore store, LongSupplier clockMs, Supplier<Map<String, Object>> readerStats) {
    this.store = store;
    this.clock = clockMs;
    this.readerStats = readerStats;
  }

  Response answer(String endpoint, URI uri) {
    return switch (endpoint) {
      case "scopes" -> {
        Params.of(uri, Set.of());
        yield Response.json(scopes());
      }
      case "overview" -> Response.json(overview(Params.of(uri, SCOPED)));
      case "workloads" -> Response.json(workloads(Params.of(uri, with(SCOPED, "scope"))));
      case "latency" -> Response.json(latency(Params.of(uri, with(SCOPED, "kind"))));
      case "profile" -> Response.json(profileSummary(Params.of(uri, PROFILE_PARAMS)));
      case "profile.svg" -> profileSvg(Params.of(uri, PROFILE_PARAMS));
      case "profile.folded" -> profileFolded(Params.of(uri, PROFILE_PARAMS));
      case "alerts" -> Response.json(alerts(Params.of(uri, with(SCOPED, "state"))));
      case "namespaces" -> Response.json(namespaces(Params.of(uri, Set.of("host"))));
      default -> throw new BadRequest(404, "no such view: /api/" + Json.quoteForMessage(endpoint)
          + " (views: scopes, overview, workloads, latency, profile, profile.svg, profile.folded, alerts, namespaces)");
    };
  }

  private static final Set<String> PROFILE_PARAMS = with(SCOPED, "focus", "download", "basehost", "basecontainer", "basepidns",
      "basefrom", "baseto");

  private static Set<String> with(Set<String> base, String... more) {
    Set<String> s = new java.util.HashSet<>(base);
    s.addAll(Arrays.asList(more));
    return Set.copyOf(s);
  }

  private ViewScope scope(Params p, String prefix) {
    ViewScope s = p.scope(prefix);
    store.scopes.check(s);
    return s;
  }

  Map<String, Object> scopes() {
    Map<String, Object> m = new LinkedHashMap<>(store.scopes.describe());
    m.put("retentionSeconds", store.retention().toSeconds());
    Map<String, Object> held = new LinkedHashMap<>();
    held.put("workloadSummaries", Map.of("records", store.workloads.size(), "evicted", store.workloads.evicted(), "oldestNs", store.workloads.oldestWindowEndNs()));
    held.put("latencySummaries", Map.of("records", store.latencies.size(), "evicted", store.latencies.evicted(), "oldestNs", store.latencies.oldestWindowEndNs()));
    held.put("profileRows", Map.of("records", store.profile.size(), "evicted", store.profile.evicted(), "oldestNs", store.profile.oldestStartNs()));
    held.put("namespaces", Map.of("records", store.namespaces.size(), "refused", store.namespaces.refused()));
    held.put("alerts", Map.of("evicted", store.alerts.evicted()));
    held.put("healthPointsEvicted", store.health.evicted());
    m.put("memory", held);
    m.put("topics", readerStats.get());
    m.put("nowMs", clock.getAsLong());
    return m;
  }

  /** What the collectors of the hosts in scope lost in the range: every view shows it. */
  private Map<String, Object> completeness(ViewScope scope, TimeRange range) {
    long lost = 0;
    long limited = 0;
    long dropped = 0;
    Map<String, Long> byHost = new TreeMap<>();
    for (HealthHistory.HostView h : store.health.view(scope, range)) {
      lost += h.lost();
      limited += h.rateLimited();
      dropped += h.dropped();
      if (h.lost() + h.rateLimited() + h.dropped() > 0) {
        byHost.put(h.name() == null ? h.id() : h.name(), h.lost() + h.rateLimited() + h.dropped());
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lost", lost);
    m.put("rateLimited", limited);
    m.put("dropped", dropped);
    m.put("byHost", byHost);
    return m;
  }

  private Map<String, Object> base(ViewScope scope, TimeRange range) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scope", scope.describe());
    m.put("fromMs", range.fromMs());
    m.put("toMs", range.toMs());
    m.put("completeness", completeness(scope, range));
    return m;
  }

  Map<String, Object> overview(Params p) {
    ViewScope scope = scope(p, "");
    TimeRange range = p.range("", clock.getAsLong());
    Map<String, Object> m = base(scope, range);
    List<Map<String, Object>> hosts = new ArrayList<>();
    for (HealthHistory.HostView h : store.health.view(scope, range)) {
      Map<String, Object> host = new LinkedHashMap<>();
      host.put("id", h.id());
      host.put("name", h.name());
      CollectorHealth last = h.last();
      host.put("lastReportNs", last.getTimeNs());
      host.put("intervalNs", last.getIntervalNs());
      host.put("version", last.getVersion());
      host.put("kernel", last.getKernelRelease());
      host.put("rssBytes", last.getRssBytes());
      List<Map<String, Object>> probes = new ArrayList<>();
      for (ProbeHealth ph : last.getProbes()) {
        Map<String, Object> pr = new LinkedHashMap<>();
        pr.put("probe", ph.getProbe());
        pr.put("attached", ph.getAttached());
        pr.put("attachError", ph.getAttachError());
        pr.put("lostTotal", ph.getLostKernel() + ph.getLostUser());
        pr.put("rateLimitedTotal", ph.getRateLimited());
        probes.add(pr);
      }
      host.put("probes", probes);
      List<Long> t = new ArrayList<>();
      List<Long> attempted = new ArrayList<>();
      List<Long> delivered = new ArrayList<>();
      List<Long> lost = new ArrayList<>();
      List<Long> limited = new ArrayList<>();
      Map<String, Long> lostByProbe = new TreeMap<>();
      for (HealthHistory.Point pt : h.points()) {
        t.add(pt.timeNs() / 1_000_000);
        attempted.add(pt.attempted());
        delivered.add(pt.delivered());
        lost.add(pt.lost());
        limited.add(pt.rateLimited());
        pt.lostByProbe().forEach((k, v) -> lostByProbe.merge(k, v, Long::sum));
      }
      host.put("series", Map.of("timeMs", t, "attempted", attempted, "delivered", delivered, "lost", lost, "rateLimited", limited));
      host.put("attempted", attempted.stream().mapToLong(Long::longValue).sum());
      host.put("delivered", delivered.stream().mapToLong(Long::longValue).sum());
      host.put("lost", h.lost());
      host.put("rateLimited", h.rateLimited());
      host.put("dropped", h.dropped());
      host.put("lostByProbe", lostByProbe);
      host.put("openAlerts", store.alerts.openCount(new ViewScope(h.id(), null, null)));
      hosts.add(host);
    }
    m.put("hosts", hosts);
    List<Map<String, Object>> open = new ArrayList<>();
    for (AlertHistory.Entry e : store.alerts.select(scope, range)) {
      if (e.open() && open.size() < 20) {
        open.add(alert(e));
      }
    }
    m.put("openAlerts", open);
    return m;
  }

  Map<String, Object> workloads(Params p) {
    ViewScope scope = scope(p, "");
    TimeRange range = p.range("", clock.getAsLong());
    String kind = p.get("scope", "all").toUpperCase(java.util.Locale.ROOT);
    if (!kind.equals("ALL") && Arrays.stream(Scope.values()).noneMatch(s -> s.name().equals(kind))) {
      throw BadRequest.of("scope=" + Json.quoteForMessage(p.get("scope")) + " is not one of all, host, container, namespace, fleet");
    }
    List<WorkloadSummary> in = store.workloads.select(range, w -> matches(w, scope)
        && (kind.equals("ALL") || w.getScope().name().equals(kind)));
    long window = in.stream().mapToLong(WorkloadSummary::getWindowSizeNs).min().orElse(0);
    long latest = in.stream().filter(w -> w.getWindowSizeNs() == window).mapToLong(WorkloadSummary::getWindowEndNs).max().orElse(0);
    Map<String, List<Double>> trends = new LinkedHashMap<>();
    for (WorkloadSummary w : in) {
      if (w.getWindowSizeNs() == window) {
        trends.computeIfAbsent(rowKey(w), k -> new ArrayList<>()).add(w.getFigures().getOrDefault("events_per_s", 0.0));
      }
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (WorkloadSummary w : in) {
      if (w.getWindowSizeNs() != window || w.getWindowEndNs() != latest) {
        continue;
      }
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("scope", w.getScope().name().toLowerCase(java.util.Locale.ROOT));
      r.put("name", switch (w.getScope()) {
        case FLEET -> "fleet";
        case HOST -> String.valueOf(w.getHostname());
        case CONTAINER -> String.valueOf(w.getContainerId());
        case NAMESPACE -> String.valueOf(w.getNamespace());
      });
      r.put("hostId", w.getHostId());
      r.put("hostname", w.getHostname());
      r.put("containerId", w.getContainerId());
      r.put("pidns", w.getNamespace() != null && w.getNamespace().startsWith("pid:") ? w.getNamespace().substring(4) : null);
      r.put("figures", new TreeMap<>(w.getFigures()));
      r.put("eventCount", w.getEventCount());
      r.put("lostEvents", w.getLostEvents());
      r.put("topProcesses", top(w.getTopProcesses(), 5));
      r.put("topUsers", top(w.getTopUsers(), 3));
      r.put("topRemoteAddresses", top(w.getTopRemoteAddresses(), 3));
      r.put("biggestMovers", w.getBiggestMovers());
      List<Map<String, Object>> changes = new ArrayList<>();
      for (FigureChange c : w.getChanges()) {
        Map<String, Object> ch = new LinkedHashMap<>();
        ch.put("figure", c.getFigure());
        ch.put("value", c.getValue());
        ch.put("previous", c.getPrevious());
        ch.put("changeVsBaseline", c.getChangeVsBaseline());
        changes.add(ch);
      }
      r.put("changes", changes);
      r.put("trend", trends.getOrDefault(rowKey(w), List.of()));
      rows.add(r);
    }
    rows.sort(Comparator.comparingDouble((Map<String, Object> r) -> -figure(r, "events_per_s")));
    Map<String, Object> m = base(scope, range);
    m.put("windowSeconds", window / 1e9);
    m.put("windowEndMs", latest / 1_000_000);
    m.put("lostEvents", rows.stream().filter(r -> "fleet".equals(r.get("scope")) || "host".equals(r.get("scope")))
        .mapToLong(r -> (Long) r.get("lostEvents")).max().orElse(0));
    m.put("rows", rows);
    return m;
  }

  private static double figure(Map<String, Object> row, String name) {
    @SuppressWarnings("unchecked")
    Map<String, Double> f = (Map<String, Double>) row.get("figures");
    Double d = f.get(name);
    return d == null ? 0 : d;
  }

  private static String rowKey(WorkloadSummary w) {
    return w.getScope() + "|" + w.getHostId() + "|" + w.getContainerId() + "|" + w.getNamespace();
  }

  private static boolean matches(WorkloadSummary w, ViewScope s) {
    if (s.host() != null && !s.host().equals(w.getHostId())) {
      return false;
    }
    if (s.container() != null && !s.container().equals(w.getContainerId())) {
      return false;
    }
    return s.pidNs() == null || ("pid:" + s.pidNs()).equals(w.getNamespace());
  }

  private static List<Map<String, Object>> top(List<TopEntry> entries, int n) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (TopEntry e : entries) {
      if (out.size() == n) {
        break;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("key", e.getKey());
      m.put("events", e.getEvents());
      m.put("bytes", e.getBytes());
      m.put("cpuSamples", e.getCpuSamples());
      out.add(m);
    }
    return out;
  }

  Map<String, Object> latency(Params p) {
    ViewScope scope = scope(p, "");
    TimeRange range = p.range("", clock.getAsLong());
    LatencyKind kind;
    try {
      kind = LatencyKind.valueOf(p.get("kind", "RUNQ").toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw BadRequest.of("kind=" + Json.quoteForMessage(p.get("kind")) + " is not a latency kind: block_io, block_queue, runq, file_op, tcp_connect");
    }
    List<LatencySummary> in = store.latencies.select(range, l -> l.getKind() == kind && matches(l, scope));
    if (in.isEmpty() && scope.isAll()) {
      in = store.latencies.select(range, l -> l.getKind() == kind && l.getScope() == Scope.HOST && l.getDimension().equals("all"));
    }
    long window = in.stream().mapToLong(l -> l.getWindowEndNs() - l.getWindowStartNs()).min().orElse(0);
    TreeMap<Long, List<LatencySummary>> byEnd = new TreeMap<>();
    for (LatencySummary l : in) {
      if (l.getWindowEndNs() - l.getWindowStartNs() == window) {
        byEnd.computeIfAbsent(l.getWindowEndNs(), k -> new ArrayList<>()).add(l);
      }
    }
    List<Long> times = new ArrayList<>();
    List<long[]> columns = new ArrayList<>();
    List<Long> p50 = new ArrayList<>();
    List<Long> p99 = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    long lost = 0;
    int lo = 63;
    int hi = 0;
    for (Map.Entry<Long, List<LatencySummary>> e : byEnd.entrySet()) {
      long[] b = new long[64];
      long n = 0;
      for (LatencySummary l : e.getValue()) {
        List<Long> buckets = l.getHistogram().getBuckets();
        for (int i = 0; i < Math.min(64, buckets.size()); i++) {
          b[i] += buckets.get(i);
        }
        n += l.getCount();
        lost = Math.max(lost, l.getLostEvents());
      }
      for (int i = 0; i < 64; i++) {
        if (b[i] > 0) {
          lo = Math.min(lo, i);
          hi = Math.max(hi, i);
        }
      }
      times.add(e.getKey() / 1_000_000);
      columns.add(b);
      counts.add(n);
      if (e.getValue().size() == 1) {
        p50.add(e.getValue().get(0).getP50Ns());
        p99.add(e.getValue().get(0).getP99Ns());
      } else {
        p50.add(percentile(b, 0.50));
        p99.add(percentile(b, 0.99));
      }
    }
    if (lo > hi) {
      lo = 0;
      hi = 0;
    }
    List<List<Long>> cells = new ArrayList<>();
    for (long[] b : columns) {
      List<Long> col = new ArrayList<>();
      for (int i = lo; i <= hi; i++) {
        col.add(b[i]);
      }
      cells.add(col);
    }
    Map<String, Object> m = base(scope, range);
    m.put("kind", kind.name());
    m.put("kinds", Arrays.stream(LatencyKind.values()).filter(k -> k != LatencyKind.OTHER).map(Enum::name).toList());
    m.put("windowSeconds", window / 1e9);
    m.put("timeMs", times);
    m.put("lowestBucket", lo);
    m.put("highestBucket", hi);
    m.put("cells", cells);
    m.put("count", counts);
    m.put("p50Ns", p50);
    m.put("p99Ns", p99);
    m.put("summaryLostEvents", lost);
    return m;
  }

  /** A percentile of a log2 histogram: the upper bound of the bucket holding it (what the buckets can tell). */
  static long percentile(long[] buckets, double q) {
    long total = Arrays.stream(buckets).sum();
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < buckets.length; i++) {
      seen += buckets[i];
      if (seen >= rank) {
        return i >= 62 ? Long.MAX_VALUE : (1L << (i + 1)) - 1;
      }
    }
    return Long.MAX_VALUE;
  }

  private static boolean matches(LatencySummary l, ViewScope s) {
    if (s.host() != null && !s.host().equals(l.getHostId())) {
      return false;
    }
    if (s.pidNs() != null) {
      return l.getDimension().equals("namespace") && l.getDimensionValue().equals("pid:" + s.pidNs());
    }
    if (s.container() != null) {
      return l.getDimension().equals("container") && l.getDimensionValue().equals(s.container());
    }
    if (s.host() != null) {
      return l.getScope() == Scope.HOST && l.getDimension().equals("all");
    }
    return l.getScope() == Scope.FLEET && l.getDimension().equals("all");
  }

  private record Selection(ViewScope scope, TimeRange range, Map<Stack, Long> samples,
                           ViewScope baseScope, TimeRange baseRange, Map<Stack, Long> baseline) {
    boolean differential() {
      return baseline != null;
    }

    String title() {
      String t = "CPU samples: " + scope.describe();
      return differential() ? t + " vs baseline " + baseScope.describe() : t;
    }
  }

  private Selection select(Params p) {
    long now = clock.getAsLong();
    ViewScope scope = scope(p, "");
    TimeRange range = p.range("", now);
    Map<Stack, Long> samples = store.profile.samples(scope, range);
    boolean diff = p.has("basefrom") || p.has("baseto") || p.has("basehost") || p.has("basecontainer") || p.has("basepidns");
    if (!diff) {
      return new Selection(scope, range, samples, null, null, null);
    }
    ViewScope baseScope = p.has("basehost") || p.has("basecontainer") || p.has("basepidns") ? scope(p, "base") : scope;
    TimeRange baseRange = p.has("basefrom") || p.has("baseto") ? p.range("base", now) : range;
    return new Selection(scope, range, samples, baseScope, baseRange, store.profile.samples(baseScope, baseRange));
  }

  Map<String, Object> profileSummary(Params p) {
    Selection s = select(p);
    Map<String, Object> m = base(s.scope(), s.range());
    m.put("samples", s.samples().values().stream().mapToLong(Long::longValue).sum());
    m.put("stacks", s.samples().size());
    m.put("differential", s.differential());
    if (s.differential()) {
      m.put("baselineSamples", s.baseline().values().stream().mapToLong(Long::longValue).sum());
      m.put("baselineScope", s.baseScope().describe());
      m.put("baselineFromMs", s.baseRange().fromMs());
      m.put("baselineToMs", s.baseRange().toMs());
    }
    m.put("oldestSampleNs", store.profile.oldestStartNs());
    return m;
  }

  private Response profileSvg(Params p) {
    Selection s = select(p);
    FlameGraph g = s.differential() ? FlameGraph.diff(s.samples(), s.baseline()) : FlameGraph.of(s.samples());
    List<String> focus = p.has("focus") ? List.of(p.get("focus").split(";")) : List.of();
    String svg = g.svg(s.title(), focus);
    return new Response("image/svg+xml; charset=utf-8", svg.getBytes(StandardCharsets.UTF_8),
        p.has("download") ? "bpfstream-profile.svg" : null);
  }

  private Response profileFolded(Params p) {
    Selection s = select(p);
    String text = s.differential() ? FlameGraph.foldedDiff(s.samples(), s.baseline()) : FlameGraph.folded(s.samples());
    return new Response("text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8),
        p.has("download") ? "bpfstream-profile.folded" : null);
  }

  Map<String, Object> alerts(Params p) {
    ViewScope scope = scope(p, "");
    TimeRange range = p.range("", clock.getAsLong());
    String state = p.get("state", "all");
    if (!Set.of("all", "open", "resolved").contains(state)) {
      throw BadRequest.of("state=" + Json.quoteForMessage(state) + " is not one of all, open, resolved");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (AlertHistory.Entry e : store.alerts.select(scope, range)) {
      if (state.equals("all") || (state.equals("open") == e.open())) {
        out.add(alert(e));
      }
    }
    Map<String, Object> m = base(scope, range);
    m.put("alerts", out);
    return m;
  }

  private static Map<String, Object> alert(AlertHistory.Entry e) {
    Alert a = e.latest();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("alertId", a.getAlertId());
    m.put("ruleId", a.getRuleId());
    m.put("severity", a.getSeverity().name());
    m.put("state", a.getState().name());
    m.put("open", e.open());
    m.put("hostId", a.getHostId());
    m.put("containerId", a.getContainerId());
    m.put("namespace", a.getNamespace());
    m.put("subject", a.getSubject());
    m.put("figure", a.getFigure());
    m.put("value", a.getValue());
    m.put("threshold", a.getThreshold());
    m.put("firstSeenMs", a.getFirstSeenNs() / 1_000_000);
    m.put("lastSeenMs", a.getLastSeenNs() / 1_000_000);
    m.put("message", a.getMessage());
    m.put("evidence", a.getEvidence());
    m.put("changes", e.changes());
    return m;
  }

  Map<String, Object> namespaces(Params p) {
    String host = p.get("host");
    if (host != null) {
      store.scopes.check(new ViewScope(host, null, null));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, List<NamespaceMetadata>> byHost = new TreeMap<>();
    for (NamespaceMetadata ns : store.namespaces.ofHost(host)) {
      byHost.computeIfAbsent(ns.getHostId(), k -> new ArrayList<>()).add(ns);
    }
    List<Map<String, Object>> hosts = new ArrayList<>();
    byHost.forEach((id, list) -> hosts.add(NamespaceTree.of(id, list)));
    m.put("hosts", hosts);
    m.put("namespaces", store.namespaces.size());
    return m;
  }

  static Map<String, Object> namespace(NamespaceMetadata n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", n.getKind().name().toLowerCase(java.util.Locale.ROOT));
    m.put("inode", n.getInode());
    if (n.getKind() == NamespaceKind.UTS) {
      m.put("nodename", n.getNodename());
    }
    if (n.getKind() == NamespaceKind.USER) {
      m.put("uidMap", n.getUidMap().stream().map(e -> e.getInside() + " " + e.getOutside() + " " + e.getCount()).toList());
    }
    m.put("containerId", n.getContainerId());
    m.put("members", n.getMemberCount());
    m.put("samplePid", n.getSamplePid());
    m.put("cgroupPath", n.getCgroupPath());
    return m;
  }
}
