package dev.ocean.bench;

import dev.ocean.common.api.job.Job;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Scenarios 1 and 2: API submissions from many clients, and what a scripting user feels. */
final class ApiScenarios {
  private ApiScenarios() {}

  static Job.Submit submit(String name, int repeat) {
    return new Job.Submit(
        name, "g1", "busybox", null, List.of("true"), Map.of(), repeat, repeat, null, null);
  }

  /** Scenario 1: POST /jobs from 1, 4, 16 and 64 clients; submissions/s, p50 and p99. */
  static void submissions(Bench.Context c) throws Exception {
    int perLevel = c.knob("api.submissions", 2000);
    int[] levels = {1, 4, 16, 64};
    try (ServerProcess s = c.server("api")) {
      s.grant(perLevel * levels.length + 1000);
      for (int i = 0; i < 300; i++) { // warm-up: JIT and connection pools
        s.http.post(s.adminAuth, "/jobs", submit("warm", 1), Job.class);
      }
      byte[] body = Http.JSON.writeValueAsBytes(submit("api", 1));
      for (int clients : levels) {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger left = new AtomicInteger(perLevel);
        AtomicInteger failures = new AtomicInteger();
        double cpu0 = s.cpuSeconds();
        double benchCpu0 = Proc.cpuSeconds(ProcessHandle.current().pid());
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
          threads.add(
              Thread.ofVirtual()
                  .start(
                      () -> {
                        try (var client =
                            new KeepAliveClient(s.url, "/api/v1/jobs", s.adminAuth, body)) {
                          for (int n = 0; left.getAndDecrement() > 0; n++) {
                            long a = System.nanoTime();
                            byte[] answer = client.send();
                            latencies.add((System.nanoTime() - a) / 1e6);
                            if (n % 50 == 0 && Http.JSON.readValue(answer, Job.class).id() <= 0) {
                              throw new IllegalStateException("a submission got no job id");
                            }
                          }
                        } catch (IOException e) {
                          failures.incrementAndGet();
                          System.err.println("api: " + e.getMessage());
                        }
                      }));
        }
        for (Thread t : threads) {
          t.join();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (failures.get() > 0) {
          throw new IllegalStateException(failures.get() + " client(s) failed");
        }
        // the server's CPU per submission: steadier than the rate on a loaded machine
        double cpuMs = (s.cpuSeconds() - cpu0) * 1000 / perLevel;
        // the clients share the machine's cores with the server: what they take is not the server's
        double benchCpuMs =
            (Proc.cpuSeconds(ProcessHandle.current().pid()) - benchCpu0) * 1000 / perLevel;
        double[] l = Results.toArray(latencies);
        c.results()
            .row(
                "api",
                "submissions/s from " + clients + " client(s)",
                perLevel / secs,
                "/s",
                ">= 2000",
                Map.of(
                    "clients",
                    clients,
                    "submissions",
                    perLevel,
                    "p50Ms",
                    Results.percentile(l, 50),
                    "p99Ms",
                    Results.percentile(l, 99),
                    "serverCpuMsPerSubmission",
                    cpuMs,
                    "clientCpuMsPerSubmission",
                    benchCpuMs));
        System.out.printf(
            "           latency p50 %.1f ms, p99 %.1f ms; CPU per submission: server %.2f ms,"
                + " clients %.2f ms%n",
            Results.percentile(l, 50), Results.percentile(l, 99), cpuMs, benchCpuMs);
      }
    }
  }

  /**
   * Scenario 2: {@code ocean job submit} in a shell loop, one command submitting 1,000 runs, and
   * {@code GET /jobs} (and {@code ocean job list}) with 1,000 pending jobs.
   */
  static void scripting(Bench.Context c) throws Exception {
    int pending = c.knob("script.pending", 1000);
    try (ServerProcess s = c.server("script")) {
      s.grant(pending + 3000 + c.knob("script.batch", 1000));
      Path home = Files.createTempDirectory(c.work(), "cli-");
      cli(
          c,
          home,
          PasswordInput.YES,
          "login",
          "--server",
          s.url,
          "--email",
          ServerProcess.EMAIL,
          "--password-stdin");
      String[] submit = {
        "job",
        "submit",
        "--name",
        "loop",
        "--machine-type",
        "g1",
        "--image",
        "busybox",
        "--",
        "true"
      };
      for (int i = 0; i < 3; i++) {
        cli(c, home, PasswordInput.NO, submit);
      }
      int loops = c.knob("script.loop", 20);
      long t0 = System.nanoTime();
      for (int i = 0; i < loops; i++) {
        cli(c, home, PasswordInput.NO, submit);
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      c.results()
          .row(
              "script",
              "`ocean job submit` shell loop",
              loops / secs,
              "/s",
              ">= 20",
              Map.of("loops", loops));

      String[] many = {
        "job",
        "submit",
        "--name",
        "many",
        "--machine-type",
        "g1",
        "--image",
        "busybox",
        "--repeat",
        "1000",
        "--parallel",
        "1",
        "--",
        "true"
      };
      cli(c, home, PasswordInput.NO, many);
      t0 = System.nanoTime();
      cli(c, home, PasswordInput.NO, many);
      secs = (System.nanoTime() - t0) / 1e9;
      c.results()
          .row(
              "script",
              "one `ocean job submit --repeat 1000` (runs/s)",
              1000 / secs,
              "/s",
              ">= 2000",
              Map.of("runs", 1000, "seconds", secs));

      int have = 3 + loops + 2;
      for (int i = have; i < pending; i++) {
        s.http.post(s.adminAuth, "/jobs", submit("pending", 1), Job.class);
      }
      for (int i = 0; i < 20; i++) {
        s.http.get(s.adminAuth, "/jobs", Job[].class, java.time.Duration.ofSeconds(60));
      }
      List<Double> ms = new ArrayList<>();
      int count = 0;
      for (int i = 0; i < 100; i++) {
        long a = System.nanoTime();
        count =
            s.http.get(s.adminAuth, "/jobs", Job[].class, java.time.Duration.ofSeconds(60)).length;
        ms.add((System.nanoTime() - a) / 1e6);
      }
      double[] l = Results.toArray(ms);
      c.results()
          .row(
              "script",
              "GET /jobs with " + count + " pending, p50",
              Results.percentile(l, 50),
              "ms",
              "< 10",
              Map.of("jobs", count, "p99Ms", Results.percentile(l, 99)));
      ms.clear();
      for (int i = 0; i < 5; i++) {
        long a = System.nanoTime();
        cli(c, home, PasswordInput.NO, "job", "list");
        ms.add((System.nanoTime() - a) / 1e6);
      }
      c.results()
          .row(
              "script",
              "`ocean job list` with " + count + " pending, median",
              Results.percentile(Results.toArray(ms), 50),
              "ms",
              "-",
              Map.of("jobs", count));

      // last, so its jobs do not change the figures above: many different jobs in one command
      int batch = c.knob("script.batch", 1000);
      Path file = c.work().resolve("jobs.jsonl");
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < batch; i++) {
        lines.append(
            String.format(
                "{\"name\": \"sweep-%d\", \"machine-type\": \"g1\", \"image\": \"busybox\","
                    + " \"command\": [\"echo\", \"%d\"], \"env\": [\"SEED=%d\"]}%n",
                i, i, i));
      }
      Files.writeString(file, lines);
      double cpu0 = s.cpuSeconds();
      t0 = System.nanoTime();
      cli(c, home, PasswordInput.NO, "job", "submit", "--from-file", file.toString(), "-q");
      secs = (System.nanoTime() - t0) / 1e9;
      double serverCpu = s.cpuSeconds() - cpu0;
      c.results()
          .row(
              "script",
              "one `ocean job submit --from-file` of " + batch + " different jobs (jobs/s)",
              batch / secs,
              "/s",
              ">= 2000",
              Map.of("jobs", batch, "seconds", secs, "serverCpuSeconds", serverCpu));
      System.out.printf("           server CPU %.0f ms meanwhile%n", serverCpu * 1000);
    }
  }

  private enum PasswordInput {
    YES,
    NO
  }

  private static void cli(Bench.Context c, Path home, PasswordInput pw, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(c.dist().resolve("bin/ocean").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("XDG_CONFIG_HOME", home.toString());
    pb.environment().put("HOME", home.toString());
    pb.environment().put("NO_COLOR", "1");
    Process p = pb.start();
    if (pw == PasswordInput.YES) {
      p.getOutputStream().write((ServerProcess.PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(
          "ocean "
              + String.join(" ", args)
              + " failed: "
              + new String(out, StandardCharsets.UTF_8));
    }
  }
}
