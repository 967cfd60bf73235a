package io.archipelago.coordinator.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The cache's tables in PostgreSQL: {@code inference_cache} (the answers), {@code inference_cache_lookup} (misses and
 * bypasses counted per account) and {@code inference_cache_preference}. Each statement commits on its own.
 */
final class CacheEntries {

    private static final TypeReference<List<String>> CHUNKS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    CacheEntries(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The account's answer to the request {@code key}, if one was kept after {@code notBefore}. */
    Optional<CachedAnswer> find(String account, String key, Instant notBefore) {
        return jdbc.sql(SELECT + "WHERE account_id = :account AND request_key = :key AND created_at >= :notBefore")
                .param("account", account).param("key", key).param("notBefore", utc(notBefore))
                .query((row, number) -> answer(row)).optional();
    }

    /** The account's answer {@code id}, if it was kept after {@code notBefore}. */
    Optional<CachedAnswer> find(String account, long id, Instant notBefore) {
        return jdbc.sql(SELECT + "WHERE id = :id AND account_id = :account AND created_at >= :notBefore")
                .param("id", id).param("account", account).param("notBefore", utc(notBefore))
                .query((row, number) -> answer(row)).optional();
    }

    private static final String SELECT = "SELECT id, cargo, prompt_text, chunks, prompt_tokens, completion_tokens, "
            + "units, job_id, charged_micro_credits FROM inference_cache ";

    private CachedAnswer answer(ResultSet row) throws SQLException {
        return new CachedAnswer(row.getLong("id"), row.getString("cargo"), row.getString("prompt_text"),
                chunks(row.getString("chunks")), row.getLong("prompt_tokens"), row.getLong("completion_tokens"),
                row.getLong("units"), row.getString("job_id"), row.getObject("charged_micro_credits", Long.class));
    }

    /**
     * Keeps an answer unless the account already holds one for the key (a newer identical request answered twice
     * keeps the first; an expired one not swept yet is replaced). An answer bigger than {@code maxBytes} is not
     * kept. {@code embedding} is the prompt's vector when the request opted into the semantic tier.
     *
     * @return the entry's id, when it was kept
     */
    Optional<Long> put(String account, RequestKey key, String cargo, List<String> chunks, String promptText,
                       float @Nullable [] embedding, long promptTokens, long completionTokens, long units,
                       String jobId, int maxBytes, Instant at, Instant expiredBefore) {
        String stored = write(chunks);
        int size = stored.length() + promptText.length() + (embedding == null ? 0 : embedding.length * Float.BYTES);
        if (size > maxBytes) {
            return Optional.empty();
        }
        return jdbc.sql("""
                INSERT INTO inference_cache (account_id, request_key, scope_key, cargo, chunks, prompt_text, embedding,
                                             prompt_tokens, completion_tokens, units, job_id, size_bytes, created_at)
                VALUES (:account, :key, :scope, :cargo, :chunks, :prompt, :embedding, :promptTokens,
                        :completionTokens, :units, :job, :size, :at)
                ON CONFLICT (account_id, request_key) DO UPDATE
                SET scope_key = EXCLUDED.scope_key, cargo = EXCLUDED.cargo, chunks = EXCLUDED.chunks,
                    prompt_text = EXCLUDED.prompt_text, embedding = EXCLUDED.embedding,
                    prompt_tokens = EXCLUDED.prompt_tokens, completion_tokens = EXCLUDED.completion_tokens,
                    units = EXCLUDED.units, job_id = EXCLUDED.job_id, charged_micro_credits = NULL,
                    size_bytes = EXCLUDED.size_bytes, created_at = EXCLUDED.created_at
                WHERE inference_cache.created_at < :expired
                RETURNING id""")
                .param("account", account).param("key", key.hash()).param("scope", key.scope())
                .param("cargo", cargo).param("chunks", stored).param("prompt", promptText)
                .param("embedding", embedding == null ? null : bytes(embedding)).param("promptTokens", promptTokens)
                .param("completionTokens", completionTokens).param("units", units).param("job", jobId)
                .param("size", size).param("at", utc(at)).param("expired", utc(expiredBefore))
                .query(Long.class).optional();
    }

    /** A stored embedding, for the index. */
    record Embedded(long id, String account, String scope, float[] vector) {
    }

    /** The stored embeddings of entries after {@code afterId}, in id order, at most {@code limit}. */
    List<Embedded> embeddings(long afterId, int limit) {
        return jdbc.sql("SELECT id, account_id, scope_key, embedding FROM inference_cache "
                        + "WHERE id > :after AND embedding IS NOT NULL ORDER BY id LIMIT :limit")
                .param("after", afterId).param("limit", limit)
                .query((row, number) -> new Embedded(row.getLong("id"), row.getString("account_id"),
                        row.getString("scope_key"), floats(row.getBytes("embedding"))))
                .list();
    }

    private static byte[] bytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : vector) {
            buffer.putFloat(value);
        }
        return buffer.array();
    }

    private static float[] floats(byte[] stored) {
        ByteBuffer buffer = ByteBuffer.wrap(stored).order(ByteOrder.LITTLE_ENDIAN);
        float[] vector = new float[stored.length / Float.BYTES];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = buffer.getFloat();
        }
        return vector;
    }

    /** Notes what the source job of entry {@code id} cost, once the read model knows it. */
    void charged(long id, long microCredits) {
        jdbc.sql("UPDATE inference_cache SET charged_micro_credits = :charged WHERE id = :id")
                .param("charged", microCredits).param("id", id).update();
    }

    /** Counts one lookup of the account that ended as {@code outcome} ({@code miss}, {@code bypass}). */
    void count(String account, String outcome) {
        jdbc.sql("""
                INSERT INTO inference_cache_lookup (account_id, outcome, lookups) VALUES (:account, :outcome, 1)
                ON CONFLICT (account_id, outcome) DO UPDATE SET lookups = inference_cache_lookup.lookups + 1""")
                .param("account", account).param("outcome", outcome).update();
    }

    /** Lookups per outcome of one account, or of all together when {@code account} is null. */
    Map<String, Long> lookups(@Nullable String account) {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.sql("SELECT outcome, sum(lookups) AS lookups FROM inference_cache_lookup "
                        + "WHERE :account::text IS NULL OR account_id = :account GROUP BY outcome")
                .param("account", account)
                .query((row, number) -> counts.put(row.getString("outcome"), row.getLong("lookups"))).list();
        return counts;
    }

    /** The accounts that ever looked the cache up, in order. */
    List<String> accounts() {
        return jdbc.sql("SELECT DISTINCT account_id FROM inference_cache_lookup ORDER BY account_id")
                .query(String.class).list();
    }

    /** The entries the account holds now. */
    long entries(@Nullable String account) {
        return jdbc.sql("SELECT count(*) FROM inference_cache WHERE :account::text IS NULL OR account_id = :account")
                .param("account", account).query(Long.class).single();
    }

    /** Deletes every entry of the account; returns how many. */
    int deleteAccount(String account) {
        return jdbc.sql("DELETE FROM inference_cache WHERE account_id = :account").param("account", account)
                .update();
    }

    /** Deletes the entries of a Cargo type kept before {@code before}, when its versions changed. */
    int deleteCargo(String cargo, Instant before) {
        return jdbc.sql("DELETE FROM inference_cache WHERE cargo = :cargo AND created_at < :before")
                .param("cargo", cargo).param("before", utc(before)).update();
    }

    /**
     * Deletes the entries kept before {@code notBefore}, then the oldest beyond {@code maxEntries} and beyond
     * {@code maxTotalBytes} in all; returns how many went.
     */
    int sweep(Instant notBefore, long maxEntries, long maxTotalBytes) {
        int expired = jdbc.sql("DELETE FROM inference_cache WHERE created_at < :notBefore")
                .param("notBefore", utc(notBefore)).update();
        int overCount = jdbc.sql("""
                DELETE FROM inference_cache WHERE id IN (
                    SELECT id FROM inference_cache ORDER BY created_at DESC, id DESC OFFSET :max)""")
                .param("max", maxEntries).update();
        int overSize = jdbc.sql("""
                DELETE FROM inference_cache WHERE id IN (
                    SELECT id FROM (SELECT id, sum(size_bytes) OVER (ORDER BY created_at DESC, id DESC) AS running
                                    FROM inference_cache) newest
                    WHERE running > :max)""")
                .param("max", maxTotalBytes).update();
        return expired + overCount + overSize;
    }

    /** What an account asks of the cache for the requests that do not say. */
    record Preference(boolean sampled, boolean semantic) {
        static final Preference NONE = new Preference(false, false);
    }

    Preference preference(String account) {
        return jdbc.sql("SELECT sampled, semantic FROM inference_cache_preference WHERE account_id = :account")
                .param("account", account)
                .query((row, number) -> new Preference(row.getBoolean("sampled"), row.getBoolean("semantic")))
                .optional().orElse(Preference.NONE);
    }

    void prefer(String account, Preference preference, Instant at) {
        jdbc.sql("""
                INSERT INTO inference_cache_preference (account_id, sampled, semantic, updated_at)
                VALUES (:account, :sampled, :semantic, :at)
                ON CONFLICT (account_id) DO UPDATE
                SET sampled = EXCLUDED.sampled, semantic = EXCLUDED.semantic, updated_at = EXCLUDED.updated_at""")
                .param("account", account).param("sampled", preference.sampled())
                .param("semantic", preference.semantic()).param("at", utc(at)).update();
    }

    private String write(List<String> chunks) {
        try {
            return json.writeValueAsString(chunks);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("a list of strings is always JSON", impossible);
        }
    }

    private List<String> chunks(String stored) {
        try {
            return json.readValue(stored, CHUNKS);
        } catch (JsonProcessingException corrupt) {
            throw new IllegalStateException("a cache entry's chunks are not a JSON list of strings", corrupt);
        }
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
