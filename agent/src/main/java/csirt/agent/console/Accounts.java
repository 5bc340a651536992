package csirt.agent.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import csirt.agent.PrivateFiles;
import csirt.agent.config.ConfigProblem;
import csirt.agent.config.YamlNode;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The console's local accounts, from {@code config/users.yaml}: a name, a role and a bcrypt hash of
 * the password (Spring Security's encoder, cost 12). No password is stored or logged in clear;
 * {@code csirt-agent users add} writes the hash.
 */
public final class Accounts {

    /** One account. */
    public record Account(String name, Role role, String hash) {
    }

    public static final String FILE = "users.yaml";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final BCryptPasswordEncoder BCRYPT = new BCryptPasswordEncoder(12);
    /** Compared against when the name is unknown, so that an unknown name takes as long as a wrong password. */
    private static final String DUMMY = BCRYPT.encode("not a password of anyone");

    private final Map<String, Account> byName;

    private Accounts(Map<String, Account> byName) {
        this.byName = byName;
    }

    public static Accounts none() {
        return new Accounts(Map.of());
    }

    /** Loads {@code file}; a missing file means no account (the console then says how to add one). */
    public static Accounts load(Path file, List<ConfigProblem> problems) {
        if (!Files.exists(file)) {
            return none();
        }
        YamlNode root = YamlNode.load(file, problems);
        Map<String, Account> out = new LinkedHashMap<>();
        if (root == null) {
            return none();
        }
        Map<String, YamlNode> top = root.entries();
        root.rejectUnknownKeys(top, java.util.Set.of("users"));
        YamlNode users = top.get("users");
        if (users == null) {
            return none();
        }
        for (YamlNode u : users.items()) {
            Map<String, YamlNode> e = u.entries();
            u.rejectUnknownKeys(e, java.util.Set.of("name", "role", "password_bcrypt"));
            String name = e.containsKey("name") ? e.get("name").text() : null;
            String role = e.containsKey("role") ? e.get("role").text() : null;
            String hash = e.containsKey("password_bcrypt") ? e.get("password_bcrypt").text() : null;
            if (!validName(name)) {
                u.problem("name", "a user name of letters, digits, '.', '_' or '-' (at most 64) is required");
                continue;
            }
            if (Role.of(role) == null) {
                u.problem("role", "unknown role '" + role + "'; use one of " + Arrays.stream(Role.values()).map(Role::id).toList());
                continue;
            }
            if (hash == null || !hash.matches("\\$2[aby]?\\$\\d{2}\\$[./A-Za-z0-9]{53}")) {
                u.problem("password_bcrypt", "not a bcrypt hash: set it with `csirt-agent users add " + name + " --role " + role + "`");
                continue;
            }
            if (out.put(name, new Account(name, Role.of(role), hash)) != null) {
                u.problem("name", "the user " + name + " is listed twice");
            }
        }
        return new Accounts(out);
    }

    /**
     * The accounts of {@code file} as they are now: read again when the file changes (an added user
     * can log in at once); a file with problems keeps the accounts in force and says why in the log.
     */
    public static Supplier<Accounts> watching(Path file) {
        return new Supplier<>() {
            private Accounts current = none();
            private long stamp = Long.MIN_VALUE;

            @Override
            public synchronized Accounts get() {
                long now;
                try {
                    now = Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() ^ Files.size(file) : -1;
                } catch (IOException e) {
                    return current;
                }
                if (now != stamp) {
                    List<ConfigProblem> problems = new ArrayList<>();
                    Accounts read = load(file, problems);
                    if (problems.isEmpty()) {
                        current = read;
                    } else {
                        problems.forEach(p -> LOG.warn("Console accounts: {} (the accounts in force stay)", p));
                    }
                    stamp = now;
                }
                return current;
            }
        };
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Accounts.class);

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    public List<Account> all() {
        return List.copyOf(byName.values());
    }

    /** The account when the password is its own; as slow for an unknown name as for a wrong password. */
    public Optional<Account> authenticate(String name, String password) {
        Account a = name == null ? null : byName.get(name);
        boolean ok = BCRYPT.matches(password == null ? "" : password, a == null ? DUMMY : a.hash());
        return ok && a != null ? Optional.of(a) : Optional.empty();
    }

    public static String hash(String password) {
        return BCRYPT.encode(password);
    }

    /** Writes {@code accounts} to {@code file} (0600): the hashes are secrets too. */
    public static void write(Path file, List<Account> accounts) throws IOException {
        StringBuilder b = new StringBuilder("# Who may use the web console, with a bcrypt hash of the password (never the password).\n"
                + "# Add or change a user: csirt-agent users add NAME --role viewer|handler|manager\n"
                + "# viewer reads cases; handler also changes their state, notes and assignment; manager does everything.\n");
        if (accounts.isEmpty()) {
            b.append("users: []\n");
        } else {
            b.append("users:\n");
            for (Account a : accounts) {
                b.append("  - name: ").append(a.name()).append('\n')
                        .append("    role: ").append(a.role().id()).append('\n')
                        .append("    password_bcrypt: '").append(a.hash()).append("'\n");
            }
        }
        PrivateFiles.writeString(file, b.toString());
    }

    /** A user name the file accepts: letters, digits, '.', '_' or '-', at most 64. */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The accounts with {@code a} added or replaced. */
    public List<Account> with(Account a) {
        List<Account> out = new ArrayList<>();
        boolean replaced = false;
        for (Account x : byName.values()) {
            if (x.name().equals(a.name())) {
                out.add(a);
                replaced = true;
            } else {
                out.add(x);
            }
        }
        if (!replaced) {
            out.add(a);
        }
        return out;
    }

}
