package csirt.agent.ingest;

/** One RELP command as received: transaction number, command ({@code open}, {@code syslog}, {@code close}...), data. */
public record RelpCommand(long txnr, String command, byte[] data, String problem) {

    /** The command of bytes that did not follow RELP's grammar: {@code data} holds them, {@code problem} says what was wrong. */
    public static final String MALFORMED = "(malformed)";

    public boolean malformed() {
        return problem != null;
    }
}
