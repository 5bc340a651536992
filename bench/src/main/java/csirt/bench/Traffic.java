package csirt.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A realistic mix of log lines for a municipal log server: mostly level-0 noise from many hosts,
 * some antivirus alerts, outage and recovery pairs, brute-force bursts, firewall alerts, and the
 * records of the security products the agent reads (firewalls' traffic logs, Windows events through
 * NXLog, endpoint products' findings that they removed), shaped as their fixture files show them.
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
            } else if (pick < 40) {
                out.add("<78>Nov 26 18:00:00 " + host + " CRON[" + pid + "]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)");
            } else if (pick < 45) {
                out.add(productNoise(r, host, pid));
            } else if (pick < 46) {
                out.addAll(productFinding(r, host));
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

    /** Level-0 records of the products (agent/src/test/resources/products/): a firewall's traffic, a logon. */
    private static String productNoise(Random r, String host, int pid) {
        String src = "192.0.2." + r.nextInt(250);
        switch (r.nextInt(7)) {
            case 0:
                return "<189>date=2026-11-26 time=18:00:00 devname=\"FGT60F\" devid=\"FGT60FTK20000000\" logid=\"0000000013\" type=\"traffic\" "
                        + "subtype=\"forward\" level=\"notice\" vd=\"root\" srcip=" + src + " srcport=" + (1024 + r.nextInt(60000))
                        + " srcintf=\"internal\" dstip=203.0.113.80 dstport=443 dstintf=\"wan1\" proto=6 action=\"accept\" policyid=1 service=\"HTTPS\"";
            case 1:
                return "<14>Nov 26 18:00:00 PA-3220 1,2026/11/26 18:00:00,012801000001,TRAFFIC,end,2305,2026/11/26 18:00:00," + src
                        + ",203.0.113.66,198.51.100.1,203.0.113.66,outbound,,,web-browsing,vsys1,trust,untrust,ethernet1/2,ethernet1/1,log-fwd,"
                        + "2026/11/26 18:00:00," + pid + ",1,52311,80,41877,80,0x400019,tcp,allow,1200,600,600,10,2026/11/26 17:59:50,10,any";
            case 2:
                return "<164>Nov 26 2026 18:00:00 asa01 : %ASA-4-106023: Deny tcp src outside:203.0.113." + r.nextInt(250) + "/" + pid
                        + " dst inside:192.0.2.10/23 by access-group \"outside_in\" [0x0, 0x0]";
            case 3:
                return "<134> id=firewall sn=0017C5000001 time=\"2026-11-26 18:00:00\" fw=192.0.2.1 pri=6 c=262144 m=98 msg=\"Connection Opened\" n="
                        + pid + " src=" + src + ":" + (1024 + r.nextInt(60000)) + ":X0 dst=203.0.113.80:443:X1 proto=tcp/https";
            case 4:
                return "{\"EventTime\":\"2026-11-26 18:00:00\",\"Hostname\":\"" + host + "\",\"EventID\":4624,\"SourceName\":"
                        + "\"Microsoft-Windows-Security-Auditing\",\"Channel\":\"Security\",\"TargetUserName\":\"u" + r.nextInt(300)
                        + "\",\"LogonType\":\"2\",\"IpAddress\":\"-\",\"SourceModuleName\":\"eventlog\",\"SourceModuleType\":\"im_msvistalog\"}";
            case 5:
                return "<54>Nov 26 18:00:00 sepm01 SymantecServer: " + host + ",Local Host IP: " + src + ",Local Port: 137,Local Host MAC: CCF9E4A91226,"
                        + "Remote Host IP: 192.0.2.255,Remote Host Name: ,Remote Port: 137,Remote Host MAC: FFFFFFFFFFFF,UDP,Inbound,Begin: 2026-11-26 18:00:00,"
                        + "End Time: 2026-11-26 18:00:00,Occurrences: 1,Application: ,Rule: Block all other traffic,Location: Default,User Name: ,Domain Name: ,Action: Blocked";
            default:
                return "device=\"SFW\" date=2026-11-26 time=18:00:00 timezone=\"JST\" device_name=\"XG135\" device_id=C1234567890ABC log_id=010101600001 "
                        + "log_type=\"Firewall\" log_component=\"Firewall Rule\" log_subtype=\"Allowed\" status=\"Allow\" priority=Information fw_rule_id=5 "
                        + "src_ip=" + src + " dst_ip=203.0.113.80 protocol=\"TCP\" src_port=" + (1024 + r.nextInt(60000)) + " dst_port=443";
        }
    }

    /**
     * An endpoint product's finding it dealt with itself (level 0): Defender's detection and quarantine, SEP's deletion;
     * signatures from a large pool, so that they do not add spreads (AV-020) the clamd lines do not have.
     */
    private static List<String> productFinding(Random r, String host) {
        if (r.nextBoolean()) {
            String common = "\"Hostname\":\"" + host + "\",\"SourceName\":\"Microsoft-Windows-Windows Defender\",\"Channel\":"
                    + "\"Microsoft-Windows-Windows Defender/Operational\",\"Threat Name\":\"Trojan:Win32/Agent." + r.nextInt(100_000) + "\",\"Path\":"
                    + "\"file:_C:\\\\Users\\\\u\\\\Downloads\\\\eicar.com\",\"SourceModuleType\":\"im_msvistalog\"";
            return List.of("{\"EventTime\":\"2026-11-26 18:00:00\",\"EventID\":1116," + common + ",\"Action Name\":\"Not Applicable\"}",
                    "{\"EventTime\":\"2026-11-26 18:00:01\",\"EventID\":1117," + common + ",\"Action Name\":\"Quarantine\"}");
        }
        return List.of("<54>Nov 26 18:00:00 sepm01 SymantecServer: Virus found,IP Address: 192.0.2." + r.nextInt(250) + ",Computer name: " + host
                + ",Source: Auto-Protect scan,Risk name: Trojan.Gen." + r.nextInt(100_000) + ",Occurrences: 1,File path: C:\\Users\\u\\Desktop\\test.txt,"
                + "Description: AP realtime deferred scanning,Actual action: Cleaned by deletion,Requested action: Cleaned,Secondary action: Quarantined");
    }
}
