package csirt.bench.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * rsyslog as the reference: its own temporary configuration, imtcp and imudp on 127.0.0.1 →
 * omfile, the same 4 MiB UDP receive buffer and 64 KiB message limit as the agent.
 */
final class RsyslogUnderTest implements AutoCloseable {

    static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");

    private final Process process;
    private final Path out;
    private final int port;
    private InputStream reader;
    private long lines;

    private RsyslogUnderTest(Process process, Path out, int port) {
        this.process = process;
        this.out = out;
        this.port = port;
    }

    static boolean installed() {
        return Files.isExecutable(RSYSLOGD);
    }

    static RsyslogUnderTest start(Path work) throws Exception {
        Files.createDirectories(work);
        int port = Ports.free();
        Path out = work.resolve("messages.log");
        Path conf = work.resolve("rsyslog.conf");
        Files.writeString(conf, String.join("\n",
                "global(workDirectory=\"" + work + "\" maxMessageSize=\"64k\")",
                // MaxSessions: imtcp takes 200 connections by default; the benchmark opens 1,000 at once
                "module(load=\"imtcp\" MaxSessions=\"2000\")",
                "module(load=\"imudp\")",
                "input(type=\"imtcp\" port=\"" + port + "\" address=\"127.0.0.1\")",
                "input(type=\"imudp\" port=\"" + port + "\" address=\"127.0.0.1\" rcvbufSize=\"4m\")",
                "action(type=\"omfile\" file=\"" + out + "\")", ""));
        Process p = new ProcessBuilder(RSYSLOGD.toString(), "-n", "-f", conf.toString(), "-i", work.resolve("rsyslogd.pid").toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("rsyslogd.out").toFile()).start();
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new RsyslogUnderTest(p, out, port);
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("rsyslogd did not listen within 20 s: " + Files.readString(work.resolve("rsyslogd.out")));
    }

    int port() {
        return port;
    }

    ProcStats stats() {
        return ProcStats.of(process.pid());
    }

    /** Lines rsyslog has written to its output file so far. */
    long lines() throws IOException {
        if (reader == null) {
            if (!Files.exists(out)) {
                return 0;
            }
            reader = Files.newInputStream(out);
        }
        byte[] buf = new byte[1 << 20];
        int n;
        while ((n = reader.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    lines++;
                }
            }
        }
        return lines;
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        if (reader != null) {
            reader.close();
        }
    }
}
