package io.archipelago.coordinator.readside;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** What the read-side tests share about starting coordinators. */
final class ReadSideNodes {

    private ReadSideNodes() {
    }

    /** A free port, so that a restarted coordinator finds its embedded PostgreSQL where it left it. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }
}
