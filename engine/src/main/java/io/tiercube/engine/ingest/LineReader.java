package io.tiercube.engine.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;

/** Splits bytes on LF (a CR before it is dropped): safe for UTF-8 and GBK, whose multibyte sequences never contain 0x0A. */
final class LineReader {

    /** One physical line: its number, raw bytes, and text (null when it does not decode). */
    record Line(long number, byte[] bytes, String text) {
    }

    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int len;
    private byte[] line = new byte[256];
    private int lineLength;
    private Boolean ascii;
    private boolean utf8;
    private boolean atEnd;
    long count;

    /** Receives a plain record: its line number and its bytes. */
    interface PlainRecords {
        void record(long line, byte[] bytes, int from, int length) throws IOException;
    }

    LineReader(InputStream in) {
        this.in = in;
    }

    Line next(CharsetDecoder decoder) throws IOException {
        return advance() ? current(decoder) : null;
    }

    /** Reads the next physical line into the line buffer; false at the end of the input. */
    boolean advance() throws IOException {
        int n = 0;
        boolean any = false;
        while (true) {
            if (pos == len) {
                len = in.read(buf, 0, buf.length);
                pos = 0;
                if (len <= 0) {
                    len = 0;
                    if (!any) {
                        return false;
                    }
                    break;
                }
            }
            any = true;
            int start = pos;
            int end = start;
            while (end < len && buf[end] != '\n') {
                end++;
            }
            int chunk = end - start;
            if (n + chunk > line.length) {
                line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, n + chunk));
            }
            System.arraycopy(buf, start, line, n, chunk);
            n += chunk;
            if (end < len) {
                pos = end + 1;
                break;
            }
            pos = len;
        }
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        lineLength = n;
        count++;
        return true;
    }

    /**
     * True when the current line is printable ASCII (tab allowed), or well-formed UTF-8 when the
     * input is UTF-8, has no quote character and exactly {@code commas} commas: such a line is a
     * valid unquoted CSV record as it stands, in the UTF-8 the engines read. A control byte (a lone
     * CR, NUL) would change how the engines split it, so it takes the general path.
     */
    boolean isPlainRecord(int commas) {
        return isPlain(line, 0, lineLength, commas, utf8);
    }

    static boolean isPlain(byte[] a, int from, int to, int commas, boolean utf8) {
        int seen = 0;
        for (int i = from; i < to; i++) {
            byte b = a[i];
            if (b < 0) {
                // Customers' names and addresses: copied as they are when they are the UTF-8 that
                // decoding and re-encoding would write (the general path cost 5 s per million rows).
                int n = utf8 ? utf8Sequence(a, i, to) : 0;
                if (n == 0) {
                    return false;
                }
                i += n - 1;
                continue;
            }
            if (b < 0x20 && b != '\t' || b == '"' || b == 0x7F) {
                return false;
            }
            if (b == ',') {
                seen++;
            } else if (b == ' ' && (i == from || i == to - 1 || a[i - 1] == ',' || a[i + 1] == ',')) {
                return false; // a value with spaces around it: the general path trims them
            }
        }
        return to > from && seen == commas;
    }

    /**
     * The length of the well-formed UTF-8 sequence starting at {@code i} (a byte of 0x80 or more),
     * or 0 when it is not one: a stray continuation byte, an overlong form, a surrogate, a code
     * point above U+10FFFF or a cut-off sequence (Unicode's table of well-formed byte sequences,
     * which Java's decoder also enforces).
     */
    static int utf8Sequence(byte[] a, int i, int to) {
        int b0 = a[i] & 0xFF;
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            n = 2;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            n = 3;
            lo = b0 == 0xE0 ? 0xA0 : lo;
            hi = b0 == 0xED ? 0x9F : hi;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            n = 4;
            lo = b0 == 0xF0 ? 0x90 : lo;
            hi = b0 == 0xF4 ? 0x8F : hi;
        } else {
            return 0;
        }
        if (i + n > to) {
            return 0;
        }
        int b1 = a[i + 1] & 0xFF;
        if (b1 < lo || b1 > hi) {
            return 0;
        }
        for (int k = 2; k < n; k++) {
            int b = a[i + k] & 0xFF;
            if (b < 0x80 || b > 0xBF) {
                return 0;
            }
        }
        return n;
    }

    /**
     * Passes the following lines that are plain records ({@link #isPlainRecord}) to {@code sink},
     * straight from the read buffer, and stops at the end of the input ({@link #atEnd}) or at the
     * first line that is not one, which is then the current line. Returns how many it passed. This
     * is the loop nearly every usage row goes through: no copy of the line, no allocation.
     */
    long copyPlainRecords(int commas, PlainRecords sink) throws IOException {
        long n = 0;
        while (true) {
            int start = pos;
            int nl = start;
            while (nl < len && buf[nl] != '\n') {
                nl++;
            }
            if (nl < len) { // the whole line is in the buffer
                int end = nl > start && buf[nl - 1] == '\r' ? nl - 1 : nl;
                pos = nl + 1;
                count++;
                if (isPlain(buf, start, end, commas, utf8)) {
                    sink.record(count, buf, start, end - start);
                    n++;
                    continue;
                }
                hold(start, end);
                return n;
            }
            // The line runs past the buffer (once per buffer): the general reader assembles it.
            if (!advance()) {
                atEnd = true;
                return n;
            }
            if (!isPlainRecord(commas)) {
                return n;
            }
            sink.record(count, line, 0, lineLength);
            n++;
        }
    }

    /** Whether {@link #copyPlainRecords} stopped at the end of the input. */
    boolean atEnd() {
        return atEnd;
    }

    private void hold(int start, int end) {
        int n = end - start;
        if (n > line.length) {
            line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, n));
        }
        System.arraycopy(buf, start, line, 0, n);
        lineLength = n;
    }

    boolean asciiCompatible(CharsetDecoder decoder) {
        if (ascii == null) {
            ascii = asciiCompatible(decoder.charset());
            utf8 = decoder.charset().equals(StandardCharsets.UTF_8);
        }
        return ascii;
    }

    /** The current line as bytes and decoded text (null text when it does not decode). */
    Line current(CharsetDecoder decoder) {
        byte[] bytes = java.util.Arrays.copyOf(line, lineLength);
        String text;
        if (asciiCompatible(decoder) && isAscii(bytes)) {
            text = new String(bytes, StandardCharsets.ISO_8859_1); // ASCII is the same in UTF-8 and GBK: skip the decoder
        } else {
            try {
                text = decoder.reset().decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                text = null;
            }
        }
        return new Line(count, bytes, text);
    }

    private static final String PROBE = "\n\r,\"azAZ09-: ";

    private static boolean asciiCompatible(Charset cs) {
        return cs.canEncode() && java.util.Arrays.equals(PROBE.getBytes(cs), PROBE.getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean isAscii(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                return false;
            }
        }
        return true;
    }
}
