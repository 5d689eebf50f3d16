package dev.ocean.server.node;

import java.util.Map;

/** Who holds which GPU now (filled in by jobs and instances): node → GPU index → holder. */
public interface GpuHolders {
  Map<String, Map<Integer, String>> held();

  GpuHolders NONE = Map::of;
}
