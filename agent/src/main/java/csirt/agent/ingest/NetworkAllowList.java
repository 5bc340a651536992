package csirt.agent.ingest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which senders an input accepts: a comma-separated list of networks in CIDR notation
 * ({@code 192.168.10.0/24}, {@code 2001:db8::/32}) or single addresses; empty accepts everyone.
 * Only literal addresses are accepted (no host names: a DNS answer must not decide who may send).
 */
public final class NetworkAllowList {

    private record Network(byte[] prefix, int bits) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (prefix[full] & mask);
        }
    }

    private final List<Network> networks;
    private final String text;

    private NetworkAllowList(List<Network> networks, String text) {
        this.networks = networks;
        this.text = text;
    }

    public static final NetworkAllowList ANYONE = new NetworkAllowList(List.of(), "");

    /** Parses the setting; the exception's message says which entry is wrong and why. */
    public static NetworkAllowList parse(String setting) {
        List<Network> out = new ArrayList<>();
        for (String raw : setting.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            String addr = slash < 0 ? entry : entry.substring(0, slash);
            if (!addr.matches("[0-9A-Fa-f:.]+") || !(addr.contains(".") || addr.contains(":"))) {
                throw new IllegalArgumentException("'" + entry + "' is not a network: write an address or address/prefix-length, e.g. 192.168.10.0/24");
            }
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(addr).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + entry + "' is not a valid IP address", e);
            }
            int bits = bytes.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > bytes.length * 8) {
                    throw new IllegalArgumentException("'" + entry + "': the prefix length must be 0.." + bytes.length * 8);
                }
            }
            out.add(new Network(bytes, bits));
        }
        return out.isEmpty() ? ANYONE : new NetworkAllowList(List.copyOf(out), setting.strip());
    }

    public boolean permits(InetAddress address) {
        if (networks.isEmpty()) {
            return true;
        }
        byte[] a = address.getAddress();
        for (Network n : networks) {
            if (n.contains(a)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return networks.isEmpty() ? "any network" : text;
    }
}
