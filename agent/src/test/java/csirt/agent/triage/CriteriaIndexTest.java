package csirt.agent.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import csirt.agent.asset.AssetInventory;
import csirt.agent.journal.Receipt;
import csirt.agent.parse.Event;
import csirt.agent.parse.EventParser;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The pre-selection of criteria never leaves out one that matches, and folds case as equalsIgnoreCase compares. */
class CriteriaIndexTest {

    @Property(tries = 2000)
    void folding_agrees_with_equalsIgnoreCase(@ForAll String a, @ForAll String b) {
        assertThat(CriteriaIndex.fold(a).equals(CriteriaIndex.fold(b))).isEqualTo(a.equalsIgnoreCase(b));
        assertThat(CriteriaIndex.fold(a)).isEqualToIgnoringCase(a);
    }

    @Property(tries = 500)
    void folding_agrees_for_case_variants(@ForAll String a) {
        String upper = a.toUpperCase(java.util.Locale.ROOT);
        if (upper.length() == a.length()) {
            assertThat(CriteriaIndex.fold(a).equals(CriteriaIndex.fold(upper))).isEqualTo(a.equalsIgnoreCase(upper));
        }
    }

    @Test
    void every_criterion_that_matches_a_fixture_line_is_a_candidate() throws Exception {
        CriteriaIndex index = new CriteriaIndex(ShippedConfig.criteria().criteria());
        assertThat(index.scansLiterals()).as("the shipped set is below the combined scan's threshold").isFalse();
        assertCandidates(ShippedConfig.criteria().criteria(), index);
    }

    /** A set as large as a site's grown one (the shipped criteria ten times over): the combined literal scan leaves none out either. */
    @Test
    void with_the_combined_literal_scan_too() throws Exception {
        List<Criterion> many = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            many.addAll(ShippedConfig.criteria().criteria());
        }
        CriteriaIndex index = new CriteriaIndex(many);
        assertThat(index.scansLiterals()).isTrue();
        assertCandidates(many, index);
    }

    private void assertCandidates(List<Criterion> criteria, CriteriaIndex index) throws Exception {
        AssetInventory assets = ShippedConfig.assets();
        EventParser parser = new EventParser(ZoneId.of("Asia/Tokyo"));
        Matcher m = Pattern.compile("\"(<\\d+>[^\"]*)\"|'(<\\d+>[^']*)'")
                .matcher(new String(getClass().getResourceAsStream("/criteria-fixtures.yaml").readAllBytes(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        while (m.find()) {
            lines.add((m.group(1) != null ? m.group(1) : m.group(2)).replace("\\\\", "\\"));
        }
        assertThat(lines).hasSizeGreaterThan(60);
        int matched = 0;
        BitSet candidates = new BitSet();
        for (String line : lines) {
            for (String from : List.of("192.0.2.10", "192.0.2.50")) {
                Event e = parser.parse(1, new Receipt(Instant.parse("2026-11-26T09:00:00Z"), "syslog-tcp", "tcp", from, 1),
                        line.getBytes(StandardCharsets.UTF_8), EventParser.Source.SYSLOG);
                EvalContext ctx = new EvalContext(e, assets.lookup(e.host()));
                index.candidates(ctx, candidates);
                for (int i = 0; i < criteria.size(); i++) {
                    Criterion c = criteria.get(i);
                    if (!c.match().isEmpty() && c.matches(ctx)) {
                        matched++;
                        assertThat(candidates.get(i)).as("%s matches %s but was not a candidate", c.id(), line).isTrue();
                    }
                }
            }
        }
        assertThat(matched).isGreaterThan(50);
    }
}
