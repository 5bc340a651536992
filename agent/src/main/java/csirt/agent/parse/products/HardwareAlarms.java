package csirt.agent.parse.products;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import csirt.agent.parse.Event;

/**
 * Disks, RAID, power and server hardware, in the words their monitors use, as
 * {@code outage.kind}: disk-failure, raid-degraded, psu-failure, fan-failure, memory-failure,
 * temperature, hardware; on-battery, power-restored, battery-low, forced-shutdown. Read:
 * <ul>
 * <li>smartmontools' smartd ("FAILED SMART self-check. BACK UP DATA NOW!"; pending sectors are a
 * warning, not yet a failure), mdadm's monitor ("Fail event", "DegradedArray event") and the
 * kernel's md ("Disk failure on sdb1, disabling device"), OpenZFS zed ({@code class=statechange}
 * to FAULTED, DEGRADED, REMOVED, UNAVAIL; {@code class=io});</li>
 * <li>HPE iLO's Integrated Management Log, Dell iDRAC's Lifecycle Controller messages
 * ({@code MessageID: PSU0003}, FAN, MEM, PDR, TMP), IPMI SEL through ipmievd: records of a
 * server's management controller, so its sender is a server;</li>
 * <li>NetApp ONTAP EMS ({@code [node:raid.disk.fail:...]}), Synology and QNAP NAS disk and
 * volume messages;</li>
 * <li>APC Network Management Card and PowerChute ("UPS: On battery power in response to...",
 * "No longer on battery power", "The battery power is too low"), Omron PowerAct Pro and its
 * network card (停電の発生・復電, バッテリ低下, シャットダウン). NUT and apcupsd are read by
 * their own criteria (PWR-130, PWR-240).</li>
 * </ul>
 */
final class HardwareAlarms implements ProductReader {

    private static final Pattern IDRAC = Pattern.compile("MessageID: ?([A-Z]{3,4})(\\d{3,4})");
    private static final Pattern ZED_STATE = Pattern.compile("class=statechange.*vdev_state=(FAULTED|DEGRADED|REMOVED|UNAVAIL|OFFLINE)");
    private static final Pattern NETAPP = Pattern.compile("\\[[\\w.-]+:((?:raid|disk|shelf|ses|monitor|fru|nvram|callhome)[\\w.]*):(\\w+)\\]");

    /** The daemons most lines come from, which are never a hardware monitor: answered without a regex. */
    private static final Set<String> COMMON = Set.of("sshd", "CRON", "cron", "systemd", "nginx", "snort", "sudo", "su",
            "postfix/smtpd", "postfix/qmgr", "dhcpd", "named", "ntpd", "chronyd", "httpd", "apache2", "clamd", "clamscan", "freshclam",
            "dovecot", "rsyslogd", "systemd-logind", "dbus-daemon", "NetworkManager");

    /** Words in the TAG of apps whose messages may be a NAS's, a UPS's or a server controller's. */
    private static final String[] DEVICE_APP = {"ups", "power", "apc", "omron", "syno", "qnap", "raid", "stor", "disk", "volume", "nas", "hw",
        "nut", "ilo", "idrac", "ipmi", "smartd", "mdadm", "zed", "kernel", "netapp"};

    /** Whether a line may be a hardware alarm: its app is one of those, or it names a controller's message id or a storage event. */
    static boolean candidate(Probe p) {
        if (COMMON.contains(p.app())) {
            return false;
        }
        if (p.app().equals("kernel")) {
            return p.message().contains("md/raid");
        }
        String m = p.message();
        if (m.contains("MessageID:") || m.startsWith("iLO") || m.indexOf('[') >= 0 && (m.contains(":raid.") || m.contains(":disk."))) {
            return true;
        }
        String app = p.app().toLowerCase(Locale.ROOT);
        if (app.isEmpty() || app.equals("system")) {
            return true;
        }
        for (String w : DEVICE_APP) {
            if (app.contains(w)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String id() {
        return "hardware";
    }

    @Override
    public String name() {
        return "Disks, RAID, UPS and server hardware (smartd, mdadm, ZFS, iLO, iDRAC, IPMI, NetApp, Synology, QNAP, APC, Omron)";
    }

    @Override
    public List<String> yields() {
        return List.of("outage.kind=disk-failure,raid-degraded,psu-failure,fan-failure,memory-failure,temperature,hardware,on-battery,power-restored,battery-low,forced-shutdown", "criteria=PWR-140");
    }

    @Override
    public boolean mayRead(Probe p) {
        return HardwareAlarms.candidate(p);
    }

    @Override
    public Reading read(Event e) {
        String m = e.message();
        String app = e.app() == null ? "" : e.app().toLowerCase(Locale.ROOT);
        if (app.equals("kernel") && !m.contains("md/raid")) {
            return null; // the kernel's only hardware alarm read here is md's; its I/O errors are OUT-001/012's
        }
        boolean known = app.equals("smartd") || app.startsWith("mdadm") || app.equals("kernel") || app.equals("zed") || app.equals("ipmievd")
                || app.startsWith("ilo") || m.startsWith("iLO") || m.contains("MessageID:") || m.indexOf('[') >= 0 && m.contains(":raid.")
                || m.contains(":disk.");
        // (most lines are none of these: the lower-case copy and the word tests only for a line that may be)
        if (!known && !(m.contains("UPS") || m.contains("attery") || m.contains("停電") || m.contains("復電") || m.contains("バッテリ")
                || m.contains("olume") || m.contains("RAID") || m.contains("isk") || m.contains("torage") || m.contains("rive "))) {
            return null;
        }
        Reading r = new Reading();
        String kind = null;
        String role = null;
        String t = m.toLowerCase(Locale.ROOT);
        if (app.equals("smartd")) {
            if (t.contains("failed smart self-check") || t.contains("smart failure") || t.contains("self-test log error count increased")) {
                kind = "disk-failure";
            } else if (t.contains("unreadable (pending) sectors") || t.contains("offline uncorrectable sectors")) {
                kind = "disk-warning";
            }
        } else if (app.startsWith("mdadm")) {
            if (t.contains("fail event") || t.contains("degradedarray event") || t.contains("failspare event")) {
                kind = "raid-degraded";
            }
        } else if (app.equals("kernel")) {
            kind = t.contains("md/raid") && t.contains("disk failure on") ? "raid-degraded" : null;
        } else if (app.equals("zed")) {
            if (ZED_STATE.matcher(m).find()) {
                kind = "disk-failure";
            } else if (t.contains("class=io ") || t.endsWith("class=io") || t.contains("class=checksum")) {
                kind = "disk-warning";
            }
        } else if (app.equals("ipmievd") || app.startsWith("ilo") || t.startsWith("ilo") || t.contains("integrated management log")
                || m.contains("MessageID:")) {
            role = "server";
            kind = managementController(m, t);
        } else {
            Matcher n = NETAPP.matcher(m);
            if (n.find()) {
                role = "server";
                String ev = n.group(1).toLowerCase(Locale.ROOT);
                kind = ev.contains("fail") || ev.contains("broken") ? "disk-failure" : ev.contains("degrad") || ev.contains("reconstruct") ? "raid-degraded"
                        : ev.contains("power") || ev.contains("psu") ? "psu-failure" : ev.contains("fan") ? "fan-failure" : null;
            } else {
                kind = nasOrUps(m, t);
            }
        }
        if (kind == null) {
            return null;
        }
        r.put("outage.kind", kind);
        if (role != null) {
            r.put(Reading.ROLE, role);
        }
        return r;
    }

    /** iLO IML, iDRAC Lifecycle and IPMI SEL texts. */
    private static String managementController(String m, String t) {
        Matcher id = IDRAC.matcher(m);
        if (id.find()) {
            boolean bad = t.contains("critical") || t.contains("lost") || t.contains("fail") || t.contains("removed") || t.contains("error")
                    || t.contains("less than the lower") || t.contains("greater than the upper");
            if (!bad) {
                return null;
            }
            return switch (id.group(1)) {
                case "PSU" -> "psu-failure";
                case "FAN" -> "fan-failure";
                case "MEM" -> "memory-failure";
                case "PDR", "STOR", "DRIVE" -> "disk-failure";
                case "TMP" -> "temperature";
                default -> "hardware";
            };
        }
        if ((t.contains("power supply") || t.contains("psu")) && (t.contains("fail") || t.contains("lost") || t.contains("removed"))) {
            return "psu-failure";
        }
        if (t.contains("fan") && (t.contains("fail") || t.contains("lower critical") || t.contains("removed"))) {
            return "fan-failure";
        }
        if (t.contains("memory") && (t.contains("uncorrectable") || t.contains("fail") || t.contains("ecc"))) {
            return "memory-failure";
        }
        if ((t.contains("drive") || t.contains("disk") || t.contains("array")) && (t.contains("fail") || t.contains("degrad"))) {
            return "disk-failure";
        }
        if (t.contains("temperature") && (t.contains("critical") || t.contains("caution") || t.contains("exceed"))) {
            return "temperature";
        }
        return null;
    }

    /** Synology, QNAP, APC and Omron messages, which come without a TAG of their own. */
    private static String nasOrUps(String m, String t) {
        if (t.contains("on battery power in response to") || t.contains("ups on battery") || t.contains("running on battery")
                || m.contains("停電が発生") || m.contains("停電を検出") || m.contains("バッテリ運転")) {
            return "on-battery";
        }
        if (t.contains("no longer on battery power") || t.contains("input power restored") || t.contains("power has been restored")
                || m.contains("復電") || m.contains("停電が回復") || m.contains("商用電源に復帰")) {
            return "power-restored";
        }
        if (t.contains("battery power is too low") || t.contains("low battery") || t.contains("battery is low") || m.contains("バッテリ残量低下")
                || m.contains("バッテリ容量低下") || m.contains("バッテリー残量低下")) {
            return "battery-low";
        }
        if (t.contains("graceful shutdown") && t.contains("ups") || m.contains("シャットダウンを開始") && (m.contains("UPS") || m.contains("停電"))) {
            return "forced-shutdown";
        }
        boolean storage = t.contains("volume") || t.contains("storage pool") || t.contains("raid") || t.contains("disk") || t.contains("drive");
        if (storage && (t.contains("crashed") || t.contains("has failed") || t.contains("failed") && !t.contains("login"))) {
            return "disk-failure";
        }
        if (storage && (t.contains("degraded") || t.contains("degrade"))) {
            return "raid-degraded";
        }
        return null;
    }
}
