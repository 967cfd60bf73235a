package io.archipelago.coordinator.database;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Where the coordinator's PostgreSQL is and who it logs in as.
 *
 * @param jdbcUrl  a {@code jdbc:postgresql://} URL
 * @param username the role to log in as; null when the URL carries it
 * @param password the role's password; null when none is needed or the URL carries it
 */
record DatabaseEndpoint(String jdbcUrl, @Nullable String username, @Nullable String password) {

    private static final String JDBC_PREFIX = "jdbc:postgresql://";

    DatabaseEndpoint {
        if (!jdbcUrl.startsWith(JDBC_PREFIX)) {
            throw new IllegalArgumentException("a database endpoint is a " + JDBC_PREFIX + " URL, got " + jdbcUrl);
        }
    }

    /**
     * Reads a {@code DATABASE_URL} as hosting platforms hand it out, {@code postgresql://user:pass@host:5432/db}
     * (or {@code postgres://}), or as a {@code jdbc:postgresql://} URL. An explicit {@code user} or
     * {@code password} (from {@code DATABASE_USER} / {@code DATABASE_PASSWORD}) wins over the URL's user info.
     */
    static DatabaseEndpoint fromUrl(String url, @Nullable String user, @Nullable String password) {
        String trimmed = url.trim();
        if (trimmed.startsWith(JDBC_PREFIX)) {
            return new DatabaseEndpoint(trimmed, blankToNull(user), blankToNull(password));
        }
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException malformed) {
            throw new IllegalArgumentException("DATABASE_URL is not a URL: " + redacted(trimmed), malformed);
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new IllegalArgumentException("DATABASE_URL is postgresql://user:password@host:port/database or "
                    + "jdbc:postgresql://..., got " + redacted(trimmed));
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("DATABASE_URL names no host: " + redacted(trimmed));
        }
        String urlUser = null;
        String urlPassword = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            urlUser = decode(parts[0]);
            urlPassword = parts.length > 1 ? decode(parts[1]) : null;
        }
        StringBuilder jdbc = new StringBuilder(JDBC_PREFIX).append(uri.getHost());
        if (uri.getPort() != -1) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        return new DatabaseEndpoint(jdbc.toString(),
                blankToNull(user) != null ? user : blankToNull(urlUser),
                blankToNull(password) != null ? password : urlPassword);
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** The URL without its password, for error messages and logs. */
    static String redacted(String url) {
        return url.replaceAll("://([^:/@]*):[^@/]*@", "://$1:***@");
    }

    @Override
    public String toString() {
        return "DatabaseEndpoint[" + redacted(jdbcUrl) + ", user " + username + "]";
    }
}
