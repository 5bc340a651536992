package csirt.agent.parse;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
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
    private static final Pattern BSD_TIME = Pattern.compile(
            "^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([ \\d]\\d) (\\d\\d):(\\d\\d):(\\d\\d)(?:\\.\\d{1,6})? ");
    private static final Pattern ISO_TIME = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})?(?:Z|[+-]\\d\\d:\\d\\d)) ");
    /** A TAG is at most 32 alphanumerics in the RFC; real ones use more characters, so be generous. */
    private static final Pattern TAG = Pattern.compile("^([^\\s:\\[\\]]{1,64})(?:\\[([^\\]\\s]{0,32})\\])?: ?");
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private Rfc3164Parser() {
    }

    /** This thread's matchers of BSD_TIME, ISO_TIME and TAG, reset for each line (most lines come through here). */
    private static final ThreadLocal<Matcher[]> MATCHERS = ThreadLocal.withInitial(
            () -> new Matcher[] {BSD_TIME.matcher(""), ISO_TIME.matcher(""), TAG.matcher("")});

    /** True when the text starts with a BSD or RFC 3339 timestamp followed by a space. */
    static boolean startsWithTimestamp(String s) {
        return BSD_TIME.matcher(s).lookingAt() || ISO_TIME.matcher(s).lookingAt();
    }

    static void parse(String s, int from, ParsedFields f, ZoneId zone, Instant receivedAt) {
        f.format = Format.RFC3164;
        // matchers over a region of the line rather than over copies of its rest: this runs for most messages
        Matcher[] ms = MATCHERS.get();
        Matcher bsd = ms[0].reset(s).region(from, s.length());
        int at;
        if (bsd.lookingAt()) {
            f.timestamp = bsdTime(s, bsd, zone, receivedAt);
            at = bsd.end();
        } else {
            Matcher iso = ms[1].reset(s).region(from, s.length());
            if (!iso.lookingAt()) {
                // Section 4.3.2: no valid TIMESTAMP, so the relay treats everything after PRI as CONTENT.
                f.message = s.substring(from);
                return;
            }
            try {
                f.timestamp = OffsetDateTime.parse(iso.group(1)).toInstant();
                at = iso.end();
            } catch (DateTimeParseException e) {
                f.timestamp = null;
                at = from;
            }
        }
        // "TAG: msg" has no hostname (a local program); otherwise the first token is the HOSTNAME.
        int sp = s.indexOf(' ', at);
        Matcher tag = ms[2].reset(s).region(at, s.length());
        boolean tagged = tag.lookingAt();
        if (sp > at && !tagged) {
            f.host = s.substring(at, sp);
            at = sp + 1;
            tag.region(at, s.length());
            tagged = tag.lookingAt();
        }
        if (tagged) {
            f.app = tag.group(1);
            f.procId = tag.group(2);
            at = tag.end();
        }
        f.message = s.substring(at);
    }

    /**
     * The instants a BSD timestamp may stand for (the year before, of and after the receipt), for
     * the last timestamp text seen on this thread: a burst of lines shares its few timestamps, and
     * working out a zoned date three times per line cost more than the rest of the parse.
     */
    private record YearCandidates(String text, ZoneId zone, int year, Instant[] candidates) {
    }

    private static final ThreadLocal<YearCandidates> LAST = new ThreadLocal<>();

    private static Instant bsdTime(String s, Matcher m, ZoneId zone, Instant receivedAt) {
        int start = m.start(1);
        int end = m.end(5);
        int year = ZonedDateTime.ofInstant(receivedAt, zone).getYear();
        YearCandidates c = LAST.get();
        if (c == null || c.year != year || !c.zone.equals(zone) || c.text.length() != end - start
                || !s.regionMatches(start, c.text, 0, end - start)) {
            String month = m.group(1);
            int day = Integer.parseInt(m.group(2).trim());
            int hh = Integer.parseInt(m.group(3));
            int mm = Integer.parseInt(m.group(4));
            int ss = Integer.parseInt(m.group(5));
            int monthNo = monthNumber(month);
            Instant[] cands = monthNo == 0 ? new Instant[3] : candidates(year, monthNo, day, hh, mm, ss, zone);
            c = new YearCandidates(s.substring(start, end), zone, year, cands);
            LAST.set(c);
        }
        return nearest(c.candidates, receivedAt);
    }

    private static int monthNumber(String monthName) {
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].equals(monthName)) {
                return i + 1;
            }
        }
        return 0;
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
