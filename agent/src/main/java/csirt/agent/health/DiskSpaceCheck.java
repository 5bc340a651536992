package csirt.agent.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Free space under the data directory: below the minimum, the journal and the case store are about to refuse writes. */
public final class DiskSpaceCheck implements ReadinessCheck {

    private final Path dataDir;
    private final long minFreeMb;

    public DiskSpaceCheck(Path dataDir, long minFreeMb) {
        this.dataDir = dataDir;
        this.minFreeMb = minFreeMb;
    }

    @Override
    public List<String> problems() {
        try {
            long freeMb = Files.getFileStore(dataDir).getUsableSpace() / (1024 * 1024);
            return freeMb < minFreeMb
                    ? List.of("disk: only " + freeMb + " MiB free for " + dataDir + " (health.min-free-disk-mb=" + minFreeMb + ")")
                    : List.of();
        } catch (IOException e) {
            return List.of("disk: cannot read the free space of " + dataDir + ": " + e.getMessage());
        }
    }
}
