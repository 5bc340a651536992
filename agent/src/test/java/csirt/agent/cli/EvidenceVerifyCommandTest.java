package csirt.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import csirt.agent.Main;
import csirt.agent.journal.Journal;
import csirt.agent.journal.JournalEntry;
import csirt.agent.journal.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code evidence verify} says OK only about records it verified. */
class EvidenceVerifyCommandTest {

    @TempDir
    Path data;

    private record Result(int code, String out) {
    }

    private static Result run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            return new Result(new CommandLine(new Main()).execute(args), buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void no_journal_is_an_error_not_ok() {
        Result r = run("evidence", "verify", "--data", data.resolve("nowhere").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).startsWith("FAILED: there is no journal in ").contains("nothing was verified");
    }

    @Test
    void a_range_beyond_the_journal_is_an_error_and_one_inside_it_is_ok() throws Exception {
        try (Journal j = Journal.open(data.resolve("journal"), 0)) {
            List<JournalEntry> batch = new ArrayList<>();
            for (int i = 1; i <= 22; i++) {
                batch.add(new JournalEntry(new Receipt(Instant.parse("2026-11-26T09:00:00Z"), "t", "tcp", "192.0.2.1", 1), 0,
                        ("<13>line " + i).getBytes(StandardCharsets.UTF_8)));
            }
            j.append(batch);
        }
        Result beyond = run("evidence", "verify", "--data", data.toString(), "--from", "50");
        assertThat(beyond.code()).isEqualTo(1);
        assertThat(beyond.out()).startsWith("FAILED: the journal ends at seq 22; there is no record 50 to verify from.");
        Result backwards = run("evidence", "verify", "--data", data.toString(), "--from", "10", "--to", "5");
        assertThat(backwards.code()).isEqualTo(1);
        assertThat(backwards.out()).startsWith("FAILED: --from 10 --to 5 is not a range of records");
        Result inside = run("evidence", "verify", "--data", data.toString(), "--from", "5");
        assertThat(inside.code()).isZero();
        assertThat(inside.out()).startsWith("OK: ").contains("seq 5..22");
    }
}
