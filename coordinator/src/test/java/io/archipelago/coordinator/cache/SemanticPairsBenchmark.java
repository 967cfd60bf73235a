package io.archipelago.coordinator.cache;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall of the semantic tier on the labelled pairs of {@code semantic-pairs.tsv} (made by
 * {@code scripts/cache-pairs.py}): each pair's prompts are embedded as the cache embeds a one-message request, and a
 * pair is a hit when their cosine reaches the threshold and, with the guards, the {@link ParaphraseGuard} finds it
 * safe. Prints a row per threshold for similarity alone and with the guards, the misses by kind at the default
 * threshold, and the time to embed a prompt and to search an index of the pairs' prompts. Asserts nothing. Run:
 * {@code scripts/bench-cache.sh}.
 */
class SemanticPairsBenchmark {

    private record Pair(boolean same, String kind, String a, String b) {
    }

    @Test
    void measuresPrecisionAndRecallOfTheSemanticTier() throws IOException {
        List<Pair> pairs = pairs();
        try (SemanticIndex index = new SemanticIndex()) {
            index.embed("warm up");
            double[] cosines = new double[pairs.size()];
            long[] embedNanos = new long[pairs.size()];
            for (int i = 0; i < pairs.size(); i++) {
                Pair pair = pairs.get(i);
                long start = System.nanoTime();
                float[] a = index.embed(prompt(pair.a()));
                embedNanos[i] = System.nanoTime() - start;
                float[] b = index.embed(prompt(pair.b()));
                cosines[i] = cosine(a, b);
                index.add(i, "bench", "scope", b);
            }
            System.out.printf("pairs: %d (%d paraphrases, %d near misses and unrelated)%n", pairs.size(),
                    pairs.stream().filter(Pair::same).count(), pairs.stream().filter(pair -> !pair.same()).count());
            System.out.println("threshold  similarity-only precision recall  with-guards precision recall");
            for (double threshold = 0.80; threshold < 0.985; threshold += 0.02) {
                System.out.printf("  %.2f     %s  %s%n", threshold, score(pairs, cosines, threshold, false),
                        score(pairs, cosines, threshold, true));
            }
            double chosen = 0.94;
            Map<String, int[]> wrong = new TreeMap<>();
            for (int i = 0; i < pairs.size(); i++) {
                Pair pair = pairs.get(i);
                boolean hit = hit(pair, cosines[i], chosen, true);
                int[] counts = wrong.computeIfAbsent(pair.kind(), kind -> new int[2]);
                counts[0]++;
                if (hit != pair.same()) {
                    counts[1]++;
                }
            }
            System.out.printf("at %.2f with guards, wrong decisions by kind:%n", chosen);
            wrong.forEach((kind, counts) -> System.out.printf("  %-10s %4d of %4d%n", kind, counts[1], counts[0]));
            long[] searchNanos = new long[pairs.size()];
            for (int i = 0; i < pairs.size(); i++) {
                float[] asked = index.embed(prompt(pairs.get(i).a()));
                long start = System.nanoTime();
                index.nearest("bench", "scope", asked, 4);
                searchNanos[i] = System.nanoTime() - start;
            }
            System.out.printf("embed one prompt: p50 %.2f ms, p99 %.2f ms; search %d vectors: p50 %.3f ms, "
                            + "p99 %.3f ms%n", quantile(embedNanos, 0.50), quantile(embedNanos, 0.99), pairs.size(),
                    quantile(searchNanos, 0.50), quantile(searchNanos, 0.99));
        }
    }

    private static String score(List<Pair> pairs, double[] cosines, double threshold, boolean guarded) {
        int truePositives = 0;
        int falsePositives = 0;
        int falseNegatives = 0;
        for (int i = 0; i < pairs.size(); i++) {
            boolean hit = hit(pairs.get(i), cosines[i], threshold, guarded);
            if (hit && pairs.get(i).same()) {
                truePositives++;
            } else if (hit) {
                falsePositives++;
            } else if (pairs.get(i).same()) {
                falseNegatives++;
            }
        }
        double precision = truePositives + falsePositives == 0 ? 1.0
                : (double) truePositives / (truePositives + falsePositives);
        double recall = (double) truePositives / (truePositives + falseNegatives);
        return String.format("%6.2f%% (%3d wrong hits) %6.2f%%", 100 * precision, falsePositives, 100 * recall);
    }

    private static boolean hit(Pair pair, double cosine, double threshold, boolean guarded) {
        return cosine >= threshold && (!guarded || ParaphraseGuard.safe(prompt(pair.a()), prompt(pair.b())));
    }

    /** The prompt text the cache compares for a request of one user message ({@link RequestKey#prompt}). */
    private static String prompt(String message) {
        return "user: " + message + "\n";
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }
        return dot / Math.sqrt(normA * normB);
    }

    private static double quantile(long[] nanos, double q) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    private static List<Pair> pairs() throws IOException {
        List<Pair> pairs = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                SemanticPairsBenchmark.class.getResourceAsStream("semantic-pairs.tsv")), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    String[] fields = line.split("\t");
                    pairs.add(new Pair(fields[0].equals("1"), fields[1], fields[2], fields[3]));
                }
            }
        }
        return pairs;
    }
}
