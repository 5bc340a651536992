package csirt.agent.cli;

import java.util.concurrent.Callable;

import csirt.agent.config.AgentConfig;
import csirt.agent.config.ConfigException;
import csirt.agent.config.ConfigProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code check-config}: lists every problem of the configuration, exits non-zero if there is one. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Check application.properties, criteria, assets, contacts and routes; list every problem.")
public final class CheckConfigCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    /**
     * The criteria with a match or release condition on one of {@code yields} (see
     * {@link csirt.agent.parse.products.ProductReader#yields}): a field, a prefix ending in ".",
     * "field=v1,v2" for a condition on one of those values, or "criteria=ID,ID" naming them.
     */
    static java.util.List<String> judging(csirt.agent.triage.CriteriaSet set, java.util.List<String> yields) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (csirt.agent.triage.Criterion cr : set.criteria()) {
            java.util.List<csirt.agent.triage.Condition> all = new java.util.ArrayList<>(cr.match());
            if (cr.hold() != null) {
                all.addAll(cr.hold().releasedBy());
            }
            boolean named = yields.stream().anyMatch(y -> y.startsWith("criteria=") && java.util.List.of(y.substring(9).split(",")).contains(cr.id()));
            if (!cr.status().equals("experimental") && (named || all.stream().anyMatch(cond -> yields.stream().anyMatch(y -> uses(cond, y))))) {
                out.add(cr.id());
            }
        }
        return out;
    }

    private static boolean uses(csirt.agent.triage.Condition cond, String yield) {
        if (yield.endsWith(".")) {
            return cond.field().startsWith(yield);
        }
        int eq = yield.indexOf('=');
        if (yield.startsWith("criteria=")) {
            return false;
        }
        if (eq < 0) {
            return cond.field().equals(yield);
        }
        if (!cond.field().equals(yield.substring(0, eq))) {
            return false;
        }
        java.util.List<String> values = java.util.List.of(yield.substring(eq + 1).split(","));
        return cond.op() == csirt.agent.triage.Condition.Op.ANY_OF ? cond.values().stream().anyMatch(values::contains)
                : cond.op() == csirt.agent.triage.Condition.Op.EXISTS;
    }

    @Override
    public Integer call() {
        try {
            AgentConfig c = AgentConfig.load(options.config());
            for (String w : c.warnings()) {
                System.out.println("warning: " + w);
            }
            System.out.println("OK: " + options.config() + " — " + c.criteria().criteria().size() + " criteria (set "
                    + c.criteria().hash() + "), " + c.assets().size() + " assets, routes in " + c.routesDir());
            System.out.println("Products read, and the criteria that judge their records:");
            for (csirt.agent.parse.products.ProductReader r : csirt.agent.parse.products.Products.ALL) {
                java.util.List<String> ids = judging(c.criteria(), r.yields());
                System.out.println("  " + String.format("%-16s", r.id()) + " " + r.name() + "\n" + " ".repeat(19)
                        + (ids.isEmpty() ? "(no active criterion reads these records)" : String.join(", ", ids)));
            }
            return 0;
        } catch (ConfigException e) {
            for (ConfigProblem p : e.problems()) {
                System.out.println(p);
            }
            System.out.println(e.problems().size() + " problem(s) found in " + options.config());
            return 1;
        }
    }
}
