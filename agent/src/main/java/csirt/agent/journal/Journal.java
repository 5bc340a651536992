package csirt.agent.journal;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only, hash-chained evidence journal: every received message is written here, as
 * the exact bytes received, before anything else looks at it.
 *
 * <p>Appends are batched: one call writes all records of a batch with one write system call
 * and forces them to disk at most every {@code fsyncIntervalMillis} (group commit). A process
 * crash loses nothing written; a power failure loses at most the last interval.
 */
public final class Journal implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    static final String SEGMENT = "segment-00000000000000000001.csj";
    static final String LOCK = "journal.lock";
    /**
     * The journal directories this process holds. On Linux a process's fcntl lock on a file is
     * dropped when it closes <em>any</em> descriptor of that file, so a second look at our own lock
     * file (verification asking "is it live?") would silently hand the journal to a second agent:
     * the answer for our own journals comes from here, never from opening the file again.
     */
    private static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Path dir;
    private Path file;
    private FileChannel channel;
    private long segmentFirstSeq;
    private byte[] segmentPrevHash;
    private byte[] segmentFirstHash;
    private Instant segmentOpenedAt;
    private long segmentMaxBytes = Long.MAX_VALUE;
    private java.time.Duration segmentMaxAge;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final long fsyncIntervalMillis;
    private final LongSupplier clockMillis;
    private final MessageDigest digest = JournalFormat.sha256();
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private long lastSeq;
    private byte[] lastHash;
    private long lastSyncMillis;
    private boolean dirty;
    private long unsyncedRecords;
    private long fsyncEveryRecords;
    private long recoveredTornBytes;
    private volatile String lastError;
    private long bytesWritten;
    private long fsyncs;
    private long fsyncNanos;

    private Journal(Path dir, long fsyncIntervalMillis, LongSupplier clockMillis) throws IOException {
        this.dir = dir;
        this.fsyncIntervalMillis = fsyncIntervalMillis;
        this.clockMillis = clockMillis;
        createPrivateDirectory(dir);
        if (HELD.contains(key(dir))) {
            throw new IOException("The journal in " + dir + " is in use by another csirt-agent in this process: "
                    + "give each agent its own --data directory.");
        }
        createPrivateFile(dir.resolve(LOCK));
        this.lockChannel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IOException("The journal in " + dir + " is in use by another csirt-agent process: "
                    + "stop it first, or give this one its own --data directory.");
        }
        this.lock = l;
        HELD.add(key(dir));
        List<Path> existing = segments(dir);
        Path last = existing.isEmpty() ? dir.resolve(SEGMENT) : existing.get(existing.size() - 1);
        long recovered = 0;
        if (Files.exists(SegmentManifest.pathFor(last))) {
            // The last segment is sealed: appending goes on in a new one after it.
            SegmentManifest m = SegmentManifest.read(SegmentManifest.pathFor(last));
            this.lastSeq = m.lastSeq();
            this.lastHash = HexFormat.of().parseHex(m.lastHash());
            startSegment();
        } else {
            this.file = last;
            createPrivateFile(file);
            JournalScanner.Tail tail = JournalScanner.scanTail(file);
            this.channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
            if (tail.validLength() < channel.size()) {
                // A torn last record: the process died in the middle of a write. Cut back to the last
                // whole record; the chain continues from it (docs/JOURNAL.md, "Crash recovery").
                recovered = channel.size() - tail.validLength();
                LOG.warn("Journal {}: cut a torn last record of {} bytes after seq {} (the agent stopped mid-write)",
                        file, recovered, tail.lastSeq());
                channel.truncate(tail.validLength());
                channel.force(true);
            }
            channel.position(tail.validLength());
            this.segmentFirstSeq = firstSeqOf(file);
            // the chain enters this segment from the sealed one before it, if any
            SegmentManifest prev = existing.size() > 1 ? SegmentManifest.read(SegmentManifest.pathFor(existing.get(existing.size() - 2))) : null;
            this.segmentPrevHash = prev == null ? JournalFormat.GENESIS_HASH : HexFormat.of().parseHex(prev.lastHash());
            if (tail.lastSeq() > 0) {
                this.lastSeq = tail.lastSeq();
                this.lastHash = tail.lastHash();
                this.segmentFirstHash = tail.firstHash();
            } else {
                this.lastSeq = prev == null ? 0 : prev.lastSeq();
                this.lastHash = segmentPrevHash;
            }
            this.segmentOpenedAt = tail.lastSeq() > 0
                    ? Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).creationTime().toInstant()
                    : Instant.ofEpochMilli(clockMillis.getAsLong());
        }
        this.recoveredTornBytes = recovered;
        this.lastSyncMillis = clockMillis.getAsLong();
    }

    /** Starts a new segment for the record after {@code lastSeq}. */
    private void startSegment() throws IOException {
        this.segmentFirstSeq = lastSeq + 1;
        this.file = dir.resolve(String.format("segment-%020d.csj", segmentFirstSeq));
        createPrivateFile(file);
        this.channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
        channel.position(channel.size());
        this.segmentPrevHash = lastHash;
        this.segmentFirstHash = null;
        this.segmentOpenedAt = java.time.Instant.ofEpochMilli(clockMillis.getAsLong());
    }

    /** Group commit: also fsync once this many records are unsynced (0: by time only). */
    public synchronized void fsyncEvery(long records) {
        this.fsyncEveryRecords = records;
    }

    /** Rotates to a new segment at {@code maxBytes} or {@code maxAge}, whichever comes first. */
    public synchronized void rotateAt(long maxBytes, java.time.Duration maxAge) {
        this.segmentMaxBytes = maxBytes;
        this.segmentMaxAge = maxAge;
    }

    private boolean rotationDue() throws IOException {
        if (lastSeq < segmentFirstSeq) {
            return false; // nothing in this segment yet
        }
        if (channel.size() >= segmentMaxBytes) {
            return true;
        }
        return segmentMaxAge != null
                && java.time.Instant.ofEpochMilli(clockMillis.getAsLong()).isAfter(segmentOpenedAt.plus(segmentMaxAge));
    }

    /**
     * Closes the current segment and seals it: fsync, a manifest with its first and last records
     * and the SHA-256 of the file, both made read-only; appending goes on in a new segment.
     */
    public synchronized void seal() throws IOException {
        if (lastSeq < segmentFirstSeq) {
            return;
        }
        force();
        long bytes = channel.size();
        channel.close();
        SegmentManifest m = new SegmentManifest(file.getFileName().toString(), segmentFirstSeq, lastSeq, lastSeq - segmentFirstSeq + 1,
                HexFormat.of().formatHex(segmentPrevHash), HexFormat.of().formatHex(segmentFirstHash), headHashHex(), bytes,
                SegmentManifest.sha256(file), java.time.Instant.ofEpochMilli(clockMillis.getAsLong()));
        Path manifest = SegmentManifest.pathFor(file);
        m.write(manifest);
        readOnly(file);
        readOnly(manifest);
        LOG.info("Journal segment {} sealed: seq {}..{}, sha256 {}", file.getFileName(), m.firstSeq(), m.lastSeq(), m.sha256());
        startSegment();
    }

    private static void readOnly(Path p) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("r--------"));
        } catch (IOException | UnsupportedOperationException e) {
            p.toFile().setReadOnly();
        }
    }

    private static long firstSeqOf(Path segment) {
        String n = segment.getFileName().toString();
        try {
            return Long.parseLong(n.substring("segment-".length(), n.length() - ".csj".length()));
        } catch (RuntimeException e) {
            return 1;
        }
    }

    /** Opens (creating if needed) the journal in {@code dir} for appending; only one process may. */
    public static Journal open(Path dir, long fsyncIntervalMillis) throws IOException {
        return new Journal(dir, fsyncIntervalMillis, System::currentTimeMillis);
    }

    /** As {@link #open(Path, long)} with the given clock (tests of time-based rotation). */
    static Journal open(Path dir, long fsyncIntervalMillis, LongSupplier clockMillis) throws IOException {
        return new Journal(dir, fsyncIntervalMillis, clockMillis);
    }

    /** The segment files of a journal directory, oldest first. */
    public static List<Path> segments(Path dir) {
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("segment-") && n.endsWith(".csj");
            }).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Appends the entries in order, as one write, and returns the sequence number of the first;
     * the others follow consecutively.
     */
    public synchronized long append(List<JournalEntry> entries) {
        if (entries.isEmpty()) {
            return lastSeq + 1;
        }
        try {
            if (rotationDue()) {
                seal();
            }
        } catch (IOException e) {
            lastError = e.getMessage();
            throw new UncheckedIOException("Cannot seal the journal segment " + file + ": " + e.getMessage(), e);
        }
        long first = lastSeq + 1;
        int size = 0;
        // the entries of a batch share one receipt: its fields are encoded once
        JournalFormat.EncodedReceipt[] encoded = new JournalFormat.EncodedReceipt[entries.size()];
        JournalFormat.EncodedReceipt last = null;
        for (int i = 0; i < entries.size(); i++) {
            JournalEntry e = entries.get(i);
            if (last == null || last.receipt() != e.receipt()) {
                last = JournalFormat.EncodedReceipt.of(e.receipt());
            }
            encoded[i] = last;
            size += JournalFormat.PREFIX_BYTES + JournalFormat.bodySize(last, e.payload()) + JournalFormat.HASH_BYTES;
        }
        if (buffer.capacity() < size) {
            buffer = ByteBuffer.allocateDirect(Integer.highestOneBit(size) << 1);
        }
        buffer.clear();
        long seq = lastSeq;
        byte[] hash = lastHash;
        byte[] firstHash = null;
        for (int i = 0; i < entries.size(); i++) {
            JournalEntry e = entries.get(i);
            seq++;
            hash = JournalFormat.write(buffer, digest, hash, seq, encoded[i], e.flags(), e.payload());
            if (firstHash == null) {
                firstHash = hash;
            }
        }
        buffer.flip();
        long start = 0;
        try {
            start = channel.position();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            dirty = true;
            unsyncedRecords += entries.size();
            bytesWritten += size;
            maybeSync();
            lastError = null;
        } catch (IOException e) {
            // Nothing of this batch counts as journaled: cut what part of it reached the file, so the
            // journal never holds a partial record, and the caller must not acknowledge it.
            lastError = e.getMessage();
            try {
                channel.truncate(start);
                channel.position(start);
            } catch (IOException ignored) {
                // the start-up scan cuts a torn tail if this did not
            }
            throw new UncheckedIOException("Cannot append to the journal " + file
                    + ": check free disk space and permissions of the data directory", e);
        }
        if (segmentFirstHash == null) {
            segmentFirstHash = firstHash;
        }
        lastSeq = seq;
        lastHash = hash;
        return first;
    }

    private void maybeSync() throws IOException {
        long now = clockMillis.getAsLong();
        if (fsyncIntervalMillis <= 0 || now - lastSyncMillis >= fsyncIntervalMillis
                || (fsyncEveryRecords > 0 && unsyncedRecords >= fsyncEveryRecords)) {
            force();
            lastSyncMillis = now;
            dirty = false;
        }
    }

    private void force() throws IOException {
        long t = System.nanoTime();
        unsyncedRecords = 0;
        channel.force(false);
        fsyncNanos += System.nanoTime() - t;
        fsyncs++;
    }

    /** Forces what was appended to disk; called by a timer so an idle journal is not left unsynced. */
    public synchronized void sync() {
        try {
            if (rotationDue()) {
                seal();
                return;
            }
        } catch (IOException e) {
            lastError = e.getMessage();
            throw new UncheckedIOException("Cannot seal the journal segment " + file + ": " + e.getMessage(), e);
        }
        if (!dirty) {
            return;
        }
        try {
            force();
            lastSyncMillis = clockMillis.getAsLong();
            dirty = false;
        } catch (IOException e) {
            lastError = e.getMessage();
            throw new UncheckedIOException("Cannot fsync the journal " + file, e);
        }
    }

    public synchronized long lastSeq() {
        return lastSeq;
    }

    /** The chain head: the hash of the last record, hex; what a notice prints as the outside witness. */
    public synchronized String headHashHex() {
        return HexFormat.of().formatHex(lastHash);
    }

    /**
     * This journal's identity, made once at creation ({@code journal.id}): agents that share a case
     * database tell their sequence numbers apart by it.
     */
    public String id() throws IOException {
        Path f = dir.resolve("journal.id");
        if (!Files.exists(f)) {
            createPrivateFile(f);
            Files.writeString(f, java.util.UUID.randomUUID() + "\n", java.nio.charset.StandardCharsets.US_ASCII);
        }
        return Files.readString(f, java.nio.charset.StandardCharsets.US_ASCII).strip();
    }

    /** Why the last write or fsync failed, or null when the last one succeeded. */
    public String lastError() {
        return lastError;
    }

    public synchronized long bytesWritten() {
        return bytesWritten;
    }

    public synchronized long fsyncs() {
        return fsyncs;
    }

    public synchronized double fsyncSeconds() {
        return fsyncNanos / 1e9;
    }

    /** How many segment files the journal has (rotation comes with the evidence issue: one for now). */
    public int segmentCount() {
        return segments(file.getParent()).size();
    }

    /** Bytes cut from a torn last record when the journal was opened (0 normally). */
    public long recoveredTornBytes() {
        return recoveredTornBytes;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (channel.isOpen()) {
                channel.force(true);
                channel.close();
            }
        } finally {
            HELD.remove(key(dir));
            lock.release();
            lockChannel.close();
        }
    }

    private static Path key(Path dir) {
        return dir.toAbsolutePath().normalize();
    }

    /** True when a running agent (this process or another) holds the journal of {@code dir}. */
    public static boolean inUse(Path dir) {
        if (HELD.contains(key(dir))) {
            return true; // ours: opening the lock file again would drop our own lock (see HELD)
        }
        Path lockFile = dir.resolve(LOCK);
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void createPrivateDirectory(Path dir) throws IOException {
        csirt.agent.PrivateFiles.directory(dir); // an existing one is made 0700 too
    }

    static void createPrivateFile(Path f) throws IOException {
        try {
            Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // appending to an existing segment
        } catch (UnsupportedOperationException e) {
            if (!Files.exists(f)) {
                Files.createFile(f);
            }
        }
    }
}
