package io.archipelago.access;

import io.archipelago.exchange.ids.AccountId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * API keys mapped to accounts. A key is {@value #SCHEME} followed by 32 random bytes in base64url; only its SHA-256
 * is stored, beside its first {@value #PREFIX_LENGTH} characters, by which it is looked up and shown to its owner.
 * The hash is compared in constant time so that timing does not tell how much of a guessed key was right.
 *
 * <p>Every authentication reads PostgreSQL, nothing is cached: a revoked key is refused at once on every node.
 * When a key was last used is written at most once a minute per key and node, so that a busy key costs one read per
 * request, not a write.
 */
@Component
public final class ApiKeys {

    /** How every key begins. */
    public static final String SCHEME = "ak-";
    /** How many of a key's first characters name it. */
    public static final int PREFIX_LENGTH = 12;

    private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final int keysPerAccount;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> lastUseWritten = new ConcurrentHashMap<>();

    ApiKeys(JdbcClient jdbc, PlatformTransactionManager transactions,
            @Value("${archipelago.security.keys-per-account:20}") int keysPerAccount, Clock clock) {
        if (keysPerAccount < 1) {
            throw new IllegalArgumentException("archipelago.security.keys-per-account must be positive");
        }
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
        this.keysPerAccount = keysPerAccount;
        this.clock = clock;
    }

    /**
     * A new key for {@code account}: the only time the whole key is known to the exchange.
     *
     * @throws TooManyKeys when the account holds {@code archipelago.security.keys-per-account} keys not revoked:
     *     keys share the account's rate limit, and each one more is one more secret to lose
     */
    public IssuedKey issue(AccountId account) {
        for (int attempt = 1; ; attempt++) {
            try {
                return Objects.requireNonNull(transactions.execute(status -> issueOnce(account)));
            } catch (DuplicateKeyException prefixTaken) {
                // 54 random bits of prefix: a collision is rare, three in a row means something else is wrong
                if (attempt == 3) {
                    throw prefixTaken;
                }
            }
        }
    }

    private IssuedKey issueOnce(AccountId account) {
        // one issue at a time per account, on every node, so that the count below cannot be outrun
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('api_key:' || :account))")
                .param("account", account.value()).query(Object.class).single();
        long held = jdbc.sql("SELECT count(*) FROM api_key WHERE account_id = :account AND revoked_at IS NULL")
                .param("account", account.value()).query(Long.class).single();
        if (held >= keysPerAccount) {
            throw new TooManyKeys(account, keysPerAccount);
        }
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

    /** The key's account and prefix, if it is a key that was issued and not revoked. */
    Optional<Key> authenticate(String key) {
        if (!key.startsWith(SCHEME) || key.length() <= PREFIX_LENGTH) {
            return Optional.empty();
        }
        byte[] presented = sha256(key).getBytes(StandardCharsets.US_ASCII);
        String prefix = key.substring(0, PREFIX_LENGTH);
        Optional<Key> found = jdbc.sql("SELECT sha256, account_id FROM api_key "
                        + "WHERE prefix = :prefix AND revoked_at IS NULL")
                .param("prefix", prefix)
                .query((row, number) -> MessageDigest.isEqual(
                        row.getString("sha256").getBytes(StandardCharsets.US_ASCII), presented)
                        ? new Key(prefix, new AccountId(row.getString("account_id"))) : null)
                .optional();
        found.ifPresent(this::used);
        return found;
    }

    private void used(Key key) {
        Instant now = clock.instant();
        Instant written = lastUseWritten.get(key.prefix());
        if (written != null && written.plus(LAST_USED_PRECISION).isAfter(now)) {
            return;
        }
        lastUseWritten.put(key.prefix(), now);
        jdbc.sql("UPDATE api_key SET last_used_at = :at WHERE prefix = :prefix")
                .param("at", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .param("prefix", key.prefix())
                .update();
    }

    /** The keys of {@code account}, oldest first, revoked ones included; never their hashes. */
    List<KeyView> list(AccountId account) {
        return jdbc.sql("SELECT prefix, created_at, last_used_at, revoked_at FROM api_key "
                        + "WHERE account_id = :account ORDER BY created_at, prefix")
                .param("account", account.value())
                .query((row, number) -> new KeyView(row.getString("prefix"),
                        instant(row.getObject("created_at", OffsetDateTime.class)),
                        instant(row.getObject("last_used_at", OffsetDateTime.class)),
                        instant(row.getObject("revoked_at", OffsetDateTime.class))))
                .list();
    }

    /** Revokes the key {@code prefix} of {@code account}; false when it has no such key. Revoking twice is fine. */
    boolean revoke(AccountId account, String prefix) {
        jdbc.sql("UPDATE api_key SET revoked_at = :at WHERE prefix = :prefix AND account_id = :account "
                        + "AND revoked_at IS NULL")
                .param("at", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .param("prefix", prefix)
                .param("account", account.value())
                .update();
        return jdbc.sql("SELECT count(*) FROM api_key WHERE prefix = :prefix AND account_id = :account")
                .param("prefix", prefix)
                .param("account", account.value())
                .query(Long.class).single() > 0;
    }

    private static @Nullable Instant instant(@Nullable OffsetDateTime time) {
        return time == null ? null : time.toInstant();
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
    public record IssuedKey(String key, String prefix, String accountId) {
    }

    /** An authenticated key: its prefix (what its rate is counted by) and its account. */
    record Key(String prefix, AccountId account) {
    }

    /** A key as its owner sees it later: never the key, never its hash. */
    record KeyView(String prefix, Instant createdAt, @Nullable Instant lastUsedAt, @Nullable Instant revokedAt) {
    }

    /** The account holds as many keys as it may: revoke one first. */
    public static final class TooManyKeys extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooManyKeys(AccountId account, int most) {
            super("account " + account + " holds " + most + " keys that are not revoked, the most it may: revoke one"
                    + " (DELETE /accounts/" + account + "/keys/{prefix}) before issuing another");
        }
    }
}
