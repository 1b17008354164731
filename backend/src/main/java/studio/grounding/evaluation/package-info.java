/**
 * GLaMM's grounded conversation generation (GCG) metrics in pure Java, to score a model version's predictions
 * against human-accepted ground truth: {@link studio.grounding.evaluation.GcgEvaluator} turns a list of
 * {@link studio.grounding.evaluation.GcgSample}s into a {@link studio.grounding.evaluation.GcgReport}.
 *
 * <ul>
 *   <li>{@link studio.grounding.evaluation.MaskMetrics}: mIoU and mask recall ({@code eval/gcg/evaluate.py});</li>
 *   <li>{@link studio.grounding.evaluation.Ap50}: COCOeval segm AP at IoU 0.5;</li>
 *   <li>{@link studio.grounding.evaluation.PtbTokenizer}, {@link studio.grounding.evaluation.Bleu},
 *       {@link studio.grounding.evaluation.CiderD}, {@link studio.grounding.evaluation.RougeL}: pycocoevalcap;</li>
 *   <li>{@link studio.grounding.evaluation.TextSimilarity}: recall's text similarity: named fallbacks
 *       ({@link studio.grounding.evaluation.ExactMatchSimilarity},
 *       {@link studio.grounding.evaluation.TokenJaccardSimilarity}), or a local BERT through
 *       {@link studio.grounding.evaluation.SentenceEncoder} ({@code BertSentenceEncoder}, DJL, optional).</li>
 *   <li>{@link studio.grounding.evaluation.EvaluationService}: a model version scored against a dataset's accepted
 *       test items or a snapshot's test split, stored per model version;
 *       {@link studio.grounding.evaluation.CorrectionEffortService}: how far humans moved its pre-fills.</li>
 * </ul>
 * See {@code docs/evaluation.md}.
 */
package studio.grounding.evaluation;
