package io.archipelago.access;

/**
 * Who may pass a route of a {@link RouteTable}; what an account's key may do, the operator may do as well unless said
 * otherwise.
 */
public enum Rule {
    /** Anyone, without a credential. */
    PUBLIC,
    /** Any authenticated caller: market data. */
    ANY_CALLER,
    /** The consumer's door ({@code /v1}, batches, quotes): a key acts as its account there. */
    CONSUMER,
    /** The operator alone; a key is refused 403. */
    OPERATOR,
    /** Only the key of {@code {accountId}}. */
    OWN_ACCOUNT,
    /** The operator's action on an account: its own key is refused 403, any other 404. */
    OWN_ACCOUNT_OPERATOR_ACTION,
    /** Only the key of the job's consumer ({@code {jobId}}). */
    OWN_JOB,
    /** The key of the job's consumer, or of the first account to use a job id ({@code {jobId}}) not taken yet. */
    CLAIMED_JOB,
    /** A bid whose body's {@code consumer} is the key's account, with a job id not taken by another account. */
    BID,
    /** An Island registered with the key's account as its body's {@code owner}. */
    ISLAND_REGISTRATION,
    /** Only the key of the account that owns {@code {islandId}}. */
    OWN_ISLAND,
    /** An ask for an Island, named by the body's {@code islandId}, that the key's account owns. */
    ASK
}
