package csirt.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and memory of a process, read from /proc (Linux). */
record ProcStats(long cpuTicks, long rssKib, long peakRssKib) {

    /** Clock ticks per second of /proc/PID/stat (getconf CLK_TCK; 100 on every Linux we run on). */
    static final double TICKS_PER_SECOND = 100.0;

    static ProcStats of(long pid) {
        try {
            long ticks = cpuTicks(Path.of("/proc", Long.toString(pid), "stat"));
            long rss = 0;
            long hwm = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kib(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kib(line);
                }
            }
            return new ProcStats(ticks, rss, hwm);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + " (has the process ended?): " + e.getMessage(), e);
        }
    }

    /**
     * CPU seconds the process's JIT compiler threads (HotSpot's "C1/C2 CompilerThreadN") have used:
     * the warm-up goes on until they are quiet, so that no phase pays for compiling the hot path.
     */
    static double compilerCpuSeconds(long pid) {
        long ticks = 0;
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String comm = Files.readString(t.resolve("comm")).strip();
                    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                        ticks += cpuTicks(t.resolve("stat"));
                    }
                } catch (IOException e) {
                    // the thread ended between the listing and the read: it compiles nothing now
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/task: " + e.getMessage(), e);
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** User plus system clock ticks of a /proc/PID/stat or /proc/PID/task/TID/stat file. */
    private static long cpuTicks(Path statFile) throws IOException {
        String stat = Files.readString(statFile);
        // the command name may hold spaces: fields are counted from after its closing parenthesis
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    double cpuSecondsSince(ProcStats before) {
        return (cpuTicks - before.cpuTicks) / TICKS_PER_SECOND;
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
