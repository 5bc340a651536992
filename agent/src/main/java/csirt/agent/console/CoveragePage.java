package csirt.agent.console;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import csirt.agent.asset.AssetInventory;
import csirt.agent.asset.SourceCoverage;
import csirt.agent.cases.CaseStore;
import csirt.agent.cases.SourceTally;
import csirt.agent.triage.FactWording;

/** Log coverage (plan 5(1)②): every asset's last message and rate over 7 days, and the senders the inventory does not list. */
final class CoveragePage {

    private CoveragePage() {
    }

    static Map<String, Object> model(AssetInventory assets, CaseStore cases, DateTimeFormatter time, Instant now, ConsoleWords words) {
        SourceCoverage.Report r = SourceCoverage.of(assets, cases.senders(now.atZone(time.getZone()).toLocalDate().minusDays(6)), 7);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SourceCoverage.AssetRow a : r.assets()) {
            Map<String, Object> row = new HashMap<>();
            row.put("host", a.asset().host());
            row.put("role", words.japanese() ? FactWording.value("asset.role", a.asset().role()) : a.asset().role());
            row.put("location", a.asset().location());
            row.put("never", a.neverSent());
            row.put("last", a.neverSent() ? "" : time.format(a.lastSeen()) + " JST");
            row.put("perDay", a.neverSent() ? "-" : String.format(Locale.ROOT, "%.1f", a.perDay()));
            row.put("total", a.total());
            rows.add(row);
        }
        List<Map<String, Object>> unlisted = new ArrayList<>();
        for (SourceTally.Sent u : r.unlisted().subList(0, Math.min(200, r.unlisted().size()))) {
            unlisted.add(Map.of("host", u.host(), "total", u.total(), "first", time.format(u.firstSeen()) + " JST",
                    "last", time.format(u.lastSeen()) + " JST"));
        }
        Map<String, Object> m = new HashMap<>();
        m.put("title", words.get("coverage.title"));
        m.put("assets", rows);
        m.put("unlisted", unlisted);
        m.put("unlistedCount", r.unlisted().size());
        return m;
    }
}
