package io.archipelago.access;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's error report for what never reaches the application (a malformed request line or URI, headers over the
 * limit, a method Tomcat does not serve) or fails without a body, written in the API's error shape instead of
 * Tomcat's HTML page: OpenAI's under {@code /v1}, RFC 7807 elsewhere. Installed as the host's error report valve, so
 * it reports exactly what Tomcat's own would have.
 */
public final class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean writable = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, writable);
        if (!writable.get()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String uri = request.getRequestURI() == null ? "" : request.getRequestURI();
        // 501 is a method Tomcat does not serve (CONNECT, TRACE): the caller's to change, as for any 4xx
        boolean failed = status >= 500 && status != 501;
        String detail = failed ? "the exchange could not answer this request: " + title.toLowerCase()
                : "the request was refused before it reached the exchange: " + title.toLowerCase();
        String body;
        if (uri.equals("/v1") || uri.startsWith("/v1/")) {
            response.setContentType("application/json");
            String type = failed ? "server_error" : "invalid_request_error";
            body = "{\"error\":{\"message\":" + quote(detail) + ",\"type\":" + quote(type) + ",\"code\":"
                    + quote(title.toLowerCase().replace(' ', '_')) + "}}";
        } else {
            response.setContentType("application/problem+json");
            body = "{\"type\":\"about:blank\",\"title\":" + quote(title) + ",\"status\":" + status + ",\"detail\":"
                    + quote(detail) + "}";
        }
        response.setCharacterEncoding("UTF-8");
        try {
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException gone) {
            // the client is gone or the response was taken over: nothing more to say
        }
    }

    /** {@code text} as a JSON string; it is one of the fixed phrases above, so only quotes need escaping. */
    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
