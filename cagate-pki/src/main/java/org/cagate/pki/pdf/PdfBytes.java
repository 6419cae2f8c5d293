package org.cagate.pki.pdf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Byte-level facts about a PDF that the object parser hides: byte ranges and revision ends. */
final class PdfBytes {
    private static final byte[] EOF_MARKER = "%%EOF".getBytes(StandardCharsets.US_ASCII);

    private PdfBytes() {}

    static byte[] signedContent(byte[] pdf, int[] range) {
        byte[] content = new byte[range[1] + range[3]];
        System.arraycopy(pdf, range[0], content, 0, range[1]);
        System.arraycopy(pdf, range[2], content, range[1], range[3]);
        return content;
    }

    /**
     * The range is the whole file but one hex string: it starts at 0, the gap holds exactly
     * {@code <hex>}, and it ends inside the file. Anything else may hide unsigned bytes in the gap.
     */
    static boolean wellFormedRange(byte[] pdf, int[] range) {
        if (range == null || range.length != 4 || range[0] != 0 || range[1] <= 0 || range[2] <= range[1] + 1) {
            return false;
        }
        long end = (long) range[2] + range[3];
        if (range[3] < 0 || end > pdf.length) {
            return false;
        }
        if (pdf[range[1]] != '<' || pdf[range[2] - 1] != '>') {
            return false;
        }
        for (int i = range[1] + 1; i < range[2] - 1; i++) {
            byte b = pdf[i];
            boolean hex = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
            if (!hex) {
                return false;
            }
        }
        return true;
    }

    static boolean zeros(byte[] pdf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (pdf[i] != '0') {
                return false;
            }
        }
        return true;
    }

    /** Where each revision ends: after each %%EOF and the line end that follows it. */
    static List<Integer> revisionEnds(byte[] pdf) {
        List<Integer> ends = new ArrayList<>();
        outer:
        for (int i = 0; i + EOF_MARKER.length <= pdf.length; i++) {
            for (int j = 0; j < EOF_MARKER.length; j++) {
                if (pdf[i + j] != EOF_MARKER[j]) {
                    continue outer;
                }
            }
            int end = i + EOF_MARKER.length;
            while (end < pdf.length && (pdf[end] == '\r' || pdf[end] == '\n')) {
                end++;
            }
            ends.add(end);
        }
        return ends;
    }

    /** {@code end} and {@code other} are the same revision end, give or take its line end. */
    static boolean sameEnd(int end, int other) {
        return Math.abs(end - other) <= 2;
    }
}
