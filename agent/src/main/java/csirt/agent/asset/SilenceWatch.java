package csirt.agent.asset;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import csirt.agent.parse.Event;

/**
 * Notices when an asset that should speak regularly falls silent (a router, a UPS, a server whose
 * syslog forwarding stopped): every asset with {@code expect_every} in assets.yaml is expected to
 * send at least once per that interval. Past it, {@link #check} reports the asset silent once;
 * when a message from it arrives again, it reports it speaking again. Messages count by the
 * host they name or by the asset's addresses (aliases). The agent's own messages do not count.
 *
 * <p>The clock starts when the agent starts (or the asset is added): a sender that was already
 * silent before a restart gets one full interval before it is reported.
 */
public final class SilenceWatch {

    /** A change of state: silent since {@code lastSeen}, or speaking again after being silent since it. */
    public record Change(String host, boolean silent, Instant lastSeen, Duration expectedEvery) {
    }

    private record Watched(String host, Duration every) {
    }

    private volatile Map<String, Watched> byName = Map.of();
    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    /** Silent hosts, with the time they were last heard from. */
    private final Map<String, Instant> silentSince = new ConcurrentHashMap<>();

    /** Takes the watched assets of an inventory (at start and on each reload). */
    public void watch(AssetInventory inventory, Instant now) {
        Map<String, Watched> names = new HashMap<>();
        for (Map.Entry<Asset, Duration> e : inventory.watched().entrySet()) {
            Asset a = e.getKey();
            Watched w = new Watched(a.host(), e.getValue());
            names.put(a.host().toLowerCase(Locale.ROOT), w);
            for (String alias : a.aliases()) {
                names.put(alias.toLowerCase(Locale.ROOT), w);
                names.put(AssetInventory.canonical(alias), w);
            }
            lastSeen.putIfAbsent(a.host(), now);
        }
        lastSeen.keySet().removeIf(h -> !names.containsKey(h.toLowerCase(Locale.ROOT)));
        silentSince.keySet().removeIf(h -> !names.containsKey(h.toLowerCase(Locale.ROOT)));
        byName = Map.copyOf(names);
    }

    /** Called for every event; costs one map lookup when any asset is watched, nothing otherwise. */
    public void seen(Event e) {
        Map<String, Watched> names = byName;
        if (names.isEmpty() || "internal".equals(e.receipt().transport())) {
            return;
        }
        Watched w = e.host() == null ? null : names.get(e.host().toLowerCase(Locale.ROOT));
        if (w == null) {
            w = names.get(e.receipt().peerAddress());
        }
        if (w != null) {
            lastSeen.put(w.host(), e.time());
        }
    }

    /** The assets silent now, with when each was last heard from (or the agent's start), oldest first. */
    public Map<String, Instant> silent() {
        Map<String, Instant> out = new java.util.TreeMap<>();
        out.putAll(silentSince);
        return out;
    }

    /** The assets that fell silent or spoke again since the last check. */
    public List<Change> check(Instant now) {
        List<Change> out = new ArrayList<>(0);
        for (Watched w : new java.util.LinkedHashSet<>(byName.values())) {
            Instant last = lastSeen.getOrDefault(w.host(), now);
            boolean quiet = Duration.between(last, now).compareTo(w.every()) > 0;
            if (quiet && silentSince.putIfAbsent(w.host(), last) == null) {
                out.add(new Change(w.host(), true, last, w.every()));
            } else if (!quiet) {
                Instant since = silentSince.remove(w.host());
                if (since != null) {
                    out.add(new Change(w.host(), false, since, w.every()));
                }
            }
        }
        return out;
    }
}
