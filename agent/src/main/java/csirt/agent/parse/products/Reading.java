package csirt.agent.parse.products;

import java.util.LinkedHashMap;
import java.util.Map;

import csirt.agent.parse.AvAlert;

/**
 * What a product's record says, normalised: an antivirus finding, the host it is about (the
 * endpoint, not the console that forwarded it), and named fields, among them
 * <ul>
 * <li>{@code alert.kind}: attack, scan, dos, c2 (an internal host talking to a botnet or C&amp;C
 * server), protection-off, firewall (a rule's plain deny or allow), other;</li>
 * <li>{@code alert.action}: blocked or detected (seen, not stopped);</li>
 * <li>{@code alert.signature}: the product's name for what it saw;</li>
 * <li>{@code source.role}: the role a record implies for its sender when the inventory does not
 * list it (a firewall's or IPS's records come from a security device).</li>
 * </ul>
 */
public final class Reading {

    public static final String KIND = "alert.kind";
    public static final String ACTION = "alert.action";
    public static final String SIGNATURE = "alert.signature";
    public static final String ROLE = "source.role";
    public static final String SECURITY_DEVICE = "security-device";

    AvAlert av;
    String host;
    final Map<String, String> fields;

    Reading() {
        this(new LinkedHashMap<>());
    }

    /** A reading that keeps {@code own} (a record's fields as the reader scanned them, mutable) and adds to it. */
    Reading(Map<String, String> own) {
        this.fields = own;
    }

    public AvAlert av() {
        return av;
    }

    public String host() {
        return host;
    }

    public Map<String, String> fields() {
        return fields;
    }

    Reading put(String key, String value) {
        if (value != null && !value.isEmpty()) {
            boolean padded = value.charAt(0) <= ' ' || value.charAt(value.length() - 1) <= ' ';
            String v = padded ? value.strip() : value;
            if (!v.isEmpty()) {
                fields.put(key, v);
            }
        }
        return this;
    }



    Reading alert(String kind, String action, String signature) {
        put(KIND, kind);
        put(ACTION, action);
        return put(SIGNATURE, signature);
    }

    Reading fromSecurityDevice() {
        return put(ROLE, SECURITY_DEVICE);
    }

    Reading host(String h) {
        if (h != null && !h.isBlank()) {
            host = h.strip();
        }
        return this;
    }
}
