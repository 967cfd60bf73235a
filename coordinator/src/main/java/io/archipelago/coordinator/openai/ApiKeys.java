package io.archipelago.coordinator.openai;

import io.archipelago.exchange.account.api.AccountId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * API keys mapped to accounts. A key is {@value #SCHEME} followed by 32 random bytes in base64url; only its SHA-256
 * is stored, beside its first {@value #PREFIX_LENGTH} characters, by which it is looked up and shown to its owner.
 * The hash is compared in constant time so that timing does not tell how much of a guessed key was right.
 */
@Component
final class ApiKeys {

    static final String SCHEME = "ak-";
    static final int PREFIX_LENGTH = 12;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    ApiKeys(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A new key for {@code account}: the only time the whole key is known to the exchange. */
    IssuedKey issue(AccountId account) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String key = SCHEME + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String prefix = key.substring(0, PREFIX_LENGTH);
        jdbc.sql("INSERT INTO api_key (prefix, sha256, account_id, created_at) VALUES (:prefix, :hash, :account, :at)")
                .param("prefix", prefix)
                .param("hash", sha256(key))
                .param("account", account.value())
                .param("at", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .update();
        return new IssuedKey(key, prefix, account.value());
    }

    /** The account whose key this is, if it is one. */
    Optional<AccountId> authenticate(String key) {
        if (!key.startsWith(SCHEME) || key.length() <= PREFIX_LENGTH) {
            return Optional.empty();
        }
        byte[] presented = sha256(key).getBytes(StandardCharsets.US_ASCII);
        return jdbc.sql("SELECT sha256, account_id FROM api_key WHERE prefix = :prefix")
                .param("prefix", key.substring(0, PREFIX_LENGTH))
                .query((row, number) -> MessageDigest.isEqual(
                        row.getString("sha256").getBytes(StandardCharsets.US_ASCII), presented)
                        ? new AccountId(row.getString("account_id")) : null)
                .optional();
    }

    /** The key's SHA-256 in hex. */
    private static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java platform has SHA-256", impossible);
        }
    }

    /** A key as issued: {@code key} is shown once; {@code prefix} names it afterwards. */
    record IssuedKey(String key, String prefix, String accountId) {
    }
}
