package csirt.agent.asset;

import java.util.List;
import java.util.Map;

/**
 * What a host is, in the terms Annex table 1 judges by: its role, whether it is networked, and
 * whose work stops if it fails.
 *
 * @param host       the name it logs under (lower case)
 * @param aliases    other names and addresses it may appear under
 * @param role       terminal, server, network, security-device, ups, line
 * @param networked  false for a standalone terminal (Annex cyber.1.2)
 * @param affects    one-user, some-staff, all (all staff and services)
 * @param contractor who operates it and how to reach them (plan 4(2)② "ask the contractor")
 * @param encrypted  its storage is encrypted (Annex theft.1.5 against theft.2.2 when it is lost)
 * @param known      false for the documented default used for hosts not in the inventory
 */
public record Asset(String host, List<String> aliases, String role, boolean networked, String affects,
                    String criticality, String location, String contractor, boolean encrypted, boolean known,
                    Map<String, String> attributes) {

    public static final List<String> ROLES = List.of("terminal", "server", "network", "security-device", "ups", "line");
    public static final List<String> SCOPES = List.of("one-user", "some-staff", "all");

    public Asset(String host, List<String> aliases, String role, boolean networked, String affects,
                 String criticality, String location, String contractor, boolean encrypted, boolean known) {
        this(host, aliases, role, networked, affects, criticality, location, contractor, encrypted, known,
                Map.of("asset.host", host,
                        "asset.role", role,
                        "asset.networked", Boolean.toString(networked),
                        "asset.affects", affects,
                        "asset.criticality", criticality,
                        "asset.location", location,
                        "asset.contractor", contractor,
                        "asset.encrypted", Boolean.toString(encrypted),
                        "asset.known", Boolean.toString(known)));
    }

    /**
     * The attributes criteria can test, as {@code asset.<name>}; built once per asset, because
     * triage reads them for every event.
     */
    @Override
    public Map<String, String> attributes() {
        return attributes;
    }

    public Asset forHost(String name) {
        Asset a = new Asset(name, aliases, role, networked, affects, criticality, location, contractor, encrypted, false);
        String drives = attributes.get(REMOVABLE_DRIVES);
        return drives == null ? a : a.withRemovableDrives(drives);
    }

    /**
     * The drive letters removable media get on a Windows terminal ("E F"), when the inventory
     * says; without it, any letter but C: is read as removable.
     */
    public static final String REMOVABLE_DRIVES = "asset.removable_drives";

    public Asset withRemovableDrives(String letters) {
        Map<String, String> a = new java.util.HashMap<>(attributes);
        a.put(REMOVABLE_DRIVES, letters.toUpperCase(java.util.Locale.ROOT).replace(":", "").replaceAll("[\\s,]+", " ").strip());
        return new Asset(host, aliases, role, networked, affects, criticality, location, contractor, encrypted, known, Map.copyOf(a));
    }
}
