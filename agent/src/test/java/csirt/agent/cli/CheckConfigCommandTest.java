package csirt.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

import csirt.agent.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code check-config} on the shipped configuration and on one broken in many ways at once. */
class CheckConfigCommandTest {

    @TempDir
    Path tmp;

    private record Result(int code, String out) {
    }

    private static Result run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new Main()).execute(args);
            return new Result(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }

    private Path copyOfShipped() throws IOException {
        Path config = tmp.resolve("config");
        copy(Path.of("config"), config);
        copy(Path.of("routes"), tmp.resolve("routes"));
        return config;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Test
    void the_shipped_configuration_is_ok() {
        Result r = run("check-config", "--config", "config");
        assertThat(r.code()).isZero();
        assertThat(r.out()).matches("(?s)(warning: [^\n]*\n)*OK: config — \\d{2,} criteria \\(set [0-9a-f]{12}\\).*");
    }

    @Test
    void an_input_open_to_every_network_is_warned_about_and_one_limited_to_its_senders_is_not() throws IOException {
        Result shipped = run("check-config", "--config", "config");
        assertThat(shipped.out()).contains("warning: syslog.udp listens on 0.0.0.0 and takes messages from every network: set "
                + "syslog.udp.allowed-networks").contains("warning: syslog.tcp listens on 0.0.0.0");
        Path config = copyOfShipped();
        Path props = config.resolve("application.properties");
        Files.writeString(props, Files.readString(props, StandardCharsets.UTF_8)
                .replace("syslog.udp.allowed-networks=", "syslog.udp.allowed-networks=10.0.0.0/8")
                .replace("syslog.tcp.allowed-networks=", "syslog.tcp.allowed-networks=10.0.0.0/8, 192.168.0.0/16"), StandardCharsets.UTF_8);
        Result limited = run("check-config", "--config", config.toString());
        assertThat(limited.code()).isZero();
        assertThat(limited.out()).doesNotContain("takes messages from every network");
    }

    @Test
    void every_problem_is_listed_with_file_and_key_and_the_exit_code_is_non_zero() throws IOException {
        Path config = copyOfShipped();
        Path props = config.resolve("application.properties");
        String p = Files.readString(props, StandardCharsets.UTF_8)
                .replace("syslog.tcp.port=5514", "syslog.tcp.port=70000")
                .replace("http.host=127.0.0.1", "http.hots=127.0.0.1")
                .replace("syslog.rfc3164.zone=Asia/Tokyo", "syslog.rfc3164.zone=Mars/Olympus");
        Files.writeString(props, p, StandardCharsets.UTF_8);
        Files.writeString(config.resolve("contacts.yaml"), "from: csirt-agent@localhost\npoc:\n  email: not an address\n",
                StandardCharsets.UTF_8);
        Files.writeString(config.resolve("assets.yaml"), "assets:\n  - host: a\n    role: toaster\n", StandardCharsets.UTF_8);
        Files.writeString(config.resolve("criteria").resolve("zz-broken.yaml"), "criteria:\n  - id: X\n", StandardCharsets.UTF_8);

        Result r = run("check-config", "--config", config.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out())
                .contains("application.properties:" + lineOf(p, "syslog.tcp.port=") + ": syslog.tcp.port: must be a port number 1-65535 (or 0: any free port, written to data/listening), was 70000")
                .contains(": http.hots: unknown key; did you mean http.host?")
                .contains(": syslog.rfc3164.zone: 'Mars/Olympus' is not a time zone; use a region id such as Asia/Tokyo")
                .contains("contacts.yaml:3: poc.email: 'not an address' is not an e-mail address")
                .contains("assets.yaml:3: assets[0].role: unknown role 'toaster'")
                .contains("zz-broken.yaml:2: criteria[0].title: missing")
                .contains("zz-broken.yaml:2: criteria[0].annex: missing")
                .contains("problem(s) found in");
    }

    @Test
    void a_missing_routes_directory_is_reported() throws IOException {
        Path config = copyOfShipped();
        Files.writeString(config.resolve("application.properties"),
                Files.readString(config.resolve("application.properties")).replace("routes.dir=../routes", "routes.dir=../nowhere"));
        Result r = run("check-config", "--config", config.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("nowhere: routes.dir: the routes directory cannot be read");
    }

    @Test
    void a_system_property_overrides_the_file() {
        System.setProperty("syslog.udp.port", "-1");
        try {
            Result r = run("check-config", "--config", "config");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.out()).contains("syslog.udp.port: must be a port number 1-65535 (or 0: any free port, written to data/listening), was -1");
        } finally {
            System.clearProperty("syslog.udp.port");
        }
    }

    private static int lineOf(String text, String prefix) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith(prefix)) {
                return i + 1;
            }
        }
        return -1;
    }
}
