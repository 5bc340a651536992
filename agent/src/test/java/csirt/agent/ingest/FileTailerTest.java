package csirt.agent.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Following a real file: appends, partial lines, rotation by rename and by truncation, restarts. */
class FileTailerTest {

    @TempDir
    Path dir;

    private Path log() {
        return dir.resolve("clamav.log");
    }

    private void append(String s) throws Exception {
        Files.writeString(log(), s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static List<String> text(List<byte[]> lines) {
        return lines.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void hands_out_whole_lines_once_and_waits_for_the_rest_of_a_partial_one() throws Exception {
        try (FileTailer t = new FileTailer(log(), dir.resolve("pos"))) {
            assertThat(t.poll()).isEmpty(); // no file yet
            append("one\ntw");
            assertThat(text(t.poll())).containsExactly("one");
            append("o\r\nthree\n");
            assertThat(text(t.poll())).containsExactly("two", "three");
            assertThat(t.poll()).isEmpty();
        }
    }

    @Test
    void reads_the_rest_of_a_file_rotated_by_rename_then_the_new_one() throws Exception {
        try (FileTailer t = new FileTailer(log(), dir.resolve("pos"))) {
            append("a\n");
            assertThat(text(t.poll())).containsExactly("a");
            append("b\n");
            Files.move(log(), dir.resolve("clamav.log.1"));
            append("c\n");
            assertThat(text(t.poll())).containsExactly("b", "c");
        }
    }

    /**
     * A writer appending as fast as it can and rotating by rename (logrotate's default, with
     * create) every 2,000 lines, while the tailer polls: 20,000 lines handed out once each, in
     * order. Rotation waits for at least one poll since the last one, as with a daily logrotate
     * and a one-second poll; two rotations between polls would lose the middle file in any tailer.
     */
    @Test
    void rotation_by_rename_under_a_steady_write_load_loses_and_repeats_nothing() throws Exception {
        int total = 20_000;
        java.util.concurrent.atomic.AtomicInteger polls = new java.util.concurrent.atomic.AtomicInteger();
        List<String> got = new java.util.ArrayList<>();
        try (FileTailer t = new FileTailer(log(), dir.resolve("pos"))) {
            Thread writer = new Thread(() -> {
                try {
                    java.io.Writer w = Files.newBufferedWriter(log(), StandardCharsets.UTF_8);
                    for (int i = 0; i < total; i++) {
                        w.write("line " + i + "\n");
                        if (i % 100 == 99) {
                            w.flush();
                        }
                        if (i % 2_000 == 1_999) {
                            w.close();
                            int seen = polls.get();
                            long until = System.nanoTime() + 5_000_000_000L;
                            // two completed polls: at least one of them began after the previous rotation
                            while (polls.get() < seen + 2 && System.nanoTime() < until) {
                                Thread.onSpinWait();
                            }
                            Files.move(log(), dir.resolve("clamav.log." + i), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                            w = Files.newBufferedWriter(log(), StandardCharsets.UTF_8);
                        }
                    }
                    w.close();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            long end = System.nanoTime() + 30_000_000_000L;
            while (got.size() < total && System.nanoTime() < end) {
                got.addAll(text(t.poll()));
                polls.incrementAndGet();
            }
            writer.join(10_000);
        }
        assertThat(got).hasSize(total);
        for (int i = 0; i < total; i++) {
            if (!got.get(i).equals("line " + i)) {
                assertThat(got.get(i)).as("line %d", i).isEqualTo("line " + i);
            }
        }
    }

    @Test
    void lines_not_committed_are_read_again_after_a_restart_or_a_rewind() throws Exception {
        try (FileTailer t = new FileTailer(log(), dir.resolve("pos"))) {
            append("a\nb\n");
            assertThat(text(t.poll())).containsExactly("a", "b");
            t.commit();
            append("c\n");
            assertThat(text(t.poll())).containsExactly("c");
            t.rewind(); // the journal refused them
            assertThat(text(t.poll())).containsExactly("c");
            append("d\n");
            assertThat(text(t.poll())).containsExactly("d");
            // killed before d was journaled: no commit
        }
        try (FileTailer t = new FileTailer(log(), dir.resolve("pos"))) {
            assertThat(text(t.poll())).as("c and d were never committed").containsExactly("c", "d");
        }
    }

    @Test
    void starts_again_at_zero_after_copytruncate() throws Exception {
        try (FileTailer t = new FileTailer(log(), dir.resolve("pos"))) {
            append("first line\nsecond line\n");
            assertThat(t.poll()).hasSize(2);
            Files.writeString(log(), "x\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            assertThat(text(t.poll())).containsExactly("x");
        }
    }

    @Test
    void resumes_after_a_restart_without_repeating_or_skipping() throws Exception {
        try (FileTailer t = new FileTailer(log(), dir.resolve("pos"))) {
            append("1\n2\npart");
            assertThat(text(t.poll())).containsExactly("1", "2");
            t.commit();
        }
        append("ial\n3\n");
        try (FileTailer t = new FileTailer(log(), dir.resolve("pos"))) {
            assertThat(text(t.poll())).containsExactly("partial", "3");
        }
    }
}
