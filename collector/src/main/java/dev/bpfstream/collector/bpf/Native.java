package dev.bpfstream.collector.bpf;

import java.nio.charset.StandardCharsets;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that loads libbpf.so.1 and libc through jnr-ffi. Everything else in the collector
 * goes through the typed classes of this package.
 */
final class Native {
  private static final Logger libbpfLog = LoggerFactory.getLogger("libbpf");
  static final String LIBBPF = "libbpf.so.1";

  private static volatile Native instance;
  private static volatile String unavailable;

  final LibBpf bpf;
  final LibC libc;
  final Runtime runtime;
  // libbpf keeps only a raw function pointer: this strong reference keeps the callback alive.
  private final LibBpf.PrintFn printFn;

  private Native(LibBpf bpf, LibC libc) {
    this.bpf = bpf;
    this.libc = libc;
    this.runtime = Runtime.getRuntime(libc);
    this.printFn = this::print;
    bpf.libbpf_set_print(printFn);
  }

  static Native get() {
    Native n = instance;
    if (n != null) {
      return n;
    }
    synchronized (Native.class) {
      if (instance == null) {
        if (unavailable != null) {
          throw new BpfException(unavailable, 0);
        }
        try {
          LibC libc = LibraryLoader.create(LibC.class).load("c");
          LibBpf bpf = LibraryLoader.create(LibBpf.class).failImmediately().load(LIBBPF);
          instance = new Native(bpf, libc);
        } catch (UnsatisfiedLinkError e) {
          unavailable = "cannot load " + LIBBPF + " (" + firstLine(e) + "): install libbpf 1.x, e.g. apt-get install libbpf1";
          throw new BpfException(unavailable, 0);
        } catch (RuntimeException | LinkageError e) {
          unavailable = "cannot bind " + LIBBPF + " with jnr-ffi: " + firstLine(e);
          throw new BpfException(unavailable, 0);
        }
      }
      return instance;
    }
  }

  /** Null when libbpf can be loaded, else the one-line reason. */
  static String unavailableReason() {
    try {
      get();
      return null;
    } catch (BpfException e) {
      return e.getMessage();
    }
  }

  int errno() {
    return runtime.getLastError();
  }

  String strerror(int errno) {
    String s = libc.strerror(errno);
    return s == null ? "errno " + errno : s;
  }

  /** "what: No such file or directory (errno 2)" from the last saved errno or a negative return. */
  BpfException failure(String what, int rc) {
    int errno = rc < 0 ? -rc : errno();
    if (errno == 0) {
      errno = errno();
    }
    return new BpfException(what + ": " + strerror(errno) + " (errno " + errno + ")" + hint(errno), errno);
  }

  private static String hint(int errno) {
    switch (errno) {
      case 1:
      case 13:
        return "; run as root or grant CAP_BPF and CAP_PERFMON";
      default:
        return "";
    }
  }

  Pointer allocate(int bytes) {
    return Memory.allocateDirect(runtime, bytes, true);
  }

  private int print(int level, Pointer format, Pointer vaList) {
    try {
      Pointer buf = Memory.allocateDirect(runtime, 1024);
      int n = libc.vsnprintf(buf, 1024, format, vaList);
      if (n <= 0) {
        return 0;
      }
      byte[] bytes = new byte[Math.min(n, 1023)];
      buf.get(0, bytes, 0, bytes.length);
      String line = new String(bytes, StandardCharsets.UTF_8).stripTrailing();
      // libbpf levels: 0 warn, 1 info, 2 debug.
      if (level == 0) {
        libbpfLog.warn(line);
      } else if (level == 1) {
        libbpfLog.info(line);
      } else {
        libbpfLog.debug(line);
      }
    } catch (RuntimeException e) {
      // Never let an exception unwind into libbpf.
    }
    return 0;
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
