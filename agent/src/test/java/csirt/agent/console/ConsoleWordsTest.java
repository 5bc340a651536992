package csirt.agent.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The console's two languages have the same words, and every word a page asks for exists in both. */
class ConsoleWordsTest {

    private static final Path PAGES = Path.of("agent/src/main/resources/csirt/agent/console");

    private static Properties load(String lang) throws Exception {
        Properties p = new Properties();
        try (InputStream in = ConsoleWords.class.getResourceAsStream("/csirt/agent/console/console." + lang + ".properties")) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void japanese_and_english_have_the_same_keys_and_every_page_key_exists() throws Exception {
        Properties ja = load("ja");
        Properties en = load("en");
        Set<String> jaKeys = new TreeSet<>(ja.stringPropertyNames());
        Set<String> enKeys = new TreeSet<>(en.stringPropertyNames());
        // English has the labels Japanese takes from the plan's own words in the code (states, categories, roles, checks)
        enKeys.removeIf(k -> k.matches("(state|category|role|reporter|check|level)\\..*") && !jaKeys.contains(k));
        assertThat(enKeys).isEqualTo(jaKeys);
        Set<String> used = new TreeSet<>();
        try (Stream<Path> pages = Files.list(PAGES)) {
            for (Path p : pages.filter(f -> f.toString().endsWith(".html")).toList()) {
                Matcher m = Pattern.compile("\\{\\{#t}}([^{]+)\\{\\{/t}}").matcher(Files.readString(p, StandardCharsets.UTF_8));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertThat(used).hasSizeGreaterThan(100);
        assertThat(jaKeys).containsAll(used);
        assertThat(enKeys).containsAll(used);
        ConsoleWords words = ConsoleWords.of("en");
        assertThat(words.state("responding")).isEqualTo("responding (evidence, containment, eradication)");
        assertThat(words.category("theft")).isEqualTo("theft or loss");
        assertThat(ConsoleWords.of("ja").state("responding")).isEqualTo("対応中（証拠保全・封じ込め・根絶）");
    }
}
