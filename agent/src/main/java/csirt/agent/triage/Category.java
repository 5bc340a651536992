package csirt.agent.triage;

/** The plan's three incident categories (section 3), with their Japanese names. */
public enum Category {
    OUTAGE("outage", "情報システムの停止等"),
    CYBER("cyber", "サイバー攻撃"),
    THEFT("theft", "盗難又は紛失");

    private final String id;
    private final String japanese;

    Category(String id, String japanese) {
        this.id = id;
        this.japanese = japanese;
    }

    public String id() {
        return id;
    }

    public String japanese() {
        return japanese;
    }

    public static Category of(String id) {
        for (Category c : values()) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        return null;
    }

    /** Annex table 1 level names. */
    public static String levelJapanese(int level) {
        return switch (level) {
            case 0 -> "インシデントとはみなさない";
            case 1 -> "軽微なインシデント";
            case 2 -> "重大なインシデント";
            default -> "不明";
        };
    }
}
