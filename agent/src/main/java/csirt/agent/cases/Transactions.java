package csirt.agent.cases;

import java.sql.Connection;
import java.sql.SQLException;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The one way the case store and the outbox talk to the database: a write is one transaction under
 * the store's write lock (the agent's writers take turns in the process instead of meeting in the
 * database, where SQLite's busy handler would make one sleep in growing steps), committed whole or
 * rolled back whole; a connection a failed transaction went through is not used again.
 */
final class Transactions {

    /** Work on one connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final HikariDataSource ds;
    private final Object writeLock = new Object();

    Transactions(HikariDataSource ds) {
        this.ds = ds;
    }

    /** Runs {@code work} in one transaction; {@code what} completes "Cannot ..." when the database refuses. */
    <T> T write(String what, Work<T> work) {
        synchronized (writeLock) {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T out = work.run(c);
                    c.commit();
                    return out;
                } catch (SQLException | RuntimeException e) {
                    rollback(c, e);
                    throw e;
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot " + what + ": " + e.getMessage(), e);
            }
        }
    }

    /** Reads on a connection of its own, outside any transaction and without the write lock. */
    <T> T read(String what, Work<T> work) {
        try (Connection c = ds.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Rolls back after {@code cause}, keeping {@code cause} as the error: SQLite has already rolled
     * back a transaction that failed on a full disk, and "no transaction is active" must not hide why.
     */
    private void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        // after SQLITE_FULL the driver can be left believing a transaction is open, and every later
        // commit on that connection would fail
        ds.evictConnection(c);
    }

    void close() {
        ds.close();
    }
}
