package io.archipelago.protocol;

import org.jspecify.annotations.Nullable;

/**
 * The NATS subjects of the island protocol. Everything an Island receives lies under {@code island.<island>.>} and
 * everything it sends under {@code results.<island>.>}, so per-Island subject permissions can confine each Island
 * to its own. That holds for answers too: the coordinator's requests carry a reply subject of the Island's own,
 * {@link #reply}, so an Island needs no permission to answer into the coordinator's inbox (a permission NATS
 * forgets when it reloads its configuration). A reply subject names the coordinator node that asked, so that each
 * node of several hears only the answers to its own requests. Ids may contain '.', which NATS reads as a token
 * separator: on the
 * wire it is written as '~', a character ids never contain, so the mapping is one to one.
 */
public final class Subjects {

    /**
     * Every Island's job output. Coordinator nodes do not subscribe to it: each hears the {@link #results} subject of
     * the jobs it dispatched only.
     */
    public static final String ALL_RESULTS = "results.*.*";

    /** Every job's {@link #outputHistory} requests, which every coordinator node hears. */
    public static final String ALL_OUTPUT_HISTORY = "output.*.history";

    /** The job token of the hops {@link PeerProbe} pings travel on; no pipeline job runs under it. */
    static final String PEER_PROBE = "peer-probe";


    private Subjects() {
    }

    /** Where an Island receives its {@link JobOffer}s (request/reply, answered by {@link JobAccepted}). */
    public static String jobs(String islandId) {
        return "island." + token(islandId) + ".jobs";
    }

    /** Where an Island answers {@link Probe}s with {@link ProbeReply}s. */
    public static String probe(String islandId) {
        return "island." + token(islandId) + ".probe";
    }

    /** Where an Island is asked to measure its round trip to another ({@link PeerProbe}, request/reply). */
    public static String peerProbe(String islandId) {
        return "island." + token(islandId) + ".peer-probe";
    }

    /**
     * Where {@code from} pings {@code to} for a {@link PeerProbe}, and where {@code to} echoes the ping back with
     * the two swapped: a pipeline hop of the reserved job token {@code peer-probe}, so the same permissions that let
     * an Island send hops only as itself and hear only hops addressed to it confine the pings too.
     */
    public static String peerPing(String from, String to) {
        return hop(PEER_PROBE, 1, from, to);
    }

    /** Every ping an Island may be sent for a {@link PeerProbe}. */
    public static String peerPingsTo(String islandId) {
        return "pipeline." + PEER_PROBE + ".1.*." + token(islandId);
    }

    /** The Island that sent a {@link #peerPing}, or null when the subject is not one. */
    public static @Nullable String senderOfPeerPing(String subject) {
        String[] tokens = subject.split("\\.", -1);
        return tokens.length == 5 && tokens[0].equals("pipeline") && tokens[1].equals(PEER_PROBE)
                ? tokens[3].replace('~', '.') : null;
    }

    /** Where an Island hears that a job was taken away ({@link JobCancel}). */
    public static String cancel(String islandId) {
        return "island." + token(islandId) + ".cancel";
    }

    /**
     * Where stage {@code index} of a pipeline job hears its input: the job's text for stage 0, the previous stage's
     * activations as a tensor payload for the others. Only the Island of that stage may subscribe, and only the
     * previous stage's Island (or the coordinator, for stage 0) may publish there.
     */
    public static String stage(String jobId, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("a stage index is never negative, got " + index);
        }
        return "pipeline." + token(jobId) + "." + index;
    }

    /**
     * Where the Island {@code from} sends stage {@code index} of a pipeline job its input, to the Island {@code to}.
     * NATS permissions let an Island publish only hops it is the sender of ({@link #hopsOutbound}) and hear only
     * hops addressed to it ({@link #hopsInbound}), so the receiving stage knows who sent each message from its
     * subject alone.
     */
    public static String hop(String jobId, int index, String from, String to) {
        if (index < 1) {
            throw new IllegalArgumentException("a hop feeds a stage after the first, got " + index);
        }
        return "pipeline." + token(jobId) + "." + index + "." + token(from) + "." + token(to);
    }

    /** Every pipeline hop an Island may hear: those addressed to it. */
    public static String hopsInbound(String islandId) {
        return "pipeline.*.*.*." + token(islandId);
    }

    /** Every pipeline hop an Island may send: those it is the sender of. */
    public static String hopsOutbound(String islandId) {
        return "pipeline.*.*." + token(islandId) + ".*";
    }

    /** Where an Island sends the {@link JobOutput}s of a job. */
    public static String results(String islandId, String jobId) {
        return "results." + token(islandId) + "." + token(jobId);
    }

    /**
     * Where the coordinator node that dispatched a job republishes its output, in order and checked, as
     * {@link JobOutput} chunks, for the node that holds the job's client. Coordinators only: no Island may publish or
     * subscribe there.
     */
    public static String output(String jobId) {
        return "output." + token(jobId);
    }

    /**
     * Where a coordinator node asks for what the node that dispatched a job released of its output before (the
     * request's body is the first sequence number wanted). Coordinators only.
     */
    public static String outputHistory(String jobId) {
        return output(jobId) + ".history";
    }

    /** The job an {@link #outputHistory} subject is about, or null when the subject is not one. */
    public static @Nullable String jobOfOutputHistory(String subject) {
        String[] tokens = subject.split("\\.", -1);
        return tokens.length == 3 && tokens[0].equals("output") && tokens[2].equals("history")
                ? tokens[1].replace('~', '.') : null;
    }

    /** Where an Island answers request number {@code request} of coordinator node {@code node}. */
    public static String reply(String islandId, String node, long request) {
        return "results." + token(islandId) + ".reply." + token(node) + "." + request;
    }

    /** Where coordinator node {@code node} hears every Island's answers to its requests. */
    public static String replies(String node) {
        return "results.*.reply." + token(node) + ".*";
    }

    /** The Island a reply subject belongs to, or null when the subject is not one. */
    public static @Nullable String islandOfReply(String subject) {
        String[] tokens = subject.split("\\.", -1);
        return tokens.length == 5 && tokens[0].equals("results") && tokens[2].equals("reply")
                ? tokens[1].replace('~', '.') : null;
    }

    /** Everything an Island may subscribe to. */
    public static String inbound(String islandId) {
        return "island." + token(islandId) + ".>";
    }

    /** Everything an Island may publish to (besides replies to requests it received). */
    public static String outbound(String islandId) {
        return "results." + token(islandId) + ".>";
    }

    /** The Island a results subject belongs to, or null when the subject is not one. */
    public static @Nullable String islandOfResults(String subject) {
        String[] tokens = subject.split("\\.", -1);
        return tokens.length == 3 && tokens[0].equals("results") ? tokens[1].replace('~', '.') : null;
    }

    /** The job a results subject is about, or null when the subject is not one. */
    public static @Nullable String jobOfResults(String subject) {
        String[] tokens = subject.split("\\.", -1);
        return tokens.length == 3 && tokens[0].equals("results") ? tokens[2].replace('~', '.') : null;
    }

    private static String token(String id) {
        return Ids.id("an id in a subject", id).replace('.', '~');
    }
}
