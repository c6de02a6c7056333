package dev.bpfstream.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The checkpoints one job left in its checkpoint directory ({@code <dir>/<job id>/chk-<n>/_metadata},
 * any Flink file system), so a restarted process or a new cluster can take over from the newest.
 * A {@code chk-<n>} without {@code _metadata} was never completed and is not a candidate.
 */
public final class RetainedCheckpoints {
  /** A completed checkpoint: its directory, when its metadata was written, and its number. */
  public record Retained(Path path, long writtenMs, long number) {
  }

  private static final Comparator<Retained> NEWEST_LAST =
      Comparator.comparingLong(Retained::writtenMs).thenComparingLong(Retained::number);

  private RetainedCheckpoints() {
  }

  /** The newest completed checkpoint under {@code dir}, if any (a missing directory has none). */
  public static Optional<Retained> newest(String dir) throws IOException {
    return all(dir).stream().max(NEWEST_LAST);
  }

  /** Every completed checkpoint under {@code dir}, oldest first. */
  public static List<Retained> all(String dir) throws IOException {
    Path root = new Path(dir);
    FileSystem fs = root.getFileSystem();
    List<Retained> found = new ArrayList<>();
    if (!fs.exists(root)) {
      return found;
    }
    for (FileStatus job : list(fs, root)) {
      if (!job.isDir()) {
        continue;
      }
      for (FileStatus chk : list(fs, job.getPath())) {
        String name = chk.getPath().getName();
        if (!chk.isDir() || !name.matches("chk-\\d+")) {
          continue;
        }
        Path metadata = new Path(chk.getPath(), "_metadata");
        if (fs.exists(metadata)) {
          found.add(new Retained(chk.getPath(), fs.getFileStatus(metadata).getModificationTime(),
              Long.parseLong(name.substring("chk-".length()))));
        }
      }
    }
    found.sort(NEWEST_LAST);
    return found;
  }

  /**
   * Deletes the job directories under {@code dir} other than the one holding {@code keep}: once a
   * job has been restored from {@code keep}, the older runs' checkpoints are of no further use.
   */
  public static int pruneAllBut(String dir, Retained keep) throws IOException {
    Path root = new Path(dir);
    FileSystem fs = root.getFileSystem();
    Path keepJob = keep.path().getParent();
    int deleted = 0;
    for (FileStatus job : list(fs, root)) {
      if (job.isDir() && !job.getPath().equals(keepJob) && fs.delete(job.getPath(), true)) {
        deleted++;
      }
    }
    return deleted;
  }

  private static FileStatus[] list(FileSystem fs, Path p) throws IOException {
    FileStatus[] s = fs.listStatus(p);
    return s == null ? new FileStatus[0] : s;
  }
}
