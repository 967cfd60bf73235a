package io.archipelago.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on 127.0.0.1 that holds every byte for a fixed delay in each direction before passing it on, in
 * order: an Island that reaches NATS through it is, as far as round trips can tell, that much farther away. This
 * kernel has no {@code tc netem}, so distance is made in user space; the demo uses it to put its Islands at
 * different distances, the tests to show that placement follows measured round-trip time.
 */
public final class DelayingProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DelayingProxy.class);

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final long delayNanos;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** Listens on a free loopback port and forwards to {@code target} with {@code delay} each way. */
    public DelayingProxy(InetSocketAddress target, Duration delay) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = target;
        this.delayNanos = delay.toNanos();
        daemon("proxy-accept-" + port(), this::accept).start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** The NATS URL that reaches {@code target} through this proxy. */
    public String natsUrl() {
        return "nats://127.0.0.1:" + port();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                pipe(client, server);
                pipe(server, client);
            } catch (IOException failed) {
                if (!closed) {
                    LOG.warn("proxy to {} could not connect: {}", target, failed.toString());
                }
            }
        }
    }

    /** One reader and one writer per direction; the queue keeps order, the writer waits out each piece's delay. */
    private void pipe(Socket from, Socket to) {
        BlockingQueue<Piece> queue = new LinkedBlockingQueue<>();
        daemon("proxy-read", () -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    queue.add(new Piece(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, read)));
                }
            } catch (IOException closedOrReset) {
                // the connection ended; the writer ends on the marker below
            }
            queue.add(new Piece(System.nanoTime() + delayNanos, null));
        }).start();
        daemon("proxy-write", () -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Piece piece = queue.take();
                    long wait = piece.dueNanos - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (piece.bytes == null) {
                        to.shutdownOutput();
                        return;
                    }
                    out.write(piece.bytes);
                    out.flush();
                }
            } catch (IOException | InterruptedException ended) {
                closeQuietly(from);
                closeQuietly(to);
            }
        }).start();
    }

    private record Piece(long dueNanos, byte @Nullable [] bytes) {
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException alreadyClosed) {
            // nothing left to release
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException alreadyClosed) {
            // nothing left to release
        }
        sockets.forEach(DelayingProxy::closeQuietly);
    }
}
