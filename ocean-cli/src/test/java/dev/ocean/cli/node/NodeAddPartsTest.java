package dev.ocean.cli.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.cli.base.CliException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The parts of {@code ocean node add} that need no host: default node names and progress. */
class NodeAddPartsTest {
  @Test
  void hostNameBecomesANodeName() {
    assertEquals("gpu-01", HostChecks.nodeName("GPU-01.lab.example.com\n", "10.0.0.5"));
    assertEquals("dgx-a", HostChecks.nodeName("dgx_a", "dgx"));
  }

  @Test
  void hostNameThatCannotBeANodeNameAsksForName() {
    CliException e = assertThrows(CliException.class, () -> HostChecks.nodeName("___", "10.0.0.5"));
    assertTrue(e.getMessage().contains("pass --name N"), e.getMessage());
  }

  @Test
  void terminalGetsABarRedrawnInPlaceEndingWithANewLine() {
    StringWriter err = new StringWriter();
    Progress p = new Progress(new PrintWriter(err), true, false, "Uploading", 2 << 20);
    p.accept(1 << 20);
    p.accept(2 << 20);
    String shown = err.toString();
    assertTrue(shown.startsWith("\rUploading ["), shown);
    assertTrue(shown.endsWith("] 100% 2.0 MiB/2.0 MiB" + System.lineSeparator()), shown);
  }

  @Test
  void pipeGetsOnePlainLine() {
    StringWriter err = new StringWriter();
    Progress p = new Progress(new PrintWriter(err), false, false, "Uploading", 2 << 20);
    p.accept(1 << 20);
    p.accept(2 << 20);
    assertEquals("Uploading (2.0 MiB)..." + System.lineSeparator(), err.toString());
    assertFalse(err.toString().contains("\r"));
  }
}
