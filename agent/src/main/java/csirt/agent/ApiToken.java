package csirt.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The token that authorises writes to the local HTTP API (e.g. {@code POST /reload}): made anew at
 * every start and written to {@code <data>/api.token}, readable by the service's user only, so
 * whoever may read the data directory may also command the agent, and nobody else.
 */
public final class ApiToken {

    public static final String FILE = "api.token";
    /** Where the running agent serves its API ({@code host:port}, the port it bound), beside the token. */
    public static final String ENDPOINT_FILE = "api.endpoint";

    private ApiToken() {
    }

    /** A new random token (not yet written: {@link #write} once the agent serves its API). */
    static String generate() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * Writes the token of the agent now serving the API; called only after the HTTP port is bound,
     * so an agent that fails to start never replaces the token of the one that runs.
     */
    static void write(Path dataDir, String token, String endpoint) throws IOException {
        writePrivate(dataDir, FILE, token);
        writePrivate(dataDir, ENDPOINT_FILE, endpoint);
    }

    /** The {@code host:port} of the running agent of {@code dataDir}, or null when it wrote none. */
    public static String endpoint(Path dataDir) {
        try {
            return Files.readString(dataDir.resolve(ENDPOINT_FILE), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return null;
        }
    }

    private static void writePrivate(Path dataDir, String name, String text) throws IOException {
        PrivateFiles.writeString(dataDir.resolve(name), text + "\n");
    }

    /** Reads the token of a running agent's data directory. */
    public static String read(Path dataDir) throws IOException {
        return Files.readString(dataDir.resolve(FILE), StandardCharsets.US_ASCII).strip();
    }
}
