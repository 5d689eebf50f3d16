package dev.ocean.cli.admin;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.Group;
import dev.ocean.cli.base.Table;
import dev.ocean.common.api.PasswordReset;
import dev.ocean.common.api.User;
import dev.ocean.common.client.OceanClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "user",
    description = "List and manage accounts.",
    subcommands = {
      AdminUserCommand.ListUsers.class,
      AdminUserCommand.Create.class,
      AdminUserCommand.Activate.class,
      AdminUserCommand.Disable.class,
      AdminUserCommand.Promote.class,
      AdminUserCommand.Demote.class,
      AdminUserCommand.ResetPassword.class
    })
public final class AdminUserCommand extends Group {
  @Command(name = "list", description = "List all accounts.")
  public static final class ListUsers extends BaseCommand {
    @Override
    public Integer call() {
      List<User> users = client().get("/admin/users", new TypeReference<List<User>>() {});
      printList(
          users,
          User::email,
          us -> {
            Table t = new Table("ID", "EMAIL", "ROLE", "STATUS", "CREATED");
            for (User u : us) {
              t.row(u.id(), u.email(), u.role(), style().state(u.status()), time(u.createdAt()));
            }
            t.print(out(), style());
          });
      return 0;
    }
  }

  @Command(
      name = "create",
      description =
          "Create an account, active at once; its password is generated and printed once, or read"
              + " from standard input.")
  public static final class Create extends BaseCommand {
    @Parameters(paramLabel = "EMAIL", description = "The new account's email.")
    String email;

    @Option(names = "--admin", description = "Make the account an admin.")
    boolean admin;

    @Option(
        names = "--password-stdin",
        description = "Read the password from standard input instead of generating one.")
    boolean passwordStdin;

    @Override
    public Integer call() {
      var client = client();
      String chosen = passwordStdin ? readPassword(true, "") : null;
      User.Created c =
          client.post(
              "/admin/users",
              new User.Create(email, chosen, admin ? true : null),
              User.Created.class);
      print(
          c,
          x -> x.password() == null ? x.user().email() : x.password(),
          x -> {
            String what =
                x.user().email() + " (" + x.user().role() + ", " + x.user().status() + ")";
            if (x.password() != null) {
              out().println(x.password());
              info("Created " + what + "; its password is shown only this once.");
            } else {
              info("Created " + what + " with the password you gave.");
            }
          });
      return 0;
    }
  }

  /** The shared body of the per-account actions. */
  abstract static class Action extends BaseCommand {
    @Parameters(paramLabel = "EMAIL", description = "The account's email.")
    String email;

    abstract String action();

    @Override
    public Integer call() {
      User.Changed u =
          client()
              .post(
                  "/admin/users/" + OceanClient.segment(email) + "/" + action(),
                  null,
                  User.Changed.class);
      print(
          u,
          User.Changed::email,
          x -> info(x.email() + " is now " + x.role() + ", " + x.status() + taken(x) + "."));
      return 0;
    }

    /**
     * What disabling took off the cluster, e.g. "; cancelled 2 jobs (3 runs) and stopped 1
     * instance".
     */
    static String taken(User.Changed x) {
      User.Withdrawn w = x.withdrawn();
      if (w == null) {
        return "";
      }
      if (w.jobs() == 0 && w.instances() == 0) {
        return "; it had no jobs or instances to stop";
      }
      return "; cancelled "
          + count(w.jobs(), "job")
          + " ("
          + count(w.runs(), "run")
          + ") and stopped "
          + count(w.instances(), "instance");
    }

    private static String count(int n, String noun) {
      return n + " " + noun + (n == 1 ? "" : "s");
    }
  }

  @Command(name = "activate", description = "Let an account log in.")
  public static final class Activate extends Action {
    @Override
    String action() {
      return "activate";
    }
  }

  @Command(name = "disable", description = "Stop an account from logging in; revokes its tokens.")
  public static final class Disable extends Action {
    @Override
    String action() {
      return "disable";
    }
  }

  @Command(name = "promote", description = "Make an account an admin.")
  public static final class Promote extends Action {
    @Override
    String action() {
      return "promote";
    }
  }

  @Command(name = "demote", description = "Make an admin a plain user.")
  public static final class Demote extends Action {
    @Override
    String action() {
      return "demote";
    }
  }

  @Command(
      name = "reset-password",
      description =
          "Set a new password for an account (generated and printed once, or from standard input);"
              + " logs the account out everywhere.")
  public static final class ResetPassword extends BaseCommand {
    @Parameters(paramLabel = "EMAIL", description = "The account's email.")
    String email;

    @Option(
        names = "--password-stdin",
        description = "Read the new password from standard input instead of generating one.")
    boolean passwordStdin;

    @Override
    public Integer call() {
      var client = client();
      String chosen = passwordStdin ? readPassword(true, "") : null;
      PasswordReset r =
          client.put(
              "/admin/users/" + OceanClient.segment(email) + "/password",
              new PasswordReset(null, chosen),
              PasswordReset.class);
      print(
          r,
          x -> x.password() == null ? x.email() : x.password(),
          x -> {
            if (x.password() != null) {
              out().println(x.password());
              info(
                  "New password for "
                      + x.email()
                      + " (shown only this once); all of its sessions were logged out.");
            } else {
              info("Password of " + x.email() + " set; all of its sessions were logged out.");
            }
          });
      return 0;
    }
  }
}
