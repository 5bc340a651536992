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

    /** The pool as a file of lines, in order, for a sender that reads its messages from a file (loggen --read-file). */
    void writePool(java.nio.file.Path file) throws java.io.IOException {
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(file))) {
            for (byte[] line : pool) {
                out.write(line);
                out.write('\n');
            }
        }
    }

    double meanBytes() {
        return (double) totalBytes / pool.length;
    }
}
