package dev.ocean.server.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.server.node.NodeHealth;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the scheduler reads from a node's reported facts (usable GPUs, why it is blocked, its
 * runtime, volume storage), parsed once per version of the facts: a pass over 10,000 nodes would
 * otherwise parse 10,000 JSON documents that almost never change.
 */
record NodeTraits(
    List<Integer> usableGpus,
    String blocked,
    String gpuBlocked,
    String runtimeKind,
    boolean volumeStorage) {

  /** The traits of each node's last seen facts, by node name. */
  static final class Cache {
    private record Entry(String json, NodeTraits traits) {}

    private final ObjectMapper mapper;
    private final ConcurrentHashMap<String, Entry> byNode = new ConcurrentHashMap<>();

    Cache(ObjectMapper mapper) {
      this.mapper = mapper;
    }

    /** The traits of {@code node}'s facts {@code json}, parsed only when the JSON changed. */
    NodeTraits of(String node, String json) {
      Entry e = byNode.get(node);
      if (e == null || !e.json().equals(json)) {
        e = new Entry(json, parse(json));
        byNode.put(node, e);
      }
      return e.traits();
    }

    /** Keeps only the given nodes, so removed nodes do not stay cached. */
    void retain(java.util.Set<String> nodes) {
      byNode.keySet().retainAll(nodes);
    }

    private NodeTraits parse(String json) {
      NodeFacts facts;
      try {
        facts = mapper.readValue(json, NodeFacts.class);
      } catch (IOException e) {
        facts = new NodeFacts(null, null, null, null, 0, 0L, List.of(), List.of(), null);
      }
      return new NodeTraits(
          List.copyOf(NodeHealth.usableGpus(facts)),
          NodeHealth.blocked(facts),
          NodeHealth.gpuBlocked(facts),
          facts.runtime() == null ? null : facts.runtime().kind(),
          NodeHealth.volumeStorage(facts));
    }
  }
}
