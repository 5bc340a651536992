package csirt.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The settings of {@code config/application.properties}, with every key overridable by a JVM
 * system property of the same name, validated in one place: each key's rule is declared here,
 * and every broken or unknown key is reported, not just the first.
 */
public final class Settings {

    /** The keys the agent knows, with their rule and default; {@code camel.*} keys go to Camel. */
    public enum Key {
        SYSLOG_UDP_HOST("syslog.udp.host", Rule.HOST, "0.0.0.0"),
        SYSLOG_UDP_PORT("syslog.udp.port", Rule.LISTEN_PORT, "5514"),
        SYSLOG_UDP_RCVBUF("syslog.udp.receive-buffer-bytes", Rule.POSITIVE_INT, "4194304"),
        SYSLOG_TCP_HOST("syslog.tcp.host", Rule.HOST, "0.0.0.0"),
        SYSLOG_TCP_PORT("syslog.tcp.port", Rule.LISTEN_PORT, "5514"),
        SYSLOG_UDP_ALLOWED("syslog.udp.allowed-networks", Rule.NETWORKS, ""),
        SYSLOG_TCP_ALLOWED("syslog.tcp.allowed-networks", Rule.NETWORKS, ""),
        SYSLOG_TCP_MAX_CONNECTIONS("syslog.tcp.max-connections", Rule.POSITIVE_INT, "1000"),
        SYSLOG_TCP_MAX_PER_PEER("syslog.tcp.max-connections-per-peer", Rule.POSITIVE_INT, "20"),
        SYSLOG_TCP_IDLE("syslog.tcp.idle-timeout-seconds", Rule.NON_NEGATIVE_INT, "900"),
        SYSLOG_MAX_FRAME("syslog.max-frame-bytes", Rule.FRAME_SIZE, "65536"),
        SYSLOG_ZONE("syslog.rfc3164.zone", Rule.ZONE, "Asia/Tokyo"),
        SYSLOG_RELP_ENABLED("syslog.relp.enabled", Rule.BOOLEAN, "false"),
        SYSLOG_RELP_HOST("syslog.relp.host", Rule.HOST, "0.0.0.0"),
        SYSLOG_RELP_PORT("syslog.relp.port", Rule.LISTEN_PORT, "2514"),
        SYSLOG_RELP_ALLOWED("syslog.relp.allowed-networks", Rule.NETWORKS, ""),
        SYSLOG_RELP_MAX_CONNECTIONS("syslog.relp.max-connections", Rule.POSITIVE_INT, "1000"),
        SYSLOG_RELP_MAX_PER_PEER("syslog.relp.max-connections-per-peer", Rule.POSITIVE_INT, "20"),
        SYSLOG_RELP_IDLE("syslog.relp.idle-timeout-seconds", Rule.NON_NEGATIVE_INT, "900"),
        SYSLOG_TLS_ENABLED("syslog.tls.enabled", Rule.BOOLEAN, "false"),
        SYSLOG_TLS_HOST("syslog.tls.host", Rule.HOST, "0.0.0.0"),
        SYSLOG_TLS_PORT("syslog.tls.port", Rule.LISTEN_PORT, "6514"),
        SYSLOG_TLS_ALLOWED("syslog.tls.allowed-networks", Rule.NETWORKS, ""),
        SYSLOG_TLS_MAX_CONNECTIONS("syslog.tls.max-connections", Rule.POSITIVE_INT, "1000"),
        SYSLOG_TLS_MAX_PER_PEER("syslog.tls.max-connections-per-peer", Rule.POSITIVE_INT, "20"),
        SYSLOG_TLS_IDLE("syslog.tls.idle-timeout-seconds", Rule.NON_NEGATIVE_INT, "900"),
        SYSLOG_TLS_KEYSTORE("syslog.tls.keystore", Rule.OPTIONAL, ""),
        SYSLOG_TLS_KEYSTORE_PASSWORD("syslog.tls.keystore-password", Rule.OPTIONAL, ""),
        SYSLOG_TLS_KEYSTORE_PASSWORD_FILE("syslog.tls.keystore-password-file", Rule.OPTIONAL, ""),
        SYSLOG_TLS_TRUSTSTORE("syslog.tls.truststore", Rule.OPTIONAL, ""),
        SYSLOG_TLS_TRUSTSTORE_PASSWORD("syslog.tls.truststore-password", Rule.OPTIONAL, ""),
        SYSLOG_TLS_CLIENT_AUTH("syslog.tls.client-auth", Rule.CLIENT_AUTH, "none"),
        SYSLOG_TLS_PERMITTED_PEERS("syslog.tls.permitted-peers", Rule.OPTIONAL, ""),
        CLAMAV_ENABLED("clamav.log.enabled", Rule.BOOLEAN, "false"),
        CLAMAV_FILE("clamav.log.file", Rule.TEXT, "/var/log/clamav/clamav.log"),
        CLAMAV_HOST("clamav.log.host", Rule.OPTIONAL, ""),
        FILES_PATHS("files.paths", Rule.OPTIONAL, ""),
        FILES_HOST("files.host", Rule.OPTIONAL, ""),
        JOURNAL_FSYNC("journal.fsync-interval-ms", Rule.NON_NEGATIVE_INT, "1000"),
        JOURNAL_FSYNC_RECORDS("journal.fsync-every-records", Rule.NON_NEGATIVE_INT, "0"),
        JOURNAL_SEGMENT_MB("journal.segment-max-mb", Rule.POSITIVE_INT, "256"),
        JOURNAL_SEGMENT_HOURS("journal.segment-max-hours", Rule.POSITIVE_INT, "24"),
        JOURNAL_RETENTION_DAYS("journal.retention-days", Rule.POSITIVE_INT, "365"),
        JOURNAL_VERIFY_HOURS("journal.verify-interval-hours", Rule.POSITIVE_INT, "24"),
        JOURNAL_VERIFY_RATE("journal.verify-rate-mb-per-s", Rule.POSITIVE_INT, "20"),
        JOURNAL_VERIFY_FIRST("journal.verify-first-after-seconds", Rule.POSITIVE_INT, "60"),
        HEALTH_MIN_FREE_DISK("health.min-free-disk-mb", Rule.NON_NEGATIVE_INT, "500"),
        CASES_JDBC_URL("cases.jdbc-url", Rule.OPTIONAL, ""),
        CASES_JDBC_USER("cases.jdbc-user", Rule.OPTIONAL, ""),
        CASES_JDBC_PASSWORD("cases.jdbc-password", Rule.OPTIONAL, ""),
        CASES_LEASE("cases.lease-seconds", Rule.POSITIVE_INT, "15"),
        NOTICE_CLAIM("notice.claim-seconds", Rule.POSITIVE_INT, "120"),
        HTTP_HOST("http.host", Rule.HOST, "127.0.0.1"),
        HTTP_PORT("http.port", Rule.LISTEN_PORT, "9464"),
        HTTP_ALLOWED_HOSTS("http.allowed-hosts", Rule.OPTIONAL, ""),
        CONSOLE_IDLE("console.session-idle-minutes", Rule.POSITIVE_INT, "60"),
        NOTICE_BASE_URL("notice.base-url", Rule.OPTIONAL, ""),
        HTTP_TLS_ENABLED("http.tls.enabled", Rule.BOOLEAN, "false"),
        HTTP_TLS_KEYSTORE("http.tls.keystore", Rule.OPTIONAL, ""),
        HTTP_TLS_KEYSTORE_PASSWORD("http.tls.keystore-password", Rule.OPTIONAL, ""),
        HTTP_TLS_KEYSTORE_PASSWORD_FILE("http.tls.keystore-password-file", Rule.OPTIONAL, ""),
        MAIL_HOST("mail.smtp.host", Rule.OPTIONAL, ""),
        MAIL_PORT("mail.smtp.port", Rule.PORT, "25"),
        MAIL_USER("mail.smtp.username", Rule.OPTIONAL, ""),
        MAIL_PASSWORD("mail.smtp.password", Rule.OPTIONAL, ""),
        MAIL_PASSWORD_FILE("mail.smtp.password-file", Rule.OPTIONAL, ""),
        MAIL_SECURITY("mail.smtp.security", Rule.SECURITY, "none"),
        MAIL_SSL_TRUST("mail.smtp.ssl-trust", Rule.OPTIONAL, ""),
        MAIL_TIMEOUT("mail.smtp.timeout-ms", Rule.POSITIVE_INT, "10000"),
        MAIL_RETRY_DELAY("mail.retry.delay-ms", Rule.POSITIVE_INT, "2000"),
        MAIL_RETRY_MAX_DELAY("mail.retry.max-delay-ms", Rule.POSITIVE_INT, "60000"),
        OUTBOX_ALERT("notice.outbox.alert-after-minutes", Rule.NON_NEGATIVE_INT, "30"),
        NOTICE_ZONE("notice.zone", Rule.ZONE, "Asia/Tokyo"),
        NOTICE_LANGUAGE("notice.language", Rule.LANGUAGE, "ja"),
        NOTICE_CHARSET("notice.charset", Rule.CHARSET, "UTF-8"),
        NOTICE_UPDATE_INTERVAL("notice.update.interval-minutes", Rule.POSITIVE_INT, "30"),
        NOTICE_HOURLY_CAP("notice.update.hourly-cap", Rule.POSITIVE_INT, "20"),
        NOTICE_ACK_LEVEL2("notice.ack.level2-minutes", Rule.POSITIVE_INT, "15"),
        NOTICE_ACK_LEVEL1("notice.ack.level1-minutes", Rule.POSITIVE_INT, "240"),
        CONTACTS_REVIEW_MONTHS("contacts.review-months", Rule.POSITIVE_INT, "6"),
        NOTICE_DIGEST_TIME("notice.digest.time", Rule.TIME_OF_DAY, "08:30"),
        NOTICE_HOUSEKEEPING("notice.housekeeping-ms", Rule.POSITIVE_INT, "60000"),
        ROUTES_DIR("routes.dir", Rule.TEXT, "../routes");

        final String name;
        final Rule rule;
        final String dflt;

        Key(String name, Rule rule, String dflt) {
            this.name = name;
            this.rule = rule;
            this.dflt = dflt;
        }

        public String key() {
            return name;
        }

        /** Secrets are masked wherever settings are printed. */
        boolean secret() {
            return this == MAIL_PASSWORD || this == CASES_JDBC_PASSWORD || this == SYSLOG_TLS_KEYSTORE_PASSWORD
                    || this == SYSLOG_TLS_TRUSTSTORE_PASSWORD || this == HTTP_TLS_KEYSTORE_PASSWORD;
        }

        /** The default value. */
        public String defaultValue() {
            return dflt;
        }
    }

    enum Rule { HOST, PORT, LISTEN_PORT, POSITIVE_INT, NON_NEGATIVE_INT, FRAME_SIZE, BOOLEAN, ZONE, TEXT, OPTIONAL, SECURITY, LANGUAGE,
        CHARSET, TIME_OF_DAY, CLIENT_AUTH, NETWORKS }

    private final Path file;
    private final Map<String, String> values;

    private Settings(Path file, Map<String, String> values) {
        this.file = file;
        this.values = values;
    }

    /**
     * Reads the file (when it exists), applies JVM system-property overrides of the same names,
     * and validates; problems are added to {@code problems}.
     */
    public static Settings load(Path file, List<ConfigProblem> problems) {
        return load(file, Map.of(), problems);
    }

    /** As {@link #load(Path, List)}, with {@code overrides} applied last (tests, embedding). */
    public static Settings load(Path file, Map<String, String> overrides, List<ConfigProblem> problems) {
        Properties props = new Properties();
        Map<String, Integer> lines = new LinkedHashMap<>();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(r);
                List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < all.size(); i++) {
                    String l = all.get(i).strip();
                    int eq = l.indexOf('=');
                    if (!l.startsWith("#") && eq > 0) {
                        lines.put(l.substring(0, eq).strip(), i + 1);
                    }
                }
            } catch (IOException | IllegalArgumentException e) {
                problems.add(new ConfigProblem(file, 0, null, "cannot be read: " + e.getMessage()));
            }
        } else {
            problems.add(new ConfigProblem(file, 0, null, "missing: copy config/application.properties from the release"));
        }
        Map<String, String> values = new TreeMap<>();
        for (String k : props.stringPropertyNames()) {
            values.put(k, props.getProperty(k).strip());
        }
        for (Key k : Key.values()) {
            String sys = System.getProperty(k.name);
            if (sys != null) {
                values.put(k.name, sys.strip());
            }
            values.putIfAbsent(k.name, k.dflt);
        }
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("camel.")) {
                values.put(k, System.getProperty(k));
            }
        }
        values.putAll(overrides);
        Settings s = new Settings(file, values);
        s.validate(lines, problems);
        return s;
    }

    private void validate(Map<String, Integer> lines, List<ConfigProblem> problems) {
        for (String k : values.keySet()) {
            if (!k.startsWith("camel.") && byName(k) == null) {
                problems.add(new ConfigProblem(file, lines.getOrDefault(k, 0), k, "unknown key" + suggestion(k)));
            }
        }
        for (Key k : Key.values()) {
            String v = values.get(k.name);
            String why = check(k.rule, v);
            if (why != null) {
                problems.add(new ConfigProblem(file, lines.getOrDefault(k.name, 0), k.name, why));
            }
        }
    }

    private static String check(Rule rule, String v) {
        switch (rule) {
            case HOST:
            case TEXT:
                return v.isEmpty() ? "must not be empty" : null;
            case OPTIONAL:
                return null;
            case SECURITY:
                return List.of("none", "starttls", "starttls-required", "smtps").contains(v) ? null
                        : "must be none, starttls (when offered), starttls-required or smtps, was '" + v + "'";
            case LANGUAGE:
                return List.of("ja", "en").contains(v) ? null : "must be ja or en (the templates in config/templates), was '" + v + "'";
            case CHARSET:
                return List.of("UTF-8", "ISO-2022-JP").contains(v) ? null : "must be UTF-8 or ISO-2022-JP, was '" + v + "'";
            case NETWORKS:
                try {
                    csirt.agent.ingest.NetworkAllowList.parse(v);
                    return null;
                } catch (IllegalArgumentException e) {
                    return e.getMessage();
                }
            case CLIENT_AUTH:
                return List.of("none", "want", "need").contains(v) ? null
                        : "must be none, want (ask for a client certificate) or need (refuse senders without one), was '" + v + "'";
            case TIME_OF_DAY:
                return v.matches("([01]\\d|2[0-3]):[0-5]\\d") ? null : "must be a time of day HH:MM, was '" + v + "'";
            case BOOLEAN:
                return v.equals("true") || v.equals("false") ? null : "must be true or false, was '" + v + "'";
            case ZONE:
                try {
                    ZoneId.of(v);
                    return null;
                } catch (DateTimeException e) {
                    return "'" + v + "' is not a time zone; use a region id such as Asia/Tokyo";
                }
            default:
                long n;
                try {
                    n = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    return "must be a whole number, was '" + v + "'";
                }
                return switch (rule) {
                    case PORT -> n >= 1 && n <= 65535 ? null : "must be a port number 1-65535, was " + n;
                    case LISTEN_PORT -> n >= 0 && n <= 65535 ? null
                            : "must be a port number 1-65535 (or 0: any free port, written to data/listening), was " + n;
                    case POSITIVE_INT -> n >= 1 && n <= Integer.MAX_VALUE ? null : "must be at least 1, was " + n;
                    case NON_NEGATIVE_INT -> n >= 0 && n <= Integer.MAX_VALUE ? null : "must be 0 or more, was " + n;
                    case FRAME_SIZE -> n >= 480 && n <= 16 * 1024 * 1024 ? null
                            : "must be between 480 (RFC 3164's minimum) and 16777216 bytes, was " + n;
                    default -> null;
                };
        }
    }

    private static String suggestion(String k) {
        Key best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Key key : Key.values()) {
            int d = distance(k, key.name);
            if (d < bestDistance) {
                bestDistance = d;
                best = key;
            }
        }
        return best != null && bestDistance <= 3 ? "; did you mean " + best.name + "?" : "; see the comments in config/application.properties for the keys";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static Key byName(String name) {
        for (Key k : Key.values()) {
            if (k.name.equals(name)) {
                return k;
            }
        }
        return null;
    }

    public String get(Key k) {
        return values.get(k.name);
    }

    public int getInt(Key k) {
        return Integer.parseInt(get(k));
    }

    /** A comma-separated setting as its non-empty items. */
    public java.util.List<String> getList(Key k) {
        return java.util.Arrays.stream(get(k).split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    public boolean getBoolean(Key k) {
        return Boolean.parseBoolean(get(k));
    }

    public ZoneId getZone(Key k) {
        return ZoneId.of(get(k));
    }

    /** All settings (agent and camel.* keys) for Camel's property placeholders. */
    public Properties asProperties() {
        Properties p = new Properties();
        p.putAll(values);
        return p;
    }

    /** The effective settings, one per line, with secrets masked: what start-up logs. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            Key k = byName(e.getKey());
            boolean secret = (k != null && k.secret()) || e.getKey().toLowerCase().contains("password");
            String v = secret && !e.getValue().isEmpty() ? "******" : e.getValue();
            out.add(e.getKey() + "=" + v);
        }
        return out;
    }

    public Path file() {
        return file;
    }
}
