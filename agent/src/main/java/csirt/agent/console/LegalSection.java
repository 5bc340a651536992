package csirt.agent.console;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import csirt.agent.cases.CaseRecord;
import csirt.agent.cases.CaseStore;
import csirt.agent.cases.LegalClock;
import csirt.agent.cases.PpcReport;

/**
 * The case page's part about the report of a personal-data breach to the Commission: asked at
 * once for the plan's personal-data examples, folded for any other incident; once answered, the
 * deadlines, the items only a person writes and the buttons that record a report as sent.
 */
final class LegalSection {

    private LegalSection() {
    }

    /** Puts the section's model into the case page's {@code m}; {@code written}: the case's written report fields. */
    static void put(Map<String, Object> m, CaseRecord c, CaseStore cases, DateTimeFormatter time, long id, Map<String, String> written) {
    Optional<LegalClock.State> legal = cases.legal(id);
    boolean asks = LegalClock.asks(c) || legal.isPresent();
    // the plan's personal-data examples ask at once; any other incident may be marked by a person (folded)
    m.put("legalAsk", asks || c.level() > 0);
    m.put("legalFolded", !asks);
    if (asks || c.level() > 0) {
        Map<String, Object> l = new HashMap<>();
        legal.ifPresent(st -> {
            l.put("answered", true);
            l.put("status", PpcReport.status(st, time.getZone()));
            l.put("personal", st.answers().personal());
            l.put("sensitive", st.answers().sensitive());
            l.put("financial", st.answers().financial());
            l.put("wrongful", st.answers().wrongful());
            l.put("persons", st.answers().persons());
            l.put("reportable", st.answers().reportable());
            l.put("preliminaryOpen", st.preliminarySentAt() == null);
            l.put("finalOpen", st.finalSentAt() == null);
        });
        List<Map<String, Object>> items = new ArrayList<>();
        for (String f : List.of("ppc.items", "ppc.secondary", "ppc.notified")) {
            items.add(Map.of("name", "r_" + f, "id", "r_" + f.replace('.', '_'), "title", PpcReport.FIELDS.get(f),
                    "text", written.getOrDefault(f, "")));
        }
        l.put("items", items);
        m.put("legal", l);
    }
    }
}
