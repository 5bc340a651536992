package csirt.agent.health;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Whether the agent is ready (/health/ready, {@code csirt_ready}): the problems of every check, in
 * the order the checks were added. Checks are added while the agent is built; the inputs' check
 * last, once Camel runs.
 */
public final class Readiness {

    private final List<ReadinessCheck> checks = new CopyOnWriteArrayList<>();

    public Readiness add(ReadinessCheck check) {
        checks.add(check);
        return this;
    }

    /** Every problem, one sentence each; empty when ready. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        for (ReadinessCheck c : checks) {
            out.addAll(c.problems());
        }
        return out;
    }
}
