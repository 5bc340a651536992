package csirt.agent.console;

/** What a person may do to a case from the console; done by the one case writer, like every write. */
public interface CaseActions {

    /** The outcome of one action, as a sentence. */
    record Outcome(boolean ok, String message) {
    }

    Outcome transition(long caseId, String who, String state, String why);

    Outcome note(long caseId, String who, String text);

    Outcome assign(long caseId, String who, String assignee);

    /** Writes the parts of Report form 1 that changed ({@code fields}: field name → text). */
    Outcome report(long caseId, String who, java.util.Map<String, String> fields);
}
