package io.archipelago.coordinator.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether two prompts that embed close together may share an answer: similarity alone says "capital of France" and
 * "capital of Germany" are close (cosine 0.66), so a near-duplicate is refused when the prompts differ in what
 * changes an answer while barely moving an embedding: their numbers (digits and number words), their negations
 * ({@code not}, {@code never}, {@code n't}...), their named entities (capitalized words other than a sentence's
 * ordinary opening word, and acronyms) or their code (backtick spans, fenced blocks and lines that read as code).
 * Pure and deterministic.
 */
final class ParaphraseGuard {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'\u2019_-]*");
    private static final Pattern DIGITS = Pattern.compile("\\d+(?:[.,]\\d+)*");
    private static final Pattern FENCED = Pattern.compile("```.*?```", Pattern.DOTALL);
    private static final Pattern INLINE = Pattern.compile("`[^`\\n]+`");
    private static final Pattern CODE_LINE = Pattern.compile("[{};=<>()\\[\\]]|->|::|\\bdef\\b|\\breturn\\b");
    private static final Set<String> NUMBER_WORDS = Set.of("zero", "one", "two", "three", "four", "five", "six",
            "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
            "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
            "ninety", "hundred", "thousand", "million", "billion", "trillion", "first", "second", "third", "fourth",
            "fifth", "tenth", "half", "double", "triple", "dozen", "once", "twice");
    private static final Set<String> NEGATIONS = Set.of("not", "no", "never", "none", "nobody", "nothing",
            "neither", "nor", "nowhere", "without", "cannot", "cant", "dont", "doesnt", "didnt", "isnt", "arent",
            "wasnt", "werent", "wont", "wouldnt", "shouldnt", "couldnt", "hasnt", "havent", "hadnt", "except",
            "unless", "avoid", "exclude", "excluding");
    /** Words that open a sentence in capitals without naming anything. */
    private static final Set<String> OPENERS = Set.of("what", "whats", "how", "why", "who", "whom", "whose", "where",
            "when", "which", "is", "are", "was", "were", "am", "can", "could", "would", "should", "will", "shall",
            "do", "does", "did", "please", "tell", "give", "explain", "write", "list", "describe", "name", "show",
            "find", "define", "summarize", "summarise", "translate", "compare", "the", "a", "an", "i", "im", "in",
            "on", "for", "to", "of", "and", "or", "but", "if", "hi", "hello", "hey", "my", "me", "we", "you", "it",
            "its", "this", "that", "these", "those", "there", "here", "let", "lets", "make", "help", "say",
            "may", "might", "must", "any", "some", "all", "every", "each", "briefly", "quickly", "now", "then",
            "also", "so", "yes", "ok", "okay", "thanks", "thank", "create", "generate", "provide", "get", "rewrite",
            "answer", "use", "using", "with", "about", "from", "by", "at", "as", "be", "being", "been", "have", "has",
            "had", "not", "no", "never", "your", "our", "their", "his", "her", "they", "he", "she", "us", "them",
            // imperative verbs and adverbs a request opens with
            "calculate", "compute", "multiply", "add", "subtract", "divide", "count", "convert", "suggest",
            "recommend", "compose", "draft", "outline", "imagine", "consider", "sort", "check", "fix", "correct",
            "improve", "edit", "rephrase", "paraphrase", "simplify", "classify", "rank", "rate", "estimate",
            "predict", "plan", "prepare", "design", "build", "implement", "debug", "review", "analyze", "analyse",
            "evaluate", "identify", "remind", "teach", "guess", "spell", "pronounce", "read", "think", "suppose",
            "assume", "roughly", "approximately", "just", "really", "actually", "kindly", "quick", "again",
            "only", "exactly", "precisely", "generally", "usually", "basically", "simply", "honestly", "today");

    private ParaphraseGuard() {
    }

    /** Whether {@code cached} may answer {@code asked}: nothing that changes an answer differs between them. */
    static boolean safe(String asked, String cached) {
        return code(asked).equals(code(cached))
                && numbers(asked).equals(numbers(cached))
                && negations(asked).equals(negations(cached))
                && entities(asked).equals(entities(cached));
    }

    /** The reason {@link #safe} refuses, for logs and the labelled set; empty when it does not. */
    static String refusal(String asked, String cached) {
        if (!code(asked).equals(code(cached))) {
            return "code";
        }
        if (!numbers(asked).equals(numbers(cached))) {
            return "numbers";
        }
        if (!negations(asked).equals(negations(cached))) {
            return "negation";
        }
        if (!entities(asked).equals(entities(cached))) {
            return "entities";
        }
        return "";
    }

    static TreeSet<String> numbers(String text) {
        TreeSet<String> numbers = new TreeSet<>();
        Matcher digits = DIGITS.matcher(text);
        while (digits.find()) {
            numbers.add(digits.group().replace(",", ""));
        }
        for (String word : words(text)) {
            if (NUMBER_WORDS.contains(plain(word))) {
                numbers.add(plain(word));
            }
        }
        return numbers;
    }

    /** Negation words with how often each occurs: "not" twice is not "not" once. */
    static TreeMap<String, Integer> negations(String text) {
        TreeMap<String, Integer> counts = new TreeMap<>();
        for (String word : words(text)) {
            String plain = plain(word);
            String negation = NEGATIONS.contains(plain) ? plain : plain.endsWith("nt") && word.matches(".*n['\u2019]t")
                    ? "not" : null;
            if (negation != null) {
                counts.merge(negation.equals("cant") || negation.equals("cannot") ? "not" : negation, 1,
                        Integer::sum);
            }
        }
        return counts;
    }

    static TreeSet<String> entities(String text) {
        TreeSet<String> entities = new TreeSet<>();
        String stripped = FENCED.matcher(text).replaceAll(" ");
        for (String sentence : stripped.split("(?<=[.!?:;\\n])\\s+|\\n")) {
            List<String> words = words(sentence);
            for (int i = 0; i < words.size(); i++) {
                String word = words.get(i);
                boolean capital = Character.isUpperCase(word.codePointAt(0));
                boolean inner = word.chars().skip(1).anyMatch(Character::isUpperCase);
                if ((capital || inner) && !(i == 0 && OPENERS.contains(plain(word)))
                        && !(plain(word).equals("i") || plain(word).equals("im"))) {
                    entities.add(plain(word));
                }
            }
        }
        return entities;
    }

    static List<String> code(String text) {
        List<String> code = new ArrayList<>();
        Matcher fenced = FENCED.matcher(text);
        while (fenced.find()) {
            code.add(squeeze(fenced.group()));
        }
        String rest = FENCED.matcher(text).replaceAll(" ");
        Matcher inline = INLINE.matcher(rest);
        while (inline.find()) {
            code.add(squeeze(inline.group()));
        }
        for (String line : INLINE.matcher(rest).replaceAll(" ").split("\\n")) {
            if (CODE_LINE.matcher(line).find() && line.chars().filter(c -> "{};=()[]<>".indexOf(c) >= 0).count() >= 2) {
                code.add(squeeze(line));
            }
        }
        return code;
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher word = WORD.matcher(text);
        while (word.find()) {
            words.add(word.group());
        }
        return words;
    }

    private static String plain(String word) {
        return word.toLowerCase(Locale.ROOT).replace("'", "").replace("\u2019", "");
    }

    private static String squeeze(String code) {
        return code.strip().replaceAll("\\s+", " ");
    }
}
