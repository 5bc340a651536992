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
 * /home/a/eicar.com: Eicar-Test-Signature(44d88612fea8a8f36de82e1278abb02f:68) FOUND   (ExtendedDetectionInfo yes)
 * Virus found: Eicar-Test-Signature in /home/a/eicar.com   (a VirusEvent command's line, e.g. through logger)
 * /home/a/eicar.com: Removed.                            (clamscan/clamdscan --remove)
 * /home/a/eicar.com: moved to '/var/quarantine/eicar.com'   (clamscan/clamdscan --move)
 * </pre>
 * clamd itself never removes files: "Removed." and "moved to" come only from the scanners'
 * output (CAMEL-NOTES.md, ClamAV). With {@code ExtendedDetectionInfo yes} (Debian's default)
 * clamd writes the file's hash and size after the name, {@code "%s: %s(%s:%llu) FOUND"}
 * (clamd/scanner.c, virus_found_cb): the signature is the name alone, hash and size are fields of
 * their own, so one malware in many files is one signature. A VirusEvent command is the operator's
 * own (clamd.conf(5): it gets CLAM_VIRUSEVENT_VIRUSNAME and CLAM_VIRUSEVENT_FILENAME); the forms
 * its published examples log are read as detections of that signature and file.
 */
public final class ClamAvLineParser {

    private static final Pattern LOG_TIME = Pattern.compile("^\\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4} -> ");
    private static final Pattern FOUND = Pattern.compile(
            "^(?:ScanOnAccess: |Clamuko: )?(.+?): (\\S+?)(?:\\(([0-9a-fA-F]{32,64}):(\\d+)\\))? FOUND\\s*$");
    private static final Pattern VIRUS_EVENT = Pattern.compile(
            "(?:Virus found|Virus detected|Signature detected by clamav|Virus detected by ClamAV): (\\S+) in (.+?)\\s*$");
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
        boolean virusEvent = text.contains(" in ") && (text.contains("Virus ") || text.contains("Signature detected"));
        if (!(text.endsWith("FOUND") || virusEvent || text.contains(": Removed.") || text.contains(": moved to '"))) {
            return null;
        }
        String line = stripLogTime(text.strip());
        Matcher m = FOUND.matcher(line);
        if (m.matches()) {
            return new AvAlert("clamav", m.group(2), m.group(1), AvAction.DETECTED, m.group(3), m.group(4));
        }
        if (virusEvent) {
            m = VIRUS_EVENT.matcher(line);
            if (m.find()) {
                return new AvAlert("clamav", m.group(1), m.group(2), AvAction.DETECTED);
            }
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
