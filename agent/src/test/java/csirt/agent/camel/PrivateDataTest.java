package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the agent keeps is its owner's only, whatever the data directory was before. */
class PrivateDataTest {

    @TempDir
    Path tmp;

    @Test
    void a_data_directory_made_0777_by_hand_and_everything_in_it_become_owner_only() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.createDirectories(data.resolve("journal"));
        Files.setPosixFilePermissions(data.resolve("journal"), PosixFilePermissions.fromString("rwxrwxrwx"));
        try (AgentHarness agent = AgentHarness.start(data, Map.of())) {
            agent.tcp("<11>Nov 26 18:00:00 web01 clamd[812]: /srv/www/x.php: Php.Webshell-2 FOUND\n");
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> agent.daemon.services().cases().list().size() == 1)).isTrue();
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> Files.exists(data.resolve("notices")))).isTrue();
        }
        List<Path> all;
        try (Stream<Path> s = Files.walk(data)) {
            all = s.toList();
        }
        assertThat(all).extracting(p -> data.relativize(p).toString()).contains("journal", "cases", "api.token", "notices");
        for (Path p : all) {
            String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
            assertThat(perms).as("%s", data.relativize(p)).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
        }
    }
}
