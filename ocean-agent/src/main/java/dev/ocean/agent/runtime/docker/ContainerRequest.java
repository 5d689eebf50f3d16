package dev.ocean.agent.runtime.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ocean.agent.runtime.RunSpec;
import dev.ocean.common.api.node.RuntimeInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a {@link RunSpec} into the body of {@code POST /containers/create}, and names the labels
 * that let a restarted agent find its containers again.
 */
final class ContainerRequest {

  static final String RUN_ID = "ocean.run-id";
  static final String JOB_ID = "ocean.job-id";
  static final String RUN_INDEX = "ocean.run-index";
  static final String AGENT = "ocean.agent";

  /** Bytes the run's sink already held before this container wrote any (see DockerRuntime). */
  static final String SPOOL_OFFSET = "ocean.spool-offset";

  static final String HOME = "/home/linuxbrew";

  /**
   * When a run has no GPU this hides all of them even from images that set {@code
   * NVIDIA_VISIBLE_DEVICES=all} (CUDA images do) on nodes whose default runtime is nvidia's.
   */
  static final String NO_GPU = "void";

  private ContainerRequest() {}

  static ObjectNode body(ObjectMapper json, RunSpec spec, DockerOptions options, long spoolOffset) {
    return body(json, spec, options, spoolOffset, RuntimeInfo.HANDOFF_NVIDIA_RUNTIME);
  }

  /**
   * The create body, handing the run's GPUs over the way {@code gpuHandoff} says ({@link
   * RuntimeInfo#HANDOFF_CDI}: CDI device names; otherwise NVIDIA device requests).
   */
  static ObjectNode body(
      ObjectMapper json, RunSpec spec, DockerOptions options, long spoolOffset, String gpuHandoff) {
    ObjectNode body = json.createObjectNode();
    body.put("Image", spec.image());
    if (!spec.argv().isEmpty()) {
      ArrayNode cmd = body.putArray("Cmd");
      spec.argv().forEach(cmd::add);
    }
    Map<String, String> env = new LinkedHashMap<>(spec.env());
    env.put("NVIDIA_VISIBLE_DEVICES", spec.gpus().isEmpty() ? NO_GPU : spec.gpuList());
    if (spec.volumeDir() != null) {
      // the volume is home, as with the process runtime: ~/.cache and pip --user outlive the run
      env.putIfAbsent("HOME", HOME);
    }
    ArrayNode envArray = body.putArray("Env");
    env.forEach((k, v) -> envArray.add(k + "=" + v));

    Map<String, String> labels = new LinkedHashMap<>(spec.labels());
    labels.put(RUN_ID, spec.runId());
    labels.put(JOB_ID, Long.toString(spec.jobId()));
    labels.put(RUN_INDEX, Integer.toString(spec.runIndex()));
    labels.put(AGENT, options.agentName());
    labels.put(SPOOL_OFFSET, Long.toString(spoolOffset));
    ObjectNode labelNode = body.putObject("Labels");
    labels.forEach(labelNode::put);

    ObjectNode host = body.putObject("HostConfig");
    if (spec.volumeDir() != null) {
      body.put("WorkingDir", HOME);
      host.putArray("Binds").add(spec.volumeDir().toAbsolutePath() + ":" + HOME);
    }
    if (spec.cpus() > 0) {
      host.put("NanoCpus", Math.round(spec.cpus() * 1e9));
    }
    if (spec.memoryMib() > 0) {
      host.put("Memory", spec.memoryMib() * 1024 * 1024);
    }
    if (!spec.gpus().isEmpty() && RuntimeInfo.HANDOFF_CDI.equals(gpuHandoff)) {
      ArrayNode devices = host.putArray("Devices");
      spec.gpus()
          .forEach(
              gpu ->
                  devices
                      .addObject()
                      .put("PathOnHost", "nvidia.com/gpu=" + gpu)
                      .put("PathInContainer", "")
                      .put("CgroupPermissions", "rwm"));
    } else if (!spec.gpus().isEmpty()) {
      ObjectNode request = host.putArray("DeviceRequests").addObject();
      request.put("Driver", "nvidia");
      ArrayNode ids = request.putArray("DeviceIDs");
      spec.gpus().forEach(gpu -> ids.add(Integer.toString(gpu)));
      request.putArray("Capabilities").addArray().add("gpu");
    }
    ArrayNode ulimits = host.putArray("Ulimits");
    for (DockerOptions.Ulimit ulimit : options.ulimits()) {
      ulimits
          .addObject()
          .put("Name", ulimit.name())
          .put("Soft", ulimit.soft())
          .put("Hard", ulimit.hard());
    }
    if (options.networkMode() != null) {
      host.put("NetworkMode", options.networkMode());
    }
    if (options.logDriver() != null) {
      host.putObject("LogConfig").put("Type", options.logDriver());
    }
    return body;
  }
}
