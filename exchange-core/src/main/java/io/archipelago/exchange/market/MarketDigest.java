package io.archipelago.exchange.market;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.CargoUnit;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;

/** A SHA-256 digest over a canonical rendering of a market's state, for replay checks. */
final class MarketDigest {

    private MarketDigest() {
    }

    static String of(CargoType cargo, CargoUnit unit, AccountId publisher, OrderBook book, RateWindow window,
                     String versions) {
        StringBuilder text = new StringBuilder();
        text.append(cargo).append('|').append(unit).append('|').append(publisher).append('|')
                .append(book.royalty().microCredits()).append('|').append(book.nextArrival()).append('\n');
        book.asks().stream().sorted(Comparator.comparing(ask -> ask.islandId)).forEach(ask -> text
                .append("ask ").append(ask.islandId).append(' ').append(ask.owner).append(' ')
                .append(ask.price.microCredits()).append(' ').append(ask.conditions).append(' ')
                .append(ask.usedSlots).append('\n'));
        book.restingInPriority().forEach(bid -> text.append("bid ").append(bid).append('\n'));
        book.running().stream().sorted(Comparator.comparing(Placement::jobId)).forEach(job -> text
                .append("job ").append(job).append('\n'));
        book.exclusions().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(excluded -> text
                .append("excluded ").append(excluded.getKey()).append(' ').append(excluded.getValue()).append('\n'));
        text.append(versions);
        text.append("window ").append(window.fingerprint());
        return sha256(text.toString());
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JVM has SHA-256", impossible);
        }
    }
}
