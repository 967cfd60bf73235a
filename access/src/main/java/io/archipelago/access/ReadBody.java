package io.archipelago.access;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A request whose body was read whole by the access filter, before any controller: at most a set number of bytes,
 * counted as they arrive (a {@code Content-Length} may lie or be absent, as with chunked bodies). The controller then
 * reads the same bytes again.
 */
final class ReadBody extends HttpServletRequestWrapper {

    private final byte[] body;

    private ReadBody(HttpServletRequest request, byte[] body) {
        super(request);
        this.body = body;
    }

    /**
     * The request with its body read whole within {@code limits}.
     *
     * @throws Refused when the body is longer than the limit (the rest is left unread) or is still arriving when its
     *     read timeout is up; a socket read that times out on the way counts as slow
     */
    static ReadBody read(HttpServletRequest request, BodyLimits limits) throws Refused {
        long maxBytes = limits.maxBytes();
        if (request.getContentLengthLong() > maxBytes) {
            throw new Refused(Refusal.tooLarge(maxBytes));
        }
        long deadline = System.nanoTime() + limits.readTimeout().toNanos();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            InputStream in = request.getInputStream();
            for (int read = in.read(chunk); read >= 0; read = in.read(chunk)) {
                body.write(chunk, 0, read);
                if (body.size() > maxBytes) {
                    throw new Refused(Refusal.tooLarge(maxBytes));
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new Refused(Refusal.tooSlow(limits.readTimeout()));
                }
            }
        } catch (IOException stalled) {
            throw new Refused(Refusal.tooSlow(limits.readTimeout()));
        }
        return new ReadBody(request, body.toByteArray());
    }

    /** A body refused while it was read; the connection is closed after the answer, its rest unread. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        private final transient Refusal refusal;

        Refused(Refusal refusal) {
            super(refusal.message(), null, false, false);
            this.refusal = refusal;
        }

        Refusal refusal() {
            return refusal;
        }
    }

    /** Whether a request carries a body at all. */
    static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    byte[] body() {
        return body;
    }

    @Override
    public ServletInputStream getInputStream() {
        ByteArrayInputStream bytes = new ByteArrayInputStream(body);
        return new ServletInputStream() {
            @Override
            public boolean isFinished() {
                return bytes.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                // the whole body is here already: it is available at once and then all read
                try {
                    listener.onDataAvailable();
                    listener.onAllDataRead();
                } catch (IOException failed) {
                    listener.onError(failed);
                }
            }

            @Override
            public int read() {
                return bytes.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                return bytes.read(buffer, offset, length);
            }
        };
    }

    @Override
    public BufferedReader getReader() {
        String encoding = getCharacterEncoding();
        Charset charset = encoding != null && Charset.isSupported(encoding) ? Charset.forName(encoding)
                : StandardCharsets.UTF_8;
        return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }

    @Override
    public int getContentLength() {
        return body.length;
    }

    @Override
    public long getContentLengthLong() {
        return body.length;
    }
}
