package csirt.agent.health;

import java.nio.file.Path;
import java.util.List;

import csirt.agent.journal.Journal;

/** The journal's last write: when it failed, nothing new can be received durably. */
public final class JournalWriteCheck implements ReadinessCheck {

    private final Journal journal;
    private final Path dataDir;

    public JournalWriteCheck(Journal journal, Path dataDir) {
        this.journal = journal;
        this.dataDir = dataDir;
    }

    @Override
    public List<String> problems() {
        String error = journal.lastError();
        return error == null ? List.of()
                : List.of("journal: the last write failed (" + error + "); check disk space and permissions of " + dataDir);
    }
}
