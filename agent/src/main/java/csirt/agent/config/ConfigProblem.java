package csirt.agent.config;

import java.nio.file.Path;

/**
 * One thing wrong in the configuration: the file, the line (0 when not known) or key, and a
 * sentence that says what is wrong and how to fix it.
 */
public record ConfigProblem(Path file, int line, String key, String message) {

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(file == null ? "(configuration)" : file.toString());
        if (line > 0) {
            b.append(':').append(line);
        }
        if (key != null && !key.isEmpty()) {
            b.append(": ").append(key);
        }
        return b.append(": ").append(message).toString();
    }
}
