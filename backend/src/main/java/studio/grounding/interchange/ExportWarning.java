package studio.grounding.interchange;

/**
 * Something a writer could not express in its format for one record. The record is still written (minus what the
 * warning names), so the export never loses data silently.
 *
 * @param recordIndex {@link SourceRecord#index()} of the record
 * @param fileName    {@link SourceRecord#fileName()} of the record
 * @param reason      what was left out or changed, and why
 */
public record ExportWarning(long recordIndex, String fileName, String reason) {
}
