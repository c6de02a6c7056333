package dev.bpfstream.standalone;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/** Standard output when it is a terminal: its size, read again for every frame (the user may resize it). */
public final class Terminal {
  /** Public because jnr-ffi implements it in a class loader of its own. */
  public interface LibC {
    int isatty(int fd);

    int ioctl(int fd, long request, Pointer winsize);
  }

  /** Rows and columns of a terminal. */
  public record Size(int rows, int columns) {
    static final Size FALLBACK = new Size(24, 80);
  }

  private static final int STDOUT = 1;
  private static final long TIOCGWINSZ = 0x5413;

  private final LibC libc;
  private final Pointer winsize;

  private Terminal(LibC libc) {
    this.libc = libc;
    // struct winsize: unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel
    this.winsize = Memory.allocateDirect(Runtime.getRuntime(libc), 8);
  }

  /** Standard output as a terminal, or null when it is a pipe or a file (or libc cannot tell). */
  public static Terminal stdout() {
    try {
      LibC libc = LibraryLoader.create(LibC.class).load("c");
      return libc.isatty(STDOUT) == 1 ? new Terminal(libc) : null;
    } catch (LinkageError | RuntimeException e) {
      return null;
    }
  }

  public Size size() {
    if (libc.ioctl(STDOUT, TIOCGWINSZ, winsize) != 0) {
      return Size.FALLBACK;
    }
    int rows = Short.toUnsignedInt(winsize.getShort(0));
    int columns = Short.toUnsignedInt(winsize.getShort(2));
    return rows == 0 || columns == 0 ? Size.FALLBACK : new Size(rows, columns);
  }
}
