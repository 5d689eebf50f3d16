package dev.ocean.agent.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ocean.common.api.node.DiskInfo;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.NodeMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The figures a node reports, read from fixture copies of the /proc files of a Debian host (the
 * figures OSHI reported for that host before the agent read /proc itself).
 */
class ProcHostSourceFixturesTest {

  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  @TempDir Path root;

  private void write(String file, String text) throws IOException {
    Path p = root.resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private void debianHost() throws IOException {
    write("proc/sys/kernel/hostname", "vm\n");
    write(
        "etc/os-release",
        """
        PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
        NAME="Debian GNU/Linux"
        VERSION_ID="12"
        VERSION="12 (bookworm)"
        """);
    write(
        "proc/cpuinfo",
        """
        processor\t: 0
        vendor_id\t: AuthenticAMD
        model name\t: AMD EPYC

        processor\t: 1
        vendor_id\t: AuthenticAMD
        model name\t: AMD EPYC
        """);
    write(
        "proc/meminfo",
        """
        MemTotal:       24683652 kB
        MemFree:         1000000 kB
        MemAvailable:   20000000 kB
        Buffers:          100000 kB
        Cached:          5000000 kB
        """);
    write(
        "proc/mounts",
        """
        proc /proc proc rw,relatime 0 0
        sysfs /sys sysfs rw,relatime 0 0
        tmpfs /dev/shm tmpfs rw,relatime 0 0
        /dev/vda / ext4 rw,relatime 0 0
        /dev/vda /run/netns ext4 rw,relatime 0 0
        /dev/vda / ext4 rw,relatime 0 0
        overlay /var/lib/docker/overlay2/abc/merged overlay rw 0 0
        srv:/export /mnt/nfs nfs4 rw 0 0
        """);
    write("proc/loadavg", "11.71 6.74 3.47 13/663 13307\n");
    write(
        "proc/net/dev",
        """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo: 65692898362 69073093    0 41215    0     0          0         0 65692898362 69073093    0    0    0     0       0          0
          eth0: 1000 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0
        docker0: 500 5 0 0 0 0 0 0 500 5 0 0 0 0 0 0
        vethab12: 500 5 0 0 0 0 0 0 500 5 0 0 0 0 0 0
          ens5: 30 1 0 0 0 0 0 0 40 1 0 0 0 0 0 0
        """);
    write("proc/stat", "cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 50 0 50 400 0 0 0 0 0 0\n");
  }

  @Test
  void factsAreTheOnesOshiReportedForTheSameHost() throws IOException {
    debianHost();

    NodeFacts facts = new ProcHostSource(root, InstantSource.fixed(NOW)).facts();

    assertEquals("vm", facts.hostname());
    assertEquals("Debian GNU/Linux 12", facts.os());
    assertEquals("AMD EPYC", facts.cpuModel());
    assertEquals(2, facts.cpuCores());
    assertEquals(24683652L * 1024, facts.memoryTotalBytes());
    // local disks only, once each: no bind mount under /run, no container layer, no NFS, no tmpfs
    assertEquals(List.of("/"), facts.disks().stream().map(DiskInfo::mount).toList());
    assertEquals(List.of(), facts.gpus());
  }

  @Test
  void metricsCountBusyTicksSinceTheLastSampleAndPhysicalInterfacesOnly() throws IOException {
    debianHost();
    ProcHostSource source = new ProcHostSource(root, InstantSource.fixed(NOW));
    // 200 ticks later: 50 user, 10 system, 100 idle, 40 waiting for I/O
    write("proc/stat", "cpu  150 0 110 900 40 0 0 0 0 0\n");

    NodeMetrics m = source.sample();

    assertEquals(NOW.toEpochMilli(), m.timestampMs());
    assertEquals(30.0, m.cpuUtilisation(), 1e-9);
    assertEquals(11.71, m.load1());
    assertEquals(6.74, m.load5());
    assertEquals(3.47, m.load15());
    assertEquals(24683652L * 1024, m.memoryTotalBytes());
    assertEquals((24683652L - 20000000L) * 1024, m.memoryUsedBytes());
    assertEquals(1030L, m.networkRxBytes());
    assertEquals(2040L, m.networkTxBytes());
  }

  @Test
  void noTickSinceTheLastSampleIsUnknownUtilisationNotZero() throws IOException {
    debianHost();
    ProcHostSource source = new ProcHostSource(root, InstantSource.fixed(NOW));

    assertNull(source.sample().cpuUtilisation());
    write("proc/stat", "cpu  100 0 100 900 0 0 0 0 0 0\n");
    assertEquals(0.0, source.sample().cpuUtilisation(), 1e-9);
  }

  @Test
  void oldKernelWithoutMemAvailableCountsPageCacheAsAvailable() throws IOException {
    debianHost();
    write("proc/meminfo", "MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\n");

    NodeMetrics m = new ProcHostSource(root, InstantSource.fixed(NOW)).sample();

    assertEquals(600L * 1024, m.memoryUsedBytes());
  }

  @Test
  void aMissingFileLeavesOnlyItsFiguresUnknown() throws IOException {
    debianHost();
    Files.delete(root.resolve("proc/net/dev"));
    Files.delete(root.resolve("etc/os-release"));
    ProcHostSource source = new ProcHostSource(root, InstantSource.fixed(NOW));

    NodeMetrics m = source.sample();
    NodeFacts facts = source.facts();

    assertNull(m.networkRxBytes());
    assertNull(m.networkTxBytes());
    assertEquals(11.71, m.load1());
    assertNull(facts.os());
    assertEquals(2, facts.cpuCores());
  }

  @Test
  void mountPathsWithSpacesAreDecoded() {
    assertEquals(
        List.of("/data/my disk"),
        ProcFiles.localMounts("/dev/sdb1 /data/my\\040disk xfs rw 0 0\n"));
  }

  @Test
  void osReleaseWithoutVersionIsItsName() {
    assertEquals("Arch Linux", ProcFiles.osName("NAME=\"Arch Linux\"\nID=arch\n"));
    assertEquals("Linux", ProcFiles.osName("ID=custom\n"));
  }
}
