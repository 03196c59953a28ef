package io.tiercube.jobs;

import io.tiercube.engine.UserError;
import io.tiercube.engine.backend.Backend;
import io.tiercube.engine.ingest.InputFolder;
import io.tiercube.engine.ingest.Ingestor;
import io.tiercube.engine.warehouse.RunManifest;
import io.tiercube.engine.warehouse.Warehouse;
import io.tiercube.engine.warehouse.WriterLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Ingests one dataset by hand, e.g. a late usage drop, outside the nightly job. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Ingests one dataset: customers, usage or complaints. For usage, --input is a day file",
            "(YYYY-MM-DD.csv[.gz]) or a folder of them; the day's partition is replaced."})
final class IngestCommand implements Callable<Integer> {

    enum Kind { customers, usage, complaints }

    @Mixin
    WarehouseOptions wh;

    @Parameters(index = "0", description = "customers, usage or complaints")
    Kind dataset;

    @Option(names = "--input", required = true, description = "The input file (or, for usage, a folder of day files).")
    Path input;

    @Option(names = "--date", description = "Snapshot / as-of date (default: today for customers and complaints; for usage only days up to it).")
    LocalDate date;

    @Option(names = "--encoding", defaultValue = "UTF-8", description = "UTF-8 (default) or GBK.")
    String encoding;

    @Option(names = "--max-reject-rate", defaultValue = "0.05", description = "Fail (exit 3) above this rejected share of a file (default: ${DEFAULT-VALUE}).")
    double maxRejectRate;

    @Override
    public Integer call() {
        Warehouse warehouse = wh.warehouse();
        RunManifest manifest = new RunManifest("ingest " + dataset + " --input " + input, wh.engineKind().id());
        LocalDate d = date != null ? date : LocalDate.now();
        try (WriterLock lock = WriterLock.acquire(warehouse, "tiercube ingest " + dataset);
             Backend backend = wh.open()) {
            Ingestor ing = new Ingestor(backend, warehouse, Ingestor.charset(encoding), maxRejectRate, manifest.runId);
            Ingestor.Result r = manifest.step("ingest", () -> switch (dataset) {
                case customers -> ing.customers(single(), d);
                case complaints -> ing.complaints(single(), d);
                case usage -> ing.usage(days(d));
            });
            manifest.inputs.addAll(r.inputs());
            manifest.addCounts(dataset.name(), r.total());
            manifest.finish(true, null);
        } catch (RuntimeException e) {
            if (!(e instanceof UserError u && u.kind() == UserError.Kind.LOCKED)) {
                manifest.finish(false, e.getMessage());
                manifest.save(warehouse);
            }
            throw e;
        }
        manifest.save(warehouse);
        manifest.datasets.forEach((k, c) -> System.out.printf("%-11s read %,d  accepted %,d  rejected %,d%n", k, c.read(), c.accepted(), c.rejected()));
        return ExitCodes.OK;
    }

    private InputFolder.InputFile single() {
        if (!Files.isRegularFile(input)) {
            throw new UserError(UserError.Kind.BAD_INPUT, input + ": file not found");
        }
        return new InputFolder.InputFile(input, input.getFileName().toString());
    }

    private TreeMap<LocalDate, InputFolder.InputFile> days(LocalDate upTo) {
        TreeMap<LocalDate, InputFolder.InputFile> days;
        if (Files.isDirectory(input)) {
            Path parent = input.toAbsolutePath().getParent();
            days = new InputFolder(parent).usageDays();
            if (!input.getFileName().toString().equals("usage")) {
                throw new UserError(UserError.Kind.BAD_INPUT, input + ": give a day file or a folder named usage/");
            }
        } else {
            String name = input.getFileName().toString();
            if (!name.matches("\\d{4}-\\d{2}-\\d{2}\\.(csv|csv\\.gz|parquet)")) {
                throw new UserError(UserError.Kind.BAD_INPUT, input + ": a usage file is named YYYY-MM-DD.csv[.gz] after its day");
            }
            if (!Files.isRegularFile(input)) {
                throw new UserError(UserError.Kind.BAD_INPUT, input + ": file not found");
            }
            days = new TreeMap<>();
            days.put(LocalDate.parse(name.substring(0, 10)), new InputFolder.InputFile(input, "usage/" + name));
        }
        return date == null ? days : new TreeMap<>(days.headMap(upTo, true));
    }
}
