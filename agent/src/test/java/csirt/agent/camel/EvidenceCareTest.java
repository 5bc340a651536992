package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import csirt.agent.cases.CaseRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduled verification finds a changed sealed segment and raises it as a level-2 incident. */
class EvidenceCareTest {

    @TempDir
    Path data;

    @Test
    void a_changed_sealed_segment_becomes_a_level_two_case_and_makes_the_agent_not_ready() throws Exception {
        try (AgentHarness agent = AgentHarness.start(data, Map.of())) {
            agent.tcp("<13>Nov 26 18:00:00 web01 app: one\n<13>Nov 26 18:00:01 web01 app: two\n");
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> agent.daemon.services().journal().lastSeq() == 2)).isTrue();
            agent.daemon.services().journal().seal();
            Path sealed = data.resolve("journal").resolve("segment-00000000000000000001.csj");
            sealed.toFile().setWritable(true);
            try (RandomAccessFile f = new RandomAccessFile(sealed.toFile(), "rw")) {
                f.seek(60);
                int b = f.read();
                f.seek(60);
                f.write(b ^ 1);
            }
            agent.daemon.services().evidenceCare(Instant.now());
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> !agent.daemon.services().cases().list().isEmpty())).isTrue();
            CaseRecord c = agent.daemon.services().cases().list().get(0);
            assertThat(c.criterionId()).isEqualTo("EVD-200");
            assertThat(c.level()).isEqualTo(2);
            assertThat(agent.daemon.services().readinessProblems()).anySatisfy(p -> assertThat(p)
                    .startsWith("journal: the scheduled verification failed at seq 1: record 1 does not match its hash"));
            assertThat(agent.metric("csirt_journal_verifications_total{result=\"failed\"}")).isEqualTo(1.0);
        }
    }
}
