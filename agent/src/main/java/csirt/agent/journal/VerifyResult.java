package csirt.agent.journal;

import java.nio.file.Path;

/**
 * The outcome of verifying a journal: how many records checked, the chain head, and the first
 * problem if any.
 *
 * @param problemSeq the sequence number of the first record that does not check (or where one
 *                   was expected), 0 when there is no problem
 * @param deletedByRetention segments deleted by retention whose kept manifests bridged the chain
 */
public record VerifyResult(long records, long lastSeq, String headHash, long problemSeq, Path problemFile,
                           long problemOffset, String problem, java.util.List<String> deletedByRetention) {

    public VerifyResult(long records, long lastSeq, String headHash, long problemSeq, Path problemFile, long problemOffset,
                        String problem) {
        this(records, lastSeq, headHash, problemSeq, problemFile, problemOffset, problem, java.util.List.of());
    }

    public boolean ok() {
        return problem == null;
    }
}
