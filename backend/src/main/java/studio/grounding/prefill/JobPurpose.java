package studio.grounding.prefill;

/**
 * Why a job runs. PREFILL: the result becomes the item's model revision (never over human work). EVALUATION: the
 * model version predicts on a test item, with or without human work; the result is stored as an evaluation
 * prediction, never as a revision, and the item's status and history are untouched.
 */
public enum JobPurpose {
    PREFILL, EVALUATION
}
