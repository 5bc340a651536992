package csirt.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The token that authorises writes to the local HTTP API (e.g. {@code POST /reload}): made anew at
 * every start and written to {@code <data>/api.token}, readable by the service's user only, so
 * whoever may read the data directory may also command the agent, and nobody else.
 */
public final class ApiToken {

    public static final String FILE = "api.token";

    private ApiToken() {
    }

    static String create(Path dataDir) throws IOException {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        String token = HexFormat.of().formatHex(b);
        Files.createDirectories(dataDir);
        Path f = dataDir.resolve(FILE);
        Files.deleteIfExists(f);
        try {
            Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(f);
        }
        Files.writeString(f, token + "\n", StandardCharsets.US_ASCII);
        return token;
    }

    /** Reads the token of a running agent's data directory. */
    public static String read(Path dataDir) throws IOException {
        return Files.readString(dataDir.resolve(FILE), StandardCharsets.US_ASCII).strip();
    }
}
