package dev.ocean.server.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the agent requests the server works on at once (registrations, heartbeats, reports, log
 * chunks, polls until they start waiting). Past the bound a request is answered 503 with a {@code
 * Retry-After} at once, before its credential is checked or a byte of its body read: 10,000 agents
 * that beat together (after a restart, or all retrying at once) otherwise all came in, each holding
 * a connection, a thread and its buffers, until the server ran out of heap and users' requests
 * waited seconds behind them. User requests never pass this gate: they keep the server's attention.
 *
 * <p>A refused request of a node the server knows still counts as hearing from that node (see
 * {@code onRefused}): a node that keeps trying through a surge is alive, not lost.
 */
public final class AgentGate implements Filter {
  private static final Logger LOG = LoggerFactory.getLogger(AgentGate.class);

  /** Requests under this prefix pass the gate; tunnels (long-lived streams) do not. */
  private static final String AGENT = "/api/v1/agent/";

  private static final String TUNNELS = AGENT + "tunnels/";
  private static final String PERMIT = "ocean.agentGate.permit";

  private final int bound;
  private final int retryAfterSeconds;
  private final byte[] body;
  private final Semaphore permits;
  private final Consumer<String> onRefused;
  private final AtomicLong refused = new AtomicLong();
  private volatile long lastLogMillis;

  /**
   * A gate that lets {@code bound} agent requests in at once, tells the others to come back after
   * {@code retryAfterSeconds} (heartbeats, registrations) or 1 s (work: polls, reports, logs),
   * agents adding up to as much again, and {@code onRefused} their bearer credential.
   */
  public AgentGate(int bound, int retryAfterSeconds, Consumer<String> onRefused) {
    if (bound < 1) {
      throw new IllegalArgumentException("the agent request bound must be at least 1");
    }
    this.bound = bound;
    this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    this.permits = new Semaphore(bound);
    this.onRefused = onRefused;
    this.body = problem(this.retryAfterSeconds);
  }

  private static final byte[] WORK_BODY = problem(1);

  private static byte[] problem(int retryAfterSeconds) {
    return ("{\"type\":\"about:blank\",\"title\":\"Service unavailable\",\"status\":503,"
            + "\"detail\":\"the server is busy with other agents' requests; try again in "
            + retryAfterSeconds
            + " s\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The path spec the filter is installed on. */
  public static String pathSpec() {
    return AGENT + "*";
  }

  /** Agent requests refused since the server started. */
  public long refused() {
    return refused.get();
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest req = (HttpServletRequest) request;
    if (req.getRequestURI().startsWith(TUNNELS)) {
      chain.doFilter(request, response);
      return;
    }
    if (!permits.tryAcquire()) {
      refuse(req, (HttpServletResponse) response);
      return;
    }
    Permit permit = new Permit(permits);
    req.setAttribute(PERMIT, permit);
    try {
      chain.doFilter(request, response);
    } finally {
      permit.release();
    }
  }

  /**
   * Gives the request's place back before it waits: a long poll that is about to wait for work
   * holds no place while it waits, or 10,000 waiting polls would keep every other request out.
   */
  public static void leave(HttpServletRequest req) {
    if (req.getAttribute(PERMIT) instanceof Permit p) {
      p.release();
    }
  }

  private void refuse(HttpServletRequest req, HttpServletResponse res) throws IOException {
    long n = refused.incrementAndGet();
    String auth = req.getHeader("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      onRefused.accept(auth.substring(7).trim());
    }
    long now = System.currentTimeMillis();
    if (now - lastLogMillis > 60_000) {
      lastLogMillis = now;
      LOG.warn(
          "busy: agent requests past the bound of {} at once are answered 503 with Retry-After"
              + " ({} refused since start)",
          bound,
          n);
    }
    // a heartbeat or registration comes back at about the next heartbeat's time; work (polls,
    // reports, logs) sooner, so that a drain does not stall behind a surge of heartbeats
    boolean beat =
        req.getRequestURI().endsWith("/heartbeat") || req.getRequestURI().endsWith("/register");
    byte[] answer = beat ? body : WORK_BODY;
    res.setStatus(503);
    res.setHeader("Retry-After", beat ? String.valueOf(retryAfterSeconds) : "1");
    res.setContentType("application/problem+json");
    res.setContentLength(answer.length);
    res.getOutputStream().write(answer);
  }

  /** One request's place, given back once. */
  private static final class Permit {
    private final Semaphore permits;
    private final AtomicBoolean held = new AtomicBoolean(true);

    Permit(Semaphore permits) {
      this.permits = permits;
    }

    void release() {
      if (held.compareAndSet(true, false)) {
        permits.release();
      }
    }
  }

  @Override
  public void init(jakarta.servlet.FilterConfig config) {}

  @Override
  public void destroy() {}
}
