package csirt.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;

import csirt.agent.Main;
import csirt.agent.camel.AgentHarness;
import csirt.agent.console.Accounts;
import csirt.agent.console.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code users add|list|remove}: bcrypt hashes in config/users.yaml (0600), never the password; short passwords refused. */
class UsersCommandTest {

    @TempDir
    Path tmp;

    private record Run(int code, String out) {
    }

    private static Run cli(String stdin, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8);
            System.setOut(p);
            System.setErr(p);
            return new Run(new CommandLine(new Main()).execute(args), buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            System.setIn(in);
        }
    }

    @Test
    void users_are_added_with_a_hash_listed_changed_and_removed() throws Exception {
        Path config = AgentHarness.copyShippedConfig(tmp);
        Path file = config.resolve(Accounts.FILE);
        Run added = cli("a long enough secret\n", "users", "add", "tanaka", "--role", "handler", "--password-stdin", "--config", config.toString());
        assertThat(added.code()).as(added.out()).isZero();
        assertThat(Files.readString(file)).contains("name: tanaka").contains("role: handler").contains("$2a$12$")
                .doesNotContain("a long enough secret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Accounts accounts = Accounts.load(file, new ArrayList<>());
        assertThat(accounts.authenticate("tanaka", "a long enough secret")).hasValueSatisfying(a -> assertThat(a.role()).isEqualTo(Role.HANDLER));
        assertThat(accounts.authenticate("tanaka", "wrong")).isEmpty();
        assertThat(accounts.authenticate("nobody", "a long enough secret")).isEmpty();

        assertThat(cli("short\n", "users", "add", "sato", "--role", "viewer", "--password-stdin", "--config", config.toString()).out())
                .contains("at least 10 characters");
        assertThat(cli("another long secret\n", "users", "add", "sato", "--role", "boss", "--password-stdin", "--config", config.toString()).out())
                .contains("Unknown role boss");
        assertThat(cli("another long secret\n", "users", "add", "sato", "--role", "manager", "--password-stdin", "--config", config.toString())
                .code()).isZero();
        // a new password and role for an existing user replaces the old ones
        assertThat(cli("a changed secret 1\n", "users", "add", "tanaka", "--role", "viewer", "--password-stdin", "--config", config.toString())
                .code()).isZero();
        Run list = cli("", "users", "list", "--config", config.toString());
        assertThat(list.out()).contains("tanaka\tviewer").contains("sato\tmanager");
        assertThat(Accounts.load(file, new ArrayList<>()).authenticate("tanaka", "a long enough secret")).isEmpty();

        assertThat(cli("", "users", "remove", "sato", "--config", config.toString()).code()).isZero();
        assertThat(cli("", "users", "list", "--config", config.toString()).out()).doesNotContain("sato");
        assertThat(cli("", "users", "remove", "sato", "--config", config.toString()).code()).isEqualTo(1);
    }

    @Test
    void a_broken_users_file_is_a_configuration_problem_with_its_line() throws Exception {
        Path config = AgentHarness.copyShippedConfig(tmp);
        Files.writeString(config.resolve(Accounts.FILE), "users:\n  - name: tanaka\n    role: chief\n    password_bcrypt: 'plain'\n");
        Run r = cli("", "check-config", "--config", config.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("users.yaml:2").contains("unknown role 'chief'");
    }
}
