package org.cagate.pki.pdf;

/**
 * Where the seal goes: a page (1-based, as people count) and a rectangle in PDF points from the page's
 * lower-left corner, as the page places it over the rendered page.
 */
public record SealPlacement(int page, float x, float y, float width, float height) {
    public SealPlacement {
        if (page < 1) {
            throw new IllegalArgumentException("page is counted from 1");
        }
        if (!(width > 0 && height > 0 && width <= 1000 && height <= 1000)) {
            throw new IllegalArgumentException("seal width and height must be 0-1000 points");
        }
        if (!(x >= 0 && y >= 0) || Float.isInfinite(x) || Float.isInfinite(y)) {
            throw new IllegalArgumentException("seal position must be on the page");
        }
    }
}
