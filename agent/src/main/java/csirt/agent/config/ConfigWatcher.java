package csirt.agent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Notices when the reloadable configuration files change (criteria/*.yaml, assets.yaml,
 * contacts.yaml): compares names, sizes and modification times with what it saw last. Polling
 * keeps it simple and works on every filesystem, including the network mounts inotify misses.
 */
public final class ConfigWatcher {

    private final Path dir;
    private List<String> last;

    public ConfigWatcher(Path dir) {
        this.dir = dir;
        this.last = snapshot();
    }

    /** True once for each change since the previous call. */
    public synchronized boolean changed() {
        List<String> now = snapshot();
        if (now.equals(last)) {
            return false;
        }
        last = now;
        return true;
    }

    private List<String> snapshot() {
        List<Path> files = new ArrayList<>(List.of(dir.resolve("assets.yaml"), dir.resolve("contacts.yaml")));
        try (Stream<Path> s = Files.list(dir.resolve("criteria"))) {
            s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().forEach(files::add);
        } catch (IOException e) {
            files.add(dir.resolve("criteria"));
        }
        List<String> out = new ArrayList<>();
        for (Path f : files) {
            try {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                out.add(f + "|" + a.size() + "|" + a.lastModifiedTime().toMillis());
            } catch (IOException e) {
                out.add(f + "|missing");
            }
        }
        return out;
    }
}
