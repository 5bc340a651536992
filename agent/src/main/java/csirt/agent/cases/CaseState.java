package csirt.agent.cases;

import java.util.List;
import java.util.Map;

/**
 * The states of a case as the plan runs it (4(2)): received, triaged, responding (evidence,
 * containment, eradication), recovering, monitoring for recurrence, closed, or not an incident;
 * and which changes are allowed.
 */
public final class CaseState {

    public static final String RECEIVED = "received";
    public static final String TRIAGED = "triaged";
    public static final String RESPONDING = "responding";
    public static final String RECOVERING = "recovering";
    public static final String MONITORING = "monitoring";
    public static final String CLOSED = "closed";
    public static final String NOT_INCIDENT = "not-incident";

    public static final List<String> ALL = List.of(RECEIVED, TRIAGED, RESPONDING, RECOVERING, MONITORING, CLOSED, NOT_INCIDENT);

    private static final Map<String, List<String>> NEXT = Map.of(
            RECEIVED, List.of(TRIAGED, NOT_INCIDENT),
            TRIAGED, List.of(RESPONDING, NOT_INCIDENT),
            RESPONDING, List.of(RECOVERING),
            RECOVERING, List.of(MONITORING, RESPONDING),
            MONITORING, List.of(CLOSED, RESPONDING),
            CLOSED, List.of(RESPONDING),
            NOT_INCIDENT, List.of(TRIAGED));

    private static final Map<String, String> JAPANESE = Map.of(
            RECEIVED, "受付", TRIAGED, "トリアージ済み", RESPONDING, "対応中（証拠保全・封じ込め・根絶）",
            RECOVERING, "復旧中", MONITORING, "再発監視中", CLOSED, "収束（クローズ）", NOT_INCIDENT, "インシデントではない");

    private CaseState() {
    }

    public static List<String> next(String from) {
        return NEXT.getOrDefault(from, List.of());
    }

    public static boolean allowed(String from, String to) {
        return next(from).contains(to);
    }

    /** Closed and not-an-incident cases take no more events. */
    public static boolean open(String state) {
        return !CLOSED.equals(state) && !NOT_INCIDENT.equals(state);
    }

    public static String japanese(String state) {
        return JAPANESE.getOrDefault(state, state);
    }
}
