/**
 * Dataset snapshots: a curator freezes a dataset's ACCEPTED items (each at its latest revision) into an immutable,
 * numbered snapshot with a content hash and counts; a snapshot exports in GLaMM's training format and as the COCO
 * GCG validation/test pair, byte for byte the same every time; two snapshots compare as items added, removed and
 * changed. An image's split is fixed the first time a snapshot takes it. Design: {@code docs/adr/0007-snapshots-and-training-runs.md}.
 */
package studio.grounding.snapshot;
