package csirt.agent.parse.products;

import java.util.List;

import csirt.agent.parse.Event;

/**
 * One security product's records: recognises them in a parsed event and says, in the agent's
 * normalised fields, what they report. A reader never throws and never changes the raw text.
 */
public interface ProductReader {

    /** Stable id, as in the {@code product} field and the fixture file's name: {@code symantec-sep}. */
    String id();

    /** The product as its users know it. */
    String name();

    /**
     * The normalised fields its records carry: a name ("win.event_id"), a prefix ending in "."
     * ("av."), or a name with the values it gives ("alert.kind=attack,scan"); "criteria=ID,ID" for message criteria that judge records the
     * reader only names the sender's role of. So that
     * check-config can say which criteria judge this product's records.
     */
    List<String> yields();

    /**
     * False when the event cannot be one of this product's records, decided from the cheap facts
     * of {@link Probe} (a '=' in the message, a record's fields...); {@link #read} is then not asked.
     */
    boolean mayRead(Probe probe);

    /** What the record says, or null when {@code e} is not one of this product's records. */
    Reading read(Event e);
}
