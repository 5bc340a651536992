package csirt.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import csirt.agent.intake.ManualReport;
import org.junit.jupiter.api.Test;

/**
 * The interactive intake asks again after an answer the plan's table does not know, instead of
 * sending a report that would silently read as "not an incident"; the API refuses such a value with
 * the allowed ones listed.
 */
class IntakePromptTest {

    /** Scripted answers; what the command said back is kept. */
    private static final class Script implements IntakeCommand.Prompter {
        final Deque<String> answers;
        final List<String> said = new ArrayList<>();
        final List<String> asked = new ArrayList<>();

        Script(String... answers) {
            this.answers = new ArrayDeque<>(List.of(answers));
        }

        @Override
        public String ask(String question) {
            asked.add(question);
            return answers.poll();
        }

        @Override
        public void say(String line) {
            said.add(line);
        }
    }

    @Test
    void a_wrong_answer_is_asked_again_and_yes_no_read_as_the_table_does() {
        IntakeCommand c = new IntakeCommand();
        Script s = new Script("staff", "総務課 内線1234", "いいえ", "theft", "USBメモリを紛失", "",
                "misplaced", "lost", // not a kind the table knows, then one it knows
                "medium", "personal", "no", "なし", "いいえ", "n");
        c.prompt(s);
        assertThat(c.reporter).isEqualTo("staff");
        assertThat(c.verified).isFalse();
        assertThat(c.category).isEqualTo("theft");
        assertThat(c.facts).containsExactly(Map.entry("kind", "lost"), Map.entry("item", "medium"), Map.entry("holds", "personal"),
                Map.entry("encrypted", "false"), Map.entry("affects_work", "false"), Map.entry("found_safe", "false"));
        assertThat(s.said).containsExactly("次のいずれかで答えてください: lost、stolen、leaked、exposed、taken-out",
                "次のいずれかで答えてください: true、false");
        assertThat(s.asked).anySatisfy(q -> assertThat(q).startsWith("暗号化されていたか"));
    }

    @Test
    void an_unknown_fact_value_is_refused_with_the_allowed_values() {
        List<String> problems = new ArrayList<>();
        ManualReport.from(Map.of("reporter", Map.of("kind", "staff", "contact", "x"), "category", "theft", "summary", "s",
                "facts", Map.of("kind", "lost", "item", "medium", "holds", "personal", "encrypted", "maybe")), problems);
        assertThat(problems).containsExactly("暗号化（encrypted）の答え「maybe」は判断基準にありません。次のいずれかです: はい、いいえ（yes、no）");
        problems.clear();
        ManualReport r = ManualReport.from(Map.of("reporter", Map.of("kind", "staff", "contact", "x"), "category", "theft", "summary", "s",
                "facts", Map.of("kind", "lost", "item", "medium", "holds", "personal", "encrypted", "no")), problems);
        assertThat(problems).isEmpty();
        assertThat(r.facts()).containsEntry("report.encrypted", "false");
    }

    @Test
    void every_answer_the_decision_table_reads_is_one_the_intake_accepts() throws Exception {
        String table = java.nio.file.Files.readString(java.nio.file.Path.of("config/criteria/theft.yaml"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("report\\.(\\w+): (\\[[^\\]]*\\]|\\{not: \\[[^\\]]*\\]\\}|\"?[\\w-]+\"?)")
                .matcher(table);
        int seen = 0;
        while (m.find()) {
            for (String v : m.group(2).replaceAll("[\\[\\]{}\"]|not:", " ").split("[ ,]+")) {
                if (!v.isBlank()) {
                    assertThat(ManualReport.FACTS.get(m.group(1))).as("report.%s: %s", m.group(1), v).contains(v);
                    seen++;
                }
            }
        }
        assertThat(seen).as("values read from theft.yaml").isGreaterThan(30);
    }

    @Test
    void the_end_of_input_sends_nothing() {
        IntakeCommand c = new IntakeCommand();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.prompt(new Script("staff")))
                .hasMessageContaining("報告は送られていません");
    }
}
