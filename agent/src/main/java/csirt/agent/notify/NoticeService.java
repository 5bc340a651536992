package csirt.agent.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import csirt.agent.cases.Acknowledgements;
import csirt.agent.cases.CaseChange;
import csirt.agent.cases.CaseEvent;
import csirt.agent.cases.CaseRecord;
import csirt.agent.cases.CaseStore;
import csirt.agent.cases.LegalClock;
import csirt.agent.cases.NoticeFactory;
import csirt.agent.cases.OutboxItem;
import csirt.agent.metrics.AgentMetrics;
import csirt.agent.triage.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What notices to send and when, and what became of them: writes opening and escalation notices
 * into the outbox with their case change; folds later events into updates at most every
 * {@code updateInterval} per case; holds level-1 updates back past an hourly cap (level 2 never)
 * and says so once with a warning; queues the daily digest; and records deliveries and failures.
 */
public final class NoticeService implements NoticeFactory {

    private static final Logger LOG = LoggerFactory.getLogger(NoticeService.class);

    private final CaseStore cases;
    private final NoticeComposer composer;
    private final NoticeFiles files;
    private final AgentMetrics metrics;
    private final LongSupplier headSeq;
    private final Supplier<String> headHash;
    private final Duration updateInterval;
    private final int hourlyCap;
    private final LocalTime digestTime;
    private final ZoneId zone;
    private final Duration alertAfter;
    private final Path digestMark;
    private final Deque<Instant> levelOneUpdates = new ArrayDeque<>();
    private Instant capWarnedAt;
    private final Map<String, LongAdder> levelZero = new ConcurrentHashMap<>();
    private final Map<String, String> levelZeroTitles = new ConcurrentHashMap<>();
    private Instant levelZeroSince = Instant.now();
    private volatile String lastError;

    public NoticeService(CaseStore cases, NoticeComposer composer, NoticeFiles files, AgentMetrics metrics, LongSupplier headSeq,
                         Supplier<String> headHash, Duration updateInterval, int hourlyCap, LocalTime digestTime, ZoneId zone,
                         Duration alertAfter, Path dataDir) {
        this.cases = cases;
        this.composer = composer;
        this.files = files;
        this.metrics = metrics;
        this.headSeq = headSeq;
        this.headHash = headHash;
        this.updateInterval = updateInterval;
        this.hourlyCap = hourlyCap;
        this.digestTime = digestTime;
        this.zone = zone;
        this.alertAfter = alertAfter;
        this.digestMark = dataDir.resolve("notices").resolve("last-digest");
    }

    public NoticeComposer composer() {
        return composer;
    }

    // ---- NoticeFactory: called by the case store inside its transaction -------------------------

    @Override
    public Queued caseChange(CaseChange change, List<CaseEvent> events) {
        return queued(composer.caseChange(change, events, headSeq.getAsLong(), headHash.get()));
    }

    @Override
    public Queued update(CaseRecord c, int newEvents, Instant since, List<CaseEvent> latest) {
        return queued(composer.update(c, null, newEvents, since, latest, headSeq.getAsLong(), headHash.get()));
    }

    private static Queued queued(Notice n) {
        return new Queued(n.kind(), n.level(), n.messageId(), NoticeComposer.bytes(n));
    }

    // ---- what happens to verdicts -----------------------------------------------------------------

    /** Counts a level-0 verdict for the daily digest. */
    public void countLevelZero(Verdict v) {
        if (v.level() == 0) {
            // by criterion; its title is kept once, for the digest's reader (「SYS-000 ログイン成功」). This runs
            // for nearly every event: a plain lookup first, so that the common case allocates nothing
            String key = v.criterionId() == null ? "一致する判定基準なし" : v.criterionId();
            LongAdder n = levelZero.get(key);
            if (n == null) {
                if (v.title() != null) {
                    levelZeroTitles.putIfAbsent(key, v.title());
                }
                n = levelZero.computeIfAbsent(key, k -> new LongAdder());
            }
            n.increment();
        }
    }

    // ---- storm control and the digest, called every minute ---------------------------------------

    /** Queues the updates that are due; level-1 updates beyond the hourly cap wait, with one warning. */
    public synchronized void queueUpdates(Instant now) {
        while (!levelOneUpdates.isEmpty() && levelOneUpdates.peekFirst().isBefore(now.minus(Duration.ofHours(1)))) {
            levelOneUpdates.removeFirst();
        }
        int held = 0;
        for (CaseRecord c : cases.dueForUpdate(now, updateInterval)) {
            if (c.level() < 2) {
                if (levelOneUpdates.size() >= hourlyCap) {
                    held++;
                    continue;
                }
                levelOneUpdates.addLast(now);
            }
            cases.queueUpdate(c.id(), this);
            metrics.noticeQueued("update");
        }
        if (held > 0 && (capWarnedAt == null || capWarnedAt.isBefore(now.minus(Duration.ofHours(1))))) {
            capWarnedAt = now;
            Notice w = composer.capWarning(hourlyCap, held);
            cases.outbox().add(0, w.kind(), w.level(), w.messageId(), NoticeComposer.bytes(w));
            metrics.noticeQueued("cap-warning");
            LOG.warn("The hourly cap of {} level-1 update notices is reached; {} case(s) wait; one warning queued to the PoC",
                    hourlyCap, held);
        }
    }

    private volatile Supplier<List<String>> neverSent = List::of;

    /** The inventory's assets that never sent a message (the digest names them once a day, plan 5(1)②). */
    public void neverSent(Supplier<List<String>> assets) {
        this.neverSent = assets;
    }

    private volatile Duration ackLevel2 = Duration.ofMinutes(15);
    private volatile Duration ackLevel1 = Duration.ofMinutes(240);

    /** How long a case may wait for a person's first step before the reporting chain is told again (notice.ack.*). */
    public void acknowledgeWithin(Duration level2, Duration level1) {
        this.ackLevel2 = level2;
        this.ackLevel1 = level1;
    }

    /**
     * Every minute, by the case writer: a level-2 case nobody has acted on within notice.ack.level2-minutes
     * is notified again to the CSIRT manager and the CSIRT responsible (未対応), and again each interval
     * until someone does; level-1 cases past notice.ack.level1-minutes go to the PoC together in one mail.
     */
    public synchronized void remindUnacknowledged(Instant now) {
        List<CaseRecord> levelOne = new ArrayList<>();
        for (Acknowledgements.Waiting w : cases.unacknowledged()) {
            CaseRecord c = w.caseRecord();
            Duration every = c.level() >= 2 ? ackLevel2 : ackLevel1;
            Instant since = w.remindedAt() != null ? w.remindedAt() : c.openedAt();
            if (Duration.between(since, now).compareTo(every) < 0) {
                continue;
            }
            if (c.level() >= 2) {
                Notice n = composer.unacknowledged(List.of(c), 2, now, every, w.reminders() + 1);
                cases.remind(List.of(c.id()), now, queued(n));
                metrics.noticeQueued("unacknowledged");
                LOG.warn("{} (level 2) has no person's step {} after it was opened: the CSIRT manager and responsible are told again",
                        c.displayId(), Duration.between(c.openedAt(), now));
            } else {
                levelOne.add(c);
            }
        }
        if (!levelOne.isEmpty()) {
            Notice n = composer.unacknowledged(levelOne, 1, now, ackLevel1, 1);
            cases.remind(levelOne.stream().map(CaseRecord::id).toList(), now, queued(n));
            metrics.noticeQueued("unacknowledged");
        }
    }

    /**
     * Every minute, by the case writer: a report to the Personal Information Protection Commission
     * that falls due soon (速報 from the third day, 確報 a week before) or is overdue (then once a day)
     * is reminded to the CSIRT manager and the CSIRT responsible, until a person records it as sent.
     */
    public synchronized void remindLegal(Instant now) {
        for (LegalClock.State s : cases.legalPending()) {
            for (LegalClock.Report r : LegalClock.Report.values()) {
                String tag = LegalClock.reminder(r, s, now, zone);
                if (tag == null) {
                    continue;
                }
                CaseRecord c = cases.find(s.caseId()).orElse(null);
                if (c == null) {
                    continue;
                }
                Notice n = composer.legal(c, s, r, tag.contains(":overdue:"));
                cases.remindLegal(c.id(), tag, queued(n));
                metrics.noticeQueued("legal");
                LOG.warn("{}: the {} to the Personal Information Protection Commission is {} ({})", c.displayId(), r.name().toLowerCase(
                        java.util.Locale.ROOT), tag.contains(":overdue:") ? "overdue" : "due soon", tag);
                s = cases.legal(c.id()).orElse(s);
            }
        }
    }

    /** Queues the daily digest once a day, at notice.digest.time. */
    public synchronized void digestIfDue(Instant now) {
        ZonedDateTime local = now.atZone(zone);
        if (local.toLocalTime().isBefore(digestTime)) {
            return;
        }
        LocalDate today = local.toLocalDate();
        if (today.toString().equals(lastDigest())) {
            return;
        }
        Map<String, Long> counts = new TreeMap<>();
        levelZero.forEach((k, v) -> counts.put(levelZeroTitles.containsKey(k) ? k + " " + levelZeroTitles.get(k) : k, v.sumThenReset()));
        Instant from = levelZeroSince;
        levelZeroSince = now;
        List<String> silentEver;
        try {
            silentEver = neverSent.get();
        } catch (RuntimeException e) {
            silentEver = List.of(); // the digest goes out without the coverage part rather than not at all
            LOG.warn("The digest's list of assets that never sent is left out: {}", e.getMessage());
        }
        Notice d = composer.digest(counts, cases.openCases(), cases.unacknowledged().stream().map(Acknowledgements.Waiting::caseRecord).toList(),
                silentEver, headSeq.getAsLong(), headHash.get(), from, now, cases.outbox().depth());
        cases.outbox().add(0, d.kind(), d.level(), d.messageId(), NoticeComposer.bytes(d));
        metrics.noticeQueued("digest");
        try {
            csirt.agent.PrivateFiles.directory(digestMark.getParent());
            Files.writeString(digestMark, today + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            LOG.warn("Cannot note the digest date in {}: {}", digestMark, e.toString());
        }
    }

    private String lastDigest() {
        try {
            return Files.readString(digestMark, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "";
        }
    }

    // ---- delivery bookkeeping ----------------------------------------------------------------------

    /**
     * Notices delivered whose outbox row could not be removed yet (the case database refused): they
     * are not delivered again, only their bookkeeping is retried. A restart in between may still
     * deliver one twice; nothing is lost either way.
     */
    private final Map<Long, Runnable> deliveredNotBooked = new ConcurrentHashMap<>();
    private volatile long lastRefusalLog;
    /** Notices one delivery pass claims: at the SMTP timeout each, a pass ends well within its claim. */
    private static final int CLAIM_BATCH = 10;
    private volatile String agentId = "local";
    private volatile Duration claimLease = Duration.ofMinutes(2);

    /** Who claims the notices of a delivery pass, and for how long (notice.claim-seconds). */
    public void claimAs(String agent, Duration lease) {
        this.agentId = agent;
        this.claimLease = lease;
    }

    /** The notices due now, none already delivered; empty while the case database refuses (the next pass tries again). */
    public List<OutboxItem> due(Instant now) {
        deliveredNotBooked.entrySet().removeIf(e -> booked(e.getValue()));
        try {
            return cases.outbox().claim(agentId, now, CLAIM_BATCH, claimLease).stream().filter(i -> !deliveredNotBooked.containsKey(i.id())).toList();
        } catch (IllegalStateException e) {
            refused("read the outbox", e);
            return List.of();
        }
    }

    private boolean booked(Runnable bookkeeping) {
        try {
            bookkeeping.run();
            return true;
        } catch (IllegalStateException e) {
            refused("record a delivered notice", e);
            return false;
        }
    }

    /** The case database refuses (a lock, a full disk): said once a minute, not once a pass. */
    private void refused(String what, RuntimeException e) {
        long now = System.currentTimeMillis();
        if (now - lastRefusalLog >= 60_000) {
            lastRefusalLog = now;
            LOG.warn("Cannot {} now ({}); notices wait in the outbox and are not sent twice", what, e.getMessage());
        }
    }

    /** The SMTP server accepted the notice, or it was written as a file: it leaves the outbox. */
    public void delivered(OutboxItem item, String channel, String how) {
        Runnable bookkeeping = () -> {
            cases.outbox().delivered(item.id());
            if (item.caseId() > 0) {
                cases.recordNotice(item.caseId(), item.messageId(), how);
            }
        };
        if (!booked(bookkeeping)) {
            deliveredNotBooked.put(item.id(), bookkeeping);
        }
        metrics.noticeSent(channel);
        if (item.attempts() > 0) {
            metrics.noticeRetried();
        }
        lastError = null;
        LOG.info("Notice {} ({}{}) delivered: {}", item.messageId(), item.kind(),
                item.caseId() > 0 ? ", case " + CaseRecord.displayId(item.caseId()) : "", how);
    }

    /** An attempt failed: retry later; past the alert time, keep a copy as a file and say so loudly. */
    public void failed(OutboxItem item, String reason) {
        Instant next;
        try {
            next = cases.outbox().failed(item.id(), item.attempts(), reason);
        } catch (IllegalStateException e) {
            refused("record a failed delivery", e);
            return; // the row stays due: the next pass tries again
        }
        metrics.noticeFailed("smtp");
        lastError = reason;
        boolean overdue = item.createdAt().isBefore(Instant.now().minus(alertAfter));
        if (overdue && !item.keptAsFile()) {
            try {
                Path f = files.write(item.caseId(), item.kind(), item.level(), item.createdAt(), item.messageId(), item.message(), "failed");
                cases.outbox().keptAsFile(item.id());
                if (item.caseId() > 0) {
                    cases.recordNoticeFailure(item.caseId(), "通知メールを " + alertAfter.toMinutes() + " 分以上送信できていません（"
                            + reason + "）。再送を続けます。控えを " + f.getFileName() + " として保存しました");
                }
                LOG.error("Notice {} could not be delivered for {} minutes ({}); still retrying; a copy is in {} to send by hand. "
                        + "Check mail.smtp.host and the mail server.", item.messageId(), alertAfter.toMinutes(), reason, f);
            } catch (IOException e) {
                LOG.error("Notice {} could not be delivered ({}) nor kept as a file ({})", item.messageId(), reason, e.toString());
            }
        } else {
            LOG.warn("Notice {} not delivered (attempt {}): {}; next attempt at {}", item.messageId(), item.attempts() + 1, reason, next);
        }
    }

    /** Null when the outbox is healthy, else why not: what health reports. */
    public String problem() {
        Instant oldest = cases.outbox().oldest();
        if (oldest == null || oldest.isAfter(Instant.now().minus(alertAfter))) {
            return null;
        }
        return cases.outbox().depth() + " notice(s) not delivered for over " + alertAfter.toMinutes() + " minutes (oldest since "
                + oldest + ")" + (lastError == null ? "" : "; last error: " + lastError);
    }
}
