package dev.bpfstream.console;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;

/**
 * Server-sent events: each page holds one {@code /api/events} stream and re-reads its data when
 * told what changed (a window closed, a health report, an alert). Changes are coalesced, at most
 * two events a second per page; a comment every 15 s keeps idle connections open. At most
 * {@link #MAX_CLIENTS} streams at once (each holds a server thread).
 */
final class LiveUpdates {
  static final int MAX_CLIENTS = 32;
  private static final long KEEPALIVE_MS = 15_000;
  private static final long MIN_GAP_MS = 500;

  private final CopyOnWriteArrayList<BlockingQueue<String>> clients = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  void changed(String what) {
    for (BlockingQueue<String> q : clients) {
      q.offer(what); // a full queue already has a redraw pending
    }
  }

  int clients() {
    return clients.size();
  }

  /** Serves one stream until the page goes away or the console closes. */
  void serve(HttpExchange ex) throws IOException {
    if (clients.size() >= MAX_CLIENTS) {
      throw new BadRequest(503, "too many live pages open (" + MAX_CLIENTS + "): close some tabs");
    }
    BlockingQueue<String> q = new ArrayBlockingQueue<>(64);
    clients.add(q);
    try {
      ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      ex.getResponseHeaders().set("Cache-Control", "no-cache");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      while (!closed) {
        String first = q.poll(KEEPALIVE_MS, TimeUnit.MILLISECONDS);
        if (first == null) {
          out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          continue;
        }
        Thread.sleep(MIN_GAP_MS);
        Set<String> what = new LinkedHashSet<>();
        what.add(first);
        q.drainTo(what);
        out.write(("event: change\ndata: " + String.join(",", what) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the page went away
    } finally {
      clients.remove(q);
      ex.close();
    }
  }

  void close() {
    closed = true;
    changed("closing");
  }
}
