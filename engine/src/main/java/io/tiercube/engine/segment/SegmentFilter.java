package io.tiercube.engine.segment;

import io.tiercube.engine.FilterNumber;
import io.tiercube.engine.UserError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The segment filter language over profile columns, e.g. {@code tier=gold,diamond lifecycle=D
 * region.city=Chengdu arpu_3m_mean>=100}: terms separated by spaces, all of which must hold.
 *
 * <ul>
 * <li>Text keys take {@code =} (any of a comma-separated list) or {@code !=} (none of them).</li>
 * <li>Number keys take {@code = != > >= < <=} and one number.</li>
 * <li>{@code spike} takes {@code =true} or {@code =false}.</li>
 * </ul>
 *
 * Compiled to a WHERE clause with bound parameters: user text never becomes SQL.
 */
public final class SegmentFilter {

    /** Text keys and the profile column each reads. */
    static final Map<String, String> TEXT = new LinkedHashMap<>();
    /** Number keys and the profile column each reads. */
    static final Map<String, String> NUMBER = new LinkedHashMap<>();

    static {
        TEXT.put("tier", "tier");
        TEXT.put("previous_tier", "previous_tier");
        TEXT.put("lifecycle", "lifecycle_stage");
        TEXT.put("region.province", "province");
        TEXT.put("region.city", "city");
        TEXT.put("region.district", "district");
        TEXT.put("segment", "segment");
        TEXT.put("channel.type", "channel_type");
        TEXT.put("channel.outlet", "channel");
        TEXT.put("plan", "plan_id");
        TEXT.put("gender", "gender");
        TEXT.put("status", "status");
        TEXT.put("churn_band", "churn_band");
        TEXT.put("customer_id", "customer_id");
        for (String c : List.of("arpu_1m", "arpu_3m_mean", "arpu_3m_median", "arpu_6m_mean", "arpu_6m_median", "tenure_months",
                "plan_fee", "spend_m0", "tier_metric", "churn_score", "trend_slope", "usage_events_m0")) {
            NUMBER.put(c, c);
        }
    }

    private static final Pattern TERM = Pattern.compile("([a-z_.0-9]+)\\s*(>=|<=|!=|=|>|<)\\s*(.+)");

    private final String text;
    private final String where;
    private final List<Object> params;

    private SegmentFilter(String text, String where, List<Object> params) {
        this.text = text;
        this.where = where;
        this.params = List.copyOf(params);
    }

    /** The filter as given. */
    public String text() {
        return text;
    }

    /** A boolean SQL expression over profile columns ({@code true} for an empty filter). */
    public String where() {
        return where;
    }

    /** The values for the {@code ?} in {@link #where()}, in order. */
    public List<Object> params() {
        return params;
    }

    /** Parses a filter; an empty or blank text matches every customer. */
    public static SegmentFilter parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return new SegmentFilter("", "true", List.of());
        }
        List<String> parts = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        for (String term : t.split("\\s+")) {
            Matcher m = TERM.matcher(term);
            if (!m.matches()) {
                throw bad("'" + term + "' is not a filter term: write key=value[,value...] or key>=number, terms separated by spaces");
            }
            String key = m.group(1);
            String op = m.group(2);
            String value = m.group(3);
            if (TEXT.containsKey(key)) {
                if (!op.equals("=") && !op.equals("!=")) {
                    throw bad("'" + key + "' is text: use = or != (got " + op + ")");
                }
                List<String> values = List.of(value.split(","));
                if (values.isEmpty() || values.stream().anyMatch(String::isEmpty)) {
                    throw bad("'" + term + "': empty value in the list");
                }
                String col = TEXT.get(key);
                StringBuilder in = new StringBuilder(col).append(op.equals("=") ? " IN (" : " NOT IN (");
                for (int i = 0; i < values.size(); i++) {
                    in.append(i == 0 ? "?" : ", ?");
                    params.add(values.get(i));
                }
                parts.add(op.equals("=") ? in + ")" : "(" + col + " IS NULL OR " + in + "))");
            } else if (NUMBER.containsKey(key)) {
                BigDecimal v = number(key, value);
                parts.add(NUMBER.get(key) + " " + op.replace("!=", "<>") + " ?");
                params.add(v);
            } else if (key.equals("spike")) {
                if (!op.equals("=") || !(value.equals("true") || value.equals("false"))) {
                    throw bad("spike takes =true or =false");
                }
                parts.add("spike_flag = ?");
                params.add(Boolean.valueOf(value));
            } else {
                List<String> keys = new ArrayList<>(TEXT.keySet());
                keys.addAll(NUMBER.keySet());
                keys.add("spike");
                throw bad("unknown filter key '" + key + "'" + Names.closest(key, keys).map(c -> " (did you mean '" + c + "'?)").orElse("")
                        + "; keys: " + String.join(", ", keys));
            }
        }
        return new SegmentFilter(t, "(" + String.join(" AND ", parts) + ")", params);
    }

    static BigDecimal number(String key, String text) {
        return FilterNumber.parse(text, "bad filter: '" + key + "' is a number: '" + text + "' is not one",
                "bad filter: '" + key + "': " + text + " is out of range");
    }

    private static UserError bad(String msg) {
        return new UserError(UserError.Kind.BAD_QUERY, "bad filter: " + msg);
    }
}
