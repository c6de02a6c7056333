package dev.bpfstream.console;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The web console: a topic reader filling the in-memory store, and the HTTP server showing it.
 * {@link #url()} is what to open (it carries the token).
 */
public final class Console implements AutoCloseable {
  /**
   * @param bind       address to listen on (loopback unless the user asks otherwise)
   * @param port       0: any free port
   * @param dataDir    where the token file lives
   * @param retention  how far back the console reads at start and keeps in memory
   */
  public record Settings(Map<String, Object> clientProperties, String topicPrefix, InetAddress bind, int port,
                         Path dataDir, Duration retention, int maxProfileRows) {
    public static Settings local(Map<String, Object> clientProperties, int port, Path dataDir) {
      return new Settings(clientProperties, "", InetAddress.getLoopbackAddress(), port, dataDir, Duration.ofHours(1), 500_000);
    }
  }

  private final TopicReader reader;
  private final ConsoleServer server;
  private final ConsoleToken token;

  private Console(TopicReader reader, ConsoleServer server, ConsoleToken token) {
    this.reader = reader;
    this.server = server;
    this.token = token;
  }

  public static Console start(Settings s) throws IOException {
    ConsoleToken token = ConsoleToken.loadOrCreate(s.dataDir());
    ConsoleStore store = new ConsoleStore(s.retention(), s.maxProfileRows());
    LiveUpdates live = new LiveUpdates();
    TopicReader reader = new TopicReader(s.clientProperties(), s.topicPrefix(), store, live::changed);
    ConsoleServer server;
    try {
      server = new ConsoleServer(s.bind(), s.port(), token, new ConsoleApi(store, System::currentTimeMillis, reader::stats), live);
    } catch (BindException e) {
      reader.close();
      throw new IOException("console: port " + s.port() + " on " + s.bind().getHostAddress()
          + " is in use: choose another with --console-port (0 turns the console off)");
    }
    return new Console(reader.start(), server.start(), token);
  }

  /** The console's address with its token, e.g. http://127.0.0.1:9470/?token=... */
  public String url() {
    var a = server.address();
    String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + a.getPort() + "/?token=" + token.value();
  }

  public int port() {
    return server.address().getPort();
  }

  @Override
  public void close() {
    server.close();
    reader.close();
  }
}
