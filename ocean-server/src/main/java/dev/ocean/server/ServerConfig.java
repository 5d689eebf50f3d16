package dev.ocean.server;

import dev.ocean.server.user.UserService.SignupMode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Everything a server instance is started with; tests set a temp data dir, port 0 and a clock. */
public final class ServerConfig {
  private String host = "0.0.0.0";
  private int port = 8080;
  private Path dataDir;
  private Path storageDir;
  private String dbUrl;
  private String adminEmail;
  private String adminPassword;
  private SignupMode signupMode = SignupMode.OPEN;
  private Clock clock = Clock.systemUTC();
  private int bcryptCost = 12;
  private Duration sweepInterval = Duration.ofSeconds(15);
  private Duration nodeLostAfter = Duration.ofSeconds(30);
  private Duration instanceGrace = Duration.ofMinutes(15);
  private int heartbeatSeconds = 5;
  private int agentRequests = Integer.getInteger("ocean.agentRequests", 256);
  private int metricsSamples = 720;
  private String metricsToken;
  private Path tlsCert;
  private Path tlsKey;
  private Duration tokenTtl = Duration.ofDays(30);
  private int signupsPerHour = 10;
  private Duration dataCheckInterval = Duration.ofSeconds(2);
  private Duration tunnelAnswerWithin = Duration.ofSeconds(10);

  public ServerConfig(Path dataDir) {
    this.dataDir = dataDir;
  }

  /** {@code OCEAN_DATA}, else {@code ~/.local/share/ocean}. */
  public static Path defaultDataDir() {
    String env = System.getenv("OCEAN_DATA");
    return env != null && !env.isBlank()
        ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".local", "share", "ocean");
  }

  /** How often the server checks that its data directory is still there and writable. */
  public Duration dataCheckInterval() {
    return dataCheckInterval;
  }

  public ServerConfig dataCheckInterval(Duration v) {
    dataCheckInterval = v;
    return this;
  }

  /** How long a node's agent has to connect back for a tunnel before the user is told. */
  public Duration tunnelAnswerWithin() {
    return tunnelAnswerWithin;
  }

  public ServerConfig tunnelAnswerWithin(Duration v) {
    tunnelAnswerWithin = v;
    return this;
  }

  public String host() {
    return host;
  }

  public ServerConfig host(String v) {
    host = v;
    return this;
  }

  public int port() {
    return port;
  }

  public ServerConfig port(int v) {
    port = v;
    return this;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Where volumes live; defaults to {@code storage} in the data directory. */
  public Path storageDir() {
    return storageDir != null ? storageDir : dataDir.resolve("storage");
  }

  public ServerConfig storageDir(Path v) {
    storageDir = v;
    return this;
  }

  /** The JDBC URL; defaults to the SQLite file in the data directory. */
  public String dbUrl() {
    return dbUrl;
  }

  public ServerConfig dbUrl(String v) {
    dbUrl = v;
    return this;
  }

  public String adminEmail() {
    return adminEmail;
  }

  public ServerConfig adminEmail(String v) {
    adminEmail = v;
    return this;
  }

  public String adminPassword() {
    return adminPassword;
  }

  public ServerConfig adminPassword(String v) {
    adminPassword = v;
    return this;
  }

  public SignupMode signupMode() {
    return signupMode;
  }

  public ServerConfig signupMode(SignupMode v) {
    signupMode = v;
    return this;
  }

  public Clock clock() {
    return clock;
  }

  public ServerConfig clock(Clock v) {
    clock = v;
    return this;
  }

  public int bcryptCost() {
    return bcryptCost;
  }

  public ServerConfig bcryptCost(int v) {
    bcryptCost = v;
    return this;
  }

  public Duration sweepInterval() {
    return sweepInterval;
  }

  public ServerConfig sweepInterval(Duration v) {
    sweepInterval = v;
    return this;
  }

  public Duration nodeLostAfter() {
    return nodeLostAfter;
  }

  public ServerConfig nodeLostAfter(Duration v) {
    nodeLostAfter = v;
    return this;
  }

  /**
   * How long a running instance on a lost node is kept for its agent to come back (and re-adopt its
   * container) before it fails; jobs fail as soon as their node is lost.
   */
  public Duration instanceGrace() {
    return instanceGrace;
  }

  public ServerConfig instanceGrace(Duration v) {
    instanceGrace = v;
    return this;
  }

  /**
   * Agent requests worked on at once; more are answered 503 with a {@code Retry-After} ({@code
   * http.AgentGate}). {@code -Docean.agentRequests=N} (through {@code OCEAN_JAVA_OPTS}), default
   * 256.
   */
  public int agentRequests() {
    return agentRequests;
  }

  public ServerConfig agentRequests(int v) {
    agentRequests = v;
    return this;
  }

  /** How often agents are told to heartbeat. */
  public int heartbeatSeconds() {
    return heartbeatSeconds;
  }

  public ServerConfig heartbeatSeconds(int v) {
    heartbeatSeconds = v;
    return this;
  }

  /** Samples of metrics history kept per node (720 = one hour at 5 s). */
  public int metricsSamples() {
    return metricsSamples;
  }

  public ServerConfig metricsSamples(int v) {
    metricsSamples = v;
    return this;
  }

  /** When set, {@code /metrics} answers only with this bearer token. */
  public String metricsToken() {
    return metricsToken;
  }

  public ServerConfig metricsToken(String v) {
    metricsToken = v;
    return this;
  }

  /**
   * PEM certificate chain served over HTTPS; with {@link #tlsKey()}, the server speaks only TLS.
   */
  public Path tlsCert() {
    return tlsCert;
  }

  public ServerConfig tlsCert(Path v) {
    tlsCert = v;
    return this;
  }

  /** PEM private key of {@link #tlsCert()} (PKCS#8, or the older RSA and EC forms). */
  public Path tlsKey() {
    return tlsKey;
  }

  public ServerConfig tlsKey(Path v) {
    tlsKey = v;
    return this;
  }

  /** How long an API token lives without being used; each use renews it. */
  public Duration tokenTtl() {
    return tokenTtl;
  }

  public ServerConfig tokenTtl(Duration v) {
    tokenTtl = v;
    return this;
  }

  /** How many signups one client address may make per hour. */
  public int signupsPerHour() {
    return signupsPerHour;
  }

  public ServerConfig signupsPerHour(int v) {
    signupsPerHour = v;
    return this;
  }

  /** Whether the server serves HTTPS instead of HTTP. */
  public boolean tls() {
    return tlsCert != null || tlsKey != null;
  }
}
