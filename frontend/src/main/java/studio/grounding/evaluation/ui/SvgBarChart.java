package studio.grounding.evaluation.ui;

import java.util.List;
import java.util.Locale;

/**
 * A small horizontal bar chart as a self-contained SVG string, built on the server: one bar per model version, the
 * value printed at the bar's end. No script, no external resources.
 */
final class SvgBarChart {

    /** One bar: a label (the model version) and its value; a null value is drawn as "n/a" without a bar. */
    record Bar(String label, Double value) {
    }

    private static final int WIDTH = 320;
    private static final int LABEL_WIDTH = 110;
    private static final int BAR_HEIGHT = 18;
    private static final int GAP = 6;
    private static final int TOP = 24;
    private static final String[] COLOURS = {"#1676f3", "#e8743b", "#19a979", "#ed4a7b", "#945ecf", "#13a4b4"};

    private SvgBarChart() {
    }

    /**
     * @param title  the chart's title
     * @param format how values are printed, e.g. {@code %.1f}
     * @param max    the value of a full-width bar, or 0 to use the largest value
     */
    static String render(String title, List<Bar> bars, String format, double max) {
        double scale = max > 0 ? max : bars.stream().filter(b -> b.value() != null)
                .mapToDouble(Bar::value).max().orElse(1);
        if (scale <= 0) {
            scale = 1;
        }
        int height = TOP + bars.size() * (BAR_HEIGHT + GAP) + GAP;
        int barSpace = WIDTH - LABEL_WIDTH - 60;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\" class=\"bar-chart\">", WIDTH, height, WIDTH,
                height, escape(title)));
        svg.append("<title>").append(escape(title)).append("</title>");
        svg.append("<text x=\"0\" y=\"15\" font-size=\"13\" font-weight=\"600\" fill=\"currentColor\">")
                .append(escape(title)).append("</text>");
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            int y = TOP + i * (BAR_HEIGHT + GAP);
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\" "
                    + "fill=\"currentColor\">%s</text>", LABEL_WIDTH - 6, y + 13, escape(shorten(bar.label()))));
            if (bar.value() == null || bar.value().isNaN()) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"currentColor\">"
                        + "n/a</text>", LABEL_WIDTH, y + 13));
                continue;
            }
            double v = Math.max(0, bar.value());
            int w = (int) Math.round(Math.min(1, v / scale) * barSpace);
            String text = String.format(Locale.ROOT, format, bar.value());
            svg.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                    + "fill=\"%s\" data-label=\"%s\" data-value=\"%s\"><title>%s: %s</title></rect>", LABEL_WIDTH, y,
                    w, BAR_HEIGHT, COLOURS[i % COLOURS.length], escape(bar.label()), text, escape(bar.label()),
                    text));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"currentColor\">%s"
                    + "</text>", LABEL_WIDTH + w + 4, y + 13, text));
        }
        return svg.append("</svg>").toString();
    }

    private static String shorten(String s) {
        return s.length() <= 16 ? s : s.substring(0, 15) + "…";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
