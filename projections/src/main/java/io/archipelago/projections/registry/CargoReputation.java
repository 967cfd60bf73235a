package io.archipelago.projections.registry;

/**
 * A Cargo version's reputation, 0-5: five times the posterior mean of "a run of it goes well", under a Beta prior
 * worth {@link #PRIOR_RUNS} runs at {@link #PRIOR_MEAN}. Every piece of evidence is a run or a part of one, so no
 * fixed weighting is needed: a success counts one good run, a failure or a timeout one bad run, a complaint one bad
 * run, and a rating of r stars (r - 1) / 4 of a good run and (5 - r) / 4 of a bad one. A new version sits at the
 * prior (4.0) and moves as evidence comes in; a hundred runs outweigh the prior twenty to one. Beside it,
 * {@link #lowerBound} is a pessimistic score (the mean minus two posterior standard deviations) for ranking, so that
 * three lucky runs do not rank above a thousand good ones.
 */
public final class CargoReputation {

    /** What a version is believed to be before any evidence: four runs in five go well. */
    public static final double PRIOR_MEAN = 0.8;
    /** How many runs the prior is worth. */
    public static final double PRIOR_RUNS = 5;

    private CargoReputation() {
    }

    /** The posterior of good runs, from outcomes and ratings. */
    record Posterior(double good, double bad) {

        double mean() {
            return good / (good + bad);
        }

        double deviation() {
            double n = good + bad;
            return Math.sqrt(good * bad / (n * n * (n + 1)));
        }
    }

    static Posterior posterior(long successes, long failures, long timeouts, long complaints, long ratings,
                               long starsTotal) {
        double goodFromRatings = (starsTotal - ratings) / 4.0;
        double badFromRatings = (5.0 * ratings - starsTotal) / 4.0;
        return new Posterior(PRIOR_MEAN * PRIOR_RUNS + successes + goodFromRatings,
                (1 - PRIOR_MEAN) * PRIOR_RUNS + failures + timeouts + complaints + badFromRatings);
    }

    /** The reputation, 0-5, rounded to two decimals. */
    public static double score(long successes, long failures, long timeouts, long complaints, long ratings,
                               long starsTotal) {
        return round(5 * posterior(successes, failures, timeouts, complaints, ratings, starsTotal).mean());
    }

    /** The pessimistic reputation, 0-5: five times (mean - 2 standard deviations), never below 0. */
    public static double lowerBound(long successes, long failures, long timeouts, long complaints, long ratings,
                                    long starsTotal) {
        Posterior posterior = posterior(successes, failures, timeouts, complaints, ratings, starsTotal);
        return round(5 * Math.max(0, posterior.mean() - 2 * posterior.deviation()));
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
