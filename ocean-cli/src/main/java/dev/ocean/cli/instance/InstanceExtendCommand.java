package dev.ocean.cli.instance;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.common.api.instance.InstanceExtend;
import dev.ocean.common.client.OceanClient;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ocean instance extend NAME [--hours H]}: keeps an idle instance from being stopped for H
 * hours from now (default: as long as the admin allows); more than the admin's cap is clamped to
 * it, and the answer says so on stderr.
 */
@Command(
    name = "extend",
    description =
        "Keep an idle instance from being stopped for a while (up to the admin's cap from now).")
public final class InstanceExtendCommand extends BaseCommand {
  @Parameters(paramLabel = "NAME", description = "Instance name.")
  String name;

  @Option(
      names = "--hours",
      paramLabel = "H",
      description = "Hours from now (default: the most the admin allows).")
  Integer hours;

  @Option(
      names = "--user",
      paramLabel = "EMAIL",
      description = "Admins: the instance of this user.")
  String user;

  @Override
  public Map<String, String> flagsByField() {
    return Map.of("hours", "--hours");
  }

  @Override
  public Integer call() {
    InstanceExtend.Result r =
        client()
            .post(
                "/instances/"
                    + OceanClient.segment(name)
                    + "/extend"
                    + (user == null ? "" : "?user=" + OceanClient.segment(user)),
                new InstanceExtend(hours),
                InstanceExtend.Result.class);
    print(r, InstanceExtend.Result::name, x -> info(x.message()));
    return 0;
  }
}
