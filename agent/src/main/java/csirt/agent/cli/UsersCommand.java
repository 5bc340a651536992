package csirt.agent.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import csirt.agent.config.ConfigProblem;
import csirt.agent.console.Accounts;
import csirt.agent.console.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code users}: the web console's accounts in config/users.yaml (bcrypt hashes; the running agent sees changes at once). */
@Command(name = "users", mixinStandardHelpOptions = true, description = "Manage the web console's accounts (config/users.yaml).",
        subcommands = {UsersCommand.Add.class, UsersCommand.ListUsers.class, UsersCommand.Remove.class})
public final class UsersCommand implements Callable<Integer> {

    /** Shorter passwords are refused: the console may face the office network. */
    static final int MIN_PASSWORD = 10;

    @Override
    public Integer call() {
        System.err.println("Say what to do, e.g.: csirt-agent users add tanaka --role handler");
        return 2;
    }

    /** The accounts of the file, or null after printing its problems (nothing may be written over them). */
    static Accounts load(Path config) {
        List<ConfigProblem> problems = new ArrayList<>();
        Accounts a = Accounts.load(config.resolve(Accounts.FILE), problems);
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println(p));
            System.err.println("Fix " + config.resolve(Accounts.FILE) + " first (the problems above).");
            return null;
        }
        return a;
    }

    /** {@code users add NAME --role ROLE}: adds the user, or sets a new password and role. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a console user, or give an existing one a new password and role. The password is asked twice "
                    + "(not echoed), or read from the first line of standard input with --password-stdin; only its bcrypt hash is kept.")
    static final class Add implements Callable<Integer> {
        @Mixin
        CommonOptions options;

        @Parameters(paramLabel = "NAME", description = "The user name (letters, digits, '.', '_', '-').")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "viewer (reads cases), handler (also changes state, notes, assignment), manager (everything).")
        String role;

        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean stdin;

        @Override
        public Integer call() throws Exception {
            Role r = Role.of(role);
            if (r == null) {
                System.err.println("Unknown role " + role + ": use viewer, handler or manager.");
                return 1;
            }
            if (!Accounts.validName(name)) {
                System.err.println("A user name is 1-64 letters, digits, '.', '_' or '-': " + Terminal.safe(name) + " is not.");
                return 1;
            }
            String password = password();
            if (password == null) {
                return 1;
            }
            Accounts accounts = load(options.config());
            if (accounts == null) {
                return 1;
            }
            Accounts.write(options.config().resolve(Accounts.FILE), accounts.with(new Accounts.Account(name, r, Accounts.hash(password))));
            System.out.println("User " + name + " (" + r.id() + ") is in " + options.config().resolve(Accounts.FILE)
                    + "; a running agent takes it at once.");
            return 0;
        }

        private String password() throws Exception {
            String p;
            if (stdin) {
                p = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            } else {
                Console c = System.console();
                if (c == null) {
                    System.err.println("No terminal to ask the password on: pass it on standard input with --password-stdin.");
                    return null;
                }
                char[] a = c.readPassword("Password for %s: ", name);
                char[] b = c.readPassword("Again: ");
                if (a == null || b == null || !new String(a).equals(new String(b))) {
                    System.err.println("The two passwords differ; nothing was changed.");
                    return null;
                }
                p = new String(a);
            }
            if (p == null || p.length() < MIN_PASSWORD) {
                System.err.println("A password has at least " + MIN_PASSWORD + " characters; nothing was changed.");
                return null;
            }
            return p;
        }
    }

    /** {@code users list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the console users and their roles.")
    static final class ListUsers implements Callable<Integer> {
        @Mixin
        CommonOptions options;

        @Override
        public Integer call() {
            Accounts a = load(options.config());
            if (a == null) {
                return 1;
            }
            if (a.isEmpty()) {
                System.out.println("No console users yet: csirt-agent users add NAME --role handler");
            }
            a.all().forEach(u -> System.out.println(u.name() + "\t" + u.role().id()));
            return 0;
        }
    }

    /** {@code users remove NAME}. */
    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a console user (their open sessions end at the next page).")
    static final class Remove implements Callable<Integer> {
        @Mixin
        CommonOptions options;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            Accounts a = load(options.config());
            if (a == null) {
                return 1;
            }
            List<Accounts.Account> rest = a.all().stream().filter(u -> !u.name().equals(name)).toList();
            if (rest.size() == a.all().size()) {
                System.err.println("No user " + Terminal.safe(name) + " in " + options.config().resolve(Accounts.FILE));
                return 1;
            }
            Accounts.write(options.config().resolve(Accounts.FILE), rest);
            System.out.println("User " + name + " removed.");
            return 0;
        }
    }
}
