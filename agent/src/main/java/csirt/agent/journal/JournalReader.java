package csirt.agent.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Reads the records of a journal from a sequence number on, in order (structure checked, not hashes). */
public final class JournalReader {

    private JournalReader() {
    }

    /** Hands every record with {@code seq >= from} to {@code visitor}, in journal order. */
    public static void read(Path dir, long from, Consumer<JournalRecord> visitor) throws IOException {
        for (Path seg : Journal.segments(dir)) {
            try (JournalScanner s = new JournalScanner(seg)) {
                JournalScanner.Raw raw;
                while ((raw = s.next()) != null) {
                    if (JournalScanner.seqOf(raw.body()) >= from) {
                        visitor.accept(JournalFormat.readBody(ByteBuffer.wrap(raw.body()), raw.hash()));
                    }
                }
            }
        }
    }
}
