package csirt.agent.notify;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import csirt.agent.config.ConfigProblem;
import csirt.agent.config.YamlNode;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * Who is told, from {@code config/contacts.yaml} (plan 4(2)④): the PoC for every incident; for
 * level 2 also the CSIRT manager and the CSIRT responsible (both required) and the CISO when
 * configured; "not an incident" results of a manual report go to the CSIRT manager.
 */
public final class Contacts {

    /** The plan's real PoC address: never a default, and check-config warns if it is configured. */
    public static final String PLAN_REAL_POC = "tkb.sc298@gmail.com";

    /** A named recipient. */
    public record Contact(String role, String name, InternetAddress address) {
    }

    private static final Set<String> ROLES = Set.of("poc", "csirt_manager", "csirt_responsible", "ciso");

    private final InternetAddress from;
    private final Contact poc;
    private final List<Contact> levelTwo;
    private final Contact manager;

    private final java.time.LocalDate reviewed;

    private Contacts(InternetAddress from, Contact poc, List<Contact> levelTwo, Contact manager, java.time.LocalDate reviewed) {
        this.reviewed = reviewed;
        this.from = from;
        this.poc = poc;
        this.levelTwo = levelTwo;
        this.manager = manager;
    }

    /** When the list was last reviewed (plan 5(1)①: the contacts are kept up to date), or null when the file does not say. */
    public java.time.LocalDate reviewed() {
        return reviewed;
    }

    /** Whether the review is due: never recorded, or older than {@code months} on {@code today}. */
    public boolean reviewDue(java.time.LocalDate today, int months) {
        return reviewed == null || reviewed.plusMonths(months).isBefore(today);
    }

    /** Who hears that a manual report was not an incident (plan 4(2)②(III)): the CSIRT manager. */
    public Contact notAnIncident() {
        return manager != null ? manager : poc;
    }

    public InternetAddress from() {
        return from;
    }

    public Contact poc() {
        return poc;
    }

    /** Who is told again about a serious case nobody acts on: the CSIRT manager and the CSIRT responsible (the PoC when neither is set). */
    public List<Contact> escalation() {
        List<Contact> out = new ArrayList<>();
        for (Contact c : levelTwo) {
            if (!"ciso".equals(c.role())) {
                out.add(c);
            }
        }
        if (out.isEmpty()) {
            out.add(poc);
        }
        return out;
    }

    /** Recipients of a notice about a case of {@code level}. */
    public List<Contact> recipients(int level) {
        List<Contact> out = new ArrayList<>();
        out.add(poc);
        if (level >= 2) {
            out.addAll(levelTwo);
        }
        return out;
    }

    public static Contacts load(Path file, List<ConfigProblem> problems) {
        YamlNode root = YamlNode.load(file, problems);
        InternetAddress fallbackFrom = address("csirt-agent@localhost", null, "from");
        if (root == null) {
            return new Contacts(fallbackFrom, new Contact("poc", "PoC", address("csirt-poc@localhost", null, "poc")), List.of(), null, null);
        }
        Map<String, YamlNode> top = root.entries();
        root.rejectUnknownKeys(top, Set.of("from", "poc", "csirt_manager", "csirt_responsible", "ciso", "reviewed"));
        java.time.LocalDate reviewed = null;
        if (top.containsKey("reviewed")) {
            try {
                reviewed = java.time.LocalDate.parse(top.get("reviewed").text().strip());
            } catch (java.time.format.DateTimeParseException | NullPointerException e) {
                top.get("reviewed").problem(null, "'" + top.get("reviewed").text() + "' is not a date: write when the list was last "
                        + "checked as YYYY-MM-DD, e.g. reviewed: 2026-12-01");
            }
        }
        InternetAddress from = fallbackFrom;
        if (top.containsKey("from")) {
            InternetAddress a = address(top.get("from").text(), top.get("from"), "from");
            from = a != null ? a : fallbackFrom;
        } else {
            root.problem("from", "missing: the sender address of notices, e.g. csirt-agent@your-log-server");
        }
        Contact poc = null;
        Contact manager = null;
        List<Contact> levelTwo = new ArrayList<>();
        for (String role : List.of("poc", "csirt_manager", "csirt_responsible", "ciso")) {
            if (!top.containsKey(role)) {
                if (!"ciso".equals(role) && !"poc".equals(role)) {
                    root.problem(role, "missing: level 2 notices go to the " + role.replace('_', ' ')
                            + " too (plan 4(2)④); set " + role + ".email in " + file.getFileName());
                }
                continue;
            }
            Contact c = contact(role, top.get(role));
            if (c == null) {
                continue;
            }
            if ("poc".equals(role)) {
                poc = c;
            } else {
                levelTwo.add(c);
                if ("csirt_manager".equals(role)) {
                    manager = c;
                }
            }
        }
        if (poc == null) {
            root.problem("poc", "the notice has no recipient: set poc.email in " + file.getFileName()
                    + " (the CSIRT's point of contact, plan 4)");
            poc = new Contact("poc", "PoC", address("csirt-poc@localhost", null, "poc"));
        }
        return new Contacts(from, poc, List.copyOf(levelTwo), manager, reviewed);
    }

    private static Contact contact(String role, YamlNode node) {
        Map<String, YamlNode> e = node.entries();
        node.rejectUnknownKeys(e, Set.of("name", "email"));
        if (!e.containsKey("email")) {
            node.problem("email", "missing: the e-mail address of the " + role.replace('_', ' '));
            return null;
        }
        InternetAddress a = address(e.get("email").text(), e.get("email"), role + ".email");
        if (a == null) {
            return null;
        }
        String name = e.containsKey("name") ? e.get("name").text() : role;
        return new Contact(role, name, a);
    }

    private static InternetAddress address(String text, YamlNode where, String key) {
        if (text == null || text.isBlank()) {
            if (where != null) {
                where.problem(null, "must not be empty: an e-mail address");
            }
            return null;
        }
        try {
            InternetAddress a = new InternetAddress(text.strip(), true);
            a.validate();
            return a;
        } catch (AddressException e) {
            if (where != null) {
                where.problem(null, "'" + text + "' is not an e-mail address: " + e.getMessage());
            }
            return null;
        }
    }
}
