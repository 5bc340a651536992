package csirt.agent.parse;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;

import csirt.agent.journal.Receipt;

/**
 * Turns journaled bytes into an {@link Event}: syslog (RFC 5424 or RFC 3164, told apart by the
 * version after PRI) or a ClamAV log line, then looks for an antivirus finding in the message:
 * a ClamAV result, or a CEF or LEEF record from another product.
 * Never throws on any input: what does not parse becomes an event with a parse problem.
 */
public final class EventParser {

    /** What an input promises to deliver; decides how a line is read. */
    public enum Source { SYSLOG, CLAMAV_LOG }

    private final ZoneId defaultZone;
    private volatile java.util.function.Function<String, SourceProfile> sources = peer -> null;

    /** @param rfc3164Zone the zone of RFC 3164 timestamps, which carry none (section 4.1.2) */
    public EventParser(ZoneId rfc3164Zone) {
        this.defaultZone = rfc3164Zone;
    }

    /** Where per-sender charsets and zones come from (the asset inventory); replaced on reload. */
    public void useSources(java.util.function.Function<String, SourceProfile> profiles) {
        this.sources = profiles;
    }

    public Event parse(long seq, Receipt receipt, byte[] bytes, Source source) {
        SourceProfile profile = sources.apply(receipt.peerAddress());
        java.nio.charset.Charset charset = profile == null || profile.charset() == null ? StandardCharsets.UTF_8 : profile.charset();
        ZoneId rfc3164Zone = profile == null || profile.zone() == null ? defaultZone : profile.zone();
        // Invalid bytes become U+FFFD in the text (the journal keeps the bytes as they came);
        // the event says so, so that the decode error is counted per charset.
        String decoded = new String(bytes, charset);
        String received = trimEnd(decoded);
        // Read as a person reading the line would: control characters a sender put in a file name or
        // a TAG (CR, LF, ESC sequences...) must not hide a detection from the criteria.
        String seen = csirt.agent.util.ControlText.seeThrough(received);
        Event event = parse(seq, receipt, seen, source, rfc3164Zone);
        boolean undecodable = decoded.indexOf('\uFFFD') >= 0;
        if (undecodable || seen != received) {
            java.util.Map<String, String> f = new java.util.LinkedHashMap<>(event.fields());
            if (undecodable) {
                f.put(DECODE_ERRORS, charset.name());
            }
            if (seen != received) {
                f.put(RECEIVED_TEXT, csirt.agent.util.ControlText.visible(received));
            }
            event = event.withFields(f);
        }
        return event;
    }

    /**
     * Field set on an event whose text held control characters: the text as received, with them
     * shown as {@code \xNN} (what a case keeps and shows); the event's own text is read without them.
     */
    public static final String RECEIVED_TEXT = "text.received";

    /** Field set, to the charset's name, on an event whose bytes did not all decode. */
    public static final String DECODE_ERRORS = "decode.errors";

    private Event parse(long seq, Receipt receipt, String text, Source source, ZoneId rfc3164Zone) {
        ParsedFields f = new ParsedFields();
        try {
            if (source == Source.CLAMAV_LOG || (!text.startsWith("<") && ClamAvLineParser.hasLogTime(text))) {
                f.format = Format.CLAMAV_LOG;
                f.app = "clamav";
                f.timestamp = ClamAvLineParser.logTime(text, rfc3164Zone);
                f.message = ClamAvLineParser.stripLogTime(text);
            } else {
                parseSyslog(text, f, receipt, rfc3164Zone);
            }
        } catch (RuntimeException e) {
            // A parser bug must not lose the message: keep it as unparsed, with the reason.
            f = new ParsedFields();
            f.problem = "parser error: " + e;
        }
        Event event = f.toEvent(seq, receipt, text);
        if (event.av() != null) {
            return csirt.agent.parse.products.Products.read(event); // the dialect named it (FortiGate subtype=virus)
        }
        AvAlert av = ClamAvLineParser.find(event.message());
        if (av != null) {
            return event.withAv(av);
        }
        return csirt.agent.parse.products.Products.read(securityRecord(event));
    }

    /**
     * A CEF or LEEF record inside the message, or a JSON object as the message, (looked for in the whole text: RFC 3164 parsing
     * takes "CEF" for the tag): its fields, normalised; an antivirus finding becomes the event's
     * {@link AvAlert} and names the host it is about.
     */
    private static Event securityRecord(Event event) {
        String text = event.text();
        java.util.Map<String, String> f = null;
        String prefix = null;
        if (text.contains("CEF:")) {
            f = CefParser.parse(text);
            prefix = "cef.";
        } else if (text.contains("LEEF:")) {
            f = LeefParser.parse(text);
            prefix = "leef.";
        } else if (event.message() != null && event.message().endsWith("}")) {
            f = JsonAlertParser.parse(event.message());
            prefix = "json.";
        }
        if (f == null) {
            return event;
        }
        SecurityAlerts.Normalised n = SecurityAlerts.normalise(f, prefix);
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>(event.fields());
        all.putAll(n.fields());
        Event out = event.withFields(all);
        if (n.av() != null) {
            out = out.withAv(n.av());
            if (n.host() != null) {
                out = out.withHost(n.host());
            }
        }
        return out;
    }

    private static void parseSyslog(String s, ParsedFields f, Receipt receipt, ZoneId rfc3164Zone) {
        int close = s.startsWith("<") ? s.indexOf('>', 1) : -1;
        int pri = close >= 2 && close <= 4 ? pri(s, close) : -1;
        if (pri < 0) {
            // "<" and a digit, or "<>", begin a PRI that is broken; "<log>" or "<?xml" begin a record of their own
            if (s.length() > 1 && s.charAt(0) == '<' && (Character.isDigit(s.charAt(1)) || s.charAt(1) == '>')) {
                if (close == 1) {
                    f.problem = "syslog PRI is empty: a syslog message starts with <0> to <191> (RFC 5424 section 6.2.1)";
                } else if (close < 0 || close > 4) {
                    f.problem = "syslog PRI is not closed: '>' must follow at most 3 digits (RFC 5424 section 6.2.1)";
                } else {
                    f.problem = pri == -2 ? "syslog PRI " + s.substring(1, close) + " is out of range 0..191"
                            : "syslog PRI is not a number: " + s.substring(0, close + 1);
                }
                return;
            }
            // No PRI: a log file line (RFC 3164 without PRI), a device that sends none, or a
            // product's own record with no header at all (read as the whole message).
            if (!VendorDialects.header(s, 0, Rfc3164Parser.bsdEnd(s, 0) >= 0, f, rfc3164Zone, receipt.receivedAt())) {
                if (Rfc3164Parser.startsWithTimestamp(s)) {
                    Rfc3164Parser.parse(s, 0, f, rfc3164Zone, receipt.receivedAt());
                } else {
                    bare(s, 0, f);
                }
            }
            return;
        }
        f.facility = pri / 8;
        f.severity = pri % 8;
        int from = close + 1;
        if (from < s.length() && s.charAt(from) == ' ') {
            while (from < s.length() && s.charAt(from) == ' ') {
                from++;
            }
            f.variant("space after PRI");
        }
        if (Rfc5424Parser.looksLike(s, from)) {
            if (Rfc3164Parser.bsdEnd(s, from + 2) >= 0) {
                // "<13>1 Feb 14 19:04:54 host ...": a VERSION before a BSD timestamp (some forwarders write both)
                Rfc3164Parser.parse(s, from + 2, f, rfc3164Zone, receipt.receivedAt());
                f.variant("VERSION before a BSD timestamp");
            } else {
                Rfc5424Parser.parse(s, from, f);
            }
            return;
        }
        int bsd = Rfc3164Parser.bsdEnd(s, from);
        if (!VendorDialects.header(s, from, bsd >= 0, f, rfc3164Zone, receipt.receivedAt())) {
            // RFC 3164, or with no TIMESTAMP a product's record after the PRI (format bare)
            Rfc3164Parser.parse(s, from, bsd, f, rfc3164Zone, receipt.receivedAt());
        }
    }

    /** The PRI's value; -1 when it is not a number, -2 when it is out of range. */
    private static int pri(String s, int close) {
        int pri = 0;
        for (int i = 1; i < close; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            pri = pri * 10 + (c - '0');
        }
        return pri > 191 ? -2 : pri;
    }

    /** A record with no header: all of it is the message; the receipt and the sender give time and host. */
    private static void bare(String s, int from, ParsedFields f) {
        f.format = Format.BARE;
        f.message = s.substring(from);
        f.variant("no header");
    }

    /** Trailing LF, CR and NUL are framing residue (rsyslog counts the LF in octet counting). */
    private static String trimEnd(String s) {
        int end = s.length();
        while (end > 0) {
            char c = s.charAt(end - 1);
            if (c != '\n' && c != '\r' && c != '\0') {
                break;
            }
            end--;
        }
        return end == s.length() ? s : s.substring(0, end);
    }
}
