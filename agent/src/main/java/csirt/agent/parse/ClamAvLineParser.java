package csirt.agent.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds ClamAV results in a line of text, in the forms clamd, clamonacc, clamscan and clamdscan
 * write them:
 * <pre>
 * /home/a/eicar.com: Eicar-Test-Signature FOUND          (clamd syslog and LogFile, clamscan)
 * Thu Nov 26 18:00:01 2026 -> /home/a/eicar.com: Eicar-Test-Signature FOUND   (clamd LogFile with LogTime)
 * ScanOnAccess: /home/a/eicar.com: Eicar-Test-Signature FOUND   (clamd on-access, older versions)
 * /home/a/eicar.com: Removed.                            (clamscan/clamdscan --remove)
 * /home/a/eicar.com: moved to '/var/quarantine/eicar.com'   (clamscan/clamdscan --move)
 * </pre>
 * clamd itself never removes files: "Removed." and "moved to" come only from the scanners'
 * output (CAMEL-NOTES.md, ClamAV).
 */
public final class ClamAvLineParser {

    private static final Pattern LOG_TIME = Pattern.compile("^\\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4} -> ");
    private static final Pattern FOUND = Pattern.compile("^(?:ScanOnAccess: )?(.+?): (\\S+) FOUND\\s*$");
    private static final Pattern REMOVED = Pattern.compile("^(?:ScanOnAccess: )?(.+?): Removed\\.\\s*$");
    private static final Pattern MOVED = Pattern.compile("^(?:ScanOnAccess: )?(.+?): moved to '(.*)'\\s*$");

    private ClamAvLineParser() {
    }

    private static final java.time.format.DateTimeFormatter LOG_TIME_FORMAT =
            java.time.format.DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", java.util.Locale.ENGLISH);

    /** True when the line starts with clamd's LogTime prefix ("Thu Nov 26 18:00:01 2026 -> "). */
    public static boolean hasLogTime(String line) {
        return LOG_TIME.matcher(line).lookingAt();
    }

    /** The time of clamd's LogTime prefix in {@code zone}, or null when there is none. */
    public static java.time.Instant logTime(String line, java.time.ZoneId zone) {
        Matcher m = LOG_TIME.matcher(line);
        if (!m.lookingAt()) {
            return null;
        }
        String t = line.substring(0, m.end() - 4);
        try {
            return java.time.LocalDateTime.parse(t, LOG_TIME_FORMAT).atZone(zone).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** The line without clamd's "date -> " prefix. */
    public static String stripLogTime(String line) {
        Matcher m = LOG_TIME.matcher(line);
        return m.find() ? line.substring(m.end()) : line;
    }

    /** The ClamAV finding in {@code text}, or null when it holds none. */
    public static AvAlert find(String text) {
        // Cheap checks first: almost no syslog line is a ClamAV result.
        if (!(text.endsWith("FOUND") || text.contains(": Removed.") || text.contains(": moved to '"))) {
            return null;
        }
        String line = stripLogTime(text.strip());
        Matcher m = FOUND.matcher(line);
        if (m.matches()) {
            return new AvAlert("clamav", m.group(2), m.group(1), AvAction.DETECTED);
        }
        m = REMOVED.matcher(line);
        if (m.matches()) {
            return new AvAlert("clamav", null, m.group(1), AvAction.REMOVED);
        }
        m = MOVED.matcher(line);
        if (m.matches()) {
            return new AvAlert("clamav", null, m.group(1), AvAction.QUARANTINED);
        }
        return null;
    }
}
