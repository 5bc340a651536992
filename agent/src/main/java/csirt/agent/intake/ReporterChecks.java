package csirt.agent.intake;

import java.util.List;
import java.util.Map;

/**
 * What the plan asks the CSIRT to check for each kind of reporter before acting on a report
 * (4(2)②(I), the table 「通報・報告の受付」): a hearing for staff, the device and its contractor for
 * a system's alert, a call-back for citizens, a call-back or a mail check for the city, the
 * prefecture, the state and J-LIS. The intake form and the command line ask these; the answers are
 * journaled with the report and shown in its notice.
 */
public final class ReporterChecks {

    /**
     * One check.
     *
     * @param yesNo  answered yes or no (done or not); otherwise a short text
     * @param proves a yes means the report is verified (the plan's call-back or mail check)
     */
    public record Check(String id, String question, boolean yesNo, boolean proves) {
    }

    private static final List<Check> STAFF = List.of(
            new Check("how_found", "インシデントの兆候を発見した経緯", false, false),
            new Check("system_state", "当該情報システムやネットワークの状況", false, false),
            new Check("power_lan", "電源や LAN ケーブル等の接続を確認した", true, false));
    private static final List<Check> SYSTEM = List.of(
            new Check("device", "警報を発した機器及び情報システム", false, false),
            new Check("contractor_asked", "運用・保守を担当する外部委託事業者に問い合わせた", true, false),
            new Check("contractor_answer", "外部委託事業者の回答", false, false));
    private static final List<Check> CITIZEN = List.of(
            new Check("callback_number", "折り返し先の電話番号（組織の場合は調べた代表番号）", false, false),
            new Check("called_back", "折り返しの連絡をして虚偽でない通報と確認した（メールの通報も電話で確認）", true, true),
            new Check("heard", "内容を具体的にヒアリングした", true, false));
    private static final List<Check> AUTHORITY = List.of(
            new Check("channel", "通報の手段（電話・メール）", false, false),
            new Check("confirmed", "正しい通報であることを確認した（電話は折り返し、メールは上記に準じた確認）", true, true),
            new Check("heard", "内容を具体的にヒアリングした", true, false));

    /** The plan's own words for each kind of reporter (4(2)②(I)). */
    private static final Map<String, String> PLAN = Map.of(
            "staff", "通報者へヒアリングを行い、インシデントの兆候を発見した経緯及び当該情報システムやネットワーク状況（電源や LAN ケーブル等の接続を含む）を確認する。",
            "system", "警報又はアラート等を発した機器及び情報システムを特定し、当該機器及び情報システムの運用・保守等を担当している外部委託事業者に問い合わせる。",
            "citizen", "通報が虚偽でないことを確認するため、通報者の連絡先を控え、折り返しの連絡を行う。通報者が組織の場合は組織の代表番号を調べ、折り返しの連絡を行う。"
                    + "メールで通報があった場合も、通報者の電話番号を確認し、電話連絡にて確認を行う。虚偽がなく正しい通報であることが確認されたら、内容の具体的なヒアリングを行う。",
            "authority", "電話による通報の場合は、市民等からの通報に準じて、通報が虚偽でないことを確認する。メールによる通報の場合は、同様に正しい通報であることを確認する。"
                    + "虚偽がなく正しい通報であることが確認されたら、内容の具体的なヒアリングを行う。");

    private ReporterChecks() {
    }

    /** The checks for a kind of reporter (staff, system, citizen, city, prefecture, state, jlis); none for an unknown kind. */
    public static List<Check> forKind(String kind) {
        return switch (kind == null ? "" : kind) {
            case "staff" -> STAFF;
            case "system" -> SYSTEM;
            case "citizen" -> CITIZEN;
            case "city", "prefecture", "state", "jlis" -> AUTHORITY;
            default -> List.of();
        };
    }

    /** What the plan says to do for this kind of reporter. */
    public static String planStep(String kind) {
        return switch (kind == null ? "" : kind) {
            case "staff", "system", "citizen" -> PLAN.get(kind);
            case "city", "prefecture", "state", "jlis" -> PLAN.get("authority");
            default -> "";
        };
    }

    /** Whether the answers hold the check that verifies this reporter (a call-back done). */
    public static boolean verifies(String kind, Map<String, String> answers) {
        for (Check c : forKind(kind)) {
            if (c.proves() && "true".equals(answers.get(c.id()))) {
                return true;
            }
        }
        return false;
    }
}
