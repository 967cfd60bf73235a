package io.archipelago.projections.chain;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Extends {@code event_chain} by one link per event, in the order the processor receives the stream (which is the
 * order of {@code global_index}, except that an event committed late behind a gap comes when it is committed). Links
 * are computed from the rows of {@code domain_event_entry} themselves, found by event identifier and read once per
 * batch, so they cover exactly the bytes an auditor reads; a late event's token stands at the highest index seen,
 * not at its own, so the row gives its {@code global_index}. They are written in the batch's transaction, with the
 * processor's token, so each event is linked exactly once; once committed, the new head goes to
 * {@link ChainCheckpoints} to be signed.
 *
 * <p>At shutdown, once the processors have stopped, the events committed after the chain's head that the processor
 * did not reach are linked too ({@link #destroy}), so that a coordinator stopped in order leaves a whole chain for
 * the auditor; and before them those committed late behind the head whose indexes the processor's last token still
 * holds as gaps (it would have received them in its next batch). Nothing else: an event behind the head outside
 * those gaps, never linked, stays unlinked for the auditor to see. The processor's token stays where it was, so it
 * receives those events again after a restart and passes over the ones linked already.
 */
@ProcessingGroup(ChainConfiguration.PROCESSING_GROUP)
final class EventChainWriter implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(EventChainWriter.class);

    /** At most this many events are linked at shutdown; a chain further behind is linked after the next start. */
    private static final int SHUTDOWN_LINKS = 10_000;

    private static final String BATCH = EventChainWriter.class.getName() + ".batch";

    private final JdbcTemplate jdbc;
    private final ChainCheckpoints checkpoints;
    /** The token of the last batch the processor committed: its gaps are the late events it still waits for. */
    private volatile @Nullable TrackingToken committed;

    EventChainWriter(JdbcTemplate jdbc, ChainCheckpoints checkpoints) {
        this.jdbc = jdbc;
        this.checkpoints = checkpoints;
    }

    @EventHandler
    void on(EventMessage<?> event, @Nullable TrackingToken token) {
        Batch batch = batch();
        batch.identifiers.add(event.getIdentifier());
        batch.token = token;
    }

    private Batch batch() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(BATCH, key -> {
            Batch batch = new Batch();
            unitOfWork.onPrepareCommit(committing -> link(unitOfWork, batch.identifiers));
            unitOfWork.afterCommit(done -> committed = batch.token);
            return batch;
        });
    }

    private void link(UnitOfWork<?> unitOfWork, List<String> identifiers) {
        Map<String, StoredEvent> events = read(identifiers);
        Set<String> linked = events.size() == identifiers.size() ? Set.of()
                : linked(identifiers.stream().filter(identifier -> !events.containsKey(identifier)).toList());
        List<Object[]> rows = new ArrayList<>(identifiers.size());
        Link last = last();
        long position = last.position();
        byte[] hash = last.hash();
        EventChain chain = new EventChain();
        for (String identifier : identifiers) {
            StoredEvent event = events.get(identifier);
            if (event == null) {
                if (linked.contains(identifier)) {
                    continue;
                }
                throw new IllegalStateException("event " + identifier + " was delivered but is not in the store");
            }
            hash = chain.next(hash, event);
            position++;
            rows.add(new Object[] {position, event.globalIndex(), event.identifier(), EventChain.hex(hash)});
        }
        if (rows.isEmpty()) {
            return;
        }
        insert(rows);
        Object[] head = rows.get(rows.size() - 1);
        unitOfWork.afterCommit(committed -> checkpoints.linked((Long) head[0], (Long) head[1], (String) head[3]));
    }

    /**
     * Links the events the processor, now stopped, did not reach: those committed late into the gaps of its last
     * token, then those after the chain's head.
     */
    @Override
    public void destroy() {
        try {
            Link last = last();
            long head = jdbc.queryForObject("SELECT COALESCE(max(global_index), -1) FROM event_chain", Long.class);
            List<StoredEvent> tail = new ArrayList<>(late(head));
            tail.addAll(jdbc.query("SELECT " + StoredEvent.COLUMNS + " FROM domain_event_entry e"
                    + " WHERE e.global_index > ? ORDER BY e.global_index LIMIT " + SHUTDOWN_LINKS,
                    (row, number) -> StoredEvent.read(row), head));
            if (tail.isEmpty()) {
                return;
            }
            long position = last.position();
            byte[] hash = last.hash();
            EventChain chain = new EventChain();
            List<Object[]> rows = new ArrayList<>(tail.size());
            for (StoredEvent event : tail) {
                hash = chain.next(hash, event);
                position++;
                rows.add(new Object[] {position, event.globalIndex(), event.identifier(), EventChain.hex(hash)});
            }
            insert(rows);
            Object[] linked = rows.get(rows.size() - 1);
            checkpoints.linked((Long) linked[0], (Long) linked[1], (String) linked[3]);
            LOG.info("event chain: linked the {} events after its head at shutdown, up to event {}", rows.size(),
                    linked[1]);
        } catch (DataAccessException failed) {
            // another node's chain writer linked them first, or the database is gone: the next start links them
            LOG.warn("event chain: the events after its head were not linked at shutdown: {}", failed.getMessage());
        }
    }

    /** The events committed late behind {@code head} into the gaps of the processor's last token, not linked. */
    private List<StoredEvent> late(long head) {
        Set<Long> gaps = committed instanceof GapAwareTrackingToken token ? token.getGaps() : Set.of();
        List<Long> behind = gaps.stream().filter(index -> index < head).sorted().toList();
        if (behind.isEmpty()) {
            return List.of();
        }
        return jdbc.query(connection -> {
            var statement = connection.prepareStatement("SELECT " + StoredEvent.COLUMNS
                    + " FROM domain_event_entry e WHERE e.global_index = ANY (?)"
                    + " AND NOT EXISTS (SELECT 1 FROM event_chain c WHERE c.global_index = e.global_index)"
                    + " ORDER BY e.global_index");
            statement.setArray(1, connection.createArrayOf("bigint", behind.toArray()));
            return statement;
        }, (row, number) -> StoredEvent.read(row));
    }

    private void insert(List<Object[]> rows) {
        jdbc.batchUpdate("INSERT INTO event_chain (chain_position, global_index, event_identifier, hash)"
                + " VALUES (?, ?, ?, ?)", rows);
    }

    /** Those of {@code identifiers} the chain links already (at a shutdown, before the processor received them). */
    private Set<String> linked(List<String> identifiers) {
        Set<String> linked = new HashSet<>();
        jdbc.query(connection -> {
            var statement = connection.prepareStatement("SELECT e.event_identifier FROM domain_event_entry e"
                    + " JOIN event_chain c ON c.global_index = e.global_index WHERE e.event_identifier = ANY (?)");
            statement.setArray(1, connection.createArrayOf("text", identifiers.toArray()));
            return statement;
        }, (ResultSet row) -> {
            linked.add(row.getString(1));
        });
        return linked;
    }

    private Link last() {
        List<Link> last = jdbc.query("SELECT chain_position, hash FROM event_chain ORDER BY chain_position DESC"
                + " LIMIT 1", (row, number) -> new Link(row.getLong(1), EventChain.bytes(row.getString(2))));
        return last.isEmpty() ? new Link(0, EventChain.GENESIS) : last.get(0);
    }

    private Map<String, StoredEvent> read(List<String> identifiers) {
        Map<String, StoredEvent> events = new HashMap<>();
        jdbc.query(connection -> {
            var statement = connection.prepareStatement("SELECT " + StoredEvent.COLUMNS
                    + " FROM domain_event_entry e WHERE e.event_identifier = ANY (?)"
                    + " AND NOT EXISTS (SELECT 1 FROM event_chain c WHERE c.global_index = e.global_index)");
            statement.setArray(1, connection.createArrayOf("text", identifiers.toArray()));
            return statement;
        }, (ResultSet row) -> {
            StoredEvent event = StoredEvent.read(row);
            events.put(event.identifier(), event);
        });
        return events;
    }

    private record Link(long position, byte[] hash) {
    }

    /** The events of one batch, and the token of its last. */
    private static final class Batch {
        final List<String> identifiers = new ArrayList<>();
        @Nullable TrackingToken token;
    }
}
