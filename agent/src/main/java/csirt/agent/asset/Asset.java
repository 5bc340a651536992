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
 * @param known      false for the documented default used for hosts not in the inventory
 */
public record Asset(String host, List<String> aliases, String role, boolean networked, String affects,
                    String criticality, String location, String contractor, boolean known) {

    public static final List<String> ROLES = List.of("terminal", "server", "network", "security-device", "ups", "line");
    public static final List<String> SCOPES = List.of("one-user", "some-staff", "all");

    /** The attributes criteria can test, as {@code asset.<name>}. */
    public Map<String, String> attributes() {
        return Map.of(
                "asset.host", host,
                "asset.role", role,
                "asset.networked", Boolean.toString(networked),
                "asset.affects", affects,
                "asset.criticality", criticality,
                "asset.location", location,
                "asset.contractor", contractor,
                "asset.known", Boolean.toString(known));
    }

    public Asset forHost(String name) {
        return new Asset(name, aliases, role, networked, affects, criticality, location, contractor, false);
    }
}
