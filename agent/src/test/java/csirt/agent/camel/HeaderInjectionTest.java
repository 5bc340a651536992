package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log line crafted to inject mail headers, through the real daemon, read back by an independent
 * mail parser (Python's email package, strict policy): no header is added, the Japanese decodes.
 */
class HeaderInjectionTest {

    @TempDir
    Path data;

    private static final String PARSER = """
            import sys, email
            from email import policy
            m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.strict)
            print('HEADERS=' + ','.join(sorted(set(k.lower() for k in m.keys()))))
            print('SUBJECT=' + str(m['subject']))
            print('TO=' + str(m['to']))
            print('BODY=' + m.get_content().replace('\\n', '\\\\n'))
            """;

    @Test
    void crlf_in_a_hostname_and_message_adds_no_header() throws Exception {
        // RFC 5424 with octet counting lets CR and LF travel inside one message: ten of them are a brute force
        String evil = "<38>1 2026-11-26T18:00:00+09:00 web01\rBcc:attacker@evil.example sshd - - - "
                + "Failed password for root from 203.0.113.9 port 1 ssh2\r\nBcc: attacker@evil.example\r\n\r\n--boundary";
        try (AgentHarness agent = AgentHarness.start(data, Map.of())) {
            String[] ten = new String[10];
            java.util.Arrays.fill(ten, evil);
            agent.tcp(AgentHarness.octetCounted(ten));
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> emls().size() == 1)).isTrue();
        }
        Path eml = emls().get(0);
        Path script = data.resolve("parse.py");
        Files.writeString(script, PARSER, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("python3", script.toString(), eml.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("HEADERS=content-transfer-encoding,content-type,date,from,message-id,mime-version,subject,to,"
                + "x-csirt-case,x-csirt-kind,x-csirt-level\n");
        assertThat(out).doesNotContain("attacker@evil.example\nBODY"); // not a recipient
        assertThat(out).contains("TO=csirt-poc@localhost\n");
        // the host is read with its CR seen through (a reader of the line sees "web01Bcc:..."); the raw line keeps it, escaped
        assertThat(out).contains("SUBJECT=[CSIRT][レベル1][サイバー攻撃] C-000001 web01Bcc:attacker@evil.example: 総当たり攻撃");
        assertThat(out).contains("BODY=CSIRT 窓口（PoC）各位").contains("web01\\x0DBcc:attacker@evil.example")
                .contains("ssh2\\x0D\\x0ABcc: attacker@evil.example\\x0D\\x0A\\x0D\\x0A--boundary");
    }

    private List<Path> emls() {
        Path dir = data.resolve("notices");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.toString().endsWith(".eml")).toList();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }
}
