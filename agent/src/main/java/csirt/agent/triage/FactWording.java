package csirt.agent.triage;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import csirt.agent.asset.Asset;

/**
 * The facts of a verdict as a person reads them: 「30秒以内に駆除の記録なし」 instead of
 * {@code not released within 30s}, 「資産の役割: サーバ」 instead of {@code asset.role=server}, a
 * pattern's match as the line's words without the pattern. The engine writes its facts in one fixed
 * technical form (kept for tuning in {@code cases show} and the console); this reads that form back,
 * with the field and value names of {@code wording.properties}.
 */
public final class FactWording {

    private static final Properties WORDS = load();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

    private static final Pattern REGEX = Pattern.compile("^([a-z][\\w.]*) ~ /.*/: (.*)$", Pattern.DOTALL);
    private static final Pattern NONE_OF = Pattern.compile("^([a-z][\\w.]*)=(.*) \\(not [^)]*\\)$");
    private static final Pattern ABSENT = Pattern.compile("^[a-z][\\w.]* absent$");
    private static final Pattern EQUALS = Pattern.compile("^([a-z][\\w.]*)=(.*)$", Pattern.DOTALL);
    private static final Pattern WINDOW = Pattern.compile(
            "^(events|(\\S+) distinct)=(\\d+)(?: \\((.*)\\))? within (\\S+)(?: for (.+))? \\(threshold (\\d+)\\)$");
    private static final Pattern NOT_RELEASED = Pattern.compile("^not released within (\\S+)$");
    private static final Pattern STILL = Pattern.compile("^still not released after (\\S+)$");
    private static final Pattern RELEASED = Pattern.compile("^released by seq (\\d+) after (\\S+): .*$", Pattern.DOTALL);
    private static final Pattern REPEAT = Pattern.compile("^repeat of seq (\\d+) within (\\S+)$");
    private static final Pattern EARLY = Pattern.compile("^decided early: too many events held \\((\\d+)\\)$");
    private static final Pattern AFTER = Pattern.compile("^after (\\S+) for the same (.+) at (\\S+) \\(within (\\S+)\\)$");
    private static final Pattern HANDLER = Pattern.compile("^the handler's decision on a report from (\\S+)$");
    private static final Pattern DURATION = Pattern.compile("^(\\d+)(h|min|s)$");
    /** Where one fact of a stored "; "-joined list begins (a value may itself hold "; "). */
    private static final Pattern FACT_START = Pattern.compile(
            "^([a-z][\\w.]*( ~ /|=| absent$)|\\S+ distinct=|events=|not released |still not released |released by seq |repeat of seq "
                    + "|decided early: |after \\S+ for the same |the handler's decision )");

    private FactWording() {
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = FactWording.class.getResourceAsStream("wording.properties")) {
            if (in == null) {
                throw new IllegalStateException("wording.properties is missing from the jar");
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read wording.properties: " + e.getMessage(), e);
        }
        return p;
    }

    /** The sentences for a verdict's facts, in order; facts with nothing to tell a person (an absent field) are left out. */
    public static List<String> sentences(List<String> facts, String category, ZoneId zone) {
        List<String> out = new ArrayList<>(facts.size());
        for (String f : facts) {
            String s = sentence(f, category, zone);
            if (s != null && !out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** As {@link #sentences(List, String, ZoneId)} for facts as a case stores them, joined with "; ". */
    public static List<String> sentences(String joined, String category, ZoneId zone) {
        return joined == null || joined.isBlank() ? List.of() : sentences(split(joined), category, zone);
    }

    /** A stored "; "-joined list of facts back into its facts. */
    public static List<String> split(String joined) {
        List<String> out = new ArrayList<>();
        for (String part : joined.split("; ", -1)) {
            if (out.isEmpty() || FACT_START.matcher(part).find()) {
                out.add(part);
            } else {
                out.set(out.size() - 1, out.get(out.size() - 1) + "; " + part);
            }
        }
        return out;
    }

    /** One fact as a sentence, or null when it tells a person nothing. */
    public static String sentence(String fact, String category, ZoneId zone) {
        Matcher m;
        if ((m = WINDOW.matcher(fact)).matches()) {
            return window(m);
        }
        if ((m = NOT_RELEASED.matcher(fact)).matches()) {
            return duration(m.group(1)) + "以内に" + release(category) + "の記録なし";
        }
        if ((m = STILL.matcher(fact)).matches()) {
            return duration(m.group(1)) + "を過ぎても" + release(category) + "の記録なし";
        }
        if ((m = RELEASED.matcher(fact)).matches()) {
            return duration(m.group(2)) + "後に" + release(category) + "を確認（記録 seq " + m.group(1) + "）";
        }
        if ((m = REPEAT.matcher(fact)).matches()) {
            return duration(m.group(2)) + "以内の同じ事象の繰り返し（最初の記録 seq " + m.group(1) + "）";
        }
        if ((m = EARLY.matcher(fact)).matches()) {
            return "保留中の事象が上限（" + m.group(1) + "件）に達したため、待たずに判定";
        }
        if ((m = AFTER.matcher(fact)).matches()) {
            return duration(m.group(4)) + "以内に同じ" + labels(m.group(2)) + "で判定基準 " + m.group(1) + " に該当（" + time(m.group(3), zone) + "）";
        }
        if ((m = HANDLER.matcher(fact)).matches()) {
            return "インシデントハンドラーの判断（" + reporter(m.group(1)) + "からの報告）";
        }
        if (ABSENT.matcher(fact).matches()) {
            return null;
        }
        if ((m = REGEX.matcher(fact)).matches()) {
            String label = label(m.group(1));
            return (label == null ? "ログの内容" : label) + "「" + m.group(2) + "」";
        }
        if ((m = NONE_OF.matcher(fact)).matches() || (m = EQUALS.matcher(fact)).matches()) {
            String field = m.group(1);
            String label = label(field);
            if (label == null) {
                return field.startsWith("x.") ? "該当箇所「" + m.group(2) + "」" : null;
            }
            return label + ": " + value(field, m.group(2));
        }
        return fact;
    }

    private static String window(Matcher m) {
        String distinct = m.group(2);
        String count = m.group(3);
        String shown = m.group(4);
        String span = duration(m.group(5));
        String group = m.group(6);
        String threshold = m.group(7);
        String unit = distinct == null ? "件" : unit(distinct);
        StringBuilder b = new StringBuilder(span).append("以内に").append(count).append(unit);
        if (shown != null) {
            List<String> values = new ArrayList<>(Arrays.asList(shown.split(", ")));
            boolean more = values.remove("...");
            values.sort(null);
            b.append("（").append(String.join(", ", values)).append(more ? " ほか" : "").append("）");
        }
        if (group != null) {
            List<String> parts = new ArrayList<>();
            for (String kv : group.split(", ")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    String label = label(kv.substring(0, eq));
                    String v = value(kv.substring(0, eq), kv.substring(eq + 1));
                    parts.add(label == null ? v : label + "「" + v + "」");
                }
            }
            if (!parts.isEmpty()) {
                b.append(distinct == null ? "、" : "で同一の").append(String.join("、", parts));
            }
        }
        return b.append("（判定の基準: ").append(threshold).append(unit).append("以上）").toString();
    }

    /** A field's name for people, or null when it has none. */
    public static String label(String field) {
        return WORDS.getProperty("field." + field);
    }

    /** A field's value for people: its translation when there is one, else the value as it came. */
    public static String value(String field, String value) {
        String v = WORDS.getProperty("value." + field + "." + value);
        if (v == null && ("true".equals(value) || "false".equals(value))) {
            v = WORDS.getProperty("value." + value);
        }
        return v != null ? v : value;
    }

    /** An asset as a person reads it: 「サーバ、ネットワーク接続、影響範囲 一部の職員、設置場所 本庁舎」. */
    public static String asset(Asset a) {
        return value("asset.role", a.role()) + "、" + (a.networked() ? "ネットワーク接続" : "スタンドアロン")
                + "、影響範囲 " + value("asset.affects", a.affects()) + (a.location().isEmpty() ? "" : "、設置場所 " + a.location());
    }

    /** The kind of reporter in the plan's words (4(2)②(I)). */
    public static String reporter(String kind) {
        return switch (kind == null ? "" : kind) {
            case "staff" -> "職員等";
            case "system" -> "庁内システム等";
            case "citizen" -> "市民等";
            case "city" -> "つくば市";
            case "prefecture" -> "都道府県";
            case "state" -> "国";
            case "jlis" -> "自治体セプター（J-LIS）等";
            default -> kind;
        };
    }

    /** A duration as the engine writes it (30s, 5min, 1h) in Japanese (30秒, 5分, 1時間). */
    public static String duration(String d) {
        Matcher m = DURATION.matcher(d);
        if (!m.matches()) {
            return d;
        }
        return m.group(1) + switch (m.group(2)) {
            case "h" -> "時間";
            case "min" -> "分";
            default -> "秒";
        };
    }

    private static String unit(String field) {
        return WORDS.getProperty("unit." + field, WORDS.getProperty("unit.default"));
    }

    private static String release(String category) {
        return WORDS.getProperty("release." + category, WORDS.getProperty("release.default"));
    }

    private static String labels(String fields) {
        List<String> out = new ArrayList<>();
        for (String f : fields.split(", ")) {
            String l = label(f);
            out.add(l == null ? "記録" : l);
        }
        return String.join("・", out);
    }

    private static String time(String iso, ZoneId zone) {
        try {
            return TIME.format(Instant.parse(iso).atZone(zone));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }
}
