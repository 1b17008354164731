/**
 * Pre-fill jobs: a curator queues a dataset (or some of its items) for pre-filling with a model version, one job
 * per item in PostgreSQL; inference workers claim jobs under a lease ({@code SELECT ... FOR UPDATE SKIP LOCKED}),
 * renew it while they work, and submit a result that becomes the item's model revision, or report a failure.
 *
 * <ul>
 *   <li>Every claim gets a fresh lease token; renew, result and failure must present it. A worker whose lease ran
 *       out and whose job was claimed again is refused ({@link studio.grounding.prefill.LeaseLostException}).</li>
 *   <li>A lease that runs out puts the job back in the queue (or parks it as FAILED once it has had its
 *       {@code studio.prefill.max-attempts} attempts, default 3); so does a reported failure.</li>
 *   <li>A result is stored in the transaction that completes the job; submitting it again with the same lease token
 *       answers the stored outcome and stores nothing.</li>
 *   <li>A result never overwrites human work: an item with a human revision (or one an annotator has taken up) is
 *       left alone and the job ends SKIPPED with a note.</li>
 *   <li>Jobs of purpose {@link studio.grounding.prefill.JobPurpose#EVALUATION} are queued for test items whatever
 *       their human work; their result is stored as an evaluation prediction (table {@code evaluation_predictions},
 *       newest per model version and item), never as a revision, and the item is untouched (ADR 0008).</li>
 * </ul>
 * Design: {@code docs/adr/0005-prefill-jobs.md}.
 */
package studio.grounding.prefill;
