package csirt.bench.e2e;

import java.nio.charset.StandardCharsets;
import java.util.List;

import csirt.bench.Traffic;

/**
 * The messages a run sends: message i is line i modulo a pool of the realistic mix
 * ({@link Traffic}), so any message can be regenerated to check the journal byte for byte
 * without keeping a million of them in memory.
 */
final class Stream {

    private final byte[][] pool;
    private final long totalBytes;

    Stream(int poolSize, long seed) {
        List<String> lines = Traffic.lines(poolSize, seed);
        pool = new byte[lines.size()][];
        long bytes = 0;
        for (int i = 0; i < pool.length; i++) {
            pool[i] = lines.get(i).getBytes(StandardCharsets.UTF_8);
            bytes += pool[i].length;
        }
        totalBytes = bytes;
    }

    byte[] line(long i) {
        return pool[(int) (i % pool.length)];
    }

    double meanBytes() {
        return (double) totalBytes / pool.length;
    }
}
