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

    private final Path file;
    private final FileChannel channel;
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
    private final long recoveredTornBytes;
    private volatile String lastError;
    private long bytesWritten;
    private long fsyncs;
    private long fsyncNanos;

    private Journal(Path dir, long fsyncIntervalMillis, LongSupplier clockMillis) throws IOException {
        this.fsyncIntervalMillis = fsyncIntervalMillis;
        this.clockMillis = clockMillis;
        createPrivateDirectory(dir);
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
        this.file = dir.resolve(SEGMENT);
        createPrivateFile(file);
        JournalScanner.Tail tail = JournalScanner.scanTail(file);
        this.channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
        if (tail.validLength() < channel.size()) {
            // A torn last record: the process died in the middle of a write. Cut back to the last
            // whole record; the chain continues from it (docs/JOURNAL.md, "Crash recovery").
            this.recoveredTornBytes = channel.size() - tail.validLength();
            LOG.warn("Journal {}: cut a torn last record of {} bytes after seq {} (the agent stopped mid-write)",
                    file, recoveredTornBytes, tail.lastSeq());
            channel.truncate(tail.validLength());
            channel.force(true);
        } else {
            this.recoveredTornBytes = 0;
        }
        channel.position(tail.validLength());
        this.lastSeq = tail.lastSeq();
        this.lastHash = tail.lastHash();
        this.lastSyncMillis = clockMillis.getAsLong();
    }

    /** Opens (creating if needed) the journal in {@code dir} for appending; only one process may. */
    public static Journal open(Path dir, long fsyncIntervalMillis) throws IOException {
        return new Journal(dir, fsyncIntervalMillis, System::currentTimeMillis);
    }

    /** The segment files of a journal directory, oldest first. */
    public static List<Path> segments(Path dir) {
        Path f = dir.resolve(SEGMENT);
        return Files.exists(f) ? List.of(f) : List.of();
    }

    /**
     * Appends the entries in order, as one write, and returns the sequence number of the first;
     * the others follow consecutively.
     */
    public synchronized long append(List<JournalEntry> entries) {
        if (entries.isEmpty()) {
            return lastSeq + 1;
        }
        long first = lastSeq + 1;
        int size = 0;
        for (JournalEntry e : entries) {
            size += JournalFormat.PREFIX_BYTES + JournalFormat.bodySize(e.receipt(), e.payload()) + JournalFormat.HASH_BYTES;
        }
        if (buffer.capacity() < size) {
            buffer = ByteBuffer.allocateDirect(Integer.highestOneBit(size) << 1);
        }
        buffer.clear();
        long seq = lastSeq;
        byte[] hash = lastHash;
        for (JournalEntry e : entries) {
            seq++;
            hash = JournalFormat.write(buffer, digest, hash, seq, e.receipt(), e.flags(), e.payload());
        }
        buffer.flip();
        long start = 0;
        try {
            start = channel.position();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            dirty = true;
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
        lastSeq = seq;
        lastHash = hash;
        return first;
    }

    private void maybeSync() throws IOException {
        long now = clockMillis.getAsLong();
        if (fsyncIntervalMillis <= 0 || now - lastSyncMillis >= fsyncIntervalMillis) {
            force();
            lastSyncMillis = now;
            dirty = false;
        }
    }

    private void force() throws IOException {
        long t = System.nanoTime();
        channel.force(false);
        fsyncNanos += System.nanoTime() - t;
        fsyncs++;
    }

    /** Forces what was appended to disk; called by a timer so an idle journal is not left unsynced. */
    public synchronized void sync() {
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
        return java.util.HexFormat.of().formatHex(lastHash);
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
            lock.release();
            lockChannel.close();
        }
    }

    /** True when a running agent holds the journal of {@code dir}. */
    public static boolean inUse(Path dir) {
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
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        }
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
