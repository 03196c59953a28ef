package io.tiercube.engine.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.backend.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator's promises, checked on the files it writes: same seed same bytes, every reject reason
 * planted at the line the manifest states, good rows that obey the contract, and the planted patterns
 * (Chengdu share, churners declining, complaints) that other features are tested against.
 */
class DataGeneratorTest {

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Set<String> SERVICES = Set.of("voice", "sms", "data", "vas", "subscription");
    private static final Set<String> CALL_TYPES = Set.of("local", "long_distance", "international", "roaming");
    private static final Set<String> CATEGORIES = Set.of("billing", "network", "service", "product", "other");

    /** One drop shared by the pattern tests: 600 customers, 4 months, few events per day. */
    @TempDir
    static Path shared;
    static Drop drop;

    @BeforeAll
    static void generateOnce() throws IOException {
        GeneratorSettings s = GeneratorSettings.of(600, 4).withEventsPerDay(0.6).withBadRowRate(0.01);
        DataGenerator.generate(s, shared, false, null);
        drop = Drop.read(shared);
    }

    @Test
    void sameSeedGivesByteIdenticalFilesAndAnotherSeedDoesNot(@TempDir Path tmp) throws IOException {
        GeneratorSettings s = GeneratorSettings.of(120, 1).withEnd(LocalDate.of(2026, 2, 28)).withEventsPerDay(1.5);
        DataGenerator.generate(s, tmp.resolve("a"), false, null);
        DataGenerator.generate(s, tmp.resolve("b"), false, null);
        DataGenerator.generate(s.withSeed(8), tmp.resolve("c"), false, null);
        List<Path> files = files(tmp.resolve("a"));
        assertEquals(28 + 3, files.size(), "28 day files, customers, complaints and the manifest");
        for (Path f : files) {
            Path rel = tmp.resolve("a").relativize(f);
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(tmp.resolve("b").resolve(rel)), rel + " differs");
        }
        assertFalse(Arrays.equals(Files.readAllBytes(tmp.resolve("a/usage/2026-02-10.csv.gz")),
                Files.readAllBytes(tmp.resolve("c/usage/2026-02-10.csv.gz"))), "seed 8 must give other data");
    }

    @Test
    void everyRejectReasonIsPlantedAtTheLineTheManifestStates() throws IOException {
        Map<String, Set<String>> reasonsByDataset = new HashMap<>();
        for (JsonNode f : drop.manifest.get("files")) {
            String file = f.get("file").asText();
            String dataset = f.get("dataset").asText();
            List<byte[]> lines = drop.lines.get(file);
            assertEquals(f.get("rows").asLong() + 1, lines.size(), file + ": header + rows");
            for (JsonNode b : f.get("bad_rows")) {
                int line = b.get("line").asInt();
                String reason = b.get("reason").asText();
                String field = b.get("field").asText();
                reasonsByDataset.computeIfAbsent(dataset, k -> new HashSet<>()).add(reason);
                byte[] raw = lines.get(line - 1);
                String where = file + " line " + line + " (" + reason + ")";
                if (reason.equals("encoding")) {
                    assertFalse(isUtf8(raw), where + " must hold invalid UTF-8");
                    continue;
                }
                List<String> header = drop.header(file);
                String[] v = new String(raw, StandardCharsets.UTF_8).split(",", -1);
                if (reason.equals("wrong_column_count")) {
                    assertEquals("", field, where + ": a line-level reason names no field");
                    assertTrue(v.length != header.size(), where);
                    continue;
                }
                assertEquals(header.size(), v.length, where);
                String value = v[header.indexOf(field)];
                if (b.has("value")) {
                    assertEquals(b.get("value").asText(), value, where);
                }
                switch (reason) {
                    case "missing_field" -> assertEquals("", value, where);
                    case "bad_number" -> assertTrue(notNumber(value), where + ": " + value);
                    case "bad_timestamp" -> assertTrue(notTimestamp(value, field), where + ": " + value);
                    case "negative_value" -> assertTrue(value.startsWith("-"), where);
                    case "bad_enum" -> assertFalse(Set.of("voice", "sms", "data", "vas", "subscription", "local",
                            "long_distance", "billing", "network", "key_account", "enterprise", "mass_market", "M", "F", "U",
                            "store", "agent", "online", "telesales", "direct").contains(value), where);
                    case "duplicate_id" -> assertTrue(drop.seenBefore(file, line, value), where + ": " + value + " not seen before");
                    case "unknown_customer" -> assertFalse(drop.customers.containsKey(value), where);
                    case "out_of_range_date" -> assertFalse(value.startsWith(file.substring(6, 16)), where);
                    default -> throw new AssertionError("unexpected reason " + reason);
                }
            }
        }
        assertEquals(Set.of("wrong_column_count", "missing_field", "bad_number", "bad_timestamp", "bad_enum", "negative_value",
                "duplicate_id", "unknown_customer", "out_of_range_date", "encoding"), reasonsByDataset.get("usage"));
        assertEquals(Set.of("wrong_column_count", "missing_field", "bad_number", "bad_timestamp", "bad_enum", "negative_value",
                "duplicate_id", "encoding"), reasonsByDataset.get("customers"));
        assertEquals(Set.of("wrong_column_count", "missing_field", "bad_number", "bad_timestamp", "bad_enum",
                "duplicate_id", "unknown_customer", "encoding"), reasonsByDataset.get("complaints"));
    }

    @Test
    void goodRowsObeyTheInputContract() {
        for (Customer c : drop.customers.values()) {
            assertTrue(c.msisdn.matches("1[358]\\d{9}"), c.msisdn);
            assertTrue(Set.of("key_account", "enterprise", "mass_market").contains(c.segment));
            assertEquals(c.status.equals("closed"), c.closed != null, c.id + ": closed_date iff closed");
            assertTrue(c.name.codePoints().allMatch(cp -> cp >= 0x4E00 && cp <= 0x9FFF), c.name);
        }
        assertEquals(600, drop.customers.size());
        assertEquals(600, drop.customers.values().stream().map(c -> c.msisdn).distinct().count(), "msisdn unique");
        Set<String> ids = new HashSet<>();
        for (Usage u : drop.usage) {
            assertTrue(ids.add(u.recordId), "record_id unique: " + u.recordId);
            assertTrue(SERVICES.contains(u.service), u.service);
            assertEquals(u.service.equals("voice"), u.callType != null, u.recordId + ": call_type for voice only");
            if (u.callType != null) {
                assertTrue(CALL_TYPES.contains(u.callType));
            }
            assertTrue(u.charge.signum() >= 0 && u.charge.scale() == 2, u.recordId);
            assertEquals(u.fileDay, u.time.toLocalDate(), u.recordId + " on its file's date");
        }
        for (Complaint k : drop.complaints) {
            assertTrue(CATEGORIES.contains(k.category));
            assertTrue(k.resolved == null || k.resolved.isAfter(k.opened));
            assertTrue(k.satisfaction == null || (k.satisfaction >= 1 && k.satisfaction <= 5));
            assertTrue(drop.customers.containsKey(k.customer));
        }
    }

    @Test
    void noUsageBeforeJoiningOrOnOrAfterClosing() {
        for (Usage u : drop.usage) {
            Customer c = drop.customers.get(u.customer);
            assertNotNull(c, u.customer + " is a known customer");
            assertFalse(u.fileDay.isBefore(c.join), u.recordId + " before join " + c.join);
            assertTrue(c.closed == null || u.fileDay.isBefore(c.closed), u.recordId + " after closing " + c.closed);
        }
    }

    @Test
    void planFeesArriveAsOneSubscriptionPerActiveCustomerOnTheFirst() {
        LocalDate first = LocalDate.of(2026, 9, 1);
        long active = drop.customers.values().stream()
                .filter(c -> !c.join.isAfter(first) && (c.closed == null || first.isBefore(c.closed))).count();
        List<Usage> subs = drop.usage.stream().filter(u -> u.service.equals("subscription")).toList();
        assertEquals(active, subs.stream().filter(u -> u.fileDay.equals(first)).count());
        assertTrue(subs.stream().allMatch(u -> u.fileDay.getDayOfMonth() == 1));
        for (Usage u : subs) {
            Customer c = drop.customers.get(u.customer);
            assertEquals(c.planFee, u.charge);
            assertEquals("plan-" + c.planId, u.product);
        }
    }

    @Test
    void rowsPerDayArePlausibleForTheEventRate() {
        Map<LocalDate, Long> perDay = drop.usage.stream().filter(u -> !u.service.equals("subscription"))
                .collect(Collectors.groupingBy(u -> u.fileDay, Collectors.counting()));
        assertEquals(123, drop.manifest.get("totals").get("usage_files").asInt(), "2026-07-01 … 2026-10-31");
        for (LocalDate d = LocalDate.of(2026, 7, 1); !d.isAfter(LocalDate.of(2026, 10, 31)); d = d.plusDays(1)) {
            LocalDate day = d;
            long active = drop.customers.values().stream()
                    .filter(c -> !c.join.isAfter(day) && (c.closed == null || day.isBefore(c.closed))).count();
            long rows = perDay.getOrDefault(d, 0L);
            // 0.6 records per active customer and day, less on weekends for business lines and for decliners
            assertTrue(rows > 0.35 * active && rows < 1.0 * active, d + ": " + rows + " rows for " + active + " customers");
        }
    }

    @Test
    void chengduHoldsAboutThirtyPercentOfCustomersAndSegmentsAreSkewed() {
        double chengdu = drop.customers.values().stream().filter(c -> c.city.equals("Chengdu")).count() / 600.0;
        assertTrue(chengdu > 0.25 && chengdu < 0.35, "Chengdu share " + chengdu);
        long mass = drop.customers.values().stream().filter(c -> c.segment.equals("mass_market")).count();
        assertTrue(mass > 0.75 * 600 && mass < 0.9 * 600, "mass market " + mass);
    }

    @Test
    void churnersSpendLessInTheirLastMonthThanAtTheStart() {
        LocalDate start = LocalDate.of(2026, 7, 1);
        Map<String, Double> last = new HashMap<>();
        Map<String, Double> first = new HashMap<>();
        List<Customer> churners = drop.customers.values().stream()
                .filter(c -> c.closed != null && !c.closed.isBefore(start.plusDays(90)) && c.join.isBefore(start)).toList();
        assertTrue(churners.size() >= 5, "churners with 3 months of history: " + churners.size());
        for (Customer c : churners) {
            last.put(c.id, 0.0);
            first.put(c.id, 0.0);
        }
        for (Usage u : drop.usage) {
            if (!last.containsKey(u.customer)) {
                continue;
            }
            Customer c = drop.customers.get(u.customer);
            if (c.closed.toEpochDay() - u.fileDay.toEpochDay() <= 30) {
                last.merge(c.id, u.charge.doubleValue(), Double::sum);
            } else if (u.fileDay.toEpochDay() - start.toEpochDay() < 30) {
                first.merge(c.id, u.charge.doubleValue(), Double::sum);
            }
        }
        double meanLast = last.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double meanFirst = first.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(meanLast < 0.7 * meanFirst, "last 30 days before closing " + meanLast + " vs first 30 days " + meanFirst);
        long declined = churners.stream().filter(c -> last.get(c.id) < first.get(c.id)).count();
        assertTrue(declined >= 0.75 * churners.size(), declined + " of " + churners.size() + " churners declined");
    }

    @Test
    void complaintsAreSeveralTimesMoreFrequentAmongFutureChurners() {
        Map<String, Long> tickets = drop.complaints.stream().collect(Collectors.groupingBy(k -> k.customer, Collectors.counting()));
        double churnerMonths = 0;
        double otherMonths = 0;
        long churnerTickets = 0;
        long otherTickets = 0;
        LocalDate start = LocalDate.of(2026, 7, 1);
        LocalDate end = LocalDate.of(2026, 11, 1);
        for (Customer c : drop.customers.values()) {
            LocalDate from = c.join.isAfter(start) ? c.join : start;
            LocalDate to = c.closed == null ? end : c.closed;
            double months = Math.max(0, to.toEpochDay() - from.toEpochDay()) / 30.44;
            if (c.closed != null) {
                churnerMonths += months;
                churnerTickets += tickets.getOrDefault(c.id, 0L);
            } else {
                otherMonths += months;
                otherTickets += tickets.getOrDefault(c.id, 0L);
            }
        }
        double churnerRate = churnerTickets / churnerMonths;
        double otherRate = otherTickets / otherMonths;
        assertTrue(churnerRate > 3 * otherRate, "per customer-month: churners " + churnerRate + ", others " + otherRate);
    }

    @Test
    void manifestTotalsAddUp() {
        JsonNode t = drop.manifest.get("totals");
        long bad = 0;
        long usageRows = 0;
        for (JsonNode f : drop.manifest.get("files")) {
            bad += f.get("bad_rows").size();
            assertEquals(f.get("good_rows").asLong() + f.get("bad_rows").size(), f.get("rows").asLong());
            if (f.get("dataset").asText().equals("usage")) {
                usageRows += f.get("good_rows").asLong();
            }
        }
        assertEquals(t.get("bad_rows").asLong(), bad);
        assertEquals(t.get("usage_rows").asLong(), usageRows);
        assertEquals(usageRows, drop.usage.size());
        assertEquals(t.get("complaints").asLong(), drop.complaints.size());
        assertEquals(drop.customers.values().stream().filter(c -> c.closed != null).count(),
                drop.manifest.get("planted").get("churners").asLong());
    }

    @Test
    void parquetHoldsTheSameGoodRowsAsCsv(@TempDir Path tmp) {
        GeneratorSettings s = GeneratorSettings.of(80, 1).withEventsPerDay(1.0).withBadRowRate(0);
        DataGenerator.generate(s, tmp.resolve("csv"), false, null);
        DataGenerator.generate(s.withFormat(GeneratorSettings.Format.PARQUET), tmp.resolve("pq"), false, null);
        try (Backend db = Engine.DUCKDB.open(Engine.Options.defaults())) {
            String fromCsv = "SELECT count(*), sum(charge::DECIMAL(18,2)) FROM read_csv('" + tmp.resolve("csv/usage") + "/*.csv.gz',"
                    + " header = true, auto_detect = false, all_varchar = true, columns = {" + columns() + "})";
            String fromParquet = "SELECT count(*), sum(charge::DECIMAL(18,2)) FROM read_parquet('" + tmp.resolve("pq/usage")
                    + "/*.parquet')";
            assertEquals(db.query(fromCsv).rows(), db.query(fromParquet).rows());
            assertEquals("VARCHAR", db.query("SELECT typeof(charge) FROM read_parquet('" + tmp.resolve("pq/usage")
                    + "/2026-10-01.parquet') LIMIT 1").scalar());
        }
    }

    @Test
    void refusesToOverwriteGeneratedFilesUnlessAskedTo(@TempDir Path tmp) throws IOException {
        GeneratorSettings s = GeneratorSettings.of(20, 1).withBadRowRate(0);
        DataGenerator.generate(s, tmp, false, null);
        Files.writeString(tmp.resolve("tiercube.yaml"), "kept: true\n");
        UserError e = assertThrows(UserError.class, () -> DataGenerator.generate(s, tmp, false, null));
        assertTrue(e.getMessage().contains("--replace"), e.getMessage());
        DataGenerator.generate(s.withEnd(LocalDate.of(2026, 9, 30)), tmp, true, null);
        assertTrue(Files.exists(tmp.resolve("tiercube.yaml")), "files the generator did not write are kept");
        assertFalse(Files.exists(tmp.resolve("usage/2026-10-01.csv.gz")), "stale day files are removed");
        assertTrue(Files.exists(tmp.resolve("usage/2026-09-30.csv.gz")));
    }

    @Test
    void settingsAreCheckedWithPlainMessages() {
        UserError e = assertThrows(UserError.class, () -> GeneratorSettings.of(0, 1));
        assertTrue(e.getMessage().contains("--customers"));
        assertThrows(UserError.class, () -> GeneratorSettings.of(10, 1).withBadRowRate(0.5));
        assertEquals(LocalDate.of(2026, 5, 1), GeneratorSettings.of(10, 6).start());
        assertEquals(LocalDate.of(2026, 9, 16), GeneratorSettings.of(10, 1).withEnd(LocalDate.of(2026, 10, 15)).start());
    }

    // ---- reading a drop back (plain Java, so the checks do not share code with the generator) ----

    private static String columns() {
        return Stream.of(UsageSql.COLUMNS.split(",\\s*")).map(c -> "'" + c + "': 'VARCHAR'").collect(Collectors.joining(", "));
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static boolean isUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean notNumber(String v) {
        try {
            BigDecimal d = new BigDecimal(v);
            return d.abs().compareTo(new BigDecimal("1e18")) > 0;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static boolean notTimestamp(String v, String field) {
        try {
            if (field.endsWith("_date")) {
                LocalDate.parse(v);
            } else {
                LocalDateTime.parse(v, TS);
            }
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }

    record Customer(String id, String msisdn, String name, String city, String segment, LocalDate join, String planId,
                    BigDecimal planFee, String status, LocalDate closed) {
    }

    record Usage(LocalDate fileDay, String recordId, String customer, LocalDateTime time, String service, String callType,
                 String product, BigDecimal charge) {
    }

    record Complaint(String customer, LocalDateTime opened, String category, LocalDateTime resolved, Integer satisfaction) {
    }

    /** A generated drop read back: raw lines per file, and the good rows (every line the manifest does not list). */
    static final class Drop {
        JsonNode manifest;
        final Map<String, List<byte[]>> lines = new HashMap<>();
        final Map<String, Customer> customers = new HashMap<>();
        final List<Usage> usage = new ArrayList<>();
        final List<Complaint> complaints = new ArrayList<>();

        static Drop read(Path dir) throws IOException {
            Drop d = new Drop();
            d.manifest = new ObjectMapper().readTree(dir.resolve("_generated.json").toFile());
            for (JsonNode f : d.manifest.get("files")) {
                String file = f.get("file").asText();
                List<byte[]> lines = gunzipLines(dir.resolve(file));
                d.lines.put(file, lines);
                Set<Integer> bad = new HashSet<>();
                f.get("bad_rows").forEach(b -> bad.add(b.get("line").asInt()));
                for (int i = 2; i <= lines.size(); i++) {
                    if (bad.contains(i)) {
                        continue;
                    }
                    String line = new String(lines.get(i - 1), StandardCharsets.UTF_8);
                    assertFalse(line.contains("\""), file + " line " + i + ": good rows need no quotes");
                    String[] v = line.split(",", -1);
                    switch (f.get("dataset").asText()) {
                        case "customers" -> {
                            assertEquals(19, v.length, file + " line " + i);
                            Customer c = new Customer(v[0], v[1], v[2], v[9], v[11], LocalDate.parse(v[12]), v[13],
                                    new BigDecimal(v[14]), v[17], v[18].isEmpty() ? null : LocalDate.parse(v[18]));
                            assertEquals(null, d.customers.put(c.id, c), "duplicate good customer " + c.id);
                        }
                        case "usage" -> {
                            assertEquals(10, v.length, file + " line " + i);
                            d.usage.add(new Usage(LocalDate.parse(file.substring(6, 16)), v[0], v[1], LocalDateTime.parse(v[2], TS),
                                    v[3], v[4].isEmpty() ? null : v[4], v[5], new BigDecimal(v[8])));
                        }
                        default -> {
                            assertEquals(6, v.length, file + " line " + i);
                            d.complaints.add(new Complaint(v[1], LocalDateTime.parse(v[2], TS), v[3],
                                    v[4].isEmpty() ? null : LocalDateTime.parse(v[4], TS), v[5].isEmpty() ? null : Integer.valueOf(v[5])));
                        }
                    }
                }
            }
            return d;
        }

        List<String> header(String file) {
            return List.of(new String(lines.get(file).get(0), StandardCharsets.UTF_8).split(","));
        }

        /** True when {@code id} is the first field of an earlier line of this file or of the previous day's file. */
        boolean seenBefore(String file, int line, String id) {
            List<byte[]> own = lines.get(file);
            for (int i = 1; i < line - 1; i++) {
                if (new String(own.get(i), StandardCharsets.UTF_8).startsWith(id + ",")) {
                    return true;
                }
            }
            if (file.startsWith("usage/")) {
                LocalDate prev = LocalDate.parse(file.substring(6, 16)).minusDays(1);
                List<byte[]> other = lines.get("usage/" + prev + ".csv.gz");
                return other != null && other.stream().anyMatch(l -> new String(l, StandardCharsets.UTF_8).startsWith(id + ","));
            }
            return false;
        }

        private static List<byte[]> gunzipLines(Path file) throws IOException {
            byte[] all;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                all = in.readAllBytes();
            }
            List<byte[]> out = new ArrayList<>();
            int from = 0;
            for (int i = 0; i < all.length; i++) {
                if (all[i] == '\n') {
                    out.add(Arrays.copyOfRange(all, from, i));
                    from = i + 1;
                }
            }
            assertEquals(all.length, from, file + " ends with a newline");
            return out;
        }
    }
}
