package csirt.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import csirt.agent.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The tuning tools speak of products: {@code replay --explain} says how each line was read
 * (format, header dialect, product reader) and the summary counts lines by reader, with those no
 * criterion matched; {@code check-config} lists the readers and the criteria that judge them.
 */
class ProductToolsTest {

    @TempDir
    Path tmp;

    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new Main()).execute(args);
            assertThat(code).isZero();
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void replay_explains_how_each_line_was_read_and_counts_by_product() throws Exception {
        Path log = tmp.resolve("mixed.log");
        Files.writeString(log, String.join("\n",
                // elastic/integrations symantec_endpoint test-agent-risk.log (no header)
                "Security risk found,IP Address: 1.128.3.4,Computer name: exampleComputer,Source: Auto-Protect scan,Risk name: WS.Reputation.1,"
                        + "Occurrences: 1,e:\\removablemediaaccessutility.exe,,Actual action: All actions failed,Requested action: Process terminate "
                        + "pending restart,Secondary action: Left alone",
                // elastic/integrations cisco_asa test-sample.log
                "Apr 30 2013 09:23:40: %ASA-4-106023: Deny tcp src outside:192.168.2.126/53638 dst inside:10.0.0.132/8111 by access-group \"acl_out\" [0x71761f18, 0x0]",
                "<51>Oct 4 10:51:33 host01 myapp: nothing any criterion knows",
                "") , StandardCharsets.UTF_8);
        String out = run("replay", "--config", "config", "--explain", "--all", log.toString());
        assertThat(out).contains("read as bare (no header), product symantec-sep")
                .contains("read as rfc3164 (Cisco ASA), product cisco-asa")
                .contains("read as rfc3164 (unpadded day), no product reader");
        assertThat(out).contains("By product reader (lines, incidents, lines no criterion matched):")
                .containsPattern("symantec-sep +1 lines, 1 incidents, 0 matched no criterion")
                .containsPattern("cisco-asa +1 lines, 0 incidents, 0 matched no criterion")
                .containsPattern("\\(no reader\\) +1 lines, 0 incidents, 1 matched no criterion");
        String json = run("replay", "--config", "config", "--json", "--all", log.toString());
        assertThat(json).contains("\"product\":\"symantec-sep\"").contains("\"dialect\":\"no header\"").contains("\"by_product\"");
    }

    @Test
    void check_config_lists_the_product_readers_and_their_criteria() {
        String out = run("check-config", "--config", "config");
        assertThat(out).contains("Products read, and the criteria that judge their records:");
        assertThat(out).containsPattern("symantec-sep +Symantec Endpoint Protection \\(SEPM syslog\\)\\n +AV-001, AV-002, AV-010");
        assertThat(out).containsPattern("hardware .*\\n +.*HW-012");
    }
}
