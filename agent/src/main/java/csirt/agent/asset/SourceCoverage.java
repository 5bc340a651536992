package csirt.agent.asset;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import csirt.agent.cases.SourceTally;

/**
 * The plan's check that the logs needed are collected (5(1)②): for every asset of the inventory,
 * when it last sent, how much a day lately, and whether it ever sent at all; and the senders the
 * inventory does not list, with their counts and first and last time.
 */
public final class SourceCoverage {

    /** One asset: its messages in all and over the recent days, and when it first and last sent (null: never). */
    public record AssetRow(Asset asset, long total, double perDay, Instant firstSeen, Instant lastSeen) {
        public boolean neverSent() {
            return lastSeen == null;
        }
    }

    /** What the report found. */
    public record Report(List<AssetRow> assets, List<SourceTally.Sent> unlisted, int recentDays) {
        public List<AssetRow> neverSent() {
            return assets.stream().filter(AssetRow::neverSent).toList();
        }
    }

    private SourceCoverage() {
    }

    /**
     * @param senders    every sender counted (lower-cased host names), with its messages over the recent days
     * @param recentDays how many days "recent" covers (for the per-day rate)
     */
    public static Report of(AssetInventory inventory, Map<String, SourceTally.Sent> senders, int recentDays) {
        Set<String> claimed = new LinkedHashSet<>();
        List<AssetRow> rows = new ArrayList<>();
        for (Asset a : inventory.assets()) {
            long total = 0;
            long recent = 0;
            Instant first = null;
            Instant last = null;
            List<String> names = new ArrayList<>();
            names.add(a.host().toLowerCase(Locale.ROOT));
            a.aliases().forEach(x -> names.add(x.toLowerCase(Locale.ROOT)));
            for (String n : names) {
                SourceTally.Sent s = senders.get(n);
                if (s == null || !claimed.add(n)) {
                    continue;
                }
                total += s.total();
                recent += s.recent();
                first = first == null || s.firstSeen().isBefore(first) ? s.firstSeen() : first;
                last = last == null || s.lastSeen().isAfter(last) ? s.lastSeen() : last;
            }
            rows.add(new AssetRow(a, total, recent / (double) recentDays, first, last));
        }
        List<SourceTally.Sent> unlisted = new ArrayList<>();
        for (SourceTally.Sent s : senders.values()) {
            if (!claimed.contains(s.host()) && !inventory.lookup(s.host()).known()) {
                unlisted.add(s);
            }
        }
        unlisted.sort((x, y) -> Long.compare(y.total(), x.total()));
        return new Report(rows, unlisted, recentDays);
    }
}
