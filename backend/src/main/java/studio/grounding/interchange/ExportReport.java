package studio.grounding.interchange;

import java.time.Duration;
import java.util.List;

/**
 * What an export wrote.
 *
 * @param records  records written
 * @param masks    masks written
 * @param warnings records the format could not express exactly (e.g. two phrases with the same text in GranD_f
 *                 JSON), each naming the item; nothing is dropped silently
 */
public record ExportReport(ExportFormat format, long records, long masks, List<String> warnings, Duration elapsed) {

    public ExportReport {
        warnings = List.copyOf(warnings);
    }
}
