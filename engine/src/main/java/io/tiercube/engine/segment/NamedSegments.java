package io.tiercube.engine.segment;

import io.tiercube.engine.UserError;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Named segments saved in a YAML file ({@code sample-data/segments.yaml}):
 *
 * <pre>
 * segments:
 *   chengdu-vip-decline:
 *     description: Gold and diamond customers in Chengdu whose spend is declining
 *     filter: "tier=gold,diamond lifecycle=D region.city=Chengdu"
 * </pre>
 *
 * Every filter is parsed when the file is loaded, so a bad one fails with its segment's name.
 */
public final class NamedSegments {

    /** One saved segment. */
    public record Segment(String name, String description, String filter) {
    }

    private NamedSegments() {
    }

    public static Map<String, Segment> load(Path file) {
        YamlNode root = YamlNode.read(file).requireKeys(Set.of("segments"));
        Map<String, Segment> out = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : root.require("segments").entries().entrySet()) {
            String name = e.getKey();
            YamlNode n = e.getValue().requireKeys(Set.of("description", "filter"));
            if (!name.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
                throw n.error("'" + name + "' is not a valid segment name: use lower-case letters, digits, '-' and '_' (it names export files)");
            }
            String filter = n.require("filter").text();
            try {
                SegmentFilter.parse(filter);
            } catch (UserError err) {
                throw n.get("filter").error(err.getMessage());
            }
            out.put(name, new Segment(name, n.text("description", ""), filter));
        }
        return out;
    }

    /** The segment of that name, or a NOT_FOUND error listing the names there are. */
    public static Segment get(Path file, String name) {
        Map<String, Segment> all = load(file);
        Segment s = all.get(name);
        if (s == null) {
            throw new UserError(UserError.Kind.NOT_FOUND, "no segment '" + name + "' in " + file + "; segments: "
                    + String.join(", ", all.keySet()) + Names.closest(name, all.keySet()).map(c -> " (did you mean '" + c + "'?)").orElse(""));
        }
        return s;
    }
}
