package dev.ocean.agent.runtime.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class HostLoopbackTest {
  @Test
  void loopbackServerUrlsLeadToTheHostsLoopbackFromTheContainer() {
    assertEquals("http://10.0.2.2:8080", HostLoopback.rewrite("http://127.0.0.1:8080"));
    assertEquals("https://10.0.2.2:8443/", HostLoopback.rewrite("https://localhost:8443/"));
    assertEquals(
        "http://10.0.2.2:1,https://ocean.example.org",
        HostLoopback.rewrite("http://[::1]:1,https://ocean.example.org"));
  }

  @Test
  void urlsOtherMachinesCanReachStayAsTheyAre() {
    assertNull(HostLoopback.rewrite("https://ocean.example.org"));
    assertNull(HostLoopback.rewrite("http://10.1.2.3:7070"));
  }
}
