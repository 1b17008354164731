/**
 * COCO run-length-encoded masks with the exact semantics of pycocotools' {@code maskApi.c}: the compressed
 * {@code counts} string codec, bitmap encode/decode, area, bounding box, IoU, union/intersection and polygon
 * rasterisation ({@code rleFrPoly}). Pure Java, no Spring; the entry point is {@link studio.grounding.mask.Rle}.
 * Malformed input raises {@link studio.grounding.mask.MalformedRleException}. Design and deviations from
 * pycocotools: {@code docs/adr/0002-rle-codec-in-java.md}; speed: {@code docs/benchmarks.md}.
 */
package studio.grounding.mask;
