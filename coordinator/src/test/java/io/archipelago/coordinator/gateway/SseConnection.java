package io.archipelago.coordinator.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One keep-alive HTTP/1.1 connection on a plain socket that posts a streamed chat completion and reads the raw bytes
 * of its chunked SSE answer, noting when the first content delta arrived. No HTTP library, no SSE parser, no JSON:
 * what the client adds to a measured time is a socket read and a byte search.
 */
final class SseConnection implements AutoCloseable {

    /** The first chunk names the role with an empty content; a content delta starts like this. */
    private static final byte[] CONTENT = "\"delta\":{\"content\":".getBytes(StandardCharsets.US_ASCII);
    /** The last chunk of a chunked body; the SSE data never holds CR LF, so it cannot occur earlier. */
    private static final byte[] LAST_CHUNK = "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEADERS_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final URI base;
    private final String key;
    private @Nullable Socket socket;
    private byte[] buffer = new byte[16 * 1024];

    SseConnection(URI base, String key) throws IOException {
        this.base = base;
        this.key = key;
        connect();
    }

    /**
     * Posts {@code body} to {@code /v1/chat/completions} and reads the whole answer.
     *
     * @return when it was sent, when the first content delta was read, and whether it ended with {@code [DONE]}
     */
    Exchange post(String body) throws IOException {
        if (socket == null) {
            connect();
        }
        byte[] json = body.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST /v1/chat/completions HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nAuthorization: Bearer " + key + "\r\nContent-Type: application/json\r\n"
                + "Accept: text/event-stream\r\nContent-Length: " + json.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(head, head.length + json.length);
        System.arraycopy(json, 0, request, head.length, json.length);
        Socket open = socket;
        OutputStream out = open.getOutputStream();
        InputStream in = open.getInputStream();
        long sent = System.nanoTime();
        out.write(request);
        out.flush();
        int length = 0;
        int headersEnd = -1;
        int status = 0;
        long firstContent = 0;
        while (true) {
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            int read = in.read(buffer, length, buffer.length - length);
            long now = System.nanoTime();
            if (read < 0) {
                close();
                return new Exchange(sent, firstContent, now, status, false);
            }
            int from = Math.max(0, length - LAST_CHUNK.length);
            length += read;
            if (headersEnd < 0) {
                headersEnd = indexOf(buffer, length, HEADERS_END, 0);
                if (headersEnd < 0) {
                    continue;
                }
                status = Integer.parseInt(new String(buffer, 9, 3, StandardCharsets.US_ASCII));
                if (status != 200) {
                    // an error answer has a length, not chunks: this connection is not worth reading on
                    close();
                    return new Exchange(sent, 0, now, status, false);
                }
                from = headersEnd;
            }
            if (firstContent == 0 && indexOf(buffer, length, CONTENT, Math.max(headersEnd, from - CONTENT.length))
                    >= 0) {
                firstContent = now;
            }
            if (indexOf(buffer, length, LAST_CHUNK, Math.max(headersEnd, from)) >= 0) {
                boolean done = indexOf(buffer, length, DONE, headersEnd) >= 0;
                if (indexOf(buffer, headersEnd, "Connection: close".getBytes(StandardCharsets.US_ASCII), 0) >= 0) {
                    close();
                }
                return new Exchange(sent, firstContent, now, status, done);
            }
        }
    }

    private void connect() throws IOException {
        Socket opened = new Socket();
        opened.setTcpNoDelay(true);
        opened.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
        opened.setSoTimeout(30_000);
        socket = opened;
    }

    private static int indexOf(byte[] haystack, int length, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }

    /**
     * One request's times on {@link System#nanoTime()}: {@code firstContent} is 0 when no content delta came;
     * {@code ended} is when the answer's last byte was read.
     */
    record Exchange(long sent, long firstContent, long ended, int status, boolean done) {

        boolean succeeded() {
            return status == 200 && done && firstContent != 0;
        }
    }
}
