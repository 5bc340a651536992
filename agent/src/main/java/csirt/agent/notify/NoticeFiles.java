package csirt.agent.notify;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.Instant;

import csirt.agent.cases.CaseRecord;

/**
 * Writes notices as {@code .eml} files (RFC 5322, readable by any mail client): the delivery when
 * no SMTP host is configured, and the place a notice goes when SMTP delivery failed, so no notice
 * is ever lost. File names come only from the case id, kind and time, never from log text.
 */
public final class NoticeFiles {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path dir;

    public NoticeFiles(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Writes a notice's bytes into {@code dir} (or its {@code subdir}) and returns the file. The name
     * comes from the notice itself (when it was queued, its case, kind, level and Message-ID), so a
     * notice written again after a crash between writing it and clearing it from the outbox replaces
     * its own file instead of becoming a second one.
     *
     * @param caseId 0 for a notice about no single case
     */
    public Path write(long caseId, String kind, int level, Instant queuedAt, String messageId, byte[] bytes, String subdir)
            throws IOException {
        Path target = subdir == null ? dir : dir.resolve(subdir);
        csirt.agent.PrivateFiles.directory(target);
        String about = caseId > 0 ? CaseRecord.displayId(caseId) : "csirt";
        String name = STAMP.format(queuedAt) + "-" + about + "-" + kind + "-L" + level + "-" + shortId(messageId) + ".eml";
        Path tmp = target.resolve("." + name + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            out.write(bytes);
        }
        Path file = target.resolve(name);
        csirt.agent.PrivateFiles.restrict(tmp);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /** Eight hex digits of the Message-ID's SHA-256: names stay short and free of anything a sender wrote. */
    private static String shortId(String messageId) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(String.valueOf(messageId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(h, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
