package csirt.agent.health;

import java.util.List;
import java.util.function.Supplier;

/** One concern of readiness: why the agent is not ready in that respect, one sentence each; empty when it is. */
@FunctionalInterface
public interface ReadinessCheck {

    List<String> problems();

    /** A check whose problem is a sentence or null, e.g. the last reload's refusal. */
    static ReadinessCheck of(String area, Supplier<String> problem) {
        return () -> {
            String p = problem.get();
            return p == null ? List.of() : List.of(area + ": " + p);
        };
    }
}
