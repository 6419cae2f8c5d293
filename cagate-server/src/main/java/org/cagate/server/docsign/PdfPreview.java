package org.cagate.server.docsign;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The 签章 page's view of a page: PDFBox's PDFRenderer draws one page as a PNG, so the user sees the page
 * and places the seal on it. The image is the page's crop box <em>without</em> its /Rotate, because the
 * seal's place (SealPlacement) is in the unrotated page's points from the crop box's lower-left corner:
 * {@code x = left / scale}, {@code y = height - (top + sealHeight) / scale} on the image. Nothing is kept.
 */
@Service
class PdfPreview {
    private static final Logger log = LoggerFactory.getLogger(PdfPreview.class);
    /** The image is at most this wide and high: a page of the page, not a print. */
    static final int MAX_WIDTH_PX = 800;

    static final int MAX_HEIGHT_PX = 2400;

    /**
     * @param pages the document's page count
     * @param width the crop box's width in points (the seal's x runs 0..width)
     * @param rotation the page's /Rotate, which the image leaves out (0, 90, 180, 270)
     * @param scale image pixels per point
     * @param image the PNG, base64
     */
    record PageView(int pages, int page, float width, float height, int rotation, float scale, String image) {}

    PageView render(byte[] pdf, int page) {
        try (PDDocument document = open(pdf)) {
            if (document.isEncrypted()) {
                throw new ApiException(ProblemCode.PDF_ENCRYPTED);
            }
            int pages = document.getNumberOfPages();
            if (pages == 0) {
                throw new ApiException(ProblemCode.PDF_DAMAGED);
            }
            if (page < 1 || page > pages) {
                throw ApiException.detail(ProblemCode.VALIDATION, "validation.pdf.page", pages);
            }
            PDPage target = document.getPage(page - 1);
            int rotation = ((target.getRotation() % 360) + 360) % 360;
            target.setRotation(0); // only this in-memory copy: the image matches the seal's coordinates
            PDRectangle box = target.getCropBox();
            float scale = Math.min(1.5f, Math.min(MAX_WIDTH_PX / box.getWidth(), MAX_HEIGHT_PX / box.getHeight()));
            BufferedImage image = new PDFRenderer(document).renderImage(page - 1, scale, ImageType.RGB);
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(image, "png", png);
            return new PageView(
                    pages,
                    page,
                    box.getWidth(),
                    box.getHeight(),
                    rotation,
                    scale,
                    Base64.getEncoder().encodeToString(png.toByteArray()));
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            log.info("签章 could not render page {} of a PDF of {} bytes: {}", page, pdf.length, e.toString());
            throw new ApiException(ProblemCode.PDF_DAMAGED);
        }
    }

    private static PDDocument open(byte[] pdf) {
        try {
            return Loader.loadPDF(pdf);
        } catch (InvalidPasswordException e) {
            throw new ApiException(ProblemCode.PDF_ENCRYPTED);
        } catch (IOException | RuntimeException e) {
            throw new ApiException(ProblemCode.PDF_DAMAGED);
        }
    }
}
