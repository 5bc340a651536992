package csirt.agent.parse;

/** The format a message was recognised as. */
public enum Format {
    RFC5424("rfc5424"),
    RFC3164("rfc3164"),
    /** A line of a ClamAV log file (clamd LogFile, clamscan/clamdscan output). */
    CLAMAV_LOG("clamav-log"),
    /**
     * A record sent with no syslog header at all (a product's own line: Symantec's comma list,
     * Sophos Firewall's key=value pairs): the receipt gives its time, the sender its host.
     */
    BARE("bare"),
    /** Nothing recognisable: a parse failure, triaged on its raw text. */
    UNPARSED("unparsed");

    private final String label;

    Format(String label) {
        this.label = label;
    }

    /** The name used in criteria, metrics tags and output. */
    public String label() {
        return label;
    }
}
