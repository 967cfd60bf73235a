package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.exchange.island.api.Country;
import io.archipelago.exchange.karma.api.Karma;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The batches' tables ({@code batch}, {@code batch_item}, {@code batch_event}): what a batch is, what came of each of
 * its items and its progress events in order, so that a batch reads the same after it ended, or after a restart; and
 * its bid terms and inputs, so that a restart can place what was left of it.
 */
@Component
final class BatchStore {

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    BatchStore(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A batch as stored, its items in input order. */
    record StoredBatch(String id, String account, String model, String status, int total, Instant createdAt,
                       @Nullable Instant finishedAt, List<StoredItem> items) {
    }

    /** An item as stored; {@code failedOn} lists the Islands its failed attempts ran on. */
    record StoredItem(int index, String status, @Nullable String jobId, @Nullable String islandId, int attempts,
                      @Nullable Long units, @Nullable Long costMicroCredits, List<String> failedOn,
                      @Nullable String reason, @Nullable String result) {
    }

    /** A progress event: its type and its JSON. */
    record StoredEvent(int seq, String type, String data) {
    }

    /** Stores a new running batch with its bid terms and its items' inputs, every item queued. */
    void create(String id, String account, String model, BidTerms terms, List<ObjectNode> inputs, Instant at) {
        jdbc.sql("INSERT INTO batch (batch_id, account_id, model, status, total, created_at, terms) "
                        + "VALUES (:id, :account, :model, 'running', :total, :at, :terms)")
                .param("id", id).param("account", account).param("model", model).param("total", inputs.size())
                .param("at", utc(at)).param("terms", terms(terms).toString()).update();
        jdbc.sql("INSERT INTO batch_item (batch_id, item_index, status, attempts, failed_on, input) "
                        + "SELECT :id, (i - 1)::integer, 'queued', 0, '', input::text "
                        + "FROM jsonb_array_elements(CAST(:inputs AS jsonb)) WITH ORDINALITY AS t(input, i)")
                .param("id", id).param("inputs", json.valueToTree(inputs).toString()).update();
    }

    /**
     * The batch's bid terms and its items' inputs in input order, as {@link #create} kept them; empty for a batch
     * stored before they were kept.
     */
    Optional<Resumable> resumable(String id) {
        String terms = jdbc.sql("SELECT terms FROM batch WHERE batch_id = :id").param("id", id)
                .query(String.class).optional().orElse(null);
        List<String> inputs = jdbc.sql("SELECT input FROM batch_item WHERE batch_id = :id ORDER BY item_index")
                .param("id", id).query((row, number) -> row.getString("input")).list();
        if (terms == null || inputs.isEmpty() || inputs.contains(null)) {
            return Optional.empty();
        }
        try {
            List<ObjectNode> read = new ArrayList<>();
            for (String input : inputs) {
                read.add((ObjectNode) json.readTree(input));
            }
            return Optional.of(new Resumable(terms(json.readTree(terms)), read));
        } catch (JsonProcessingException | ClassCastException unreadable) {
            return Optional.empty();
        }
    }

    /** What it takes to place a batch's items again. */
    record Resumable(BidTerms terms, List<ObjectNode> inputs) {
    }

    private ObjectNode terms(BidTerms terms) {
        ObjectNode node = json.createObjectNode().put("limit", terms.limitMicroCredits())
                .put("max_units", terms.maxUnits()).put("max_rtt_micros", terms.maxRttMicros())
                .put("verified_only", terms.verifiedOnly());
        if (terms.minKarma() != null) {
            node.put("min_karma", terms.minKarma().points());
        }
        JurisdictionPolicy jurisdiction = terms.jurisdiction();
        if (jurisdiction != null) {
            ObjectNode policy = node.putObject("jurisdiction").put("name", jurisdiction.name());
            jurisdiction.countries().stream().map(Country::code).sorted()
                    .forEach(policy.putArray("countries")::add);
        }
        return node;
    }

    private static BidTerms terms(JsonNode node) {
        JsonNode policy = node.path("jurisdiction");
        JurisdictionPolicy jurisdiction = null;
        if (policy.isObject()) {
            Set<Country> countries = new TreeSet<>();
            policy.path("countries").forEach(code -> countries.add(Country.of(code.asText())));
            jurisdiction = new JurisdictionPolicy(policy.path("name").asText(), countries);
        }
        return new BidTerms(node.path("limit").asLong(), node.path("max_units").asLong(), jurisdiction,
                node.hasNonNull("min_karma") ? new Karma(node.path("min_karma").asInt()) : null,
                node.hasNonNull("max_rtt_micros") ? node.path("max_rtt_micros").asLong() : null,
                node.path("verified_only").asBoolean());
    }

    void update(String id, StoredItem item) {
        jdbc.sql("UPDATE batch_item SET status = :status, job_id = :job, island_id = :island, attempts = :attempts, "
                        + "units = :units, cost_micro_credits = :cost, failed_on = :failedOn, reason = :reason, "
                        + "result = :result WHERE batch_id = :id AND item_index = :index")
                .param("status", item.status()).param("job", item.jobId()).param("island", item.islandId())
                .param("attempts", item.attempts()).param("units", item.units())
                .param("cost", item.costMicroCredits()).param("failedOn", String.join(",", item.failedOn()))
                .param("reason", item.reason()).param("result", item.result())
                .param("id", id).param("index", item.index()).update();
    }

    void finish(String id, String status, Instant at) {
        jdbc.sql("UPDATE batch SET status = :status, finished_at = :at WHERE batch_id = :id")
                .param("status", status).param("at", utc(at)).param("id", id).update();
    }

    void append(String id, int seq, String type, String data, Instant at) {
        jdbc.sql("INSERT INTO batch_event (batch_id, seq, type, data, at) VALUES (:id, :seq, :type, :data, :at)")
                .param("id", id).param("seq", seq).param("type", type).param("data", data).param("at", utc(at))
                .update();
    }

    /** The batch {@code id} if {@code account} owns it: another account's batch is as absent as an unknown one. */
    Optional<StoredBatch> find(String id, String account) {
        Optional<StoredBatch> batch = jdbc.sql("SELECT * FROM batch WHERE batch_id = :id AND account_id = :account")
                .param("id", id).param("account", account)
                .query((row, number) -> new StoredBatch(row.getString("batch_id"), row.getString("account_id"),
                        row.getString("model"), row.getString("status"), row.getInt("total"),
                        instant(row, "created_at"), instant(row, "finished_at"), List.of()))
                .optional();
        return batch.map(found -> new StoredBatch(found.id(), found.account(), found.model(), found.status(),
                found.total(), found.createdAt(), found.finishedAt(), items(id)));
    }

    /** The batches stored as running, with their items: after a restart, those a coordinator stopped in. */
    List<StoredBatch> running() {
        return jdbc.sql("SELECT * FROM batch WHERE status = 'running' ORDER BY created_at")
                .query((row, number) -> new StoredBatch(row.getString("batch_id"), row.getString("account_id"),
                        row.getString("model"), row.getString("status"), row.getInt("total"),
                        instant(row, "created_at"), instant(row, "finished_at"), items(row.getString("batch_id"))))
                .list();
    }

    /** The number the batch's next progress event takes. */
    int nextSeq(String id) {
        return jdbc.sql("SELECT coalesce(max(seq) + 1, 0) FROM batch_event WHERE batch_id = :id")
                .param("id", id).query(Integer.class).single();
    }

    List<StoredEvent> events(String id) {
        return jdbc.sql("SELECT seq, type, data FROM batch_event WHERE batch_id = :id ORDER BY seq")
                .param("id", id)
                .query((row, number) -> new StoredEvent(row.getInt("seq"), row.getString("type"),
                        row.getString("data")))
                .list();
    }

    private List<StoredItem> items(String id) {
        return jdbc.sql("SELECT * FROM batch_item WHERE batch_id = :id ORDER BY item_index")
                .param("id", id)
                .query((row, number) -> new StoredItem(row.getInt("item_index"), row.getString("status"),
                        row.getString("job_id"), row.getString("island_id"), row.getInt("attempts"),
                        row.getObject("units", Long.class), row.getObject("cost_micro_credits", Long.class),
                        islands(row.getString("failed_on")), row.getString("reason"), row.getString("result")))
                .list();
    }

    private static List<String> islands(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    private static @Nullable Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp at = row.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }
}
