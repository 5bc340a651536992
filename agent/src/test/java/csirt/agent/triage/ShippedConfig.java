package csirt.agent.triage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import csirt.agent.asset.AssetInventory;
import csirt.agent.config.ConfigProblem;

/** The criteria and assets that ship in config/, as the tests load them (what ships is what is tested). */
public final class ShippedConfig {

    public static final Path CONFIG = Path.of("config");

    private ShippedConfig() {
    }

    public static CriteriaSet criteria() {
        List<ConfigProblem> problems = new ArrayList<>();
        CriteriaSet set = CriteriaSet.load(CONFIG.resolve("criteria"), problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("shipped criteria have problems: " + problems);
        }
        return set;
    }

    public static AssetInventory assets() {
        List<ConfigProblem> problems = new ArrayList<>();
        AssetInventory a = AssetInventory.load(CONFIG.resolve("assets.yaml"), problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("shipped assets have problems: " + problems);
        }
        return a;
    }
}
