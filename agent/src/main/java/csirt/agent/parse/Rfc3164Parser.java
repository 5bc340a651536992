package csirt.agent.parse;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 3164 (section 4.1): {@code TIMESTAMP SP HOSTNAME SP TAG[PID]: CONTENT}, given the text
 * after the PRI, plus the common variant with an RFC 3339 timestamp (rsyslog's forward format).
 *
 * <p>The BSD timestamp has no year and no zone: it is read in the source's zone and given the
 * year that puts it nearest to the receipt time, so "Dec 31 23:59:59" received on 1 January
 * belongs to the year before.
 */
final class Rfc3164Parser {

    /** Section 4.1.2: "Mmm dd hh:mm:ss", day padded with a space. */
    static final Pattern BSD_TIME = Pattern.compile(
            "^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([ \\d]\\d|\\d) (\\d\\d):(\\d\\d):(\\d\\d)(?:\\.\\d{1,6})? ");
    /** RFC 3339 as rsyslog forwards it; ISO 8601 without a zone too (read in the source's zone). */
    private static final Pattern ISO_TIME = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d{1,9})?)(Z|[+-]\\d\\d:?\\d\\d)? ");
    /** A Windows event source as a TAG: "Microsoft-Windows-Windows Defender[2040]: ". */
    private static final Pattern SPACED_TAG = Pattern.compile("([A-Za-z][\\w.-]*(?: [\\w.-]+){1,4})\\[(\\d{1,10})\\]: ?");
    /** BusyBox syslogd writes "facility.level" between the host and the TAG. */
    private static final Pattern FACILITY_LEVEL = Pattern.compile(
            "(?:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|ntp|security|console|local[0-7])"
                    + "\\.(?:emerg|alert|crit|err|error|warn|warning|notice|info|debug|panic) ");
    /** A TAG is at most 32 alphanumerics in the RFC; real ones use more characters, so be generous. */
    static final Pattern TAG = Pattern.compile("^([^\\s:\\[\\]]{1,64})(?:\\[([^\\]\\s]{0,32})\\])?: ?");
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private Rfc3164Parser() {
    }

    /** True when the text starts with a BSD or RFC 3339 timestamp followed by a space. */
    static boolean startsWithTimestamp(String s) {
        return bsdEnd(s, 0) >= 0 || ISO_TIME.matcher(s).lookingAt();
    }

    /*
     * The BSD timestamp and the TAG are scanned by hand: they start nearly every line, and their
     * regular expressions (BSD_TIME, TAG, kept as the definition and checked against these scanners
     * by a property test) were a sixth of the input thread's time at full rate.
     */

    static void parse(String s, int from, ParsedFields f, ZoneId zone, Instant receivedAt) {
        parse(s, from, bsdEnd(s, from), f, zone, receivedAt);
    }

    /** As above, {@code bsd} being {@link #bsdEnd}{@code (s, from)}, worked out by the caller already. */
    static void parse(String s, int from, int bsd, ParsedFields f, ZoneId zone, Instant receivedAt) {
        f.format = Format.RFC3164;
        int at = bsd;
        if (at >= 0) {
            f.timestamp = bsdTime(s, from, at, zone, receivedAt);
            if (s.charAt(from + 5) == ' ') {
                f.variant("unpadded day");
            }
        } else {
            Matcher iso = ISO_TIME.matcher(s).region(from, s.length());
            if (!iso.lookingAt()) {
                // Section 4.3.2: no valid TIMESTAMP, so the relay treats everything after PRI as CONTENT:
                // a product's record after a PRI (SonicWall, YAMAHA), the receipt gives the time.
                f.format = Format.BARE;
                f.message = s.substring(from);
                f.variant("PRI only");
                return;
            }
            f.timestamp = isoTime(iso.group(1), iso.group(2), zone);
            at = iso.end();
            if (iso.group(2) == null) {
                f.variant("ISO 8601 time without zone");
            }
        }
        parseAfterTime(s, at, f);
    }

    /** HOSTNAME, TAG and CONTENT from {@code at}, just after the timestamp and its space. */
    static void parseAfterTime(String s, int at, ParsedFields f) {
        f.format = Format.RFC3164;
        if (at < s.length() && s.charAt(at) == ' ') {
            while (at < s.length() && s.charAt(at) == ' ') {
                at++;
            }
            f.variant("two spaces before the host");
        }
        // "TAG: msg" has no hostname (a local program); otherwise the first token is the HOSTNAME.
        int sp = s.indexOf(' ', at);
        int[] tag = new int[3];
        int end = tagEnd(s, at, tag);
        if (sp > at && end < 0) {
            f.host = s.substring(at, sp);
            at = sp + 1;
            // (a lower-case word with a '.' before the next space first: a regex per line would cost more than the line)
            boolean dotted = false;
            if (at < s.length() && s.charAt(at) >= 'a' && s.charAt(at) <= 'z') {
                for (int k = at + 1; k < s.length() && k - at < 20 && s.charAt(k) != ' '; k++) {
                    if (s.charAt(k) == '.') {
                        dotted = true;
                        break;
                    }
                }
            }
            Matcher fl = dotted ? FACILITY_LEVEL.matcher(s).region(at, s.length()) : null;
            if (fl != null && fl.lookingAt()) {
                at = fl.end();
                f.variant("facility.level after the host");
            }
            end = tagEnd(s, at, tag);
            if (end < 0) {
                Matcher w = SPACED_TAG.matcher(s).region(at, s.length());
                if (w.lookingAt()) {
                    // NXLog's to_syslog_bsd writes the Windows SourceName as the TAG, spaces and all
                    f.app = w.group(1);
                    f.procId = w.group(2);
                    f.message = s.substring(w.end());
                    f.variant("TAG with spaces");
                    return;
                }
            }
        } else if (end >= 0) {
            f.variant("no host");
        }
        if (end >= 0) {
            f.app = s.substring(at, tag[0]);
            f.procId = tag[1] < 0 ? null : s.substring(tag[1], tag[2]);
            at = end;
        }
        f.message = s.substring(at);
    }

    /** An ISO 8601 time; without a zone it is read in the source's zone. Null when it names no real time. */
    static Instant isoTime(String local, String offset, ZoneId zone) {
        // a sender's lines share their timestamps for a while: java.time's parse cost more than the rest of the line
        LastIso last = LAST_ISO.get();
        if (last != null && last.local.equals(local) && java.util.Objects.equals(last.offset, offset) && last.zone.equals(zone)) {
            return last.at;
        }
        Instant at = parseIso(local, offset, zone);
        LAST_ISO.set(new LastIso(local, offset, zone, at));
        return at;
    }

    private record LastIso(String local, String offset, ZoneId zone, Instant at) {
    }

    private static final ThreadLocal<LastIso> LAST_ISO = new ThreadLocal<>();

    private static Instant parseIso(String local, String offset, ZoneId zone) {
        try {
            LocalDateTime t = LocalDateTime.parse(local.replace(',', '.'));
            if (offset == null) {
                return t.atZone(zone).toInstant();
            }
            String o = offset.length() == 5 ? offset.substring(0, 3) + ":" + offset.substring(3) : offset;
            return t.atOffset(java.time.ZoneOffset.of(o)).toInstant();
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /**
     * Where a BSD timestamp ({@link #BSD_TIME}: "Mmm dd hh:mm:ss", optional fraction of 1 to 6
     * digits, then a space) that starts at {@code i} ends, after its space; -1 when there is none.
     */
    static int bsdEnd(String s, int i) {
        int n = s.length();
        if (i < 0 || i + 15 > n || monthAt(s, i) == 0 || s.charAt(i + 3) != ' ') {
            return -1;
        }
        char d1 = s.charAt(i + 4);
        // "Oct 4 10:51:33": a day without its padding space, as some devices send it
        int t = digit(d1) && s.charAt(i + 5) == ' ' ? i - 1 : i;
        if (t == i && ((d1 != ' ' && !digit(d1)) || !digit(s.charAt(i + 5)))) {
            return -1;
        }
        if (t + 16 > n || s.charAt(t + 6) != ' '
                || !digit(s.charAt(t + 7)) || !digit(s.charAt(t + 8)) || s.charAt(t + 9) != ':'
                || !digit(s.charAt(t + 10)) || !digit(s.charAt(t + 11)) || s.charAt(t + 12) != ':'
                || !digit(s.charAt(t + 13)) || !digit(s.charAt(t + 14))) {
            return -1;
        }
        int j = t + 15;
        if (s.charAt(j) == '.') {
            int k = j + 1;
            while (k < n && k - j - 1 < 6 && digit(s.charAt(k))) {
                k++;
            }
            return k > j + 1 && k < n && s.charAt(k) == ' ' ? k + 1 : -1;
        }
        return s.charAt(j) == ' ' ? j + 1 : -1;
    }

    /**
     * Where a TAG ({@link #TAG}: 1 to 64 characters other than white space, ':', '[' and ']', an
     * optional "[pid]" of up to 32 characters other than ']' and white space, then ':' and an
     * optional space) that starts at {@code i} ends; -1 when there is none. {@code out} gets the
     * end of the name, and the start and end of the pid (-1 without brackets).
     */
    static int tagEnd(String s, int i, int[] out) {
        int n = s.length();
        int k = i;
        while (k < n && k - i <= 64 && tagChar(s.charAt(k))) {
            k++;
        }
        if (k == i || k - i > 64 || k >= n) {
            return -1;
        }
        out[0] = k;
        out[1] = -1;
        out[2] = -1;
        if (s.charAt(k) == '[') {
            int p = k + 1;
            while (p < n && p - k - 1 <= 32 && s.charAt(p) != ']' && !space(s.charAt(p))) {
                p++;
            }
            if (p >= n || p - k - 1 > 32 || s.charAt(p) != ']') {
                return -1;
            }
            out[1] = k + 1;
            out[2] = p;
            k = p + 1;
        }
        if (k >= n || s.charAt(k) != ':') {
            return -1;
        }
        k++;
        return k < n && s.charAt(k) == ' ' ? k + 1 : k;
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    /** {@code \s} of java.util.regex without UNICODE_CHARACTER_CLASS. */
    private static boolean space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static boolean tagChar(char c) {
        return !space(c) && c != ':' && c != '[' && c != ']';
    }

    /** 1 to 12 for the month abbreviation at {@code i} (case as in the RFC), else 0. */
    private static int monthAt(String s, int i) {
        if (i + 3 > s.length()) {
            return 0;
        }
        char c = s.charAt(i);
        if (c < 'A' || c > 'S') {
            return 0; // every line reaches here; most do not start with a month's capital
        }
        for (int m = 0; m < MONTHS.length; m++) {
            String name = MONTHS[m];
            if (name.charAt(0) == c && s.charAt(i + 1) == name.charAt(1) && s.charAt(i + 2) == name.charAt(2)) {
                return m + 1;
            }
        }
        return 0;
    }

    /**
     * The instants a BSD timestamp may stand for (the year before, of and after the receipt), for
     * the last timestamp text seen on this thread: a burst of lines shares its few timestamps, and
     * working out a zoned date three times per line cost more than the rest of the parse.
     */
    private record YearCandidates(String text, ZoneId zone, int year, Instant[] candidates) {
    }

    private static final ThreadLocal<YearCandidates> LAST = new ThreadLocal<>();

    /** The receipt's year in a zone, for the last receipt time seen on this thread (a read's lines share it). */
    private record ReceiptYear(Instant receivedAt, ZoneId zone, int year) {
    }

    private static final ThreadLocal<ReceiptYear> LAST_YEAR = new ThreadLocal<>();

    private static int yearOf(Instant receivedAt, ZoneId zone) {
        ReceiptYear y = LAST_YEAR.get();
        if (y == null || !y.receivedAt.equals(receivedAt) || !y.zone.equals(zone)) {
            y = new ReceiptYear(receivedAt, zone, ZonedDateTime.ofInstant(receivedAt, zone).getYear());
            LAST_YEAR.set(y);
        }
        return y.year;
    }

    /** The time of the BSD timestamp at {@code start} (checked by {@link #bsdEnd}, which gave {@code after}). */
    private static Instant bsdTime(String s, int start, int after, ZoneId zone, Instant receivedAt) {
        boolean unpadded = s.charAt(start + 5) == ' ';
        int t = unpadded ? start - 1 : start; // where the time would start, less 7
        int end = t + 15;
        int year = yearOf(receivedAt, zone);
        YearCandidates c = LAST.get();
        if (c == null || c.year != year || !c.zone.equals(zone) || c.text.length() != end - start
                || !s.regionMatches(start, c.text, 0, end - start)) {
            int monthNo = monthAt(s, start);
            int day = unpadded ? s.charAt(start + 4) - '0'
                    : (s.charAt(start + 4) == ' ' ? 0 : s.charAt(start + 4) - '0') * 10 + s.charAt(start + 5) - '0';
            int hh = two(s, t + 7);
            int mm = two(s, t + 10);
            int ss = two(s, t + 13);
            c = new YearCandidates(s.substring(start, end), zone, year, candidates(year, monthNo, day, hh, mm, ss, zone));
            LAST.set(c);
        }
        return nearest(c.candidates, receivedAt);
    }

    private static int two(String s, int i) {
        return (s.charAt(i) - '0') * 10 + s.charAt(i + 1) - '0';
    }

    private static int monthNumber(String monthName) {
        return monthName.length() == 3 ? monthAt(monthName, 0) : 0;
    }

    private static Instant nearest(Instant[] candidates, Instant receivedAt) {
        Instant best = null;
        long bestDistance = Long.MAX_VALUE;
        for (Instant candidate : candidates) {
            if (candidate == null) {
                continue;
            }
            long distance = Math.abs(candidate.getEpochSecond() - receivedAt.getEpochSecond());
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /**
     * A time without a year ("Dec 31 23:59:59") read in {@code zone}: the year that puts it nearest
     * the receipt time, so a line from Dec 31 received on Jan 1 belongs to the old year.
     */
    static Instant inferYear(String monthName, int day, int hh, int mm, int ss, ZoneId zone, Instant receivedAt) {
        int month = monthNumber(monthName);
        if (month == 0) {
            return null;
        }
        return nearest(candidates(ZonedDateTime.ofInstant(receivedAt, zone).getYear(), month, day, hh, mm, ss, zone), receivedAt);
    }

    /** The instant of the time in the year before, of and after {@code year} (null where the date does not exist). */
    private static Instant[] candidates(int year, int month, int day, int hh, int mm, int ss, ZoneId zone) {
        Instant[] out = new Instant[3];
        for (int y = year - 1; y <= year + 1; y++) {
            out[y - year + 1] = at(y, month, day, hh, mm, ss, zone);
        }
        return out;
    }

    private static Instant at(int y, int month, int day, int hh, int mm, int ss, ZoneId zone) {
        try {
            // ZonedDateTime.of follows the zone's rules for that date (DST gaps and overlaps), never today's offset.
            return ZonedDateTime.of(LocalDateTime.of(y, Month.of(month), day, hh, mm, ss), zone).toInstant();
        } catch (java.time.DateTimeException e) {
            return null; // Feb 29 in a year without it
        }
    }
}
