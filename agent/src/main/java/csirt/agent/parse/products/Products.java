package csirt.agent.parse.products;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import csirt.agent.parse.Event;

/**
 * The security products whose records the agent reads, in the order they are tried: the first
 * reader that recognises a record says what it means ({@link Reading}); the event then carries
 * {@code product} (the reader's id), the normalised fields and, for an antivirus finding, its
 * {@link csirt.agent.parse.AvAlert} and the endpoint as host.
 */
public final class Products {

    /** Field naming the product whose reader read the record. */
    public static final String PRODUCT = "product";

    /** Every reader, most specific first; the generic CEF reader last. */
    public static final List<ProductReader> ALL = List.of(
            new WindowsEvents(),
            new SymantecEndpoint(),
            new SophosFirewall(),
            new SophosUtm(),
            new SonicWall(),
            new PaloAlto(),
            new CiscoAsa(),
            new FortiGate(),
            new Cylance(),
            new McAfeeEpo(),
            new SophosEndpoint(),
            new EsetProtect(),
            new Kaspersky(),
            new YamahaRtx(),
            new HardwareAlarms(),
            new NetworkDevices(),
            new CefSecurityDevices());

    private Products() {
    }

    /** {@code e} with what its product's reader found, or {@code e} itself when no reader knows it. */
    public static Event read(Event e) {
        String m = e.message();
        if (m == null || m.length() < 8) {
            return e;
        }
        Probe probe = Probe.of(e);
        if (!probe.mayBeAnyProducts()) {
            return e; // most lines: asking eighteen readers one by one cost a third of the parse
        }
        for (ProductReader reader : ALL) {
            if (!reader.mayRead(probe)) {
                continue;
            }
            Reading r;
            try {
                r = reader.read(e);
            } catch (RuntimeException bug) {
                // a reader's bug must not lose the event: it goes on as the header parser left it
                Map<String, String> f = new LinkedHashMap<>(e.fields());
                f.put("product.error", reader.id() + ": " + bug);
                return e.withFields(f);
            }
            if (r != null) {
                return apply(e, reader.id(), r);
            }
        }
        return e;
    }

    private static Event apply(Event e, String id, Reading r) {
        Map<String, String> f = r.fields(); // the reading's own map: what it says wins over the header's fields
        e.fields().forEach(f::putIfAbsent);
        f.put(PRODUCT, id);
        if (r.host() != null) {
            f.putIfAbsent("alert.host", r.host());
        }
        Event out = e.withFields(f);
        if (r.av() != null) {
            out = out.withAv(r.av());
        }
        if (r.host() != null) {
            out = out.withHost(r.host());
        }
        return out;
    }

    /** The reader with this id, or null. */
    public static ProductReader byId(String id) {
        for (ProductReader r : ALL) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        return null;
    }
}
