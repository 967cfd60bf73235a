package io.archipelago.projections.chain;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Extends {@code event_chain} by one link per event, in the order the processor receives the stream (which is the
 * order of {@code global_index}, except that an event committed late behind a gap comes when it is committed). Links
 * are computed from the rows of {@code domain_event_entry} themselves, found by event identifier and read once per
 * batch, so they cover exactly the bytes an auditor reads; a late event's token stands at the highest index seen,
 * not at its own, so the row gives its {@code global_index}. They are written in the batch's transaction, with the
 * processor's token, so each event is linked exactly once; once committed, the new head goes to
 * {@link ChainCheckpoints} to be signed.
 */
@ProcessingGroup(ChainConfiguration.PROCESSING_GROUP)
final class EventChainWriter {

    private static final String BATCH = EventChainWriter.class.getName() + ".batch";

    private final JdbcTemplate jdbc;
    private final ChainCheckpoints checkpoints;

    EventChainWriter(JdbcTemplate jdbc, ChainCheckpoints checkpoints) {
        this.jdbc = jdbc;
        this.checkpoints = checkpoints;
    }

    @EventHandler
    void on(EventMessage<?> event) {
        batch().add(event.getIdentifier());
    }

    private List<String> batch() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(BATCH, key -> {
            List<String> identifiers = new ArrayList<>();
            unitOfWork.onPrepareCommit(committing -> link(unitOfWork, identifiers));
            return identifiers;
        });
    }

    private void link(UnitOfWork<?> unitOfWork, List<String> identifiers) {
        Map<String, StoredEvent> events = read(identifiers);
        List<Object[]> rows = new ArrayList<>(identifiers.size());
        Link last = last();
        long position = last.position();
        byte[] hash = last.hash();
        EventChain chain = new EventChain();
        for (String identifier : identifiers) {
            StoredEvent event = events.get(identifier);
            if (event == null) {
                throw new IllegalStateException("event " + identifier + " was delivered but is not in the store");
            }
            hash = chain.next(hash, event);
            position++;
            rows.add(new Object[] {position, event.globalIndex(), event.identifier(), EventChain.hex(hash)});
        }
        jdbc.batchUpdate("INSERT INTO event_chain (chain_position, global_index, event_identifier, hash)"
                + " VALUES (?, ?, ?, ?)", rows);
        Object[] head = rows.get(rows.size() - 1);
        unitOfWork.afterCommit(committed -> checkpoints.linked((Long) head[0], (Long) head[1], (String) head[3]));
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
                    + " FROM domain_event_entry e WHERE e.event_identifier = ANY (?)");
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
}
