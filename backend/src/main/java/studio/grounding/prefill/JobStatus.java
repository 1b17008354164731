package studio.grounding.prefill;

/**
 * Where a pre-fill job stands: QUEUED → RUNNING → SUCCEEDED (result stored), SKIPPED (item has human work, result
 * not applied) or, after too many attempts, FAILED (parked with its error); a curator may CANCEL a queued or running
 * job and retry a failed or cancelled one.
 */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, SKIPPED, FAILED, CANCELLED
}
