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
        }
        append("ial\n3\n");
        try (FileTailer t = new FileTailer(log(), dir.resolve("pos"))) {
            assertThat(text(t.poll())).containsExactly("partial", "3");
        }
    }
}
