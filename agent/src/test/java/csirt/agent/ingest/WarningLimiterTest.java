package csirt.agent.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class WarningLimiterTest {

    @Test
    void a_flood_of_refusals_writes_twenty_a_minute_then_says_how_many_were_left_out() {
        Logger log = (Logger) LoggerFactory.getLogger("test.warning-limiter");
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        log.addAppender(seen);
        long t0 = 1_000L * 60_000; // the start of a minute
        for (int i = 0; i < 500; i++) {
            WarningLimiter.warnAt(t0 + i, log, "flood-test", "Input {}: refused {}", "flood-test", "peer-" + i);
        }
        assertThat(seen.list).hasSize(WarningLimiter.PER_MINUTE);
        WarningLimiter.warnAt(t0 + 60_000, log, "flood-test", "Input {}: refused {}", "flood-test", "next");
        assertThat(seen.list).hasSize(WarningLimiter.PER_MINUTE + 2);
        assertThat(seen.list.get(WarningLimiter.PER_MINUTE).getFormattedMessage())
                .isEqualTo("Input flood-test: 480 more warnings like the ones below were left out of the log in the last minute (see the metrics)");
        assertThat(seen.list.get(WarningLimiter.PER_MINUTE + 1).getFormattedMessage()).isEqualTo("Input flood-test: refused next");
    }
}
