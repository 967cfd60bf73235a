package io.archipelago.access;

import java.io.IOException;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * The operator token tests start coordinators with ({@value #OPERATOR_TOKEN}, set by {@value #PROPERTY}), and the
 * ways tests send it.
 */
public final class TestCredentials {

    /** The property that sets the operator token. */
    public static final String PROPERTY = "archipelago.security.operator-token";
    /** The operator token of every test coordinator. */
    public static final String OPERATOR_TOKEN = "test-operator";
    /** {@code Authorization} header value carrying the operator token. */
    public static final String OPERATOR = "Bearer " + OPERATOR_TOKEN;

    private TestCredentials() {
    }

    /** Every request of {@code http} carries the operator token (unless it sets its own Authorization). */
    public static TestRestTemplate asOperator(TestRestTemplate http) {
        http.getRestTemplate().getInterceptors().removeIf(OperatorHeader.class::isInstance);
        http.getRestTemplate().getInterceptors().add(new OperatorHeader());
        return http;
    }

    private static final class OperatorHeader implements ClientHttpRequestInterceptor {

        @Override
        public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
                throws IOException {
            if (!request.getHeaders().containsKey(HttpHeaders.AUTHORIZATION)) {
                request.getHeaders().set(HttpHeaders.AUTHORIZATION, OPERATOR);
            }
            return execution.execute(request, body);
        }
    }
}
