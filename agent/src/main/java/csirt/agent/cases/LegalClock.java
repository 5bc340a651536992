package csirt.agent.cases;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;

/**
 * When a personal-data breach must be reported to the Personal Information Protection Commission
 * (個人情報保護法26条1項, 施行規則7条・8条). It must be when the breach (or its suspicion) involves
 * 要配慮個人情報, a risk of financial damage, an unauthorised purpose (不正の目的: unauthorised
 * access, insider theft) or more than 1,000 persons (規則7条1号〜4号): a 速報 promptly (規則8条1項;
 * the Commission's practice is about 3 to 5 days after learning of it — the agent takes the fifth
 * day as its deadline and reminds from the third) and a 確報 within 30 days, 60 for 不正の目的
 * (規則8条2項). Days are calendar days in notice.zone from the day the CSIRT learned of it (the
 * case's first reception): a weekend or holiday does not move a deadline, which ends at 24:00 of its
 * day. The agent reminds and records; people decide and report.
 */
public final class LegalClock {

    /** The Annex examples that are a leak, loss or damage of personal data or its suspicion. */
    public static final Set<String> PERSONAL_DATA_EXAMPLES = Set.of("theft.1.7", "theft.2.1", "theft.2.2", "theft.2.3", "theft.2.4",
            "theft.2.5", "cyber.2.5");

    public static final int PRELIMINARY_DAYS = 5;
    public static final int PRELIMINARY_REMIND_DAYS = 3;
    public static final int FINAL_DAYS = 30;
    public static final int FINAL_DAYS_WRONGFUL = 60;
    /** The final report is reminded this many days before it falls due. */
    public static final int FINAL_REMIND_BEFORE_DAYS = 7;

    /** A person's answers about a case (規則7条 1号 要配慮, 2号 財産的被害, 3号 不正の目的, 4号 1,000人超). */
    public record Answers(boolean personal, boolean sensitive, boolean financial, boolean wrongful, long persons) {

        /** Whether the law asks for the reports. */
        public boolean reportable() {
            return personal && (sensitive || financial || wrongful || persons > 1000);
        }
    }

    /** One case's reporting state: the answers, when learned, and when each report was recorded as sent (null: not yet). */
    public record State(long caseId, Answers answers, Instant learnedAt, String answeredBy, Instant preliminarySentAt,
                        Instant finalSentAt, String reminded) {
    }

    /** The two reports. */
    public enum Report {
        PRELIMINARY("速報"), FINAL("確報");

        private final String japanese;

        Report(String japanese) {
            this.japanese = japanese;
        }

        public String japanese() {
            return japanese;
        }
    }

    private LegalClock() {
    }

    /** Whether the case is one the agent asks about (its Annex example is a personal-data one). */
    public static boolean asks(CaseRecord c) {
        return c.annexId() != null && PERSONAL_DATA_EXAMPLES.contains(c.annexId());
    }

    /** The end (24:00 in {@code zone}) of the day a report falls due. */
    public static Instant due(Report r, Answers a, Instant learnedAt, ZoneId zone) {
        LocalDate learned = learnedAt.atZone(zone).toLocalDate();
        int days = r == Report.PRELIMINARY ? PRELIMINARY_DAYS : a.wrongful() ? FINAL_DAYS_WRONGFUL : FINAL_DAYS;
        return learned.plusDays(days + 1L).atTime(LocalTime.MIDNIGHT).atZone(zone).toInstant();
    }

    /** From when the agent reminds that a report falls due. */
    public static Instant remindFrom(Report r, Answers a, Instant learnedAt, ZoneId zone) {
        if (r == Report.PRELIMINARY) {
            return learnedAt.atZone(zone).toLocalDate().plusDays(PRELIMINARY_REMIND_DAYS).atStartOfDay(zone).toInstant();
        }
        return due(r, a, learnedAt, zone).minus(java.time.Duration.ofDays(FINAL_REMIND_BEFORE_DAYS));
    }

    /** What to remind about now: "due" once from {@link #remindFrom}, "overdue" at the deadline and once a day after; null: nothing. */
    public static String reminder(Report r, State s, Instant now, ZoneId zone) {
        if (!s.answers().reportable() || (r == Report.PRELIMINARY ? s.preliminarySentAt() : s.finalSentAt()) != null) {
            return null;
        }
        Instant due = due(r, s.answers(), s.learnedAt(), zone);
        if (!now.isBefore(due)) {
            String tag = r.name() + ":overdue:" + now.atZone(zone).toLocalDate();
            return s.reminded().contains(tag) ? null : tag;
        }
        if (!now.isBefore(remindFrom(r, s.answers(), s.learnedAt(), zone))) {
            String tag = r.name() + ":due";
            return s.reminded().contains(tag) ? null : tag;
        }
        return null;
    }
}
