package io.namesmanager.frontend;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A TCP relay in front of a server that keeps every byte sent to it: what reached the server's door, whatever the
 * server made of it. Connections are relayed on virtual threads until either side closes.
 */
final class RecordingRelay implements AutoCloseable {
    private final ServerSocket socket;
    private final InetSocketAddress target;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    private RecordingRelay(ServerSocket socket, InetSocketAddress target) {
        this.socket = socket;
        this.target = target;
    }

    /** Relays 127.0.0.1:(a free port) to the server at URL. */
    static RecordingRelay to(String url) throws IOException {
        URI uri = URI.create(url);
        RecordingRelay relay = new RecordingRelay(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                                                  new InetSocketAddress(uri.getHost(), uri.getPort()));
        Thread.ofVirtual().name("relay-accept").start(relay::accept);
        return relay;
    }

    String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /** Everything sent to the server so far, as text. */
    String received() {
        synchronized (received) {
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                Thread.ofVirtual().start(() -> pipe(client, server, true));
                Thread.ofVirtual().start(() -> pipe(server, client, false));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pipe(Socket from, Socket to, boolean record) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (record) {
                    synchronized (received) {
                        received.write(buffer, 0, n);
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed: close both below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
