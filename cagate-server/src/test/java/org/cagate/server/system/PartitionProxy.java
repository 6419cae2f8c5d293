package org.cagate.server.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on loopback between a node and its PostgreSQL that can lose every byte in both directions, as
 * a network partition does: connections stay open and nobody is told, statements and new connections just
 * get no answer. (A stopped database refuses at once; this is the other kind of outage.) Bytes lost during
 * the partition stay lost, so a connection that spoke meanwhile is unusable afterwards, as it would be.
 */
final class PartitionProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean partitioned;

    private PartitionProxy(int targetPort) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        daemon("partition-proxy-accept", this::accept);
    }

    /** A relay to {@code targetPort} on loopback, on a port of its own. */
    static PartitionProxy to(int targetPort) throws IOException {
        return new PartitionProxy(targetPort);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** From now on every byte either side sends is lost, until {@link #heal()}. */
    void partition() {
        partitioned = true;
    }

    void heal() {
        partitioned = false;
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                Socket database = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(database);
                daemon("partition-proxy-up", () -> relay(client, database));
                daemon("partition-proxy-down", () -> relay(database, client));
            } catch (IOException e) {
                closeQuietly(client); // the database refused: so is the client
            }
        }
    }

    private void relay(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (!partitioned) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // one side closed: close the other below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    @Override
    public void close() {
        closeQuietly(listener);
        sockets.forEach(PartitionProxy::closeQuietly);
    }

    private static void daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
