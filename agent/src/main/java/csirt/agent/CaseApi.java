package csirt.agent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import csirt.agent.cases.CaseRecord;
import csirt.agent.cases.CaseState;
import csirt.agent.cases.CaseStore;
import csirt.agent.http.HttpEndpoint;
import csirt.agent.util.Json;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The case API of the local HTTP endpoint: cases as JSON, and the writes a person asks for (a
 * report, a note, a state change, an assignment), done by the one case writer. The endpoint checks
 * the token before either.
 */
final class CaseApi {

    private final CaseStore cases;
    private final CaseStage caseStage;
    private final Intake intake;
    private final ToLongFunction<String> custody;

    private Drills drills;

    /** Where {@code POST /api/drill} starts a drill (none: refused). */
    void drills(Drills d) {
        this.drills = d;
    }

    CaseApi(CaseStore cases, CaseStage caseStage, Intake intake, ToLongFunction<String> custody) {
        this.cases = cases;
        this.caseStage = caseStage;
        this.intake = intake;
        this.custody = custody;
    }

    /** POST /api/intake, /api/cases/ID/notes, /api/cases/ID/state: writes from the local API (token checked before). */
    HttpEndpoint.Outcome write(String path, String body) {
        try {
            Object parsed = new Yaml(new LoaderOptions()).load(body);
            @SuppressWarnings("unchecked")
            Map<String, Object> m = parsed instanceof Map<?, ?> ? (Map<String, Object>) parsed : Map.of();
            if (path.equals("/api/evidence/custody")) {
                // an evidence export's statement, journaled by the one writer of the journal; answers its seq
                Object statement = m.get("statement");
                if (!(statement instanceof String st) || st.isBlank() || st.length() > 4096 || st.chars().anyMatch(ch -> ch < 0x20)) {
                    return new HttpEndpoint.Outcome(false, "statement: one line of text (at most 4096 characters) is required");
                }
                return new HttpEndpoint.Outcome(true, Long.toString(custody.applyAsLong(st)));
            }
            if (path.equals("/api/drill")) {
                if (drills == null) {
                    return new HttpEndpoint.Outcome(false, "drills are not available in this agent");
                }
                return new HttpEndpoint.Outcome(true, drills.run(String.valueOf(m.get("scenario")), String.valueOf(m.getOrDefault("by", "api"))));
            }
            if (path.equals("/api/intake")) {
                Intake.Result r = intake.record(m);
                return new HttpEndpoint.Outcome(r.ok(), r.message());
            }
            Matcher pm = Pattern.compile("^/api/cases/([^/]+)/(notes|state|assign|legal)$").matcher(path);
            if (!pm.matches()) {
                return new HttpEndpoint.Outcome(false, "unknown API path " + path);
            }
            long id = CaseRecord.parseId(pm.group(1));
            String who = String.valueOf(m.getOrDefault("by", "api"));
            String what = pm.group(2);
            String done = CaseStage.await(caseStage.write(what + " on " + CaseRecord.displayId(id), store -> switch (what) {
                case "notes" -> {
                    store.note(id, who, String.valueOf(m.get("text")));
                    yield "Noted in " + CaseRecord.displayId(id) + ".";
                }
                case "assign" -> {
                    store.assign(id, who, String.valueOf(m.get("assignee")));
                    yield CaseRecord.displayId(id) + " is assigned to " + m.get("assignee") + ".";
                }
                case "legal" -> LegalAnswers.apply(store, id, who, m);
                default -> {
                    CaseRecord c = store.transition(id, String.valueOf(m.get("state")), who,
                            m.get("why") == null ? null : String.valueOf(m.get("why")));
                    yield c.displayId() + " is now " + c.state() + " (" + CaseState.japanese(c.state()) + ").";
                }
            }), what + " on " + CaseRecord.displayId(id));
            return new HttpEndpoint.Outcome(true, done);
        } catch (IllegalArgumentException | YAMLException e) {
            return new HttpEndpoint.Outcome(false, e.getMessage());
        }
    }

    /** A case with its events and timeline as JSON (the link in every notice), or null when there is none. */
    String caseJson(String id) {
        if (id.isEmpty()) {
            return Json.value(cases.list().stream().map(c -> Map.<String, Object>of("id", c.displayId(),
                    "level", c.level(), "priority", c.priority(), "category", c.category(), "state", c.state(), "title", c.title(),
                    "host", String.valueOf(c.host()), "events", c.eventCount(), "last_seen", c.lastSeen().toString())).toList());
        }
        long n = CaseRecord.parseId(id);
        Optional<CaseRecord> found = n < 0 ? Optional.empty() : cases.find(n);
        if (found.isEmpty()) {
            return null;
        }
        CaseRecord c = found.get();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.displayId());
        m.put("level", c.level());
        m.put("category", c.category());
        m.put("state", c.state());
        m.put("title", c.title());
        m.put("criterion", c.criterionId());
        m.put("annex", c.annexId());
        m.put("host", c.host());
        m.put("first_seen", c.firstSeen().toString());
        m.put("last_seen", c.lastSeen().toString());
        m.put("events_total", c.eventCount());
        m.put("events", cases.events(c.id(), 200).stream().map(e -> Map.<String, Object>of("seq", e.journalSeq(),
                "received_at", e.receivedAt().toString(), "host", String.valueOf(e.host()), "criterion", String.valueOf(e.criterionId()),
                "level", e.level(), "raw", e.rawText())).toList());
        m.put("timeline", cases.timeline(c.id()).stream().map(t -> Map.<String, Object>of("at", t.at().toString(),
                "kind", t.kind(), "actor", t.actor(), "text", t.text())).toList());
        return Json.value(m);
    }
}
