package csirt.agent.notify;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import csirt.agent.config.ConfigProblem;

/**
 * The notice templates of {@code config/templates/} ({@code <kind>.<language>.txt}): Mustache
 * text whose first line is {@code Subject: ...}, then an empty line, then the plain-text body.
 * Values are inserted as they are (no HTML escaping: this is a text mail), and the subject is
 * made one safe line after rendering.
 */
public final class NoticeTemplates {

    /** What a notice is about. */
    public enum Kind {
        OPENED("opened"), ESCALATED("escalated"), UPDATE("update"), DIGEST("digest"), CAP_WARNING("cap-warning"),
        NOT_INCIDENT("not-incident"), REPORTED("reported"),
        UNACKNOWLEDGED("unacknowledged"), LEGAL("legal");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** A subject and a body. */
    public record Rendered(String subject, String body) {
    }

    private record Template(Mustache subject, Mustache body) {
    }

    private static final DefaultMustacheFactory FACTORY = new DefaultMustacheFactory() {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value); // plain text: nothing to escape
            } catch (IOException e) {
                throw new MustacheException(e);
            }
        }
    };

    private final Map<Kind, Template> templates;
    private final String language;

    private NoticeTemplates(Map<Kind, Template> templates, String language) {
        this.templates = templates;
        this.language = language;
    }

    /** The language of the templates (ja, en): Japanese notices get their facts as sentences. */
    public String language() {
        return language;
    }

    /** Loads and compiles every template of {@code language}; each problem names the file and line. */
    public static NoticeTemplates load(Path dir, String language, List<ConfigProblem> problems) {
        Map<Kind, Template> out = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            Path f = dir.resolve(k.id() + "." + language + ".txt");
            String text;
            try {
                text = Files.readString(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                problems.add(new ConfigProblem(f, 0, "notice.language", "the notice template is missing: every kind ("
                        + String.join(", ", java.util.Arrays.stream(Kind.values()).map(Kind::id).toList())
                        + ") needs a file <kind>." + language + ".txt in " + dir));
                continue;
            }
            int nl = text.indexOf('\n');
            String first = nl < 0 ? text : text.substring(0, nl);
            if (!first.startsWith("Subject: ") || nl < 0 || !text.startsWith("\n", nl + 1)) {
                problems.add(new ConfigProblem(f, 1, null, "a template starts with 'Subject: ...', then an empty line, then the body"));
                continue;
            }
            try {
                Mustache subject = FACTORY.compile(new StringReader(first.substring("Subject: ".length())), f + "#subject");
                Mustache body = FACTORY.compile(reader(text.substring(nl + 2)), f.toString());
                out.put(k, new Template(subject, body));
            } catch (MustacheException e) {
                problems.add(new ConfigProblem(f, 0, null, "the template does not compile: " + e.getMessage()));
            }
        }
        return new NoticeTemplates(out, language);
    }

    private static Reader reader(String s) {
        return new StringReader(s);
    }

    public Rendered render(Kind kind, Map<String, Object> model) {
        Template t = templates.get(kind);
        if (t == null) {
            throw new IllegalStateException("No template for notices of kind " + kind.id() + ": check config/templates");
        }
        StringWriter subject = new StringWriter();
        t.subject().execute(subject, model);
        StringWriter body = new StringWriter();
        t.body().execute(body, model);
        return new Rendered(NoticeComposer.oneLine(subject.toString(), 300), body.toString());
    }
}
