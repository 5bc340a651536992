package csirt.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evidence journal: exact bytes kept, chain verified, every kind of tampering found at its record. */
class JournalTest {

    @TempDir
    Path dir;

    private static final Receipt R = new Receipt(Instant.parse("2026-11-26T09:00:00.123456Z"), "syslog-tcp", "tcp", "192.0.2.5", 50123);

    private static JournalEntry entry(String text) {
        return new JournalEntry(R, 0, text.getBytes(StandardCharsets.UTF_8));
    }

    private void write(int n) throws IOException {
        try (Journal j = Journal.open(dir, 0)) {
            List<JournalEntry> batch = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                batch.add(entry("<13>message number " + i));
            }
            assertThat(j.append(batch)).isEqualTo(1);
        }
    }

    private List<JournalRecord> readAll() throws IOException {
        List<JournalRecord> out = new ArrayList<>();
        VerifyResult r = JournalVerifier.verify(dir, out::add);
        assertThat(r.ok()).as(r.problem()).isTrue();
        return out;
    }

    /** File offset of record {@code seq} (1-based). */
    private long offsetOf(long seq) throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (JournalScanner s = new JournalScanner(dir.resolve(Journal.SEGMENT))) {
            JournalScanner.Raw raw;
            while ((raw = s.next()) != null) {
                offsets.add(raw.offset());
            }
        }
        return offsets.get((int) seq - 1);
    }

    @Test
    void keeps_the_exact_bytes_and_receipt_of_every_record() throws IOException {
        byte[] invalidUtf8 = {'<', '1', '3', '>', (byte) 0xff, (byte) 0xfe, 0, '\n'};
        try (Journal j = Journal.open(dir, 1000)) {
            j.append(List.of(entry("<13>first 日本語"), new JournalEntry(R, JournalRecord.FLAG_CONTINUES, invalidUtf8)));
            assertThat(j.append(List.of(entry("<13>third")))).isEqualTo(3);
        }
        List<JournalRecord> all = readAll();
        assertThat(all).extracting(JournalRecord::seq).containsExactly(1L, 2L, 3L);
        assertThat(all.get(0).payloadText()).isEqualTo("<13>first 日本語");
        assertThat(all.get(1).payload()).isEqualTo(invalidUtf8);
        assertThat(all.get(1).flags()).isEqualTo(JournalRecord.FLAG_CONTINUES);
        assertThat(all.get(0).receipt()).isEqualTo(R);
    }

    @Test
    void a_version_1_journal_of_an_earlier_agent_verifies_and_its_chain_goes_on_in_version_2() throws Exception {
        // two records as an agent before version 2 wrote them: marker CSJ1, hash = SHA-256(prev || body)
        java.security.MessageDigest d = JournalFormat.sha256();
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4096);
        byte[] prev = JournalFormat.GENESIS_HASH;
        for (int seq = 1; seq <= 2; seq++) {
            int start = buf.position();
            JournalFormat.write(buf, d, prev, seq, R, 0, ("<13>old record " + seq).getBytes(StandardCharsets.UTF_8));
            int bodyLen = buf.getInt(start + 4);
            byte[] body = new byte[bodyLen];
            buf.get(start + 8, body);
            buf.putInt(start, JournalFormat.MAGIC_V1);
            prev = JournalFormat.chainHash(d, 1, prev, body);
            buf.put(start + 8 + bodyLen, prev);
        }
        Files.write(dir.resolve("segment-00000000000000000001.csj"), java.util.Arrays.copyOf(buf.array(), buf.position()));
        assertThat(JournalVerifier.verify(dir, r -> { }).ok()).as("version 1 records verify").isTrue();

        try (Journal j = Journal.open(dir, 0)) {
            assertThat(j.lastSeq()).isEqualTo(2);
            assertThat(j.append(List.of(entry("<13>new record")))).isEqualTo(3);
        }
        List<JournalRecord> all = new ArrayList<>();
        VerifyResult v = JournalVerifier.verify(dir, all::add);
        assertThat(v.ok()).as(v.problem()).isTrue();
        assertThat(all).extracting(JournalRecord::payloadText).containsExactly("<13>old record 1", "<13>old record 2", "<13>new record");
        List<Integer> versions = new ArrayList<>();
        JournalReader.readChain(dir, 1, 3, l -> versions.add(l.version()));
        assertThat(versions).containsExactly(1, 1, 2);
        // and a changed byte in a version 1 record is still found
        flipByte(40);
        assertThat(JournalVerifier.verify(dir, r -> { }).problemSeq()).isEqualTo(1);
    }

    @Test
    void continues_the_chain_after_a_restart() throws IOException {
        write(3);
        try (Journal j = Journal.open(dir, 0)) {
            assertThat(j.lastSeq()).isEqualTo(3);
            assertThat(j.append(List.of(entry("<13>after restart")))).isEqualTo(4);
        }
        assertThat(JournalVerifier.verify(dir).records()).isEqualTo(4);
    }

    @Test
    void one_changed_payload_byte_is_found_at_its_record() throws IOException {
        write(10);
        long at = offsetOf(7) + 60;
        flipByte(at);
        VerifyResult r = JournalVerifier.verify(dir);
        assertThat(r.ok()).isFalse();
        assertThat(r.problemSeq()).isEqualTo(7);
        assertThat(r.lastSeq()).isEqualTo(6);
        assertThat(r.problem()).startsWith("record 7 does not match its hash");
    }

    @Test
    void a_changed_stored_hash_is_found() throws IOException {
        write(5);
        flipByte(offsetOf(4) - 1); // last byte of record 3's hash
        VerifyResult r = JournalVerifier.verify(dir);
        assertThat(r.problemSeq()).isEqualTo(3);
    }

    @Test
    void a_deleted_record_is_found_where_it_was() throws IOException {
        write(6);
        cut(offsetOf(3), offsetOf(4));
        VerifyResult r = JournalVerifier.verify(dir);
        assertThat(r.ok()).isFalse();
        assertThat(r.problemSeq()).isEqualTo(3);
    }

    @Test
    void two_swapped_records_are_found() throws IOException {
        write(6);
        Path f = dir.resolve(Journal.SEGMENT);
        byte[] all = Files.readAllBytes(f);
        int a = (int) offsetOf(2);
        int b = (int) offsetOf(3);
        int c = (int) offsetOf(4);
        byte[] swapped = new byte[all.length];
        System.arraycopy(all, 0, swapped, 0, a);
        System.arraycopy(all, b, swapped, a, c - b);
        System.arraycopy(all, a, swapped, a + (c - b), b - a);
        System.arraycopy(all, c, swapped, c, all.length - c);
        Files.write(f, swapped);
        VerifyResult r = JournalVerifier.verify(dir);
        assertThat(r.problemSeq()).isEqualTo(2);
    }

    @Test
    void a_truncated_file_is_reported_when_no_agent_holds_it() throws IOException {
        write(4);
        Path f = dir.resolve(Journal.SEGMENT);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(raf.length() - 10);
        }
        VerifyResult r = JournalVerifier.verify(dir);
        assertThat(r.ok()).isFalse();
        assertThat(r.problemSeq()).isEqualTo(4);
        assertThat(r.problem()).startsWith("the file ends inside record 4");
    }

    @Test
    void a_torn_last_record_is_cut_back_on_open_and_the_chain_continues() throws IOException {
        write(4);
        Path f = dir.resolve(Journal.SEGMENT);
        long whole = Files.size(f);
        long start4 = offsetOf(4);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(whole - 10); // the process died in the middle of writing record 4
        }
        try (Journal j = Journal.open(dir, 0)) {
            assertThat(j.recoveredTornBytes()).isEqualTo(whole - 10 - start4);
            assertThat(j.lastSeq()).isEqualTo(3);
            assertThat(j.append(List.of(entry("<13>after crash")))).isEqualTo(4);
        }
        VerifyResult r = JournalVerifier.verify(dir);
        assertThat(r.ok()).isTrue();
        assertThat(r.lastSeq()).isEqualTo(4);
    }

    @Test
    void damage_in_the_middle_refuses_to_open_instead_of_cutting_evidence() throws IOException {
        write(5);
        flipByte(offsetOf(3)); // the record marker of record 3
        assertThatThrownBy(() -> Journal.open(dir, 0))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is damaged (bad record marker")
                .hasMessageContaining("Run `csirt-agent evidence verify`");
        VerifyResult r = JournalVerifier.verify(dir);
        assertThat(r.problemSeq()).isEqualTo(3);
    }

    @Test
    void a_second_process_cannot_append_to_the_same_journal() throws IOException {
        try (Journal j = Journal.open(dir, 0)) {
            assertThatThrownBy(() -> Journal.open(dir, 0)).isInstanceOf(IOException.class)
                    .hasMessageContaining("is in use by another csirt-agent");
            assertThat(Journal.inUse(dir)).isTrue();
        }
    }

    /**
     * Linux drops a process's fcntl lock when the process closes any descriptor of the file: the
     * verification's "is it live?" must not open the lock file again. Another process (python's
     * lockf, the same fcntl lock) must still be refused after a verification and an inUse check.
     */
    @Test
    void the_lock_still_holds_against_another_process_after_verification() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("python3", "--version").start().waitFor() == 0,
                "python3 is needed as the other process");
        try (Journal j = Journal.open(dir, 0)) {
            j.append(List.of(entry("<13>x")));
            assertThat(JournalVerifier.verify(dir).ok()).isTrue();
            assertThat(Journal.inUse(dir)).isTrue();
            assertThatThrownBy(() -> Journal.open(dir, 0)).isInstanceOf(IOException.class).hasMessageContaining("is in use by another csirt-agent");
            Process p = new ProcessBuilder("python3", "-c", "import fcntl,sys\n"
                    + "f=open(sys.argv[1],'r+')\n"
                    + "try:\n fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB); print('locked')\n"
                    + "except OSError: print('refused')", dir.resolve(Journal.LOCK).toString()).redirectErrorStream(true).start();
            assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo("refused");
        }
        assertThat(Journal.inUse(dir)).isFalse();
    }

    @Test
    void journal_files_are_readable_by_the_owner_only() throws IOException {
        Path d = dir.resolve("new");
        try (Journal j = Journal.open(d, 0)) {
            j.append(List.of(entry("<13>x")));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d.resolve(Journal.SEGMENT)))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).isEqualTo("rwx------");
    }

    private void flipByte(long at) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(dir.resolve(Journal.SEGMENT).toFile(), "rw")) {
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x01);
        }
    }

    private void cut(long from, long to) throws IOException {
        Path f = dir.resolve(Journal.SEGMENT);
        byte[] all = Files.readAllBytes(f);
        byte[] out = new byte[all.length - (int) (to - from)];
        System.arraycopy(all, 0, out, 0, (int) from);
        System.arraycopy(all, (int) to, out, (int) from, all.length - (int) to);
        Files.write(f, out);
    }
}
