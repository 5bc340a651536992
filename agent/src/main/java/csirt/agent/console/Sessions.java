package csirt.agent.console;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console sessions, in memory (a restart logs everyone out): a random id in an HttpOnly,
 * SameSite=Strict cookie, a CSRF token every form carries, an idle timeout; and the throttle that
 * locks a user name for a while after repeated wrong passwords.
 */
final class Sessions {

    /** One signed-in person. */
    static final class Session {
        final String id;
        final Accounts.Account account;
        final String csrf;
        volatile Instant lastUsed;
        volatile String flash;

        Session(String id, Accounts.Account account, String csrf, Instant now) {
            this.id = id;
            this.account = account;
            this.csrf = csrf;
            this.lastUsed = now;
        }
    }

    static final int MAX_SESSIONS = 1000;
    static final int MAX_FAILURES = 5;
    static final Duration LOCK = Duration.ofMinutes(15);

    private final Duration idle;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    private record Failures(int count, Instant first) {
    }

    Sessions(Duration idle) {
        this.idle = idle;
    }

    Session create(Accounts.Account account, Instant now) {
        expire(now);
        if (sessions.size() >= MAX_SESSIONS) {
            // the oldest goes: a flood of logins cannot grow memory without bound
            sessions.values().stream().min((a, b) -> a.lastUsed.compareTo(b.lastUsed)).ifPresent(s -> sessions.remove(s.id));
        }
        Session s = new Session(token(), account, token(), now);
        sessions.put(s.id, s);
        return s;
    }

    Optional<Session> get(String id, Instant now) {
        Session s = id == null ? null : sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (s.lastUsed.plus(idle).isBefore(now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        s.lastUsed = now;
        return Optional.of(s);
    }

    void end(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** True while {@code name} is locked after {@link #MAX_FAILURES} wrong passwords within {@link #LOCK}. */
    boolean locked(String name, Instant now) {
        Failures f = failures.get(name);
        if (f == null) {
            return false;
        }
        if (f.first().plus(LOCK).isBefore(now)) {
            failures.remove(name);
            return false;
        }
        return f.count() >= MAX_FAILURES;
    }

    void failed(String name, Instant now) {
        failures.merge(name, new Failures(1, now), (a, b) -> a.first().plus(LOCK).isBefore(now) ? b : new Failures(a.count() + 1, a.first()));
        if (failures.size() > 10_000) {
            failures.clear(); // names typed at random must not grow memory either
        }
    }

    void succeeded(String name) {
        failures.remove(name);
    }

    private void expire(Instant now) {
        sessions.values().removeIf(s -> s.lastUsed.plus(idle).isBefore(now));
    }

    private String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
