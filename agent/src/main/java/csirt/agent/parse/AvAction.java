package csirt.agent.parse;

/** What an antivirus product says it did about a detection. */
public enum AvAction {
    /** Found and reported only: the file is still there. */
    DETECTED("detected"),
    /** The product deleted the file. */
    REMOVED("removed"),
    /** The product moved the file to quarantine. */
    QUARANTINED("quarantined"),
    /** The product stopped it before it reached the file system or ran (web, mail, IPS). */
    BLOCKED("blocked"),
    /** The product tried to remove or quarantine and failed: the threat is still there. */
    FAILED("failed");

    private final String label;

    AvAction(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
