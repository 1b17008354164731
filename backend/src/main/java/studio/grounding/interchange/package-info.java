/**
 * Streaming readers and writers for every GranD_f / GLaMM file format, in constant memory, as pure Java.
 *
 * <h2>Reading</h2>
 * Every reader is a {@link studio.grounding.interchange.RecordReader}: {@code read(input, sink)} hands each
 * importable {@link studio.grounding.interchange.SourceRecord} and each
 * {@link studio.grounding.interchange.ImportProblem} to a {@link studio.grounding.interchange.RecordSink}, in file
 * order. A bad record becomes problems (file, record index, field path, reason) and reading goes on; a JSON syntax
 * error is reported with line, column and byte offset and ends the read, after the records before it were delivered.
 * Things an annotator must see but that are not errors (phrase not located, count mismatch, a record GLaMM's loader
 * would skip, repeated phrase text) are {@link studio.grounding.interchange.SourceRecord#warnings()}.
 * {@link studio.grounding.interchange.InterchangeFormat} picks a reader from GLaMM's file names.
 * <ul>
 *   <li>{@link studio.grounding.interchange.GrandfReader}: GranDf_HA and Open-PSG GCG arrays</li>
 *   <li>{@link studio.grounding.interchange.FlickrReader}: Flickr30k GCG (COCO style)</li>
 *   <li>{@link studio.grounding.interchange.RefCocogReader}: RefCOCOg GCG (polygons; sizes from image headers via
 *       {@link studio.grounding.interchange.ImageDimensions})</li>
 *   <li>{@link studio.grounding.interchange.CocoGcgReader}: the val/test {@code _mask_gt}/{@code _caption_gt} pair</li>
 *   <li>{@link studio.grounding.interchange.PredictionReader}: a directory of GLaMM {@code infer.py} outputs</li>
 *   <li>{@link studio.grounding.interchange.JsonlReader}: our own lossless JSONL</li>
 * </ul>
 *
 * <h2>Writing</h2>
 * Writers take one record at a time and return {@link studio.grounding.interchange.ExportWarning}s for whatever the
 * format cannot express (the record is still written, the rest is never dropped silently):
 * {@link studio.grounding.interchange.GrandfWriter} (training format),
 * {@link studio.grounding.interchange.CocoGcgWriter} (evaluation ground truth pair),
 * {@link studio.grounding.interchange.JsonlWriter} (lossless, with platform
 * {@link studio.grounding.interchange.RecordMetadata}).
 *
 * <h2>Offsets</h2>
 * In memory, spans are Java string (UTF-16) indices into the normalised caption, as in
 * {@link studio.grounding.annotation.GroundedCaption}; in every file they are Python code point offsets. The
 * readers and writers convert, which matters only for captions with characters outside the BMP (emoji).
 *
 * <p>{@link studio.grounding.interchange.GlammOutputText} parses GLaMM's raw model text
 * ({@code <p> phrase </p> [SEG]}). Mask content is checked and produced by {@code studio.grounding.mask.Rle}.
 */
package studio.grounding.interchange;
