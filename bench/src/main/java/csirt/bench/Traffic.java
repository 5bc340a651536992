package csirt.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A realistic mix of log lines for a municipal log server: mostly level-0 noise from many hosts,
 * some antivirus alerts, outage and recovery pairs, brute-force bursts, firewall alerts.
 */
public final class Traffic {

    private Traffic() {
    }

    public static List<String> lines(int n, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>(n);
        while (out.size() < n) {
            int pick = r.nextInt(100);
            String host = "pc-" + r.nextInt(400);
            int pid = 1000 + r.nextInt(30000);
            if (pick < 30) {
                out.add("<86>Nov 26 18:00:00 " + host + " sshd[" + pid + "]: pam_unix(sshd:session): session "
                        + (r.nextBoolean() ? "opened" : "closed") + " for user u" + r.nextInt(300) + "(uid=1000) by (uid=0)");
            } else if (pick < 45) {
                out.add("<78>Nov 26 18:00:00 " + host + " CRON[" + pid + "]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)");
            } else if (pick < 55) {
                out.add("<30>Nov 26 18:00:00 " + host + " systemd[1]: Started session-" + pid + ".scope - Session " + pid + " of User u1.");
            } else if (pick < 62) {
                out.add("<6>Nov 26 18:00:00 " + host + " kernel: [" + pid + ".123456] audit: type=1400 audit(1700000000.000:" + pid
                        + "): apparmor=\"STATUS\" operation=\"profile_load\" name=\"/usr/bin/man\"");
            } else if (pick < 72) {
                out.add("<38>Nov 26 18:00:00 web01 sshd[" + pid + "]: Failed password for invalid user admin from 203.0.113."
                        + r.nextInt(250) + " port " + (30000 + r.nextInt(30000)) + " ssh2");
            } else if (pick < 74) {
                // a brute-force burst from one source
                for (int i = 0; i < 12; i++) {
                    out.add("<38>Nov 26 18:00:00 web01 sshd[" + (pid + i) + "]: Failed password for root from 198.51.100.7 port "
                            + (40000 + i) + " ssh2");
                }
            } else if (pick < 80) {
                out.add("<185>Nov 26 18:00:00 fw01 kernel: IN=eth0 OUT= SRC=203.0.113." + r.nextInt(250)
                        + " DST=192.0.2.10 LEN=60 PROTO=TCP SPT=" + (1024 + r.nextInt(60000)) + " DPT=23 action=deny policy=drop-telnet");
            } else if (pick < 83) {
                out.add("<185>Nov 26 18:00:00 fw01 snort[1]: [1:2024217:3] ET EXPLOIT Possible attack blocked {TCP} 203.0.113."
                        + r.nextInt(250) + ":4444 -> 192.0.2.10:80");
            } else if (pick < 86) {
                String sig = "Win.Trojan.Agent-" + r.nextInt(50);
                out.add("<11>Nov 26 18:00:00 " + host + " clamd[812]: /home/u/Downloads/f" + r.nextInt(1000) + ".exe: " + sig + " FOUND");
                if (r.nextBoolean()) {
                    out.add("<13>Nov 26 18:00:00 " + host + " clamscan: /home/u/Downloads/f.exe: Removed.");
                }
            } else if (pick < 90) {
                String iface = "GigabitEthernet0/" + r.nextInt(48);
                out.add("<187>Nov 26 18:00:00 sw-2f 45: %LINK-3-UPDOWN: Interface " + iface + ", changed state to down");
                out.add("<187>Nov 26 18:00:00 sw-2f 46: %LINK-3-UPDOWN: Interface " + iface + ", changed state to up");
            } else if (pick < 93) {
                out.add("<27>Nov 26 18:00:00 files01 systemd[1]: app" + r.nextInt(20) + ".service: Failed with result 'exit-code'.");
                out.add("<30>Nov 26 18:00:00 files01 systemd[1]: Started app" + r.nextInt(20) + ".service - App.");
            } else {
                out.add("<14>1 2026-11-26T18:00:00.000+09:00 " + host + " nginx " + pid + " - - 192.0.2." + r.nextInt(250)
                        + " - - \"GET /index.html HTTP/1.1\" 200 " + r.nextInt(100000) + " \"-\" \"Mozilla/5.0\"");
            }
        }
        return out.subList(0, n);
    }
}
