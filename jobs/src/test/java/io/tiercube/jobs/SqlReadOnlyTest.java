package io.tiercube.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, part 4: {@code tiercube sql} is read-only. Every statement or function that writes,
 * loads code or reaches a file by path is refused with exit 7 before it runs, and the ones that
 * slip past the text check (a file named in a FROM clause) are refused by the engine's own sandbox.
 */
class SqlReadOnlyTest {

    @TempDir
    static Path dir;
    static String wh;
    static Path secret;
    static Path outside;

    @BeforeAll
    static void warehouse() throws IOException {
        Path data = TestDrop.write(dir.resolve("in"), 6, 2, 5);
        wh = dir.resolve("wh").toString();
        assertEquals(0, CliRun.of("nightly", "--data", data.toString(), "--warehouse", wh, "--max-reject-rate", "0.5").exit());
        secret = dir.resolve("secret.csv");
        Files.writeString(secret, "k,v\nTOPSECRET,1\n");
        outside = dir.resolve("outside");
        Files.createDirectories(outside);
    }

    static CliRun sql(String q, String... extra) {
        List<String> args = new ArrayList<>(List.of("sql", "--warehouse", wh, "--format", "csv"));
        args.addAll(List.of(extra));
        args.add(q);
        return CliRun.of(args.toArray(String[]::new));
    }

    static void assertRefused(CliRun r, String q) {
        assertEquals(ExitCodes.BAD_QUERY, r.exit(), q + "\n" + r.out() + r.err());
        assertTrue(r.err().startsWith("tiercube: "), q + ": " + r.err());
        assertFalse(r.err().contains("internal error") || r.err().contains("\tat "), q + ": " + r.err());
        assertFalse((r.out() + r.err()).contains("TOPSECRET"), q + ": the secret file was read");
    }

    @Test
    void everyWritingOrLoadingStatementIsRefused() throws IOException {
        String s = secret.toString();
        String o = outside.toString();
        Map<String, String> queries = Map.ofEntries(
                Map.entry("drop", "DROP VIEW usage"),
                Map.entry("delete", "DELETE FROM usage"),
                Map.entry("insert", "INSERT INTO usage SELECT * FROM usage"),
                Map.entry("create", "CREATE TABLE t AS SELECT 1"),
                Map.entry("copy to", "COPY (SELECT * FROM customers) TO '" + o + "/x.csv'"),
                Map.entry("copy inside a with", "WITH x AS (SELECT 1) COPY x TO '" + o + "/x.csv'"),
                Map.entry("attach", "ATTACH '" + o + "/x.db'"),
                Map.entry("install", "INSTALL httpfs"),
                Map.entry("load", "LOAD httpfs"),
                Map.entry("pragma", "PRAGMA enable_profiling"),
                Map.entry("set", "SET enable_external_access = true"),
                Map.entry("export database", "EXPORT DATABASE '" + o + "'"),
                Map.entry("read_csv", "SELECT * FROM read_csv('" + s + "')"),
                Map.entry("read_csv_auto", "SELECT * FROM read_csv_auto('" + s + "')"),
                Map.entry("read_parquet", "SELECT * FROM read_parquet('" + o + "/*.parquet')"),
                Map.entry("read_text", "SELECT * FROM read_text('" + s + "')"),
                Map.entry("read_blob", "SELECT * FROM read_blob('" + s + "')"),
                Map.entry("read_json_objects", "SELECT * FROM read_json_objects('" + s + "')"),
                Map.entry("read_ndjson", "SELECT * FROM read_ndjson('" + s + "')"),
                Map.entry("parquet_metadata", "SELECT * FROM parquet_metadata('" + o + "/x.parquet')"),
                Map.entry("glob", "SELECT * FROM glob('/etc/*')"),
                Map.entry("write in a select", "SELECT write_csv(1)"),
                Map.entry("query()", "SELECT * FROM query('SELECT 1')"),
                Map.entry("sqlite_scan", "SELECT * FROM sqlite_scan('" + o + "/x.db', 't')"),
                Map.entry("two statements", "SELECT 1; DROP VIEW usage"),
                Map.entry("two selects", "SELECT 1; SELECT 2"),
                Map.entry("reflect", "SELECT reflect('java.lang.System', 'exit', 0)"),
                Map.entry("java_method", "SELECT java_method('java.lang.System', 'getenv', 'HOME')"),
                Map.entry("script transform", "SELECT TRANSFORM(customer_id) USING 'cat /etc/passwd' FROM customers"),
                Map.entry("variable substitution", "SELECT '${env:HOME}' AS h"),
                Map.entry("execute immediate", "SELECT 1 FROM (EXECUTE IMMEDIATE 'DROP VIEW usage')"),
                Map.entry("call", "CALL pragma_version()"));
        for (Map.Entry<String, String> e : queries.entrySet()) {
            assertRefused(sql(e.getValue()), e.getKey() + ": " + e.getValue());
        }
        assertEquals(0, Files.list(outside).count(), "nothing was written outside the warehouse");
    }

    @Test
    void textHiddenInQuotesOrCommentsIsStillChecked() {
        for (String q : List.of(
                "SELECT 1 /* ; */ ; DROP VIEW usage",
                "SELECT 1 -- harmless\n; DROP VIEW usage",
                "SELECT 'a\\'', read_text('" + secret + "') AS x, ''''",          // Spark reads \' as a quote inside the text
                "SELECT \"'\" AS a, read_text('" + secret + "') AS b, \"'\" AS c", // a quote inside a quoted name
                "SELECT $$'$$ AS a, read_text('" + secret + "'), $$'$$",          // DuckDB's dollar quoting
                "SELECT 1 /* /* */ ; DROP VIEW usage */",                      // nested comments: engines disagree
                "SELECT 'unterminated",
                "SELECT 1 /* unterminated",
                "SELECT * FROM \"read_csv\"('" + secret + "')",
                "SELECT * FROM text.`" + secret + "`",
                "SELECT * FROM \"" + secret + "\"",
                "  select 1;;",
                "/* comment first */ DROP VIEW usage",
                "WITH x AS (SELECT 1) INSERT INTO usage SELECT * FROM usage")) {
            CliRun r = sql(q);
            if (q.equals("  select 1;;")) {
                assertEquals(0, r.exit(), r.err()); // trailing semicolons are harmless
                continue;
            }
            assertRefused(r, q);
        }
    }

    @Test
    void aFileNamedInTheFromClauseIsRefusedByTheEngineSandbox() {
        CliRun r = sql("SELECT * FROM '" + secret + "'");
        assertRefused(r, "FROM 'file'");
        assertTrue(r.err().contains("Permission"), r.err());
    }

    /** A file named without a '/' passes the text check; the engines' sandboxes refuse it. */
    @Test
    void aRelativeFileNameIsRefusedByBothEnginesSandboxes() throws IOException {
        Path here = Path.of("tiercube-sql-sandbox-test.csv");
        Files.writeString(here, "k,v\nTOPSECRET,1\n");
        try {
            SharedSpark.ready();
            assertRefused(sql("SELECT * FROM \"" + here + "\""), "duckdb: FROM \"file\"");
            assertRefused(sql("SELECT * FROM '" + here + "'"), "duckdb: FROM 'file'");
            assertRefused(sql("SELECT * FROM text.`" + here + "`", "--engine", "spark"), "spark: text.`file`");
            assertRefused(sql("SELECT * FROM csv.`" + here + "`", "--engine", "spark"), "spark: csv.`file`");
        } finally {
            Files.deleteIfExists(here);
        }
    }

    @Test
    void ordinaryQueriesStillWork() {
        assertEquals("n\n6\n", sql("select count(*) as n from customers").out());
        assertEquals("n\n6\n", sql("SELECT count(*) AS n FROM customers -- all of them\n").out());
        assertEquals("n\n6\n", sql("/* how many */ SELECT count(*) AS n FROM customers;").out());
        assertEquals("n\n1\n", sql("select count(*) as n from customers where regexp_matches(customer_id, '^C\\d+1$')").out());
        assertEquals("s\nit's; drop\n", sql("select 'it''s; drop' as s").out());
        assertEquals("n\n6\n", sql("with c as (select * from customers) select count(*) as n from c").out());
        assertEquals("offset_ok\n1\n", sql("select 1 as offset_ok from customers limit 1 offset 0").out());
        CliRun rejects = sql("select count(*) as n from read_text('x')");
        assertEquals(ExitCodes.BAD_QUERY, rejects.exit());
    }

    /** The same checks hold on Spark, whose quoting and file syntax differ. */
    @Test
    void sparkRefusesFilesByPathAndVariableSubstitution() {
        SharedSpark.ready();
        CliRun ok = sql("select count(*) as n from customers", "--engine", "spark");
        assertEquals(0, ok.exit(), ok.err());
        assertEquals("n\n6\n", ok.out());
        for (String q : List.of("SELECT * FROM text.`" + secret + "`", "SELECT * FROM csv.`" + secret + "`",
                "SELECT '${env:HOME}' AS h", "SELECT reflect('java.util.UUID', 'randomUUID') AS u",
                "SELECT 'a\\'', reflect('java.util.UUID', 'randomUUID') AS x, ''''")) {
            assertRefused(sql(q, "--engine", "spark"), "spark: " + q);
        }
    }
}
