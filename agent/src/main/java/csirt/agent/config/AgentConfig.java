package csirt.agent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import csirt.agent.asset.AssetInventory;
import csirt.agent.console.Accounts;
import csirt.agent.notify.Contacts;
import csirt.agent.notify.NoticeTemplates;
import csirt.agent.triage.CriteriaSet;

/**
 * Everything in the configuration directory, loaded and validated together: settings, criteria,
 * assets, contacts and the routes. {@link #load} collects every problem in every file and refuses
 * the whole configuration if there is any; {@link #warnings()} are risks that do not stop it.
 */
public final class AgentConfig {

    private final Path dir;
    private final Settings settings;
    private final CriteriaSet criteria;
    private final AssetInventory assets;
    private final Contacts contacts;
    private final Path routesDir;
    private final List<String> warnings;
    private final NoticeTemplates templates;

    private AgentConfig(Path dir, Settings settings, CriteriaSet criteria, AssetInventory assets, Contacts contacts,
                        NoticeTemplates templates, Path routesDir, List<String> warnings) {
        this.templates = templates;
        this.dir = dir;
        this.settings = settings;
        this.criteria = criteria;
        this.assets = assets;
        this.contacts = contacts;
        this.routesDir = routesDir;
        this.warnings = warnings;
    }

    public static AgentConfig load(Path dir) throws ConfigException {
        return load(dir, java.util.Map.of());
    }

    /** As {@link #load(Path)}, with settings {@code overrides} applied over file and system properties. */
    public static AgentConfig load(Path dir, java.util.Map<String, String> overrides) throws ConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            problems.add(new ConfigProblem(dir, 0, null, "the configuration directory does not exist; "
                    + "run from the project root or pass --config DIR"));
            throw new ConfigException(problems);
        }
        Settings settings = Settings.load(dir.resolve("application.properties"), overrides, problems);
        CriteriaSet criteria = CriteriaSet.load(dir.resolve("criteria"), problems);
        AssetInventory assets = AssetInventory.load(dir.resolve("assets.yaml"), problems);
        Contacts contacts = Contacts.load(dir.resolve("contacts.yaml"), problems);
        Accounts users = Accounts.load(dir.resolve(Accounts.FILE), problems);
        NoticeTemplates templates = NoticeTemplates.load(dir.resolve("templates"), settings.get(Settings.Key.NOTICE_LANGUAGE), problems);
        Path routesDir = dir.resolve(settings.get(Settings.Key.ROUTES_DIR)).normalize();
        checkRoutes(routesDir, problems);
        if (settings.getBoolean(Settings.Key.SYSLOG_TLS_ENABLED)) {
            try {
                csirt.agent.ingest.SyslogTls.load(settings);
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(dir.resolve("application.properties"), 0, "syslog.tls", e.getMessage()));
            }
        }
        boolean httpTls = settings.getBoolean(Settings.Key.HTTP_TLS_ENABLED);
        if (httpTls) {
            try {
                csirt.agent.http.HttpTls.load(settings);
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(dir.resolve("application.properties"), 0, "http.tls", e.getMessage()));
            }
        }
        String http = settings.get(Settings.Key.HTTP_HOST);
        boolean httpLoopback = http.equals("127.0.0.1") || http.equals("localhost") || http.equals("::1");
        if (!httpLoopback && !httpTls) {
            // the console's passwords and session cookies, and case data, would cross the LAN in clear
            problems.add(new ConfigProblem(dir.resolve("application.properties"), 0, "http.host", "http.host is " + http
                    + " (beyond this machine) without TLS: set http.tls.enabled=true with http.tls.keystore, or keep 127.0.0.1 and "
                    + "reach the console through an SSH tunnel (ssh -L 9464:127.0.0.1:9464 the-log-server)"));
        }
        if (!httpLoopback && users.isEmpty()) {
            problems.add(new ConfigProblem(dir.resolve(Accounts.FILE), 0, "http.host", "http.host is " + http
                    + " (beyond this machine) but config/users.yaml lists no console user: add one with "
                    + "`csirt-agent users add NAME --role manager` before opening the console to the network"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        List<String> warnings = new ArrayList<>();
        if (!httpLoopback) {
            warnings.add("http.host is " + http + ": the console, metrics and health are reachable from other hosts over TLS; "
                    + "limit who can connect with a firewall");
        }
        openInput(settings, "syslog.udp", Settings.Key.SYSLOG_UDP_HOST, Settings.Key.SYSLOG_UDP_ALLOWED, null, warnings);
        openInput(settings, "syslog.tcp", Settings.Key.SYSLOG_TCP_HOST, Settings.Key.SYSLOG_TCP_ALLOWED, null, warnings);
        openInput(settings, "syslog.relp", Settings.Key.SYSLOG_RELP_HOST, Settings.Key.SYSLOG_RELP_ALLOWED, Settings.Key.SYSLOG_RELP_ENABLED,
                warnings);
        openInput(settings, "syslog.tls", Settings.Key.SYSLOG_TLS_HOST, Settings.Key.SYSLOG_TLS_ALLOWED, Settings.Key.SYSLOG_TLS_ENABLED,
                warnings);
        if (users.isEmpty()) {
            warnings.add("config/users.yaml lists no console user: nobody can open the web console or the link in a notice; "
                    + "add one with `csirt-agent users add NAME --role handler`");
        }
        int reviewMonths = settings.getInt(Settings.Key.CONTACTS_REVIEW_MONTHS);
        if (contacts.reviewDue(java.time.LocalDate.now(settings.getZone(Settings.Key.NOTICE_ZONE)), reviewMonths)) {
            warnings.add(contacts.reviewed() == null
                    ? "contacts.yaml does not say when it was last reviewed: check the people in post and add reviewed: YYYY-MM-DD (plan 5(1)①)"
                    : "contacts.yaml was last reviewed on " + contacts.reviewed() + ", more than " + reviewMonths + " months ago: check the "
                    + "people in post and update reviewed: (plan 5(1)①)");
        }
        if (contacts.poc().address().getAddress().equalsIgnoreCase(Contacts.PLAN_REAL_POC)) {
            warnings.add("contacts.yaml sends notices to the plan's real PoC address " + Contacts.PLAN_REAL_POC
                    + ": make sure this is intended and not a test installation");
        }
        if (!settings.get(Settings.Key.MAIL_HOST).isEmpty() && settings.get(Settings.Key.MAIL_SECURITY).equals("none")
                && !settings.get(Settings.Key.MAIL_USER).isEmpty()) {
            warnings.add("mail.smtp.security is none but mail.smtp.username is set: the password would cross the network "
                    + "in clear; use starttls-required or smtps");
        }
        return new AgentConfig(dir, settings, criteria, assets, contacts, templates, routesDir, List.copyOf(warnings));
    }

    /** Warns about an input that listens beyond loopback and takes messages from every network. */
    private static void openInput(Settings s, String name, Settings.Key host, Settings.Key allowed, Settings.Key enabled,
                                  List<String> warnings) {
        if (enabled != null && !s.getBoolean(enabled)) {
            return;
        }
        String h = s.get(host);
        boolean loopback = h.equals("127.0.0.1") || h.equals("localhost") || h.equals("::1");
        if (!loopback && s.get(allowed).isBlank()) {
            warnings.add(name + " listens on " + h + " and takes messages from every network: set " + name
                    + ".allowed-networks to the networks of your senders (e.g. 10.0.0.0/8, 192.168.0.0/16), so that a host "
                    + "elsewhere can neither forge log lines nor hold connections open");
        }
    }

    /** The parts that can change while the agent runs: criteria, assets and contacts. */
    public record Reloadable(CriteriaSet criteria, AssetInventory assets, Contacts contacts) {
    }

    /** Loads and checks the reloadable parts of {@code dir}; every problem is reported, nothing half-applied. */
    public static Reloadable loadReloadable(Path dir) throws ConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        CriteriaSet criteria = CriteriaSet.load(dir.resolve("criteria"), problems);
        AssetInventory assets = AssetInventory.load(dir.resolve("assets.yaml"), problems);
        Contacts contacts = Contacts.load(dir.resolve("contacts.yaml"), problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Reloadable(criteria, assets, contacts);
    }

    private static void checkRoutes(Path routesDir, List<ConfigProblem> problems) {
        List<Path> files;
        try (Stream<Path> s = Files.list(routesDir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        } catch (IOException e) {
            problems.add(new ConfigProblem(routesDir, 0, "routes.dir", "the routes directory cannot be read ("
                    + e.getClass().getSimpleName() + "); set routes.dir to the folder holding *.camel.yaml "
                    + "(relative paths are resolved against the configuration directory)"));
            return;
        }
        if (files.isEmpty()) {
            problems.add(new ConfigProblem(routesDir, 0, "routes.dir", "holds no *.camel.yaml route files: without routes nothing is received"));
        }
        for (Path f : files) {
            YamlNode root = YamlNode.load(f, problems);
            if (root != null && !root.isList()) {
                root.problem(null, "a route file is a YAML list of '- route:' (and '- routeConfiguration:') items");
            }
        }
    }

    public Path dir() {
        return dir;
    }

    public Settings settings() {
        return settings;
    }

    public CriteriaSet criteria() {
        return criteria;
    }

    public AssetInventory assets() {
        return assets;
    }

    public Contacts contacts() {
        return contacts;
    }

    public NoticeTemplates templates() {
        return templates;
    }

    public Path routesDir() {
        return routesDir;
    }

    public List<String> warnings() {
        return warnings;
    }
}
