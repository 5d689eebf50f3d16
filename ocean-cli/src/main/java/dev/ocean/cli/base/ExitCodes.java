package dev.ocean.cli.base;

import dev.ocean.common.client.OceanApiException;

/** The exit codes of the command-line contract (PRODUCT.md §4), mapped in this one place. */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int ERROR = 1;
  public static final int USAGE = 2;
  public static final int NOT_FOUND = 3;
  public static final int FORBIDDEN = 4;
  public static final int CONFLICT = 5;

  private ExitCodes() {}

  /** The exit code for an error the server answered with. */
  public static int forStatus(int status) {
    return switch (status) {
      case 400, 413, 422 -> USAGE; // 413: too much input, like a file of too many jobs
      case 401, 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 409 -> CONFLICT;
      default -> ERROR;
    };
  }

  public static int of(Throwable e) {
    if (e instanceof CliException c) {
      return c.exitCode();
    }
    if (e instanceof OceanApiException api) {
      return forStatus(api.status());
    }
    return ERROR;
  }
}
