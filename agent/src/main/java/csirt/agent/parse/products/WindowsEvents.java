package csirt.agent.parse.products;

import static csirt.agent.parse.products.RecordText.nz;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import csirt.agent.parse.AvAction;
import csirt.agent.parse.AvAlert;
import csirt.agent.parse.Event;
import csirt.agent.parse.SecurityAlerts;

/**
 * Windows event logs as NXLog's {@code im_msvistalog} forwards them (NXLog Reference Manual):
 * {@code to_json()} ({@code EventID}, {@code SourceName}, {@code Channel}, {@code Hostname}: the
 * computer the event is about, also for a Windows Event Forwarding collector's
 * {@code ForwardedEvents}), {@code to_syslog_ietf()} (the same fields as structured data) and
 * {@code to_syslog_bsd()} (the SourceName as TAG and the rendered Message only, in the language
 * of the Windows that wrote it). The event id goes to {@code win.event_id}; the Microsoft Defender
 * Antivirus events ("Microsoft Defender Antivirus event IDs", Microsoft Learn) become antivirus
 * findings (1006, 1015, 1116 detected; 1117 what its action says; 1118, 1119 failed) or
 * {@code alert.kind} protection-off (5001 real-time protection, 5010 and 5012 scanning disabled);
 * the System log's 1104/104 and the Security log's 1102 (a log cleared) become
 * {@code alert.kind} log-cleared; 7031/7034 (a service terminated unexpectedly) and 6008 or
 * Kernel-Power 41 (an unexpected shutdown) become {@code outage.kind}.
 */
final class WindowsEvents implements ProductReader {

    private static final Pattern SD_PARAM = Pattern.compile("\\b(EventID|Channel|SourceName|ProviderName|Hostname)=\"([^\"]*)\"");
    private static final Pattern NAME = Pattern.compile("(?:^|\\s)(?:Name|名前)\\s?[:：]\\s*(\\S[^\\t\\r\\n]*?)(?=\\s+(?:ID|Severity|重大度)\\s?[:：]|[\\t\\r\\n]|$)");
    private static final Pattern PATH = Pattern.compile("(?:^|\\s)(?:Path|パス)\\s?[:：]\\s*(\\S[^\\t\\r\\n]*?)(?=\\s+(?:Detection Origin|検出元)\\s?[:：]|[\\t\\r\\n]|$)");
    private static final Pattern ACTION = Pattern.compile("(?:^|\\s)(?:Action|操作)\\s?[:：]\\s*(\\S[^\\t\\r\\n]*?)(?=\\s+(?:Action Status|操作の状態)\\s?[:：]|[\\t\\r\\n]|$)");

    @Override
    public String id() {
        return "windows";
    }

    @Override
    public String name() {
        return "Windows event logs and Microsoft Defender Antivirus (NXLog im_msvistalog)";
    }

    @Override
    public List<String> yields() {
        return List.of("av.", "alert.kind=protection-off,log-cleared", "win.event_id", "outage.kind=service-crash,unexpected-shutdown");
    }

    @Override
    public boolean mayRead(Probe p) {
        return p.record() || p.app().startsWith("Microsoft-Windows-") || p.eventId();
    }

    @Override
    public Reading read(Event e) {
        Map<String, String> f = e.fields();
        String id = f.get("json.EventID");
        String source = f.getOrDefault("json.SourceName", f.get("json.ProviderName"));
        String channel = f.get("json.Channel");
        String host = f.get("json.Hostname");
        if (id == null && e.structuredData() != null && e.structuredData().contains("EventID=")) {
            Matcher m = SD_PARAM.matcher(e.structuredData());
            while (m.find()) {
                switch (m.group(1)) {
                    case "EventID" -> id = m.group(2);
                    case "Channel" -> channel = m.group(2);
                    case "Hostname" -> host = m.group(2);
                    default -> source = source == null ? m.group(2) : source;
                }
            }
            if (source == null) {
                source = e.app();
            }
        }
        String msg = f.getOrDefault("json.Message", e.message() == null ? "" : e.message());
        boolean defender = nz(source).contains("Defender") || nz(e.app()).contains("Windows Defender") || nz(channel).contains("Defender");
        if (id == null && !defender && nz(e.app()).startsWith("Microsoft-Windows-")) {
            source = e.app();
            id = renderedId(msg); // to_syslog_bsd: the rendered message is all there is
        }
        if (id == null && !defender) {
            return null;
        }
        Reading r = new Reading();
        r.host(host);
        r.put("win.event_id", id).put("win.channel", channel).put("win.source", source);
        if (id != null && LOGON_EVENTS.contains(id.strip())) {
            logon(f, e.structuredData(), msg, r);
        }
        if (defender) {
            return defender(e, r, id == null ? defenderId(msg) : id.strip(), msg);
        }
        String src = nz(source);
        switch (id.strip()) {
            case "1102":
            case "104":
                if (src.contains("Eventlog") || src.contains("Security-Auditing") || nz(channel).equals("Security") || nz(channel).equals("System")) {
                    return r.alert("log-cleared", "detected", id.strip().equals("1102") ? "監査ログの消去" : "イベントログの消去");
                }
                break;
            case "7031":
            case "7034":
                if (src.contains("Service Control Manager")) {
                    r.put("outage.kind", "service-crash");
                }
                break;
            case "6008":
                if (src.equals("EventLog")) {
                    r.put("outage.kind", "unexpected-shutdown");
                }
                break;
            case "41":
                if (src.contains("Kernel-Power")) {
                    r.put("outage.kind", "unexpected-shutdown");
                }
                break;
            default:
                break;
        }
        return r;
    }

    /** The Security log's logon events, whose source address and account are read. */
    private static final Set<String> LOGON_EVENTS = Set.of("4624", "4625", "4648", "4740", "4771", "4776");
    private static final Pattern SOURCE_ADDRESS = Pattern.compile("(?:Source Network Address|ソース ネットワーク アドレス|ソースネットワークアドレス)\\s*[:：]\\s*(\\S+)");
    private static final Pattern ACCOUNT = Pattern.compile("(?:Account For Which Logon Failed|ログオンに失敗したアカウント|New Logon|新しいログオン|Account That Was Locked Out|ロックアウトされたアカウント)"
            + "[:：]?\\s+(?:Security ID|セキュリティ ID)\\s*[:：]\\s*\\S+\\s+(?:Account Name|アカウント名)\\s*[:：]\\s*(\\S+)");
    private static final Pattern SD_LOGON = Pattern.compile("\\b(IpAddress|TargetUserName)=\"([^\"]*)\"");

    /**
     * The source address and account of a logon event (4624, 4625, 4740, 4771, 4776) as
     * {@code alert.src} and {@code alert.user}: from the JSON fields, the structured data, or the
     * rendered message's "Source Network Address:" and "Account Name:" (in Japanese
     * "ソース ネットワーク アドレス:", "アカウント名:").
     */
    private static void logon(Map<String, String> f, String sd, String msg, Reading r) {
        String src = f.get("json.IpAddress");
        String user = f.get("json.TargetUserName");
        if (src == null && sd != null && sd.contains("IpAddress=")) {
            Matcher m = SD_LOGON.matcher(sd);
            while (m.find()) {
                if (m.group(1).equals("IpAddress")) {
                    src = m.group(2);
                } else {
                    user = m.group(2);
                }
            }
        }
        if (src == null) {
            src = find(SOURCE_ADDRESS, msg);
        }
        if (user == null) {
            user = find(ACCOUNT, msg);
        }
        if (src != null && !src.equals("-")) {
            r.put("alert.src", src.startsWith("::ffff:") ? src.substring(7) : src);
        }
        if (user != null && !user.equals("-")) {
            r.put("alert.user", user);
        }
    }

    /** The Security or System event a rendered message is, by its first sentence (English or Japanese Windows); null when unknown. */
    private static String renderedId(String msg) {
        if (msg.startsWith("An account failed to log on") || msg.startsWith("アカウントがログオンに失敗しました")) {
            return "4625";
        }
        if (msg.startsWith("An account was successfully logged on") || msg.startsWith("アカウントが正常にログオンしました")) {
            return "4624";
        }
        if (msg.startsWith("A user account was locked out") || msg.startsWith("ユーザー アカウントがロックアウトされました")) {
            return "4740";
        }
        if (msg.startsWith("The audit log was cleared") || msg.startsWith("監査ログが消去されました")) {
            return "1102";
        }
        return null;
    }

    /** The Defender event a BSD line's rendered message is, from its first sentence (English or Japanese Windows). */
    private static String defenderId(String msg) {
        String m = msg.toLowerCase(Locale.ROOT);
        if (m.contains("has detected malware") || m.contains("を検出しました") && (msg.contains("名前") || msg.contains("Name"))) {
            return "1116";
        }
        if (m.contains("has taken action to protect") || msg.contains("操作を実行しました")) {
            return "1117";
        }
        if (m.contains("critical error when taking action")) {
            return "1119";
        }
        if (m.contains("non-critical error when taking action") || msg.contains("エラーが発生しました") && msg.contains("操作")) {
            return "1118";
        }
        if (m.contains("real-time protection") && m.contains("disabled") || msg.contains("リアルタイム保護") && msg.contains("無効")) {
            return "5001";
        }
        if (m.contains("scanning for") && m.contains("disabled") || msg.contains("スキャン") && msg.contains("無効")) {
            return "5010";
        }
        return "";
    }

    private static Reading defender(Event e, Reading r, String id, String msg) {
        switch (id) {
            case "5001":
            case "5010":
            case "5012":
                return r.alert("protection-off", "detected", id.equals("5001") ? "リアルタイム保護の無効化" : "スキャンの無効化");
            case "1006":
            case "1015":
            case "1116":
            case "1117":
            case "1118":
            case "1119":
                break;
            default:
                return r.alert("other", null, null);
        }
        AvAlert av = e.av();
        if (av == null) {
            String name = find(NAME, msg);
            if (name == null) {
                return r.alert("other", null, null);
            }
            String path = find(PATH, msg);
            if (path != null) {
                path = path.replaceFirst("^(?:file|containerfile|process|regkey|webfile)?:?_", "");
            }
            String action = find(ACTION, msg);
            av = new AvAlert("Microsoft Defender Antivirus", name, path, SecurityAlerts.action(action));
        }
        AvAction action = switch (id) {
            case "1006", "1015", "1116" -> AvAction.DETECTED;
            case "1118", "1119" -> AvAction.FAILED;
            default -> av.action();
        };
        r.av = new AvAlert(av.product(), av.signature(), av.path(), action, av.hash(), av.size());
        return r.alert("other", null, av.signature());
    }

    private static String find(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1).strip() : null;
    }
}
