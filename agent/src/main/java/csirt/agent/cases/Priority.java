package csirt.agent.cases;

/**
 * The priority of a case (plan 4(2)②(II): by the damage and the scope of impact), P1 first:
 * points = 4 × level + scope (1 one user, 2 some staff, 3 all staff and services)
 *        + criticality (2 high, 0 otherwise) + (distinct hosts − 1, at most 4);
 * P1 from 13 points, P2 from 9, P3 from 6, else P4. A level-2 case on a service everyone uses is
 * P1, on one terminal P2; a level-1 infection of one terminal is P4, on five hosts P2.
 */
public final class Priority {

    private Priority() {
    }

    public static int of(int level, String affects, String criticality, int hosts) {
        int scope = switch (affects == null ? "" : affects) {
            case "all" -> 3;
            case "some-staff" -> 2;
            default -> 1;
        };
        int crit = "high".equalsIgnoreCase(criticality) ? 2 : 0;
        int points = 4 * level + scope + crit + Math.min(Math.max(hosts, 1) - 1, 4);
        return points >= 13 ? 1 : points >= 9 ? 2 : points >= 6 ? 3 : 4;
    }
}
