package dev.ocean.common.client;

import java.io.IOException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** Sends a request to the server in use and, when it is gone or fails, to the others in turn. */
final class Failover {
  private Failover() {}

  /**
   * Sends {@code request}; when its server cannot be reached or fails (HTTP 5xx) and the client
   * knows other servers of the cluster, sends it to each of them in turn. A request that never
   * reached a server is safe to send again; a 5xx is answered before anything is committed. A
   * server that took the request and did not answer in time may have carried it out: a GET goes to
   * the next server all the same, anything else is not sent again and the error says so.
   */
  static Response execute(OkHttpClient http, ServerList servers, Request request) {
    String base = servers.current();
    boolean allGone = true;
    boolean repeatable = request.method().equals("GET") || request.method().equals("HEAD");
    for (int tried = 1; ; tried++) {
      boolean more = tried < servers.size();
      Response response;
      try {
        response = executeOnce(http, request, base);
      } catch (OceanClientException e) {
        Throwable why = e.getCause();
        boolean slow = !ServerList.gone(why) && ServerList.timedOut(why);
        boolean gone = ServerList.gone(why) || slow && repeatable;
        if (more && slow && !repeatable) {
          throw FailureSentences.notResent(e, base);
        }
        if (!more && gone && allGone && servers.size() > 1) {
          throw noneAnswered(servers, e);
        }
        if (!more || !gone) {
          throw e;
        }
        request = servers.moveOn(request, base);
        base = servers.current();
        continue;
      }
      if (!more || response.code() < 500) {
        return response;
      }
      allGone = false;
      response.close();
      request = servers.moveOn(request, base);
      base = servers.current();
    }
  }

  /**
   * The error when no server of several could be reached: it names every address tried, not only
   * the last (qa8 Q4), with the last failure's reason.
   */
  private static OceanClientException noneAnswered(ServerList servers, OceanClientException last) {
    return FailureSentences.noneAnswered(servers.all(), last);
  }

  private static Response executeOnce(OkHttpClient http, Request request, String baseUrl) {
    try {
      return http.newCall(request).execute();
    } catch (IOException e) {
      throw FailureSentences.unanswered(e, request, baseUrl);
    }
  }
}
