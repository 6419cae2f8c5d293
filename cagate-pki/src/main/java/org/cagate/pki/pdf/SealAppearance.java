package org.cagate.pki.pdf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;

/**
 * The seal (印章) as the signature's visible appearance: a one-page template document whose signature
 * widget has the seal image as its normal appearance, which PDFBox copies into the signed document's
 * new revision (the approach of PDFBox's CreateVisibleSignature2 example).
 */
final class SealAppearance {
    private SealAppearance() {}

    static InputStream template(PDDocument source, SealPlacement placement, byte[] seal)
            throws IOException, PdfException {
        PDPage target = source.getPage(placement.page() - 1);
        PDRectangle box = target.getCropBox();
        if (placement.x() + placement.width() > box.getWidth() + 0.5f
                || placement.y() + placement.height() > box.getHeight() + 0.5f) {
            throw new PdfException(PdfException.Reason.PDF_PLACEMENT, "印章超出页面范围，请重新放置");
        }
        try (PDDocument template = new PDDocument()) {
            PDPage page = new PDPage(target.getMediaBox());
            template.addPage(page);
            PDAcroForm form = new PDAcroForm(template);
            template.getDocumentCatalog().setAcroForm(form);
            PDSignatureField field = new PDSignatureField(form);
            PDAnnotationWidget widget = field.getWidgets().get(0);
            form.setSignaturesExist(true);
            form.setAppendOnly(true);
            form.getCOSObject().setDirect(true);
            form.getFields().add(field);
            PDRectangle rect = new PDRectangle(
                    box.getLowerLeftX() + placement.x(),
                    box.getLowerLeftY() + placement.y(),
                    placement.width(),
                    placement.height());
            widget.setRectangle(rect);

            PDFormXObject xobject = new PDFormXObject(new PDStream(template));
            xobject.setResources(new PDResources());
            xobject.setFormType(1);
            xobject.setBBox(new PDRectangle(placement.width(), placement.height()));
            PDAppearanceDictionary appearance = new PDAppearanceDictionary();
            appearance.getCOSObject().setDirect(true);
            PDAppearanceStream stream = new PDAppearanceStream(xobject.getCOSObject());
            appearance.setNormalAppearance(stream);
            widget.setAppearance(appearance);
            PDImageXObject image;
            try {
                image = PDImageXObject.createFromByteArray(template, seal, "seal");
            } catch (IOException | IllegalArgumentException e) {
                throw new PdfException(PdfException.Reason.SEAL_INVALID, "印章图片无法读取，请上传 PNG 或 JPEG 图片", e);
            }
            try (PDPageContentStream content = new PDPageContentStream(template, stream)) {
                content.drawImage(image, 0, 0, placement.width(), placement.height());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            template.save(out);
            return new ByteArrayInputStream(out.toByteArray());
        }
    }
}
