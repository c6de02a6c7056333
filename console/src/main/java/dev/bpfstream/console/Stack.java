package dev.bpfstream.console;

import java.util.Arrays;

/**
 * One sampled stack as a flame graph draws it: the command first, then user frames outermost
 * first, then kernel frames from {@link #firstKernel} on. Interned by {@link ProfileHistory}, so
 * equal stacks are one object.
 */
final class Stack {
  final String[] frames;
  final int firstKernel;
  private final int hash;

  Stack(String[] frames, int firstKernel) {
    this.frames = frames;
    this.firstKernel = firstKernel;
    this.hash = 31 * Arrays.hashCode(frames) + firstKernel;
  }

  boolean isKernel(int i) {
    return i >= firstKernel;
  }

  /** flamegraph.pl's folded form; kernel frames carry its {@code _[k]} suffix so its colours tell them apart too. */
  String folded() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < frames.length; i++) {
      if (i > 0) {
        b.append(';');
      }
      b.append(frames[i]);
      if (i >= firstKernel) {
        b.append("_[k]");
      }
    }
    return b.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Stack s && s.hash == hash && s.firstKernel == firstKernel && Arrays.equals(s.frames, frames);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
