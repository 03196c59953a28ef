package io.tiercube.engine.ingest;

import io.tiercube.engine.UserError;
import io.tiercube.engine.warehouse.RunManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An operator's drop folder (or {@code sample-data/}): {@code customers.csv[.gz]},
 * {@code complaints.csv[.gz]} and {@code usage/YYYY-MM-DD.csv[.gz]}, one file per day.
 */
public final class InputFolder {

    private static final Pattern DAY_FILE = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})\\.(csv|csv\\.gz|parquet)");

    /** One input file with its path as shown to users (relative to the folder). */
    public record InputFile(Path path, String name) {
        /** SHA-256 of the file's bytes, hex. */
        public String sha256() {
            try (InputStream in = Files.newInputStream(path)) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                }
                return HexFormat.of().formatHex(md.digest());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        public RunManifest.Input hashed() {
            return new RunManifest.Input(name, sha256());
        }

        /**
         * The file's size, modification and change times and identity (device and inode), as text:
         * the same until its content is rewritten, its times are set or it is replaced, which also
         * moves the change time no user can set back (git's index trusts the same facts). Taken before
         * hashing, it tells a later run that the hash still holds without reading the file ({@link InputHashes}).
         */
        String stat() {
            try {
                BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
                Object changed;
                try {
                    changed = Files.getAttribute(path, "unix:ctime");
                } catch (UnsupportedOperationException | IllegalArgumentException e) {
                    changed = "?";
                }
                return "size=" + a.size() + " modified=" + a.lastModifiedTime().toInstant() + " changed=" + changed
                        + " key=" + a.fileKey();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final Path dir;

    public InputFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError(UserError.Kind.BAD_INPUT, dir + ": data folder not found");
        }
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** customers.csv, .csv.gz or .parquet; required. */
    public InputFile customers() {
        return find("customers").orElseThrow(() -> new UserError(UserError.Kind.BAD_INPUT,
                dir + ": customers.csv (or customers.csv.gz) not found; it is required (see docs/input-format.md)"));
    }

    /** complaints.csv or complaints.csv.gz; optional. */
    public Optional<InputFile> complaints() {
        return find("complaints");
    }

    private Optional<InputFile> find(String base) {
        for (String ext : new String[] {".csv", ".csv.gz", ".parquet"}) {
            Path p = dir.resolve(base + ext);
            if (Files.isRegularFile(p)) {
                return Optional.of(new InputFile(p, base + ext));
            }
        }
        return Optional.empty();
    }

    /** Daily usage files by date, oldest first. A file named like a day but not a real date is an error. */
    public TreeMap<LocalDate, InputFile> usageDays() {
        TreeMap<LocalDate, InputFile> days = new TreeMap<>();
        Path u = dir.resolve("usage");
        if (!Files.isDirectory(u)) {
            return days;
        }
        try (Stream<Path> s = Files.list(u)) {
            for (Path p : s.sorted().toList()) {
                Matcher m = DAY_FILE.matcher(p.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                LocalDate day;
                try {
                    day = LocalDate.parse(m.group(1));
                } catch (DateTimeParseException e) {
                    throw new UserError(UserError.Kind.BAD_INPUT, "usage/" + p.getFileName() + ": the file name is not a real date");
                }
                InputFile f = new InputFile(p, "usage/" + p.getFileName());
                InputFile prev = days.put(day, f);
                if (prev != null) {
                    throw new UserError(UserError.Kind.BAD_INPUT, "usage/: two files for " + day + " (" + prev.name() + " and "
                            + f.name() + "); keep one");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return days;
    }
}
