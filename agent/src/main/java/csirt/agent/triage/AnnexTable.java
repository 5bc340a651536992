package csirt.agent.triage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The 35 examples of the plan's Annex table 1, by stable id, with their Japanese text. */
public final class AnnexTable {

    /** One example of the table. */
    public record Example(String id, String category, int level, String japanese, String english) {
    }

    private static final Map<String, Example> EXAMPLES = load();

    private AnnexTable() {
    }

    public static Example get(String id) {
        return EXAMPLES.get(id);
    }

    public static Map<String, Example> all() {
        return EXAMPLES;
    }

    private static Map<String, Example> load() {
        Map<String, Example> m = new LinkedHashMap<>();
        try (InputStream in = AnnexTable.class.getResourceAsStream("/csirt/agent/annex-table-1.tsv");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t");
                String[] id = f[0].split("\\.");
                m.put(f[0], new Example(f[0], id[0], Integer.parseInt(id[1]), f[1], f[2]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableMap(m);
    }
}
