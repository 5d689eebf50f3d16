package dev.ocean.server.user;

import dev.ocean.common.api.PasswordReset;
import dev.ocean.common.validation.Rules;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.error.Check;
import dev.ocean.server.error.Forbidden;
import dev.ocean.server.error.NotFound;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Password changes: by the owner (knowing the current one; their other sessions end) and by an
 * admin (a reset that ends all of the account's sessions). Both are audited.
 */
public final class Passwords {
  private final Jdbi jdbi;
  private final PasswordHasher hasher;
  private final LoginThrottle throttle;
  private final ApiTokens tokens;
  private final AuditLog audit;

  Passwords(
      Jdbi jdbi, PasswordHasher hasher, LoginThrottle throttle, ApiTokens tokens, AuditLog audit) {
    this.jdbi = jdbi;
    this.hasher = hasher;
    this.throttle = throttle;
    this.tokens = tokens;
    this.audit = audit;
  }

  /**
   * Changes the caller's password and revokes their other tokens. A wrong current password counts
   * as a failed login, so a stolen token cannot be used to guess it.
   */
  public void change(Principal p, String current, String replacement, String address) {
    Check.required("currentPassword", current);
    Check.required("newPassword", replacement);
    Check.rule("newPassword", Rules.password(replacement));
    String email = UserService.lower(p.email());
    throttle.check(email, address);
    UserService.Account a =
        jdbi.withHandle(h -> UserService.account(h, p.email()))
            .orElseThrow(() -> new NotFound("your account no longer exists"));
    if (!hasher.verify(current, a.passwordHash())) {
      throttle.failed(email, address);
      throw new Forbidden("currentPassword", "the current password is not right");
    }
    String hash = hasher.hash(replacement);
    jdbi.useTransaction(
        h -> {
          store(h, a.user().id(), hash);
          tokens.revokeAll(h, a.user().id(), p.tokenId());
          audit.record(h, p.email(), "user.password-change", "user/" + p.email(), null);
        });
  }

  /**
   * An admin sets a new password (generated when {@code password} is null) and revokes every token
   * of the account. The answer carries the generated password, shown only this once.
   */
  public PasswordReset reset(Principal admin, String email, String password) {
    if (password != null) {
      Check.rule("password", Rules.password(password));
    }
    String chosen = password != null ? password : Tokens.newPassword();
    String hash = hasher.hash(chosen);
    return jdbi.inTransaction(
        h -> {
          UserService.Account a =
              UserService.account(h, email)
                  .orElseThrow(() -> new NotFound("no user with email " + email));
          store(h, a.user().id(), hash);
          tokens.revokeAll(h, a.user().id(), null);
          audit.record(
              h,
              admin.email(),
              "user.password-reset",
              "user/" + a.user().email(),
              password == null ? "generated" : "chosen by admin");
          return new PasswordReset(a.user().email(), password == null ? chosen : null);
        });
  }

  private static void store(Handle h, long userId, String hash) {
    h.createUpdate(
            "UPDATE users SET password_hash = ?, lock_version = lock_version + 1 WHERE id = ?")
        .bind(0, hash)
        .bind(1, userId)
        .execute();
  }
}
