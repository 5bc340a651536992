package csirt.agent.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import csirt.agent.parse.products.ProductReader;
import csirt.agent.parse.products.Products;
import org.junit.jupiter.api.Test;

/**
 * Every product reader has its fixture file (products/&lt;id&gt;.yaml) with lines whose source is
 * cited, at least one that must be an incident and one near-miss that must not (a test
 * detection removed, a signature update, a plain firewall deny): a reader is only as good as the
 * real lines it was built against.
 */
class ProductFixturesLintTest {

    @Test
    @SuppressWarnings("unchecked")
    void every_product_reader_has_cited_fixtures_with_an_incident_and_a_near_miss() throws IOException {
        List<String> problems = new ArrayList<>();
        for (ProductReader reader : Products.ALL) {
            List<Map<String, Object>> fixtures = CriteriaFixturesTest.productFixtures(reader.id());
            if (fixtures.isEmpty()) {
                problems.add(reader.id() + ": no fixture file products/" + reader.id() + ".yaml");
                continue;
            }
            boolean incident = false;
            boolean nearMiss = false;
            for (Map<String, Object> f : fixtures) {
                Object origin = f.get("origin");
                if (!(origin instanceof String o) || o.isBlank()) {
                    problems.add(reader.id() + ": fixture '" + f.get("name") + "' does not cite where its lines come from (origin)");
                }
                for (Map<String, Object> e : (List<Map<String, Object>>) f.get("expect")) {
                    int level = (Integer) e.get("level");
                    incident |= level > 0;
                    nearMiss |= level == 0;
                }
            }
            if (!incident) {
                problems.add(reader.id() + ": no fixture line that must be an incident");
            }
            if (!nearMiss) {
                problems.add(reader.id() + ": no near-miss (a line that must be level 0)");
            }
        }
        assertThat(problems).isEmpty();
    }
}
