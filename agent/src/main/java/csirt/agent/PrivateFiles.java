package csirt.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The data directory holds evidence, personal data in log lines, the API token: what the agent
 * creates there is its owner's only (directories 0700, files 0600), whatever the umask of the shell
 * that started it. The systemd unit's UMask=0077 says the same; this holds without it.
 */
public final class PrivateFiles {

    private PrivateFiles() {
    }

    /** Creates {@code dir} and missing parents as 0700; an existing directory is made 0700 too. */
    public static Path directory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                return Files.createDirectories(dir); // not POSIX (Windows): the platform's defaults
            }
        }
        restrict(dir, "rwx------");
        return dir;
    }

    /**
     * Writes {@code text} (UTF-8) to {@code file} as 0600: into a new file beside it, then renamed
     * over it, so a reader sees the old text or the new, never half of one, nor a moment of 0644.
     */
    public static void writeString(Path file, String text) throws IOException {
        directory(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Makes an existing file (or directory) 0600 (0700 for a directory); nothing on a non-POSIX file system. */
    public static void restrict(Path p) throws IOException {
        restrict(p, Files.isDirectory(p) ? "rwx------" : "rw-------");
    }

    private static void restrict(Path p, String perms) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException e) {
            // not POSIX
        }
    }
}
