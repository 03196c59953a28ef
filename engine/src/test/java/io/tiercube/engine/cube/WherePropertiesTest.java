package io.tiercube.engine.cube;

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
import java.time.YearMonth;
import java.util.List;
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
 * Issue 8, part 5: the {@code --where} grammar on arbitrary and near-valid text. Every input either
 * parses into filters the SQL can only bind (levels and measures of the model, a known operator, a
 * bindable number) or is a BAD_QUERY error with a message; nothing else escapes. The near-valid
 * inputs also run as drills on a small cube: the engine never refuses what the parser accepted.
 */
class WherePropertiesTest {

    static final CubeModel MODEL = CubeFixtures.model();
    static final List<String> VALID = List.of("region.city=Chengdu", "region.city=Chengdu,Yibin product.line!=sms",
            "segment=enterprise", "region.city='Xi an'", "revenue>=10", "revenue<1e3 users>0", "time.month=2026-10",
            "channel.type!=store,agent arpu>=2.5", "product.product=\"data-5g\"", "time.day=2026-10-02 region.province=Sichuan");
    /** Characters that matter to the grammar or to SQL, and some that only look like them. */
    static final String NASTY = "'\"=!<>,. \t\n;-/*\\()%_$`\u0000\u2019\uFF07\u00A0e+E9.0";

    static Path dir;
    static Backend duck;
    static Warehouse wh;

    @BeforeContainer
    static void cube() throws IOException {
        dir = Files.createTempDirectory("where-props");
        duck = Engine.DUCKDB.open(Engine.Options.defaults());
        wh = CubeFixtures.tiny(duck, dir.resolve("wh"));
        CubeBuild.build(duck, wh, MODEL, YearMonth.of(2026, 9));
        CubeBuild.build(duck, wh, MODEL, YearMonth.of(2026, 10));
    }

    @AfterContainer
    static void close() throws IOException {
        duck.close();
        Warehouse.deleteTree(dir);
    }

    /** Parses, checking what a parsed filter may contain; a user error must say something. */
    static Where parseOrUserError(String text) {
        try {
            Where w = Where.parse(text, MODEL);
            for (Where.LevelFilter f : w.levels()) {
                assertTrue(MODEL.levels().containsValue(f.level()), text);
                assertFalse(f.values().isEmpty(), text);
            }
            for (Where.MeasureFilter f : w.measures()) {
                assertTrue(MODEL.measures().containsValue(f.measure()), text);
                assertTrue(List.of("=", "!=", ">", ">=", "<", "<=").contains(f.op()), text);
                BigDecimal v = f.value();
                assertTrue(v.scale() >= 0 && v.scale() <= 18 && v.precision() - v.scale() <= 20, text + " -> " + v);
            }
            return w;
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

    @Property(tries = 400)
    void textOfGrammarCharactersParsesOrIsAUserError(@ForAll("grammarish") String text) {
        parseOrUserError(text);
    }

    @Property(tries = 150)
    void nearValidFiltersParseOrFailAndParsedOnesRunAsDrills(@ForAll("nearValid") String text) {
        Where w = parseOrUserError(text);
        if (w == null) {
            return;
        }
        DrillQuery.Request q = new DrillQuery.Request().by(List.of("region.city")).measures(List.of("revenue", "users", "arpu"))
                .where(text).month(YearMonth.of(2026, 10));
        try {
            DrillQuery.run(duck, wh, MODEL, q);
        } catch (UserError e) {
            assertFalse(e.getMessage().isBlank(), text);
        }
    }

    @Example
    void aQuotedInjectionIsOneLiteralValue() {
        Where w = Where.parse("region.city=\"Chengdu' OR '1'='1\"", MODEL);
        assertEquals(List.of("Chengdu' OR '1'='1"), w.levels().get(0).values());
        assertEquals(new BigDecimal("1000"), Where.parse("revenue>=1e3", MODEL).measures().get(0).value());
    }

    @Provide
    Arbitrary<String> grammarish() {
        Arbitrary<Character> c = Arbitraries.oneOf(Arbitraries.of(NASTY.chars().mapToObj(x -> (char) x).toList()),
                Arbitraries.chars().alpha(), Arbitraries.chars().numeric());
        Arbitrary<String> noise = c.list().ofMaxSize(30).map(WherePropertiesTest::join);
        Arbitrary<String> name = Arbitraries.of(List.copyOf(MODEL.levels().keySet()));
        Arbitrary<String> key = Arbitraries.oneOf(name, Arbitraries.of("revenue", "users", "arpu", "events", "segment", "region"));
        Arbitrary<String> term = Combinators.combine(key, Arbitraries.of("=", "!=", ">=", "<", "==", "=!", ""), noise)
                .as((k, op, v) -> k + op + v);
        return term.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(" ", l));
    }

    @Provide
    Arbitrary<String> nearValid() {
        Arbitrary<String> base = Arbitraries.of(VALID);
        Arbitrary<Character> nasty = Arbitraries.of(NASTY.chars().mapToObj(x -> (char) x).toList());
        Arbitrary<Integer> where = Arbitraries.integers().between(0, 1000);
        Arbitrary<Mutation> m = Combinators.combine(Arbitraries.integers().between(0, 3), where, nasty, where).as(Mutation::new);
        return Combinators.combine(base, m.list().ofMinSize(1).ofMaxSize(4)).as((b, ms) -> {
            String s = b;
            for (Mutation x : ms) {
                s = x.apply(s);
            }
            return s;
        });
    }

    /** One edit: 0 insert a character, 1 delete one, 2 replace one, 3 repeat a slice. */
    record Mutation(int kind, int at, char c, int len) {
        String apply(String s) {
            int i = s.isEmpty() ? 0 : at % (s.length() + 1);
            return switch (kind) {
                case 0 -> s.substring(0, i) + c + s.substring(i);
                case 1 -> i < s.length() ? s.substring(0, i) + s.substring(i + 1) : s;
                case 2 -> i < s.length() ? s.substring(0, i) + c + s.substring(i + 1) : s + c;
                default -> s.substring(0, i) + s.substring(i, Math.min(s.length(), i + len % 12)) + s.substring(i);
            };
        }
    }

    static String join(List<Character> cs) {
        StringBuilder sb = new StringBuilder();
        cs.forEach(sb::append);
        return sb.toString();
    }
}
