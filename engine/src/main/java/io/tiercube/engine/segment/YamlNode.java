package io.tiercube.engine.segment;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tiercube.engine.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A YAML node that knows which file and key it came from, so every complaint names both
 * ({@code policy.yaml: tiers[1].at_least: ...}). Unknown keys are refused, with the valid ones listed.
 */
final class YamlNode {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final String file;
    private final String key;
    private final JsonNode node;

    private YamlNode(String file, String key, JsonNode node) {
        this.file = file;
        this.key = key;
        this.node = node;
    }

    static YamlNode read(Path path) {
        try {
            return parse(path.toString(), Files.readString(path));
        } catch (NoSuchFileException e) {
            throw new UserError(UserError.Kind.BAD_CONFIG, path + ": no such file");
        } catch (IOException e) {
            throw new UserError(UserError.Kind.BAD_CONFIG, path + ": cannot read: " + e.getMessage());
        }
    }

    static YamlNode read(String name, InputStream in) {
        try (in) {
            return parse(name, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UserError(UserError.Kind.BAD_CONFIG, name + ": cannot read: " + e.getMessage());
        }
    }

    static YamlNode parse(String file, String text) {
        try {
            JsonNode n = YAML.readTree(text);
            if (n == null || n.isMissingNode() || n.isNull()) {
                throw new UserError(UserError.Kind.BAD_CONFIG, file + ": the file is empty");
            }
            return new YamlNode(file, "", n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new UserError(UserError.Kind.BAD_CONFIG, file + ": not valid YAML" + where + ": " + e.getOriginalMessage());
        }
    }

    String file() {
        return file;
    }

    String key() {
        return key.isEmpty() ? "(top level)" : key;
    }

    UserError error(String problem) {
        return new UserError(UserError.Kind.BAD_CONFIG, file + ": " + key() + ": " + problem);
    }

    private String child(String k) {
        return key.isEmpty() ? k : key + "." + k;
    }

    /** Fails unless this is a mapping whose keys are all in {@code allowed}. */
    YamlNode requireKeys(Set<String> allowed) {
        if (!node.isObject()) {
            throw error("expected a mapping (key: value lines), got " + describe(node));
        }
        Iterator<String> it = node.fieldNames();
        while (it.hasNext()) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new UserError(UserError.Kind.BAD_CONFIG, file + ": " + child(k) + ": unknown key"
                        + Names.closest(k, allowed).map(c -> " (did you mean '" + c + "'?)").orElse("")
                        + "; valid keys here: " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        return this;
    }

    boolean has(String k) {
        JsonNode c = node.get(k);
        return c != null && !c.isNull();
    }

    YamlNode get(String k) {
        JsonNode c = node.get(k);
        return c == null || c.isNull() ? null : new YamlNode(file, child(k), c);
    }

    YamlNode require(String k) {
        YamlNode c = get(k);
        if (c == null) {
            throw new UserError(UserError.Kind.BAD_CONFIG, file + ": " + child(k) + ": missing (required)");
        }
        return c;
    }

    String text() {
        if (!node.isValueNode()) {
            throw error("expected a text value, got " + describe(node));
        }
        return node.asText();
    }

    String text(String k, String dflt) {
        YamlNode c = get(k);
        return c == null ? dflt : c.text();
    }

    BigDecimal decimal() {
        if (!node.isNumber()) {
            throw error("expected a number, got " + describe(node));
        }
        BigDecimal d = node.decimalValue().stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0) : d;
    }

    BigDecimal decimal(String k, BigDecimal dflt) {
        YamlNode c = get(k);
        return c == null ? dflt : c.decimal();
    }

    int integer(String k, int dflt, int min, int max) {
        YamlNode c = get(k);
        if (c == null) {
            return dflt;
        }
        if (!c.node.isIntegralNumber()) {
            throw c.error("expected a whole number from " + min + " to " + max + ", got " + describe(c.node));
        }
        int v = c.node.asInt();
        if (v < min || v > max) {
            throw c.error("expected a whole number from " + min + " to " + max + ", got " + v);
        }
        return v;
    }

    double number(String k, double dflt, double min, double max) {
        YamlNode c = get(k);
        if (c == null) {
            return dflt;
        }
        double v = c.decimal().doubleValue();
        if (v < min || v > max) {
            throw c.error("expected a number from " + min + " to " + max + ", got " + c.node.asText());
        }
        return v;
    }

    boolean bool(String k, boolean dflt) {
        YamlNode c = get(k);
        if (c == null) {
            return dflt;
        }
        if (!c.node.isBoolean()) {
            throw c.error("expected true or false, got " + describe(c.node));
        }
        return c.node.asBoolean();
    }

    boolean isText() {
        return node.isTextual();
    }

    List<YamlNode> list() {
        if (!node.isArray()) {
            throw error("expected a list (lines starting with '- '), got " + describe(node));
        }
        List<YamlNode> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(new YamlNode(file, key + "[" + i + "]", node.get(i)));
        }
        return out;
    }

    /** The entries of a mapping, in file order. */
    Map<String, YamlNode> entries() {
        if (!node.isObject()) {
            throw error("expected a mapping (key: value lines), got " + describe(node));
        }
        Map<String, YamlNode> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), new YamlNode(file, child(e.getKey()), e.getValue())));
        return out;
    }

    private static String describe(JsonNode n) {
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isArray()) {
            return "a list";
        }
        return "'" + n.asText() + "'";
    }
}
