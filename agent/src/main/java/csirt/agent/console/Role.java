package csirt.agent.console;

import java.util.Locale;

/** What a console account may do: viewers read cases, handlers also act on them, managers do everything. */
public enum Role {
    VIEWER("閲覧者"), HANDLER("対応者"), MANAGER("管理者");

    private final String japanese;

    Role(String japanese) {
        this.japanese = japanese;
    }

    public String japanese() {
        return japanese;
    }

    /** True when this role may change a case (state, note, assignment). */
    public boolean mayAct() {
        return this != VIEWER;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code id} (viewer, handler, manager), or null. */
    public static Role of(String id) {
        for (Role r : values()) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        return null;
    }
}
