package csirt.agent.console;

/** What a person may do to a case from the console; done by the one case writer, like every write. */
public interface CaseActions {

    /** The outcome of one action, as a sentence; {@code caseId} the case it made or changed, when it names one. */
    record Outcome(boolean ok, String message, String caseId) {
        public Outcome(boolean ok, String message) {
            this(ok, message, null);
        }
    }

    /** An evidence export as one zip file, or the outcome that says why there is none. */
    record Export(Outcome outcome, byte[] zip, String fileName) {
    }

    Outcome transition(long caseId, String who, String state, String why);

    Outcome note(long caseId, String who, String text);

    Outcome assign(long caseId, String who, String assignee);

    /** Writes the parts of Report form 1 that changed ({@code fields}: field name → text). */
    Outcome report(long caseId, String who, java.util.Map<String, String> fields);

    /** A person's answers about a personal-data breach, or a report to the Commission recorded as sent (see LegalAnswers). */
    Outcome legal(long caseId, String who, java.util.Map<String, Object> answers);

    /** The drills that can be run: name → title. */
    java.util.Map<String, String> drills();

    /** Starts a drill (plan 5(2)) through the real pipeline. */
    Outcome drill(String name, String who);

    /** Records a report from a person (the intake form's fields as the intake reads them); names the case it opened. */
    Outcome intake(java.util.Map<String, Object> report, String who);

    /** The case's evidence bundle (records, chain proof, case and timeline, check instructions) as a zip; journaled as an export. */
    Export export(long caseId, String who);
}
