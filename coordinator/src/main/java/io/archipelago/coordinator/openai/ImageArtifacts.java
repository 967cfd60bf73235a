package io.archipelago.coordinator.openai;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The images jobs produced, kept in PostgreSQL ({@code image_artifact}) under their job and index with their
 * SHA-256, and the URLs that reach them: {@code /v1/images/files/{jobId}/{index}.png?expires=E&signature=S}, where
 * S is the HMAC-SHA256 of job, index and expiry (epoch seconds) under {@code archipelago.images.url-secret}, so a URL
 * needs no key to fetch but cannot be forged, altered or used after E. URLs live
 * {@code archipelago.images.url-ttl} (1 h), images {@code archipelago.images.retention} (24 h); an image is at most
 * {@code archipelago.images.max-bytes} (4 MiB). Without a configured secret each start draws one, so URLs die with
 * the node: several nodes share one secret.
 */
@Component
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
final class ImageArtifacts {

    static final String PATH = "/v1/images/files/";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration urlTtl;
    private final Duration retention;
    private final long maxBytes;
    private final SecretKeySpec secret;

    /** One image as stored. */
    record Stored(String jobId, int index, String sha256, String contentType, byte[] bytes) {
    }

    ImageArtifacts(JdbcClient jdbc, Clock clock,
                   @Value("${archipelago.images.url-ttl:1h}") Duration urlTtl,
                   @Value("${archipelago.images.retention:24h}") Duration retention,
                   @Value("${archipelago.images.max-bytes:4194304}") long maxBytes,
                   @Value("${archipelago.images.url-secret:}") String urlSecret) {
        if (urlTtl.isNegative() || urlTtl.isZero() || retention.compareTo(urlTtl) < 0 || maxBytes < 1) {
            throw new IllegalArgumentException("archipelago.images needs a positive url-ttl, a retention at least as"
                    + " long and a positive max-bytes");
        }
        this.jdbc = jdbc;
        this.clock = clock;
        this.urlTtl = urlTtl;
        this.retention = retention;
        this.maxBytes = maxBytes;
        byte[] key = urlSecret.isEmpty() ? new SecureRandom().generateSeed(32)
                : urlSecret.getBytes(StandardCharsets.UTF_8);
        this.secret = new SecretKeySpec(key, "HmacSHA256");
    }

    /** The largest image kept, in bytes. */
    long maxBytes() {
        return maxBytes;
    }

    /** Keeps image {@code index} of job {@code jobId}; the same job and index again keeps the first. */
    void keep(String jobId, int index, String account, String cargo, String sha256, String contentType,
              byte[] bytes) {
        Instant now = clock.instant();
        jdbc.sql("DELETE FROM image_artifact WHERE expires_at < :now").param("now", Timestamp.from(now)).update();
        jdbc.sql("INSERT INTO image_artifact (job_id, image_index, account_id, cargo, sha256, content_type, "
                        + "size_bytes, bytes, created_at, expires_at) VALUES (:job, :index, :account, :cargo, :sha, "
                        + ":type, :size, :bytes, :now, :expires) ON CONFLICT (job_id, image_index) DO NOTHING")
                .param("job", jobId).param("index", index).param("account", account).param("cargo", cargo)
                .param("sha", sha256).param("type", contentType).param("size", bytes.length).param("bytes", bytes)
                .param("now", Timestamp.from(now)).param("expires", Timestamp.from(now.plus(retention))).update();
    }

    /** The path and query of a URL to image {@code index} of {@code jobId}, valid for the URL time to live. */
    String signedPath(String jobId, int index) {
        long expires = clock.instant().plus(urlTtl).getEpochSecond();
        return PATH + jobId + "/" + index + ".png?expires=" + expires + "&signature=" + sign(jobId, index, expires);
    }

    /**
     * The image a signed URL names.
     *
     * @throws OpenAiException 403 {@code url_expired} past its expiry, 403 {@code invalid_signature} when the
     *                         signature is not this exchange's for that image and expiry, 404 when it is gone
     */
    Stored open(String jobId, int index, long expires, String signature) {
        byte[] expected = sign(jobId, index, expires).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            throw invalidSignature();
        }
        if (clock.instant().getEpochSecond() >= expires) {
            throw new OpenAiException(HttpStatus.FORBIDDEN, "invalid_request_error", "url_expired",
                    "the URL expired at " + Instant.ofEpochSecond(expires) + ": generate the image again, or ask for "
                            + "b64_json");
        }
        return find(jobId, index).orElseThrow(() -> new OpenAiException(HttpStatus.NOT_FOUND,
                "invalid_request_error", "image_not_found", "the image is no longer kept"));
    }

    static OpenAiException invalidSignature() {
        return new OpenAiException(HttpStatus.FORBIDDEN, "invalid_request_error", "invalid_signature",
                "the URL's signature is not valid for this image and expiry");
    }

    Optional<Stored> find(String jobId, int index) {
        return jdbc.sql("SELECT sha256, content_type, bytes FROM image_artifact WHERE job_id = :job AND "
                        + "image_index = :index AND expires_at >= :now")
                .param("job", jobId).param("index", index).param("now", Timestamp.from(clock.instant()))
                .query((row, n) -> new Stored(jobId, index, row.getString("sha256"), row.getString("content_type"),
                        row.getBytes("bytes")))
                .optional();
    }

    private String sign(String jobId, int index, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            byte[] tag = mac.doFinal((jobId + "\n" + index + "\n" + expires).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
