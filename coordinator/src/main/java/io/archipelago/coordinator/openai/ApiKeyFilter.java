package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.exchange.account.api.AccountId;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every request under {@code /v1/} or {@code /batches} carries {@code Authorization: Bearer <key>}; the key's account
 * is left on the request as {@value #ACCOUNT}. Others are answered 401 in OpenAI's error shape.
 */
@Component
final class ApiKeyFilter extends OncePerRequestFilter {

    static final String ACCOUNT = "archipelago.account";
    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;
    private final ObjectMapper json;

    ApiKeyFilter(ApiKeys keys, ObjectMapper json) {
        this.keys = keys;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !path.startsWith("/v1/") && !path.equals("/batches") && !path.startsWith("/batches/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader("Authorization");
        Optional<AccountId> account = authorization != null && authorization.startsWith(BEARER)
                ? keys.authenticate(authorization.substring(BEARER.length()).trim())
                : Optional.empty();
        if (account.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setHeader("WWW-Authenticate", "Bearer");
            json.writeValue(response.getOutputStream(), OpenAiError.of(authorization == null
                            ? "no API key: send Authorization: Bearer <key>" : "incorrect API key provided",
                    "invalid_request_error", "invalid_api_key"));
            return;
        }
        request.setAttribute(ACCOUNT, account.get());
        chain.doFilter(request, response);
    }
}
