package csirt.agent.parse;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * RFC 5424 (section 6): {@code VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID
 * SP STRUCTURED-DATA [SP MSG]}, given the text after the PRI.
 */
final class Rfc5424Parser {

    private static final char BOM = '\uFEFF';

    private Rfc5424Parser() {
    }

    /**
     * The last TIMESTAMP text parsed on this thread and its instant: a sender's lines share their
     * timestamps for a while (per second, or per millisecond), and parsing RFC 3339 with
     * java.time cost more than all the rest of the header when every line was RFC 5424.
     */
    private record LastTime(String text, java.time.Instant at) {
    }

    private static final ThreadLocal<LastTime> LAST = new ThreadLocal<>();

    /** True when the text after PRI starts with version 1 and a space. */
    static boolean looksLike(String s, int from) {
        return s.length() > from + 1 && s.charAt(from) == '1' && s.charAt(from + 1) == ' ';
    }

    static void parse(String s, int from, ParsedFields f) {
        parseAfterVersion(s, from + 2, f);
    }

    /**
     * True when the text at {@code from} is an RFC 5424 header whose VERSION is missing (some
     * senders drop it, or the PRI too): an RFC 3339 TIMESTAMP, HOSTNAME, APP-NAME, PROCID and
     * MSGID, then "-" or "[" for STRUCTURED-DATA.
     */
    static boolean withoutVersion(String s, int from) {
        if (s.length() < from + 20 || !Character.isDigit(s.charAt(from)) || s.charAt(from + 4) != '-' || s.charAt(from + 10) != 'T') {
            return false;
        }
        int at = from;
        for (int i = 0; i < 5; i++) {
            int sp = s.indexOf(' ', at);
            if (sp <= at) {
                return false;
            }
            char last = s.charAt(sp - 1);
            if (i == 0 && !(last == 'Z' || Character.isDigit(last) && s.charAt(sp - 3) == ':' && (s.charAt(sp - 6) == '+' || s.charAt(sp - 6) == '-'))) {
                return false; // RFC 5424 times carry their offset (section 6.2.3); without one it is some other header
            }
            if (i > 1 && last == ':') {
                return false; // "prog[pid]:" is a TAG of RFC 3164, not an APP-NAME
            }
            at = sp + 1;
        }
        return at < s.length() && (s.charAt(at) == '-' || s.charAt(at) == '[');
    }

    /** The header from TIMESTAMP on, at {@code at}. */
    static void parseAfterVersion(String s, int at, ParsedFields f) {
        f.format = Format.RFC5424;
        Cursor c = new Cursor(s, at);
        String ts = c.token();
        String host = c.token();
        String app = c.token();
        String proc = c.token();
        String msgId = c.token();
        if (msgId == null) {
            f.problem = "RFC 5424 header is incomplete: expected TIMESTAMP HOSTNAME APP-NAME PROCID MSGID";
            return;
        }
        if (!"-".equals(ts)) {
            LastTime last = LAST.get();
            if (last != null && last.text.equals(ts)) {
                f.timestamp = last.at;
            } else {
                try {
                    f.timestamp = OffsetDateTime.parse(ts).toInstant();
                    LAST.set(new LastTime(ts, f.timestamp));
                } catch (DateTimeParseException e) {
                    f.problem = "RFC 5424 TIMESTAMP is not RFC 3339: " + ts;
                }
            }
        }
        f.host = ParsedFields.nil(host);
        f.app = ParsedFields.nil(app);
        f.procId = ParsedFields.nil(proc);
        f.msgId = ParsedFields.nil(msgId);
        int sdEnd = structuredDataEnd(s, c.pos);
        if (sdEnd < 0) {
            f.problem = "RFC 5424 STRUCTURED-DATA is not closed: expected ']' (section 6.3)";
            f.message = s.substring(Math.min(c.pos, s.length()));
            return;
        }
        String sd = s.substring(c.pos, sdEnd);
        f.structuredData = "-".equals(sd) ? null : sd;
        int msgStart = sdEnd;
        if (msgStart < s.length() && s.charAt(msgStart) == ' ') {
            msgStart++;
        }
        String msg = msgStart < s.length() ? s.substring(msgStart) : "";
        // Section 6.4: a UTF-8 MSG starts with a BOM.
        if (!msg.isEmpty() && msg.charAt(0) == BOM) {
            msg = msg.substring(1);
        }
        f.message = msg;
        if (f.structuredData == null && msg.startsWith("[") && f.procId != null && f.msgId != null && !numeric(f.procId)
                && numeric(f.msgId)) {
            appNameWithSpace(f, msg);
        }
    }

    /**
     * NXLog's to_syslog_ietf writes a Windows source name as it is, spaces included
     * ({@code Microsoft-Windows-Windows Defender 3344 - [NXLOG@14506 ...]}): read as a header, the
     * second word is the PROCID, the process id the MSGID, the MSGID's "-" the STRUCTURED-DATA, and
     * the event's fields fall into the MSG. When the MSG then opens with a whole SD-ELEMENT, the
     * APP-NAME is taken to have had one space, and the fields are read where they belong.
     */
    private static void appNameWithSpace(ParsedFields f, String msg) {
        int end = structuredDataEnd(msg, 0);
        if (end < 0 || !msg.substring(1, Math.min(msg.length(), 64)).matches("^[^\\s=\\]\"]+ [^\\s=\\]\"]+=\"[\\s\\S]*")) {
            return;
        }
        f.app = f.app + " " + f.procId;
        f.procId = f.msgId;
        f.msgId = null;
        f.structuredData = msg.substring(0, end);
        f.message = end < msg.length() && msg.charAt(end) == ' ' ? msg.substring(end + 1) : msg.substring(end);
        f.variant("APP-NAME with a space (NXLog to_syslog_ietf)");
    }

    private static boolean numeric(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Index just after STRUCTURED-DATA ('-' or one or more [..] elements), or -1 if unbalanced. */
    private static int structuredDataEnd(String s, int pos) {
        if (pos >= s.length()) {
            return -1;
        }
        if (s.charAt(pos) == '-') {
            return pos + 1;
        }
        int i = pos;
        while (i < s.length() && s.charAt(i) == '[') {
            boolean inQuotes = false;
            i++;
            for (; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (inQuotes && ch == '\\') {
                    i++; // section 6.3.3: \" \\ \] are escaped inside PARAM-VALUE
                } else if (ch == '"') {
                    inQuotes = !inQuotes;
                } else if (ch == ']' && !inQuotes) {
                    break;
                }
            }
            if (i >= s.length()) {
                return -1;
            }
            i++;
        }
        return i == pos ? -1 : i;
    }

    /** Reads space-separated header tokens. */
    private static final class Cursor {
        private final String s;
        int pos;

        Cursor(String s, int pos) {
            this.s = s;
            this.pos = pos;
        }

        String token() {
            if (pos >= s.length()) {
                return null;
            }
            int sp = s.indexOf(' ', pos);
            if (sp < 0) {
                return null;
            }
            String t = s.substring(pos, sp);
            pos = sp + 1;
            return t.isEmpty() ? null : t;
        }
    }
}
