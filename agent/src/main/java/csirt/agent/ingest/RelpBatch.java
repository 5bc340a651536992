package csirt.agent.ingest;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The RELP commands cut from one read of one connection, acknowledged together after the journal has them. */
public record RelpBatch(List<RelpCommand> commands) {

    /** What the server writes back, and whether it then closes the session. */
    public record Reply(String text, boolean close) {
    }

    /**
     * The answers, in command order: {@code open} gets the server's offers, each {@code syslog}
     * {@code 200 OK} — or {@code 500} with {@code notStored} (why) when the journal did not take the
     * batch, so the sender keeps the messages — {@code close} its answer and the end of the session,
     * bytes that were not RELP a {@code serverclose}.
     */
    public Reply reply(String notStored) {
        StringBuilder out = new StringBuilder();
        boolean close = false;
        for (RelpCommand c : commands) {
            switch (c.command()) {
                case "open" -> rsp(out, c.txnr(), "200 OK\nrelp_version=0\nrelp_software=csirt-agent\ncommands=syslog");
                case "syslog" -> rsp(out, c.txnr(), notStored == null ? "200 OK"
                        : "500 not stored, try again later: " + notStored.replaceAll("[\\r\\n]", " "));
                case "close" -> {
                    rsp(out, c.txnr(), "");
                    close = true;
                }
                case RelpCommand.MALFORMED -> {
                    out.append("0 serverclose 0\n");
                    close = true;
                }
                default -> rsp(out, c.txnr(), "500 unknown command");
            }
        }
        return new Reply(out.toString(), close);
    }

    /** {@code TXNR rsp DATALEN [SP DATA] LF}, the length in bytes. */
    private static void rsp(StringBuilder out, long txnr, String data) {
        int len = data.getBytes(StandardCharsets.UTF_8).length;
        out.append(txnr).append(" rsp ").append(len);
        if (len > 0) {
            out.append(' ').append(data);
        }
        out.append('\n');
    }
}
