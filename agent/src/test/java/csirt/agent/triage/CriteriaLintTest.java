package csirt.agent.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import csirt.agent.config.ConfigProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lint over the criteria: the shipped set is clean and covered by fixtures; broken sets are reported in full. */
class CriteriaLintTest {

    @Test
    void the_shipped_criteria_have_no_problems() {
        List<ConfigProblem> problems = new ArrayList<>();
        CriteriaSet set = CriteriaSet.load(ShippedConfig.CONFIG.resolve("criteria"), problems);
        assertThat(problems).isEmpty();
        assertThat(set.criteria()).hasSizeGreaterThanOrEqualTo(9);
    }

    @Test
    @SuppressWarnings("unchecked")
    void every_stable_criterion_has_a_positive_fixture() throws IOException {
        Set<String> covered = new HashSet<>();
        for (Map<String, Object> f : CriteriaFixturesTest.fixtures()) {
            for (Map<String, Object> e : (List<Map<String, Object>>) f.get("expect")) {
                covered.add((String) e.get("criterion"));
            }
        }
        List<String> missing = ShippedConfig.criteria().criteria().stream()
                .filter(c -> "stable".equals(c.status()))
                .map(Criterion::id)
                .filter(id -> !covered.contains(id))
                .toList();
        assertThat(missing).as("stable criteria without a fixture in criteria-fixtures.yaml").isEmpty();
    }

    @Test
    void every_problem_in_every_file_is_reported_with_its_line(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), String.join("\n",
                "criteria:",
                "  - id: AV-1",                                   // line 2: bad id
                "    title: t",
                "    category: cyber",
                "    level: 3",                                   // bad level
                "    annex: {id: cyber.1.4, text: 違う文}",        // text not verbatim
                "    match:",
                "      av.colour: red",                           // unknown field
                "      message: {regex: \"([\"}",                 // bad regex
                "  - id: AV-002",
                "    title: t",
                "    category: cyber",
                "    level: 1",
                "    annex: {id: cyber.0.1, text: ウイルスを検知したが、端末のウイルス対策ソフトが駆除した場合}", // level mismatch
                "    match: {av.action: detected}",
                "  - id: AV-004",
                "    title: valid",
                "    category: cyber",
                "    level: 1",
                "    annex: {id: cyber.1.4, text: ネットワーク接続している端末にウイルス感染したが他の情報システムや端末に影響していないもの}",
                "    match: {av.action: detected}",
                ""), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("b.yaml"), "criteria:\n  - id: AV-004\n    title: dup\n    category: cyber\n    level: 0\n"
                + "    annex: {id: none}\n    match: {app: x}\n    description: d\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("c.yaml"), "criteria:\n  - id: AV-003\n  - [oops\n", StandardCharsets.UTF_8);
        List<ConfigProblem> problems = new ArrayList<>();
        CriteriaSet.load(dir, problems);
        List<String> text = problems.stream().map(ConfigProblem::toString).toList();
        assertThat(text).anySatisfy(s -> assertThat(s).contains("a.yaml:2: criteria[0].id: 'AV-1' is not a criterion id"));
        assertThat(text).anySatisfy(s -> assertThat(s).contains("a.yaml:5: criteria[0].level: level must be 0, 1 or 2 (Annex table 1), was '3'"));
        assertThat(text).anySatisfy(s -> assertThat(s).contains("a.yaml:6: criteria[0].annex.text: must quote example cyber.1.4 verbatim"));
        assertThat(text).anySatisfy(s -> assertThat(s).contains("a.yaml:8: criteria[0].match.av.colour: unknown field 'av.colour'"));
        assertThat(text).anySatisfy(s -> assertThat(s).contains("criteria[0].match.message.regex: the regular expression does not compile"));
        assertThat(text).anySatisfy(s -> assertThat(s).contains(
                "criteria[1].annex.id: example cyber.0.1 is level 0 in Annex table 1, but the criterion gives level 1"));
        assertThat(text).anySatisfy(s -> assertThat(s).contains("b.yaml:2: criteria[0].id: 'AV-004' is already used at"));
        assertThat(text).anySatisfy(s -> assertThat(s).contains("c.yaml:4: not valid YAML"));
    }

    @Test
    void the_annex_table_has_the_35_examples_of_the_plan() {
        assertThat(AnnexTable.all()).hasSize(35);
        assertThat(AnnexTable.get("cyber.0.1").japanese()).isEqualTo("ウイルスを検知したが、端末のウイルス対策ソフトが駆除した場合");
        assertThat(AnnexTable.get("theft.2.5").level()).isEqualTo(2);
    }
}
