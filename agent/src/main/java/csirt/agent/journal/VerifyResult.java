package csirt.agent.journal;

import java.nio.file.Path;

/**
 * The outcome of verifying a journal: how many records checked, the chain head, and the first
 * problem if any.
 *
 * @param problemSeq the sequence number of the first record that does not check (or where one
 *                   was expected), 0 when there is no problem
 */
public record VerifyResult(long records, long lastSeq, String headHash, long problemSeq, Path problemFile,
                           long problemOffset, String problem) {

    public boolean ok() {
        return problem == null;
    }
}
