package csirt.agent.parse;

/**
 * An antivirus finding, normalised across products.
 *
 * @param product   e.g. {@code clamav}
 * @param signature the detection name, null on a line that only reports the action taken
 * @param path      the file concerned
 * @param action    what the product did
 * @param hash      the file's hash when the product gives it (clamd ExtendedDetectionInfo: MD5), else null
 * @param size      the file's size in bytes when the product gives it, else null
 */
public record AvAlert(String product, String signature, String path, AvAction action, String hash, String size) {

    public AvAlert(String product, String signature, String path, AvAction action) {
        this(product, signature, path, action, null, null);
    }
}
