package org.cagate.pki.pdf;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** Test documents made at test time: PDFs, a seal image, and poppler's pdfsig as an independent reader. */
final class Pdfs {
    record PdfSig(int exitCode, String output) {}

    private Pdfs() {}

    /** An A4 document of {@code pages} pages with a line of text on each. */
    static byte[] document(int pages) throws IOException {
        try (PDDocument document = new PDDocument()) {
            for (int i = 1; i <= pages; i++) {
                PDPage page = new PDPage(PDRectangle.A4);
                document.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    content.beginText();
                    content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 14);
                    content.newLineAtOffset(72, 760);
                    content.showText("Tender document, page " + i);
                    content.endText();
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }

    static byte[] encrypted() throws IOException {
        try (PDDocument document = new PDDocument()) {
            document.addPage(new PDPage(PDRectangle.A4));
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner", "user", new AccessPermission());
            policy.setEncryptionKeyLength(128);
            document.protect(policy);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }

    /** A red round seal, as an organisation's 印章 image would be. */
    static byte[] seal() throws IOException {
        BufferedImage image = new BufferedImage(200, 200, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(200, 0, 0));
        g.setStroke(new java.awt.BasicStroke(8));
        g.drawOval(8, 8, 184, 184);
        g.fillPolygon(
                new int[] {100, 112, 145, 118, 128, 100, 72, 82, 55, 88},
                new int[] {55, 88, 88, 108, 140, 120, 140, 108, 88, 88},
                10);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    static boolean pdfsigAvailable() {
        return Files.isExecutable(Path.of("/usr/bin/pdfsig"));
    }

    /** {@code pdfsig -nocert file}: signature and coverage checks; trust is cagate's verifier's job. */
    static PdfSig pdfsig(Path file) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of("pdfsig", "-nocert", file.toString()))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new PdfSig(-1, "timed out");
        }
        return new PdfSig(process.exitValue(), output);
    }
}
