package csirt.agent.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.function.Function;

import csirt.agent.cases.CaseState;
import csirt.agent.triage.Category;
import csirt.agent.triage.FactWording;

/**
 * The console's words in one language ({@code console.<language>.properties} beside the pages):
 * the pages' fixed text through {@code {{#t}}key{{/t}}}, and the labels the code puts in (states,
 * categories, levels, kinds of timeline entry). Japanese is the default and falls back to the
 * plan's own words where the code has them; English is chosen with {@code notice.language=en}.
 */
final class ConsoleWords {

    private final String language;
    private final Properties words;

    private ConsoleWords(String language, Properties words) {
        this.language = language;
        this.words = words;
    }

    static ConsoleWords of(String language) {
        String lang = "en".equals(language) ? "en" : "ja";
        Properties p = new Properties();
        try (InputStream in = ConsoleWords.class.getResourceAsStream("/csirt/agent/console/console." + lang + ".properties")) {
            if (in == null) {
                throw new IllegalStateException("console." + lang + ".properties is missing from the jar");
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read console." + lang + ".properties: " + e.getMessage(), e);
        }
        return new ConsoleWords(lang, p);
    }

    String language() {
        return language;
    }

    boolean japanese() {
        return "ja".equals(language);
    }

    /** A word by key; the key itself when missing (a test holds both files to the same keys). */
    String get(String key) {
        return words.getProperty(key, key);
    }

    /** For the pages: {@code {{#t}}case.1{{/t}}} writes the word of key case.1. */
    Function<String, String> templates() {
        return key -> get(key.strip());
    }

    String state(String state) {
        return japanese() ? CaseState.japanese(state) : get("state." + state);
    }

    String category(String id) {
        Category c = Category.of(id);
        if (c == null) {
            return id;
        }
        return japanese() ? c.japanese() : get("category." + id);
    }

    String level(int level) {
        if (level == 0) {
            return get("level.0");
        }
        return japanese() ? Category.levelJapanese(level) : get("level." + level);
    }

    String kind(String kind) {
        return words.getProperty("kind." + kind, kind);
    }

    String role(Role r) {
        return japanese() ? r.japanese() : get("role." + r.name().toLowerCase(java.util.Locale.ROOT));
    }

    String reporter(String kind) {
        return japanese() ? FactWording.reporter(kind) + get("reporter.suffix") : "report from " + get("reporter." + kind);
    }
}
