package csirt.agent.parse;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Normalises a CEF, LEEF or JSON record to the same alert fields whatever the product: an antivirus
 * finding ({@link AvAlert}: product, signature, file path, action taken) when the record is one,
 * and {@code alert.host}, {@code alert.user}, {@code alert.src}, {@code alert.dst} for any record.
 * Products name these differently (Trend Micro's {@code cs1Label=VirusName}, Symantec's
 * {@code Virus}, LEEF's {@code usrName}); the lists below are where each is looked for, in order.
 */
public final class SecurityAlerts {

    /** What a record says, normalised; {@code av} null when it is not an antivirus finding. */
    public record Normalised(AvAlert av, String host, Map<String, String> fields) {
    }

    private static final String[] SIGNATURE = {"virusname", "virus_name", "virus", "malwarename", "malware_name", "threatname",
        "threat_name", "threat name", "security_threat", "spyware/grayware", "signature", "threat", "malware"};
    private static final String[] FILE_PATH = {"filepath", "filepath", "file_path", "file_path", "path"};
    private static final String[] FILE_NAME = {"fname", "filename", "file_name", "file"};
    private static final String[] ACTION = {"act", "action", "actionresult", "action_result", "actiontaken", "action_taken", "action name",
        "outcome"};
    private static final String[] SECOND_ACTION = {"second_action_result", "second_action", "secondactionresult", "secondary_action",
        "secondaryaction"};
    private static final String[] HOST = {"dhost", "dvchost", "shost", "identhostname", "srchostname", "hostname", "host", "agent.name"};
    private static final String[] USER = {"duser", "suser", "usrname", "user", "username"};
    private static final String[] SRC = {"src", "sourceaddress", "srcip", "src_ip"};
    private static final String[] DST = {"dst", "destinationaddress", "dstip", "dest_ip"};
    private static final Pattern AV_WORDS = Pattern.compile("(?i)virus|malware|spyware|grayware|trojan|ransom|worm|infect|eicar");

    private SecurityAlerts() {
    }

    /** @param prefix {@code "cef."}, {@code "leef."} or {@code "json."}: where the record's own fields are */
    public static Normalised normalise(Map<String, String> record, String prefix) {
        Map<String, String> out = new LinkedHashMap<>(record);
        // products disagree on case (virusName, VirusName): look names up case-insensitively
        Map<String, String> f = new java.util.HashMap<>();
        // keyed without the prefix, in lower case, once per record (the name lists below are lower case too)
        int pl = prefix.length();
        record.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                f.putIfAbsent(k.substring(pl).toLowerCase(Locale.ROOT), v);
            }
        });
        String host = first(f, HOST);
        put(out, "alert.host", host);
        put(out, "alert.user", first(f, USER));
        put(out, "alert.src", first(f, SRC));
        put(out, "alert.dst", first(f, DST));

        String signature = first(f, SIGNATURE);
        String headline = String.join(" ", nz(f.get("class")), nz(f.get("name")), nz(f.get("event")),
                nz(f.get("cat")));
        if (signature == null && AV_WORDS.matcher(headline).find()) {
            signature = f.get("name"); // CEF: the event name is the detection (LEEF has no name)
        }
        if (signature == null) {
            return new Normalised(null, host, out);
        }
        String product = (nz(f.get("vendor")) + " " + nz(f.getOrDefault("devicefacility",
                f.getOrDefault("product", f.get("product name"))))).strip();
        String actionText = first(f, ACTION);
        if (actionText == null) {
            actionText = f.get("class"); // Trend Micro puts "PML:File cleaned" there
        }
        AvAction action = action(actionText);
        String second = first(f, SECOND_ACTION);
        if (action == AvAction.FAILED && second != null) {
            // the first action failed, the second may have done it (Trend Micro: "Unable to clean file", then "File quarantined")
            AvAction a2 = action(second);
            if (a2 == AvAction.REMOVED || a2 == AvAction.QUARANTINED || a2 == AvAction.BLOCKED) {
                action = a2;
            }
        }
        String defenderEvent = f.get("eventid");
        if (defenderEvent != null && nz(f.get("sourcename")).contains("Defender")) {
            action = defender(defenderEvent, action);
        }
        AvAlert av = new AvAlert(product.isEmpty() ? "unknown" : product, signature, path(f), action);
        return new Normalised(av, host, out);
    }

    /**
     * Microsoft Defender Antivirus (Microsoft-Windows-Windows Defender/Operational, "Microsoft
     * Defender Antivirus event IDs" on learn.microsoft.com): 1006 and 1116 detected (no action yet),
     * 1117 an action taken (its Action Name: Quarantine, Remove, Clean; Allow and No action leave the
     * file), 1118 and 1119 the action failed. 1007 and 1015 as their names say.
     */
    private static AvAction defender(String eventId, AvAction named) {
        return switch (eventId.strip()) {
            case "1006", "1015", "1116" -> AvAction.DETECTED;
            case "1118", "1119" -> AvAction.FAILED;
            default -> named; // 1007, 1117: what the Action Name says
        };
    }

    /** What the product says it did, in its own words, mapped to the plan's distinctions. */
    public static AvAction action(String text) {
        if (text == null) {
            return AvAction.DETECTED;
        }
        String t = text.toLowerCase(Locale.ROOT);
        // Japanese products and a Japanese Windows say it in Japanese: 駆除・削除 (removed), 隔離・検疫
        // (quarantined), 遮断・ブロック・拒否 (blocked), 放置・許可 (left), 失敗・できません (failed)
        if (t.contains("fail") || t.contains("unable") || t.contains("could not") || t.contains("error") || t.contains("失敗")
                || t.contains("できません") || t.contains("できなかった") || t.contains("エラー")) {
            return AvAction.FAILED;
        }
        if (t.contains("放置") || t.contains("許可") || t.contains("操作なし")) {
            return AvAction.DETECTED;
        }
        if (t.contains("quarantin") || t.contains("isolat") || t.contains("隔離") || t.contains("検疫")
                || t.contains("moved") || t.contains("renamed") || t.contains("移動") || t.contains("名前の変更")) {
            return AvAction.QUARANTINED; // Trend Micro's Move and Rename put the file where it cannot run
        }
        if (t.contains("delet") || t.contains("remov") || t.contains("clean") || t.contains("削除") || t.contains("駆除")) {
            return AvAction.REMOVED;
        }
        if (t.contains("block") || t.contains("deny") || t.contains("denied") || t.contains("drop") || t.contains("prevent")
                || t.contains("reject") || t.contains("terminat") || t.contains("遮断") || t.contains("ブロック") || t.contains("拒否")) {
            return AvAction.BLOCKED;
        }
        return AvAction.DETECTED;
    }

    private static String path(Map<String, String> f) {
        String dir = first(f, FILE_PATH);
        if (dir != null) {
            // Defender writes the resource kind before the path: "file:_C:\Users\...", "containerfile:_..."
            dir = dir.replaceFirst("^(?:file|containerfile|process|regkey|webfile):_", "");
        }
        String name = first(f, FILE_NAME);
        if (dir == null) {
            return name;
        }
        if (name != null && (dir.endsWith("\\") || dir.endsWith("/"))) {
            return dir + name;
        }
        return dir;
    }

    private static String first(Map<String, String> f, String[] keys) {
        for (String k : keys) {
            String v = f.get(k);
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    private static void put(Map<String, String> out, String key, String value) {
        if (value != null) {
            out.put(key, value);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
