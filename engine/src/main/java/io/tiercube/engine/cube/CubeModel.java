package io.tiercube.engine.cube;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tiercube.engine.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A cube model read from YAML: dimensions as level hierarchies, measures, the customer attributes
 * (functional dependencies) and the cuboids to materialize. Immutable once loaded; every mistake in
 * the file is a {@link UserError} of kind {@code BAD_CONFIG} naming the file, the key, the problem
 * and the closest valid name.
 *
 * <pre>
 * name: usage
 * dimensions:
 *   time:    [month, day]                 # month and day are derived from usage.event_date
 *   region:  [province, city, district]   # a level named as a column ...
 *   product: [line: service, product]     # ... or "level: column"
 * measures:
 *   revenue: {agg: sum, expr: charge, unit: money}
 *   users:   {agg: count_distinct, expr: customer_id}
 *   arpu:    {ratio: [revenue, users]}
 * customer_attributes: [region]           # dimensions fixed per customer within a month
 * aggregates:
 *   - [region, product]                   # every prefix of each hierarchy
 *   - [region.city, time.day]             # prefixes up to the named level
 * defaults: {by: [region.city], measures: [revenue, users, arpu], compare: prev}
 * </pre>
 *
 * <p>Columns a level or measure may use: the usage columns and the customer attributes joined by
 * {@code customer_id} (see {@link #USAGE_COLUMNS}, {@link #CUSTOMER_COLUMNS}), plus {@code month}
 * and {@code day} for the time dimension.
 */
public final class CubeModel {

    /** Usage columns a model may use (source bookkeeping columns are left out on purpose). */
    public static final List<String> USAGE_COLUMNS = List.of("record_id", "customer_id", "event_time", "event_date",
            "service", "call_type", "product", "duration_s", "volume_mb", "charge", "other_party");

    /** Customer attributes a model may use, joined from the latest customers snapshot (no PII columns). */
    public static final List<String> CUSTOMER_COLUMNS = List.of("gender", "occupation", "income_band", "education",
            "province", "city", "district", "segment", "join_date", "plan_id", "plan_fee", "channel_type", "channel",
            "status");

    /** Columns derived from {@code usage.event_date}: {@code 'YYYY-MM'} and {@code 'YYYY-MM-DD'}. */
    public static final List<String> TIME_COLUMNS = List.of("month", "day");

    /** The key of the functional dependency: customer attributes are fixed per value of it. */
    public static final String CUSTOMER_KEY = "customer_id";

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
    private static final List<String> TOP_KEYS = List.of("name", "description", "dimensions", "measures",
            "customer_attributes", "aggregates", "defaults");
    private static final List<String> MEASURE_KEYS = List.of("agg", "expr", "unit", "ratio", "description");
    private static final List<String> DEFAULT_KEYS = List.of("by", "measures", "compare");

    /** One level of a hierarchy, e.g. {@code region.city} reading column {@code city}. */
    public record Level(String dimension, String name, String column) {
        /** {@code dimension.level}, the name users type. */
        public String qualified() {
            return dimension + "." + name;
        }

        /** The column holding this level in cuboid files and generated SQL: {@code dimension_level}. */
        public String alias() {
            return dimension + "_" + name;
        }

        /** The month level is implicit in every cuboid (cubes are partitioned by month). */
        public boolean isMonth() {
            return column.equals("month");
        }
    }

    /** A named hierarchy of levels, coarsest first. */
    public record Dimension(String name, List<Level> levels) {
        public Dimension {
            levels = List.copyOf(levels);
        }
    }

    /** How a measure aggregates. */
    public enum Agg { SUM, COUNT, COUNT_DISTINCT, MIN, MAX, RATIO }

    /**
     * A measure. For {@link Agg#RATIO}, {@code numerator} and {@code denominator} name other measures
     * and {@code sqlExpr} is null; otherwise {@code sqlExpr} is the validated expression with columns
     * qualified ({@code u.} usage, {@code c.} customer), or null for {@code count} of rows.
     */
    public record Measure(String name, Agg agg, String expr, String sqlExpr, String unit, String numerator,
            String denominator) {
        /** The column holding this measure's per-cell aggregate in cuboid files. */
        public String alias() {
            return "m_" + name;
        }

        public boolean isRatio() {
            return agg == Agg.RATIO;
        }

        /** Adding two cells' values gives the union's value (sum, count). */
        public boolean additive() {
            return agg == Agg.SUM || agg == Agg.COUNT;
        }
    }

    /** What {@code tiercube drill <cube>} shows when nothing else is asked. */
    public record Defaults(List<String> by, List<String> measures, String compare) {
    }

    private final String name;
    private final Path file;
    private String text;
    private final String fingerprint;
    private final Map<String, Dimension> dimensions;
    private final Map<String, Level> levels;
    private final Map<String, Measure> measures;
    private final Set<String> customerAttributes;
    private final List<Level> cuboidLevels;
    private final List<Cuboid> cuboids;
    private final Defaults defaults;

    private CubeModel(String name, Path file, String fingerprint, Map<String, Dimension> dimensions,
            Map<String, Measure> measures, Set<String> customerAttributes, List<Cuboid> cuboids,
            List<Level> cuboidLevels, Defaults defaults) {
        this.name = name;
        this.file = file;
        this.fingerprint = fingerprint;
        this.dimensions = Collections.unmodifiableMap(dimensions);
        Map<String, Level> lv = new LinkedHashMap<>();
        for (Dimension d : dimensions.values()) {
            for (Level l : d.levels()) {
                lv.put(l.qualified(), l);
            }
        }
        this.levels = Collections.unmodifiableMap(lv);
        this.measures = Collections.unmodifiableMap(measures);
        this.customerAttributes = Collections.unmodifiableSet(customerAttributes);
        this.cuboids = List.copyOf(cuboids);
        this.cuboidLevels = List.copyOf(cuboidLevels);
        this.defaults = defaults;
    }

    /** Reads and validates a model file. */
    public static CubeModel load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError(UserError.Kind.BAD_CONFIG, file + ": no such cube model file");
        } catch (IOException e) {
            throw new UserError(UserError.Kind.BAD_CONFIG, file + ": cannot read: " + e.getMessage());
        }
        return parse(text, file);
    }

    /** Parses model text; {@code file} is used in messages only. */
    public static CubeModel parse(String yaml, Path file) {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        JsonNode root;
        try {
            root = mapper.readTree(yaml);
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            if (msg != null && msg.startsWith("Duplicate field")) {
                msg = msg.replace("Duplicate field", "key named twice:");
            }
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new UserError(UserError.Kind.BAD_CONFIG, file + (line > 0 ? ":" + line : "") + ": " + msg);
        }
        CubeModel m = new Parser(file, root).parse(sha256(yaml));
        m.text = yaml;
        return m;
    }

    /** The file name a built cube keeps its model under: {@code cubes/<cube>/_model.yaml}. */
    public static final String STORED_MODEL = "_model.yaml";

    /**
     * Finds a cube's model: {@code explicit} when given; else, for a reader ({@code preferStored}),
     * the copy a build left in {@code cubes/<cube>/_model.yaml}, then {@code cubes/<cube>.yaml} and
     * {@code sample-data/cubes/<cube>.yaml} under the working directory; a builder looks at the two
     * working-directory files before the stored copy.
     */
    public static CubeModel locate(io.tiercube.engine.warehouse.Warehouse wh, String cube, Path explicit, boolean preferStored) {
        if (explicit != null) {
            return load(explicit);
        }
        if (!NAME.matcher(cube).matches()) {
            throw new UserError(UserError.Kind.BAD_QUERY, "cube name '" + cube + "' must be snake_case");
        }
        Path stored = wh.dataset("cubes").resolve(cube).resolve(STORED_MODEL);
        List<Path> candidates = new ArrayList<>();
        if (preferStored) {
            candidates.add(stored);
        }
        candidates.add(Path.of("cubes", cube + ".yaml"));
        candidates.add(Path.of("sample-data", "cubes", cube + ".yaml"));
        if (!preferStored) {
            candidates.add(stored);
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return load(p);
            }
        }
        throw new UserError(UserError.Kind.NOT_FOUND, "no model for cube '" + cube + "': looked for "
                + candidates.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(", "))
                + " (give one with --model FILE)");
    }

    /** The model's YAML text, as read. */
    public String text() {
        return text;
    }

    private static String sha256(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String name() {
        return name;
    }

    /** The file it was read from (for messages). */
    public Path file() {
        return file;
    }

    /** A hash of the model text; a cube month built from another text must be rebuilt. */
    public String fingerprint() {
        return fingerprint;
    }

    public Map<String, Dimension> dimensions() {
        return dimensions;
    }

    /** Every level by qualified name ({@code region.city}), in model order. */
    public Map<String, Level> levels() {
        return levels;
    }

    public Map<String, Measure> measures() {
        return measures;
    }

    /** Dimensions fixed per customer within a month (a functional dependency on {@code customer_id}). */
    public Set<String> customerAttributes() {
        return customerAttributes;
    }

    /** The cuboids to materialize, apex (no level) first, each with a stable id. */
    public List<Cuboid> cuboids() {
        return cuboids;
    }

    /** Levels that can vary between cuboids (every level but the month), in id-bit order. */
    List<Level> cuboidLevels() {
        return cuboidLevels;
    }

    public Defaults defaults() {
        return defaults;
    }

    /** A level by qualified name, or a BAD_QUERY error naming the closest valid one. */
    public Level level(String qualified) {
        Level l = levels.get(qualified);
        if (l == null) {
            String hint = Names.hint(qualified, levels.keySet());
            if (!qualified.contains(".") && dimensions.containsKey(qualified)) {
                hint = " (a level is named dimension.level, e.g. '"
                        + dimensions.get(qualified).levels().get(Math.min(1, dimensions.get(qualified).levels().size() - 1)).qualified() + "')";
            }
            throw new UserError(UserError.Kind.BAD_QUERY, "unknown level '" + qualified + "' in cube " + name + hint);
        }
        return l;
    }

    /** A measure by name, or a BAD_QUERY error naming the closest valid one. */
    public Measure measure(String m) {
        Measure x = measures.get(m);
        if (x == null) {
            throw new UserError(UserError.Kind.BAD_QUERY, "unknown measure '" + m + "' in cube " + name
                    + Names.hint(m, measures.keySet()));
        }
        return x;
    }

    /** The level and its coarser levels in the same hierarchy, coarsest first. */
    public List<Level> withAncestors(Level l) {
        List<Level> hier = dimensions.get(l.dimension()).levels();
        return hier.subList(0, hier.indexOf(l) + 1);
    }

    /** The month level, if the model has a time dimension with one. */
    public Level monthLevel() {
        return levels.values().stream().filter(Level::isMonth).findFirst().orElse(null);
    }

    /** Base (non-ratio) measures a measure needs, itself included when it is not a ratio. */
    public Set<Measure> baseMeasures(Measure m) {
        Set<Measure> out = new LinkedHashSet<>();
        collectBase(m, out);
        return out;
    }

    private void collectBase(Measure m, Set<Measure> out) {
        if (m.isRatio()) {
            collectBase(measures.get(m.numerator()), out);
            collectBase(measures.get(m.denominator()), out);
        } else {
            out.add(m);
        }
    }

    /** Non-ratio measures, in model order. */
    public List<Measure> baseMeasures() {
        return measures.values().stream().filter(m -> !m.isRatio()).toList();
    }

    /** True when the level's value is fixed per customer (its dimension is a customer attribute). */
    public boolean isCustomerLevel(Level l) {
        return customerAttributes.contains(l.dimension());
    }

    // ------------------------------------------------------------------------------------------

    /** Reads the YAML tree, checking every key as it goes. */
    private static final class Parser {
        private final Path file;
        private final JsonNode root;

        Parser(Path file, JsonNode root) {
            this.file = file;
            this.root = root;
        }

        private UserError error(String key, String problem) {
            return new UserError(UserError.Kind.BAD_CONFIG, file + ": " + key + ": " + problem);
        }

        CubeModel parse(String fingerprint) {
            if (root == null || !root.isObject()) {
                throw error("(top)", "expected a mapping with keys " + String.join(", ", TOP_KEYS));
            }
            checkKeys(root, "(top)", TOP_KEYS);
            String name = text(root, "name", true);
            if (!NAME.matcher(name).matches()) {
                throw error("name", "'" + name + "' must be snake_case (letters, digits, underscores)");
            }
            Map<String, Dimension> dims = dimensions();
            Map<String, Measure> measures = measures();
            Set<String> custAttrs = customerAttributes(dims);
            List<Level> cuboidLevels = new ArrayList<>();
            for (Dimension d : dims.values()) {
                for (Level l : d.levels()) {
                    if (!l.isMonth()) {
                        cuboidLevels.add(l);
                    }
                }
            }
            if (cuboidLevels.size() > 62) {
                throw error("dimensions", "at most 62 levels besides the month are supported, found " + cuboidLevels.size());
            }
            List<Cuboid> cuboids = aggregates(dims, cuboidLevels);
            Map<String, Level> allLevels = new LinkedHashMap<>();
            dims.values().forEach(d -> d.levels().forEach(l -> allLevels.put(l.qualified(), l)));
            Defaults defaults = defaults(allLevels, measures, dims);
            return new CubeModel(name, file, fingerprint, dims, measures, custAttrs, cuboids, cuboidLevels, defaults);
        }

        private void checkKeys(JsonNode node, String where, List<String> allowed) {
            Iterator<String> it = node.fieldNames();
            while (it.hasNext()) {
                String k = it.next();
                if (!allowed.contains(k)) {
                    throw error(where.equals("(top)") ? k : where + "." + k, "unknown key" + Names.hint(k, allowed));
                }
            }
        }

        private String text(JsonNode node, String key, boolean required) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                if (required) {
                    throw error(key, "missing");
                }
                return null;
            }
            if (!v.isValueNode()) {
                throw error(key, "expected a single value");
            }
            return v.asText();
        }

        private Map<String, Dimension> dimensions() {
            JsonNode dn = root.get("dimensions");
            if (dn == null || !dn.isObject() || dn.isEmpty()) {
                throw error("dimensions", "expected a mapping of dimension name to its levels, e.g. region: [province, city]");
            }
            Map<String, Dimension> dims = new LinkedHashMap<>();
            Map<String, String> aliasOwner = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = dn.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String dim = e.getKey();
                String key = "dimensions." + dim;
                if (!NAME.matcher(dim).matches()) {
                    throw error(key, "dimension name must be snake_case");
                }
                JsonNode ln = e.getValue();
                if (ln == null || !ln.isArray() || ln.isEmpty()) {
                    throw error(key, "expected a list of levels, coarsest first, e.g. [province, city]");
                }
                List<Level> levels = new ArrayList<>();
                Set<String> seen = new LinkedHashSet<>();
                for (int i = 0; i < ln.size(); i++) {
                    JsonNode item = ln.get(i);
                    String lname;
                    String column;
                    if (item.isTextual()) {
                        lname = item.asText();
                        column = lname;
                    } else if (item.isObject() && item.size() == 1) {
                        Map.Entry<String, JsonNode> only = item.fields().next();
                        lname = only.getKey();
                        column = only.getValue().asText();
                    } else {
                        throw error(key + "[" + i + "]", "expected a level name, or 'level: column'");
                    }
                    String lkey = key + "." + lname;
                    if (!NAME.matcher(lname).matches()) {
                        throw error(lkey, "level name must be snake_case");
                    }
                    if (!seen.add(lname)) {
                        throw error(lkey, "level named twice in dimension " + dim);
                    }
                    List<String> allowed = new ArrayList<>(TIME_COLUMNS);
                    allowed.addAll(USAGE_COLUMNS);
                    allowed.addAll(CUSTOMER_COLUMNS);
                    if (!allowed.contains(column)) {
                        throw error(lkey, "unknown column '" + column + "'" + Names.hint(column, allowed));
                    }
                    if (column.equals("day") && (levels.isEmpty() || !levels.get(levels.size() - 1).isMonth())) {
                        throw error(lkey, "the day level must come right after the month level (e.g. time: [month, day])");
                    }
                    if (column.equals("month") && i != 0) {
                        throw error(lkey, "the month level must be the first level of its dimension");
                    }
                    Level l = new Level(dim, lname, column);
                    String prev = aliasOwner.put(l.alias(), l.qualified());
                    if (prev != null) {
                        throw error(lkey, "its storage column '" + l.alias() + "' clashes with level " + prev + "; rename one");
                    }
                    for (Dimension other : dims.values()) {
                        for (Level ol : other.levels()) {
                            if (ol.column().equals(column)) {
                                throw error(lkey, "column '" + column + "' is already level " + ol.qualified());
                            }
                        }
                    }
                    for (Level ol : levels) {
                        if (ol.column().equals(column)) {
                            throw error(lkey, "column '" + column + "' is already level " + ol.qualified());
                        }
                    }
                    levels.add(l);
                }
                dims.put(dim, new Dimension(dim, levels));
            }
            return dims;
        }

        private Map<String, Measure> measures() {
            JsonNode mn = root.get("measures");
            if (mn == null || !mn.isObject() || mn.isEmpty()) {
                throw error("measures", "expected a mapping of measure name to {agg: sum, expr: charge} or {ratio: [a, b]}");
            }
            Map<String, Measure> out = new LinkedHashMap<>();
            List<String> aggNames = List.of("sum", "count", "count_distinct", "min", "max");
            for (Iterator<Map.Entry<String, JsonNode>> it = mn.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String m = e.getKey();
                String key = "measures." + m;
                if (!NAME.matcher(m).matches()) {
                    throw error(key, "measure name must be snake_case");
                }
                JsonNode spec = e.getValue();
                if (spec == null || !spec.isObject()) {
                    throw error(key, "expected {agg: sum, expr: charge} or {ratio: [numerator, denominator]}");
                }
                checkKeys(spec, key, MEASURE_KEYS);
                String unit = spec.hasNonNull("unit") ? spec.get("unit").asText() : null;
                if (spec.has("ratio")) {
                    if (spec.has("agg") || spec.has("expr")) {
                        throw error(key, "a ratio takes no agg or expr: its parts are other measures");
                    }
                    JsonNode r = spec.get("ratio");
                    if (!r.isArray() || r.size() != 2 || !r.get(0).isTextual() || !r.get(1).isTextual()) {
                        throw error(key + ".ratio", "expected [numerator, denominator], two measure names");
                    }
                    out.put(m, new Measure(m, Agg.RATIO, null, null, unit, r.get(0).asText(), r.get(1).asText()));
                    continue;
                }
                String agg = spec.hasNonNull("agg") ? spec.get("agg").asText() : null;
                if (agg == null) {
                    throw error(key + ".agg", "missing: one of " + String.join(", ", aggNames) + " (or ratio: [a, b])");
                }
                if (!aggNames.contains(agg)) {
                    throw error(key + ".agg", "unknown aggregate '" + agg + "'" + Names.hint(agg, aggNames));
                }
                Agg a = Agg.valueOf(agg.toUpperCase(Locale.ROOT));
                String expr = spec.hasNonNull("expr") ? spec.get("expr").asText() : null;
                if (expr == null && a != Agg.COUNT) {
                    throw error(key + ".expr", "missing: " + agg + " needs an expression over the usage and customer columns");
                }
                String sql = expr == null ? null : Expr.qualify(expr, key + ".expr", this::error);
                out.put(m, new Measure(m, a, expr, sql, unit, null, null));
            }
            for (Measure m : out.values()) {
                if (m.isRatio()) {
                    for (String part : List.of(m.numerator(), m.denominator())) {
                        if (!out.containsKey(part)) {
                            throw error("measures." + m.name() + ".ratio", "ratio of unknown measure '" + part + "'"
                                    + Names.hint(part, out.keySet()));
                        }
                    }
                }
            }
            for (Measure m : out.values()) {
                checkCycle(m, out, new ArrayList<>());
            }
            return out;
        }

        private void checkCycle(Measure m, Map<String, Measure> all, List<String> path) {
            if (path.contains(m.name())) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(m.name()), path.size()));
                cycle.add(m.name());
                throw error("measures." + m.name() + ".ratio", "cycle: " + String.join(" -> ", cycle));
            }
            if (!m.isRatio()) {
                return;
            }
            path.add(m.name());
            checkCycle(all.get(m.numerator()), all, path);
            checkCycle(all.get(m.denominator()), all, path);
            path.remove(path.size() - 1);
        }

        private Set<String> customerAttributes(Map<String, Dimension> dims) {
            JsonNode n = root.get("customer_attributes");
            Set<String> out = new LinkedHashSet<>();
            if (n == null || n.isNull()) {
                return out;
            }
            if (!n.isArray()) {
                throw error("customer_attributes", "expected a list of dimension names, e.g. [region, channel, segment]");
            }
            for (JsonNode x : n) {
                String d = x.asText();
                if (!dims.containsKey(d)) {
                    throw error("customer_attributes", "unknown dimension '" + d + "'" + Names.hint(d, dims.keySet()));
                }
                for (Level l : dims.get(d).levels()) {
                    if (!CUSTOMER_COLUMNS.contains(l.column())) {
                        throw error("customer_attributes", "dimension " + d + " reads " + l.column() + " (level " + l.qualified()
                                + "), which is not a customer column: it can vary within a customer's month");
                    }
                }
                if (!out.add(d)) {
                    throw error("customer_attributes", "dimension " + d + " named twice");
                }
            }
            return out;
        }

        private List<Cuboid> aggregates(Map<String, Dimension> dims, List<Level> cuboidLevels) {
            JsonNode an = root.get("aggregates");
            Map<Long, Cuboid> out = new LinkedHashMap<>();
            out.put(0L, new Cuboid(0L, List.of()));
            if (an == null || an.isNull()) {
                return new ArrayList<>(out.values());
            }
            if (!an.isArray()) {
                throw error("aggregates", "expected a list of groups, e.g. - [region, product]");
            }
            Map<String, Level> all = new LinkedHashMap<>();
            dims.values().forEach(d -> d.levels().forEach(l -> all.put(l.qualified(), l)));
            List<String> names = new ArrayList<>(dims.keySet());
            names.addAll(all.keySet());
            for (int g = 0; g < an.size(); g++) {
                JsonNode group = an.get(g);
                String key = "aggregates[" + g + "]";
                if (!group.isArray() || group.isEmpty()) {
                    throw error(key, "expected a list of dimensions or dimension.level names");
                }
                // For each named dimension: the hierarchy prefixes it contributes (the empty one included).
                List<List<List<Level>>> choices = new ArrayList<>();
                Set<String> seenDims = new LinkedHashSet<>();
                for (JsonNode item : group) {
                    String s = item.asText();
                    List<Level> upTo;
                    String dim;
                    if (dims.containsKey(s)) {
                        dim = s;
                        upTo = dims.get(s).levels();
                    } else if (all.containsKey(s)) {
                        Level l = all.get(s);
                        dim = l.dimension();
                        List<Level> h = dims.get(dim).levels();
                        upTo = h.subList(0, h.indexOf(l) + 1);
                    } else {
                        throw error(key, "unknown dimension or level '" + s + "'" + Names.hint(s, names));
                    }
                    if (!seenDims.add(dim)) {
                        throw error(key, "dimension " + dim + " named twice in one group (name its finest level once)");
                    }
                    List<List<Level>> prefixes = new ArrayList<>();
                    for (int i = 0; i <= upTo.size(); i++) {
                        List<Level> p = upTo.subList(0, i).stream().filter(l -> !l.isMonth()).toList();
                        if (prefixes.stream().noneMatch(p::equals)) {
                            prefixes.add(p);
                        }
                    }
                    choices.add(prefixes);
                }
                List<List<Level>> combos = new ArrayList<>();
                combos.add(List.of());
                for (List<List<Level>> c : choices) {
                    List<List<Level>> next = new ArrayList<>();
                    for (List<Level> base : combos) {
                        for (List<Level> p : c) {
                            List<Level> x = new ArrayList<>(base);
                            x.addAll(p);
                            next.add(x);
                        }
                    }
                    combos = next;
                }
                for (List<Level> c : combos) {
                    Cuboid cb = Cuboid.of(c, cuboidLevels);
                    out.putIfAbsent(cb.id(), cb);
                }
            }
            List<Cuboid> list = new ArrayList<>(out.values());
            list.sort((a, b) -> a.levels().size() != b.levels().size()
                    ? Integer.compare(a.levels().size(), b.levels().size()) : Long.compare(a.id(), b.id()));
            return list;
        }

        private Defaults defaults(Map<String, Level> levels, Map<String, Measure> measures, Map<String, Dimension> dims) {
            JsonNode n = root.get("defaults");
            List<String> by = new ArrayList<>();
            List<String> ms = new ArrayList<>();
            String compare = "prev";
            if (n != null && !n.isNull()) {
                if (!n.isObject()) {
                    throw error("defaults", "expected {by: [...], measures: [...], compare: prev}");
                }
                checkKeys(n, "defaults", DEFAULT_KEYS);
                if (n.has("by")) {
                    for (JsonNode x : n.get("by")) {
                        String s = x.asText();
                        if (!levels.containsKey(s)) {
                            throw error("defaults.by", "unknown level '" + s + "'" + Names.hint(s, levels.keySet()));
                        }
                        by.add(s);
                    }
                }
                if (n.has("measures")) {
                    for (JsonNode x : n.get("measures")) {
                        String s = x.asText();
                        if (!measures.containsKey(s)) {
                            throw error("defaults.measures", "unknown measure '" + s + "'" + Names.hint(s, measures.keySet()));
                        }
                        ms.add(s);
                    }
                }
                if (n.has("compare")) {
                    compare = n.get("compare").asText();
                    if (!List.of("prev", "yoy", "none").contains(compare)) {
                        throw error("defaults.compare", "expected prev, yoy or none, got '" + compare + "'");
                    }
                }
            }
            if (by.isEmpty()) {
                dims.values().stream().filter(d -> !d.levels().get(0).isMonth()).findFirst()
                        .ifPresent(d -> by.add(d.levels().get(0).qualified()));
            }
            if (ms.isEmpty()) {
                ms.addAll(measures.keySet());
            }
            return new Defaults(List.copyOf(by), List.copyOf(ms), compare);
        }
    }
}
