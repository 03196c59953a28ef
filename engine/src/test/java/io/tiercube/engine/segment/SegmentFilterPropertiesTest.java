package io.tiercube.engine.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import io.tiercube.engine.warehouse.Warehouse;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 8, part 5: the segment filter grammar on arbitrary and near-valid text. A parsed filter's SQL
 * is made only of known profile columns, operators and one {@code ?} per value; anything else is a
 * BAD_QUERY error with a message. Parsed filters also run against real profiles without an engine error.
 */
class SegmentFilterPropertiesTest {

    static final List<String> VALID = List.of("tier=gold,diamond lifecycle=D region.city=Chengdu", "arpu_3m_mean>=100",
            "churn_band!=high spike=true", "plan=p1 segment=enterprise channel.type=store", "tenure_months<12 arpu_1m>1e1",
            "customer_id=c1,c2", "previous_tier!=gold status=active", "");
    static final String NASTY = "'\"=!<>,. \t\n;-/*\\()%_$`\u0000\u2019\uFF07\u00A0e+E9.0";
    static final YearMonth OCT = YearMonth.of(2026, 10);

    /** What a compiled filter's SQL may consist of: profile columns, operators, placeholders. */
    static final Pattern SQL_TOKEN = Pattern.compile("\\s*(\\(|\\)|,|\\?|AND|OR|NOT|IN|IS|NULL|true|<>|>=|<=|=|>|<|[a-z_0-9]+)");

    static Path dir;
    static Backend duck;

    @BeforeContainer
    static void profiles() throws IOException {
        dir = Files.createTempDirectory("segment-props");
        Fixture fx = new Fixture(dir.resolve("wh"));
        LocalDate old = LocalDate.of(2019, 1, 1);
        fx.customer("c1", "Chengdu", old, "99").monthly("c1", "500.00", Fixture.months("2026-05", "2026-10"));
        fx.customer("c2", "Yibin", old, "59").monthly("c2", "20.00", Fixture.months("2026-08", "2026-10"));
        fx.write();
        duck = Engine.DUCKDB.open(Engine.Options.defaults());
        fx.wh.registerViews(duck);
        Profiles.build(duck, fx.wh, SegmentSettings.defaults(), OCT);
        duck.registerParquet("seg_props", fx.wh.monthPartition("profiles", OCT));
    }

    @AfterContainer
    static void close() throws IOException {
        duck.close();
        Warehouse.deleteTree(dir);
    }

    static SegmentFilter parseOrUserError(String text) {
        try {
            SegmentFilter f = SegmentFilter.parse(text);
            String sql = f.where();
            List<String> words = new ArrayList<>();
            Matcher m = SQL_TOKEN.matcher(sql);
            int at = 0;
            while (m.lookingAt()) {
                words.add(m.group(1));
                at = m.end();
                m.region(at, sql.length());
            }
            assertEquals(sql.length(), at, "the SQL of '" + text + "' is only columns, operators and ?: " + sql);
            for (String w : words) {
                if (w.matches("[a-z_0-9]+") && !w.equals("true")) {
                    assertTrue(SegmentFilter.TEXT.containsValue(w) || SegmentFilter.NUMBER.containsValue(w) || w.equals("spike_flag"),
                            "'" + w + "' in the SQL of '" + text + "' is a profile column");
                }
            }
            assertEquals(sql.chars().filter(c -> c == '?').count(), f.params().size(), text);
            for (Object p : f.params()) {
                if (p instanceof BigDecimal v) {
                    assertTrue(v.scale() >= 0 && v.scale() <= 18 && v.precision() - v.scale() <= 20, text + " -> " + v);
                }
            }
            return f;
        } catch (UserError e) {
            assertEquals(UserError.Kind.BAD_QUERY, e.kind(), text);
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), text);
            return null;
        }
    }

    @Property(tries = 400)
    void arbitraryTextParsesOrIsAUserError(@ForAll String text) {
        parseOrUserError(text);
    }

    @Property(tries = 200)
    void nearValidFiltersParseOrFailAndParsedOnesRun(@ForAll("nearValid") String text) {
        SegmentFilter f = parseOrUserError(text);
        if (f != null) {
            duck.query("SELECT count(*) AS n FROM seg_props WHERE " + f.where(), f.params().toArray());
        }
    }

    @Example
    void aHostileValueIsOneBoundParameter() {
        SegmentFilter f = SegmentFilter.parse("customer_id=c1'OR'1'='1");
        assertEquals("(customer_id IN (?))", f.where());
        assertEquals(List.of("c1'OR'1'='1"), f.params());
        assertEquals(0L, duck.query("SELECT count(*) AS n FROM seg_props WHERE " + f.where(), f.params().toArray()).scalarLong());
    }

    @Provide
    Arbitrary<String> nearValid() {
        Arbitrary<Character> nasty = Arbitraries.of(NASTY.chars().mapToObj(x -> (char) x).toList());
        Arbitrary<Integer> where = Arbitraries.integers().between(0, 1000);
        Arbitrary<String[]> edit = Combinators.combine(Arbitraries.integers().between(0, 3), where, nasty, where)
                .as((k, at, c, len) -> new String[] {String.valueOf(k), String.valueOf(at), String.valueOf(c), String.valueOf(len)});
        return Combinators.combine(Arbitraries.of(VALID), edit.list().ofMinSize(1).ofMaxSize(4)).as((b, es) -> {
            String s = b;
            for (String[] e : es) {
                int i = s.isEmpty() ? 0 : Integer.parseInt(e[1]) % (s.length() + 1);
                char c = e[2].charAt(0);
                s = switch (e[0]) {
                    case "0" -> s.substring(0, i) + c + s.substring(i);
                    case "1" -> i < s.length() ? s.substring(0, i) + s.substring(i + 1) : s;
                    case "2" -> i < s.length() ? s.substring(0, i) + c + s.substring(i + 1) : s + c;
                    default -> s.substring(0, i) + s.substring(i, Math.min(s.length(), i + Integer.parseInt(e[3]) % 12)) + s.substring(i);
                };
            }
            return s;
        });
    }
}
