package csirt.agent.parse.products;

import java.util.List;
import java.util.regex.Pattern;

import csirt.agent.parse.Event;

/**
 * Routers and switches (Cisco IOS and NX-OS, Arista EOS, Juniper Junos): their records make an
 * unlisted sender a network device, so that a link going down is judged as a network outage
 * (LINE-110, LINE-210) and not as a terminal's. Cisco-style {@code %FACILITY-n-MNEMONIC} records
 * come split by the header dialect; Junos names its link traps SNMP_TRAP_LINK_DOWN / UP.
 */
final class NetworkDevices implements ProductReader {

    private static final Pattern MNEMONIC = Pattern.compile("%[A-Z][A-Z0-9_]*(?:-[A-Z0-9_]+)?-[0-7]-[A-Z0-9_]+: ");

    @Override
    public String id() {
        return "network-devices";
    }

    @Override
    public String name() {
        return "Routers and switches (Cisco IOS, NX-OS, Arista EOS, Juniper Junos)";
    }

    @Override
    public List<String> yields() {
        return List.of("criteria=LINE-110,LINE-210");
    }

    @Override
    public boolean mayRead(Probe p) {
        return p.record() || p.message().startsWith("%") || p.comma() && (p.app().equals("mib2d") || p.app().equals("chassisd")
                || p.message().startsWith("SNMP_TRAP_LINK_"));
    }

    @Override
    public Reading read(Event e) {
        String m = e.message();
        // Arista EOS and others write the Cisco-style record after a TAG of their own ("Ebra: %LINEPROTO-5-UPDOWN: ...")
        boolean ciscoStyle = e.fields().containsKey("cisco.mnemonic") || MNEMONIC.matcher(m).lookingAt();
        boolean junos = m.startsWith("SNMP_TRAP_LINK_") || m.contains(" SNMP_TRAP_LINK_") || "mib2d".equals(e.app()) || "chassisd".equals(e.app());
        if (!ciscoStyle && !junos) {
            return null;
        }
        return new Reading().put(Reading.ROLE, "network");
    }
}
