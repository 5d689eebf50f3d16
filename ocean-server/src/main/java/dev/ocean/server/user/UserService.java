package dev.ocean.server.user;

import dev.ocean.common.api.Session;
import dev.ocean.common.api.User;
import dev.ocean.common.validation.Rules;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.error.Check;
import dev.ocean.server.error.Conflict;
import dev.ocean.server.error.Forbidden;
import dev.ocean.server.error.NotFound;
import dev.ocean.server.error.Unauthorized;
import dev.ocean.server.store.Constraints;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Accounts: signup, login with API tokens, and the admin's user management. */
public final class UserService {
  /** How new accounts start: usable at once, or waiting for an admin. */
  public enum SignupMode {
    OPEN,
    ADMIN_ACTIVATION
  }

  private static final String USER_COLUMNS = "id, email, role, status, created_at";

  private final Jdbi jdbi;
  private final Clock clock;
  private final PasswordHasher hasher;
  private final LoginThrottle throttle;
  private final AuditLog audit;
  private final SignupMode signupMode;
  private final ApiTokens tokens;
  private volatile Function<String, Optional<Principal>> workloads = t -> Optional.empty();
  private final Passwords passwords;
  private volatile Withdrawal withdrawal = (userId, actor) -> new User.Withdrawn(0, 0, 0);

  /** How long an unused API token lives, and how many signups one address may make in an hour. */
  public record Policy(Duration tokenTtl, int signupsPerHour) {
    public static final Policy DEFAULTS = new Policy(Duration.ofDays(30), 10);
  }

  public UserService(
      Jdbi jdbi, Clock clock, PasswordHasher hasher, AuditLog audit, SignupMode signupMode) {
    this(jdbi, clock, hasher, audit, signupMode, Policy.DEFAULTS);
  }

  public UserService(
      Jdbi jdbi,
      Clock clock,
      PasswordHasher hasher,
      AuditLog audit,
      SignupMode signupMode,
      Policy policy) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.hasher = hasher;
    this.throttle = new LoginThrottle(jdbi, clock, policy.signupsPerHour());
    this.audit = audit;
    this.signupMode = signupMode;
    this.tokens = new ApiTokens(jdbi, clock, policy.tokenTtl());
    this.passwords = new Passwords(jdbi, hasher, throttle, tokens, audit);
  }

  /** The API tokens users log in with. */
  public ApiTokens tokens() {
    return tokens;
  }

  /** Password changes by their owners and resets by admins. */
  public Passwords passwords() {
    return passwords;
  }

  public User signup(String email, String password) {
    return signup(email, password, null);
  }

  /** Creates an account; {@code address} (when known) is held to the hourly signup limit. */
  public User signup(String email, String password, String address) {
    Check.required("email", email);
    Check.rule("email", Rules.email(email));
    Check.required("password", password);
    Check.rule("password", Rules.password(password));
    if (address != null) {
      throttle.signup(address);
    }
    String status = signupMode == SignupMode.OPEN ? "active" : "pending";
    return create(email, password, "user", status, email);
  }

  /**
   * An admin creates an account for someone, active at once whatever the signup mode; the password
   * is the admin's choice or, when null, generated and answered once.
   */
  public User.Created create(Principal admin, String email, String password, boolean asAdmin) {
    Check.required("email", email);
    Check.rule("email", Rules.email(email));
    if (password != null) {
      Check.rule("password", Rules.password(password));
    }
    String chosen = password != null ? password : Tokens.newPassword();
    User u = create(email, chosen, asAdmin ? "admin" : "user", "active", admin.email());
    return new User.Created(u, password == null ? chosen : null);
  }

  /** Creates the bootstrap admin unless an account with that email exists; true if created. */
  public boolean ensureAdmin(String email, String password) {
    Check.rule("email", Rules.email(email));
    if (findByEmail(email).isPresent()) {
      return false;
    }
    try {
      create(email, password, "admin", "active", "system");
    } catch (Conflict e) {
      // another server of the same database created it a moment ago: it is there, as wanted
      if (findByEmail(email).isPresent()) {
        return false;
      }
      throw e;
    }
    return true;
  }

  private User create(String email, String password, String role, String status, String actor) {
    String hash = hasher.hash(password);
    try {
      return jdbi.inTransaction(
          h -> {
            boolean taken =
                h.createQuery("SELECT COUNT(*) FROM users WHERE email_lower = ?")
                        .bind(0, lower(email))
                        .mapTo(Integer.class)
                        .one()
                    > 0;
            if (taken) {
              throw emailTaken(email);
            }
            long id =
                h.createUpdate(
                        "INSERT INTO users (email, email_lower, password_hash, role, status,"
                            + " created_at) VALUES (?, ?, ?, ?, ?, ?)")
                    .bind(0, email)
                    .bind(1, lower(email))
                    .bind(2, hash)
                    .bind(3, role)
                    .bind(4, status)
                    .bind(5, clock.millis())
                    .executeAndReturnGeneratedKeys("id")
                    .mapTo(Long.class)
                    .one();
            audit.record(
                h, actor, "user.create", "user/" + email, "role=" + role + " status=" + status);
            return byId(h, id);
          });
    } catch (RuntimeException e) {
      if (Constraints.isUniqueViolation(e)) {
        throw emailTaken(email);
      }
      throw e;
    }
  }

  public Session login(String email, String password, String address) {
    Check.required("email", email);
    Check.required("password", password);
    throttle.check(lower(email), address);
    Optional<Account> account = jdbi.withHandle(h -> account(h, email));
    if (account.isEmpty() || !hasher.verify(password, account.get().passwordHash)) {
      if (account.isEmpty()) {
        hasher.burn(password);
      }
      throttle.failed(lower(email), address);
      throw new Unauthorized("wrong email or password");
    }
    throttle.succeeded(lower(email), address);
    Account a = account.get();
    switch (a.user.status()) {
      case "pending" -> throw new Forbidden("your account is waiting for an admin to activate it");
      case "disabled" -> throw new Forbidden("your account has been disabled by an admin");
      default -> {}
    }
    String token = jdbi.withHandle(h -> tokens.issue(h, a.user.id()));
    return new Session(token, a.user);
  }

  public void logout(Principal p) {
    if (p.workload() != null) {
      throw new Forbidden("a workload's token ends with its run; it cannot log out");
    }
    tokens.revokeOne(p.tokenId());
  }

  /**
   * The active user behind an API token: empty when unknown or revoked, a 401 saying so when it
   * expired.
   */
  public Optional<Principal> authenticate(String token) {
    Optional<Principal> p = tokens.authenticate(token);
    return p.isPresent() ? p : workloads.apply(token);
  }

  /**
   * Accepts the tokens runs get in {@code OCEAN_TOKEN} as well ({@code
   * dev.ocean.server.workload.WorkloadTokens}), after login tokens.
   */
  public void acceptWorkloadTokens(Function<String, Optional<Principal>> authenticator) {
    this.workloads = authenticator;
  }

  /** What disabling an account does to its jobs and instances. */
  public void withdrawOnDisable(Withdrawal withdrawal) {
    this.withdrawal = withdrawal;
  }

  public User get(long id) {
    return jdbi.withHandle(h -> byId(h, id));
  }

  public Optional<User> findByEmail(String email) {
    return jdbi.withHandle(h -> account(h, email).map(a -> a.user));
  }

  public List<User> list() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + USER_COLUMNS + " FROM users ORDER BY id")
                .map((rs, ctx) -> user(rs))
                .list());
  }

  /**
   * Admin actions on an account: activate, disable, promote, demote. Disabling also cancels the
   * account's jobs and stops its instances once the account can no longer log in (so it cannot
   * queue more meanwhile); activating again restarts nothing.
   */
  public User.Changed change(Principal admin, String email, String action) {
    User u = changeAccount(admin, email, action);
    User.Withdrawn taken = null;
    if (action.equals("disable")) {
      taken = withdrawal.withdraw(u.id(), admin.email());
    }
    return new User.Changed(u.id(), u.email(), u.role(), u.status(), u.createdAt(), taken);
  }

  private User changeAccount(Principal admin, String email, String action) {
    return jdbi.inTransaction(
        h -> {
          User u =
              account(h, email)
                  .map(a -> a.user)
                  .orElseThrow(() -> new NotFound("no user with email " + email));
          String column;
          String value;
          switch (action) {
            case "activate" -> {
              column = "status";
              value = "active";
            }
            case "disable" -> {
              column = "status";
              value = "disabled";
            }
            case "promote" -> {
              column = "role";
              value = "admin";
            }
            case "demote" -> {
              column = "role";
              value = "user";
            }
            default -> throw new NotFound("unknown user action " + action);
          }
          boolean losesAdmin =
              "admin".equals(u.role())
                  && "active".equals(u.status())
                  && (action.equals("demote") || action.equals("disable"));
          if (losesAdmin && activeAdmins(h) <= 1) {
            throw new Conflict("cannot " + action + " the last active admin");
          }
          h.createUpdate("UPDATE users SET " + column + " = ? WHERE id = ?")
              .bind(0, value)
              .bind(1, u.id())
              .execute();
          if (action.equals("disable")) {
            tokens.revokeAll(h, u.id(), null);
          }
          tokens.forgetOnCommit(h); // a remembered token must not keep the old role or status
          audit.record(h, admin.email(), "user." + action, "user/" + u.email(), null);
          return byId(h, u.id());
        });
  }

  private static Conflict emailTaken(String email) {
    return new Conflict("email", "an account with email " + email + " already exists");
  }

  private static int activeAdmins(Handle h) {
    return h.createQuery("SELECT COUNT(*) FROM users WHERE role = 'admin' AND status = 'active'")
        .mapTo(Integer.class)
        .one();
  }

  record Account(User user, String passwordHash) {}

  static Optional<Account> account(Handle h, String email) {
    return h.createQuery(
            "SELECT " + USER_COLUMNS + ", password_hash FROM users WHERE email_lower = ?")
        .bind(0, lower(email))
        .map((rs, ctx) -> new Account(user(rs), rs.getString("password_hash")))
        .findOne();
  }

  private static User byId(Handle h, long id) {
    return h.createQuery("SELECT " + USER_COLUMNS + " FROM users WHERE id = ?")
        .bind(0, id)
        .map((rs, ctx) -> user(rs))
        .findOne()
        .orElseThrow(() -> new NotFound("no user with id " + id));
  }

  static User user(ResultSet rs) throws SQLException {
    return new User(
        rs.getLong("id"),
        rs.getString("email"),
        rs.getString("role"),
        rs.getString("status"),
        Instant.ofEpochMilli(rs.getLong("created_at")));
  }

  static String lower(String email) {
    return email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
  }
}
