package csirt.agent.parse;

/** What an antivirus product says it did about a detection. */
public enum AvAction {
    /** Found and reported only: the file is still there. */
    DETECTED("detected"),
    /** The product deleted the file. */
    REMOVED("removed"),
    /** The product moved the file to quarantine. */
    QUARANTINED("quarantined");

    private final String label;

    AvAction(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
