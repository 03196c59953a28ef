package io.tiercube.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * The plain-record test decides which lines are copied to the engines byte for byte: a line it
 * passes must be exactly what decoding and re-encoding would have written.
 */
class LineReaderTest {

    private static boolean plain(byte[] line, int commas, boolean utf8) {
        return LineReader.isPlain(line, 0, line.length, commas, utf8);
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Example
    void chineseNamesInUtf8AreCopiedAsTheyStand() {
        byte[] line = "C00000001,张伟,广东省,深圳市,南山区".getBytes(StandardCharsets.UTF_8);
        assertTrue(plain(line, 4, true));
        assertFalse(plain(line, 4, false), "GBK input is re-encoded, so only ASCII lines are plain");
        assertFalse(plain(line, 3, true), "the comma count still decides");
    }

    @Example
    void malformedUtf8TakesTheGeneralPathWhereItIsRejected() {
        assertFalse(plain(bytes('a', 0x80, 'b'), 0, true), "a stray continuation byte");
        assertFalse(plain(bytes('a', 0xC0, 0x80), 0, true), "an overlong NUL");
        assertFalse(plain(bytes(0xE0, 0x80, 0x80), 0, true), "an overlong three-byte form");
        assertFalse(plain(bytes(0xED, 0xA0, 0x80), 0, true), "a surrogate");
        assertFalse(plain(bytes(0xF4, 0x90, 0x80, 0x80), 0, true), "above U+10FFFF");
        assertFalse(plain(bytes(0xF5, 0x80, 0x80, 0x80), 0, true), "not a lead byte");
        assertFalse(plain(bytes('a', 0xE5, 0xBC), 0, true), "cut off at the end of the line");
        assertFalse(plain(bytes(0xE5, 'a', 0xBC), 0, true), "an ASCII byte inside a sequence");
        assertTrue(plain(bytes(0xF0, 0x9F, 0x98, 0x80), 0, true), "an emoji is well formed");
        assertTrue(plain(bytes(0xEF, 0xBB, 0xBF, 'x'), 0, true), "a BOM inside a row is data, as on the general path");
    }

    @Property(tries = 2000)
    void aPlainUtf8LineIsOneJavasStrictDecoderAccepts(@ForAll @Size(max = 12) byte[] line) {
        if (!plain(line, countCommas(line), true)) {
            return;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line)).toString();
            assertEquals(new String(line, StandardCharsets.UTF_8), text);
            assertEquals(java.util.Arrays.toString(line), java.util.Arrays.toString(text.getBytes(StandardCharsets.UTF_8)));
        } catch (CharacterCodingException e) {
            throw new AssertionError("passed as plain but does not decode: " + java.util.Arrays.toString(line), e);
        }
    }

    @Property(tries = 2000)
    void wellFormedUtf8IsPlainUnlessItHasCsvOrControlCharacters(@ForAll @Size(max = 6) String s) {
        byte[] line = s.getBytes(StandardCharsets.UTF_8);
        // (A lone surrogate is encoded as '?': still plain.)
        boolean special = s.isEmpty() || s.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == '"' || c == 0x7F || c == ',' || c == ' ');
        if (!special) {
            assertTrue(plain(line, 0, true), s);
        }
    }

    private static int countCommas(byte[] line) {
        int n = 0;
        for (byte b : line) {
            n += b == ',' ? 1 : 0;
        }
        return n;
    }
}
