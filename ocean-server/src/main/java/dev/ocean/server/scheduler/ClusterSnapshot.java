package dev.ocean.server.scheduler;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The read-only state of every node that the scheduler plans against; node names are unique. */
public record ClusterSnapshot(List<NodeSnapshot> nodes) {

  public ClusterSnapshot {
    nodes = List.copyOf(nodes);
    Set<String> names = new HashSet<>();
    for (NodeSnapshot node : nodes) {
      if (!names.add(node.name())) {
        throw new IllegalArgumentException("duplicate node name: " + node.name());
      }
    }
  }

  public static ClusterSnapshot of(NodeSnapshot... nodes) {
    return new ClusterSnapshot(List.of(nodes));
  }
}
