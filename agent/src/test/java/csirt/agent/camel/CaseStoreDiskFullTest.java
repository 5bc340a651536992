package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import csirt.agent.cases.CaseRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk under the case store, for real: {@code data/cases} on a small tmpfs this test mounts
 * (root only) and fills, while the journal has room. Incidents wait for the store instead of being
 * given up, health says why, nothing is written without bound meanwhile, the store takes them by
 * itself once space returns; and an agent stopped while the disk is still full leaves them to the
 * next start, which records each exactly once.
 */
class CaseStoreDiskFullTest {

    @TempDir
    Path tmp;

    @Test
    void a_full_disk_under_the_case_store_holds_incidents_until_space_returns_and_a_restart_loses_none() throws Exception {
        Path data = tmp.resolve("data");
        Path cases = Files.createDirectories(data.resolve("cases"));
        boolean mounted = DiskFullTest.run("mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", cases.toString());
        if (System.getenv("CSIRT_REQUIRE_MOUNT") == null) {
            Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here (needs root); .ci/run makes this test mandatory where it can");
        }
        assertThat(mounted).as("mount a 4 MiB tmpfs on data/cases").isTrue();
        Path filler = cases.resolve("filler");
        try {
            try (AgentHarness agent = AgentHarness.start(data, Map.of("health.min-free-disk-mb", "0"))) {
                agent.tcp(detections(0, 5));
                assertThat(AgentHarness.await(Duration.ofSeconds(20), () -> agent.daemon.services().cases().list().size() == 5)).isTrue();

                DiskFullTest.fill(filler);
                long sizeWhenFull = du(cases);
                agent.tcp(detections(5, 20));
                assertThat(AgentHarness.await(Duration.ofSeconds(30), () -> {
                    try {
                        return agent.readiness().contains("the case database refuses incidents");
                    } catch (Exception e) {
                        return false;
                    }
                })).as("health says why").isTrue();
                assertThat(agent.readiness()).containsIgnoringCase("full");
                Thread.sleep(5_000);
                // (what fits in space the store had already taken may still be recorded; the rest waits)
                int whileFull = agent.daemon.services().cases().list().size();
                assertThat(whileFull).as("incidents wait while the disk is full").isLessThan(25);
                Thread.sleep(2_000);
                assertThat(agent.daemon.services().cases().list()).as("and keep waiting").hasSize(whileFull);
                assertThat(du(cases)).as("nothing written without bound while full (no trace files)").isLessThanOrEqualTo(sizeWhenFull + 64 * 1024);

                Files.delete(filler);
                assertThat(AgentHarness.await(Duration.ofSeconds(30), () -> agent.daemon.services().cases().list().size() == 25))
                        .as("the store takes the held incidents by itself once space returns").isTrue();
                assertThat(AgentHarness.await(Duration.ofSeconds(20), () -> {
                    try {
                        return !agent.readiness().contains("refuses incidents");
                    } catch (Exception e) {
                        return false;
                    }
                })).isTrue();

                // full again, and the agent is stopped before space returns
                DiskFullTest.fill(filler);
                agent.tcp(detections(25, 10));
                assertThat(AgentHarness.await(Duration.ofSeconds(30), () -> {
                    try {
                        return agent.readiness().contains("the case database refuses incidents");
                    } catch (Exception e) {
                        return false;
                    }
                })).isTrue();
            }
            Files.delete(filler);
            try (AgentHarness agent = AgentHarness.start(data, Map.of("health.min-free-disk-mb", "0"))) {
                assertThat(AgentHarness.await(Duration.ofSeconds(30), () -> agent.daemon.services().cases().list().size() == 35))
                        .as("the restart records what the stop left: %s", agent.daemon.services().cases().list().size()).isTrue();
                List<CaseRecord> all = agent.daemon.services().cases().list();
                Map<String, Long> perKey = all.stream().collect(Collectors.groupingBy(CaseRecord::caseKey, Collectors.counting()));
                assertThat(perKey).hasSize(35).allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1L));
                assertThat(AgentHarness.await(Duration.ofSeconds(30), () -> opened(data) == 35)).as("one opened notice each").isTrue();
            }
            try (Stream<Path> files = Files.list(cases)) {
                assertThat(files.map(p -> p.getFileName().toString()).toList()).as("the store's files, no trace or lock left")
                        .allMatch(n -> n.startsWith("cases.db"));
            }
        } finally {
            Files.deleteIfExists(filler);
            DiskFullTest.run("umount", "-l", cases.toString());
        }
    }

    /** {@code n} level-2 detections on a server, each its own signature (and so its own case), from number {@code from}. */
    private static String detections(int from, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < from + n; i++) {
            b.append("<11>Nov 26 18:00:00 web01 clamd[812]: /srv/www/f").append(i).append(".php: Php.Test.Full-").append(i).append(" FOUND\n");
        }
        return b.toString();
    }

    private static long opened(Path data) {
        try (Stream<Path> s = Files.list(data.resolve("notices"))) {
            return s.filter(p -> p.getFileName().toString().contains("-opened-")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static long du(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            long total = 0;
            for (Path p : s.filter(p -> !p.getFileName().toString().equals("filler")).toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }
}
