package studio.grounding.worker.jobs;

/** A claimed job as the claim call returns it (the fields the worker uses). */
public record WorkerJob(long jobId, String leaseToken, String leaseExpiresAt, int attempt, long itemId,
                        String imageHash, String mediaType, long imageBytes, int imageWidth, int imageHeight,
                        long modelVersionId, String modelVersionName) {

    @Override
    public String toString() {   // without the lease token
        return "job " + jobId + " (item " + itemId + ", image " + imageHash + ", attempt " + attempt + ")";
    }
}
