package studio.grounding.interchange;

/** The reader for each import format. */
final class Readers {

    private Readers() {
    }

    static RecordReader forRequest(ImportRequest request) {
        return switch (request.format()) {
            case GRANDF -> new GrandfReader();
            case FLICKR -> new FlickrReader();
            case REFCOCOG -> new RefCocogReader(ImageDimensions.fromDirectory(request.images()));
            case COCO_GCG -> (maskFile, sink) -> new CocoGcgReader().read(maskFile, request.captions(), sink);
            case PREDICTIONS -> new PredictionReader();
        };
    }
}
