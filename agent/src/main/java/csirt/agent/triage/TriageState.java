package csirt.agent.triage;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import csirt.agent.journal.Receipt;
import csirt.agent.parse.AvAction;
import csirt.agent.parse.AvAlert;
import csirt.agent.parse.Event;
import csirt.agent.parse.Format;

/**
 * Saves the engine's correlation state (held events, windows, sequences, repeats) to a file and
 * restores it at start, so a restart neither forgets a pending "down" nor restarts a brute-force
 * count. The file is written whole to a temporary name and moved into place.
 */
public final class TriageState {

    private static final String MAGIC = "CSTS2";

    private TriageState() {
    }

    /** Writes the engine's state to {@code file}. */
    public static void save(TriageEngine engine, Path file) throws IOException {
        save(engine, file, 0);
    }

    /**
     * Writes the engine's state to {@code file}, noting that it covers the journal up to
     * {@code coveredSeq}: after a crash, records after it are judged again.
     */
    public static void save(TriageEngine engine, Path file, long coveredSeq) throws IOException {
        write(serialize(engine, coveredSeq), file);
    }

    /**
     * The engine's state as bytes, noting that it covers the journal up to {@code coveredSeq}: taken
     * on the judge thread between two batches, written later by {@link #write}.
     */
    public static byte[] serialize(TriageEngine engine, long coveredSeq) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(1 << 16);
        synchronized (engine) {
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF(MAGIC);
                out.writeLong(coveredSeq);
                out.writeInt(engine.held.size());
                for (Map.Entry<String, List<TriageEngine.Held>> e : engine.held.entrySet()) {
                    str(out, e.getKey());
                    out.writeInt(e.getValue().size());
                    for (TriageEngine.Held h : e.getValue()) {
                        str(out, h.criterion.id());
                        time(out, h.start);
                        out.writeInt(h.step);
                        time(out, h.deadline);
                        strings(out, h.facts);
                        map(out, h.extracted);
                        event(out, h.event);
                    }
                }
                out.writeInt(engine.windows.size());
                for (Map.Entry<String, TriageEngine.Sightings> e : engine.windows.entrySet()) {
                    str(out, e.getKey());
                    out.writeInt(e.getValue().size());
                    for (TriageEngine.Sighting s : e.getValue()) {
                        time(out, s.time());
                        str(out, s.value());
                        out.writeLong(s.seq());
                    }
                }
                out.writeInt(engine.fired.size());
                for (Map.Entry<String, Instant> e : engine.fired.entrySet()) {
                    str(out, e.getKey());
                    time(out, e.getValue());
                }
                out.writeInt(engine.seen.size());
                for (Map.Entry<String, TriageEngine.Seen> e : engine.seen.entrySet()) {
                    str(out, e.getKey());
                    out.writeLong(e.getValue().seq());
                    time(out, e.getValue().time());
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e); // a ByteArrayOutputStream does not fail
            }
        }
        return bytes.toByteArray();
    }

    /**
     * Writes a serialized state to {@code file} so that a crash at any moment leaves the old state
     * or the new one, whole: a private temporary file, forced to disk, then renamed over the old.
     */
    public static void write(byte[] state, Path file) throws IOException {
        csirt.agent.PrivateFiles.directory(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(state);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp); // a full disk must not keep a half file
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** What a restore found: the journal sequence the state covers, and held events dropped. */
    public record Restored(long coveredSeq, int dropped) {
    }

    /**
     * Restores state saved by {@link #save} into a fresh engine. Held events of criteria that no
     * longer exist are dropped (counted) and the caller says so.
     */
    public static Restored restore(TriageEngine engine, Path file) throws IOException {
        int dropped = 0;
        long covered;
        try (InputStream is = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(is, 1 << 16))) {
            if (!MAGIC.equals(in.readUTF())) {
                throw new IOException(file + " is not a triage state file of this version");
            }
            covered = in.readLong();
            synchronized (engine) {
                int keys = in.readInt();
                for (int k = 0; k < keys; k++) {
                    String key = str(in);
                    int n = in.readInt();
                    for (int i = 0; i < n; i++) {
                        String id = str(in);
                        Instant start = time(in);
                        int step = in.readInt();
                        Instant deadline = time(in);
                        List<String> facts = strings(in);
                        Map<String, String> extracted = map(in);
                        Event e = event(in);
                        Criterion c = engine.criteria().byId(id);
                        if (c == null || c.hold() == null) {
                            dropped++;
                            continue;
                        }
                        engine.restoreHeld(new TriageEngine.Held(e, engine.assets().lookup(e.host(), e.fields().get("source.role")), c, facts, extracted,
                                start, step, deadline), key);
                    }
                }
                int windows = in.readInt();
                for (int w = 0; w < windows; w++) {
                    String key = str(in);
                    int n = in.readInt();
                    TriageEngine.Sightings d = new TriageEngine.Sightings();
                    for (int i = 0; i < n; i++) {
                        d.addLast(new TriageEngine.Sighting(time(in), str(in), in.readLong(), null));
                    }
                    engine.windows.put(key, d);
                }
                int fired = in.readInt();
                for (int i = 0; i < fired; i++) {
                    engine.fired.put(str(in), time(in));
                }
                int seen = in.readInt();
                for (int i = 0; i < seen; i++) {
                    String key = str(in);
                    engine.seen.put(key, new TriageEngine.Seen(in.readLong(), time(in)));
                }
            }
        }
        return new Restored(covered, dropped);
    }

    private static void event(DataOutputStream out, Event e) throws IOException {
        out.writeLong(e.seq());
        Receipt r = e.receipt();
        time(out, r.receivedAt());
        str(out, r.input());
        str(out, r.transport());
        str(out, r.peerAddress());
        out.writeInt(r.peerPort());
        str(out, e.format().name());
        out.writeInt(e.facility());
        out.writeInt(e.severity());
        out.writeBoolean(e.timestamp() != null);
        if (e.timestamp() != null) {
            time(out, e.timestamp());
        }
        for (String s : new String[] {e.host(), e.app(), e.procId(), e.msgId(), e.structuredData(), e.message(), e.text(),
                e.parseProblem()}) {
            str(out, s);
        }
        out.writeBoolean(e.av() != null);
        if (e.av() != null) {
            str(out, e.av().product());
            str(out, e.av().signature());
            str(out, e.av().path());
            str(out, e.av().action().name());
        }
        map(out, e.fields());
    }

    private static Event event(DataInputStream in) throws IOException {
        long seq = in.readLong();
        Receipt r = new Receipt(time(in), str(in), str(in), str(in), in.readInt());
        Format format = Format.valueOf(str(in));
        int facility = in.readInt();
        int severity = in.readInt();
        Instant ts = in.readBoolean() ? time(in) : null;
        String[] s = new String[8];
        for (int i = 0; i < s.length; i++) {
            s[i] = str(in);
        }
        AvAlert av = in.readBoolean() ? new AvAlert(str(in), str(in), str(in), AvAction.valueOf(str(in))) : null;
        Map<String, String> fields = map(in);
        return new Event(seq, r, format, facility, severity, ts, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], av, fields);
    }

    private static void str(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String str(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void time(DataOutputStream out, Instant t) throws IOException {
        out.writeLong(ChronoUnit.MICROS.between(Instant.EPOCH, t));
    }

    private static Instant time(DataInputStream in) throws IOException {
        return Instant.EPOCH.plus(in.readLong(), ChronoUnit.MICROS);
    }

    private static void strings(DataOutputStream out, List<String> l) throws IOException {
        out.writeInt(l.size());
        for (String s : l) {
            str(out, s);
        }
    }

    private static List<String> strings(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<String> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(str(in));
        }
        return l;
    }

    private static void map(DataOutputStream out, Map<String, String> m) throws IOException {
        out.writeInt(m.size());
        for (Map.Entry<String, String> e : m.entrySet()) {
            str(out, e.getKey());
            str(out, e.getValue());
        }
    }

    private static Map<String, String> map(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(str(in), str(in));
        }
        return Map.copyOf(m);
    }
}
