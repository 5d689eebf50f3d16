package dev.ocean.cli.instance;

import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.base.ReaderWatch;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClientException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "logs",
    description = "Print an instance's init and services output; -f follows it until it stops.")
public final class InstanceLogsCommand extends InstanceCommand.OneInstance {
  private static final int RETRIES = 120;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new lines until the instance stops.")
  boolean follow;

  @Option(names = "--tail", paramLabel = "N", description = "Start with the last N lines.")
  Integer tail;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (tail != null && tail < 0) {
      throw new CliException(ExitCodes.USAGE, "--tail must not be negative");
    }
    if (follow) {
      ReaderWatch.start(out());
    }
    var streaming = client().withReadTimeout(Duration.ZERO);
    String base = InstanceCommand.path(name, user, "/logs");
    base += (base.contains("?") ? "&" : "?") + "follow=" + follow;
    long offset = 0;
    int failures = 0;
    boolean first = true;
    while (true) {
      String from = first && tail != null ? "&tail=" + tail : "&offset=" + offset;
      long[] read = {0};
      try (InputStream in = counted(streaming.stream(base + from), read);
          var text = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        first = false;
        char[] buf = new char[8192];
        int n;
        while ((n = text.read(buf)) != -1) {
          out().write(buf, 0, n);
          out().flush();
          failures = 0;
        }
        return 0;
      } catch (OceanApiException e) {
        throw e;
      } catch (OceanClientException | IOException e) {
        offset += read[0];
        // A dropped stream resumes from the last byte received, so no line is lost or repeated.
        if (!follow || tail != null || ++failures > RETRIES) {
          throw e instanceof OceanClientException oce
              ? oce
              : new OceanClientException("the log stream broke: " + e.getMessage(), e);
        }
        Thread.sleep(Duration.ofSeconds(1));
      }
    }
  }

  /** Counts the bytes read from {@code in} into {@code count[0]}. */
  private static InputStream counted(InputStream in, long[] count) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        count[0] += b < 0 ? 0 : 1;
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        count[0] += Math.max(0, n);
        return n;
      }
    };
  }
}
