package csirt.agent.parse.products;

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

    /** What the record says, or null when {@code e} is not one of this product's records. */
    Reading read(Event e);
}
