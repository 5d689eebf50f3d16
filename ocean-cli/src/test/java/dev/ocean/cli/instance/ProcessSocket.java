package dev.ocean.cli.instance;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.SocketFactory;

/**
 * A "socket" that is a process's stdin and stdout, so an SSH client speaks through {@code ocean
 * instance proxy} exactly as ssh does with a {@code ProxyCommand}.
 */
final class ProcessSocket extends Socket {
  private final Process process;

  ProcessSocket(Process process) {
    this.process = process;
  }

  /** A factory whose every socket is this process's streams. */
  static SocketFactory factory(Process process) {
    return new SocketFactory() {
      @Override
      public Socket createSocket() {
        return new ProcessSocket(process);
      }

      @Override
      public Socket createSocket(String host, int port) {
        return createSocket();
      }

      @Override
      public Socket createSocket(String host, int port, InetAddress local, int localPort) {
        return createSocket();
      }

      @Override
      public Socket createSocket(InetAddress host, int port) {
        return createSocket();
      }

      @Override
      public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) {
        return createSocket();
      }
    };
  }

  @Override
  public void connect(SocketAddress endpoint) {}

  @Override
  public void connect(SocketAddress endpoint, int timeout) {}

  @Override
  public boolean isConnected() {
    return true;
  }

  @Override
  public InputStream getInputStream() {
    return process.getInputStream();
  }

  @Override
  public OutputStream getOutputStream() {
    return process.getOutputStream();
  }

  @Override
  public InetAddress getInetAddress() {
    return InetAddress.getLoopbackAddress();
  }

  @Override
  public int getPort() {
    return 22;
  }

  @Override
  public void setSoTimeout(int timeout) {}

  @Override
  public synchronized void close() throws java.io.IOException {
    process.getOutputStream().close();
  }
}
