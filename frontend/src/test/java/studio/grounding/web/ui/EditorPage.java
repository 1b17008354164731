package studio.grounding.web.ui;

import com.microsoft.playwright.Page;
import java.util.List;

/** What the browser tests do with {@code <grounding-editor>} and its {@code <mask-canvas-editor>}. */
final class EditorPage {

    static final String EDITOR = "document.querySelector('grounding-editor')";
    static final String CANVAS = EDITOR + ".shadowRoot.querySelector('mask-canvas-editor')";

    private EditorPage() {
    }

    /** Waits until the canvas has drawn every mask of the opened item. */
    static void waitForMasksDrawn(Page page) {
        page.waitForFunction("() => window.__studioPerf && window.__studioPerf.openMs >= 0");
    }

    /** Collects the keys of the masks edited from now on in {@code window.__edits}. */
    static void listenForMaskEdits(Page page) {
        page.evaluate("() => { window.__edits = []; " + EDITOR + ".addEventListener('mask-edit',"
                + " e => window.__edits.push(e.detail.key)); }");
    }

    /** A drawing stroke with the mouse from image pixel (x0, y0) to (x1, y1), in ten moves. */
    static void stroke(Page page, int x0, int y0, int x1, int y1) {
        double[] a = client(page, x0, y0);
        double[] b = client(page, x1, y1);
        page.mouse().move(a[0], a[1]);
        page.mouse().down();
        for (int i = 1; i <= 10; i++) {
            page.mouse().move(a[0] + (b[0] - a[0]) * i / 10, a[1] + (b[1] - a[1]) * i / 10);
        }
        page.mouse().up();
    }

    /** Where image pixel (x, y) is on the page, in CSS pixels. */
    static double[] client(Page page, int x, int y) {
        List<?> xy = (List<?>) page.evaluate("([x, y]) => { const c = " + CANVAS
                + "; const p = c.imageToClient(x, y); const r = c.getBoundingClientRect();"
                + " return [r.left + p.x, r.top + p.y]; }", List.of(x, y));
        return new double[] {((Number) xy.get(0)).doubleValue(), ((Number) xy.get(1)).doubleValue()};
    }
}
