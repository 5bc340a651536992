package csirt.agent.cases;

import java.time.Instant;

/**
 * One line of a case's time-ordered record (plan 4(2)①: from reception, everything that happens
 * and everything CSIRT does is recorded in time order).
 *
 * @param kind  received, triaged, opened, attached, escalated, notified, notice-failed, ...
 * @param actor {@code agent} for automatic steps, a person's name for human ones
 */
public record TimelineEntry(Instant at, String kind, String actor, String text) {
}
