package csirt.agent.parse;

/**
 * An antivirus finding, normalised across products.
 *
 * @param product   e.g. {@code clamav}
 * @param signature the detection name, null on a line that only reports the action taken
 * @param path      the file concerned
 * @param action    what the product did
 */
public record AvAlert(String product, String signature, String path, AvAction action) {
}
