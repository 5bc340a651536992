package csirt.agent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import csirt.agent.config.Settings.Key;

/**
 * Where a secret (the SMTP password, the TLS keystore password) comes from, in this order: an
 * environment variable (systemd's {@code Environment=} or a credential), a file readable by the
 * service only, or the setting itself. The value is never logged; settings print it masked.
 */
public final class Secrets {

    private Secrets() {
    }

    public static String resolve(Settings s, String env, Key fileKey, Key valueKey) {
        String fromEnv = System.getenv(env);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv;
        }
        String file = s.get(fileKey);
        if (!file.isEmpty()) {
            try {
                return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("Cannot read " + fileKey.key() + " " + file
                        + ": make it readable by the service's user (mode 0400 or 0600), or set " + env + " instead", e);
            }
        }
        return s.get(valueKey);
    }
}
