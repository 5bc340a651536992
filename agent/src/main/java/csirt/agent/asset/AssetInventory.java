package csirt.agent.asset;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import csirt.agent.parse.SourceProfile;

import csirt.agent.config.ConfigProblem;
import csirt.agent.config.YamlNode;

/**
 * The hosts described in {@code config/assets.yaml}, looked up by name or alias; a host not
 * listed gets the file's {@code defaults} (documented there), never an error.
 */
public final class AssetInventory {

    private static final Set<String> ASSET_KEYS = Set.of("host", "aliases", "role", "networked", "affects", "removable_drives",
            "criticality", "location", "contractor", "encrypted", "charset", "zone", "expect_every");
    private static final Set<String> DEFAULT_KEYS = Set.of("role", "networked", "affects", "criticality", "removable_drives",
            "location", "contractor", "encrypted");

    private final Map<String, Asset> byName;
    private final Asset defaults;
    private final Map<String, SourceProfile> byAddress;
    private final Map<Asset, java.time.Duration> watched;

    private AssetInventory(Map<String, Asset> byName, Asset defaults, Map<String, SourceProfile> byAddress,
                           Map<Asset, java.time.Duration> watched) {
        this.byName = byName;
        this.defaults = defaults;
        this.byAddress = byAddress;
        this.watched = watched;
    }

    /** The assets expected to speak at least once per interval ({@code expect_every}). */
    public Map<Asset, java.time.Duration> watched() {
        return watched;
    }

    /** An inventory with no hosts, where every host is a networked terminal affecting one user. */
    public static AssetInventory empty() {
        return new AssetInventory(Map.of(), builtInDefault(), Map.of(), Map.of());
    }

    /**
     * How to read messages received from {@code peerAddress} (an asset's alias that is an IP
     * address, with its {@code charset} or {@code zone}), or null for the agent's defaults.
     */
    public SourceProfile sourceProfile(String peerAddress) {
        return byAddress.isEmpty() || peerAddress == null ? null : byAddress.get(peerAddress);
    }

    private static Asset builtInDefault() {
        return new Asset("*", List.of(), "terminal", true, "one-user", "normal", "", "", false, false);
    }

    /** Hosts not in the inventory seen lately, so that each is described once, not once per event. */
    private final java.util.concurrent.ConcurrentHashMap<String, Asset> unknown = new java.util.concurrent.ConcurrentHashMap<>();

    public Asset lookup(String host) {
        String name = host == null ? "-" : host;
        Asset a = byName.get(name.toLowerCase(Locale.ROOT));
        if (a != null) {
            return a;
        }
        a = unknown.get(name);
        if (a == null) {
            if (unknown.size() > 10_000) {
                unknown.clear(); // bounded: a flood of invented host names must not grow memory
            }
            a = defaults.forHost(name);
            unknown.put(name, a);
        }
        return a;
    }

    /**
     * As {@link #lookup(String)}, but a host the inventory does not list takes {@code impliedRole}
     * (when it is one of {@link Asset#ROLES}) instead of the default's: a record only a security
     * product writes (an IPS alert, a UTM log) comes from a security device. A listed host keeps
     * the role the inventory gives it.
     */
    public Asset lookup(String host, String impliedRole) {
        Asset a = lookup(host);
        if (a.known() || impliedRole == null || impliedRole.equals(a.role()) || !Asset.ROLES.contains(impliedRole)) {
            return a;
        }
        String key = impliedRole + "|" + a.host();
        Asset implied = unknown.get(key);
        if (implied == null) {
            implied = new Asset(a.host(), a.aliases(), impliedRole, a.networked(), a.affects(), a.criticality(), a.location(),
                    a.contractor(), a.encrypted(), false);
            unknown.put(key, implied);
        }
        return implied;
    }

    /** The listed assets, each once, in the order of the file. */
    public List<Asset> assets() {
        return byName.values().stream().distinct().toList();
    }

    public int size() {
        return (int) byName.values().stream().distinct().count();
    }

    public static AssetInventory load(Path file, List<ConfigProblem> problems) {
        YamlNode root = YamlNode.load(file, problems);
        if (root == null) {
            return empty();
        }
        Map<String, YamlNode> top = root.entries();
        root.rejectUnknownKeys(top, Set.of("defaults", "assets"));
        Asset defaults = builtInDefault();
        if (top.containsKey("defaults")) {
            YamlNode d = top.get("defaults");
            Map<String, YamlNode> e = d.entries();
            d.rejectUnknownKeys(e, DEFAULT_KEYS);
            defaults = read("*", e, defaults, d, false);
        }
        Map<String, Asset> byName = new HashMap<>();
        Map<String, SourceProfile> byAddress = new HashMap<>();
        Map<Asset, java.time.Duration> watched = new java.util.LinkedHashMap<>();
        if (top.containsKey("assets")) {
            for (YamlNode item : top.get("assets").items()) {
                Map<String, YamlNode> e = item.entries();
                item.rejectUnknownKeys(e, ASSET_KEYS);
                String host = e.containsKey("host") ? e.get("host").text() : null;
                if (host == null || host.isBlank()) {
                    item.problem("host", "every asset needs a host: the name it logs under");
                    continue;
                }
                Asset a = read(host.toLowerCase(Locale.ROOT), e, defaults, item, true);
                String every = str(e, "expect_every", null);
                if (every != null) {
                    java.time.Duration d = csirt.agent.config.Durations.parse(every);
                    if (d == null || d.toSeconds() < 60) {
                        item.problemAt(e, "expect_every", "must be a duration of at least 1m such as 15m, 1h or 1d, was '" + every
                                + "' (how often the asset sends at least one message)");
                    } else {
                        watched.put(a, d);
                    }
                }
                SourceProfile profile = profile(e, item);
                if (profile != null) {
                    List<String> addresses = a.aliases().stream().filter(AssetInventory::isAddress).toList();
                    if (addresses.isEmpty()) {
                        item.problemAt(e, e.containsKey("charset") ? "charset" : "zone", "charset and zone apply to what is received "
                                + "from the asset's addresses, decided before a message is parsed: list its IP address under aliases");
                    }
                    for (String address : addresses) {
                        byAddress.put(canonical(address), profile);
                    }
                }
                for (String name : names(a)) {
                    if (byName.put(name, a) != null) {
                        item.problem("host", "the name or alias '" + name + "' is listed twice; each host must be listed once");
                    }
                }
            }
        }
        return new AssetInventory(byName, defaults, Map.copyOf(byAddress), java.util.Collections.unmodifiableMap(watched));
    }

    private static SourceProfile profile(Map<String, YamlNode> e, YamlNode where) {
        java.nio.charset.Charset charset = null;
        java.time.ZoneId zone = null;
        String c = str(e, "charset", null);
        if (c != null) {
            try {
                charset = java.nio.charset.Charset.forName(c);
            } catch (IllegalArgumentException ex) {
                where.problemAt(e, "charset", "unknown charset '" + c + "'; use UTF-8, Shift_JIS, windows-31j or EUC-JP");
            }
        }
        String z = str(e, "zone", null);
        if (z != null) {
            try {
                zone = java.time.ZoneId.of(z);
            } catch (java.time.DateTimeException ex) {
                where.problemAt(e, "zone", "unknown time zone '" + z + "'; use a region name such as Asia/Tokyo or UTC");
            }
        }
        return charset == null && zone == null ? null : new SourceProfile(charset, zone);
    }

    /**
     * An alias as the receipt would write it: an IP literal in Java's form (::1 is
     * 0:0:0:0:0:0:0:1; no DNS is asked for literals), any other name in lower case.
     */
    static String canonical(String alias) {
        if (!isAddress(alias)) {
            return alias.toLowerCase(Locale.ROOT);
        }
        try {
            return java.net.InetAddress.getByName(alias).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return alias;
        }
    }

    private static boolean isAddress(String alias) {
        return alias.matches("[0-9.]+|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");
    }

    private static List<String> names(Asset a) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        out.add(a.host());
        for (String alias : a.aliases()) {
            out.add(alias.toLowerCase(Locale.ROOT));
        }
        return out;
    }

    private static Asset read(String host, Map<String, YamlNode> e, Asset base, YamlNode where, boolean known) {
        String role = str(e, "role", base.role());
        if (!Asset.ROLES.contains(role)) {
            where.problemAt(e, "role", "unknown role '" + role + "'; use one of " + Asset.ROLES);
        }
        String affects = str(e, "affects", base.affects());
        if (!Asset.SCOPES.contains(affects)) {
            where.problemAt(e, "affects", "unknown scope '" + affects + "'; use one of " + Asset.SCOPES
                    + " (one user, some staff, all staff and services)");
        }
        String networked = bool(e, "networked", base.networked(), where);
        String encrypted = bool(e, "encrypted", base.encrypted(), where);
        List<String> aliases = e.containsKey("aliases") ? e.get("aliases").texts() : List.of();
        Asset a = new Asset(host, aliases, role, Boolean.parseBoolean(networked), affects,
                str(e, "criticality", base.criticality()), str(e, "location", base.location()),
                str(e, "contractor", base.contractor()), Boolean.parseBoolean(encrypted), known);
        String drives = e.containsKey("removable_drives") ? String.join(" ", e.get("removable_drives").texts())
                : base.attributes().get(Asset.REMOVABLE_DRIVES);
        if (drives != null) {
            if (!drives.strip().matches("(?i)([A-Z]:?\\s*)*")) {
                where.problemAt(e, "removable_drives", "must list drive letters such as [E, F] (the letters removable media get on "
                        + "this terminal), was '" + drives + "'");
            } else {
                a = a.withRemovableDrives(drives);
            }
        }
        return a;
    }

    private static String bool(Map<String, YamlNode> e, String key, boolean dflt, YamlNode where) {
        String v = str(e, key, Boolean.toString(dflt));
        if (!v.equals("true") && !v.equals("false")) {
            where.problemAt(e, key, "must be true or false, was '" + v + "'");
        }
        return v;
    }

    private static String str(Map<String, YamlNode> e, String key, String dflt) {
        if (!e.containsKey(key)) {
            return dflt;
        }
        String t = e.get(key).text();
        return t == null ? dflt : t.strip();
    }
}
