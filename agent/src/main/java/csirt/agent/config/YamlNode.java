package csirt.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML node that remembers its file and line, so every configuration problem can say where
 * it is. Reading a value of the wrong shape records a problem instead of throwing.
 */
public final class YamlNode {

    private final Path file;
    private final Node node;
    private final String path;
    private final List<ConfigProblem> problems;

    private YamlNode(Path file, Node node, String path, List<ConfigProblem> problems) {
        this.file = file;
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /** Loads a file; a syntax error becomes a problem with its line and null is returned. */
    public static YamlNode load(Path file, List<ConfigProblem> problems) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Node root = new Yaml(options).compose(r);
            if (root == null) {
                problems.add(new ConfigProblem(file, 0, null, "the file is empty"));
                return null;
            }
            return new YamlNode(file, root, "", problems);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            problems.add(new ConfigProblem(file, line, null, "not valid YAML: " + e.getProblem()));
            return null;
        } catch (IOException e) {
            problems.add(new ConfigProblem(file, 0, null, "cannot be read: " + e.getMessage()));
            return null;
        } catch (RuntimeException e) {
            problems.add(new ConfigProblem(file, 0, null, "not valid YAML: " + e.getMessage()));
            return null;
        }
    }

    public Path file() {
        return file;
    }

    public int line() {
        return node.getStartMark() != null ? node.getStartMark().getLine() + 1 : 0;
    }

    public String path() {
        return path;
    }

    public void problem(String key, String message) {
        problems.add(new ConfigProblem(file, line(), key == null ? path : join(key), message));
    }

    /** A problem about {@code key} of this mapping, at the key's own line when it is present. */
    public void problemAt(Map<String, YamlNode> entries, String key, String message) {
        if (entries.containsKey(key)) {
            entries.get(key).problem(null, message);
        } else {
            problem(key, message);
        }
    }

    /** How many problems have been recorded so far (in any file of this load). */
    public int problemCount() {
        return problems.size();
    }

    public boolean isMap() {
        return node instanceof MappingNode;
    }

    public boolean isList() {
        return node instanceof SequenceNode;
    }

    public boolean isScalar() {
        return node instanceof ScalarNode;
    }

    /** The keys and values of a mapping, in file order; empty (with a problem) if not a mapping. */
    public Map<String, YamlNode> entries() {
        Map<String, YamlNode> out = new LinkedHashMap<>();
        if (!(node instanceof MappingNode m)) {
            problem(null, "expected a mapping (key: value)");
            return out;
        }
        for (NodeTuple t : m.getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : String.valueOf(t.getKeyNode());
            out.put(key, new YamlNode(file, t.getValueNode(), join(key), problems));
        }
        return out;
    }

    public List<YamlNode> items() {
        List<YamlNode> out = new ArrayList<>();
        if (!(node instanceof SequenceNode s)) {
            problem(null, "expected a list (- item)");
            return out;
        }
        int i = 0;
        for (Node n : s.getValue()) {
            out.add(new YamlNode(file, n, path + "[" + i++ + "]", problems));
        }
        return out;
    }

    /** The scalar's text; null (with a problem) when this is a mapping or list. */
    public String text() {
        if (node instanceof ScalarNode s) {
            return s.getValue();
        }
        problem(null, "expected a single value");
        return null;
    }

    /** Scalars or a list of scalars, as a list of texts. */
    public List<String> texts() {
        List<String> out = new ArrayList<>();
        if (node instanceof SequenceNode) {
            for (YamlNode n : items()) {
                String t = n.text();
                if (t != null) {
                    out.add(t);
                }
            }
        } else {
            String t = text();
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    /** Records a problem for every key not in {@code allowed}: typos are the common mistake. */
    public void rejectUnknownKeys(Map<String, YamlNode> entries, Set<String> allowed) {
        for (Map.Entry<String, YamlNode> e : entries.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                e.getValue().problem(null, "unknown key; allowed here: " + String.join(", ", allowed));
            }
        }
    }

    private String join(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
