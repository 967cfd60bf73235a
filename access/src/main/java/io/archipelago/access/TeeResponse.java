package io.archipelago.access;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A response that keeps a copy of what it sends, for the idempotency key it answers: every body byte as it is
 * written (a stream written later, asynchronously, included), up to a bound beyond which the copy is dropped, and
 * whether the client went away while it was written.
 */
final class TeeResponse extends HttpServletResponseWrapper {

    private final int maxBytes;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();
    private @Nullable ServletOutputStream stream;
    private @Nullable PrintWriter writer;
    private volatile boolean overflowed;
    private volatile boolean clientGone;

    TeeResponse(HttpServletResponse response, int maxBytes) {
        super(response);
        this.maxBytes = maxBytes;
    }

    /** The body sent so far, or null when it grew beyond the bound. */
    synchronized byte @Nullable [] body() {
        return overflowed ? null : copy.toByteArray();
    }

    /** Whether writing to the client failed: its connection closed before the answer was whole. */
    boolean clientGone() {
        return clientGone;
    }

    /** The headers a retry must see again: the exchange's own, where a created thing is, how to cache and retry. */
    Map<String, String> keptHeaders() {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : getHeaderNames()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-archipelago-") || lower.equals("location") || lower.equals("cache-control")
                    || lower.equals("retry-after")) {
                String value = getHeader(name);
                if (value != null) {
                    kept.put(name, value);
                }
            }
        }
        return kept;
    }

    private synchronized void keep(byte[] bytes, int offset, int length) {
        if (overflowed) {
            return;
        }
        if (copy.size() + (long) length > maxBytes) {
            overflowed = true;
            copy.reset();
            return;
        }
        copy.write(bytes, offset, length);
    }

    @Override
    public synchronized ServletOutputStream getOutputStream() throws IOException {
        if (stream == null) {
            stream = new Tee(super.getOutputStream());
        }
        return stream;
    }

    @Override
    public synchronized PrintWriter getWriter() throws IOException {
        if (writer == null) {
            String encoding = getCharacterEncoding();
            Charset charset = encoding != null && Charset.isSupported(encoding) ? Charset.forName(encoding)
                    : StandardCharsets.ISO_8859_1;
            writer = new PrintWriter(new OutputStreamWriter(getOutputStream(), charset));
        }
        return writer;
    }

    @Override
    public void flushBuffer() throws IOException {
        if (writer != null) {
            writer.flush();
        }
        super.flushBuffer();
    }

    @Override
    public synchronized void reset() {
        super.reset();
        copy.reset();
        overflowed = false;
    }

    @Override
    public synchronized void resetBuffer() {
        super.resetBuffer();
        copy.reset();
        overflowed = false;
    }

    /** Writes through to the client and into the copy; a failed write marks the client gone. */
    private final class Tee extends ServletOutputStream {

        private final ServletOutputStream client;

        Tee(ServletOutputStream client) {
            this.client = client;
        }

        @Override
        public void write(int b) throws IOException {
            keep(new byte[] {(byte) b}, 0, 1);
            try {
                client.write(b);
            } catch (IOException gone) {
                clientGone = true;
                throw gone;
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            keep(bytes, offset, length);
            try {
                client.write(bytes, offset, length);
            } catch (IOException gone) {
                clientGone = true;
                throw gone;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                client.flush();
            } catch (IOException gone) {
                clientGone = true;
                throw gone;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                client.close();
            } catch (IOException gone) {
                clientGone = true;
                throw gone;
            }
        }

        @Override
        public boolean isReady() {
            return client.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            client.setWriteListener(listener);
        }
    }
}
