package csirt.agent.journal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The seal of a closed journal segment (docs/JOURNAL.md): its first and last sequence numbers, the
 * chain hash before it and the hashes of its first and last records, and the SHA-256 of the whole
 * file. Written beside the segment as {@code <segment>.manifest}; both are then made read-only.
 */
public record SegmentManifest(String segment, long firstSeq, long lastSeq, long records, String prevHash, String firstHash,
                              String lastHash, long bytes, String sha256, Instant sealedAt) {

    public static Path pathFor(Path segment) {
        return segment.resolveSibling(segment.getFileName() + ".manifest");
    }

    public void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("format", "CSJ1-manifest");
        p.setProperty("segment", segment);
        p.setProperty("first_seq", Long.toString(firstSeq));
        p.setProperty("last_seq", Long.toString(lastSeq));
        p.setProperty("records", Long.toString(records));
        p.setProperty("prev_hash", prevHash);
        p.setProperty("first_hash", firstHash);
        p.setProperty("last_hash", lastHash);
        p.setProperty("bytes", Long.toString(bytes));
        p.setProperty("sha256", sha256);
        p.setProperty("sealed_at", sealedAt.toString());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "csirt-agent journal segment manifest (docs/JOURNAL.md)");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static SegmentManifest read(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        if (!"CSJ1-manifest".equals(p.getProperty("format"))) {
            throw new IOException(file + " is not a journal segment manifest");
        }
        try {
            return new SegmentManifest(p.getProperty("segment"), Long.parseLong(p.getProperty("first_seq")),
                    Long.parseLong(p.getProperty("last_seq")), Long.parseLong(p.getProperty("records")), p.getProperty("prev_hash"),
                    p.getProperty("first_hash"), p.getProperty("last_hash"), Long.parseLong(p.getProperty("bytes")),
                    p.getProperty("sha256"), Instant.parse(p.getProperty("sealed_at")));
        } catch (RuntimeException e) {
            throw new IOException(file + " is not a valid manifest: " + e.getMessage(), e);
        }
    }

    /** SHA-256 of a whole file, hex. */
    public static String sha256(Path file) throws IOException {
        return sha256(file, ReadPace.NONE);
    }

    static String sha256(Path file, ReadPace pace) throws IOException {
        MessageDigest d = JournalFormat.sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
                pace.read(n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
