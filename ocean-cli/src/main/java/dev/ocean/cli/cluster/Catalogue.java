package dev.ocean.cli.cluster;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.api.Image;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a fresh one-node cluster needs before a first job: machine types that fit the node, an image
 * for its runtime, and quota for the admin. Each step leaves what already exists alone, so running
 * it again changes nothing.
 */
final class Catalogue {
  static final String CPU_TYPE = "cpu.small";
  static final String GPU_TYPE = "gpu.1";
  private static final int QUOTA_DAYS = 365;

  private final OceanClient admin;
  private final Consumer<String> say;
  private final List<String> existing = new ArrayList<>();

  Catalogue(OceanClient admin, Consumer<String> say) {
    this.admin = admin;
    this.say = say;
  }

  /** Creates what is missing for {@code node}; returns the image a first job should use. */
  String ensure(Node node, boolean docker) {
    List<String> types = new ArrayList<>();
    machineType(new MachineType.Create(CPU_TYPE, 1, 1, 0, null, null, null));
    types.add(CPU_TYPE);
    if (node.gpus() > 0) {
      int cpus = Math.max(1, node.cpus() / node.gpus());
      int gib = (int) Math.max(1, node.memoryBytes() / node.gpus() / (1L << 30) / 2);
      machineType(new MachineType.Create(GPU_TYPE, cpus, gib, 1, null, null, null));
      types.add(GPU_TYPE);
    }
    Image.Create image =
        docker
            ? new Image.Create(
                "busybox",
                "docker.io/library/busybox:latest",
                "BusyBox (container runtime)",
                Image.CONTAINER)
            : new Image.Create("host", "local/host", "bare metal (process runtime)", Image.HOST);
    create("image " + image.name(), () -> admin.post("/images", image, Image.class));
    quota(CPU_TYPE, Math.min(1000, Math.max(1, node.cpus())));
    if (node.gpus() > 0) {
      quota(GPU_TYPE, Math.min(1000, node.gpus()));
    }
    if (!existing.isEmpty()) {
      say.accept("Already there: " + String.join(", ", existing) + ".");
    }
    return image.name();
  }

  private void machineType(MachineType.Create m) {
    create("machine type " + m.name(), () -> admin.post("/machine-types", m, MachineType.class));
  }

  private void quota(String type, int count) {
    List<Quota> quotas = admin.get("/admin/quotas", new TypeReference<List<Quota>>() {});
    boolean held =
        quotas.stream()
            .anyMatch(
                q ->
                    "active".equals(q.state())
                        && type.equals(q.machineType())
                        && LocalCluster.ADMIN_EMAIL.equals(q.user()));
    if (held) {
      existing.add("quota for " + type);
      return;
    }
    admin.post(
        "/admin/quotas",
        new Quota.Grant(LocalCluster.ADMIN_EMAIL, type, count, QUOTA_DAYS),
        Quota.class);
    say.accept(
        "Granted "
            + LocalCluster.ADMIN_EMAIL
            + " quota for "
            + count
            + " x "
            + type
            + " ("
            + QUOTA_DAYS
            + " days).");
  }

  private void create(String what, Runnable call) {
    try {
      call.run();
      say.accept("Created " + what + ".");
    } catch (OceanApiException e) {
      if (e.status() != 409) {
        throw e;
      }
      existing.add(what);
    }
  }
}
