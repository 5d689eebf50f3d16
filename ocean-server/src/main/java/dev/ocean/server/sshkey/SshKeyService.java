package dev.ocean.server.sshkey;

import dev.ocean.common.api.instance.SshKey;
import dev.ocean.common.validation.Rules;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.error.Check;
import dev.ocean.server.error.Conflict;
import dev.ocean.server.error.NotFound;
import dev.ocean.server.store.Constraints;
import dev.ocean.server.user.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Users' SSH public keys: every start of their instances writes them to {@code authorized_keys}. A
 * key is stored once per user (by fingerprint); only its owner sees or removes it.
 */
public final class SshKeyService {
  private static final int NAME_MAX = 100;

  private final Jdbi jdbi;
  private final Clock clock;
  private final AuditLog audit;

  public SshKeyService(Jdbi jdbi, Clock clock, AuditLog audit) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.audit = audit;
  }

  public SshKey add(Principal p, SshKey.Add req) {
    SshPublicKey key = SshPublicKey.parse(req.publicKey());
    String name = req.name() == null || req.name().isBlank() ? key.comment() : req.name().strip();
    if (name.isEmpty()) {
      name = key.type();
    }
    Check.rule("name", Rules.text("name", name, NAME_MAX, false));
    String chosen = name;
    try {
      long id =
          jdbi.inTransaction(
              h -> {
                Long existing =
                    h.createQuery("SELECT id FROM ssh_keys WHERE user_id = ? AND fingerprint = ?")
                        .bind(0, p.userId())
                        .bind(1, key.fingerprint())
                        .mapTo(Long.class)
                        .findOne()
                        .orElse(null);
                if (existing != null) {
                  throw duplicate(key, existing);
                }
                long newId =
                    h.createUpdate(
                            "INSERT INTO ssh_keys (user_id, name, public_key, fingerprint,"
                                + " created_at) VALUES (?, ?, ?, ?, ?)")
                        .bind(0, p.userId())
                        .bind(1, chosen)
                        .bind(2, key.line())
                        .bind(3, key.fingerprint())
                        .bind(4, clock.millis())
                        .executeAndReturnGeneratedKeys("id")
                        .mapTo(Long.class)
                        .one();
                audit.record(h, p.email(), "ssh-key.add", "ssh-key/" + newId, key.fingerprint());
                return newId;
              });
      return list(p).stream().filter(k -> k.id() == id).findFirst().orElseThrow();
    } catch (RuntimeException e) {
      if (Constraints.isUniqueViolation(e)) {
        throw duplicate(key, null);
      }
      throw e;
    }
  }

  public List<SshKey> list(Principal p) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id, name, public_key, fingerprint, created_at FROM ssh_keys WHERE"
                        + " user_id = ? ORDER BY id")
                .bind(0, p.userId())
                .map(
                    (rs, ctx) -> {
                      String line = rs.getString("public_key");
                      return new SshKey(
                          rs.getLong("id"),
                          rs.getString("name"),
                          line.substring(0, line.indexOf(' ')),
                          rs.getString("fingerprint"),
                          line,
                          Instant.ofEpochMilli(rs.getLong("created_at")));
                    })
                .list());
  }

  /** Removes one of the caller's keys; someone else's key does not exist for them. */
  public void remove(Principal p, long id) {
    jdbi.useTransaction(
        h -> {
          int n =
              h.createUpdate("DELETE FROM ssh_keys WHERE id = ? AND user_id = ?")
                  .bind(0, id)
                  .bind(1, p.userId())
                  .execute();
          if (n == 0) {
            throw new NotFound("you have no SSH key with id " + id);
          }
          audit.record(h, p.email(), "ssh-key.remove", "ssh-key/" + id, null);
        });
  }

  private static Conflict duplicate(SshPublicKey key, Long id) {
    return new Conflict(
        SshPublicKey.FIELD,
        "you already added this key ("
            + key.fingerprint()
            + (id == null ? "" : ", id " + id)
            + ")");
  }
}
