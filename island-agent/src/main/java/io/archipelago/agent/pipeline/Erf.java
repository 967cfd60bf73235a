package io.archipelago.agent.pipeline;

/**
 * The error function, which the JDK lacks and BERT's exact GELU needs: the Maclaurin series below |x| = 3 (terms
 * stay under 10^3, so double keeps about 13 digits) and the continued fraction of erfc above it (error under 1e-15
 * with 60 terms there).
 */
final class Erf {

    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final int FRACTION_TERMS = 60;

    private Erf() {
    }

    static double erf(double x) {
        double a = Math.abs(x);
        double value;
        if (a < 3) {
            double term = a;
            double sum = a;
            double square = a * a;
            for (int n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
                term *= -square / n;
                sum += term / (2 * n + 1);
            }
            value = TWO_OVER_SQRT_PI * sum;
        } else {
            // erfc(a) = exp(-a^2) / sqrt(pi) / (a + (1/2) / (a + 1 / (a + (3/2) / (a + 2 / (a + ...)))))
            double fraction = a;
            for (int k = FRACTION_TERMS; k >= 1; k--) {
                fraction = a + (k / 2.0) / fraction;
            }
            value = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / fraction;
        }
        return x < 0 ? -value : value;
    }
}
