package dev.ocean.agent.work;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A run on a node whose agent was joined with {@code --ca-cert} gets those certificates as {@code
 * OCEAN_CA_CERT_PEM}, read again at each run's start, so {@code ocean} in it trusts the server.
 */
class RunCaCertTest extends WorkLoopHarness {
  private static final String PEM =
      "-----BEGIN CERTIFICATE-----\nMIIBfirst\n-----END CERTIFICATE-----\n";
  private static final String RENEWED =
      "-----BEGIN CERTIFICATE-----\nMIIBrenewed\n-----END CERTIFICATE-----\n";

  @Test
  void runsGetTheAgentsCaCertTextAndARenewedFileReachesTheNextRun() throws Exception {
    Path ca = state.resolve("ca.pem");
    Files.writeString(ca, PEM);
    String print = "printf '%s' \"$OCEAN_CA_CERT_PEM\"";
    server.assign(assignment("1-0", null, "sh", "-c", print));
    WorkApi api =
        new WorkApi(
            dev.ocean.agent.daemon.AgentDaemon.agentClient(
                server.url(), FakeOceanServer.CREDENTIAL),
            java.time.Duration.ofSeconds(5));
    track(
            new WorkLoop(
                    api,
                    new dev.ocean.agent.runtime.process.ProcessRuntime(runtimeDir()),
                    state,
                    storage,
                    FAST)
                .handRunsTheCaCert(ca))
        .start();
    awaitState("1-0", "succeeded");
    assertEquals(PEM, server.logText("1-0"));

    Files.writeString(ca, RENEWED);
    server.assign(assignment("2-0", null, "sh", "-c", print));
    awaitState("2-0", "succeeded");
    assertEquals(RENEWED, server.logText("2-0"), "the renewed file, without a restart");
  }

  @Test
  void withoutACaCertRunsGetNone() {
    server.assign(assignment("3-0", null, "sh", "-c", "echo \"[${OCEAN_CA_CERT_PEM-unset}]\""));
    startLoop();
    awaitState("3-0", "succeeded");
    assertEquals("[unset]\n", server.logText("3-0"));
  }
}
